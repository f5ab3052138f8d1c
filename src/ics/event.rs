//! One session → its VEVENTs, written so that every reader puts every occurrence at the instant
//! roundtable resolved.
//!
//! Readers agree on a civil time with a TZID only when it is neither in a gap nor in a fold, and
//! on a length only when the offset does not change during it (ical.js and Python's icalendar
//! add it in local time; RFC 5545 in exact time). So:
//! - a one-off whose start or end is not plain is written in UTC;
//! - an occurrence of a series whose end is in a fold, or that spans a change of offset, is an
//!   override with UTC start and end (its RECURRENCE-ID is a plain local time, which every
//!   reader matches);
//! - a series that meets a gap or a fold at its start time is split there: the occurrences
//!   before, the disambiguated occurrence alone in UTC, the occurrences after, each its own
//!   event (an excepted start in a gap or fold cuts the series too, with nothing between). No single RECURRENCE-ID matches a generated gap instance in every reader (libical
//!   through ICU reads it after the gap, ical.js and dateutil before it, and each matches an
//!   override either by its local text or by its own instant), and libical's iterator drifts
//!   after a gap: the next instance an hour late. A split series never generates such a time.
//!   The first part keeps the session's UID; the others are `<session>~<first local start>`.

use chrono::NaiveDateTime;

use super::text::{civil_value, utc_value};
use super::{Event, Override, session_uid, tzid};
use crate::civil::{Disambiguation, resolve};
use crate::occurrence::{Occurrence, Schedule};
use crate::programme::{Programme, Session};
use crate::zone::Zone;

/// Whether every reader gets `o` right from its civil start and the series' length: a civil start
/// that is neither in a gap nor a fold, an end that is not in a fold, and the same UTC offset at
/// both ends.
fn plain(o: &Occurrence, zone: &Zone) -> bool {
    let end_civil = zone.local(o.end).naive_local();
    o.disambiguated.is_none()
        && resolve(end_civil, zone, Disambiguation::Reject).is_ok()
        && zone.offset_at(o.start) == zone.offset_at(o.end)
}

/// The rule's text without `COUNT` (a part of a split series ends with UNTIL instead).
fn without_count(body: &str) -> String {
    body.split(';')
        .filter(|p| !p.to_ascii_uppercase().starts_with("COUNT="))
        .collect::<Vec<_>>()
        .join(";")
}

/// What a part of a session is written as.
struct Part<'a> {
    uid: String,
    occurrences: &'a [&'a Occurrence],
}

/// The VEVENTs of session `index` (sequence 0, not cancelled; the lock sets those): one, or
/// several when a series meets a gap or a fold (see the module's documentation). Empty when the
/// session has no occurrence.
pub fn events_for(programme: &Programme, schedule: &Schedule, index: usize) -> Vec<Event> {
    let session: &Session = &programme.sessions[index];
    let occurrences: Vec<&Occurrence> = schedule.of_session(index).collect();
    let base_uid = session_uid(programme, session, "");
    let zone = session.timezone.zone;
    let Some(rule) = &session.repeat else {
        return occurrences
            .first()
            .map(|o| one_off(programme, session, index, base_uid, o, &zone))
            .into_iter()
            .collect();
    };
    // Excepted starts the rule generates in a gap or fold: the EXDATE would not match in
    // libical (see above), so the series is cut there too.
    let excepted: Vec<NaiveDateTime> = session.except.iter().map(|(c, _)| *c).collect();
    let hidden: Vec<NaiveDateTime> = excepted
        .iter()
        .copied()
        .filter(|c| resolve(*c, &zone, Disambiguation::Reject).is_err())
        .collect();
    if hidden.is_empty() && occurrences.iter().all(|o| o.disambiguated.is_none()) {
        return whole_series(programme, session, index, base_uid, &occurrences, rule)
            .into_iter()
            .collect();
    }
    // Runs of occurrences at plain local times, and each disambiguated occurrence alone.
    let mut parts: Vec<Part<'_>> = Vec::new();
    let mut start = 0;
    for i in 0..=occurrences.len() {
        let cut = i == occurrences.len() || occurrences[i].disambiguated.is_some();
        let hidden_before = i > start
            && i < occurrences.len()
            && hidden
                .iter()
                .any(|c| *c > occurrences[i - 1].civil_start && *c < occurrences[i].civil_start);
        if hidden_before && !cut {
            parts.push(Part {
                uid: String::new(),
                occurrences: &occurrences[start..i],
            });
            start = i;
        }
        if cut {
            if start < i {
                parts.push(Part {
                    uid: String::new(),
                    occurrences: &occurrences[start..i],
                });
            }
            if i < occurrences.len() {
                parts.push(Part {
                    uid: String::new(),
                    occurrences: &occurrences[i..=i],
                });
            }
            start = i + 1;
        }
    }
    let suffix = |o: &Occurrence| o.civil_start.format("~%Y%m%dT%H%M").to_string();
    for (k, part) in parts.iter_mut().enumerate() {
        part.uid = if k == 0 {
            base_uid.clone()
        } else {
            session_uid(programme, session, &suffix(part.occurrences[0]))
        };
    }
    parts
        .into_iter()
        .map(|part| {
            let first = part.occurrences[0];
            if part.occurrences.len() == 1 {
                return one_off(programme, session, index, part.uid, first, &zone);
            }
            let last = part.occurrences[part.occurrences.len() - 1];
            let from = first.civil_start;
            let to = last.civil_start;
            let value = format!(
                "{};UNTIL={}",
                without_count(&rule.body),
                utc_value(last.start)
            );
            let exdates = excepted
                .iter()
                .filter(|c| **c > from && **c < to)
                .map(|c| civil_value(*c))
                .collect();
            series_event(
                programme,
                session,
                index,
                part.uid,
                part.occurrences,
                from,
                value,
                exdates,
            )
        })
        .collect()
}

/// A one-off, or one occurrence of a split series: civil times when both are plain, else UTC.
fn one_off(
    programme: &Programme,
    session: &Session,
    index: usize,
    uid: String,
    o: &Occurrence,
    zone: &Zone,
) -> Event {
    let (dtstart, dtend) = if plain(o, zone) {
        (
            civil_value(o.civil_start),
            civil_value(zone.local(o.end).naive_local()),
        )
    } else {
        // A start in a gap or fold, or an end in a fold: both in UTC, so that no reader
        // picks the other side of the fold or adds the length in local time.
        (utc_value(o.start), utc_value(o.end))
    };
    let mut e = base(programme, session, index, uid, o, o);
    e.dtstart = dtstart;
    e.dtend = Some(dtend);
    e
}

/// A series with no occurrence in a gap or fold: one event from the session's own start.
fn whole_series(
    programme: &Programme,
    session: &Session,
    index: usize,
    uid: String,
    occurrences: &[&Occurrence],
    rule: &crate::recurrence::Rule,
) -> Option<Event> {
    let zone = session.timezone.zone;
    // UNTIL in UTC (RFC 5545 with a TZID start): the latest instant the last generated civil
    // start can mean, so every client includes it and nothing after it.
    let generated = rule.expand(session.start, &zone).ok()?;
    let mut value = rule.body.clone();
    if !rule.has_count {
        let last_civil = *generated.starts.last()?;
        let until = resolve(last_civil, &zone, Disambiguation::Later).ok()?;
        value.push_str(&format!(";UNTIL={}", utc_value(until)));
    }
    let exdates = session
        .except
        .iter()
        .filter(|(c, _)| generated.starts.contains(c))
        .map(|(c, _)| civil_value(*c))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    Some(series_event(
        programme,
        session,
        index,
        uid,
        occurrences,
        session.start,
        value,
        exdates,
    ))
}

/// A series event from `dtstart` with RRULE `rrule`, whose occurrences are `occurrences`
/// (none of them disambiguated): the ones that are not plain become UTC overrides.
#[allow(clippy::too_many_arguments)]
fn series_event(
    programme: &Programme,
    session: &Session,
    index: usize,
    uid: String,
    occurrences: &[&Occurrence],
    dtstart: NaiveDateTime,
    rrule: String,
    exdates: Vec<String>,
) -> Event {
    let zone = session.timezone.zone;
    let first = occurrences[0];
    let last = occurrences[occurrences.len() - 1];
    let overrides = occurrences
        .iter()
        .filter(|o| !plain(o, &zone))
        .map(|o| Override {
            recurrence_id: civil_value(o.civil_start),
            start: o.start,
            end: o.end,
        })
        .collect();
    let mut e = base(programme, session, index, uid, first, last);
    e.dtstart = civil_value(dtstart);
    // DTEND on the first occurrence's own local clock only when that occurrence is plain and
    // is DTSTART; otherwise the length as DURATION, which every reader adds alike to the plain
    // occurrences (the others are overrides).
    if plain(first, &zone) && first.civil_start == dtstart {
        e.dtend = Some(civil_value(zone.local(first.end).naive_local()));
    } else {
        e.duration = Some(first.end - first.start);
    }
    e.rrule = Some(rrule);
    e.exdates = exdates;
    e.overrides = overrides;
    e
}

fn base(
    programme: &Programme,
    session: &Session,
    index: usize,
    uid: String,
    first: &Occurrence,
    last: &Occurrence,
) -> Event {
    Event {
        session: Some(index),
        session_id: session.id.clone(),
        uid,
        sequence: 0,
        cancelled: false,
        title: session.title.clone(),
        tzid: tzid(&session.timezone),
        zone: session.timezone.zone,
        dtstart: String::new(),
        dtend: None,
        duration: None,
        rrule: None,
        exdates: Vec::new(),
        overrides: Vec::new(),
        join_url: session.join_url.clone(),
        description: session.description.clone(),
        reminder: session
            .reminder
            .or(programme.reminder)
            .map(|d| d.num_minutes()),
        first: first.start,
        last: last.start,
    }
}
