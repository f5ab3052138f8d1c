//! Planning: rank every start time of a window by the comfort score ([`crate::comfort::Comfort::score`]),
//! and split one session into K regional editions, exactly (optimal on the step grid).
//!
//! Participants who share a zone, working hours, night and weekend score the same at every slot,
//! so scores are computed per such *profile* (a few hundred at most), never per participant.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::civil::{Disambiguation, resolve};
use crate::comfort::{Comfort, Profile, ZoneKey, comfort};
use crate::programme::Programme;

pub mod report;

/// Participants grouped by profile.
#[derive(Debug, Clone)]
pub struct Profiles {
    /// One representative participant index per profile, and every member (indices into
    /// [`Programme::participants`]), in profile order.
    pub groups: Vec<(usize, Vec<usize>)>,
}

impl Profiles {
    /// Groups the participants `who` (indices) by profile.
    pub fn of(programme: &Programme, who: &[usize]) -> Self {
        let mut map: BTreeMap<Profile, Vec<usize>> = BTreeMap::new();
        for &i in who {
            let p = &programme.participants[i];
            let mut weekend: Vec<u8> = p
                .weekend_days()
                .iter()
                .map(|d| d.num_days_from_monday() as u8)
                .collect();
            weekend.sort_unstable();
            let key = Profile {
                zone: ZoneKey::of(&p.timezone.zone),
                working_hours: p.working_hours,
                night: p.night,
                weekend,
            };
            map.entry(key).or_default().push(i);
        }
        Profiles {
            groups: map
                .into_values()
                .map(|members| (members[0], members))
                .collect(),
        }
    }

    /// Comfort of each profile for a slot.
    pub fn comforts(
        &self,
        programme: &Programme,
        start: DateTime<Utc>,
        minutes: i64,
    ) -> Vec<Comfort> {
        self.groups
            .iter()
            .map(|(rep, _)| {
                let p = &programme.participants[*rep];
                comfort(
                    &p.timezone.zone,
                    &p.working_hours,
                    &p.night,
                    p.weekend_days(),
                    start,
                    minutes,
                )
            })
            .collect()
    }
}

/// A ranked start time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// Summed score.
    pub score: i64,
    /// Participants wholly inside their working hours (and not on a weekend... the weekend only
    /// lowers the score).
    pub inside: Vec<usize>,
    /// Participants partly outside their hours, none of it in the night.
    pub partial: Vec<usize>,
    /// Participants with any minute in their night.
    pub night: Vec<usize>,
}

/// The start instants of the step grid from `from` 00:00 to `to` 24:00 in the programme's zone.
pub fn grid(
    programme: &Programme,
    from: NaiveDate,
    to: NaiveDate,
    step: Duration,
) -> Vec<DateTime<Utc>> {
    let zone = &programme.timezone.zone;
    let at = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|c| resolve(c, zone, Disambiguation::Compatible).ok())
    };
    let (Some(start), Some(end)) = (at(from), to.succ_opt().and_then(at)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut t = start;
    while t < end && step > Duration::zero() {
        out.push(t);
        t += step;
    }
    out
}

/// Every slot of `slots`, scored for the participants `who`, best first (ties: earlier first).
pub fn suggest(
    programme: &Programme,
    who: &[usize],
    slots: &[DateTime<Utc>],
    minutes: i64,
) -> Vec<Suggestion> {
    let profiles = Profiles::of(programme, who);
    let mut out: Vec<Suggestion> = slots
        .iter()
        .map(|&start| {
            let comforts = profiles.comforts(programme, start, minutes);
            let mut s = Suggestion {
                start,
                end: start + Duration::minutes(minutes),
                score: 0,
                inside: Vec::new(),
                partial: Vec::new(),
                night: Vec::new(),
            };
            for ((_, members), c) in profiles.groups.iter().zip(&comforts) {
                s.score += c.score() * members.len() as i64;
                let bucket = if c.night > 0 {
                    &mut s.night
                } else if c.outside > 0 {
                    &mut s.partial
                } else {
                    &mut s.inside
                };
                bucket.extend(members);
            }
            s
        })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.start.cmp(&b.start)));
    out
}

/// One edition of a split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// Its participants (indices), by e-mail.
    pub participants: Vec<usize>,
    /// The score of its participants at its time.
    pub score: i64,
    /// Their minutes outside working hours (not night) and in the night, summed.
    pub outside_minutes: i64,
    /// Night minutes summed.
    pub night_minutes: i64,
}

/// An optimal split into K editions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Editions in start order.
    pub editions: Vec<Edition>,
    /// Sum of the editions' scores.
    pub total_score: i64,
}

/// Everything `split` needs, computed once for several K: the profiles and the score of every
/// profile at every slot.
pub struct Planner<'a> {
    slots: &'a [DateTime<Utc>],
    minutes: i64,
    profiles: Profiles,
    weights: Vec<i64>,
    comforts: Vec<Vec<Comfort>>,
    scores: Vec<Vec<i64>>,
    /// Position of each participant (index) in e-mail order, for sorting editions cheaply.
    email_rank: Vec<u32>,
}

impl<'a> Planner<'a> {
    /// Scores every profile of the participants `who` at every slot.
    pub fn new(
        programme: &'a Programme,
        who: &[usize],
        slots: &'a [DateTime<Utc>],
        minutes: i64,
    ) -> Self {
        let profiles = Profiles::of(programme, who);
        let weights: Vec<i64> = profiles
            .groups
            .iter()
            .map(|(_, m)| m.len() as i64)
            .collect();
        let comforts: Vec<Vec<Comfort>> = slots
            .iter()
            .map(|&s| profiles.comforts(programme, s, minutes))
            .collect();
        let scores = comforts
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&weights)
                    .map(|(c, w)| c.score() * w)
                    .collect()
            })
            .collect();
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
            slots,
            minutes,
            profiles,
            weights,
            comforts,
            scores,
            email_rank,
        }
    }

    /// Chooses `k` distinct slots maximising the total score when every participant attends the
    /// edition that suits them best (ties: the earlier edition). Exhaustive over the
    /// K-combinations (branch and bound over non-dominated slots), so the answer is optimal on
    /// the grid; among optimal answers the choice is deterministic.
    pub fn split(&self, k: usize) -> Option<Split> {
        if k == 0 || k > self.slots.len() {
            return None;
        }
        let scores = &self.scores;
        let chosen = best_combination(scores, k)?;
        let mut editions: Vec<Edition> = chosen
            .iter()
            .map(|&s| Edition {
                start: self.slots[s],
                end: self.slots[s] + Duration::minutes(self.minutes),
                participants: Vec::new(),
                score: 0,
                outside_minutes: 0,
                night_minutes: 0,
            })
            .collect();
        for (g, (_, members)) in self.profiles.groups.iter().enumerate() {
            // The best edition for this profile; the earliest among equals.
            let mut best = 0;
            for e in 1..chosen.len() {
                if scores[chosen[e]][g] > scores[chosen[best]][g] {
                    best = e;
                }
            }
            let c = self.comforts[chosen[best]][g];
            let ed = &mut editions[best];
            ed.participants.extend(members);
            ed.score += scores[chosen[best]][g];
            ed.outside_minutes += c.outside * self.weights[g];
            ed.night_minutes += c.night * self.weights[g];
        }
        for e in &mut editions {
            e.participants.sort_unstable_by_key(|&i| self.email_rank[i]);
        }
        let total_score = editions.iter().map(|e| e.score).sum();
        Some(Split {
            editions,
            total_score,
        })
    }
}

/// [`Planner::split`] for one K.
pub fn split(
    programme: &Programme,
    who: &[usize],
    slots: &[DateTime<Utc>],
    minutes: i64,
    k: usize,
) -> Option<Split> {
    Planner::new(programme, who, slots, minutes).split(k)
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
