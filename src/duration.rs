//! Session lengths as people write them: `90m`, `2h`, `1h30m`, or ISO 8601 `PT1H30M`.

use chrono::Duration;

/// The shortest session roundtable accepts.
pub const MIN_MINUTES: i64 = 1;
/// The longest session roundtable accepts (24 hours): longer is almost surely a typo.
pub const MAX_MINUTES: i64 = 24 * 60;

/// Parses a duration into whole minutes and checks it is between 1 minute and 24 hours.
///
/// ```
/// use roundtable::duration::parse_duration;
/// assert_eq!(parse_duration("1h30m").unwrap().num_minutes(), 90);
/// assert_eq!(parse_duration("PT2H").unwrap().num_minutes(), 120);
/// assert_eq!(parse_duration("45m").unwrap().num_minutes(), 45);
/// assert!(parse_duration("0m").is_err());
/// assert!(parse_duration("90").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let help = "write a duration such as 90m, 2h, 1h30m or PT1H30M";
    let trimmed = text.trim();
    let body = trimmed
        .strip_prefix("PT")
        .or_else(|| trimmed.strip_prefix("pt"))
        .unwrap_or(trimmed);
    if body.is_empty() {
        return Err(format!("`{text}` is not a duration; {help}"));
    }
    let mut minutes: i64 = 0;
    let mut number = String::new();
    let mut seen_h = false;
    let mut seen_m = false;
    for c in body.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            if number.len() > 6 {
                return Err(format!("`{text}` is far too long for a session; {help}"));
            }
            continue;
        }
        let value: i64 = number
            .parse()
            .map_err(|_| format!("`{text}` is not a duration; {help}"))?;
        number.clear();
        match c.to_ascii_lowercase() {
            'h' if !seen_h && !seen_m => {
                seen_h = true;
                minutes += value * 60;
            }
            'm' if !seen_m => {
                seen_m = true;
                minutes += value;
            }
            _ => return Err(format!("`{text}` is not a duration; {help}")),
        }
    }
    if !number.is_empty() {
        return Err(format!(
            "`{text}` has no unit after its last number; {help}"
        ));
    }
    if minutes < MIN_MINUTES {
        return Err(format!(
            "`{text}` is zero; a session lasts at least one minute"
        ));
    }
    if minutes > MAX_MINUTES {
        return Err(format!(
            "`{text}` is longer than 24 hours; split a multi-day event into one session per day"
        ));
    }
    Ok(Duration::minutes(minutes))
}

/// Writes minutes back as `1h30m`, `2h`, `45m`.
///
/// ```
/// assert_eq!(roundtable::duration::format_minutes(90), "1h30m");
/// assert_eq!(roundtable::duration::format_minutes(120), "2h");
/// ```
pub fn format_minutes(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}
