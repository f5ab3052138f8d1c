//! Benchmark peer of `roundtable check PROGRAMME --format json --fail-on never`: the same
//! conflict findings, computed the way a Rust developer would with common crates.
//!
//!     check_peer PROGRAMME.toml [--jobs N] [--ics icalendar|ical] > findings.json
//!
//! `toml` + serde for the programme, `csv` + serde for participants.csv, `chrono-tz` for zones,
//! `rrule` to expand recurring sessions and busy events, the `ical` crate's parser for the busy
//! calendars (or, with `--ics icalendar`, the `icalendar` crate's: about twice as slow), `serde_json` for the report. Participants are split into `--jobs` contiguous
//! chunks (default: the number of cores), one std thread each; each thread reads, parses and
//! expands its participants' busy calendars and checks them. Per participant, per occurrence of
//! a session they attend: night / outside-hours minutes, weekend, local date shift, busy events
//! overlapping it (binary search in the sorted busy list), sessions overlapping it (a sweep over
//! their occurrences in start order), and the local start time shifting across a series.
//! See bench/peers/README.md for what it reads and what it does not.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime};
use rrule::{RRule, Unvalidated};
use serde::{Deserialize, Serialize};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

// ---------------------------------------------------------------- input

#[derive(Deserialize)]
struct ProgrammeFile {
    programme: Meta,
    #[serde(default)]
    group: Vec<GroupRaw>,
    #[serde(default)]
    session: Vec<SessionRaw>,
}

#[derive(Deserialize)]
struct Meta {
    id: String,
    timezone: String,
    participants: String,
    working_hours: Option<String>,
    night: Option<String>,
}

#[derive(Deserialize)]
struct GroupRaw {
    id: String,
    #[serde(default)]
    zones: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    All(String),
    Groups(Vec<String>),
}

#[derive(Deserialize)]
struct SessionRaw {
    id: String,
    title: String,
    start: String,
    timezone: Option<String>,
    duration: String,
    audience: Audience,
    repeat: Option<String>,
}

#[derive(Deserialize)]
struct Row {
    email: String,
    timezone: String,
    #[serde(default)]
    groups: String,
    #[serde(default)]
    working_hours: String,
    #[serde(default)]
    night: String,
    #[serde(default)]
    busy: String,
}

// ---------------------------------------------------------------- model

/// A daily range of local minutes `[start, end)`, wrapping past midnight when `end <= start`.
#[derive(Clone, Copy)]
struct Hours {
    start: i64,
    end: i64,
}

impl FromStr for Hours {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let clock = |t: &str| -> Option<i64> {
            let (h, m) = t.trim().split_once(':')?;
            Some(h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)
        };
        let (a, b) = s
            .split_once('-')
            .ok_or_else(|| format!("bad hours {s:?}"))?;
        match (clock(a), clock(b)) {
            (Some(start), Some(end)) => Ok(Hours { start, end }),
            _ => Err(format!("bad hours {s:?}")),
        }
    }
}

impl std::fmt::Display for Hours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (s, e) = (self.start, self.end);
        write!(f, "{:02}:{:02}-{:02}:{:02}", s / 60, s % 60, e / 60, e % 60)
    }
}

impl Hours {
    /// The day's parts as non-wrapping `[a, b)` segments.
    fn segments(&self) -> Vec<(i64, i64)> {
        if self.start < self.end {
            vec![(self.start, self.end)]
        } else {
            vec![(0, self.end), (self.start, 1440)]
        }
    }

    /// Minutes of `[at, at + len)` (minutes from a local midnight) inside the range, every day.
    fn overlap(&self, at: i64, len: i64) -> i64 {
        let end = at + len;
        let mut total = 0;
        for day in at.div_euclid(1440)..=end.div_euclid(1440) {
            for (a, b) in self.segments() {
                let (a, b) = (day * 1440 + a, day * 1440 + b);
                total += (end.min(b) - at.max(a)).max(0);
            }
        }
        total
    }

    /// Minutes of `[at, at + len)` in both ranges.
    fn overlap_both(&self, other: &Hours, at: i64, len: i64) -> i64 {
        let mut total = 0;
        for (a0, a1) in self.segments() {
            for (b0, b1) in other.segments() {
                let (s, e) = (a0.max(b0), a1.min(b1));
                if s < e {
                    total += Hours { start: s, end: e }.overlap(at, len);
                }
            }
        }
        total
    }
}

struct Session {
    id: String,
    title: String,
    zone_name: String,
    recurring: bool,
}

struct Occurrence {
    session: usize,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// Its start on the session's own clock.
    civil: NaiveDateTime,
}

struct Participant {
    email: String,
    zone: Tz,
    zone_name: String,
    hours: Hours,
    night: Hours,
    weekend: &'static [Weekday],
    busy: Option<PathBuf>,
    /// Per session, whether they attend it.
    attends: Vec<bool>,
}

struct BusyEvent {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    summary: String,
    uid: String,
}

/// `Europe/Paris`, or `UTC-3` / `UTC+5` (whole hours) as the tz database's `Etc/GMT+3` / `Etc/GMT-5`.
fn parse_zone(name: &str) -> Res<Tz> {
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(tz);
    }
    if let Some(offset) = name.strip_prefix("UTC") {
        let hours: i32 = offset.parse()?;
        let etc = format!("Etc/GMT{:+}", -hours);
        return Ok(etc.parse::<Tz>()?);
    }
    Err(format!("unknown zone {name:?}").into())
}

/// `90m`, `2h`, `1h30m`.
fn parse_duration(s: &str) -> Res<Duration> {
    let mut minutes = 0i64;
    let mut number = String::new();
    for c in s.chars() {
        match c {
            '0'..='9' => number.push(c),
            'h' => minutes += number.parse::<i64>()? * 60,
            'm' => minutes += number.parse::<i64>()?,
            _ => return Err(format!("bad duration {s:?}").into()),
        }
        if !c.is_ascii_digit() {
            number.clear();
        }
    }
    Ok(Duration::minutes(minutes))
}

/// `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(tail) = text.strip_prefix(head) else {
                return false;
            };
            (0..=tail.len())
                .filter(|&i| tail.is_char_boundary(i))
                .any(|i| glob(rest, &tail[i..]))
        }
    }
}

/// A civil date-time in `zone`: the earlier instant in a fold; in a (one-hour) gap, an hour later.
fn civil_in(zone: Tz, civil: NaiveDateTime) -> DateTime<Tz> {
    zone.from_local_datetime(&civil)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(civil + Duration::hours(1)))
                .earliest()
        })
        .unwrap_or_else(|| zone.from_utc_datetime(&civil))
}

/// Every occurrence of every session, in start order.
fn expand_sessions(
    sessions: &[SessionRaw],
    default_zone: &str,
) -> Res<(Vec<Session>, Vec<Occurrence>)> {
    let mut out = Vec::new();
    let mut occurrences = Vec::new();
    for (si, s) in sessions.iter().enumerate() {
        let zone_name = s
            .timezone
            .clone()
            .unwrap_or_else(|| default_zone.to_string());
        let zone = parse_zone(&zone_name)?;
        let civil = NaiveDateTime::parse_from_str(&s.start, "%Y-%m-%dT%H:%M")?;
        let duration = parse_duration(&s.duration)?;
        let first = civil_in(zone, civil);
        let starts: Vec<DateTime<Tz>> = match &s.repeat {
            Some(rule) => {
                let rule: RRule<Unvalidated> = rule.parse()?;
                let set = rule.build(first.with_timezone(&rrule::Tz::Tz(zone)))?;
                set.all(1000)
                    .dates
                    .into_iter()
                    .map(|d| d.with_timezone(&zone))
                    .collect()
            }
            None => vec![first],
        };
        for start in starts {
            let start_utc = start.with_timezone(&Utc);
            occurrences.push(Occurrence {
                session: si,
                start: start_utc,
                end: start_utc + duration,
                civil: start.naive_local(),
            });
        }
        out.push(Session {
            id: s.id.clone(),
            title: s.title.clone(),
            zone_name,
            recurring: s.repeat.is_some(),
        });
    }
    occurrences.sort_by_key(|o| (o.start, o.session));
    Ok((out, occurrences))
}

// ---------------------------------------------------------------- weekends

/// Countries whose weekend is not Saturday–Sunday (as roundtable's src/weekend).
const WEEKENDS: &[(&str, &[Weekday])] = &[
    ("AF", &[Weekday::Thu, Weekday::Fri]),
    ("BD", &[Weekday::Fri, Weekday::Sat]),
    ("BH", &[Weekday::Fri, Weekday::Sat]),
    ("BN", &[Weekday::Fri, Weekday::Sun]),
    ("DJ", &[Weekday::Fri]),
    ("DZ", &[Weekday::Fri, Weekday::Sat]),
    ("EG", &[Weekday::Fri, Weekday::Sat]),
    ("IL", &[Weekday::Fri, Weekday::Sat]),
    ("IQ", &[Weekday::Fri, Weekday::Sat]),
    ("IR", &[Weekday::Fri]),
    ("JO", &[Weekday::Fri, Weekday::Sat]),
    ("KW", &[Weekday::Fri, Weekday::Sat]),
    ("LY", &[Weekday::Fri, Weekday::Sat]),
    ("MV", &[Weekday::Fri, Weekday::Sat]),
    ("NP", &[Weekday::Sat]),
    ("OM", &[Weekday::Fri, Weekday::Sat]),
    ("PS", &[Weekday::Fri, Weekday::Sat]),
    ("QA", &[Weekday::Fri, Weekday::Sat]),
    ("SA", &[Weekday::Fri, Weekday::Sat]),
    ("SD", &[Weekday::Fri, Weekday::Sat]),
    ("SO", &[Weekday::Thu, Weekday::Fri]),
    ("SY", &[Weekday::Fri, Weekday::Sat]),
    ("YE", &[Weekday::Fri, Weekday::Sat]),
];
const SAT_SUN: &[Weekday] = &[Weekday::Sat, Weekday::Sun];

/// Zone → country from the system's tz database (zone.tab); empty when it is missing.
fn zone_countries() -> HashMap<String, String> {
    let text = std::fs::read_to_string("/usr/share/zoneinfo/zone.tab").unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            let country = f.next()?;
            let zone = f.nth(1)?;
            Some((zone.to_string(), country.to_string()))
        })
        .collect()
}

fn weekend_of(zone: &str, countries: &HashMap<String, String>) -> &'static [Weekday] {
    countries
        .get(zone)
        .and_then(|c| WEEKENDS.iter().find(|(cc, _)| cc == c))
        .map_or(SAT_SUN, |(_, days)| days)
}

// ---------------------------------------------------------------- busy calendars

/// Which crate parses the busy calendars: `--ics ical` (the default: the faster of the two
/// here) or `--ics icalendar`.
#[derive(Clone, Copy)]
enum IcsParser {
    Icalendar,
    Ical,
}

/// A VEVENT as read, before its recurrence is expanded.
struct RawEvent {
    start: DateTime<Tz>,
    end: Option<DateTime<Tz>>,
    rrule: Option<String>,
    summary: String,
    uid: String,
}

/// The participant's busy events that may touch `[from, to)`, sorted by start.
fn read_busy(
    path: &Path,
    own_zone: Tz,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    parser: IcsParser,
) -> Res<Vec<BusyEvent>> {
    let text = std::fs::read_to_string(path)?;
    let events = match parser {
        IcsParser::Icalendar => events_icalendar(&text, own_zone)?,
        IcsParser::Ical => events_ical(&text, own_zone)?,
    };
    let mut out = Vec::new();
    for event in events {
        let start = event.start;
        let length = event.end.map_or(Duration::zero(), |end| end - start);
        let starts = match &event.rrule {
            Some(rule) => {
                let rule: RRule<Unvalidated> = rule.parse()?;
                let zone = start.timezone();
                let set = rule
                    .build(start.with_timezone(&rrule::Tz::Tz(zone)))?
                    .after((from - length).with_timezone(&rrule::Tz::UTC))
                    .before(to.with_timezone(&rrule::Tz::UTC));
                set.all(u16::MAX)
                    .dates
                    .into_iter()
                    .map(|d| d.with_timezone(&Utc))
                    .collect()
            }
            None => vec![start.with_timezone(&Utc)],
        };
        for s in starts {
            if s < to && s + length > from {
                out.push(BusyEvent {
                    start: s,
                    end: s + length,
                    summary: event.summary.clone(),
                    uid: event.uid.clone(),
                });
            }
        }
    }
    out.sort_by_key(|b| b.start);
    Ok(out)
}

/// The busy VEVENTs (not TRANSPARENT, not CANCELLED) with the `icalendar` crate's parser.
fn events_icalendar(text: &str, own_zone: Tz) -> Res<Vec<RawEvent>> {
    let calendar: Calendar = text.parse()?;
    let mut out = Vec::new();
    for event in calendar.events() {
        if event.property_value("TRANSP") == Some("TRANSPARENT")
            || event.property_value("STATUS") == Some("CANCELLED")
        {
            continue;
        }
        let Some(start) = event.get_start() else {
            continue;
        };
        out.push(RawEvent {
            start: instant(start, own_zone)?,
            end: event.get_end().map(|d| instant(d, own_zone)).transpose()?,
            rrule: event.property_value("RRULE").map(str::to_string),
            summary: event.get_summary().unwrap_or("").to_string(),
            uid: event.get_uid().unwrap_or("").to_string(),
        });
    }
    Ok(out)
}

/// The same with the `ical` crate's parser (properties as strings: the dates are parsed here).
fn events_ical(text: &str, own_zone: Tz) -> Res<Vec<RawEvent>> {
    let mut out = Vec::new();
    for calendar in ical::IcalParser::new(text.as_bytes()) {
        for event in calendar?.events {
            let get = |name: &str| event.properties.iter().find(|p| p.name == name);
            let value = |name: &str| get(name).and_then(|p| p.value.as_deref());
            if value("TRANSP") == Some("TRANSPARENT") || value("STATUS") == Some("CANCELLED") {
                continue;
            }
            let when = |name: &str| -> Res<Option<DateTime<Tz>>> {
                let Some(p) = get(name) else { return Ok(None) };
                let v = p.value.as_deref().unwrap_or("");
                let tzid = p.params.iter().flatten().find(|(k, _)| k == "TZID");
                let d = if let Some(utc) = v.strip_suffix('Z') {
                    let t = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")?;
                    DatePerhapsTime::DateTime(CalendarDateTime::Utc(t.and_utc()))
                } else if v.len() == 8 {
                    DatePerhapsTime::Date(chrono::NaiveDate::parse_from_str(v, "%Y%m%d")?)
                } else {
                    let t = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S")?;
                    match tzid.and_then(|(_, values)| values.first()) {
                        Some(tz) => DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone {
                            date_time: t,
                            tzid: tz.clone(),
                        }),
                        None => DatePerhapsTime::DateTime(CalendarDateTime::Floating(t)),
                    }
                };
                Ok(Some(instant(d, own_zone)?))
            };
            let Some(start) = when("DTSTART")? else {
                continue;
            };
            out.push(RawEvent {
                start,
                end: when("DTEND")?,
                rrule: value("RRULE").map(str::to_string),
                summary: value("SUMMARY").unwrap_or("").to_string(),
                uid: value("UID").unwrap_or("").to_string(),
            });
        }
    }
    Ok(out)
}

/// DTSTART/DTEND as an instant in its zone: TZID, UTC, or floating (the participant's own clock);
/// a DATE is midnight on the participant's clock.
fn instant(d: DatePerhapsTime, own_zone: Tz) -> Res<DateTime<Tz>> {
    Ok(match d {
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(t)) => t.with_timezone(&Tz::UTC),
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid }) => {
            civil_in(parse_zone(&tzid)?, date_time)
        }
        DatePerhapsTime::DateTime(CalendarDateTime::Floating(t)) => civil_in(own_zone, t),
        DatePerhapsTime::Date(d) => civil_in(own_zone, d.and_time(chrono::NaiveTime::MIN)),
    })
}

// ---------------------------------------------------------------- the check

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    Night,
    OutsideHours,
    Overlap,
    Busy,
    Weekend,
    DstShift,
    DateShift,
}

impl Kind {
    fn severity(self) -> &'static str {
        match self {
            Kind::Night | Kind::Overlap | Kind::Busy => "error",
            Kind::OutsideHours | Kind::Weekend | Kind::DstShift => "warning",
            Kind::DateShift => "info",
        }
    }
    fn rank(self) -> u8 {
        match self.severity() {
            "error" => 0,
            "warning" => 1,
            _ => 2,
        }
    }
}

struct Finding {
    kind: Kind,
    participant: usize,
    occurrence: usize,
    detail: String,
}

/// A thread's findings, and its participants' (index, outside-hours, night minutes).
type ChunkResult = (Vec<Finding>, Vec<(usize, i64, i64)>);

#[derive(Serialize)]
struct Burden {
    participant: String,
    outside_hours_minutes: i64,
    night_minutes: i64,
}

struct Ctx<'a> {
    sessions: &'a [Session],
    occurrences: &'a [Occurrence],
    window: (DateTime<Utc>, DateTime<Utc>),
    parser: IcsParser,
}

fn hm(t: &DateTime<Tz>) -> String {
    t.format("%H:%M").to_string()
}

/// Everything wrong for participant `pi`; their burden (outside-hours, night minutes).
fn check_participant(
    ctx: &Ctx,
    pi: usize,
    p: &Participant,
    out: &mut Vec<Finding>,
) -> Option<(i64, i64)> {
    let mine: Vec<usize> = (0..ctx.occurrences.len())
        .filter(|&oi| p.attends[ctx.occurrences[oi].session])
        .collect();
    if mine.is_empty() {
        return None;
    }
    let busy = match &p.busy {
        Some(path) => read_busy(path, p.zone, ctx.window, ctx.parser).unwrap_or_else(|e| {
            eprintln!(
                "check_peer: cannot read {} of {}: {e}",
                path.display(),
                p.email
            );
            Vec::new()
        }),
        None => Vec::new(),
    };
    let mut push = |kind, occurrence, detail| {
        out.push(Finding {
            kind,
            participant: pi,
            occurrence,
            detail,
        })
    };
    let (mut outside_total, mut night_total) = (0, 0);
    for &oi in &mine {
        let o = &ctx.occurrences[oi];
        let (start, end) = (o.start.with_timezone(&p.zone), o.end.with_timezone(&p.zone));
        let minutes = (o.end - o.start).num_minutes();
        let span = format!("{}–{}", hm(&start), hm(&end));
        // Hours: night first; outside working hours only when no minute is in the night.
        let at = i64::from(start.hour() * 60 + start.minute());
        let night = p.night.overlap(at, minutes);
        let inside = p.hours.overlap(at, minutes) - p.hours.overlap_both(&p.night, at, minutes);
        let outside = (minutes - inside - night).max(0);
        night_total += night;
        outside_total += outside;
        if night > 0 {
            push(
                Kind::Night,
                oi,
                format!(
                    "{span} local: {night} of {minutes} minutes in the night ({})",
                    p.night
                ),
            );
        } else if outside > 0 {
            push(
                Kind::OutsideHours,
                oi,
                format!(
                    "{span} local: {outside} of {minutes} minutes outside working hours ({})",
                    p.hours
                ),
            );
        }
        if p.weekend.contains(&start.weekday()) {
            push(
                Kind::Weekend,
                oi,
                format!(
                    "starts on {} local, a weekend day",
                    start.format("%A %d %b")
                ),
            );
        }
        let shift = (start.date_naive() - o.civil.date()).num_days();
        if shift != 0 {
            push(
                Kind::DateShift,
                oi,
                format!(
                    "local date {} differs from the session's date {} ({shift:+} day)",
                    start.format("%a %d %b"),
                    o.civil.format("%a %d %b")
                ),
            );
        }
        // Busy events starting before this occurrence ends (sorted by start) that end after it starts.
        let upto = busy.partition_point(|b| b.start < o.end);
        for b in busy[..upto].iter().filter(|b| b.end > o.start) {
            let (bs, be) = (b.start.with_timezone(&p.zone), b.end.with_timezone(&p.zone));
            push(
                Kind::Busy,
                oi,
                format!(
                    "clashes with “{}” (UID {}) {}–{} local",
                    b.summary,
                    b.uid,
                    bs.format("%a %d %b %H:%M"),
                    hm(&be)
                ),
            );
        }
    }
    // Sessions overlapping each other: sweep in start order, keeping those still running.
    let mut running: Vec<usize> = Vec::new();
    for &oi in &mine {
        let o = &ctx.occurrences[oi];
        running.retain(|&r| ctx.occurrences[r].end > o.start);
        for &r in &running {
            let other = &ctx.occurrences[r];
            if other.session == o.session {
                continue;
            }
            let s = &ctx.sessions[other.session];
            let by = (other.end.min(o.end) - o.start).num_minutes();
            let (os, oe) = (
                other.start.with_timezone(&p.zone),
                other.end.with_timezone(&p.zone),
            );
            push(
                Kind::Overlap,
                oi,
                format!(
                    "overlaps “{}” ({}) {}–{} local by {by} minutes",
                    s.title,
                    s.id,
                    hm(&os),
                    hm(&oe)
                ),
            );
        }
        running.push(oi);
    }
    // A series whose local start time moves for this participant (DST changes on other dates).
    let mut by_session: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &oi in &mine {
        by_session
            .entry(ctx.occurrences[oi].session)
            .or_default()
            .push(oi);
    }
    for (si, list) in by_session {
        if !ctx.sessions[si].recurring || list.len() < 2 {
            continue;
        }
        let first = &ctx.occurrences[list[0]];
        let first_local = first.start.with_timezone(&p.zone);
        let reference = i64::from(first_local.hour() * 60 + first_local.minute());
        for &oi in &list[1..] {
            let o = &ctx.occurrences[oi];
            if o.civil.time() != first.civil.time() {
                continue;
            }
            let local = o.start.with_timezone(&p.zone);
            let mut delta = i64::from(local.hour() * 60 + local.minute()) - reference;
            if delta > 720 {
                delta -= 1440;
            } else if delta < -720 {
                delta += 1440;
            }
            if delta != 0 {
                let s = &ctx.sessions[si];
                push(Kind::DstShift, oi, format!("starts at {} local instead of {} as on {} ({delta:+} min): {} and {} change clocks on different dates", hm(&local), hm(&first_local), first_local.format("%d %b"), s.zone_name, p.zone_name));
            }
        }
    }
    Some((outside_total, night_total))
}

// ---------------------------------------------------------------- output

#[derive(Serialize)]
struct ConflictOut<'a> {
    kind: Kind,
    severity: &'static str,
    participant: &'a str,
    session: &'a str,
    start_utc: String,
    end_utc: String,
    start_local: String,
    end_local: String,
    detail: &'a str,
}

#[derive(Serialize)]
struct Report<'a> {
    programme: &'a str,
    counts: BTreeMap<&'static str, usize>,
    conflicts: Vec<ConflictOut<'a>>,
    burden: Vec<Burden>,
}

fn main() {
    if let Err(e) = run() {
        eprintln!("check_peer: {e}");
        std::process::exit(2);
    }
}

fn run() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut file = None;
    let mut jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut parser = IcsParser::Ical;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--jobs" => jobs = it.next().ok_or("--jobs N")?.parse()?,
            "--ics" => {
                parser = match it.next().map(String::as_str) {
                    Some("icalendar") => IcsParser::Icalendar,
                    Some("ical") => IcsParser::Ical,
                    _ => return Err("--ics icalendar|ical".into()),
                }
            }
            _ => file = Some(PathBuf::from(a)),
        }
    }
    let file = file.ok_or("usage: check_peer PROGRAMME.toml [--jobs N] [--ics icalendar|ical]")?;
    let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    let raw: ProgrammeFile = toml::from_str(&std::fs::read_to_string(&file)?)?;

    let (sessions, occurrences) = expand_sessions(&raw.session, &raw.programme.timezone)?;
    let hours: Hours = raw
        .programme
        .working_hours
        .as_deref()
        .unwrap_or("08:00-20:00")
        .parse()?;
    let night: Hours = raw
        .programme
        .night
        .as_deref()
        .unwrap_or("22:00-06:00")
        .parse()?;
    let countries = zone_countries();

    // Participants, with the sessions each attends (by group or zone pattern).
    let mut participants = Vec::new();
    let mut reader = csv::Reader::from_path(dir.join(&raw.programme.participants))?;
    for row in reader.deserialize() {
        let row: Row = row?;
        let mut groups: HashSet<&str> = row
            .groups
            .split(';')
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .collect();
        for g in &raw.group {
            if g.zones.iter().any(|pattern| glob(pattern, &row.timezone)) {
                groups.insert(&g.id);
            }
        }
        let attends = raw
            .session
            .iter()
            .map(|s| match &s.audience {
                Audience::All(all) => all == "all",
                Audience::Groups(list) => list.iter().any(|g| groups.contains(g.as_str())),
            })
            .collect();
        let or = |cell: &str, default: Hours| -> Res<Hours> {
            if cell.is_empty() {
                Ok(default)
            } else {
                Ok(cell.parse()?)
            }
        };
        participants.push(Participant {
            zone: parse_zone(&row.timezone)?,
            weekend: weekend_of(&row.timezone, &countries),
            hours: or(&row.working_hours, hours)?,
            night: or(&row.night, night)?,
            busy: (!row.busy.is_empty()).then(|| dir.join(&row.busy)),
            zone_name: row.timezone,
            email: row.email,
            attends,
        });
    }

    let window = (
        occurrences
            .iter()
            .map(|o| o.start)
            .min()
            .unwrap_or_default(),
        occurrences.iter().map(|o| o.end).max().unwrap_or_default(),
    );
    let ctx = Ctx {
        sessions: &sessions,
        occurrences: &occurrences,
        window,
        parser,
    };

    // One contiguous chunk of participants per thread.
    let chunk = participants.len().div_ceil(jobs.max(1)).max(1);
    let results: Vec<ChunkResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = participants
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                let ctx = &ctx;
                scope.spawn(move || {
                    let mut findings = Vec::new();
                    let mut burden = Vec::new();
                    for (i, p) in part.iter().enumerate() {
                        let pi = c * chunk + i;
                        if let Some((outside, night)) = check_participant(ctx, pi, p, &mut findings)
                        {
                            burden.push((pi, outside, night));
                        }
                    }
                    (findings, burden)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a worker panicked"))
            .collect()
    });
    let mut findings = Vec::new();
    let mut burden = Vec::new();
    for (f, b) in results {
        findings.extend(f);
        burden.extend(b);
    }

    // Report order: severity, e-mail, start, session, kind; burden by weight, then e-mail.
    let email = |pi: usize| participants[pi].email.as_str();
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            let o = &occurrences[f.occurrence];
            (
                f.kind.rank(),
                email(f.participant),
                o.start,
                sessions[o.session].id.as_str(),
                f.kind,
            )
        };
        key(a).cmp(&key(b))
    });
    burden.sort_by(|a, b| {
        (b.1 + 2 * b.2)
            .cmp(&(a.1 + 2 * a.2))
            .then_with(|| email(a.0).cmp(email(b.0)))
    });

    let mut counts = BTreeMap::new();
    for f in &findings {
        *counts.entry(f.kind.severity()).or_insert(0) += 1;
        *counts.entry(kind_word(f.kind)).or_insert(0) += 1;
    }
    let utc = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let local = |t: DateTime<Utc>, z: Tz| {
        t.with_timezone(&z)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    };
    let conflicts = findings
        .iter()
        .map(|f| {
            let o = &occurrences[f.occurrence];
            let p = &participants[f.participant];
            ConflictOut {
                kind: f.kind,
                severity: f.kind.severity(),
                participant: &p.email,
                session: &sessions[o.session].id,
                start_utc: utc(o.start),
                end_utc: utc(o.end),
                start_local: local(o.start, p.zone),
                end_local: local(o.end, p.zone),
                detail: &f.detail,
            }
        })
        .collect();
    let burden = burden
        .into_iter()
        .map(|(pi, outside, night)| Burden {
            participant: participants[pi].email.clone(),
            outside_hours_minutes: outside,
            night_minutes: night,
        })
        .collect();
    let report = Report {
        programme: &raw.programme.id,
        counts,
        conflicts,
        burden,
    };
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut stdout, &report)?;
    writeln!(stdout)?;
    stdout.flush()?;
    Ok(())
}

fn kind_word(k: Kind) -> &'static str {
    match k {
        Kind::Night => "night",
        Kind::OutsideHours => "outside-hours",
        Kind::Overlap => "overlap",
        Kind::Busy => "busy",
        Kind::Weekend => "weekend",
        Kind::DstShift => "dst-shift",
        Kind::DateShift => "date-shift",
    }
}
