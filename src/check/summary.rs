//! What a report leads with, and how its details are grouped.
//!
//! A list of 30 night errors, one per participant, hides that 24 of them are one session; a
//! Friday of a week-long training gives a weekend row per participant. So every report opens
//! with counts per session and kind ([`by_session`]), per day and kind ([`by_day`], the day of
//! the occurrence in the programme's zone) and, in the organizer's report, the most affected
//! participants ([`most_affected`]); and its details show the same conflict of several
//! participants of one zone on one day as one row ([`groups`]).
//!
//! Nothing here names anybody: the counts are used as they are by the public summary
//! ([`super::public`]); names are added by the organizer's report ([`super::report`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;

use super::{Conflict, ConflictSeverity, Kind, Report, SeverityCounts};
use crate::occurrence::Schedule;
use crate::programme::Programme;

/// The conflicts of one kind in one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLine {
    /// Index into [`Programme::sessions`].
    pub session: usize,
    /// The kind of conflict counted on this line.
    pub kind: Kind,
    /// How many participants have at least one such conflict.
    pub participants: usize,
    /// How many occurrences of the session have at least one.
    pub occurrences: usize,
    /// How many conflicts (a participant with two overlaps in one occurrence counts two).
    pub conflicts: usize,
}

/// The conflicts of one kind on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayLine {
    /// The date of the occurrences concerned, in the programme's zone.
    pub date: NaiveDate,
    /// The kind of conflict counted on this line.
    pub kind: Kind,
    /// How many participants have at least one such conflict that day.
    pub participants: usize,
    /// How many conflicts.
    pub conflicts: usize,
}

/// One of the participants with the most conflicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affected {
    /// Index into [`Programme::participants`].
    pub participant: usize,
    /// Their conflicts, counted by severity.
    pub counts: SeverityCounts,
    /// Minutes of their sessions in their night.
    pub night_minutes: i64,
    /// Minutes outside their working hours, not in the night.
    pub outside_hours_minutes: i64,
    /// Index into [`Report::conflicts`] of their first conflict in report order: the earliest of
    /// the most severe. Its local time is the one shown.
    pub first: usize,
}

/// The same conflict (kind, occurrence, local time and detail) of the participants of one zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Indices into [`Report::conflicts`], by participant e-mail; never empty.
    pub conflicts: Vec<usize>,
    /// The zone as shown ([`crate::zone::ZoneSpec::label`]); shared by the groups of one zone.
    pub zone: Arc<str>,
}

impl Group {
    /// The severity of its conflicts.
    pub fn severity(&self, report: &Report) -> ConflictSeverity {
        self.first(report).kind.severity()
    }

    /// The conflict the others repeat.
    pub fn first<'a>(&self, report: &'a Report) -> &'a Conflict {
        &report.conflicts[self.conflicts[0]]
    }

    /// The participants (indices into [`Programme::participants`]), by e-mail.
    pub fn participants<'a>(&'a self, report: &'a Report) -> impl Iterator<Item = usize> + 'a {
        self.conflicts
            .iter()
            .map(move |&c| report.conflicts[c].participant())
    }
}

/// The date of an occurrence in the programme's zone.
pub fn programme_date(programme: &Programme, schedule: &Schedule, occurrence: usize) -> NaiveDate {
    programme
        .timezone
        .zone
        .local(schedule.occurrences[occurrence].start)
        .date_naive()
}

/// Counts per session and kind of the conflicts `keep` accepts, in session order, then by
/// severity and kind.
pub fn by_session(
    schedule: &Schedule,
    report: &Report,
    keep: impl Fn(&Conflict) -> bool,
) -> Vec<SessionLine> {
    // Participants and occurrences are pushed as they come and counted once at the end; the
    // lines are in an array by session and kind (a line per pair at most), in the order
    // listed: a map's search for each of 134,500 conflicts at 10,000 participants was half of
    // the summary (issue 19).
    type Lists = (Vec<usize>, Vec<usize>, usize);
    let sessions = schedule
        .occurrences
        .iter()
        .map(|o| o.session + 1)
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Lists> = vec![Default::default(); sessions * KINDS.len()];
    for c in report.conflicts.iter().filter(|c| keep(c)) {
        let session = schedule.occurrences[c.occurrence()].session;
        let e = &mut lines[session * KINDS.len() + place(c.kind)];
        e.0.push(c.participant());
        e.1.push(c.occurrence());
        e.2 += 1;
    }
    lines
        .into_iter()
        .enumerate()
        .filter(|(_, (_, _, conflicts))| *conflicts > 0)
        .map(|(i, (participants, occurrences, conflicts))| SessionLine {
            session: i / KINDS.len(),
            kind: KINDS[i % KINDS.len()],
            participants: distinct(participants),
            occurrences: distinct(occurrences),
            conflicts,
        })
        .collect()
}

/// Every kind, in the order a summary lists them: by severity, then kind.
const KINDS: [Kind; 8] = [
    Kind::Night,
    Kind::Overlap,
    Kind::Busy,
    Kind::OutsideHours,
    Kind::Weekend,
    Kind::DstShift,
    Kind::Language,
    Kind::DateShift,
];

/// The place of `kind` in [`KINDS`].
fn place(kind: Kind) -> usize {
    match kind {
        Kind::Night => 0,
        Kind::Overlap => 1,
        Kind::Busy => 2,
        Kind::OutsideHours => 3,
        Kind::Weekend => 4,
        Kind::DstShift => 5,
        Kind::Language => 6,
        Kind::DateShift => 7,
    }
}

/// How many different values `list` holds.
fn distinct(mut list: Vec<usize>) -> usize {
    list.sort_unstable();
    list.dedup();
    list.len()
}

/// Counts per day (in the programme's zone) and kind of the conflicts `keep` accepts, by date,
/// then severity and kind.
pub fn by_day(
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
    keep: impl Fn(&Conflict) -> bool,
) -> Vec<DayLine> {
    // Lines in an array by date and kind, in the order listed (as `by_session`'s): each
    // occurrence's date is found once, and the dates ranked.
    let dates: Vec<NaiveDate> = (0..schedule.occurrences.len())
        .map(|o| programme_date(programme, schedule, o))
        .collect();
    let mut distinct_dates = dates.clone();
    distinct_dates.sort_unstable();
    distinct_dates.dedup();
    let rank: Vec<usize> = dates
        .iter()
        .map(|d| distinct_dates.partition_point(|x| x < d))
        .collect();
    let mut lines: Vec<(Vec<usize>, usize)> =
        vec![Default::default(); distinct_dates.len() * KINDS.len()];
    for c in report.conflicts.iter().filter(|c| keep(c)) {
        let e = &mut lines[rank[c.occurrence()] * KINDS.len() + place(c.kind)];
        e.0.push(c.participant());
        e.1 += 1;
    }
    lines
        .into_iter()
        .enumerate()
        .filter(|(_, (_, conflicts))| *conflicts > 0)
        .map(|(i, (participants, conflicts))| DayLine {
            date: distinct_dates[i / KINDS.len()],
            kind: KINDS[i % KINDS.len()],
            participants: distinct(participants),
            conflicts,
        })
        .collect()
}

/// The `n` participants with an error or a warning who are most affected: most errors, then
/// most minutes in the night, most warnings, most minutes outside working hours; then by e-mail.
pub fn most_affected(programme: &Programme, report: &Report, n: usize) -> Vec<Affected> {
    // A tally per participant (32 bytes: 100,000 participants take 3.2 MB beside the report),
    // then the few most affected made whole.
    #[derive(Clone, Copy, Default)]
    struct Tally {
        counts: SeverityCounts,
        /// Index + 1 of their first conflict in report order (0: none).
        first: usize,
    }
    let mut tallies = vec![Tally::default(); programme.participants.len()];
    for (ci, c) in report.conflicts.iter().enumerate() {
        let t = &mut tallies[c.participant()];
        if t.first == 0 {
            t.first = ci + 1;
        }
        t.counts.add(c.kind.severity());
    }
    let mut minutes = vec![(0i64, 0i64); programme.participants.len()];
    for (p, b) in &report.burden {
        if let Some(m) = minutes.get_mut(*p) {
            *m = (b.night_minutes, b.outside_hours_minutes);
        }
    }
    let email = |i: usize| programme.participants[i].email.as_str();
    let key = |p: usize| {
        let t = tallies[p];
        (
            t.counts.errors,
            minutes[p].0,
            t.counts.warnings,
            minutes[p].1,
        )
    };
    let mut list: Vec<usize> = (0..tallies.len())
        .filter(|&p| tallies[p].counts.errors + tallies[p].counts.warnings > 0)
        .collect();
    let order = |a: &usize, b: &usize| key(*b).cmp(&key(*a)).then_with(|| email(*a).cmp(email(*b)));
    if list.len() > n {
        list.select_nth_unstable_by(n, order);
        list.truncate(n);
    }
    list.sort_by(order);
    list.into_iter()
        .map(|p| {
            let t = tallies[p];
            Affected {
                participant: p,
                counts: t.counts,
                night_minutes: minutes[p].0,
                outside_hours_minutes: minutes[p].1,
                // Listed: they have a conflict, so `first` is set.
                first: t.first - 1,
            }
        })
        .collect()
}

/// The conflicts grouped: one group per kind, occurrence, zone and detail (which holds the local
/// time); most severe first, then by start, session, kind, zone and detail. Busy-calendar clashes name an
/// event of one participant's calendar, so each is a group of its own. The keys are sorted, and
/// the groups made, on up to two threads when `jobs` allows; the groups are the same at any
/// number.
pub fn groups(
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
    jobs: crate::jobs::Jobs,
) -> Vec<Group> {
    // A few thousand conflicts are grouped here, sooner than a thread is started.
    let jobs = if report.conflicts.len() < crate::jobs::ALONE {
        crate::jobs::Jobs::ONE
    } else {
        jobs
    };
    // Ranks instead of strings, so that sorting a million conflicts compares numbers: the
    // occurrences by start and session id, the zones by label, the participants by e-mail.
    let zones = ZoneLabels::of(programme, report);
    let keys = group_keys(
        report,
        &occurrence_ranks(programme, schedule),
        &zones.ranks(),
        jobs,
    );
    // Cut where a run of equal keys ends, near the middle: each half is grouped on its own
    // thread and the halves' groups follow each other.
    let mut middle = keys.len() / 2;
    while middle > 0 && keys.get(middle).map(|k| k.0) == keys.get(middle - 1).map(|k| k.0) {
        middle -= 1;
    }
    let (first, second) = keys.split_at(middle);
    let group = |keys: &[(u64, u32)]| {
        let mut out: Vec<Group> = Vec::new();
        // Busy clashes are each a row of their own (their details name the participant's event).
        let busy = u64::from(Kind::Busy as u8) << KIND_SHIFT;
        let kind = 0b111 << KIND_SHIFT;
        for run in keys.chunk_by(|a, b| a.0 & kind != busy && a.0 == b.0) {
            groups_by_detail(run, report, &zones, &mut out);
        }
        out
    };
    let (mut out, rest) = crate::jobs::join(jobs, || group(first), || group(second));
    out.extend(rest);
    out
}

/// Where a group key's kind begins: below it, the zone's rank (20 bits: there are fewer
/// labels than participants, `programme::validate::MAX_PARTICIPANTS`).
const KIND_SHIFT: u32 = 20;

/// Per occurrence, its rank by start and session id (then by index: every rank distinct).
fn occurrence_ranks(programme: &Programme, schedule: &Schedule) -> Vec<u32> {
    let session = super::ranks(&programme.sessions, |s| s.id.as_str());
    let occurrences = &schedule.occurrences;
    super::ranks_by(occurrences.len(), |o| {
        (occurrences[o].start, session[occurrences[o].session], o)
    })
}

/// Each zone's label once; per participant with a conflict, the index of theirs.
struct ZoneLabels {
    names: Vec<Arc<str>>,
    of_participant: Vec<Option<u32>>,
}

impl ZoneLabels {
    fn of(programme: &Programme, report: &Report) -> Self {
        let mut names: Vec<Arc<str>> = Vec::new();
        let mut named: HashMap<Arc<str>, u32> = HashMap::new();
        let mut of_participant: Vec<Option<u32>> = vec![None; programme.participants.len()];
        for c in &report.conflicts {
            if of_participant[c.participant()].is_none() {
                let label = programme.participants[c.participant()].timezone.label();
                let at = match named.get(label.as_str()) {
                    Some(&at) => at,
                    None => {
                        let at = u32::try_from(names.len()).unwrap_or(u32::MAX);
                        let shared: Arc<str> = label.into();
                        names.push(shared.clone());
                        named.insert(shared, at);
                        at
                    }
                };
                of_participant[c.participant()] = Some(at);
            }
        }
        ZoneLabels {
            names,
            of_participant,
        }
    }

    /// Per participant, the rank of their zone's label (`u32::MAX` without a conflict). Every
    /// label is some participant's, and each is held once: their ranks are those of the labels
    /// in text order.
    fn ranks(&self) -> Vec<u32> {
        let label = super::ranks(&self.names, |n| n);
        self.of_participant
            .iter()
            .map(|l| {
                l.and_then(|l| label.get(l as usize))
                    .copied()
                    .unwrap_or(u32::MAX)
            })
            .collect()
    }

    /// The zone label of the participant of conflict `ci`.
    fn of_conflict(&self, report: &Report, ci: usize) -> Arc<str> {
        self.of_participant[report.conflicts[ci].participant()]
            .and_then(|l| self.names.get(l as usize).cloned())
            .unwrap_or_else(|| Arc::from(""))
    }
}

/// The conflicts' keys, sorted: (severity, occurrence, kind, zone) of each conflict as one
/// number, each in its own bits (severity 2, the occurrence's rank 32, kind 3, the zone's
/// rank 20; the enums' declaration order is their order), with the conflict's index, so that
/// sorting a million conflicts compares integers and every pair is distinct. The conflicts
/// of one severity are in e-mail order (see [`Report::conflicts`]), so the index orders the
/// participants of a group by e-mail.
fn group_keys(
    report: &Report,
    occurrence_rank: &[u32],
    zone_of_participant: &[u32],
    jobs: crate::jobs::Jobs,
) -> Vec<(u64, u32)> {
    const _: () = assert!(crate::programme::validate::MAX_PARTICIPANTS <= 1 << KIND_SHIFT);
    let zone_mask = (1 << KIND_SHIFT) - 1;
    let keys: Vec<(u64, u32)> = report
        .conflicts
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let key = (u64::from(c.kind.severity() as u8) << (KIND_SHIFT + 35))
                | (u64::from(occurrence_rank[c.occurrence()]) << (KIND_SHIFT + 3))
                | (u64::from(c.kind as u8) << KIND_SHIFT)
                | (u64::from(zone_of_participant[c.participant()]) & zone_mask);
            (key, u32::try_from(ci).unwrap_or(u32::MAX))
        })
        .collect();
    crate::jobs::sort_distinct(jobs, keys)
}

/// One group per detail of a run of equal keys (but for the index), by detail, onto `out`.
/// Details are compared only within such a run, where they are nearly always equal, and nearly
/// always one shared sentence: `Arc<str>`'s `==` compares addresses before texts.
fn groups_by_detail(run: &[(u64, u32)], report: &Report, zones: &ZoneLabels, out: &mut Vec<Group>) {
    let conflict = |k: &(u64, u32)| k.1 as usize;
    let detail = |k: &(u64, u32)| &report.conflicts[conflict(k)].detail;
    let Some(first) = run.first() else {
        return;
    };
    if run.iter().all(|k| detail(k) == detail(first)) {
        out.push(Group {
            conflicts: run.iter().map(conflict).collect(),
            zone: zones.of_conflict(report, conflict(first)),
        });
        return;
    }
    let mut details: BTreeMap<&str, Group> = BTreeMap::new();
    for k in run {
        let ci = conflict(k);
        details
            .entry(detail(k))
            .or_insert_with(|| Group {
                conflicts: Vec::new(),
                zone: zones.of_conflict(report, ci),
            })
            .conflicts
            .push(ci);
    }
    out.extend(details.into_values());
}

/// `1 participant`, `3 participants`.
pub fn count(n: usize, one: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The local time of a conflict as rows show it: `Tue 14 Nov 2023 22:00–00:30 (+1 day)`.
pub fn local_span(c: &Conflict, schedule: &Schedule) -> String {
    let (start, end) = (c.start_local(schedule), c.end_local(schedule));
    let days = (end.date_naive() - start.date_naive()).num_days();
    format!(
        "{}–{}{}",
        start.format("%a %d %b %Y %H:%M"),
        end.format("%H:%M"),
        match days {
            0 => String::new(),
            1 => " (+1 day)".to_string(),
            n => format!(" (+{n} days)"),
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kinds' order is the one a map keyed by (severity, kind) keeps, every kind is in it
    /// once, and `place` finds each.
    #[test]
    fn kinds_are_in_severity_then_kind_order() {
        let mut sorted = KINDS;
        sorted.sort_by_key(|k| (k.severity(), *k));
        assert_eq!(sorted, KINDS);
        for (i, kind) in KINDS.iter().enumerate() {
            assert_eq!(place(*kind), i);
        }
        let mut distinct = KINDS.to_vec();
        distinct.dedup();
        assert_eq!(distinct.len(), KINDS.len());
    }
}
