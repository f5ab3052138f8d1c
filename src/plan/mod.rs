//! Planning: rank every start time of a window by the score, and split one session into K
//! regional editions, exactly (optimal on the step grid).
//!
//! **The score** (defined here, in [`score`], and nowhere else): for each participant, their
//! `Comfort::score` of the slot (+1 per minute inside their working hours, 0 outside them,
//! −2 per minute in their night, −60 when it starts on their weekend), or [`unavailable_score`]
//! when they cannot attend (another session of the programme they attend, or an event of their
//! busy calendar, overlaps the slot); summed over the audience.
//!
//! **What is never proposed.** A start time at which anyone in the audience is unavailable
//! (unless the organizer allows overlaps); and, when the programme has *required* participants
//! (hosts, facilitators, interpreters: `required = true` on them or a group, or `--required`),
//! a start time at which one of them is unavailable or outside their working hours. When no
//! start time satisfies the required participants, the plan says so and proposes the best
//! compromise: the start times where they are least outside their hours.
//!
//! Participants who share a zone, working hours, night, weekend and commitments score the same
//! at every slot, so scores are computed per such *class* (a few hundred at most, plus one per
//! participant with a busy calendar), never per participant, and `suggest` keeps a few numbers
//! per start time, never a participant list.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::civil::{Disambiguation, resolve};
use crate::comfort::{Comfort, Profile, ZoneKey, comfort};
use crate::programme::Programme;

pub mod availability;
pub mod report;
mod split;
mod suggest;

pub use availability::{Availability, Reason};
pub use split::{AUTO_GAIN_SHARE, Edition, Planner, Split, SplitProblem, auto_editions, split};
pub use suggest::{Outcome, Suggestion, Suggestions, suggest, suggest_with};

/// The score of someone who cannot attend a slot of `minutes`: lower than any comfort score
/// (a whole session in the night on a weekend scores −2 × minutes − 60).
///
/// ```
/// assert_eq!(roundtable::plan::unavailable_score(60), -240);
/// ```
pub fn unavailable_score(minutes: i64) -> i64 {
    -3 * minutes - 60
}

/// One participant's score at a slot: the comfort score, or [`unavailable_score`].
pub fn score(comfort: &Comfort, unavailable: bool, minutes: i64) -> i64 {
    if unavailable {
        unavailable_score(minutes)
    } else {
        comfort.score()
    }
}

/// Whether a required participant can attend: free, and wholly inside their working hours.
pub fn required_ok(comfort: &Comfort, unavailable: bool) -> bool {
    !unavailable && comfort.outside == 0 && comfort.night == 0
}

/// How far a required participant is from attending: their minutes outside working hours (night
/// included), or the whole length when they are unavailable. 0 when [`required_ok`].
pub fn required_miss(comfort: &Comfort, unavailable: bool, minutes: i64) -> i64 {
    if unavailable {
        minutes
    } else {
        comfort.outside + comfort.night
    }
}

/// Participants grouped by what their score depends on: comfort profiles (zone, hours, night,
/// weekend), and within each, classes of equal commitments.
#[derive(Debug, Clone)]
pub struct Profiles {
    /// One representative participant per comfort profile.
    pub reps: Vec<usize>,
    /// The classes, in profile order.
    pub classes: Vec<Class>,
}

/// Participants with the same comfort profile and the same commitments.
#[derive(Debug, Clone)]
pub struct Class {
    /// Index into [`Profiles::reps`].
    pub profile: usize,
    /// Members (indices into [`Programme::participants`]), ascending.
    pub members: Vec<usize>,
}

/// The comfort profile of a participant.
fn profile_of(programme: &Programme, i: usize) -> Profile {
    let p = &programme.participants[i];
    let mut weekend: Vec<u8> = p
        .weekend_days()
        .iter()
        .map(|d| d.num_days_from_monday() as u8)
        .collect();
    weekend.sort_unstable();
    Profile {
        zone: ZoneKey::of(&p.timezone.zone),
        working_hours: p.working_hours,
        night: p.night,
        weekend,
    }
}

impl Profiles {
    /// Groups the participants `who` (indices) by profile and commitments.
    pub fn of(programme: &Programme, who: &[usize], availability: &Availability) -> Self {
        // Profile → (commitments class, or the participant for those with busy events) →
        // members.
        type Classes = BTreeMap<Result<u32, usize>, Vec<usize>>;
        let mut map: BTreeMap<Profile, Classes> = BTreeMap::new();
        for &i in who {
            map.entry(profile_of(programme, i))
                .or_default()
                .entry(availability.class_of(i).ok_or(i))
                .or_default()
                .push(i);
        }
        let mut reps = Vec::with_capacity(map.len());
        let mut classes = Vec::new();
        for (profile, (_, by_class)) in map.into_iter().enumerate() {
            let mut rep = usize::MAX;
            for (_, mut members) in by_class {
                members.sort_unstable();
                rep = rep.min(members[0]);
                classes.push(Class { profile, members });
            }
            reps.push(rep);
        }
        Profiles { reps, classes }
    }

    /// Comfort of each profile for a slot.
    pub fn comforts(
        &self,
        programme: &Programme,
        start: DateTime<Utc>,
        minutes: i64,
    ) -> Vec<Comfort> {
        self.reps
            .iter()
            .map(|&rep| comfort_of(programme, rep, start, minutes))
            .collect()
    }
}

/// Comfort of participant `i` for a slot.
pub fn comfort_of(programme: &Programme, i: usize, start: DateTime<Utc>, minutes: i64) -> Comfort {
    let p = &programme.participants[i];
    comfort(
        &p.timezone.zone,
        &p.working_hours,
        &p.night,
        p.weekend_days(),
        start,
        minutes,
    )
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

/// What a plan is asked: who, how long, what may overlap.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The programme whose participants are planned for.
    pub programme: &'a Programme,
    /// The audience (indices into [`Programme::participants`]).
    pub who: &'a [usize],
    /// Participants who must attend every proposal inside their hours (indices).
    pub required: &'a [usize],
    /// Length in minutes.
    pub minutes: i64,
    /// Everyone's commitments.
    pub availability: &'a Availability,
    /// Propose start times where someone in the audience is unavailable (scored as such).
    pub allow_overlap: bool,
}

impl<'a> Request<'a> {
    /// Every required participant at a start time: comfort, and why they cannot attend if so.
    pub fn required_at(&self, start: DateTime<Utc>) -> Vec<(usize, Comfort, Option<Reason>)> {
        let length = Duration::minutes(self.minutes);
        self.required
            .iter()
            .map(|&r| {
                (
                    r,
                    comfort_of(self.programme, r, start, self.minutes),
                    self.availability.conflict(r, start, length),
                )
            })
            .collect()
    }

    /// The required participants' summed [`required_miss`] at a start time.
    pub fn required_miss_at(&self, start: DateTime<Utc>) -> i64 {
        self.required_at(start)
            .iter()
            .map(|(_, c, r)| required_miss(c, r.is_some(), self.minutes))
            .sum()
    }

    /// A request with no commitments and no required participants.
    pub fn simple(
        programme: &'a Programme,
        who: &'a [usize],
        minutes: i64,
        availability: &'a Availability,
    ) -> Self {
        Request {
            programme,
            who,
            required: &[],
            minutes,
            availability,
            allow_overlap: false,
        }
    }
}
