//! VTIMEZONE blocks generated from the same tz data roundtable converts with.
//!
//! A block covers the observance in force at the first occurrence and every transition up to the
//! last one. Where the zone's rule in that span is a regular yearly one ("last Sunday of March at
//! 02:00"), it is written as one STANDARD and one DAYLIGHT with an RRULE — the only form Outlook
//! reads; otherwise every transition is written as an explicit observance. Zones without DST and
//! fixed offsets get one STANDARD.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::{OffsetComponents, OffsetName};

use super::text::push_line;
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

fn fixed(seconds: i32) -> FixedOffset {
    FixedOffset::east_opt(seconds).unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
}

/// Every change of offset (or of DST flag) in `(from, to]`, found by stepping 6 hours at a time and
/// bisecting to the second. No zone in the tz database changes twice within 6 hours.
pub fn transitions(zone: &Zone, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Transition> {
    let mut out = Vec::new();
    if matches!(zone, Zone::Fixed(_)) {
        return out;
    }
    let step = Duration::hours(6);
    let mut t = from;
    let mut before = state(zone, t);
    while t < to {
        let next = (t + step).min(to);
        let after = state(zone, next);
        if (after.0, after.1) != (before.0, before.1) {
            // Bisect (t, next] for the first instant with the new state.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if (state(zone, mid).0, state(zone, mid).1) == (before.0, before.1) {
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

/// A yearly rule: `BYMONTH=3;BYDAY=-1SU` at a local time.
#[derive(Debug, Clone, PartialEq, Eq)]
struct YearlyRule {
    month: u32,
    /// 1..=4, or -1 for "last".
    nth: i32,
    weekday: Weekday,
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

/// The one yearly rule that produces every transition of `list` (one per consecutive year, same
/// offsets, same local time), if there is one.
fn yearly_rule(list: &[&Transition]) -> Option<YearlyRule> {
    let first = list.first()?;
    let local = |t: &Transition| t.local_start();
    let f = local(first);
    let days_in_month = |y: i32, m: u32| {
        let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        chrono::NaiveDate::from_ymd_opt(next.0, next.1, 1)
            .and_then(|d| d.pred_opt())
            .map_or(31, |d| d.day())
    };
    let mut candidates: Vec<i32> = vec![1, 2, 3, 4, -1];
    for (i, t) in list.iter().enumerate() {
        let l = local(t);
        if l.year() != f.year() + i as i32
            || l.month() != f.month()
            || l.time() != f.time()
            || l.weekday() != f.weekday()
            || t.from != first.from
            || t.to != first.to
            || t.dst != first.dst
        {
            return None;
        }
        let nth = ((l.day() - 1) / 7 + 1) as i32;
        let last = l.day() + 7 > days_in_month(l.year(), l.month());
        candidates.retain(|c| *c == nth || (*c == -1 && last));
    }
    // Prefer "last" for days 22–31 (it survives months of any length), else the nth.
    let nth = if candidates.contains(&-1) {
        -1
    } else {
        *candidates.first()?
    };
    Some(YearlyRule {
        month: f.month(),
        nth,
        weekday: f.weekday(),
    })
}

/// Writes the VTIMEZONE of `zone` under `tzid`, covering instants from `first` to `last`.
pub fn write_vtimezone(
    out: &mut String,
    tzid: &str,
    zone: &Zone,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
) {
    push_line(out, "BEGIN:VTIMEZONE");
    push_line(out, &format!("TZID:{tzid}"));
    let list = transitions(zone, first - Duration::days(400), last + Duration::hours(1));
    let in_force: Vec<&Transition> = list.iter().filter(|t| t.at <= first).collect();
    let within: Vec<&Transition> = list
        .iter()
        .filter(|t| t.at > first && t.at <= last)
        .collect();
    if list.is_empty() || (within.is_empty() && in_force.is_empty()) {
        let (secs, _, name) = state(zone, first);
        observance(
            out,
            "STANDARD",
            "19700101T000000",
            fixed(secs),
            fixed(secs),
            &name,
            None,
        );
    } else {
        let up_to_last: Vec<&Transition> = list.iter().filter(|t| t.at <= last).collect();
        let std_list: Vec<&Transition> = up_to_last.iter().copied().filter(|t| !t.dst).collect();
        let dst_list: Vec<&Transition> = up_to_last.iter().copied().filter(|t| t.dst).collect();
        let regular = match (yearly_rule(&std_list), yearly_rule(&dst_list)) {
            (Some(s), Some(d)) if !std_list.is_empty() && !dst_list.is_empty() => Some((s, d)),
            _ => None,
        };
        match regular {
            Some((s, d)) => {
                for (kind, rule, t) in [("DAYLIGHT", d, dst_list[0]), ("STANDARD", s, std_list[0])]
                {
                    let rrule = format!(
                        "FREQ=YEARLY;BYMONTH={};BYDAY={}{}",
                        rule.month,
                        rule.nth,
                        weekday_code(rule.weekday)
                    );
                    observance(
                        out,
                        kind,
                        &t.local_start().format("%Y%m%dT%H%M%S").to_string(),
                        t.from,
                        t.to,
                        &t.name,
                        Some(&rrule),
                    );
                }
            }
            None => {
                let mut explicit: Vec<&Transition> = Vec::new();
                match in_force.last() {
                    Some(t) => explicit.push(t),
                    None => {
                        let (secs, dst, name) = state(zone, first);
                        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
                        observance(
                            out,
                            kind,
                            "19700101T000000",
                            fixed(secs),
                            fixed(secs),
                            &name,
                            None,
                        );
                    }
                }
                explicit.extend(within.iter().copied());
                for t in explicit {
                    let kind = if t.dst { "DAYLIGHT" } else { "STANDARD" };
                    observance(
                        out,
                        kind,
                        &t.local_start().format("%Y%m%dT%H%M%S").to_string(),
                        t.from,
                        t.to,
                        &t.name,
                        None,
                    );
                }
            }
        }
    }
    push_line(out, "END:VTIMEZONE");
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
