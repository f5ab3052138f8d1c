//! Recurrence rules (RFC 5545 RRULE), expanded in **civil time** in the session's zone.
//!
//! The rrule crate parses and expands the rule; it is run over civil date-times dressed as UTC,
//! where no day has a gap or a fold, so that no occurrence is ever dropped or moved by it (rrule
//! 0.14 silently drops an occurrence whose local midnight falls in a gap). Each civil occurrence is
//! then resolved to an instant by [`crate::civil::resolve`], with the session's policy.

use std::str::FromStr;

use chrono::{DateTime, Datelike as _, Duration, NaiveDate, NaiveDateTime, Timelike as _, Utc};
use rrule::{RRule, Unvalidated};

use crate::zone::Zone;

/// At most this many occurrences per session.
pub const MAX_OCCURRENCES: usize = 1000;
/// A rule without `COUNT` or `UNTIL` stops this many days after the start.
pub const HORIZON_DAYS: i64 = 366;

/// Where a rule stops, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// `UNTIL=20231219T235959`: a civil date-time in the session's zone.
    Civil(NaiveDateTime),
    /// `UNTIL=20231219T225959Z`: an instant.
    Instant(DateTime<Utc>),
}

/// A parsed recurrence rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The rule without `UNTIL`, as the rrule crate parsed it.
    rule: RRule<Unvalidated>,
    /// The rule's text without any `RRULE:` prefix and without `UNTIL`, normalized.
    pub body: String,
    /// `UNTIL`, when given.
    pub until: Option<Until>,
    /// Whether `COUNT` was given.
    pub has_count: bool,
}

/// The civil occurrences of a rule, and whether the horizon cut an unbounded rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// Civil start times, ascending.
    pub starts: Vec<NaiveDateTime>,
    /// The rule had neither COUNT nor UNTIL and was stopped at [`HORIZON_DAYS`].
    pub cut_at_horizon: bool,
}

impl FromStr for Rule {
    type Err = String;

    /// Parses an RRULE value (an `RRULE:` prefix is accepted).
    ///
    /// ```
    /// let rule: roundtable::recurrence::Rule =
    ///     "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20231219T235959".parse().unwrap();
    /// assert!(rule.until.is_some());
    /// assert!("FREQ=FORTNIGHTLY".parse::<roundtable::recurrence::Rule>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let body = trimmed
            .strip_prefix("RRULE:")
            .or_else(|| trimmed.strip_prefix("rrule:"))
            .unwrap_or(trimmed);
        if body.contains('\n') || body.contains(':') {
            return Err(
                "the rule must be one RRULE value such as FREQ=WEEKLY;BYDAY=MO (no DTSTART or other properties; the session's `start` is its DTSTART)"
                    .into(),
            );
        }
        // RRULE syntax is ASCII, and the rrule crate panics on some non-ASCII BYDAY values.
        if let Some(c) = body.chars().find(|c| !c.is_ascii()) {
            return Err(format!(
                "the rule contains `{c}`; write it in ASCII, such as FREQ=WEEKLY;BYDAY=MO,WE"
            ));
        }
        let mut until = None;
        let mut has_count = false;
        let mut parts = Vec::new();
        for part in body.split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not of the form KEY=VALUE"))?;
            let key = key.trim().to_ascii_uppercase();
            match key.as_str() {
                "UNTIL" => {
                    if until.is_some() {
                        return Err("UNTIL is given twice".into());
                    }
                    until = Some(parse_until(value.trim())?);
                }
                "COUNT" => {
                    has_count = true;
                    parts.push(format!("{key}={}", value.trim()));
                }
                "DTSTART" | "TZID" => {
                    return Err(format!(
                        "{key} does not belong in the rule; the session's `start` and `timezone` give it"
                    ));
                }
                _ => parts.push(format!("{key}={}", value.trim())),
            }
        }
        if until.is_some() && has_count {
            return Err("a rule may have COUNT or UNTIL, not both (RFC 5545)".into());
        }
        let body = parts.join(";");
        let rule = RRule::<Unvalidated>::from_str(&body).map_err(|e| e.to_string())?;
        Ok(Rule {
            rule,
            body,
            until,
            has_count,
        })
    }
}

/// The years the rrule crate expands (its `YEAR_RANGE`, which it does not export): it stops
/// past them, and fails to build from a start outside them.
const RRULE_YEARS: std::ops::RangeInclusive<i32> = -10_000..=10_000;

/// The starts of a rule that steps by whole days ([`Rule::plain_steps`]), in order; it ends
/// after its COUNT, or past the year 10,000 as the rrule crate does.
#[derive(Debug, Clone)]
pub(crate) struct PlainSteps {
    next: Option<NaiveDateTime>,
    step: Duration,
    left: Option<u32>,
}

impl Iterator for PlainSteps {
    type Item = NaiveDateTime;

    fn next(&mut self) -> Option<NaiveDateTime> {
        if self.left == Some(0) {
            return None;
        }
        // The rrule crate stops past its years.
        let this = self.next.filter(|t| RRULE_YEARS.contains(&t.year()))?;
        self.next = this.checked_add_signed(self.step);
        self.left = self.left.map(|n| n - 1);
        Some(this)
    }
}

/// The parts of an RFC 5545 rule (section 3.3.10).
const PARTS: [&str; 14] = [
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
];
const FREQUENCIES: [&str; 7] = [
    "SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY",
];
const WEEKDAYS: [&str; 7] = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/// Why a rule is not written as RFC 5545 allows, and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictError {
    /// What is wrong.
    pub message: String,
    /// The fix: the rule as it should be written, when it can be.
    pub help: String,
}

/// Checks that `text` is an RRULE value exactly as RFC 5545 writes it: no spaces, part names and
/// values in upper case, only the parts of the RFC, each once, FREQ given, and well-formed
/// values. Calendar clients are strict where roundtable's parser is lenient (`BYDAY=TU, WE` is
/// read as two days by some and one by others), so a rule is written out only when it passes.
/// Texts that are not a single rule at all (a `DTSTART` part, a second line, non-ASCII text)
/// are left to [`Rule::from_str`], whose messages say what to do with them.
///
/// ```
/// use roundtable::recurrence::check_strict;
/// assert!(check_strict("FREQ=DAILY;COUNT=2;BYDAY=TU,WE").is_ok());
/// let e = check_strict("FREQ=DAILY;COUNT=2;BYDAY=TU, WE").unwrap_err();
/// assert!(e.help.contains("did you mean FREQ=DAILY;COUNT=2;BYDAY=TU,WE"));
/// assert!(check_strict("freq=weekly").unwrap_err().help.contains("FREQ=WEEKLY"));
/// assert!(check_strict("FREQ=WEEKLY;COLOR=RED").is_err());
/// ```
pub fn check_strict(text: &str) -> Result<(), StrictError> {
    let body = text.strip_prefix("RRULE:").unwrap_or(text);
    if body.contains([':', '\n', '\r']) || !body.is_ascii() {
        return Ok(());
    }
    // The rule as it should be written: no whitespace, upper case, no empty parts.
    let fixed: String = body
        .split(';')
        .map(|p| {
            p.chars()
                .filter(|c| !c.is_ascii_whitespace())
                .collect::<String>()
                .to_ascii_uppercase()
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(";");
    let fixable = check_parts(&fixed).is_ok();
    let did_you_mean = || {
        if fixable {
            format!("did you mean {fixed}?")
        } else {
            format!(
                "write the rule without spaces, in upper case, such as FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4 (cleaned up: {fixed})"
            )
        }
    };
    if body.chars().any(|c| c.is_ascii_whitespace()) {
        return Err(StrictError {
            message: "the rule contains spaces, which RFC 5545 does not allow (calendar apps read `BYDAY=TU, WE` differently: some see one day)".into(),
            help: did_you_mean(),
        });
    }
    if body.chars().any(|c| c.is_ascii_lowercase()) {
        return Err(StrictError {
            message: "the rule is written in lower case; RFC 5545 names and values are upper case"
                .into(),
            help: did_you_mean(),
        });
    }
    if body.split(';').any(str::is_empty) {
        return Err(StrictError {
            message: "the rule has an empty part (`;;`, or `;` at an end)".into(),
            help: did_you_mean(),
        });
    }
    check_parts(body)
}

/// The parts of a rule already free of spaces and in upper case.
fn check_parts(body: &str) -> Result<(), StrictError> {
    let mut seen: Vec<&str> = Vec::new();
    for part in body.split(';') {
        let Some((key, value)) = part.split_once('=') else {
            return Err(StrictError {
                message: format!("`{part}` is not of the form NAME=VALUE"),
                help: "write the rule as NAME=VALUE parts separated by `;`, such as FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4".into(),
            });
        };
        if matches!(key, "DTSTART" | "TZID") {
            // Rule::from_str says where these belong.
            continue;
        }
        if !PARTS.contains(&key) {
            let help = match crate::error::did_you_mean(key, PARTS) {
                Some(s) => format!(
                    "did you mean {s}? The parts of a rule are {}",
                    PARTS.join(", ")
                ),
                None => format!("remove it: the parts of a rule are {}", PARTS.join(", ")),
            };
            return Err(StrictError {
                message: format!("`{key}` is not a part of an RFC 5545 rule"),
                help,
            });
        }
        if seen.contains(&key) {
            return Err(StrictError {
                message: format!("{key} is given twice"),
                help: format!("keep one {key}"),
            });
        }
        seen.push(key);
        check_value(key, value)?;
    }
    if !seen.contains(&"FREQ") {
        return Err(StrictError {
            message: "the rule has no FREQ".into(),
            help: "start the rule with its frequency, such as FREQ=WEEKLY".into(),
        });
    }
    Ok(())
}

/// One part's value (RFC 5545 section 3.3.10).
fn check_value(key: &str, value: &str) -> Result<(), StrictError> {
    let bad = |accepted: &str| StrictError {
        message: format!("{key}={value} is not a valid value of {key}"),
        help: format!("{key} takes {accepted}"),
    };
    let number = |v: &str, low: u32, high: u32, signed: bool| {
        let digits = if signed {
            v.strip_prefix(['+', '-']).unwrap_or(v)
        } else {
            v
        };
        !digits.is_empty()
            && digits.len() <= 4
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits
                .parse::<u32>()
                .is_ok_and(|n| (low..=high).contains(&n))
    };
    let list = |ok: &dyn Fn(&str) -> bool| !value.is_empty() && value.split(',').all(ok);
    let ok = match key {
        "FREQ" => FREQUENCIES.contains(&value),
        "UNTIL" => {
            return parse_until(value)
                .map(|_| ())
                .map_err(|message| StrictError {
                    message,
                    help: "write UNTIL as 20231219T235959 or 20231219T225959Z".into(),
                });
        }
        "COUNT" | "INTERVAL" => number(value, 1, 9999, false),
        "BYSECOND" => list(&|v| number(v, 0, 60, false)),
        "BYMINUTE" => list(&|v| number(v, 0, 59, false)),
        "BYHOUR" => list(&|v| number(v, 0, 23, false)),
        "BYMONTHDAY" => list(&|v| number(v, 1, 31, true)),
        "BYYEARDAY" | "BYSETPOS" => list(&|v| number(v, 1, 366, true)),
        "BYWEEKNO" => list(&|v| number(v, 1, 53, true)),
        "BYMONTH" => list(&|v| number(v, 1, 12, false)),
        "WKST" => WEEKDAYS.contains(&value),
        "BYDAY" => list(&|v| {
            let day = v.get(v.len().saturating_sub(2)..).unwrap_or_default();
            let ordinal = v.get(..v.len().saturating_sub(2)).unwrap_or_default();
            WEEKDAYS.contains(&day) && (ordinal.is_empty() || number(ordinal, 1, 53, true))
        }),
        _ => true,
    };
    if ok {
        return Ok(());
    }
    Err(match key {
        "FREQ" => StrictError {
            message: format!("FREQ={value} is not a frequency"),
            help: format!(
                "FREQ is one of {}; every two weeks is FREQ=WEEKLY;INTERVAL=2",
                FREQUENCIES.join(", ")
            ),
        },
        "COUNT" | "INTERVAL" => bad("a whole number from 1"),
        "BYDAY" | "WKST" => bad(
            "days written SU, MO, TU, WE, TH, FR, SA (BYDAY also 1MO, -1FR), separated by commas",
        ),
        _ => bad("whole numbers in its range, separated by commas"),
    })
}

fn parse_until(value: &str) -> Result<Until, String> {
    let bad = || {
        format!(
            "UNTIL=`{value}` is not a date-time; write it as 20231219T235959 (civil, in the session's zone) or 20231219T225959Z (UTC)"
        )
    };
    let (text, utc) = match value.strip_suffix('Z').or_else(|| value.strip_suffix('z')) {
        Some(t) => (t, true),
        None => (value, false),
    };
    let civil = if text.len() == 8 {
        NaiveDate::parse_from_str(text, "%Y%m%d")
            .map_err(|_| bad())?
            .and_hms_opt(23, 59, 59)
            .ok_or_else(bad)?
    } else {
        NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").map_err(|_| bad())?
    };
    Ok(if utc {
        Until::Instant(civil.and_utc())
    } else {
        Until::Civil(civil)
    })
}

/// Why a rule could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    /// The rule itself is wrong (the message says how).
    #[error("{0}")]
    Rule(String),
    /// The session's `start` is not an occurrence of the rule.
    #[error("{0}")]
    StartNotAnOccurrence(String),
}

impl Rule {
    /// The rule without `UNTIL`, as the rrule crate parsed it, to be built from a start (the
    /// text is not parsed again).
    pub(crate) fn unvalidated(&self) -> RRule<Unvalidated> {
        self.rule.clone()
    }

    /// The civil starts of a rule that only steps by whole days or weeks (FREQ=DAILY or
    /// WEEKLY, with at most INTERVAL, COUNT and WKST: by far the most common rules in busy
    /// calendars), from `start` on, without the rrule crate: the same starts it gives, at a
    /// small part of the cost of building and iterating its rule set (25,000 instructions a
    /// series, a twentieth of `check`, issue 19). `None` for any other rule.
    ///
    /// The same starts because, run over civil times dressed as UTC (see the module), such a
    /// rule takes the hour, minute and second of `start` and, weekly, its weekday; every day
    /// has that time, so every period gives exactly one start: `start`, then one `INTERVAL`
    /// days (or weeks) later, `COUNT` of them at most. (WKST matters only with BYDAY.) The
    /// tests compare the two.
    pub(crate) fn plain_steps(&self, start: NaiveDateTime) -> Option<PlainSteps> {
        let only_plain_parts = self.body.split(';').all(|part| {
            let key = part.split_once('=').map_or(part, |(k, _)| k);
            matches!(key, "FREQ" | "INTERVAL" | "COUNT" | "WKST")
        });
        let days = match self.rule.get_freq() {
            rrule::Frequency::Daily => 1,
            rrule::Frequency::Weekly => 7,
            _ => return None,
        };
        let interval = self.rule.get_interval();
        let count = self.rule.get_count();
        if !only_plain_parts
            || interval == 0
            || count == Some(0)
            || start.nanosecond() != 0
            || !RRULE_YEARS.contains(&start.year())
        {
            return None;
        }
        Some(PlainSteps {
            next: Some(start),
            step: Duration::days(days * i64::from(interval)),
            left: count,
        })
    }

    /// Expands the rule from the civil `start` in `zone` (used only to read an UTC `UNTIL` as
    /// civil time). The first occurrence must be `start` itself: RFC 5545 leaves a DTSTART that
    /// does not match its rule undefined, and calendar clients disagree on it.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use roundtable::recurrence::Rule;
    /// use roundtable::zone::ZoneSpec;
    /// let rule: Rule = "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20231219T235959".parse().unwrap();
    /// let start = NaiveDate::from_ymd_opt(2023, 12, 13).unwrap().and_hms_opt(9, 0, 0).unwrap();
    /// let cet: ZoneSpec = "CET".parse().unwrap();
    /// let days: Vec<u32> = rule.expand(start, &cet.zone).unwrap().starts.iter()
    ///     .map(|d| chrono::Datelike::day(d)).collect();
    /// assert_eq!(days, vec![13, 14, 15, 18, 19]);
    /// ```
    pub fn expand(&self, start: NaiveDateTime, zone: &Zone) -> Result<Expansion, ExpandError> {
        let until_civil = match self.until {
            Some(Until::Civil(c)) => Some(c),
            Some(Until::Instant(i)) => Some(zone.local(i).naive_local()),
            None => None,
        };
        if let Some(u) = until_civil
            && u < start
        {
            return Err(ExpandError::Rule(format!(
                "UNTIL ({}) is before the session's start ({}); set UNTIL after the start, or remove it",
                u.format("%Y-%m-%dT%H:%M:%S"),
                start.format("%Y-%m-%dT%H:%M")
            )));
        }
        let unbounded = until_civil.is_none() && !self.has_count;
        let horizon = start
            .checked_add_signed(Duration::days(HORIZON_DAYS))
            .unwrap_or(NaiveDateTime::MAX);
        let dtstart = start.and_utc().with_timezone(&rrule::Tz::UTC);
        let set = self
            .unvalidated()
            .build(dtstart)
            .map_err(|e| ExpandError::Rule(format!("{e}; check the rule against RFC 5545")))?
            .limit();
        let mut starts = Vec::new();
        let mut cut_at_horizon = false;
        for occurrence in &set {
            let civil = occurrence.naive_utc();
            if let Some(u) = until_civil
                && civil > u
            {
                break;
            }
            if unbounded && civil >= horizon {
                cut_at_horizon = true;
                break;
            }
            if starts.len() == MAX_OCCURRENCES {
                return Err(ExpandError::Rule(format!(
                    "the rule gives more than {MAX_OCCURRENCES} occurrences, the limit per session; shorten it with COUNT or UNTIL, or split the session"
                )));
            }
            starts.push(civil);
        }
        match starts.first() {
            None => Err(ExpandError::Rule(
                "the rule gives no occurrence at all; check its BY… parts against `start`".into(),
            )),
            Some(first) if *first != start => Err(ExpandError::StartNotAnOccurrence(format!(
                "`start` ({}) is not itself an occurrence of the rule (the first is {}); calendar clients disagree on such a start, so move `start` to the first occurrence",
                start.format("%a %Y-%m-%dT%H:%M"),
                first.format("%a %Y-%m-%dT%H:%M")
            ))),
            Some(_) => Ok(Expansion {
                starts,
                cut_at_horizon,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The starts the rrule crate gives for `rule` from `start` (run as roundtable runs it:
    /// civil time dressed as UTC), at most `n`.
    fn by_rrule(rule: &Rule, start: NaiveDateTime, n: usize) -> Vec<NaiveDateTime> {
        let set = rule
            .unvalidated()
            .build(start.and_utc().with_timezone(&rrule::Tz::UTC))
            .unwrap()
            .limit();
        set.into_iter().take(n).map(|o| o.naive_utc()).collect()
    }

    /// Plain daily and weekly rules step as the rrule crate does, across month and year ends,
    /// leap days and the last second of a day; every other rule is left to it.
    #[test]
    fn plain_steps_are_the_rrule_crates_starts() {
        let starts = [
            "2023-10-26T18:00:00",
            "2024-02-29T23:59:59",
            "2023-12-31T00:00:00",
            "2024-01-31T12:30:00",
            "1970-01-01T00:00:00",
            "0001-01-01T09:00:00",
            "9999-11-01T09:00:00",
        ]
        .map(|s| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap());
        let mut compared = 0;
        for freq in ["DAILY", "WEEKLY", "daily"] {
            for interval in [
                "",
                ";INTERVAL=1",
                ";INTERVAL=2",
                ";INTERVAL=3",
                ";INTERVAL=52",
            ] {
                for count in ["", ";COUNT=1", ";COUNT=2", ";COUNT=7"] {
                    for wkst in ["", ";WKST=MO", ";WKST=SU"] {
                        let text = format!("FREQ={freq}{interval}{count}{wkst}");
                        let rule: Rule = text.parse().unwrap();
                        for start in starts {
                            let ours: Vec<NaiveDateTime> =
                                rule.plain_steps(start).unwrap().take(40).collect();
                            assert_eq!(ours, by_rrule(&rule, start, 40), "{text} from {start}");
                            compared += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(compared, 3 * 5 * 4 * 3 * starts.len());
        let start = starts[0];
        for other in [
            "FREQ=WEEKLY;BYDAY=MO,WE",
            "FREQ=DAILY;BYHOUR=9,10",
            "FREQ=DAILY;BYMONTH=1",
            "FREQ=MONTHLY",
            "FREQ=YEARLY;COUNT=3",
            "FREQ=HOURLY;BYMINUTE=0",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=DAILY;COUNT=0",
            "FREQ=WEEKLY;BYSETPOS=1;BYDAY=MO",
        ] {
            let rule: Rule = other.parse().unwrap();
            assert!(rule.plain_steps(start).is_none(), "{other}");
        }
        // A rule that stops at UNTIL is plain too: UNTIL is the caller's (not in the body).
        let until: Rule = "FREQ=DAILY;UNTIL=20231231T000000Z".parse().unwrap();
        assert_eq!(until.plain_steps(start).unwrap().take(3).count(), 3);
    }
}
