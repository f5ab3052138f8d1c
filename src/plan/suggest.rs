//! `suggest`: the best distinct start times of a window.
//!
//! One pass over the grid keeps three numbers per start time (score, how many of the audience
//! are unavailable, how far the required participants are from attending), computed per class
//! of participants with a sweep over their commitments: memory is a few bytes per start time
//! and per class, never a participant list per start time. Participant lists are made only for
//! the proposals returned.
//!
//! **Distinct proposals.** Start times are taken best first (ties: the earlier); each taken one
//! stands for the run of neighbouring start times with the same score ("any start from 12:15 to
//! 13:15 UTC"), and every start time closer than the session's length to that run is passed
//! over. So no two proposals overlap, and a plateau of equal start times is one proposal.

use chrono::{DateTime, Duration, Utc};

use super::{Profiles, Reason, Request, comfort_of, required_miss, score};
use crate::comfort::Comfort;

/// A proposed start time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The proposed start instant.
    pub start: DateTime<Utc>,
    /// The end (start + length).
    pub end: DateTime<Utc>,
    /// The last start of the run of neighbouring start times with the same score (equal to
    /// `start` when there is none).
    pub same_until: DateTime<Utc>,
    /// The summed score.
    pub score: i64,
    /// Participants wholly inside their working hours (a weekend only lowers the score).
    pub inside: Vec<usize>,
    /// Participants partly outside their hours, none of it in the night.
    pub partial: Vec<usize>,
    /// Participants with any minute in their night.
    pub night: Vec<usize>,
    /// Participants who cannot attend, and why (only with overlaps allowed).
    pub unavailable: Vec<(usize, Reason)>,
    /// Every required participant: their comfort, and why they cannot attend if they cannot.
    pub required: Vec<(usize, Comfort, Option<Reason>)>,
}

/// Whether the proposals satisfy everything asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every proposal has the required participants free and inside their hours, and (unless
    /// overlaps were allowed) nobody in the audience unavailable.
    Satisfied,
    /// No start time has every required participant free and inside their hours: the
    /// proposals are the best compromise, with the required participants `miss` minutes
    /// outside their hours (summed).
    RequiredCompromise {
        /// The smallest total of the required participants' minutes outside their hours.
        miss: i64,
    },
    /// At every start time someone in the audience is unavailable: nothing is proposed.
    NoFreeStart {
        /// The fewest unavailable at any start time.
        fewest: u32,
        /// The first start time with that few.
        at: DateTime<Utc>,
    },
}

/// The proposals and whether they satisfy everything asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestions {
    /// Best first.
    pub list: Vec<Suggestion>,
    /// How they relate to the request.
    pub outcome: Outcome,
    /// Start times passed over because someone in the audience is unavailable then.
    pub passed_over: usize,
}

/// Per start time: what `suggest` keeps.
#[derive(Debug, Clone, Copy)]
struct Slot {
    score: i64,
    unavailable: u32,
    miss: i64,
}

/// Every start time of `slots` scored for the participants `who`, best first (ties: the earlier
/// start), nobody unavailable, no required participant: the ranking alone, without the
/// distinctness rule. For tests and benchmarks.
pub fn suggest(
    programme: &crate::programme::Programme,
    who: &[usize],
    slots: &[DateTime<Utc>],
    minutes: i64,
) -> Vec<(DateTime<Utc>, i64)> {
    let none = super::Availability::none(programme.participants.len());
    let request = super::Request::simple(programme, who, minutes, &none);
    let scored = score_slots(&request, slots);
    let mut order: Vec<usize> = (0..slots.len()).collect();
    order.sort_by(|&a, &b| scored[b].score.cmp(&scored[a].score).then(a.cmp(&b)));
    order
        .into_iter()
        .map(|i| (slots[i], scored[i].score))
        .collect()
}

/// The `top` best distinct proposals among `slots` (sorted start instants) for `request`.
///
/// With `distinct` false, every candidate start time is listed on its own (no run, nothing
/// passed over): the plain ranking, to check a score by hand.
pub fn suggest_with(
    request: &Request<'_>,
    slots: &[DateTime<Utc>],
    top: usize,
    distinct: bool,
) -> Suggestions {
    let scored = score_slots(request, slots);
    let length = Duration::minutes(request.minutes);
    let free = |s: &Slot| request.allow_overlap || s.unavailable == 0;
    let passed_over = scored.iter().filter(|s| !free(s)).count();
    let Some(min_miss) = scored.iter().filter(|s| free(s)).map(|s| s.miss).min() else {
        let (at, fewest) = scored
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.unavailable))
            .min_by_key(|&(i, u)| (u, i))
            .unwrap_or((0, 0));
        return Suggestions {
            list: Vec::new(),
            outcome: Outcome::NoFreeStart {
                fewest,
                at: slots.get(at).copied().unwrap_or_default(),
            },
            passed_over,
        };
    };
    let candidate = |i: usize| free(&scored[i]) && scored[i].miss == min_miss;
    let mut order: Vec<u32> = (0..slots.len() as u32)
        .filter(|&i| candidate(i as usize))
        .collect();
    order.sort_by(|&a, &b| {
        scored[b as usize]
            .score
            .cmp(&scored[a as usize].score)
            .then(a.cmp(&b))
    });
    let mut passed = vec![false; slots.len()];
    let mut list = Vec::new();
    for i in order {
        let i = i as usize;
        if list.len() == top {
            break;
        }
        if passed[i] {
            continue;
        }
        // The run of neighbours with the same score, not passed over.
        let same =
            |j: usize| distinct && candidate(j) && !passed[j] && scored[j].score == scored[i].score;
        let mut last = i;
        while last + 1 < slots.len() && same(last + 1) {
            last += 1;
        }
        let mut first = i;
        while first > 0 && same(first - 1) {
            first -= 1;
        }
        // Pass over every start closer than the length to the run.
        if distinct {
            let lo = slots.partition_point(|&t| t <= slots[first] - length);
            let hi = slots.partition_point(|&t| t < slots[last] + length);
            for p in &mut passed[lo..hi.max(lo)] {
                *p = true;
            }
        }
        list.push(details(request, slots[i], slots[last], scored[i].score));
    }
    Suggestions {
        list,
        outcome: if min_miss == 0 {
            Outcome::Satisfied
        } else {
            Outcome::RequiredCompromise { miss: min_miss }
        },
        passed_over,
    }
}

/// One sweep over the grid: score, unavailable count and required miss per start time.
fn score_slots(request: &Request<'_>, slots: &[DateTime<Utc>]) -> Vec<Slot> {
    let Request {
        programme,
        who,
        required,
        minutes,
        availability,
        ..
    } = *request;
    let length = Duration::minutes(minutes);
    let profiles = Profiles::of(programme, who, availability);
    // Weight of each profile, and the changes of its unavailable count along the grid.
    let mut weight = vec![0i64; profiles.reps.len()];
    let mut changes: Vec<(usize, usize, i64)> = Vec::new();
    for class in &profiles.classes {
        let n = class.members.len() as i64;
        weight[class.profile] += n;
        for (lo, hi) in availability.blocked_starts(class.members[0], slots, length) {
            changes.push((lo, class.profile, n));
            changes.push((hi, class.profile, -n));
        }
    }
    changes.sort_unstable();
    let required_blocked: Vec<Vec<(usize, usize)>> = required
        .iter()
        .map(|&r| availability.blocked_starts(r, slots, length))
        .collect();
    let mut unavailable = vec![0i64; profiles.reps.len()];
    let mut next = 0;
    let mut out = Vec::with_capacity(slots.len());
    for (i, &start) in slots.iter().enumerate() {
        while next < changes.len() && changes[next].0 == i {
            unavailable[changes[next].1] += changes[next].2;
            next += 1;
        }
        let mut total = 0;
        let mut away = 0;
        for (p, c) in profiles
            .comforts(programme, start, minutes)
            .iter()
            .enumerate()
        {
            let u = unavailable[p];
            total += (weight[p] - u) * score(c, false, minutes) + u * score(c, true, minutes);
            away += u;
        }
        let miss = required
            .iter()
            .zip(&required_blocked)
            .map(|(&r, ranges)| {
                let blocked = ranges.iter().any(|&(lo, hi)| lo <= i && i < hi);
                required_miss(&comfort_of(programme, r, start, minutes), blocked, minutes)
            })
            .sum();
        out.push(Slot {
            score: total,
            unavailable: away as u32,
            miss,
        });
    }
    out
}

/// The participant lists of one proposal.
fn details(
    request: &Request<'_>,
    start: DateTime<Utc>,
    same_until: DateTime<Utc>,
    total: i64,
) -> Suggestion {
    let Request {
        programme,
        who,
        minutes,
        availability,
        ..
    } = *request;
    let length = Duration::minutes(minutes);
    let mut s = Suggestion {
        start,
        end: start + length,
        same_until,
        score: total,
        inside: Vec::new(),
        partial: Vec::new(),
        night: Vec::new(),
        unavailable: Vec::new(),
        required: Vec::new(),
    };
    for &i in who {
        if let Some(reason) = availability.conflict(i, start, length) {
            s.unavailable.push((i, reason));
            continue;
        }
        let c = comfort_of(programme, i, start, minutes);
        if c.night > 0 {
            s.night.push(i);
        } else if c.outside > 0 {
            s.partial.push(i);
        } else {
            s.inside.push(i);
        }
    }
    s.required = request.required_at(start);
    s
}
