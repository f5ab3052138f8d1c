//! What changed in each event since the last run, in words a person can check before mailing
//! invitations: times moved (in the programme's zone), a series' rule or exceptions, title,
//! join link, description, reminder, audience, and attendees added and removed.
//!
//! The last run is known from the lock file ([`crate::ics::lock`]): [`record`] says what a run
//! keeps of each event ([`Details`]), [`Comparer::compare`] reads it back against this run.
//! A lock written before details were kept (version 1) still has the times, title and rule;
//! the rest is "details unknown" until the next run records it.
//!
//! [`likenesses`] looks at the events this run cancels and the ones it adds: one that has the
//! same times and audience as a cancelled one is probably that session renamed, and one whose
//! UID differs only in its domain is the same session after the organizer's e-mail domain
//! changed. Either way calendars would get a cancellation and a new event; the fix keeps the
//! UID (`previous_id` on the session, `uid_domain` in `[programme]`).
//!
//! Rendering (text and JSON) is in [`render`].

pub mod attendees;
pub mod render;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::civil::{Disambiguation, resolve};
use crate::error::Location;
use crate::ics::Event;
use crate::ics::lock::{self, Details, LockedEvent};
use crate::programme::{Participant, Programme};
use attendees::{AttendeeSet, EventSalt, Tokens};

/// One thing that changed in an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    /// The session's id changed; its UID did not (`previous_id`).
    Renamed {
        /// The id in the lock.
        from: String,
    },
    /// It was cancelled, and is back.
    Restored,
    /// The start (of the first occurrence, for a series).
    Start {
        /// Before.
        from: DateTime<Utc>,
        /// Now.
        to: DateTime<Utc>,
    },
    /// The end (of the first occurrence, for a series).
    End {
        /// Before.
        from: DateTime<Utc>,
        /// Now.
        to: DateTime<Utc>,
    },
    /// The start of a series' last occurrence.
    LastStart {
        /// Before.
        from: DateTime<Utc>,
        /// Now.
        to: DateTime<Utc>,
    },
    /// The zone the event is written in (its TZID).
    Timezone {
        /// Before.
        from: String,
        /// Now.
        to: String,
    },
    /// The recurrence rule (RRULE as written in the calendars).
    Repeat {
        /// Before.
        from: Option<String>,
        /// Now.
        to: Option<String>,
    },
    /// Occurrences excepted (EXDATE), as instants.
    Except {
        /// Excepted now, not before.
        added: Vec<DateTime<Utc>>,
        /// Excepted before, not now.
        removed: Vec<DateTime<Utc>>,
    },
    /// One occurrence of a series moved or changed (`[[session.occurrence]]`).
    Occurrence {
        /// Its RECURRENCE-ID: the civil start the series gives it.
        original: String,
        /// Where it was before (`None`: at its series time).
        from: Option<(DateTime<Utc>, DateTime<Utc>)>,
        /// Where it is now (`None`: back at its series time).
        to: Option<(DateTime<Utc>, DateTime<Utc>)>,
        /// Its own title, description or link changed.
        details: bool,
    },
    /// SUMMARY.
    Title {
        /// Before.
        from: String,
        /// Now.
        to: String,
    },
    /// The video-call link (URL, LOCATION, CONFERENCE).
    JoinUrl {
        /// Before.
        from: Option<String>,
        /// Now.
        to: Option<String>,
    },
    /// The description changed (only its hash is kept).
    Description {
        /// Whether there was one.
        before: bool,
        /// Whether there is one.
        after: bool,
    },
    /// Minutes of the reminder before the start.
    Reminder {
        /// Before.
        from: Option<i64>,
        /// Now.
        to: Option<i64>,
    },
    /// `all` or the group ids.
    Audience {
        /// Before.
        from: Vec<String>,
        /// Now.
        to: Vec<String>,
    },
    /// Who attends.
    Attendees(Attendees),
    /// The event changed in a way none of the above says (its hash differs).
    Other,
    /// The lock was written before details were kept: what else changed is unknown.
    Unknown,
    /// A new event that is probably a cancelled one under a new UID (see [`Suggestion`]).
    LooksLike {
        /// The cancelled event's UID.
        uid: String,
        /// Its session id.
        session: String,
        /// Why it looks the same.
        why: Likeness,
    },
}

/// Why a new event looks like a cancelled one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Likeness {
    /// Same times and audience, another session id.
    Renamed,
    /// The same UID but for its domain.
    UidDomain,
}

/// Attendees added and removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attendees {
    /// How many before.
    pub before: u32,
    /// How many now.
    pub after: u32,
    /// E-mails of those added, sorted.
    pub added: Vec<String>,
    /// E-mails of those removed who are still in the programme, sorted.
    pub removed: Vec<String>,
    /// Removed attendees who are no longer in the programme (their e-mails are not kept).
    pub removed_unnamed: usize,
    /// Someone's name changed (nobody added or removed).
    pub names_changed: bool,
    /// Why added and removed attendees could not be told, when they could not.
    pub unlisted: Option<Unlisted>,
}

/// Why the attendees who changed are not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlisted {
    /// No calendar-address key was found (a dry run never makes one).
    NoKey,
    /// The lock's attendee sets were made under another calendar-address key.
    OtherKey,
    /// More attendees changed than the lock's set tells apart.
    TooMany,
    /// The lock holds no attendee set for this event.
    NotRecorded,
}

/// A fix to offer: keep a UID so that calendars update an event instead of cancelling it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// Give session `session` the key `previous_id = "<previous_id>"`.
    PreviousId {
        /// The session, as it is now.
        session: String,
        /// The id its old UID holds.
        previous_id: String,
        /// The cancelled event's session id, as the lock has it.
        cancelled: String,
        /// Where the session is written.
        location: Option<Location>,
    },
    /// Add `uid_domain = "<from>"` to `[programme]`.
    UidDomain {
        /// The domain of the UIDs in the lock.
        from: String,
        /// The domain this run's UIDs have.
        to: String,
        /// How many events it cancels and adds again.
        events: usize,
    },
}

/// What this run keeps of `event` for the next run to compare: how many attendees it has and
/// the fingerprint of their `name <email>` list (`crate::ics::lock::Fingerprint`, one part
/// each), and `tokens`, their tokens under the calendar-address key, when the key is known.
pub fn record(
    event: &Event,
    (attendees, names): (usize, String),
    tokens: Option<&[u64]>,
) -> Details {
    let attendee_set = tokens.map(|tokens| {
        let mut set = AttendeeSet::new();
        for t in tokens {
            set.insert(*t);
        }
        set.encode()
    });
    Details {
        exdates: event.exdates.clone(),
        occurrences: event
            .overrides
            .iter()
            .map(|o| {
                let own =
                    [&o.title, &o.description, &o.join_url].map(|v| v.as_deref().unwrap_or(""));
                format!(
                    "{} {} {} {}",
                    o.recurrence_id,
                    crate::times::utc_string(o.start),
                    crate::times::utc_string(o.end),
                    lock::fingerprint(&own)
                )
            })
            .collect(),
        join_url: event.join_url.clone(),
        description: event
            .description
            .as_deref()
            .map(|d| lock::fingerprint(&[d])),
        reminder: event.reminder,
        attendees: u32::try_from(attendees).unwrap_or(u32::MAX),
        attendees_hash: names,
        attendee_set,
    }
}

/// Compares what the lock remembers of an event with this run's.
pub struct Comparer<'a> {
    /// The programme of this run (to name removed attendees who are still in it).
    pub programme: &'a Programme,
    /// The calendar-address key's tokens, when the key is known.
    pub tokens: Option<&'a Tokens>,
    /// The lock's `attendee_key`.
    pub lock_key: Option<&'a str>,
}

impl Comparer<'_> {
    /// What changed from `old` (the lock's entry of the same UID) to `new` (this run's),
    /// whose attendees are `attendees` with `tokens` under its UID. Empty when nothing did.
    pub fn compare(
        &self,
        old: &LockedEvent,
        new: &LockedEvent,
        attendees: &[&Participant],
        tokens: Option<&[u64]>,
    ) -> Vec<Detail> {
        let mut out = Vec::new();
        if old.session != new.session {
            out.push(Detail::Renamed {
                from: old.session.clone(),
            });
        }
        if old.cancelled {
            out.push(Detail::Restored);
        }
        times(old, new, &mut out);
        if old.title != new.title {
            out.push(Detail::Title {
                from: old.title.clone(),
                to: new.title.clone(),
            });
        }
        let (Some(before), Some(after)) = (&old.details, &new.details) else {
            if old.audience != new.audience {
                out.push(audience(old, new));
            }
            if old.hash != new.hash {
                out.push(Detail::Unknown);
            }
            return out;
        };
        let except = excepted(old, before, new, after);
        if let Some(d) = except {
            out.push(d);
        }
        out.extend(occurrences(before, after));
        if before.join_url != after.join_url {
            out.push(Detail::JoinUrl {
                from: before.join_url.clone(),
                to: after.join_url.clone(),
            });
        }
        if before.description != after.description {
            out.push(Detail::Description {
                before: before.description.is_some(),
                after: after.description.is_some(),
            });
        }
        if before.reminder != after.reminder {
            out.push(Detail::Reminder {
                from: before.reminder,
                to: after.reminder,
            });
        }
        if old.audience != new.audience {
            out.push(audience(old, new));
        }
        if before.attendees_hash != after.attendees_hash {
            out.push(Detail::Attendees(
                self.attendees(old, before, after, attendees, tokens),
            ));
        }
        let explained = out
            .iter()
            .any(|d| !matches!(d, Detail::Renamed { .. } | Detail::Audience { .. }));
        if old.hash != new.hash && !explained {
            out.push(Detail::Other);
        }
        out
    }

    fn attendees(
        &self,
        old: &LockedEvent,
        before: &Details,
        after: &Details,
        attendees: &[&Participant],
        tokens: Option<&[u64]>,
    ) -> Attendees {
        let mut a = Attendees {
            before: before.attendees,
            after: after.attendees,
            ..Attendees::default()
        };
        let (before_count, after_count) = (a.before, a.after);
        let unlisted = |why| Attendees {
            before: before_count,
            after: after_count,
            unlisted: Some(why),
            ..Attendees::default()
        };
        let Some(stored) = before.attendee_set.as_deref() else {
            return unlisted(Unlisted::NotRecorded);
        };
        let (Some(keyed), Some(tokens)) = (self.tokens, tokens) else {
            return unlisted(Unlisted::NoKey);
        };
        if self.lock_key != Some(keyed.key_check()) {
            return unlisted(Unlisted::OtherKey);
        }
        let Some(stored) = AttendeeSet::decode(stored) else {
            return unlisted(Unlisted::NotRecorded);
        };
        let mut now = stored.empty_like();
        for t in tokens {
            now.insert(*t);
        }
        let Some(diff) = stored.difference(&now) else {
            return unlisted(Unlisted::TooMany);
        };
        let added: HashSet<u64> = diff.only_second.iter().copied().collect();
        a.added = attendees
            .iter()
            .zip(tokens)
            .filter(|(_, t)| added.contains(t))
            .map(|(p, _)| p.email.clone())
            .collect();
        if a.added.len() != added.len() {
            // A token this run did not make: the set decoded to something else.
            return unlisted(Unlisted::TooMany);
        }
        if !diff.only_first.is_empty() {
            // Removed attendees still in the programme (in another audience) can be named:
            // their tokens under this UID are made again from every participant's e-mail.
            let removed: HashSet<u64> = diff.only_first.iter().copied().collect();
            let salt = EventSalt::of(&old.uid);
            a.removed = self
                .programme
                .participants
                .iter()
                .enumerate()
                .filter(|(i, _)| removed.contains(&keyed.token(salt, *i)))
                .map(|(_, p)| p.email.clone())
                .collect();
            a.removed_unnamed = removed.len().saturating_sub(a.removed.len());
        }
        let order = |list: &mut Vec<String>| {
            list.sort_by_cached_key(|e| (crate::programme::email::normalise(e), e.clone()));
        };
        order(&mut a.added);
        order(&mut a.removed);
        a.names_changed = diff.only_first.is_empty() && diff.only_second.is_empty();
        a
    }
}

fn audience(old: &LockedEvent, new: &LockedEvent) -> Detail {
    Detail::Audience {
        from: old.audience.clone(),
        to: new.audience.clone(),
    }
}

/// An RFC 3339 instant from the lock.
fn instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// A DATE-TIME value (`20231213T090000`, or UTC with `Z`) in the TZID `tzid`, as an instant.
/// roundtable writes a civil value only when it is neither in a gap nor a fold, so any policy
/// reads it alike.
fn value_instant(value: &str, tzid: &str) -> Option<DateTime<Utc>> {
    let parse = |v: &str| NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok();
    if let Some(utc) = value.strip_suffix('Z') {
        return parse(utc).map(|c| c.and_utc());
    }
    let zone = crate::ics::zone_of_tzid(tzid)?;
    resolve(parse(value)?, &zone, Disambiguation::Compatible).ok()
}

/// Start, end, last start, zone and rule.
fn times(old: &LockedEvent, new: &LockedEvent, out: &mut Vec<Detail>) {
    if let (Some(from), Some(to)) = (instant(&old.first_utc), instant(&new.first_utc))
        && from != to
    {
        out.push(Detail::Start { from, to });
    }
    if let (Some(from), Some(to)) = (
        value_instant(&old.dtend, &old.tzid),
        value_instant(&new.dtend, &new.tzid),
    ) && from != to
    {
        out.push(Detail::End { from, to });
    }
    if (old.rrule.is_some() || new.rrule.is_some())
        && let (Some(from), Some(to)) = (instant(&old.last_utc), instant(&new.last_utc))
        && from != to
    {
        out.push(Detail::LastStart { from, to });
    }
    if old.tzid != new.tzid {
        out.push(Detail::Timezone {
            from: old.tzid.clone(),
            to: new.tzid.clone(),
        });
    }
    if old.rrule != new.rrule {
        out.push(Detail::Repeat {
            from: old.rrule.clone(),
            to: new.rrule.clone(),
        });
    }
}

/// Excepted occurrences added and removed, compared as instants (the zone may have changed).
fn excepted(
    old: &LockedEvent,
    before: &Details,
    new: &LockedEvent,
    after: &Details,
) -> Option<Detail> {
    let set = |e: &LockedEvent, d: &Details| -> BTreeSet<DateTime<Utc>> {
        d.exdates
            .iter()
            .filter_map(|x| value_instant(x, &e.tzid))
            .collect()
    };
    let (was, is) = (set(old, before), set(new, after));
    let added: Vec<_> = is.difference(&was).copied().collect();
    let removed: Vec<_> = was.difference(&is).copied().collect();
    (!added.is_empty() || !removed.is_empty()).then_some(Detail::Except { added, removed })
}

/// The `<session>[~part]` and the domain of a UID.
fn uid_parts(uid: &str) -> Option<(&str, &str)> {
    let (local, domain) = uid.rsplit_once('@')?;
    Some((local, domain))
}

/// The id a UID holds (a session's id or `previous_id`).
fn uid_id(uid: &str) -> &str {
    let end = uid.find(['~', '.']).unwrap_or(uid.len());
    &uid[..end]
}

/// What makes two events "the same times and audience": first start, last start, first end,
/// rule and audience.
type LikenessKey<'a> = (
    DateTime<Utc>,
    DateTime<Utc>,
    DateTime<Utc>,
    &'a str,
    &'a [String],
);

fn likeness_key(e: &LockedEvent) -> Option<LikenessKey<'_>> {
    Some((
        instant(&e.first_utc)?,
        instant(&e.last_utc)?,
        value_instant(&e.dtend, &e.tzid)?,
        e.rrule.as_deref().unwrap_or(""),
        &e.audience,
    ))
}

/// New events that are probably cancelled ones under another UID: `cancelled` are the lock's
/// entries this run cancels, `added` this run's new entries (with their session's place).
/// Returns, for each index of `added` that looks like one, the [`Detail::LooksLike`] to show,
/// and the fixes to offer.
pub fn likenesses(
    cancelled: &[&LockedEvent],
    added: &[(&LockedEvent, Option<Location>)],
) -> (Vec<(usize, Detail)>, Vec<Suggestion>) {
    let mut pairs: Vec<(usize, usize, Likeness)> = Vec::new();
    let mut paired_old: HashSet<usize> = HashSet::new();
    let mut paired_new: HashSet<usize> = HashSet::new();
    // The same UID but for its domain.
    for (ni, (n, _)) in added.iter().enumerate() {
        let Some((n_local, n_domain)) = uid_parts(&n.uid) else {
            continue;
        };
        if let Some(oi) = cancelled
            .iter()
            .position(|o| uid_parts(&o.uid).is_some_and(|(l, d)| l == n_local && d != n_domain))
            && paired_old.insert(oi)
        {
            paired_new.insert(ni);
            pairs.push((oi, ni, Likeness::UidDomain));
        }
    }
    // Same times and audience, when exactly one cancelled and one new event have them.
    let mut by_key: BTreeMap<_, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (oi, o) in cancelled.iter().enumerate() {
        if let Some(k) = likeness_key(o).filter(|_| !paired_old.contains(&oi)) {
            by_key.entry(k).or_default().0.push(oi);
        }
    }
    for (ni, (n, _)) in added.iter().enumerate() {
        if let Some(k) = likeness_key(n).filter(|_| !paired_new.contains(&ni)) {
            by_key.entry(k).or_default().1.push(ni);
        }
    }
    for (olds, news) in by_key.values() {
        if let ([oi], [ni]) = (olds.as_slice(), news.as_slice()) {
            pairs.push((*oi, *ni, Likeness::Renamed));
        }
    }
    let mut details = Vec::new();
    let mut renames: BTreeMap<(String, String), Suggestion> = BTreeMap::new();
    let mut domains: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (oi, ni, why) in pairs {
        let (o, (n, location)) = (cancelled[oi], &added[ni]);
        details.push((
            ni,
            Detail::LooksLike {
                uid: o.uid.clone(),
                session: o.session.clone(),
                why,
            },
        ));
        if let (Some((_, from)), Some((_, to))) = (uid_parts(&o.uid), uid_parts(&n.uid))
            && from != to
        {
            *domains
                .entry((from.to_string(), to.to_string()))
                .or_default() += 1;
        }
        if uid_id(&o.uid) != uid_id(&n.uid) {
            let key = (n.session.clone(), uid_id(&o.uid).to_string());
            renames.entry(key).or_insert(Suggestion::PreviousId {
                session: n.session.clone(),
                previous_id: uid_id(&o.uid).to_string(),
                cancelled: o.session.clone(),
                location: location.clone(),
            });
        }
    }
    let mut suggestions: Vec<Suggestion> = renames.into_values().collect();
    for ((from, to), events) in domains {
        suggestions.push(Suggestion::UidDomain { from, to, events });
    }
    details.sort_by_key(|(ni, _)| *ni);
    (details, suggestions)
}

/// `RECURRENCE-ID START END FINGERPRINT` (a [`Details::occurrences`] entry), parsed.
pub fn parse_occurrence(entry: &str) -> Option<(&str, DateTime<Utc>, DateTime<Utc>, &str)> {
    let mut parts = entry.split(' ');
    let (id, start, end, print) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || id.is_empty() || id.len() > 32 || print.len() > 128 {
        return None;
    }
    let instant = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    Some((id, instant(start)?, instant(end)?, print))
}

/// The occurrences moved, moved back or changed between two runs, by RECURRENCE-ID.
fn occurrences(before: &Details, after: &Details) -> Vec<Detail> {
    type Entry<'a> = (DateTime<Utc>, DateTime<Utc>, &'a str);
    fn map(d: &Details) -> std::collections::BTreeMap<String, Entry<'_>> {
        d.occurrences
            .iter()
            .filter_map(|e| parse_occurrence(e))
            .map(|(id, s, e, p)| (id.to_string(), (s, e, p)))
            .collect()
    }
    let (old, new) = (map(before), map(after));
    let mut ids: Vec<&String> = old.keys().chain(new.keys()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            let (a, b) = (old.get(id), new.get(id));
            if a == b {
                return None;
            }
            Some(Detail::Occurrence {
                original: id.clone(),
                from: a.map(|&(s, e, _)| (s, e)),
                to: b.map(|&(s, e, _)| (s, e)),
                details: a.map(|x| x.2) != b.map(|x| x.2) && a.is_some() && b.is_some(),
            })
        })
        .collect()
}
