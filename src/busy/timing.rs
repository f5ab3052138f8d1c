//! When an event is: its DTSTART, DTEND or DURATION and RECURRENCE-ID as instants.

use super::excerpt;
use super::lines::{Comp, Name, Prop};
use super::reader::Reader;
use super::spans::Around;
use super::values::{DT_HELP, DURATION_HELP, Dt, parse_dt, parse_duration};
use super::zones::{Key, Length, Timing, Tref, When};

use crate::civil::{Disambiguation, resolve};
use crate::recurrence::{Rule, Until};
use crate::zone::Zone;
use chrono::{DateTime, NaiveDateTime, NaiveTime, TimeDelta, Utc};

thread_local! {
    /// The instants civil times of zones were resolved to on this thread, across calendars:
    /// `check` resolves the starts and ends of 10,000 busy calendars, a million civil times
    /// nearly all among a few thousand (events begin on the hour or the half hour, within a few
    /// weeks, in a few dozen zones), and each is a search of the zone's transitions.
    ///
    /// A cache of [`SLOTS`] entries, each civil time in the one slot its hash picks, a newer
    /// one replacing an older: the key is the exact zone and civil time ([`key`]), so an answer
    /// is always [`resolve`]'s own, and a calendar written so that its times share slots (its
    /// content is anyone's) only misses, at the cost of resolving each time as if there were no
    /// cache. A hash table would have let such a calendar make each lookup a long search.
    static RESOLVED: std::cell::RefCell<Vec<Slot>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A civil time in a zone as its [`key`] (0: none), and the instant it resolved to, in
/// seconds since 1970 ([`OUT_OF_RANGE`]: none).
type Slot = (u64, i64);

/// The instant of a civil time that has none.
const OUT_OF_RANGE: i64 = i64::MIN;

/// How many civil times [`RESOLVED`] holds on a thread (512 KiB).
const SLOTS: usize = 1 << 15;

/// A zone and a civil time in whole seconds from the year 1 on as one number, never 0: the
/// zone in the top 21 bits (a zone of the tz database: bit 20 and its index; a fixed offset:
/// its seconds + 86,400, from 1 to 172,799), the civil time's seconds since 0001-01-01T00:00 in
/// the 43 below (they hold chrono's last year, 262,142). `None` for any other civil time (it
/// is not held).
fn key(zone: Zone, civil: NaiveDateTime) -> Option<u64> {
    use chrono::Timelike as _;
    const SINCE_YEAR_1: i64 = 62_135_596_800;
    const CIVIL_BITS: u32 = 43;
    let zone = match zone {
        Zone::Iana(tz) => (1 << 20) | tz as u64,
        // -86,399 to 86,399 seconds (chrono's bounds).
        Zone::Fixed(offset) => u64::try_from(offset.local_minus_utc() + 86_400).ok()?,
    };
    if civil.nanosecond() != 0 {
        return None;
    }
    let seconds = u64::try_from(civil.and_utc().timestamp() + SINCE_YEAR_1).ok()?;
    (seconds < 1 << CIVIL_BITS && zone < 1 << 21).then_some(zone << CIVIL_BITS | seconds)
}

/// The slot of `key` in [`RESOLVED`].
fn slot(key: u64) -> usize {
    super::slot_of(key, SLOTS)
}

/// `civil` in `zone` as an instant by the zone's one offset around it, when it has one: a fixed
/// offset (`resolve`'s own subtraction), or a span of an IANA zone around the window
/// ([`super::spans`]); `None` otherwise.
fn steady(zone: Zone, civil: NaiveDateTime, around: &Around) -> Option<DateTime<Utc>> {
    use chrono::Timelike as _;
    if civil.nanosecond() != 0 {
        return None;
    }
    match zone {
        Zone::Fixed(offset) => civil.checked_sub_offset(offset).map(|at| at.and_utc()),
        Zone::Iana(tz) => super::spans::instant(tz, civil, around),
    }
}

/// `civil` in `zone` as an instant, as the reader resolves every civil time ([`resolve`],
/// compatible), through this thread's [`RESOLVED`].
fn resolve_in(zone: Zone, civil: NaiveDateTime) -> Option<DateTime<Utc>> {
    let compute = || resolve(civil, &zone, Disambiguation::Compatible).ok();
    let Some(key) = key(zone, civil) else {
        return compute();
    };
    let at = slot(key);
    RESOLVED.with_borrow_mut(|memo| {
        if memo.len() != SLOTS {
            memo.resize(SLOTS, (0, OUT_OF_RANGE));
        }
        if let Some(&(held, seconds)) = memo.get(at)
            && held == key
        {
            return DateTime::from_timestamp(seconds, 0).filter(|_| seconds != OUT_OF_RANGE);
        }
        let instant = compute();
        // A civil time in whole seconds is an instant in whole seconds.
        let seconds = match instant {
            Some(i) if i.timestamp_subsec_nanos() == 0 => i.timestamp(),
            Some(_) => return instant,
            None => OUT_OF_RANGE,
        };
        if let Some(entry) = memo.get_mut(at) {
            *entry = (key, seconds);
        }
        instant
    })
}

impl<'a> Reader<'a> {
    pub(super) fn instant(&self, civil: NaiveDateTime, tref: Tref) -> Option<DateTime<Utc>> {
        match tref {
            Tref::Utc => return Some(civil.and_utc()),
            // Nearly every time: one subtraction.
            Tref::Zone(zone) => {
                if let Some(at) = steady(zone, civil, &self.around) {
                    return Some(at);
                }
            }
            Tref::Custom(_) => {}
        }
        // An event's start is asked for three times in a row (for its length, as its end's
        // start, as the series' first): the last two answers are at hand.
        let recent = self.resolved.get();
        if let Some((_, _, at)) = recent
            .iter()
            .flatten()
            .find(|(c, t, _)| *c == civil && *t == tref)
        {
            return Some(*at);
        }
        let at = match tref {
            Tref::Utc => civil.and_utc(),
            // Remembered on this thread, across calendars.
            Tref::Zone(zone) => resolve_in(zone, civil)?,
            Tref::Custom(i) => self.customs.get(i)?.resolve(civil)?,
        };
        let [newest, _] = recent;
        self.resolved.set([Some((civil, tref, at)), newest]);
        Some(at)
    }

    /// [`Self::instant`], with an error at `line` when the time is out of range.
    pub(super) fn instant_at(
        &mut self,
        civil: NaiveDateTime,
        tref: Tref,
        line: usize,
    ) -> Option<DateTime<Utc>> {
        let t = self.instant(civil, tref);
        if t.is_none() {
            self.diags.error_at(
                line,
                format!("{} is out of the range of dates roundtable reads", civil),
                "use dates between the years 1 and 9999",
            );
        }
        t
    }

    /// A rule's UNTIL as a civil time in the series' zone (UTC UNTILs converted).
    pub(super) fn until_civil(&self, rule: &Rule, tref: Tref) -> Option<NaiveDateTime> {
        match rule.until {
            Some(Until::Civil(u)) => Some(u),
            Some(Until::Instant(i)) => Some(self.civil_of(i, tref)),
            None => None,
        }
    }

    pub(super) fn civil_of(&self, instant: DateTime<Utc>, tref: Tref) -> NaiveDateTime {
        match tref {
            Tref::Utc => instant.naive_utc(),
            Tref::Zone(zone) => zone.local(instant).naive_local(),
            Tref::Custom(i) => self
                .customs
                .get(i)
                .map(|z| z.offset_at(instant))
                .and_then(|o| TimeDelta::try_seconds(i64::from(o.local_minus_utc())))
                .and_then(|d| instant.naive_utc().checked_add_signed(d))
                .unwrap_or(instant.naive_utc()),
        }
    }

    /// A DATE or DATE-TIME value of `prop`; a floating date-time is read in `floating`.
    pub(super) fn when(&mut self, prop: &Prop, text: &str, floating: Tref) -> Option<When> {
        let Some(dt) = parse_dt(text) else {
            self.diags.error_at(
                prop.line,
                format!(
                    "{} `{}` is not a date or date-time",
                    prop.name,
                    excerpt(text)
                ),
                DT_HELP,
            );
            return None;
        };
        Some(match dt {
            Dt::Date(d) => When {
                civil: d.and_time(NaiveTime::MIN),
                tref: Tref::Zone(self.local),
                date: true,
            },
            Dt::Time(civil, true) => When {
                civil,
                tref: Tref::Utc,
                date: false,
            },
            Dt::Time(civil, false) => {
                let tref = match prop.param_written("TZID") {
                    Some(tzid) => self.tzid(tzid, prop.line)?,
                    None => floating,
                };
                When {
                    civil,
                    tref,
                    date: false,
                }
            }
        })
    }

    pub(super) fn key(&mut self, prop: &Prop, text: &str, floating: Tref) -> Option<Key> {
        let w = self.when(prop, text, floating)?;
        if w.date {
            return Some(Key::Date(w.civil.date()));
        }
        self.instant_at(w.civil, w.tref, prop.line)
            .map(Key::Instant)
    }

    /// The zone of a VEVENT's DTSTART, without reporting anything (for floating RECURRENCE-IDs).
    pub(super) fn start_tref(&mut self, c: &Comp) -> Tref {
        let local = Tref::Zone(self.local);
        let Some(p) = c.prop(Name::Dtstart) else {
            return self.floating;
        };
        match parse_dt(p.value) {
            Some(Dt::Time(_, true)) => Tref::Utc,
            Some(Dt::Time(_, false)) => match p.param_written("TZID") {
                Some(tzid) => self.tzid(tzid, p.line).unwrap_or(local),
                None => self.floating,
            },
            _ => local,
        }
    }

    pub(super) fn recurrence_id(&mut self, c: &Comp) -> Option<Key> {
        let p = c.prop(Name::RecurrenceId)?;
        let floating = self.start_tref(c);
        self.key(p, p.value, floating)
    }

    pub(super) fn timing(&mut self, c: &Comp, fallback: Option<Length>) -> Option<Timing> {
        let Some(p) = c.prop(Name::Dtstart) else {
            self.diags.error_at(
                c.line,
                "VEVENT without DTSTART",
                "add DTSTART (e.g. DTSTART;TZID=Europe/Paris:20240115T090000), or remove the event",
            );
            return None;
        };
        let start = self.when(p, p.value, self.floating)?;
        let length = if let Some(e) = c.prop(Name::Dtend) {
            self.length_to_end(p, start, e)?
        } else if let Some(d) = c.prop(Name::Duration) {
            self.duration_length(d)?
        } else if let Some(f) = fallback {
            f
        } else if start.date {
            Length::Nominal {
                days: 1,
                exact: TimeDelta::zero(),
            }
        } else {
            Length::Exact(TimeDelta::zero())
        };
        Some(Timing { start, length })
    }

    /// The length from DTSTART `p` (read as `start`) to DTEND `e`.
    fn length_to_end(&mut self, p: &Prop, start: When, e: &Prop) -> Option<Length> {
        let end = self.when(e, e.value, start.tref)?;
        match (start.date, end.date) {
            (true, true) => {
                let days = (end.civil.date() - start.civil.date()).num_days();
                if days < 0 {
                    self.diags.error_at(
                        e.line,
                        "DTEND is before DTSTART",
                        "DTEND is the day after the last day of an all-day event",
                    );
                    return None;
                }
                Some(Length::Nominal {
                    days: days.max(1),
                    exact: TimeDelta::zero(),
                })
            }
            (false, false) => {
                let s = self.instant_at(start.civil, start.tref, p.line)?;
                let e_at = self.instant_at(end.civil, end.tref, e.line)?;
                if e_at < s {
                    self.diags.error_at(
                        e.line,
                        format!(
                            "DTEND ({}) is before DTSTART ({})",
                            e_at.format("%Y-%m-%dT%H:%M:%SZ"),
                            s.format("%Y-%m-%dT%H:%M:%SZ")
                        ),
                        "swap DTSTART and DTEND, or fix the date",
                    );
                    return None;
                }
                Some(Length::Between {
                    start: s,
                    end: e_at,
                })
            }
            _ => {
                self.diags.error_at(
                    e.line,
                    "DTSTART and DTEND must both be dates (all-day) or both date-times",
                    "write both as VALUE=DATE (20240115) or both as date-times (20240115T090000)",
                );
                None
            }
        }
    }

    fn duration_length(&mut self, d: &Prop) -> Option<Length> {
        match parse_duration(d.value) {
            Some(dur) if !dur.negative => Some(Length::Nominal {
                days: dur.days,
                exact: dur.exact,
            }),
            _ => {
                self.diags.error_at(
                    d.line,
                    format!("DURATION `{}` is not a duration", excerpt(d.value)),
                    DURATION_HELP,
                );
                None
            }
        }
    }

    pub(super) fn end_of(
        &mut self,
        civil: NaiveDateTime,
        start: DateTime<Utc>,
        tref: Tref,
        length: Length,
        line: usize,
    ) -> Option<DateTime<Utc>> {
        let end = match length {
            Length::Exact(d) => start.checked_add_signed(d),
            Length::Between { start: s, end: e } if start == s => Some(e),
            Length::Between { start: s, end: e } => start.checked_add_signed(e - s),
            Length::Nominal { days, exact } => TimeDelta::try_days(days)
                .and_then(|d| civil.checked_add_signed(d))
                .and_then(|c| self.instant(c, tref))
                .and_then(|t| t.checked_add_signed(exact)),
        };
        if end.is_none() {
            self.diags.error_at(
                line,
                "the event ends out of the range of dates roundtable reads",
                "check DTEND or DURATION",
            );
        }
        end
    }

    // --- recurrence --------------------------------------------------------------------------
}

#[cfg(test)]
mod tests {
    use super::*;

    fn civil(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    /// Keys tell every zone of the database and every fixed offset apart, and civil times a
    /// second apart from the year 1 to chrono's last; nothing else has one.
    #[test]
    fn keys_are_one_per_zone_and_civil_time() {
        use chrono::{FixedOffset, Timelike as _};
        let first = civil("0001-01-01T00:00");
        let last = NaiveDateTime::MAX.with_nanosecond(0).unwrap();
        let mut zones: Vec<Zone> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|&tz| Zone::Iana(tz))
            .collect();
        zones.extend(
            [-86_399, -3600, 0, 1, 3600, 86_399]
                .map(|s| Zone::Fixed(FixedOffset::east_opt(s).unwrap())),
        );
        let mut keys = std::collections::HashSet::new();
        for &zone in &zones {
            for c in [
                first,
                first + TimeDelta::seconds(1),
                civil("2024-03-31T02:30"),
                last,
            ] {
                let k = key(zone, c).unwrap();
                assert_ne!(k, 0);
                assert!(keys.insert(k), "{zone:?} {c}");
            }
            assert_eq!(key(zone, first - TimeDelta::seconds(1)), None);
            assert_eq!(key(zone, first + TimeDelta::milliseconds(1)), None);
        }
        assert_eq!(keys.len(), zones.len() * 4);
        // Not held, and still answered.
        let paris = Zone::Iana(chrono_tz::Europe::Paris);
        let odd = civil("2024-07-01T09:00") + TimeDelta::milliseconds(500);
        assert_eq!(
            resolve_in(paris, odd),
            resolve(odd, &paris, Disambiguation::Compatible).ok()
        );
    }

    #[test]
    fn the_memo_answers_as_resolve_does_in_gaps_folds_and_past_its_capacity() {
        let paris = Zone::Iana(chrono_tz::Europe::Paris);
        let gap = civil("2024-03-31T02:30");
        let fold = civil("2024-10-27T02:30");
        let plain = civil("2024-07-01T09:00");
        let resolved = |c| resolve(c, &paris, Disambiguation::Compatible).ok();
        // Asked twice: computed, then remembered.
        for _ in 0..2 {
            for c in [gap, fold, plain] {
                assert_eq!(resolve_in(paris, c), resolved(c));
            }
        }
        // The same civil time in another zone is another entry.
        let new_york = Zone::Iana(chrono_tz::America::New_York);
        assert_eq!(
            resolve_in(new_york, plain),
            resolve(plain, &new_york, Disambiguation::Compatible).ok()
        );
        // More distinct times than it holds, twice: newer ones replace older ones, and every
        // answer is still resolve's.
        let start = civil("2024-01-01T00:00");
        for _ in 0..2 {
            for i in 0..SLOTS as i64 + 10 {
                let c = start + TimeDelta::minutes(i);
                assert_eq!(resolve_in(paris, c), resolved(c));
            }
        }
        assert_eq!(RESOLVED.with_borrow(Vec::len), SLOTS);
        assert_eq!(resolve_in(paris, fold), resolved(fold));
        // Times that share a slot push each other out, and still answer right.
        let slot_of = |c| slot(key(paris, c).unwrap());
        let crowded: Vec<NaiveDateTime> = (0..200_000)
            .map(|i| start + TimeDelta::minutes(i))
            .filter(|c| slot_of(*c) == slot_of(gap))
            .take(4)
            .collect();
        assert!(crowded.len() >= 2, "{crowded:?}");
        for _ in 0..2 {
            for &c in crowded.iter().chain([&gap]) {
                assert_eq!(resolve_in(paris, c), resolved(c));
            }
        }
    }
}
