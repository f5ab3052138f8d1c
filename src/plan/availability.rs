//! Who cannot attend a start time: the programme's other sessions each participant attends,
//! and the events of their busy calendar.
//!
//! A participant is *unavailable* at a slot `[start, start + length)` when one of those
//! overlaps it (positively: touching ends do not count, as in `check`'s double bookings).
//! Memory stays flat in the audience: sessions are held once per distinct set of sessions
//! attended (a handful: the programme's groups make them), busy events per participant only
//! for those with a calendar.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::busy::Busy;
use crate::occurrence::Schedule;
use crate::programme::Programme;

/// Why a participant is unavailable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// They attend this session of the programme (index into [`Programme::sessions`]) then.
    Session(usize),
    /// Their busy calendar has an event then.
    Busy,
}

/// One interval a participant is taken, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// First instant.
    pub start: DateTime<Utc>,
    /// First instant after it.
    pub end: DateTime<Utc>,
    /// Why.
    pub reason: Reason,
}

/// Everyone's commitments in a planning window.
#[derive(Debug, Clone, Default)]
pub struct Availability {
    /// Distinct lists of session blocks (sorted by start), shared by participants who attend
    /// the same sessions in the window.
    session_sets: Vec<Vec<Block>>,
    /// Per participant (index into [`Programme::participants`]): which of `session_sets`.
    set_of: Vec<u32>,
    /// Per participant with busy events in the window: those events (sorted by start).
    busy: BTreeMap<usize, Vec<Block>>,
}

impl Availability {
    /// Nobody is taken.
    pub fn none(participants: usize) -> Self {
        Availability {
            session_sets: vec![Vec::new()],
            set_of: vec![0; participants],
            busy: BTreeMap::new(),
        }
    }

    /// The commitments of every participant overlapping `[from, to)`: the occurrences of every
    /// session in `schedule` except `except` (the session being planned again), and `busy`
    /// (per participant, as [`crate::check::load_busy_between`] reads them; may be empty).
    pub fn new(
        programme: &Programme,
        schedule: &Schedule,
        except: Option<usize>,
        busy: &[Vec<Busy>],
        (from, to): (DateTime<Utc>, DateTime<Utc>),
    ) -> Self {
        // Sessions with an occurrence in the window, and those occurrences.
        let mut by_session: BTreeMap<usize, Vec<Block>> = BTreeMap::new();
        for o in &schedule.occurrences {
            if Some(o.session) != except && o.end > from && o.start < to {
                by_session.entry(o.session).or_default().push(Block {
                    start: o.start,
                    end: o.end,
                    reason: Reason::Session(o.session),
                });
            }
        }
        let mut sets: BTreeMap<Vec<usize>, u32> = BTreeMap::new();
        let mut session_sets: Vec<Vec<Block>> = Vec::new();
        let mut set_of = Vec::with_capacity(programme.participants.len());
        for p in &programme.participants {
            let attended: Vec<usize> = by_session
                .keys()
                .copied()
                .filter(|&s| programme.sessions[s].audience.includes(p))
                .collect();
            let next = session_sets.len() as u32;
            let id = *sets.entry(attended.clone()).or_insert_with(|| {
                let mut blocks: Vec<Block> = attended
                    .iter()
                    .flat_map(|s| by_session[s].iter().copied())
                    .collect();
                blocks.sort_by_key(|b| (b.start, b.end, b.reason));
                session_sets.push(blocks);
                next
            });
            set_of.push(id);
        }
        let busy = busy
            .iter()
            .enumerate()
            .filter_map(|(pi, list)| {
                let mut blocks: Vec<Block> = list
                    .iter()
                    .filter(|b| b.end > from && b.start < to && b.end > b.start)
                    .map(|b| Block {
                        start: b.start,
                        end: b.end,
                        reason: Reason::Busy,
                    })
                    .collect();
                blocks.sort_by_key(|b| (b.start, b.end));
                (!blocks.is_empty()).then_some((pi, blocks))
            })
            .collect();
        Availability {
            session_sets,
            set_of,
            busy,
        }
    }

    /// The key participants are grouped by: same key, same commitments. `None` for those
    /// with busy events (each their own).
    pub fn class_of(&self, participant: usize) -> Option<u32> {
        if self.busy.contains_key(&participant) {
            None
        } else {
            Some(self.set_of.get(participant).copied().unwrap_or(0))
        }
    }

    /// Every commitment of `participant`, sessions first, each list sorted by start.
    pub fn blocks(&self, participant: usize) -> impl Iterator<Item = &Block> {
        let set = self.set_of.get(participant).copied().unwrap_or(0) as usize;
        self.session_sets
            .get(set)
            .into_iter()
            .flatten()
            .chain(self.busy.get(&participant).into_iter().flatten())
    }

    /// The start times of `grid` (sorted) at which `participant` cannot attend a slot of
    /// `length`: [`blocked_ranges`] of their commitments.
    pub fn blocked_starts(
        &self,
        participant: usize,
        grid: &[DateTime<Utc>],
        length: Duration,
    ) -> Vec<(usize, usize)> {
        let blocks: Vec<Block> = self.blocks(participant).copied().collect();
        blocked_ranges(grid, length, &blocks)
    }

    /// Why `participant` cannot attend `[start, start + length)`, when they cannot: the
    /// first overlapping commitment (sessions before busy events).
    pub fn conflict(
        &self,
        participant: usize,
        start: DateTime<Utc>,
        length: Duration,
    ) -> Option<Reason> {
        let end = start + length;
        self.blocks(participant)
            .find(|b| b.end > start && b.start < end)
            .map(|b| b.reason)
    }
}

/// The slots of `grid` (sorted start instants) whose `[t, t + length)` overlaps one of
/// `blocks`: ranges of indices `[lo, hi)`, merged and sorted.
pub fn blocked_ranges(
    grid: &[DateTime<Utc>],
    length: Duration,
    blocks: &[Block],
) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = blocks
        .iter()
        .map(|b| {
            // t overlaps [s, e) iff t > s - length and t < e.
            let lo = grid.partition_point(|&t| t <= b.start - length);
            let hi = grid.partition_point(|&t| t < b.end);
            (lo, hi)
        })
        .filter(|(lo, hi)| lo < hi)
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match merged.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2023, 11, 15, h, m, 0).unwrap()
    }

    #[test]
    fn blocked_ranges_by_hand() {
        // Slots every 30 minutes from 08:00 to 12:00; a 60-minute session.
        let grid: Vec<_> = (0..9)
            .map(|i| t(8, 0) + Duration::minutes(30 * i))
            .collect();
        let blocks = [
            // 09:30-10:00: starts 08:30 < t < 10:00 → 09:00, 09:30 (08:30 only touches).
            Block {
                start: t(9, 30),
                end: t(10, 0),
                reason: Reason::Busy,
            },
            // 10:15-10:45 overlaps starts 09:30, 10:00, 10:30: merged with the first.
            Block {
                start: t(10, 15),
                end: t(10, 45),
                reason: Reason::Session(0),
            },
        ];
        // Indices: 08:00=0, 08:30=1, 09:00=2, 09:30=3, 10:00=4, 10:30=5.
        assert_eq!(
            blocked_ranges(&grid, Duration::minutes(60), &blocks),
            vec![(2, 6)]
        );
    }
}
