//! Per-participant views: each occurrence as a participant sees it, in their local time.
//! An instant → local time conversion never fails, so neither does anything here.

use chrono::{DateTime, FixedOffset};

use crate::occurrence::{Occurrence, Schedule};
use crate::programme::{Participant, Programme, Session};
use crate::zone::ZoneSpec;

/// One occurrence seen by one participant (or, for `--tz`, by one zone).
#[derive(Debug, Clone)]
pub struct LocalRow<'a> {
    /// The session of the occurrence.
    pub session: &'a Session,
    /// The occurrence as the session gives it (its instants, and its civil start in the
    /// session's zone); the row's own fields are the local times.
    pub occurrence: &'a Occurrence,
    /// The participant, or `None` when the row is for a zone alone.
    pub participant: Option<&'a Participant>,
    /// The zone the local times are in.
    pub zone: &'a ZoneSpec,
    /// Local start, with its offset.
    pub start_local: DateTime<FixedOffset>,
    /// Local end, with its offset.
    pub end_local: DateTime<FixedOffset>,
}

impl LocalRow<'_> {
    /// Days between the local start date and the session's own (civil) start date: -1, 0, +1.
    pub fn day_shift(&self) -> i64 {
        (self.start_local.date_naive() - self.occurrence.civil_start.date()).num_days()
    }
}

/// Participant indices (all, or those in `only`) sorted by e-mail, each once; equal e-mails keep
/// participant order.
pub fn by_email(programme: &Programme, only: Option<&[usize]>) -> Vec<usize> {
    let mut order: Vec<usize> = match only {
        Some(only) => only.to_vec(),
        None => (0..programme.participants.len()).collect(),
    };
    order.sort_by(|x, y| {
        programme.participants[*x]
            .email
            .cmp(&programme.participants[*y].email)
            .then(x.cmp(y))
    });
    order.dedup();
    order
}

/// The participants of each session (indices into [`Programme::participants`]), in e-mail
/// order, optionally only those in `only`. One sort of all participants serves every session.
pub fn audiences(programme: &Programme, only: Option<&[usize]>) -> Vec<Vec<usize>> {
    let order = by_email(programme, only);
    programme
        .sessions
        .iter()
        .map(|s| {
            order
                .iter()
                .copied()
                .filter(|&p| s.audience.includes(&programme.participants[p]))
                .collect()
        })
        .collect()
}

/// Every (occurrence, participant) pair of the programme, optionally only for `only`
/// (indices into [`Programme::participants`]), sorted by start instant, session id, e-mail,
/// computed as they are consumed.
pub fn participant_rows_iter<'a>(
    programme: &'a Programme,
    schedule: &'a Schedule,
    only: Option<&[usize]>,
) -> impl Iterator<Item = LocalRow<'a>> + 'a {
    let audiences = std::rc::Rc::new(audiences(programme, only));
    schedule.occurrences.iter().flat_map(move |occurrence| {
        let session = &programme.sessions[occurrence.session];
        let audiences = std::rc::Rc::clone(&audiences);
        (0..audiences[occurrence.session].len()).map(move |k| {
            let participant = &programme.participants[audiences[occurrence.session][k]];
            row(
                session,
                occurrence,
                Some(participant),
                &participant.timezone,
            )
        })
    })
}

/// [`participant_rows_iter`], collected.
pub fn participant_rows<'a>(
    programme: &'a Programme,
    schedule: &'a Schedule,
    only: Option<&[usize]>,
) -> Vec<LocalRow<'a>> {
    participant_rows_iter(programme, schedule, only).collect()
}

/// Every occurrence seen from one zone, sorted by start instant, then session id.
pub fn zone_rows<'a>(
    programme: &'a Programme,
    schedule: &'a Schedule,
    zone: &'a ZoneSpec,
) -> Vec<LocalRow<'a>> {
    schedule
        .occurrences
        .iter()
        .map(|o| row(&programme.sessions[o.session], o, None, zone))
        .collect()
}

fn row<'a>(
    session: &'a Session,
    occurrence: &'a Occurrence,
    participant: Option<&'a Participant>,
    zone: &'a ZoneSpec,
) -> LocalRow<'a> {
    LocalRow {
        session,
        occurrence,
        participant,
        zone,
        start_local: zone.zone.local(occurrence.start),
        end_local: zone.zone.local(occurrence.end),
    }
}
