//! The occurrences of a programme: every session's civil starts (recurrences expanded in civil
//! time), each resolved to an instant with the session's [`Disambiguation`] policy.
//!
//! [`Disambiguation`]: crate::civil::Disambiguation

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use crate::civil::{Ambiguity, Disambiguation, resolve};
use crate::error::{Diagnostic, Error, Result};
use crate::programme::{Length, Programme, Session};
use crate::recurrence::HORIZON_DAYS;

/// One occurrence of one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Index into [`Programme::sessions`].
    pub session: usize,
    /// The civil start in the session's zone, as the rule produced it.
    pub civil_start: NaiveDateTime,
    /// The instant it starts.
    pub start: DateTime<Utc>,
    /// The instant it ends (start + elapsed duration).
    pub end: DateTime<Utc>,
    /// Set when the civil start fell in a gap or fold and the policy chose the instant.
    pub disambiguated: Option<Ambiguity>,
}

/// Every occurrence of a programme, sorted by start instant, then session id.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The occurrences.
    pub occurrences: Vec<Occurrence>,
    /// Except dates that matched nothing, rules cut at the horizon.
    pub warnings: Vec<Diagnostic>,
}

impl Schedule {
    /// The occurrences of session `index`, in order.
    pub fn of_session(&self, index: usize) -> impl Iterator<Item = &Occurrence> {
        self.occurrences.iter().filter(move |o| o.session == index)
    }
}

/// Expands every session of `programme`. Every civil start that is a gap or fold under
/// `reject` is reported, all at once.
pub fn expand(programme: &Programme) -> Result<Schedule> {
    let mut occurrences = Vec::new();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    for (index, session) in programme.sessions.iter().enumerate() {
        match expand_session(index, session, &mut warnings) {
            Ok(mut list) => occurrences.append(&mut list),
            Err(mut list) => problems.append(&mut list),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    occurrences.sort_by(|a, b| {
        a.start.cmp(&b.start).then_with(|| {
            programme.sessions[a.session]
                .id
                .cmp(&programme.sessions[b.session].id)
        })
    });
    Ok(Schedule {
        occurrences,
        warnings,
    })
}

fn expand_session(
    index: usize,
    session: &Session,
    warnings: &mut Vec<Diagnostic>,
) -> std::result::Result<Vec<Occurrence>, Vec<Diagnostic>> {
    let zone = &session.timezone.zone;
    let policy = session.disambiguation;
    let at = Some(session.start_location.clone());
    let at_rule = Some(
        session
            .repeat_location
            .clone()
            .unwrap_or_else(|| session.location.clone()),
    );
    let starts = match &session.repeat {
        None => vec![session.start],
        Some(rule) => match rule.expand(session.start, zone) {
            Ok(e) => {
                if e.cut_at_horizon {
                    warnings.push(
                        Diagnostic::warning(at_rule.clone(), format!(
                            "the `repeat` of session `{}` has neither COUNT nor UNTIL; it is expanded for {HORIZON_DAYS} days (until {})",
                            session.id,
                            e.starts.last().map_or(String::new(), |s| s.format("%Y-%m-%d").to_string())
                        ))
                        .with_help("add COUNT=n or UNTIL=YYYYMMDDTHHMMSS to say when the series ends"),
                    );
                }
                e.starts
            }
            Err(e) => {
                // The start is at fault when it is not an occurrence; else the rule.
                let place = if matches!(e, crate::recurrence::ExpandError::StartNotAnOccurrence(_))
                {
                    at
                } else {
                    at_rule
                };
                return Err(vec![Diagnostic::error(
                    place,
                    format!("session `{}`: {e}", session.id),
                )]);
            }
        },
    };
    for (except, location) in &session.except {
        if !starts.contains(except) {
            warnings.push(
                Diagnostic::warning(
                    Some(location.clone()),
                    format!(
                        "`except` {} matches no occurrence of session `{}`",
                        except.format("%Y-%m-%dT%H:%M"),
                        session.id
                    ),
                )
                .with_help(
                    "write the civil start time of the occurrence to drop, in the session's zone",
                ),
            );
        }
    }
    let problems = std::cell::RefCell::new(Vec::new());
    let resolve_here = |civil: NaiveDateTime,
                        what: &str|
     -> Option<(DateTime<Utc>, Option<Ambiguity>)> {
        match resolve(civil, zone, policy) {
            Ok(instant) => {
                let ambiguity = resolve(civil, zone, Disambiguation::Reject).err();
                Some((instant, ambiguity))
            }
            Err(a) => {
                problems.borrow_mut().push(
                    Diagnostic::error(at.clone(), format!(
                        "session `{}`: {what} {} in {} {}",
                        session.id,
                        civil.format("%a %Y-%m-%d %H:%M"),
                        session.timezone.written,
                        a.describe(zone)
                    ))
                    .with_help("pick a time that exists exactly once, or opt in with disambiguation = \"compatible\" (or \"earlier\" / \"later\") on the session or the programme"),
                );
                None
            }
        }
    };
    let duration = match session.length {
        Length::Elapsed(d) => Some(d),
        Length::End(end) => match (
            resolve_here(session.start, "start"),
            resolve_here(end, "end"),
        ) {
            (Some((s, _)), Some((e, _))) if e > s => Some(e - s),
            (Some(_), Some(_)) => {
                problems.borrow_mut().push(
                    Diagnostic::error(at.clone(), format!("session `{}`: `end` is not after `start` once DST is taken into account", session.id))
                        .with_help("use `duration` for the elapsed time instead"),
                );
                None
            }
            _ => None,
        },
    };
    let what = if session.repeat.is_some() {
        "occurrence"
    } else {
        "start"
    };
    let mut list: Vec<Occurrence> = Vec::with_capacity(starts.len());
    for civil in starts {
        if session.except.iter().any(|(e, _)| *e == civil) {
            continue;
        }
        if let (Some((start, disambiguated)), Some(duration)) =
            (resolve_here(civil, what), duration)
        {
            list.push(Occurrence {
                session: index,
                civil_start: civil,
                start,
                end: start + duration.max(Duration::minutes(1)),
                disambiguated,
            });
        }
    }
    let mut problems = problems.into_inner();
    // A series whose occurrences overlap each other cannot be attended (nor imported sensibly).
    if let Some(w) = list.windows(2).find(|w| w[1].start < w[0].end) {
        problems.push(
            Diagnostic::error(at_rule.clone(), format!(
                "session `{}`: its occurrences overlap each other: the one at {} starts before the one at {} ends",
                session.id,
                w[1].civil_start.format("%a %Y-%m-%d %H:%M"),
                w[0].civil_start.format("%a %Y-%m-%d %H:%M"),
            ))
            .with_help("shorten `duration`, or space the occurrences further apart in `repeat`"),
        );
    }
    if problems.is_empty() {
        Ok(list)
    } else {
        Err(problems)
    }
}
