//! How a span of time sits in one participant's day: minutes inside their working hours,
//! outside them, in their night, and whether it starts on their weekend. The one place this is
//! computed, for `check` (burden, night, outside-hours), `plan` (the score) and the page.

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc, Weekday};

use crate::hours::HoursRange;
use crate::zone::Zone;

/// The part of a participant that comfort depends on (many participants share one).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Profile {
    /// Their zone.
    pub zone: ZoneKey,
    /// Working hours, on the participant's local clock.
    pub working_hours: HoursRange,
    /// Night hours, on the participant's local clock (may cross midnight).
    pub night: HoursRange,
    /// Weekend days (as `Weekday::num_days_from_monday`, sorted).
    pub weekend: Vec<u8>,
}

/// A zone usable as a sort and hash key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ZoneKey {
    /// An IANA zone, by name.
    Iana(&'static str),
    /// A fixed offset in seconds.
    Fixed(i32),
}

impl ZoneKey {
    /// The key of a zone.
    pub fn of(zone: &Zone) -> Self {
        match zone {
            Zone::Iana(tz) => ZoneKey::Iana(tz.name()),
            Zone::Fixed(o) => ZoneKey::Fixed(o.local_minus_utc()),
        }
    }
}

/// Minutes of a span by comfort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Comfort {
    /// Inside working hours (and not in the night).
    pub inside: i64,
    /// Outside working hours, not in the night.
    pub outside: i64,
    /// In the night.
    pub night: i64,
    /// It starts on a local weekend day.
    pub weekend: bool,
}

impl Comfort {
    /// The planning score: +1 per minute inside working hours, 0 per minute outside them but
    /// not in the night, −2 per minute in the night, −60 when it starts on a local weekend day.
    pub fn score(&self) -> i64 {
        self.inside - 2 * self.night - if self.weekend { 60 } else { 0 }
    }
}

/// Comfort of `[start, start + minutes)` for someone in `zone` with these hours and weekend.
/// Minutes are counted on the local clock at the start's offset.
pub fn comfort(
    zone: &Zone,
    working_hours: &HoursRange,
    night: &HoursRange,
    weekend: &[Weekday],
    start: DateTime<Utc>,
    minutes: i64,
) -> Comfort {
    let local = zone.local(start).naive_local();
    comfort_at(local, working_hours, night, weekend, minutes)
}

/// [`comfort`] of a span that starts at `local` on the participant's clock (their zone's
/// offset at the start already applied: `check` has it for every participant and occurrence).
pub fn comfort_at(
    local: NaiveDateTime,
    working_hours: &HoursRange,
    night: &HoursRange,
    weekend: &[Weekday],
    minutes: i64,
) -> Comfort {
    let at = i64::from(local.hour() * 60 + local.minute());
    let n = night.overlap_minutes(at, minutes);
    let inside_any = working_hours.overlap_minutes(at, minutes);
    let both = working_hours.overlap_minutes_with(night, at, minutes);
    let inside = inside_any - both;
    Comfort {
        inside,
        outside: (minutes - inside - n).max(0),
        night: n,
        weekend: weekend.contains(&local.weekday()),
    }
}

/// The examples that were this module's doctests: a doctest cannot reach a crate-private
/// module, so they run here.
#[cfg(test)]
mod examples {
    #[test]
    fn score() {
        let c = crate::comfort::Comfort {
            inside: 90,
            outside: 20,
            night: 10,
            weekend: true,
        };
        assert_eq!(c.score(), 90 - 20 - 60);
    }
}
