//! VTIMEZONE blocks generated from the same tz data roundtable converts with, the way the
//! reference generators (libical's vzic, tzurl) make them: valid from the first event's year
//! through 2037, every change of offset an onset, an RRULE only for the rule a zone still follows
//! (see [`write_vtimezone`]). Fixed offsets get one STANDARD.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday,
};
use chrono_tz::{OffsetComponents, OffsetName};

use super::text::{civil_value, push_line};
use crate::zone::Zone;

/// A change of offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The first instant of the new offset.
    pub at: DateTime<Utc>,
    /// Offset before.
    pub from: FixedOffset,
    /// Offset after.
    pub to: FixedOffset,
    /// Whether the new offset is daylight-saving time.
    pub dst: bool,
    /// The new offset's abbreviation (`CEST`, `-03`).
    pub name: String,
}

impl Transition {
    /// The local time of the change, read in the offset before it (an observance's DTSTART).
    pub fn local_start(&self) -> NaiveDateTime {
        self.at.with_timezone(&self.from).naive_local()
    }
}

fn state(zone: &Zone, t: DateTime<Utc>) -> (i32, bool, String) {
    match zone {
        Zone::Iana(tz) => {
            let o = tz.offset_from_utc_datetime(&t.naive_utc());
            let total = o.base_utc_offset() + o.dst_offset();
            let name = o.abbreviation().unwrap_or_default().to_string();
            (total.num_seconds() as i32, !o.dst_offset().is_zero(), name)
        }
        Zone::Fixed(f) => (f.local_minus_utc(), false, String::new()),
    }
}

/// [`state`] without the abbreviation: what the search for changes compares, without
/// making a `String` at each of its 365 steps a year.
fn offset_state(zone: &Zone, t: DateTime<Utc>) -> (i32, bool) {
    match zone {
        Zone::Iana(tz) => {
            let o = tz.offset_from_utc_datetime(&t.naive_utc());
            let total = o.base_utc_offset() + o.dst_offset();
            (total.num_seconds() as i32, !o.dst_offset().is_zero())
        }
        Zone::Fixed(f) => (f.local_minus_utc(), false),
    }
}

fn fixed(seconds: i32) -> FixedOffset {
    FixedOffset::east_opt(seconds).unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
}

/// Every change of offset (or of DST flag) in `(from, to]`, found by stepping a day at a time and
/// bisecting to the second.
///
/// A step must be shorter than the shortest time between two changes of one zone, or both
/// would be missed (or one of them). In the tz database the shortest is 95.7 hours
/// (Africa/Freetown, 1939), and 166 hours since 1970 (America/Cambridge_Bay, 2000): measured
/// over every zone's transitions with Python's `zoneinfo`. A day leaves a margin of four,
/// and takes a quarter of the lookups of the 6-hour step this used.
/// tests/it/sweep.rs checks the blocks of every zone through 2037 against independent readers.
pub fn transitions(zone: &Zone, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Transition> {
    let mut out = Vec::new();
    if matches!(zone, Zone::Fixed(_)) {
        return out;
    }
    let step = Duration::days(1);
    let mut t = from;
    let mut before = offset_state(zone, t);
    while t < to {
        let next = (t + step).min(to);
        let after = offset_state(zone, next);
        if after != before {
            // Bisect (t, next] for the first instant with the new state.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_state(zone, mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let s = state(zone, hi);
            out.push(Transition {
                at: hi,
                from: fixed(before.0),
                to: fixed(s.0),
                dst: s.1,
                name: s.2,
            });
        }
        before = after;
        t = next;
    }
    out
}

/// `+0100`, `-0330`, `+054500` when seconds are needed.
pub fn ics_offset(offset: FixedOffset) -> String {
    let secs = offset.local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.unsigned_abs();
    let (h, m, s) = (abs / 3600, (abs % 3600) / 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// The first year every VTIMEZONE is kept valid through, whatever the events' span.
pub const VALID_THROUGH_YEAR: i32 = 2037;

/// The span a VTIMEZONE covers for events from `first` to `last`: from the start of the year of
/// the first event (less a day, for a local Jan 1 east of UTC) to the end of 2037, or two years
/// past the last event if later.
pub fn window(first: DateTime<Utc>, last: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let year_start = |y: i32| {
        Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or(first)
    };
    let from = year_start(first.year()) - Duration::days(1);
    let to =
        year_start((VALID_THROUGH_YEAR + 1).max(last.year() + 2)).max(last + Duration::days(1));
    (from, to)
}

/// How a run of yearly transitions falls in its month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Day {
    /// `BYDAY=2SU`: the nth weekday (1–4), or the last (-1).
    Nth(i32, Weekday),
    /// `BYDAY=SU;BYMONTHDAY=8,…,14`: the first weekday on or after a day of the month.
    OnOrAfter(u32, Weekday),
    /// `BYMONTHDAY=21`: a fixed date.
    Date(u32),
}

impl Day {
    fn rrule(self, month: u32) -> String {
        match self {
            Day::Nth(n, w) => format!("FREQ=YEARLY;BYMONTH={month};BYDAY={n}{}", weekday_code(w)),
            Day::OnOrAfter(d, w) => {
                let days: Vec<String> = (d..d + 7).map(|x| x.to_string()).collect();
                format!(
                    "FREQ=YEARLY;BYMONTH={month};BYDAY={};BYMONTHDAY={}",
                    weekday_code(w),
                    days.join(",")
                )
            }
            Day::Date(d) => format!("FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={d}"),
        }
    }

    /// Whether this rule names `date`.
    fn names(self, date: NaiveDate) -> bool {
        let last_day = days_in_month(date.year(), date.month());
        match self {
            Day::Nth(n, w) => {
                date.weekday() == w
                    && if n == -1 {
                        date.day() + 7 > last_day
                    } else {
                        (date.day() - 1) / 7 + 1 == n as u32
                    }
            }
            Day::OnOrAfter(d, w) => date.weekday() == w && (d..d + 7).contains(&date.day()),
            Day::Date(d) => date.day() == d,
        }
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(next.0, next.1, 1)
        .and_then(|d| d.pred_opt())
        .map_or(31, |d| d.day())
}

/// What makes two transitions members of the same yearly rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct RuleKey {
    month: u32,
    time: chrono::NaiveTime,
    from: i32,
    to: i32,
    dst: bool,
    name: String,
}

fn key(t: &Transition) -> RuleKey {
    let l = t.local_start();
    RuleKey {
        month: l.month(),
        time: l.time(),
        from: t.from.local_minus_utc(),
        to: t.to.local_minus_utc(),
        dst: t.dst,
        name: t.name.clone(),
    }
}

/// The rules, in order of preference, that name every date of `dates` (one per year).
fn fitting_day(dates: &[NaiveDate]) -> Option<Day> {
    let first = *dates.first()?;
    let w = first.weekday();
    let mut candidates = vec![Day::Nth(-1, w)];
    candidates.extend((1..=4).map(|n| Day::Nth(n, w)));
    candidates.extend((1..=22).map(|d| Day::OnOrAfter(d, w)));
    candidates.push(Day::Date(first.day()));
    candidates
        .into_iter()
        .find(|c| dates.iter().all(|d| c.names(*d)))
}

/// The transitions (indices into `list`) that a yearly RRULE with no end can stand for: for each
/// kind of change (same month, local time, offsets and name), the longest run of consecutive
/// years that ends in the window's last year and follows one rule, if it has at least two.
fn open_rules(list: &[Transition], last_year: i32) -> Vec<(Day, Vec<usize>)> {
    let mut by_key: BTreeMap<RuleKey, Vec<usize>> = BTreeMap::new();
    for (i, t) in list.iter().enumerate() {
        by_key.entry(key(t)).or_default().push(i);
    }
    let mut rules = Vec::new();
    for members in by_key.values() {
        let year = |i: usize| list[i].local_start().year();
        let Some(&newest) = members.last() else {
            continue;
        };
        if year(newest) != last_year {
            continue;
        }
        // Walk back over consecutive years, one member a year, keeping a rule that fits all.
        let mut run: Vec<usize> = vec![newest];
        let mut day = fitting_day(&[list[newest].local_start().date()]);
        for &i in members.iter().rev().skip(1) {
            let earliest = run[run.len() - 1];
            if year(i) + 1 != year(earliest) {
                break;
            }
            let mut dates: Vec<NaiveDate> =
                run.iter().map(|&j| list[j].local_start().date()).collect();
            dates.push(list[i].local_start().date());
            match fitting_day(&dates) {
                Some(d) => {
                    day = Some(d);
                    run.push(i);
                }
                None => break,
            }
        }
        if let (Some(day), true) = (day, run.len() >= 2) {
            run.reverse();
            rules.push((day, run));
        }
    }
    rules
}

/// Writes the VTIMEZONE of `zone` under `tzid`, for events from `first` to `last`.
///
/// The block is valid over [`window`]: from the start of the first event's year through 2037
/// (or beyond the last event). Older history is left out — no event of the calendar needs it,
/// and every participant's file carries the block. Inside the window:
/// - every change of offset is an onset of exactly one observance;
/// - a change that recurs every year by one rule up to the window's end (the zone's current
///   rule) is one observance with an open RRULE from its first change in the window (the rule
///   is found looking back to 1970, and checked year by year against the tz data from its
///   first year through the window's end); every other change is an observance of its own, with DTSTART only — the form
///   that every reader takes as it is (libical, ical.js, dateutil);
/// - the observance in force at the start of the window is written too (the real change
///   before it, or one with the same offset on both sides when none is near), so that no
///   reader falls back to UTC for an early event.
pub fn write_vtimezone(
    out: &mut String,
    tzid: &str,
    zone: &Zone,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
) {
    push_line(out, "BEGIN:VTIMEZONE");
    push_line(out, &format!("TZID:{tzid}"));
    if let Zone::Fixed(_) = zone {
        let (secs, _, name) = state(zone, first);
        let o = fixed(secs);
        observance(out, "STANDARD", "19700101T000000", o, o, &name, None);
        push_line(out, "END:VTIMEZONE");
        return;
    }
    let (start, end) = window(first, last);
    // Far enough back to date each rule from its first year (vzic's form) and to find the
    // change in force at the start: 1970, or 400 days before an earlier start.
    let lookback = Utc
        .with_ymd_and_hms(1970, 1, 1, 0, 0, 0)
        .single()
        .map_or(start, |l| l.min(start - Duration::days(400)));
    let list = transitions(zone, lookback, end);
    let last_year = (end - Duration::days(1)).year();
    let rules = open_rules(&list, last_year);
    // Each rule starts with its first change inside the window (tzurl's truncation): before
    // the window the block claims nothing, so nothing there can be wrong.
    let rules: Vec<(Day, Vec<usize>)> = rules
        .into_iter()
        .map(|(day, run)| {
            (
                day,
                run.into_iter().filter(|&i| list[i].at > start).collect(),
            )
        })
        .filter(|(_, run): &(Day, Vec<usize>)| !run.is_empty())
        .collect();
    let covered: BTreeSet<usize> = rules.iter().flat_map(|(_, run)| run.clone()).collect();
    // Observances, sorted by onset (then kind) so that the text reads as a history.
    let mut items: Vec<(DateTime<Utc>, &str, Option<String>, &Transition)> = Vec::new();
    for (day, run) in &rules {
        let t = &list[run[0]];
        items.push((t.at, kind(t), Some(day.rrule(key(t).month)), t));
    }
    let before: Option<usize> = list.iter().rposition(|t| t.at <= start);
    for (i, t) in list.iter().enumerate() {
        let in_window = t.at > start || Some(i) == before;
        if in_window && !covered.contains(&i) {
            items.push((t.at, kind(t), None, t));
        }
    }
    items.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    if before.is_none() {
        // Nothing changed between the look-back and the window: the offset then, from then.
        let (secs, dst, name) = state(zone, lookback);
        let o = fixed(secs);
        let dtstart = lookback.with_timezone(&o).naive_local();
        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
        observance(out, kind, &civil_value(dtstart), o, o, &name, None);
    }
    for (_, kind, rrule, t) in items {
        observance(
            out,
            kind,
            &civil_value(t.local_start()),
            t.from,
            t.to,
            &t.name,
            rrule.as_deref(),
        );
    }
    push_line(out, "END:VTIMEZONE");
}

fn weekday_code(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// STANDARD or DAYLIGHT, as the tz data says, except that a change of a whole day or more
/// (Samoa's jump over 30 December 2011, -10:00 to +14:00, both daylight time) is STANDARD:
/// dateutil, which Python's icalendar reads VTIMEZONEs with, takes a DAYLIGHT observance's
/// TZOFFSETTO − TZOFFSETFROM as its DST and fails on 24 hours. Only the label changes; every
/// reader takes the offset from TZOFFSETTO.
fn kind(t: &Transition) -> &'static str {
    let jump = (t.to.local_minus_utc() - t.from.local_minus_utc()).abs();
    if t.dst && jump < 24 * 3600 {
        "DAYLIGHT"
    } else {
        "STANDARD"
    }
}

fn observance(
    out: &mut String,
    kind: &str,
    dtstart: &str,
    from: FixedOffset,
    to: FixedOffset,
    name: &str,
    rrule: Option<&str>,
) {
    push_line(out, &format!("BEGIN:{kind}"));
    push_line(out, &format!("DTSTART:{dtstart}"));
    if let Some(r) = rrule {
        push_line(out, &format!("RRULE:{r}"));
    }
    push_line(out, &format!("TZOFFSETFROM:{}", ics_offset(from)));
    push_line(out, &format!("TZOFFSETTO:{}", ics_offset(to)));
    let name = if name.is_empty() {
        format!("UTC{}", ics_offset(to))
    } else {
        name.to_string()
    };
    push_line(out, &format!("TZNAME:{}", super::text::escape_text(&name)));
    push_line(out, &format!("END:{kind}"));
}
