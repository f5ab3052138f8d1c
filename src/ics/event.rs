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
//! - an occurrence a `[[session.occurrence]]` moves or changes is an override of the part its
//!   original start belongs to (RECURRENCE-ID: that start, as the series generates it, in
//!   local time), with its own DTSTART/DTEND (local when plain, else UTC as above) and its own
//!   SUMMARY, DESCRIPTION and link. Parts are cut by the original starts, so an occurrence
//!   whose original start is in a gap or fold is a part of its own (written at its new time),
//!   and one moved into a gap or fold is an override in UTC.

use chrono::NaiveDateTime;

use super::text::{civil_value, utc_value};
use super::{Event, Override, session_uid, tzid};
use crate::civil::{Disambiguation, resolve};
use crate::occurrence::{Occurrence, Schedule, series_length};
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

/// Whether the series generates `o` at a civil time in a gap or a fold (for an occurrence not
/// moved, whether it was disambiguated): no RECURRENCE-ID or EXDATE names such a time alike in
/// every reader, so the series is cut there.
fn cut_at(o: &Occurrence, zone: &Zone) -> bool {
    if o.original == o.civil_start {
        o.disambiguated.is_some()
    } else {
        resolve(o.original, zone, Disambiguation::Reject).is_err()
    }
}

/// The instant the series generates `o` at (its own start unless it was moved). Only for an
/// occurrence the series is not cut at, whose original start is plain.
fn original_instant(o: &Occurrence, zone: &Zone) -> chrono::DateTime<chrono::Utc> {
    if o.original == o.civil_start {
        o.start
    } else {
        resolve(o.original, zone, Disambiguation::Reject).unwrap_or(o.start)
    }
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
    let mut occurrences: Vec<&Occurrence> = schedule.of_session(index).collect();
    // In the order the series generates them: a moved occurrence belongs where its original
    // start is (its RECURRENCE-ID), whenever it now happens.
    if occurrences.iter().any(|o| o.changed.is_some()) {
        occurrences.sort_by_key(|o| o.original);
    }
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
    if hidden.is_empty() && occurrences.iter().all(|o| !cut_at(o, &zone)) {
        return whole_series(programme, session, index, base_uid, &occurrences, rule)
            .into_iter()
            .collect();
    }
    let runs = runs(&occurrences, &hidden, &zone);
    parts(programme, session, base_uid, runs)
        .into_iter()
        .map(|part| part_event(programme, session, index, part, rule, &excepted))
        .collect()
}

/// Runs of occurrences at plain local times, and each disambiguated occurrence alone; a run is
/// also cut where the rule generates a `hidden` excepted start.
fn runs<'a>(
    occurrences: &'a [&'a Occurrence],
    hidden: &[NaiveDateTime],
    zone: &Zone,
) -> Vec<&'a [&'a Occurrence]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 0..=occurrences.len() {
        let cut = i == occurrences.len() || cut_at(occurrences[i], zone);
        let hidden_before = i > start
            && i < occurrences.len()
            && hidden
                .iter()
                .any(|c| *c > occurrences[i - 1].original && *c < occurrences[i].original);
        if hidden_before && !cut {
            runs.push(&occurrences[start..i]);
            start = i;
        }
        if cut {
            if start < i {
                runs.push(&occurrences[start..i]);
            }
            if i < occurrences.len() {
                runs.push(&occurrences[i..=i]);
            }
            start = i + 1;
        }
    }
    runs
}

/// The runs of a split series with their UIDs: the first keeps the session's, the others are
/// `<session>~<first local start>`.
fn parts<'a>(
    programme: &Programme,
    session: &Session,
    base_uid: String,
    runs: Vec<&'a [&'a Occurrence]>,
) -> Vec<Part<'a>> {
    let suffix = |o: &Occurrence| o.original.format("~%Y%m%dT%H%M").to_string();
    runs.into_iter()
        .enumerate()
        .map(|(k, occurrences)| Part {
            uid: if k == 0 {
                base_uid.clone()
            } else {
                session_uid(programme, session, &suffix(occurrences[0]))
            },
            occurrences,
        })
        .collect()
}

/// The event of one part of a split series: a one-off for a single occurrence, else a series
/// from its first original start until its last, with the `excepted` starts between.
fn part_event(
    programme: &Programme,
    session: &Session,
    index: usize,
    part: Part<'_>,
    rule: &crate::recurrence::Rule,
    excepted: &[NaiveDateTime],
) -> Event {
    let zone = session.timezone.zone;
    let first = part.occurrences[0];
    if part.occurrences.len() == 1 {
        return one_off(programme, session, index, part.uid, first, &zone);
    }
    let last = part.occurrences[part.occurrences.len() - 1];
    let from = first.original;
    let to = last.original;
    let value = format!(
        "{};UNTIL={}",
        without_count(&rule.body),
        utc_value(original_instant(last, &zone))
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
    let mut e = base(programme, session, index, uid, o.start, o.start);
    e.dtstart = dtstart;
    e.dtend = Some(dtend);
    // A part of one occurrence (cut from a series at a gap or fold) that was changed: it is
    // its own event, so its changes are the event's.
    e.title = o.title(session).to_string();
    e.join_url = o.join_url(session).map(str::to_string);
    e.description = o.description(session).map(str::to_string);
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
        .filter(|o| !plain(o, &zone) || o.changed.is_some())
        .map(|o| {
            let change = o.change(session);
            Override {
                recurrence_id: civil_value(o.original),
                start: o.start,
                end: o.end,
                // A moved occurrence at plain local times is written in them, like the series.
                civil: (o.changed.is_some() && plain(o, &zone)).then(|| {
                    (
                        civil_value(o.civil_start),
                        civil_value(zone.local(o.end).naive_local()),
                    )
                }),
                title: change.and_then(|c| c.title.clone()),
                description: change.and_then(|c| c.description.clone()),
                join_url: change.and_then(|c| c.join_url.clone()),
            }
        })
        .collect();
    let mut e = base(
        programme,
        session,
        index,
        uid,
        original_instant(first, &zone),
        original_instant(last, &zone),
    );
    e.dtstart = civil_value(dtstart);
    // DTEND on the first occurrence's own local clock only when that occurrence is plain, is
    // DTSTART and is not moved; otherwise the series' length as DURATION, which every reader
    // adds alike to the plain occurrences (the others are overrides).
    if plain(first, &zone) && first.civil_start == dtstart && !first.moved(session) {
        e.dtend = Some(civil_value(zone.local(first.end).naive_local()));
    } else if first.moved(session) {
        e.duration = Some(series_length(session).unwrap_or(first.end - first.start));
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
    first: chrono::DateTime<chrono::Utc>,
    last: chrono::DateTime<chrono::Utc>,
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
        first,
        last,
    }
}
