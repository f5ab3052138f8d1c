//! Civil date-time + zone → instant: the only place roundtable does this.
//!
//! A civil time may not exist (a spring-forward gap) or happen twice (a fall-back fold). Which
//! instant to take is a policy, [`Disambiguation`], chosen by the organizer; by default neither is
//! guessed. The words mean what RFC 5545 and Temporal (and jiff) make them mean.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, Utc};

use crate::zone::Zone;

/// What to do with a civil time that does not exist or happens twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Disambiguation {
    /// Refuse: the organizer must pick a time that exists exactly once.
    #[default]
    Reject,
    /// RFC 5545 / Temporal default: a gap moves forward by its length, a fold takes the earlier.
    Compatible,
    /// The earlier of the two candidate instants (in a gap: the time before the gap).
    Earlier,
    /// The later of the two candidate instants (in a gap: moved forward).
    Later,
}

impl Disambiguation {
    /// All policies, with the word used in the programme file.
    pub const ALL: [(Disambiguation, &'static str); 4] = [
        (Disambiguation::Reject, "reject"),
        (Disambiguation::Compatible, "compatible"),
        (Disambiguation::Earlier, "earlier"),
        (Disambiguation::Later, "later"),
    ];
}

impl FromStr for Disambiguation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Disambiguation::ALL
            .iter()
            .find(|(_, word)| *word == s)
            .map(|(d, _)| *d)
            .ok_or_else(|| {
                format!("unknown disambiguation `{s}`; use reject, compatible, earlier or later")
            })
    }
}

impl fmt::Display for Disambiguation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = Disambiguation::ALL
            .iter()
            .find(|(d, _)| d == self)
            .map_or("reject", |(_, w)| *w);
        f.write_str(word)
    }
}

/// Why a civil time could not be resolved under [`Disambiguation::Reject`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ambiguity {
    /// The time was skipped. `earlier` is the instant computed with the offset after the gap,
    /// `later` the one computed with the offset before it (the time moved forward).
    Gap {
        /// The earlier candidate.
        earlier: DateTime<Utc>,
        /// The later candidate.
        later: DateTime<Utc>,
    },
    /// The time happened twice.
    Fold {
        /// The first occurrence (still on the old offset).
        earlier: DateTime<Utc>,
        /// The second occurrence.
        later: DateTime<Utc>,
    },
}

impl Ambiguity {
    /// A sentence for error messages.
    pub fn describe(&self, zone: &Zone) -> String {
        let show = |i: &DateTime<Utc>| {
            let local = zone.local(*i);
            format!(
                "{} ({})",
                i.format("%Y-%m-%dT%H:%M:%SZ"),
                local.format("%H:%M %:z")
            )
        };
        match self {
            Ambiguity::Gap { earlier, later } => format!(
                "does not exist: the clocks skip it (DST gap); candidates are {} with `earlier` and {} with `compatible` or `later`",
                show(earlier),
                show(later)
            ),
            Ambiguity::Fold { earlier, later } => format!(
                "happens twice: the clocks repeat it (DST fold); candidates are {} with `earlier` or `compatible` and {} with `later`",
                show(earlier),
                show(later)
            ),
        }
    }
}

/// Resolves `civil` in `zone` with `policy`.
///
/// ```
/// use chrono::NaiveDate;
/// use roundtable::civil::{resolve, Disambiguation};
/// use roundtable::zone::ZoneSpec;
/// let ny: ZoneSpec = "America/New_York".parse().unwrap();
/// let gap = NaiveDate::from_ymd_opt(2024, 3, 10).unwrap().and_hms_opt(2, 30, 0).unwrap();
/// assert!(resolve(gap, &ny.zone, Disambiguation::Reject).is_err());
/// let moved = resolve(gap, &ny.zone, Disambiguation::Compatible).unwrap();
/// assert_eq!(moved.to_rfc3339(), "2024-03-10T07:30:00+00:00"); // 03:30 EDT
/// ```
pub fn resolve(
    civil: NaiveDateTime,
    zone: &Zone,
    policy: Disambiguation,
) -> Result<DateTime<Utc>, Ambiguity> {
    // Saturates within a day of the ends of chrono's range (years ±262,142), which no parser of
    // roundtable lets through: never panics.
    let at = |offset: chrono::FixedOffset| {
        let secs = i64::from(offset.local_minus_utc());
        // Subtracting an offset moves the date by at most a day: cheaper than the general
        // subtraction of a duration, and the same instant (no civil time roundtable reads is a
        // leap second, where the two would differ; one would take the general path).
        let shifted = if chrono::Timelike::nanosecond(&civil) < 1_000_000_000 {
            civil.checked_sub_offset(offset)
        } else {
            civil.checked_sub_signed(Duration::seconds(secs))
        };
        shifted
            .unwrap_or(if secs > 0 {
                NaiveDateTime::MIN
            } else {
                NaiveDateTime::MAX
            })
            .and_utc()
    };
    let ambiguity = match zone.local_candidates(&civil) {
        LocalResult::Single(offset) => return Ok(at(offset)),
        LocalResult::Ambiguous(a, b) => {
            let (x, y) = (at(a), at(b));
            Ambiguity::Fold {
                earlier: x.min(y),
                later: x.max(y),
            }
        }
        LocalResult::None => {
            // The offsets on either side of the gap: a day away is outside any gap the tz
            // database has ever recorded, and no zone changes offset twice within a day.
            let guess = civil.and_utc();
            let before = zone.offset_at(guess - Duration::days(1));
            let after = zone.offset_at(guess + Duration::days(1));
            let (x, y) = (at(before), at(after));
            Ambiguity::Gap {
                earlier: x.min(y),
                later: x.max(y),
            }
        }
    };
    match (policy, ambiguity) {
        (Disambiguation::Reject, a) => Err(a),
        (
            Disambiguation::Earlier,
            Ambiguity::Gap { earlier, .. } | Ambiguity::Fold { earlier, .. },
        ) => Ok(earlier),
        (Disambiguation::Later, Ambiguity::Gap { later, .. } | Ambiguity::Fold { later, .. }) => {
            Ok(later)
        }
        (Disambiguation::Compatible, Ambiguity::Gap { later, .. }) => Ok(later),
        (Disambiguation::Compatible, Ambiguity::Fold { earlier, .. }) => Ok(earlier),
    }
}
