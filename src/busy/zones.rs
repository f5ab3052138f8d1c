//! What the times of a file are relative to: UTC, an IANA or Windows zone, or a zone the file
//! defines with a VTIMEZONE.

use super::lines::{Comp, Name};
use super::reader::Reader;
use super::values::{DT_HELP, Dt, parse_dt, parse_offset, unescape_tzid};
use super::{MAX_ONSETS, excerpt, windows_zones};
use crate::recurrence::Until;
use crate::zone::{Zone, ZoneSpec, suggest};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use std::str::FromStr;

/// What a local time is relative to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tref {
    Utc,
    /// An IANA zone or a fixed offset (resolved by [`crate::civil::resolve`]).
    Zone(Zone),
    /// A zone defined by a VTIMEZONE of the file: index into `Reader::customs`.
    Custom(usize),
}

/// A zone read from a VTIMEZONE: its offset changes, sorted.
#[derive(Debug, Clone)]
pub(super) struct CustomZone {
    /// The offset before the first change.
    pub(super) initial: FixedOffset,
    /// (first instant of the new offset, new offset).
    pub(super) changes: Vec<(DateTime<Utc>, FixedOffset)>,
}

impl CustomZone {
    pub(super) fn offset_at(&self, t: DateTime<Utc>) -> FixedOffset {
        let i = self.changes.partition_point(|(at, _)| *at <= t);
        match i.checked_sub(1).and_then(|j| self.changes.get(j)) {
            Some((_, o)) => *o,
            None => self.initial,
        }
    }

    /// Civil → instant with the compatible rule: a repeated time is its first occurrence, a
    /// skipped time is read with the offset before the gap.
    pub(super) fn resolve(&self, civil: NaiveDateTime) -> Option<DateTime<Utc>> {
        let at = |o: FixedOffset| {
            civil
                .checked_sub_signed(TimeDelta::try_seconds(i64::from(o.local_minus_utc()))?)
                .map(|c| c.and_utc())
        };
        let guess = civil.and_utc();
        let margin = TimeDelta::try_days(2)?;
        let lo = guess.checked_sub_signed(margin)?;
        let hi = guess.checked_add_signed(margin)?;
        let before = self.offset_at(lo);
        let after = self.offset_at(hi);
        let from = self.changes.partition_point(|(t, _)| *t < lo);
        let to = self.changes.partition_point(|(t, _)| *t <= hi);
        let mut candidates = vec![before, after];
        candidates.extend(
            self.changes
                .get(from..to)
                .unwrap_or_default()
                .iter()
                .map(|(_, o)| *o),
        );
        let valid = candidates
            .iter()
            .filter_map(|o| at(*o).filter(|t| self.offset_at(*t) == *o))
            .min();
        match valid {
            Some(t) => Some(t),
            None => {
                // A gap: the offset before it gives the later instant (the time moved forward).
                let (x, y) = (at(before)?, at(after)?);
                Some(x.max(y))
            }
        }
    }
}

/// A key matching an occurrence: its start instant, or (for a DATE value) its local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Key {
    Instant(DateTime<Utc>),
    Date(NaiveDate),
}

impl Key {
    pub(super) fn matches(&self, start: DateTime<Utc>, civil: NaiveDateTime) -> bool {
        match self {
            Key::Instant(i) => *i == start,
            Key::Date(d) => civil.date() == *d,
        }
    }
}

/// A local time with what it is relative to.
#[derive(Debug, Clone, Copy)]
pub(super) struct When {
    pub(super) civil: NaiveDateTime,
    pub(super) tref: Tref,
    /// A DATE value (all-day).
    pub(super) date: bool,
}

/// How long each occurrence lasts.
#[derive(Debug, Clone, Copy)]
pub(super) enum Length {
    /// The same elapsed time.
    Exact(TimeDelta),
    /// The elapsed time from DTSTART to DTEND (date-times), kept as the two instants: the
    /// occurrence at DTSTART, most events' only one, ends at DTEND without the difference
    /// being taken and added back (issue 19).
    Between {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// Whole local days, then an elapsed time.
    Nominal { days: i64, exact: TimeDelta },
}

/// DTSTART and length of a VEVENT.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timing {
    pub(super) start: When,
    pub(super) length: Length,
}

impl<'a> Reader<'a> {
    /// The zone a TZID parameter names, as `written` in the file (RFC 6868 escapes not yet
    /// decoded): looked up once per file (an unknown TZID is reported once).
    pub(super) fn tzid(&mut self, written: &str, line: usize) -> Option<Tref> {
        // Most files name one or two zones over and over: the last one is compared as written
        // before anything is decoded or hashed.
        if let Some((name, known)) = &self.last_tzid
            && name == written
        {
            return *known;
        }
        let tzid = &*super::lines::decode_param(written);
        let resolved = match self.zones.get(tzid) {
            Some(known) => *known,
            None => {
                let resolved = self.resolve_tzid(tzid, line);
                self.zones.insert(tzid.to_string(), resolved);
                resolved
            }
        };
        let last = self.last_tzid.get_or_insert_with(|| (String::new(), None));
        last.0.clear();
        last.0.push_str(written);
        last.1 = resolved;
        resolved
    }

    pub(super) fn resolve_tzid(&mut self, tzid: &str, line: usize) -> Option<Tref> {
        if let Some(found) = self.find_tzid(tzid) {
            return found;
        }
        let name = tzid.trim();
        let mut help = "define it with a VTIMEZONE block in the file (export the calendar again with its time zones), or write an IANA name such as Europe/Paris or a Windows name such as W. Europe Standard Time".to_string();
        if let Some(s) = suggest(name, 1).first() {
            help = format!("did you mean `{s}`? Otherwise {help}");
        }
        self.diags.error_at(
            line,
            format!(
                "unknown time zone TZID=\"{}\": not an IANA name, not a Windows zone name, and no VTIMEZONE in the file defines it",
                excerpt(tzid)
            ),
            help,
        );
        None
    }

    /// The zone `tzid` names: `None` when nothing defines it; `Some(None)` when a VTIMEZONE of
    /// the file defines it but cannot be read (the errors are reported).
    pub(super) fn find_tzid(&mut self, tzid: &str) -> Option<Option<Tref>> {
        let name = tzid.trim();
        if let Ok(spec) = ZoneSpec::from_str(name)
            && matches!(spec.zone, Zone::Iana(_))
        {
            return Some(Some(Tref::Zone(spec.zone)));
        }
        let windows = name.strip_prefix("tzone://Microsoft/").unwrap_or(name);
        // A Windows id, or a display name Outlook 2007 / Exchange 2010 wrote instead ("(UTC+07:00)
        // Bangkok, Hanoi, Jakarta", legacy "Kuala Lumpur, Singapore"; also escaped as TEXT).
        let unescaped = unescape_tzid(windows);
        let id = windows_zones::lookup(windows)
            .map(|_| windows)
            .or_else(|| super::windows_display_names::lookup(&unescaped));
        if let Some(iana) = id.and_then(windows_zones::lookup)
            && let Ok(spec) = ZoneSpec::from_str(iana)
        {
            return Some(Some(Tref::Zone(spec.zone)));
        }
        let defined = self
            .vtimezones
            .get(name)
            .or_else(|| self.vtimezones.get(unescape_tzid(name).as_ref()))
            .copied();
        if let Some(comp) = defined {
            let Some(zone) = self.custom_zone(comp, name) else {
                return Some(None);
            };
            self.customs.push(zone);
            return Some(Some(Tref::Custom(self.customs.len() - 1)));
        }
        // Without a VTIMEZONE, a prefixed IANA name as libical and old Mozilla builds write it
        // (`/freeassociation.sourceforge.net/Europe/Berlin`, `/mozilla.org/20050126_1/Europe/Berlin`).
        for (i, _) in name.match_indices('/') {
            if let Some(tail) = name.get(i + 1..)
                && tail.contains('/')
                && let Ok(tz) = chrono_tz::Tz::from_str(tail)
            {
                return Some(Some(Tref::Zone(Zone::Iana(tz))));
            }
        }
        if let Ok(spec) = ZoneSpec::from_str(name) {
            return Some(Some(Tref::Zone(spec.zone)));
        }
        None
    }

    /// Interprets a VTIMEZONE.
    pub(super) fn custom_zone(&mut self, comp: &Comp, tzid: &str) -> Option<CustomZone> {
        let mut onsets: Vec<Onset> = Vec::new();
        let mut ok = true;
        let mut observances = 0;
        for obs in &comp.children {
            let rank = match &*obs.name {
                "DAYLIGHT" => 0,
                "STANDARD" => 1,
                _ => continue,
            };
            observances += 1;
            match self.observance_onsets(obs, rank, tzid) {
                Some(list) => onsets.extend(list),
                None => ok = false,
            }
        }
        if observances == 0 {
            self.diags.error_at(
                comp.line,
                format!("VTIMEZONE {tzid} has no STANDARD or DAYLIGHT observance"),
                "export the calendar again with its time zones, or change the TZID to an IANA name such as Europe/Paris",
            );
            return None;
        }
        if !ok {
            return None;
        }
        onsets.sort_by_key(|o| (o.at, o.rank));
        let initial = onsets.first()?.from;
        Some(CustomZone {
            initial,
            changes: onsets.iter().map(|o| (o.at, o.to)).collect(),
        })
    }

    /// The onsets of one STANDARD or DAYLIGHT observance: `None` when any part of it cannot be
    /// read (the errors are reported).
    fn observance_onsets(&mut self, obs: &Comp, rank: u8, tzid: &str) -> Option<Vec<Onset>> {
        let (from, to) = self.observance_offsets(obs, tzid)?;
        let start = self.observance_start(obs, tzid)?;
        let mut civils = vec![start];
        let rdates_ok = self.rdate_onsets(obs, &mut civils);
        let rrules_ok = self.rrule_onsets(obs, start, from, &mut civils);
        if !(rdates_ok && rrules_ok) {
            return None;
        }
        let onsets = civils
            .into_iter()
            .filter_map(|c| {
                let at = TimeDelta::try_seconds(i64::from(from.local_minus_utc()))
                    .and_then(|d| c.checked_sub_signed(d))?;
                Some(Onset {
                    at: at.and_utc(),
                    rank,
                    from,
                    to,
                })
            })
            .collect();
        Some(onsets)
    }

    /// (TZOFFSETFROM, TZOFFSETTO) of an observance; a missing TZOFFSETFROM is TZOFFSETTO.
    fn observance_offsets(&mut self, obs: &Comp, tzid: &str) -> Option<(FixedOffset, FixedOffset)> {
        let (Some(to), Some(from)) = (
            self.observance_offset(obs, Name::TzoffsetTo),
            self.observance_offset(obs, Name::TzoffsetFrom),
        ) else {
            return None;
        };
        let Some(to) = to else {
            self.diags.error_at(
                obs.line,
                format!("{} of VTIMEZONE {tzid} has no TZOFFSETTO", obs.name),
                "add TZOFFSETTO:+HHMM, the offset in force from this observance's onset",
            );
            return None;
        };
        Some((from.unwrap_or(to), to))
    }

    /// The offset property `name` of an observance: `Some(None)` when absent, `None` when it
    /// cannot be read (the error is reported).
    fn observance_offset(&mut self, obs: &Comp, name: Name) -> Option<Option<FixedOffset>> {
        let Some(p) = obs.prop(name) else {
            return Some(None);
        };
        match parse_offset(p.value) {
            Some(o) => Some(Some(o)),
            None => {
                self.diags.error_at(
                    p.line,
                    format!("{name} `{}` is not a UTC offset", excerpt(p.value)),
                    "write an offset as +0100, -0330 or +053000",
                );
                None
            }
        }
    }

    /// The local time of an observance's first onset (its DTSTART).
    fn observance_start(&mut self, obs: &Comp, tzid: &str) -> Option<NaiveDateTime> {
        let Some(p) = obs.prop(Name::Dtstart) else {
            self.diags.error_at(
                obs.line,
                format!("{} of VTIMEZONE {tzid} has no DTSTART", obs.name),
                "add DTSTART:YYYYMMDDTHHMMSS, the local time of the first onset",
            );
            return None;
        };
        match parse_dt(p.value) {
            Some(Dt::Time(c, _)) => Some(c),
            Some(Dt::Date(d)) => Some(d.and_time(NaiveTime::MIN)),
            None => {
                self.diags.error_at(
                    p.line,
                    format!("DTSTART `{}` is not a date-time", excerpt(p.value)),
                    DT_HELP,
                );
                None
            }
        }
    }

    /// Adds the local onsets an observance's RDATEs list to `civils`; false when one cannot be
    /// read (the errors are reported).
    fn rdate_onsets(&mut self, obs: &Comp, civils: &mut Vec<NaiveDateTime>) -> bool {
        let mut ok = true;
        for rp in obs.props(Name::Rdate) {
            for v in rp.value.split(',') {
                let first = v.split('/').next().unwrap_or(v);
                match parse_dt(first) {
                    Some(Dt::Time(c, _)) => civils.push(c),
                    Some(Dt::Date(d)) => civils.push(d.and_time(NaiveTime::MIN)),
                    None => {
                        self.diags.error_at(
                            rp.line,
                            format!("RDATE `{}` is not a date-time", excerpt(v)),
                            DT_HELP,
                        );
                        ok = false;
                    }
                }
            }
        }
        ok
    }

    /// Adds the local onsets an observance's RRULEs make from `start` to `civils`; false when
    /// one cannot be read or expanded (the errors are reported).
    fn rrule_onsets(
        &mut self,
        obs: &Comp,
        start: NaiveDateTime,
        from: FixedOffset,
        civils: &mut Vec<NaiveDateTime>,
    ) -> bool {
        let mut ok = true;
        for rp in obs.props(Name::Rrule) {
            let Some(rule) = self.parse_rule(rp) else {
                ok = false;
                continue;
            };
            // An UNTIL in UTC is compared as the onset's local time, read in TZOFFSETFROM.
            let until = match rule.until {
                Some(Until::Civil(c)) => Some(c),
                Some(Until::Instant(i)) => {
                    TimeDelta::try_seconds(i64::from(from.local_minus_utc()))
                        .and_then(|d| i.naive_utc().checked_add_signed(d))
                }
                None => None,
            };
            match self.expand(rp, &rule, start, until, self.zone_bound, MAX_ONSETS) {
                Some(list) => civils.extend(list),
                None => ok = false,
            }
        }
        ok
    }
}

/// A change of offset a VTIMEZONE observance makes.
struct Onset {
    at: DateTime<Utc>,
    /// DAYLIGHT 0 before STANDARD 1 at the same instant.
    rank: u8,
    from: FixedOffset,
    to: FixedOffset,
}

/// An override with `RANGE=THISANDFUTURE`: it moves, re-times or frees every later occurrence
/// of its series too.
#[derive(Debug, Clone)]
pub(super) struct Future {
    /// Its RECURRENCE-ID.
    pub(super) from: Key,
    /// Its own start.
    pub(super) start: DateTime<Utc>,
    /// Its own length (DTEND or DURATION), else the series'.
    pub(super) length: Option<Length>,
    /// Its SUMMARY, else the series'.
    pub(super) summary: Option<String>,
    /// Cancelled, transparent or free: the later occurrences are not busy.
    pub(super) free: bool,
}
