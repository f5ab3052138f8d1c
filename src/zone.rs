//! Time-zone specs as people write them: IANA names (links included), `UTC`, and fixed offsets
//! such as `UTC-3` or `GMT+1`.
//!
//! An instant → local time conversion can never fail ([`Zone::offset_at`]); the other direction,
//! civil → instant, may meet a gap or a fold and lives in [`crate::civil`], the only place that
//! performs it.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, Tz};

/// A resolved time zone: either a zone of the IANA database or a fixed offset from UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zone {
    /// A zone of the IANA database (tzdata as bundled by chrono-tz).
    Iana(Tz),
    /// A fixed offset that never changes (`UTC+3`).
    Fixed(FixedOffset),
}

impl Zone {
    /// The offset from UTC in force at `instant`. Never fails.
    ///
    /// ```
    /// use roundtable::zone::ZoneSpec;
    /// use chrono::{TimeZone, Utc};
    /// let paris: ZoneSpec = "Europe/Paris".parse().unwrap();
    /// let summer = Utc.with_ymd_and_hms(2023, 7, 1, 12, 0, 0).unwrap();
    /// assert_eq!(paris.zone.offset_at(summer).local_minus_utc(), 2 * 3600);
    /// ```
    pub fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Iana(tz) => tz.offset_from_utc_datetime(&instant.naive_utc()).fix(),
            Zone::Fixed(offset) => *offset,
        }
    }

    /// Whether the offset in force at `instant` is daylight-saving (summer) time.
    pub fn is_dst_at(&self, instant: DateTime<Utc>) -> bool {
        match self {
            Zone::Iana(tz) => !tz
                .offset_from_utc_datetime(&instant.naive_utc())
                .dst_offset()
                .is_zero(),
            Zone::Fixed(_) => false,
        }
    }

    /// The local date-time (with its offset) of `instant` in this zone. Never fails.
    pub fn local(&self, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
        instant.with_timezone(&self.offset_at(instant))
    }

    /// The offsets a civil date-time may have: one, two (a fold) or none (a gap).
    ///
    /// Only [`crate::civil`] should act on this; everything else goes through
    /// [`crate::civil::resolve`].
    pub(crate) fn local_candidates(&self, civil: &NaiveDateTime) -> LocalResult<FixedOffset> {
        match self {
            Zone::Iana(tz) => match tz.offset_from_local_datetime(civil) {
                LocalResult::Single(o) => LocalResult::Single(o.fix()),
                LocalResult::Ambiguous(a, b) => LocalResult::Ambiguous(a.fix(), b.fix()),
                LocalResult::None => LocalResult::None,
            },
            Zone::Fixed(offset) => LocalResult::Single(*offset),
        }
    }

    /// The IANA name, or the canonical `UTC±HH:MM` form of a fixed offset.
    pub fn name(&self) -> String {
        match self {
            Zone::Iana(tz) => tz.name().to_string(),
            Zone::Fixed(offset) => format!("UTC{}", format_offset(*offset)),
        }
    }
}

/// A zone as the user wrote it, with what it resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ZoneSpec {
    /// The text as written in the programme (`Asia/Calcutta`, `UTC-3`).
    pub written: String,
    /// What it means.
    pub zone: Zone,
}

impl ZoneSpec {
    /// Whether this is a fixed offset (which does not follow DST): `UTC-3`, or an IANA
    /// `Etc/GMT±N` zone.
    pub fn is_fixed(&self) -> bool {
        match self.zone {
            Zone::Fixed(_) => true,
            Zone::Iana(tz) => {
                (tz.name().starts_with("Etc/GMT") && tz.name().len() > "Etc/GMT".len())
                    || fixed_abbreviation(tz.name()).is_some()
            }
        }
    }
}

impl ZoneSpec {
    /// The zone for people to read, in one spelling: an IANA name as written, a fixed offset in
    /// its canonical form (`UTC-3` and `GMT-3` both read `UTC-03:00`).
    ///
    /// ```
    /// use roundtable::zone::ZoneSpec;
    /// assert_eq!("UTC-3".parse::<ZoneSpec>().unwrap().label(), "UTC-03:00");
    /// assert_eq!("Asia/Calcutta".parse::<ZoneSpec>().unwrap().label(), "Asia/Calcutta");
    /// ```
    pub fn label(&self) -> String {
        match self.zone {
            Zone::Iana(_) => self.written.clone(),
            Zone::Fixed(_) => self.zone.name(),
        }
    }
}

/// The zones people probably mean by a tz database name that is an abbreviation of a fixed
/// offset (`EST` is always −05:00, also in July), when `name` is one. Names that follow DST
/// (`EST5EDT`) are not.
///
/// ```
/// use roundtable::zone::fixed_abbreviation;
/// assert_eq!(fixed_abbreviation("EST"), Some(&["America/New_York", "America/Panama"][..]));
/// assert_eq!(fixed_abbreviation("EST5EDT"), None);
/// ```
pub fn fixed_abbreviation(name: &str) -> Option<&'static [&'static str]> {
    const FIXED: &[(&str, &[&str])] = &[
        ("EST", &["America/New_York", "America/Panama"]),
        ("MST", &["America/Denver", "America/Phoenix"]),
        ("HST", &["Pacific/Honolulu"]),
    ];
    FIXED.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
}

impl fmt::Display for ZoneSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

/// Why a zone spec was not understood, with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl FromStr for ZoneSpec {
    type Err = ZoneError;

    /// Parses a zone spec.
    ///
    /// ```
    /// use roundtable::zone::{Zone, ZoneSpec};
    /// let rio: ZoneSpec = "UTC-3".parse().unwrap();
    /// assert_eq!(rio.zone.name(), "UTC-03:00");
    /// let ahead: ZoneSpec = "GMT+1".parse().unwrap();
    /// assert_eq!(ahead.zone.name(), "UTC+01:00");
    /// let err = "America/Sao_Paolo".parse::<ZoneSpec>().unwrap_err();
    /// assert!(err.help.unwrap().contains("America/Sao_Paulo"));
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let zone = parse_zone(text)?;
        Ok(ZoneSpec {
            written: text.to_string(),
            zone,
        })
    }
}

fn parse_zone(text: &str) -> Result<Zone, ZoneError> {
    if let Ok(tz) = Tz::from_str(text) {
        return Ok(Zone::Iana(tz));
    }
    if let Some(offset) = parse_fixed(text)? {
        return Ok(Zone::Fixed(offset));
    }
    Err(unknown_zone(text))
}

/// `UTC+3`, `UTC-03:30`, `UTC+0530`, `GMT+1` (ahead of UTC, as people write it).
fn parse_fixed(text: &str) -> Result<Option<FixedOffset>, ZoneError> {
    let upper = text.trim().to_ascii_uppercase();
    let Some(rest) = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
    else {
        return Ok(None);
    };
    let (sign, digits) = if let Some(d) = rest.strip_prefix('+') {
        (1, d)
    } else if let Some(d) = rest
        .strip_prefix('-')
        .or_else(|| rest.strip_prefix('\u{2212}'))
    {
        (-1, d)
    } else {
        return Ok(None);
    };
    let bad = || ZoneError {
        message: format!("`{text}` is not a valid fixed offset"),
        help: Some("write a fixed offset as UTC+3, UTC-03:30 or UTC+0530 (at most ±14:00)".into()),
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        // Only ASCII is split by bytes (`UTC-€3` is four bytes too); other text is refused below.
        None if digits.len() == 4 && digits.is_ascii() => digits.split_at(2),
        None => (digits, "0"),
    };
    if hours.is_empty()
        || hours.len() > 2
        || minutes.len() > 2
        || !hours.bytes().all(|b| b.is_ascii_digit())
        || !minutes.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let h: i32 = hours.parse().map_err(|_| bad())?;
    let m: i32 = minutes.parse().map_err(|_| bad())?;
    if m >= 60 || h * 60 + m > 14 * 60 {
        return Err(bad());
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
        .map(Some)
        .ok_or_else(bad)
}

/// Abbreviations people write in invitations that are not IANA names, with what they may mean.
const ABBREVIATIONS: &[(&str, &[&str])] = &[
    ("IST", &["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"]),
    (
        "CST",
        &["America/Chicago", "Asia/Shanghai", "America/Havana"],
    ),
    ("BST", &["Europe/London", "Asia/Dhaka"]),
    ("AST", &["America/Halifax", "Asia/Riyadh"]),
    ("GST", &["Asia/Dubai", "Atlantic/South_Georgia"]),
    ("CEST", &["Europe/Paris", "Europe/Berlin", "CET"]),
    ("EEST", &["Europe/Athens", "EET"]),
    ("BRT", &["America/Sao_Paulo"]),
    ("ART", &["America/Argentina/Buenos_Aires"]),
    ("WAT", &["Africa/Lagos"]),
    ("CAT", &["Africa/Maputo"]),
    ("EAT", &["Africa/Nairobi"]),
    ("SAST", &["Africa/Johannesburg"]),
    ("PST", &["America/Los_Angeles"]),
    ("PDT", &["America/Los_Angeles"]),
    ("EDT", &["America/New_York"]),
    ("CDT", &["America/Chicago", "America/Havana"]),
    ("MDT", &["America/Denver"]),
    ("JST", &["Asia/Tokyo"]),
    ("KST", &["Asia/Seoul"]),
    ("AEST", &["Australia/Sydney", "Australia/Brisbane"]),
    ("AEDT", &["Australia/Sydney"]),
    ("NZST", &["Pacific/Auckland"]),
    ("NZDT", &["Pacific/Auckland"]),
    ("PHT", &["Asia/Manila"]),
    ("WIB", &["Asia/Jakarta"]),
    ("SGT", &["Asia/Singapore"]),
    ("HKT", &["Asia/Hong_Kong"]),
    ("PKT", &["Asia/Karachi"]),
];

fn unknown_zone(text: &str) -> ZoneError {
    let upper = text.trim().to_ascii_uppercase();
    if let Some((abbr, meanings)) = ABBREVIATIONS.iter().find(|(a, _)| *a == upper) {
        let list = meanings.join(", ");
        let message = if meanings.len() > 1 {
            format!("`{text}` is an ambiguous abbreviation, not a time zone: it may mean {list}")
        } else {
            format!("`{text}` is an abbreviation, not a time zone name")
        };
        return ZoneError {
            message,
            help: Some(format!(
                "write the IANA name of the place (for {abbr}: {list}), or a fixed offset such as UTC+3"
            )),
        };
    }
    if let Some(tz) = chrono_tz::TZ_VARIANTS
        .iter()
        .find(|tz| tz.name().eq_ignore_ascii_case(text.trim()))
    {
        return ZoneError {
            message: format!("unknown time zone `{text}` (zone names are case-sensitive)"),
            help: Some(format!("did you mean `{}`?", tz.name())),
        };
    }
    let suggestions = suggest(text, 3);
    ZoneError {
        message: format!("unknown time zone `{text}`"),
        help: Some(if suggestions.is_empty() {
            "use an IANA name such as Europe/Paris or America/Sao_Paulo, UTC, or a fixed offset such as UTC-3".into()
        } else {
            format!(
                "did you mean {}?",
                suggestions
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )
        }),
    }
}

/// The IANA names closest to `text`, best first: whole names and city parts are compared.
///
/// ```
/// assert_eq!(roundtable::zone::suggest("America/Sao_Paolo", 1), vec!["America/Sao_Paulo"]);
/// assert_eq!(roundtable::zone::suggest("Nairobi", 1), vec!["Africa/Nairobi"]);
/// ```
pub fn suggest(text: &str, most: usize) -> Vec<&'static str> {
    let wanted = text.trim().to_lowercase();
    let wanted_city = wanted.rsplit('/').next().unwrap_or(&wanted).to_string();
    let mut scored: Vec<(f64, &'static str)> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| {
            let name = tz.name();
            let lower = name.to_lowercase();
            let city = lower.rsplit('/').next().unwrap_or(&lower);
            let whole = strsim::jaro_winkler(&wanted, &lower);
            let by_city = strsim::jaro_winkler(&wanted_city, city) - 0.02;
            (whole.max(by_city), name)
        })
        .filter(|(score, _)| *score > 0.88)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(most).map(|(_, n)| n).collect()
}

/// `+HH:MM` / `-HH:MM` (ASCII), as in RFC 3339.
///
/// ```
/// use chrono::FixedOffset;
/// let o = FixedOffset::east_opt(-(3 * 3600 + 30 * 60)).unwrap();
/// assert_eq!(roundtable::zone::format_offset(o), "-03:30");
/// ```
pub fn format_offset(offset: FixedOffset) -> String {
    let secs = offset.local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.unsigned_abs();
    format!("{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60)
}

/// `UTC+05:45`, `UTC-03:00`, for text read by people: the same spelling as a fixed-offset
/// zone's [`ZoneSpec::label`], so that one text never mixes two.
///
/// ```
/// use chrono::FixedOffset;
/// let o = FixedOffset::east_opt(-3 * 3600).unwrap();
/// assert_eq!(roundtable::zone::describe_offset(o), "UTC-03:00");
/// ```
pub fn describe_offset(offset: FixedOffset) -> String {
    format!("UTC{}", format_offset(offset))
}
