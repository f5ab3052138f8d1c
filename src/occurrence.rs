//! The occurrences of a programme: every session's civil starts (recurrences expanded in civil
//! time), each resolved to an instant with the session's [`Disambiguation`] policy, and the
//! occurrences a `[[session.occurrence]]` moves or changes put where it says. Every consumer
//! (`times`, `check`, the page, invitations) reads occurrences from here.
//!
//! [`Disambiguation`]: crate::civil::Disambiguation

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use crate::civil::{Ambiguity, Disambiguation, resolve};
use crate::error::{Diagnostic, Error, Result};
use crate::programme::{Length, OccurrenceDate, OccurrenceOverride, Programme, Session};
use crate::recurrence::HORIZON_DAYS;

/// One occurrence of one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Index into [`Programme::sessions`].
    pub session: usize,
    /// The civil start in the session's zone: as the rule produced it, or for an occurrence
    /// moved by a `[[session.occurrence]]`, its new start.
    pub civil_start: NaiveDateTime,
    /// The instant it starts.
    pub start: DateTime<Utc>,
    /// The instant it ends (start + elapsed duration).
    pub end: DateTime<Utc>,
    /// Set when the civil start fell in a gap or fold and the policy chose the instant.
    pub disambiguated: Option<Ambiguity>,
    /// The civil start the rule produced (equal to `civil_start` unless the occurrence was
    /// moved): what invitations name it by (RECURRENCE-ID).
    pub original: NaiveDateTime,
    /// Index into the session's [`Session::overrides`] of the `[[session.occurrence]]` that
    /// changed this occurrence, if any.
    pub changed: Option<usize>,
}

impl Occurrence {
    /// The `[[session.occurrence]]` that changed this occurrence, if any (`session` is its
    /// session).
    pub fn change<'a>(&self, session: &'a Session) -> Option<&'a OccurrenceOverride> {
        self.changed.and_then(|k| session.overrides.get(k))
    }

    /// Whether it starts at another civil time than the rule gives, or has its own length.
    pub fn moved(&self, session: &Session) -> bool {
        self.civil_start != self.original
            || self.change(session).is_some_and(|c| c.length.is_some())
    }

    /// Its title: its own, or the session's.
    pub fn title<'a>(&self, session: &'a Session) -> &'a str {
        self.change(session)
            .and_then(|c| c.title.as_deref())
            .unwrap_or(&session.title)
    }

    /// Its video-call link: its own, or the session's.
    pub fn join_url<'a>(&self, session: &'a Session) -> Option<&'a str> {
        self.change(session)
            .and_then(|c| c.join_url.as_deref())
            .or(session.join_url.as_deref())
    }

    /// Its description: its own, or the session's.
    pub fn description<'a>(&self, session: &'a Session) -> Option<&'a str> {
        self.change(session)
            .and_then(|c| c.description.as_deref())
            .or(session.description.as_deref())
    }
}

/// Every occurrence of a programme, sorted by start instant, then session id.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Every occurrence of every session, moved ones at their new time.
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
    let mut x = Expander::new(index, session);
    let starts = x.starts(warnings).map_err(|d| vec![d])?;
    warn_unmatched_excepts(session, &starts, warnings);
    // Which occurrence each `[[session.occurrence]]` changes (by index into `starts`).
    let changed = match_overrides(session, &starts)?;
    let duration = x.series_duration();
    let what = if session.repeat.is_some() {
        "occurrence"
    } else {
        "start"
    };
    let mut list: Vec<Occurrence> = Vec::with_capacity(starts.len());
    for (i, &civil) in starts.iter().enumerate() {
        if session.except.iter().any(|(e, _)| *e == civil) {
            continue;
        }
        let occurrence = match changed[i] {
            None => x.occurrence(civil, what, duration),
            Some(k) => x.changed_occurrence(k, civil, what, duration),
        };
        list.extend(occurrence);
    }
    if list.iter().any(|o| o.changed.is_some()) {
        list.sort_by_key(|o| (o.start, o.original));
    }
    if let Some(d) = x.overlap(&list) {
        x.problems.push(d);
    }
    if x.problems.is_empty() {
        Ok(list)
    } else {
        Err(x.problems)
    }
}

/// What expanding one session needs: where to point problems at, and the problems found.
struct Expander<'a> {
    index: usize,
    session: &'a Session,
    /// The session's `start`.
    at: Option<crate::error::Location>,
    /// The session's `repeat`, or the session itself.
    at_rule: Option<crate::error::Location>,
    problems: Vec<Diagnostic>,
}

impl<'a> Expander<'a> {
    fn new(index: usize, session: &'a Session) -> Self {
        Expander {
            index,
            session,
            at: Some(session.start_location.clone()),
            at_rule: Some(
                session
                    .repeat_location
                    .clone()
                    .unwrap_or_else(|| session.location.clone()),
            ),
            problems: Vec::new(),
        }
    }

    /// The civil starts the rule gives (the start alone without one); a rule cut at the
    /// horizon is a warning.
    fn starts(
        &self,
        warnings: &mut Vec<Diagnostic>,
    ) -> std::result::Result<Vec<NaiveDateTime>, Diagnostic> {
        let session = self.session;
        let Some(rule) = &session.repeat else {
            return Ok(vec![session.start]);
        };
        match rule.expand(session.start, &session.timezone.zone) {
            Ok(e) => {
                if e.cut_at_horizon {
                    warnings.push(
                        Diagnostic::warning(self.at_rule.clone(), format!(
                            "the `repeat` of session `{}` has neither COUNT nor UNTIL; it is expanded for {HORIZON_DAYS} days (until {})",
                            session.id,
                            e.starts.last().map_or(String::new(), |s| s.format("%Y-%m-%d").to_string())
                        ))
                        .with_help("add COUNT=n or UNTIL=YYYYMMDDTHHMMSS to say when the series ends"),
                    );
                }
                Ok(e.starts)
            }
            Err(e) => {
                // The start is at fault when it is not an occurrence; else the rule.
                let place = if matches!(e, crate::recurrence::ExpandError::StartNotAnOccurrence(_))
                {
                    self.at.clone()
                } else {
                    self.at_rule.clone()
                };
                Err(Diagnostic::error(
                    place,
                    format!("session `{}`: {e}", session.id),
                ))
            }
        }
    }

    /// The instant of `civil` under the session's policy, and the ambiguity it resolved; a time
    /// the policy rejects is reported (as `what`, at `place`).
    fn resolve(
        &mut self,
        civil: NaiveDateTime,
        what: &str,
        place: &Option<crate::error::Location>,
    ) -> Option<(DateTime<Utc>, Option<Ambiguity>)> {
        let session = self.session;
        let zone = &session.timezone.zone;
        match resolve(civil, zone, session.disambiguation) {
            Ok(instant) => {
                let ambiguity = resolve(civil, zone, Disambiguation::Reject).err();
                Some((instant, ambiguity))
            }
            Err(a) => {
                self.problems.push(
                    Diagnostic::error(place.clone(), format!(
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
    }

    /// The elapsed time of every occurrence: `duration`, or from `start` to `end` as instants.
    fn series_duration(&mut self) -> Option<Duration> {
        let session = self.session;
        let at = self.at.clone();
        match session.length {
            Length::Elapsed(d) => Some(d),
            Length::End(end) => match (
                self.resolve(session.start, "start", &at),
                self.resolve(end, "end", &at),
            ) {
                (Some((s, _)), Some((e, _))) if e > s => Some(e - s),
                (Some(_), Some(_)) => {
                    self.problems.push(
                        Diagnostic::error(at, format!("session `{}`: `end` is not after `start` once DST is taken into account", session.id))
                            .with_help("use `duration` for the elapsed time instead"),
                    );
                    None
                }
                _ => None,
            },
        }
    }

    /// An occurrence as the series gives it.
    fn occurrence(
        &mut self,
        civil: NaiveDateTime,
        what: &str,
        duration: Option<Duration>,
    ) -> Option<Occurrence> {
        let at = self.at.clone();
        let (start, disambiguated) = self.resolve(civil, what, &at)?;
        Some(Occurrence {
            session: self.index,
            civil_start: civil,
            start,
            end: start + duration?.max(Duration::minutes(1)),
            disambiguated,
            original: civil,
            changed: None,
        })
    }

    /// The occurrence at `civil` changed by `[[session.occurrence]]` number `k`: its own start
    /// and length where given, else the series'.
    fn changed_occurrence(
        &mut self,
        k: usize,
        civil: NaiveDateTime,
        what: &str,
        duration: Option<Duration>,
    ) -> Option<Occurrence> {
        let change = &self.session.overrides[k];
        let here = Some(change.location.clone());
        let new_start = change.start.unwrap_or(civil);
        let (what, place) = match &change.start_location {
            Some(l) => ("moved start", Some(l.clone())),
            None => (what, here.clone()),
        };
        let (start, disambiguated) = self.resolve(new_start, what, &place)?;
        let length_place = change.length_location.clone().or(here);
        let length = match change.length {
            None => duration,
            Some(Length::Elapsed(d)) => Some(d),
            Some(Length::End(end)) => {
                self.changed_length(civil, new_start, start, end, length_place)
            }
        };
        Some(Occurrence {
            session: self.index,
            civil_start: new_start,
            start,
            end: start + length?.max(Duration::minutes(1)),
            disambiguated,
            original: civil,
            changed: Some(k),
        })
    }

    /// The length of a changed occurrence from its `end`: after its start, by at most 24 hours,
    /// also as instants.
    fn changed_length(
        &mut self,
        civil: NaiveDateTime,
        new_start: NaiveDateTime,
        start: DateTime<Utc>,
        end: NaiveDateTime,
        length_place: Option<crate::error::Location>,
    ) -> Option<Duration> {
        let session = self.session;
        let minutes = (end - new_start).num_minutes();
        if end <= new_start || minutes > crate::duration::MAX_MINUTES {
            self.problems.push(
                Diagnostic::error(length_place, format!(
                    "session `{}`: the occurrence of {} ends at {}, {}",
                    session.id,
                    civil.format("%a %Y-%m-%d"),
                    end.format("%a %Y-%m-%d %H:%M"),
                    if end <= new_start {
                        format!("not after its start ({})", new_start.format("%H:%M"))
                    } else {
                        format!("{} hours after its start; an occurrence lasts at most 24 hours", minutes / 60)
                    }
                ))
                .with_help("write `end` as a civil date-time in the session's zone, after the occurrence's start (its own `start`, or the series' time on its date), or give `duration`"),
            );
            return None;
        }
        match self.resolve(end, "moved end", &length_place) {
            Some((e, _)) if e > start => Some(e - start),
            Some(_) => {
                self.problems.push(
                    Diagnostic::error(length_place, format!("session `{}`: the occurrence of {} does not end after it starts once DST is taken into account", session.id, civil.format("%a %Y-%m-%d")))
                        .with_help("give `duration` for the elapsed time instead"),
                );
                None
            }
            None => None,
        }
    }

    /// A series whose occurrences overlap each other cannot be attended (nor imported
    /// sensibly): the first overlap, blamed on a moved occurrence, else on the rule.
    fn overlap(&self, list: &[Occurrence]) -> Option<Diagnostic> {
        let session = self.session;
        let w = list.windows(2).find(|w| w[1].start < w[0].end)?;
        let moved = w.iter().rev().find_map(|o| o.change(session)).map(|c| {
            c.start_location
                .clone()
                .unwrap_or_else(|| c.location.clone())
        });
        let help = if moved.is_some() {
            "move the occurrence to a time when no other occurrence of the session runs"
        } else {
            "shorten `duration`, or space the occurrences further apart in `repeat`"
        };
        Some(
            Diagnostic::error(moved.or(self.at_rule.clone()), format!(
                "session `{}`: its occurrences overlap each other: the one at {} starts before the one at {} ends",
                session.id,
                w[1].civil_start.format("%a %Y-%m-%d %H:%M"),
                w[0].civil_start.format("%a %Y-%m-%d %H:%M"),
            ))
            .with_help(help),
        )
    }
}

/// Warns of each `except` that names no civil start of the series.
fn warn_unmatched_excepts(
    session: &Session,
    starts: &[NaiveDateTime],
    warnings: &mut Vec<Diagnostic>,
) {
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
}

/// For each civil start of the series (`starts`, as the rule gives them), the index of the
/// `[[session.occurrence]]` that changes it. Each one must name exactly one occurrence, not one
/// `except` drops, and not one another already changes.
fn match_overrides(
    session: &Session,
    starts: &[NaiveDateTime],
) -> std::result::Result<Vec<Option<usize>>, Vec<Diagnostic>> {
    let mut changed: Vec<Option<usize>> = vec![None; starts.len()];
    let mut problems = Vec::new();
    let excepted = |c: NaiveDateTime| session.except.iter().any(|(e, _)| *e == c);
    for (k, change) in session.overrides.iter().enumerate() {
        let at = Some(change.location.clone());
        let hits: Vec<usize> = (0..starts.len())
            .filter(|&i| change.date.matches(starts[i]))
            .collect();
        match hits.as_slice() {
            [] => problems.push(no_such_occurrence(session, change, starts)),
            [i] if excepted(starts[*i]) => problems.push(
                Diagnostic::error(
                    at,
                    format!(
                        "session `{}`: the occurrence of {} is dropped by `except`, so it cannot be changed",
                        session.id,
                        starts[*i].format("%a %Y-%m-%d %H:%M")
                    ),
                )
                .with_help("to move it, remove it from `except`; to drop it, remove this [[session.occurrence]]"),
            ),
            [i] => match changed[*i] {
                Some(first) => problems.push(
                    Diagnostic::error(
                        at,
                        format!(
                            "session `{}`: the occurrence of {} is changed twice (first at {})",
                            session.id,
                            starts[*i].format("%a %Y-%m-%d %H:%M"),
                            session.overrides[first].location
                        ),
                    )
                    .with_help("keep one [[session.occurrence]] per occurrence, with every change in it"),
                ),
                None => changed[*i] = Some(k),
            },
            many => problems.push(
                Diagnostic::error(
                    at,
                    format!(
                        "session `{}` has {} occurrences on {} ({}); `date` must say which one",
                        session.id,
                        many.len(),
                        starts[many[0]].format("%a %Y-%m-%d"),
                        many.iter()
                            .map(|&i| starts[i].format("%H:%M").to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .with_help(format!(
                    "write its start: date = \"{}\"",
                    starts[many[0]].format("%Y-%m-%dT%H:%M")
                )),
            ),
        }
    }
    if problems.is_empty() {
        Ok(changed)
    } else {
        Err(problems)
    }
}

/// The error for a `date` that names no occurrence: where the series is, and the nearest
/// occurrences before and after it.
fn no_such_occurrence(
    session: &Session,
    change: &OccurrenceOverride,
    starts: &[NaiveDateTime],
) -> Diagnostic {
    let kept: Vec<NaiveDateTime> = starts
        .iter()
        .copied()
        .filter(|c| !session.except.iter().any(|(e, _)| e == c))
        .collect();
    let (wanted, said) = match change.date {
        OccurrenceDate::Date(d) => (
            d.and_time(chrono::NaiveTime::MIN),
            format!("on {}", d.format("%a %Y-%m-%d")),
        ),
        OccurrenceDate::Start(s) => (s, format!("at {}", s.format("%a %Y-%m-%d %H:%M"))),
    };
    // By date for `date = "YYYY-MM-DD"` (an occurrence later that day is after it), else by
    // start.
    let before = kept
        .iter()
        .rev()
        .find(|c| match change.date {
            OccurrenceDate::Date(d) => c.date() < d,
            OccurrenceDate::Start(s) => **c < s,
        })
        .copied();
    let after = kept.iter().find(|c| **c > wanted).copied();
    // A suggestion as it would be written: the date alone, unless the series has several
    // occurrences that day (or the start was written).
    let written = |c: NaiveDateTime| {
        let one_that_day = kept.iter().filter(|k| k.date() == c.date()).count() == 1;
        let value = if one_that_day && matches!(change.date, OccurrenceDate::Date(_)) {
            c.format("%Y-%m-%d").to_string()
        } else {
            c.format("%Y-%m-%dT%H:%M").to_string()
        };
        format!("date = \"{value}\" ({})", c.format("%a"))
    };
    let span = match (kept.first(), kept.last()) {
        (Some(first), _) if wanted < *first => {
            format!("; its first is on {}", first.format("%a %Y-%m-%d"))
        }
        (Some(_), Some(last)) if before == Some(*last) => {
            format!("; its last is on {}", last.format("%a %Y-%m-%d"))
        }
        _ => String::new(),
    };
    let help = match (before, after) {
        (Some(b), Some(a)) => format!("did you mean {} or {}?", written(b), written(a)),
        (Some(c), None) | (None, Some(c)) => format!("did you mean {}?", written(c)),
        (None, None) => "the series has no occurrence left to change".to_string(),
    };
    Diagnostic::error(
        Some(change.location.clone()),
        format!("session `{}` has no occurrence {said}{span}", session.id),
    )
    .with_help(format!(
        "{help} `date` names an occurrence as the series gives it, in the session's zone ({})",
        session.timezone.written
    ))
}

/// The elapsed length of the session's occurrences (those no `[[session.occurrence]]`
/// changes), or `None` when its `end` cannot be resolved (which [`expand`] reports).
pub fn series_length(session: &Session) -> Option<Duration> {
    match session.length {
        Length::Elapsed(d) => Some(d),
        Length::End(end) => {
            let zone = &session.timezone.zone;
            let s = resolve(session.start, zone, session.disambiguation).ok()?;
            let e = resolve(end, zone, session.disambiguation).ok()?;
            (e > s).then(|| e - s)
        }
    }
    .map(|d| d.max(Duration::minutes(1)))
}
