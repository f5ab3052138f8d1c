//! `split`: one session as K regional editions on one day, optimal on the step grid.
//!
//! Every participant of the audience attends the edition that suits them best (ties: the
//! earlier); required participants attend every edition. Start times at which someone in the
//! audience is unavailable are left out (unless overlaps are allowed: then the unavailable
//! score sends them to another edition), and so are those at which a required participant is
//! unavailable or outside their hours; when fewer than K start times remain, the compromise
//! keeps the start times where the required participants are least outside their hours.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::{Profiles, Reason, Request, score};
use crate::comfort::Comfort;

/// One edition of a split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// The instant the edition starts.
    pub start: DateTime<Utc>,
    /// The instant it ends (start + the requested length).
    pub end: DateTime<Utc>,
    /// Its participants (indices), by e-mail; required participants are not listed (they
    /// attend every edition).
    pub participants: Vec<usize>,
    /// The score of its participants at its time.
    pub score: i64,
    /// Their minutes outside working hours (not night), summed.
    pub outside_minutes: i64,
    /// Their night minutes, summed.
    pub night_minutes: i64,
    /// Its participants who cannot attend it (unavailable at every edition), and why.
    pub unavailable: Vec<(usize, Reason)>,
    /// Every required participant at this edition: comfort, and why they cannot attend if so.
    pub required: Vec<(usize, Comfort, Option<Reason>)>,
}

/// An optimal split into K editions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Editions in start order.
    pub editions: Vec<Edition>,
    /// Sum of the editions' scores.
    pub total_score: i64,
    /// 0 when every required participant attends every edition inside their hours; else the
    /// best compromise's total of their minutes outside their hours (over all editions' start
    /// times kept, the K-th smallest).
    pub required_miss: i64,
}

/// Why no split can be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitProblem {
    /// Fewer start times than editions on the grid.
    TooFewStarts {
        /// Start times on the grid.
        starts: usize,
    },
    /// Fewer start times than editions with nobody in the audience unavailable.
    TooFewFree {
        /// Start times with nobody unavailable.
        free: usize,
    },
}

/// Index ranges `[lo, hi)` of start times.
type Ranges = Vec<(usize, usize)>;

/// Participants of the audience who score alike at every start time of the day.
struct Alike {
    /// Index into the comfort profiles.
    profile: usize,
    /// The start times (index ranges) at which they cannot attend; empty when overlaps are
    /// not allowed (those start times are left out for everyone).
    blocked: Ranges,
    /// Members, ascending.
    members: Vec<usize>,
}

impl Alike {
    fn blocked_at(&self, slot: usize) -> bool {
        self.blocked.iter().any(|&(lo, hi)| lo <= slot && slot < hi)
    }
}

/// Everything `split` needs, computed once for several K: the comfort of every profile at
/// every start time (a day's grid × a few hundred profiles), and the participants grouped by
/// what their score depends on. Scores per group are made only for the start times allowed.
pub struct Planner<'a> {
    request: Request<'a>,
    slots: &'a [DateTime<Utc>],
    /// `[slot][profile]`.
    comforts: Vec<Vec<Comfort>>,
    groups: Vec<Alike>,
    /// Per slot: nobody in the audience unavailable.
    free: Vec<bool>,
    /// Per slot: the required participants' minutes outside their hours.
    miss: Vec<i64>,
    /// Position of each participant (index) in e-mail order, for sorting editions cheaply.
    email_rank: Vec<u32>,
}

impl<'a> Planner<'a> {
    /// Groups the audience (required participants left out) and scores its profiles at every
    /// start time of `slots` (sorted).
    pub fn new(request: Request<'a>, slots: &'a [DateTime<Utc>]) -> Self {
        let Request {
            programme,
            who,
            required,
            minutes,
            availability,
            allow_overlap,
        } = request;
        let length = Duration::minutes(minutes);
        let choosing: Vec<usize> = who
            .iter()
            .copied()
            .filter(|i| !required.contains(i))
            .collect();
        let profiles = Profiles::of(programme, &choosing, availability);
        let mut free = vec![true; slots.len()];
        let mut alike: BTreeMap<(usize, Ranges), Vec<usize>> = BTreeMap::new();
        for class in &profiles.classes {
            let ranges = availability.blocked_starts(class.members[0], slots, length);
            for &(lo, hi) in &ranges {
                for f in &mut free[lo..hi] {
                    *f = false;
                }
            }
            let key = (
                class.profile,
                if allow_overlap { ranges } else { Vec::new() },
            );
            alike.entry(key).or_default().extend(&class.members);
        }
        let groups = alike
            .into_iter()
            .map(|((profile, blocked), mut members)| {
                members.sort_unstable();
                Alike {
                    profile,
                    blocked,
                    members,
                }
            })
            .collect();
        let comforts: Vec<Vec<Comfort>> = slots
            .iter()
            .map(|&s| profiles.comforts(programme, s, minutes))
            .collect();
        let miss = slots.iter().map(|&s| request.required_miss_at(s)).collect();
        let mut order: Vec<usize> = (0..programme.participants.len()).collect();
        order.sort_by(|a, b| {
            programme.participants[*a]
                .email
                .cmp(&programme.participants[*b].email)
        });
        let mut email_rank = vec![0u32; order.len()];
        for (rank, &i) in order.iter().enumerate() {
            email_rank[i] = rank as u32;
        }
        Planner {
            request,
            slots,
            comforts,
            groups,
            free,
            miss,
            email_rank,
        }
    }

    /// The summed score of group `g` at start time `slot`.
    fn score(&self, slot: usize, g: usize) -> i64 {
        let group = &self.groups[g];
        score(
            &self.comforts[slot][group.profile],
            group.blocked_at(slot),
            self.request.minutes,
        ) * group.members.len() as i64
    }

    /// The start times (indices) `split` chooses from for `k` editions, and the required
    /// participants' miss they allow.
    fn allowed(&self, k: usize) -> Result<(Vec<usize>, i64), SplitProblem> {
        if k == 0 || k > self.slots.len() {
            return Err(SplitProblem::TooFewStarts {
                starts: self.slots.len(),
            });
        }
        let free: Vec<usize> = (0..self.slots.len())
            .filter(|&s| self.request.allow_overlap || self.free[s])
            .collect();
        if free.len() < k {
            return Err(SplitProblem::TooFewFree { free: free.len() });
        }
        let mut misses: Vec<i64> = free.iter().map(|&s| self.miss[s]).collect();
        misses.sort_unstable();
        let threshold = misses[k - 1];
        Ok((
            free.into_iter()
                .filter(|&s| self.miss[s] <= threshold)
                .collect(),
            threshold,
        ))
    }

    /// Chooses `k` distinct start times maximising the total score when every participant
    /// attends the edition that suits them best (ties: the earlier edition). Exhaustive over
    /// the K-combinations of the allowed start times (branch and bound over non-dominated
    /// ones), so the answer is optimal on the grid; among optimal answers the choice is
    /// deterministic.
    pub fn split(&self, k: usize) -> Result<Split, SplitProblem> {
        let (allowed, threshold) = self.allowed(k)?;
        let rows: Vec<Vec<i64>> = allowed
            .iter()
            .map(|&s| (0..self.groups.len()).map(|g| self.score(s, g)).collect())
            .collect();
        let chosen: Vec<usize> = best_combination(&rows, k)
            .ok_or(SplitProblem::TooFewStarts {
                starts: allowed.len(),
            })?
            .into_iter()
            .map(|i| allowed[i])
            .collect();
        let minutes = self.request.minutes;
        let length = Duration::minutes(minutes);
        let mut editions: Vec<Edition> = chosen
            .iter()
            .map(|&s| {
                let start = self.slots[s];
                Edition {
                    start,
                    end: start + length,
                    participants: Vec::new(),
                    score: 0,
                    outside_minutes: 0,
                    night_minutes: 0,
                    unavailable: Vec::new(),
                    required: self.request.required_at(start),
                }
            })
            .collect();
        for (g, group) in self.groups.iter().enumerate() {
            // The best edition for this group; the earliest among equals.
            let mut best = 0;
            for e in 1..chosen.len() {
                if self.score(chosen[e], g) > self.score(chosen[best], g) {
                    best = e;
                }
            }
            let s = chosen[best];
            let c = self.comforts[s][group.profile];
            let n = group.members.len() as i64;
            let ed = &mut editions[best];
            ed.participants.extend(&group.members);
            ed.score += self.score(s, g);
            if group.blocked_at(s) {
                for &m in &group.members {
                    if let Some(r) = self.request.availability.conflict(m, ed.start, length) {
                        ed.unavailable.push((m, r));
                    }
                }
            } else {
                ed.outside_minutes += c.outside * n;
                ed.night_minutes += c.night * n;
            }
        }
        for e in &mut editions {
            e.participants.sort_unstable_by_key(|&i| self.email_rank[i]);
            e.unavailable
                .sort_unstable_by_key(|&(i, _)| self.email_rank[i]);
        }
        let total_score = editions.iter().map(|e| e.score).sum();
        Ok(Split {
            editions,
            total_score,
            required_miss: threshold,
        })
    }
}

/// [`Planner::split`] for one K, with no commitments and no required participants.
pub fn split(
    programme: &crate::programme::Programme,
    who: &[usize],
    slots: &[DateTime<Utc>],
    minutes: i64,
    k: usize,
) -> Option<Split> {
    let none = super::Availability::none(programme.participants.len());
    Planner::new(Request::simple(programme, who, minutes, &none), slots)
        .split(k)
        .ok()
}

/// The lexicographically earliest K-combination of slot indices with the highest
/// `sum over profiles of max over chosen slots`.
fn best_combination(scores: &[Vec<i64>], k: usize) -> Option<Vec<usize>> {
    let n = scores.len();
    let g = scores.first().map_or(0, Vec::len);
    // Drop dominated slots: another slot at least as good for every profile, and earlier or
    // strictly better somewhere. They can never be needed for an optimum.
    let mut keep: Vec<usize> = Vec::new();
    for s in 0..n {
        let dominated = (0..n).any(|t| {
            t != s
                && (0..g).all(|i| scores[t][i] >= scores[s][i])
                && ((0..g).any(|i| scores[t][i] > scores[s][i]) || t < s)
        });
        if !dominated {
            keep.push(s);
        }
    }
    // Fewer useful slots than editions: pad with the earliest unused slots (they add nothing).
    if keep.len() < k {
        let mut all = keep.clone();
        for s in 0..n {
            if all.len() == k {
                break;
            }
            if !all.contains(&s) {
                all.push(s);
            }
        }
        all.sort_unstable();
        return Some(all);
    }
    // Upper bound helper: the best any kept slot from position i on gives each profile.
    let m = keep.len();
    let mut suffix_best = vec![vec![i64::MIN; g]; m + 1];
    for i in (0..m).rev() {
        for p in 0..g {
            suffix_best[i][p] = suffix_best[i + 1][p].max(scores[keep[i]][p]);
        }
    }
    let mut search = Search {
        scores,
        keep: &keep,
        suffix_best: &suffix_best,
        k,
        levels: vec![vec![i64::MIN; g]; k + 1],
        current: Vec::with_capacity(k),
        best_total: i64::MIN,
        best: Vec::new(),
    };
    search.run(0, 0);
    if search.best.is_empty() {
        return None;
    }
    let mut chosen: Vec<usize> = search.best.iter().map(|&i| keep[i]).collect();
    chosen.sort_unstable();
    Some(chosen)
}

/// The search state: the best total and combination so far, and one buffer of per-profile
/// maxima per depth (no allocation while searching).
struct Search<'a> {
    scores: &'a [Vec<i64>],
    keep: &'a [usize],
    suffix_best: &'a [Vec<i64>],
    k: usize,
    levels: Vec<Vec<i64>>,
    current: Vec<usize>,
    best_total: i64,
    best: Vec<usize>,
}

impl Search<'_> {
    fn run(&mut self, depth: usize, from: usize) {
        let need = self.k - depth;
        for i in from..self.keep.len() {
            if self.keep.len() - i < need {
                break;
            }
            let row = &self.scores[self.keep[i]];
            let (before, after) = self.levels.split_at_mut(depth + 1);
            let (maxes, next) = (&before[depth], &mut after[0]);
            let mut bound = 0;
            for p in 0..row.len() {
                next[p] = maxes[p].max(row[p]);
                bound += next[p].max(self.suffix_best[i + 1][p]);
            }
            if depth + 1 == self.k {
                let total: i64 = next.iter().sum();
                if total > self.best_total {
                    self.best_total = total;
                    self.current.push(i);
                    self.best.clone_from(&self.current);
                    self.current.pop();
                }
                continue;
            }
            // Bound: even the best remaining slots cannot beat the best total found.
            if bound <= self.best_total {
                continue;
            }
            self.current.push(i);
            self.run(depth + 1, i + 1);
            self.current.pop();
        }
    }
}

/// An extra edition is worth it when it adds at least this share of the ideal score (every
/// participant inside their hours for the whole session).
pub const AUTO_GAIN_SHARE: f64 = 0.05;

/// The smallest K (1..=4) whose next edition would gain less than [`AUTO_GAIN_SHARE`] of the
/// ideal score, given the optimal totals for K = 1..=4.
pub fn auto_editions(totals: &[i64], participants: usize, minutes: i64) -> usize {
    let ideal = participants as f64 * minutes as f64;
    for k in 1..totals.len() {
        let gain = (totals[k] - totals[k - 1]) as f64;
        if gain < AUTO_GAIN_SHARE * ideal {
            return k;
        }
    }
    totals.len().max(1)
}
