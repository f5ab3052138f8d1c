//! Property values: dates and date-times, durations, UTC offsets, TEXT.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dt {
    Date(NaiveDate),
    /// Civil date-time, and whether it ends in `Z` (UTC).
    Time(NaiveDateTime, bool),
}

/// The number written in bytes `from..to` of `s`, when they are all ASCII digits (at most 9 of
/// them: callers ask for 2 or 4).
///
/// Bytes, in one pass: a range that would cut a character holds a byte that is not an ASCII
/// digit, so the answer is the one of `str::get` and then a test of each digit (every busy
/// event's DTSTART and DTEND ask six times: issue 19).
pub(super) fn digits(s: &str, from: usize, to: usize) -> Option<u32> {
    let t = s.as_bytes().get(from..to)?;
    if t.is_empty() || t.len() > 9 {
        return None;
    }
    t.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// `text` without leading and trailing white space, as `str::trim` removes it. Most values
/// begin and end with a visible ASCII character: that is decided by two bytes, without the
/// Unicode test of each end.
pub(super) fn trim(text: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_graphic());
    let bytes = text.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

/// `20240115`, `20240115T090000`, `20240115T080000Z`.
pub(super) fn parse_dt(text: &str) -> Option<Dt> {
    let s = trim(text);
    let b = s.as_bytes();
    let date = |s: &str| {
        NaiveDate::from_ymd_opt(
            i32::try_from(digits(s, 0, 4)?).ok()?,
            digits(s, 4, 6)?,
            digits(s, 6, 8)?,
        )
    };
    match b.len() {
        8 => date(s).map(Dt::Date),
        15 | 16 => {
            if !matches!(b.get(8), Some(b'T' | b't')) {
                return None;
            }
            let utc = b.len() == 16;
            if utc && !matches!(b.get(15), Some(b'Z' | b'z')) {
                return None;
            }
            let time =
                NaiveTime::from_hms_opt(digits(s, 9, 11)?, digits(s, 11, 13)?, digits(s, 13, 15)?)?;
            Some(Dt::Time(date(s)?.and_time(time), utc))
        }
        _ => None,
    }
}

pub(super) const DT_HELP: &str = "write a date as 20240115, a local time as 20240115T090000 (with TZID=… or floating), a UTC time as 20240115T080000Z";

/// A duration: nominal days (weeks and days) and an exact part (hours, minutes, seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Dur {
    pub(super) negative: bool,
    pub(super) days: i64,
    pub(super) exact: TimeDelta,
}

/// `P1W`, `P2D`, `PT1H30M`, `P1DT12H`, `-PT15M`.
pub(super) fn parse_duration(text: &str) -> Option<Dur> {
    let s = text.trim();
    let (negative, rest) = match s.as_bytes().first()? {
        b'-' => (true, s.get(1..)?),
        b'+' => (false, s.get(1..)?),
        _ => (false, s),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let mut days: i64 = 0;
    let mut seconds: i64 = 0;
    let mut in_time = false;
    let mut number = String::new();
    let mut any = false;
    for c in rest.chars() {
        if c.is_ascii_digit() {
            if number.len() >= 9 {
                return None;
            }
            number.push(c);
            continue;
        }
        let c = c.to_ascii_uppercase();
        if c == 'T' {
            if in_time || !number.is_empty() {
                return None;
            }
            in_time = true;
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        any = true;
        match (in_time, c) {
            (false, 'W') => days = days.checked_add(n.checked_mul(7)?)?,
            (false, 'D') => days = days.checked_add(n)?,
            (true, 'H') => seconds = seconds.checked_add(n.checked_mul(3600)?)?,
            (true, 'M') => seconds = seconds.checked_add(n.checked_mul(60)?)?,
            (true, 'S') => seconds = seconds.checked_add(n)?,
            _ => return None,
        }
    }
    if !number.is_empty() || !any {
        return None;
    }
    Some(Dur {
        negative,
        days,
        exact: TimeDelta::try_seconds(seconds)?,
    })
}

pub(super) const DURATION_HELP: &str =
    "write a duration as PT1H30M, P1D, P2W or P1DT2H (RFC 5545), not negative";

/// `+0100`, `-0330`, `+053000` (a `:` is tolerated).
pub(super) fn parse_offset(text: &str) -> Option<FixedOffset> {
    let s = text.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, s.get(1..)?),
        b'-' => (-1, s.get(1..)?),
        _ => return None,
    };
    let d: String = rest.chars().filter(|c| *c != ':').collect();
    if !(d.len() == 4 || d.len() == 6) {
        return None;
    }
    let h = digits(&d, 0, 2)?;
    let m = digits(&d, 2, 4)?;
    let sec = if d.len() == 6 { digits(&d, 4, 6)? } else { 0 };
    if m >= 60 || sec >= 60 {
        return None;
    }
    FixedOffset::east_opt(sign * i32::try_from(h * 3600 + m * 60 + sec).ok()?)
}

/// TEXT unescaping: `\\` `\;` `\,` `\n` `\N`; any other escaped character stands for itself.
/// Borrowed when there is nothing to unescape.
pub(super) fn unescape_text(value: &str) -> Cow<'_, str> {
    if !value.contains('\\') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    Cow::Owned(out)
}

/// A TZID as TEXT: `\,` `\;` `\\` unescaped, anything else kept as written. Exchange and
/// Outlook escape the commas of names such as `(UTC+07:00) Bangkok, Hanoi, Jakarta` in the
/// VTIMEZONE's TZID property, not in the quoted TZID parameters that refer to it.
pub(super) fn unescape_tzid(value: &str) -> Cow<'_, str> {
    if !value.contains('\\') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(&next)) if matches!(next, ',' | ';' | '\\') => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}
