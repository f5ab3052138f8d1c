//! The checks of one participant: one function per conflict kind (hours and night, weekend,
//! date shift, language, busy clashes, overlaps, DST shifts), each writing its sentence into
//! the chunk's buffer ([`Found`]); the sentences a thread repeats are shared ([`Sentences`]).

use super::*;
use std::fmt::Write as _;

/// Minutes since local midnight of a local time.
fn minute_of_day(t: &NaiveDateTime) -> i64 {
    i64::from(t.hour() * 60 + t.minute())
}

/// The sentences of conflicts already found, each held once per thread: thousands of
/// participants in one zone get the same sentence for the same occurrence ("starts on Saturday
/// 28 Oct local, …"), and a report of 100,000 participants would otherwise hold each of them
/// apart. A busy-calendar clash names the participant's own event: its sentence is not shared.
#[derive(Default)]
pub(super) struct Sentences {
    /// One set per thread at work (taken while a chunk is shared, then put back). Hashed with
    /// FxHash, not SipHash (most of the time spent sharing): the sentences shared are made from
    /// the programme alone, never from a busy calendar's text, so no one outside it picks what
    /// collides.
    free: std::sync::Mutex<Vec<rustc_hash::FxHashSet<std::sync::Arc<str>>>>,
}

impl Sentences {
    /// A set for a chunk: one a chunk before left, or a new one.
    pub(super) fn take(&self) -> rustc_hash::FxHashSet<std::sync::Arc<str>> {
        let taken = self.free.lock().ok().and_then(|mut free| free.pop());
        taken.unwrap_or_default()
    }

    /// Leaves `set` for the next chunk.
    pub(super) fn put(&self, set: rustc_hash::FxHashSet<std::sync::Arc<str>>) {
        if let Ok(mut free) = self.free.lock() {
            free.push(set);
        }
    }
}

/// The conflicts a chunk of participants has, as they are found. Each sentence is written in
/// one buffer, then held in an `Arc` once per thread ([`Sentences`]): a sentence seen before
/// costs no allocation at all, where a `String` per conflict, made an `Arc` and then shared,
/// cost three (issue 19: 134,500 conflicts at 10,000 participants).
pub(super) struct Found {
    pub(super) conflicts: Vec<Conflict>,
    /// The sentence being written ([`Found::sentence`]).
    text: String,
    /// The sentences this thread wrote before (but busy clashes).
    pub(super) seen: rustc_hash::FxHashSet<std::sync::Arc<str>>,
}

impl Found {
    pub(super) fn new(seen: rustc_hash::FxHashSet<std::sync::Arc<str>>) -> Self {
        Found {
            conflicts: Vec::new(),
            text: String::with_capacity(128),
            seen,
        }
    }

    /// The buffer for the next conflict's sentence, empty.
    fn sentence(&mut self) -> &mut String {
        self.text.clear();
        &mut self.text
    }

    /// A conflict of `kind` of participant `pi` with occurrence `oi` (seen as `l`), whose
    /// sentence is the one just written in [`Found::sentence`]. A busy-calendar clash names the
    /// participant's own event: its sentence is not shared.
    fn push(&mut self, l: &Local, kind: Kind, pi: usize, oi: usize) {
        let text = self.text.as_str();
        let detail: std::sync::Arc<str> = if kind == Kind::Busy {
            std::sync::Arc::from(text)
        } else if let Some(same) = self.seen.get(text) {
            same.clone()
        } else {
            let new: std::sync::Arc<str> = std::sync::Arc::from(text);
            self.seen.insert(new.clone());
            new
        };
        self.conflicts.push(l.conflict(kind, pi, oi, detail));
    }
}

/// The conflicts (onto `found`) and burden of the participants `range`, in participant order.
pub(super) fn check_participants(
    found: &mut Found,
    programme: &Programme,
    schedule: &Schedule,
    busy: &[Vec<Busy>],
    range: std::ops::Range<usize>,
) -> Vec<(usize, Burden)> {
    let mut burden = Vec::new();
    let mut mine: Vec<usize> = Vec::new();
    let mut sessions: Vec<bool> = Vec::new();
    for pi in range {
        let participant = &programme.participants[pi];
        // Their occurrences, in start order. Which sessions they attend is tested as each
        // participant is checked: a list of every session's audience would hold 8 bytes per
        // participant and session.
        sessions.clear();
        sessions.extend(
            programme
                .sessions
                .iter()
                .map(|s| s.audience.includes(participant)),
        );
        mine.clear();
        mine.extend(
            (0..schedule.occurrences.len())
                .filter(|&oi| sessions[schedule.occurrences[oi].session]),
        );
        if mine.is_empty() {
            continue;
        }
        let theirs = busy.get(pi).map_or(&[][..], Vec::as_slice);
        let b = check_occurrences(found, programme, schedule, pi, &mine, theirs);
        overlaps(found, programme, schedule, pi, participant, &mine);
        dst_shifts(found, programme, schedule, pi, participant, &mine);
        burden.push((pi, b));
    }
    burden
}

/// The checks of each of participant `pi`'s occurrences `mine` on its own (hours, weekend, date
/// shift, language, busy clashes with their calendar `busy`); returns the burden they make.
fn check_occurrences(
    conflicts: &mut Found,
    programme: &Programme,
    schedule: &Schedule,
    pi: usize,
    mine: &[usize],
    busy: &[Busy],
) -> Burden {
    let participant = &programme.participants[pi];
    let weekend_days: &[chrono::Weekday] = participant
        .weekend
        .as_deref()
        .unwrap_or_else(|| crate::weekend::for_zone(&participant.timezone.zone));
    let mut b = Burden::default();
    for &oi in mine {
        let o = &schedule.occurrences[oi];
        let local = Local::new(participant, o);
        hours(conflicts, &mut b, pi, oi, participant, &local);
        weekend(conflicts, (pi, oi), participant, weekend_days, &local);
        date_shift(conflicts, pi, oi, o, &local);
        let session = &programme.sessions[o.session];
        language(conflicts, pi, oi, participant, session, &local);
        busy_clashes(conflicts, pi, oi, busy, &local);
    }
    b
}

/// An occurrence as one participant sees it.
struct Local {
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
    /// `start` and `end` on the participant's clock, computed once: chrono works out a
    /// `DateTime`'s local date or hour afresh each time it is asked.
    start_civil: NaiveDateTime,
    end_civil: NaiveDateTime,
    minutes: i64,
}

impl Local {
    fn new(p: &Participant, o: &Occurrence) -> Self {
        let (start, end) = (p.timezone.zone.local(o.start), p.timezone.zone.local(o.end));
        Local {
            start,
            end,
            start_civil: start.naive_local(),
            end_civil: end.naive_local(),
            minutes: (o.end - o.start).num_minutes(),
        }
    }

    fn conflict(
        &self,
        kind: Kind,
        participant: usize,
        occurrence: usize,
        detail: std::sync::Arc<str>,
    ) -> Conflict {
        // Indices fit in a u32: `programme::validate` allows at most a million participants,
        // and `recurrence` at most a thousand occurrences per session.
        Conflict {
            kind,
            participant: u32::try_from(participant).unwrap_or(u32::MAX),
            occurrence: u32::try_from(occurrence).unwrap_or(u32::MAX),
            start_offset: *self.start.offset(),
            end_offset: *self.end.offset(),
            detail,
        }
    }

    /// `09:00–10:30`: the local start and end, as chrono's `%H:%M` writes them.
    fn span(&self) -> String {
        let mut out = String::with_capacity(13);
        self.push_span(&mut out);
        out
    }

    /// [`Local::span`], onto `out`.
    fn push_span(&self, out: &mut String) {
        words::push_hh_mm(out, &self.start_civil);
        out.push('–');
        words::push_hh_mm(out, &self.end_civil);
    }
}

/// `night` and `outside-hours`, and the burden.
fn hours(out: &mut Found, burden: &mut Burden, pi: usize, oi: usize, p: &Participant, l: &Local) {
    let c = crate::comfort::comfort_at(l.start_civil, &p.working_hours, &p.night, &[], l.minutes);
    let (night, outside) = (c.night, c.outside);
    burden.night_minutes += night;
    burden.outside_hours_minutes += outside;
    // One sentence, written in place (no `String` per piece).
    let (kind, minutes, what, range) = if night > 0 {
        (Kind::Night, night, "in the night", &p.night)
    } else if outside > 0 {
        (
            Kind::OutsideHours,
            outside,
            "outside working hours",
            &p.working_hours,
        )
    } else {
        return;
    };
    let detail = out.sentence();
    l.push_span(detail);
    let _ = write!(
        detail,
        " local: {minutes} of {} minutes {what} ({range})",
        l.minutes
    );
    out.push(l, kind, pi, oi);
}

/// `weekend`, when the occurrence starts on one of `days`, participant `p`'s weekend days.
fn weekend(
    out: &mut Found,
    (pi, oi): (usize, usize),
    p: &Participant,
    days: &[chrono::Weekday],
    l: &Local,
) {
    use chrono::Datelike;
    let day = l.start_civil.weekday();
    if days.contains(&day) {
        let detail = out.sentence();
        detail.push_str("starts on ");
        detail.push_str(words::weekday_long(day));
        detail.push(' ');
        words::push_dd_mon(detail, &l.start_civil);
        detail.push_str(" local, a weekend day (");
        if p.weekend.is_some() {
            detail.push_str("their `weekend`");
        } else {
            push_zone_country(detail, &p.timezone.zone);
        }
        detail.push_str(": ");
        for (i, d) in days.iter().enumerate() {
            if i > 0 {
                detail.push_str(", ");
            }
            detail.push_str(words::weekday_short(*d));
        }
        detail.push(')');
        out.push(l, Kind::Weekend, pi, oi);
    }
}

/// `Africa/Maputo is in Mozambique`: where a zone's weekend comes from.
fn push_zone_country(out: &mut String, zone: &Zone) {
    match zone {
        Zone::Iana(tz) => {
            out.push_str(tz.name());
            if let Some(c) = crate::weekend::country(tz.name()) {
                out.push_str(" is in ");
                out.push_str(c);
            }
        }
        Zone::Fixed(_) => out.push_str("fixed offset, Saturday–Sunday assumed"),
    }
}

fn date_shift(out: &mut Found, pi: usize, oi: usize, o: &Occurrence, l: &Local) {
    let shift = (l.start_civil.date() - o.civil_start.date()).num_days();
    if shift != 0 {
        let sign = if shift > 0 { "+" } else { "\u{2212}" };
        let detail = out.sentence();
        detail.push_str("local date ");
        words::push_a_dd_mon(detail, &l.start_civil);
        detail.push_str(" differs from the session's date ");
        words::push_a_dd_mon(detail, &o.civil_start);
        let _ = write!(detail, " ({sign}{} day)", shift.abs());
        out.push(l, Kind::DateShift, pi, oi);
    }
}

/// A session that says which languages it is held or interpreted in, none of them the
/// participant's.
fn language(
    out: &mut Found,
    pi: usize,
    oi: usize,
    p: &Participant,
    session: &crate::programme::Session,
    l: &Local,
) {
    if session.follows(p.language) {
        return;
    }
    let _ = write!(
        out.sentence(),
        "held in {}, none of them their language ({})",
        session.languages.join(", "),
        p.language
    );
    out.push(l, Kind::Language, pi, oi);
}

fn busy_clashes(out: &mut Found, pi: usize, oi: usize, busy: &[Busy], l: &Local) {
    let (start, end) = (l.start.with_timezone(&Utc), l.end.with_timezone(&Utc));
    // Sorted by start: skip those that end before ours starts... they are sorted by start only, so
    // scan those starting before our end.
    let upto = busy.partition_point(|b| b.start < end);
    for b in &busy[..upto] {
        if b.end > start && b.start < end {
            let bl = (
                b.start.with_timezone(l.start.offset()).naive_local(),
                b.end.with_timezone(l.start.offset()).naive_local(),
            );
            let detail = out.sentence();
            detail.push_str("clashes with “");
            detail.push_str(&b.summary);
            detail.push_str("” (UID ");
            detail.push_str(&b.uid);
            detail.push_str(") ");
            words::push_a_dd_mon(detail, &bl.0);
            detail.push(' ');
            words::push_hh_mm(detail, &bl.0);
            detail.push('–');
            words::push_hh_mm(detail, &bl.1);
            detail.push_str(" local");
            out.push(l, Kind::Busy, pi, oi);
        }
    }
}

fn overlaps(
    out: &mut Found,
    programme: &Programme,
    schedule: &Schedule,
    pi: usize,
    p: &Participant,
    mine: &[usize],
) {
    // `mine` is in start order; each occurrence is compared with the earlier ones still running.
    let mut running: Vec<usize> = Vec::new();
    for &oi in mine {
        let o = &schedule.occurrences[oi];
        running.retain(|&r| schedule.occurrences[r].end > o.start);
        for &r in &running {
            let other = &schedule.occurrences[r];
            if other.session == o.session {
                continue;
            }
            let minutes = (other.end.min(o.end) - o.start).num_minutes();
            let s = &programme.sessions[other.session];
            let l = Local::new(p, o);
            let ol = Local::new(p, other);
            let _ = write!(
                out.sentence(),
                "overlaps “{}” ({}) {} local by {minutes} minutes",
                other.title(s),
                s.id,
                ol.span()
            );
            out.push(&l, Kind::Overlap, pi, oi);
        }
        running.push(oi);
    }
}

fn dst_shifts(
    out: &mut Found,
    programme: &Programme,
    schedule: &Schedule,
    pi: usize,
    p: &Participant,
    mine: &[usize],
) {
    // Their occurrences of recurring sessions, by session, each session's in start order
    // (`mine` is, and the sort is stable): one list per participant, where a map of a list
    // per session was twenty allocations per participant (issue 19).
    let mut by_session: Vec<(usize, usize)> = mine
        .iter()
        .map(|&oi| (schedule.occurrences[oi].session, oi))
        .filter(|&(si, _)| programme.sessions[si].repeat.is_some())
        .collect();
    by_session.sort_by_key(|&(si, _)| si);
    for run in by_session.chunk_by(|a, b| a.0 == b.0) {
        let Some(&(si, _)) = run.first() else {
            continue;
        };
        let session = &programme.sessions[si];
        // An occurrence moved by a `[[session.occurrence]]` is at another time on purpose.
        let mut list = run
            .iter()
            .map(|&(_, oi)| oi)
            .filter(|&oi| !schedule.occurrences[oi].moved(session));
        // The first is the reference; a series of one has nothing to compare.
        let Some(first_oi) = list.next() else {
            continue;
        };
        let first = &schedule.occurrences[first_oi];
        let first_local = Local::new(p, first);
        let reference = minute_of_day(&first_local.start_civil);
        for oi in list {
            let o = &schedule.occurrences[oi];
            // Only a series whose own wall-clock time stays put: the shift is then the zones'.
            if o.civil_start.time() != first.civil_start.time() {
                continue;
            }
            let l = Local::new(p, o);
            let mut delta = minute_of_day(&l.start_civil) - reference;
            if delta > 720 {
                delta -= 1440;
            } else if delta < -720 {
                delta += 1440;
            }
            if delta != 0 {
                let sign = if delta > 0 { "+" } else { "\u{2212}" };
                let _ = write!(
                    out.sentence(),
                    "starts at {} local instead of {} as on {} ({sign}{}): {} and {} change clocks on different dates",
                    l.start.format("%H:%M"),
                    first_local.start.format("%H:%M"),
                    first_local.start.format("%d %b"),
                    crate::duration::format_minutes(delta.abs()),
                    session.timezone.written,
                    p.timezone.written,
                );
                out.push(&l, Kind::DstShift, pi, oi);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// The conflicts of one chunk whose sentences are `texts` (kind, sentence), found with the
    /// sets of `sentences` as a thread does.
    fn chunk(sentences: &Sentences, texts: &[(Kind, &str)]) -> Vec<Conflict> {
        let t = chrono::TimeZone::with_ymd_and_hms(&Utc, 2024, 1, 1, 9, 0, 0).unwrap();
        let l = Local {
            start: t.fixed_offset(),
            end: t.fixed_offset(),
            start_civil: t.naive_utc(),
            end_civil: t.naive_utc(),
            minutes: 60,
        };
        let mut found = Found::new(sentences.take());
        for (kind, text) in texts {
            found.sentence().push_str(text);
            found.push(&l, *kind, 0, 0);
        }
        sentences.put(found.seen);
        found.conflicts
    }

    #[test]
    fn sentences_repeated_are_one_allocation_except_busy_clashes() {
        let sentences = Sentences::default();
        let first = chunk(
            &sentences,
            &[
                (Kind::Night, "a"),
                (Kind::Weekend, "a"),
                (Kind::Busy, "a"),
                (Kind::Night, "b"),
            ],
        );
        // A later chunk on the same thread shares the earlier chunk's sentences.
        let second = chunk(&sentences, &[(Kind::Night, "a"), (Kind::Busy, "a")]);
        assert!(Arc::ptr_eq(&first[0].detail, &first[1].detail));
        assert!(Arc::ptr_eq(&first[0].detail, &second[0].detail));
        assert!(!Arc::ptr_eq(&first[0].detail, &first[2].detail));
        assert!(!Arc::ptr_eq(&first[2].detail, &second[1].detail));
        // Each conflict has its own sentence, and one set is kept for the next chunk.
        let texts: Vec<&str> = first.iter().chain(&second).map(|c| &*c.detail).collect();
        assert_eq!(texts, ["a", "a", "a", "b", "a", "a"]);
        assert_eq!(sentences.free.lock().unwrap().len(), 1);
    }
}
