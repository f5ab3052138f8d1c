//! `roundtable invites`: the programme calendar, one calendar per participant, one REQUEST per
//! session and a CANCEL per removed session; SEQUENCE kept in the lock file; output written all
//! at once, the lock file last.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};

/// What [`run`] and [`RunOptions`] take: the key that derives calendar addresses, and what to do
/// when another run holds the folders.
pub use crate::address::Key;
pub use crate::output::{Staging, Wait};

use crate::changes::attendees::{EventSalt, Tokens};
use crate::changes::{Comparer, Detail, Suggestion};
use crate::error::{Error, Result};
use crate::ics::lock::{self, LockFile, LockedEvent};
use crate::ics::{self, Context, Event, Item, Method, Recipients, Timezones};
use crate::jobs::Jobs;
use crate::occurrence::Schedule;
use crate::programme::{Audience as SessionAudience, Participant, Programme};

/// What happens to one event in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Not in the lock: SEQUENCE 0.
    New,
    /// Its hash changed: SEQUENCE + 1.
    Changed,
    /// Same as in the lock.
    Unchanged,
    /// Removed from the programme in this run: CANCEL, SEQUENCE + 1.
    Cancelled,
    /// Removed in an earlier run: still listed as cancelled.
    StillCancelled,
}

impl Change {
    /// The word shown in the plan (`new`, `changed`, ..., `cancelled earlier`).
    pub fn word(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Changed => "changed",
            Change::Unchanged => "unchanged",
            Change::Cancelled => "cancelled",
            Change::StillCancelled => "cancelled earlier",
        }
    }
}

/// One line of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangesetEntry {
    /// Session id.
    pub session: String,
    /// The event's UID, as the calendars and the lock hold it.
    pub uid: String,
    /// What happens.
    pub change: Change,
    /// SEQUENCE written.
    pub sequence: u32,
    /// Whether it is a series (its times are those of the first occurrence).
    pub series: bool,
    /// What changed since the last run (`crate::changes`); empty for an unchanged, new or
    /// cancelled event, unless it looks like another.
    pub details: Vec<Detail>,
}

/// What a run changes: one entry per UID, in session-id order (the `plan` module is about
/// planning sessions; this is not).
#[derive(Debug, Clone, Default)]
pub struct Changeset {
    /// One entry per event, new, changed, unchanged or cancelled, in the calendars' order.
    pub entries: Vec<ChangesetEntry>,
    /// Fixes that would keep UIDs a rename or a new organizer domain changes.
    pub suggestions: Vec<Suggestion>,
}

impl Changeset {
    /// A readable table with each event's changes; attendees shown as `show` says.
    pub fn render(&self, programme: &Programme, show: crate::changes::render::Show) -> String {
        crate::changes::render::text(self, programme, show)
    }

    /// The fixes, as warnings for standard error.
    pub fn warnings(&self, programme: &Programme) -> Vec<crate::error::Diagnostic> {
        crate::changes::render::warnings(self, programme)
    }
}

/// The DTSTAMP of this run: `SOURCE_DATE_EPOCH` when set (for byte-identical output), else now.
/// `SOURCE_DATE_EPOCH` must fall in 1970-01-01T00:00:00Z..=9999-12-31T23:59:59Z, the instants an
/// iCalendar DATE-TIME (four-digit year) can hold.
pub fn dtstamp() -> Result<DateTime<Utc>> {
    /// 9999-12-31T23:59:59Z.
    const LAST: i64 = 253_402_300_799;
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let seconds = v.trim().parse::<i64>().map_err(|_| {
                Error::usage(format!(
                    "SOURCE_DATE_EPOCH=`{}` is not a number of seconds since 1970-01-01",
                    v.escape_debug()
                ))
                .with_help("set it to a whole number such as 1700000000, or unset it")
            })?;
            if !(0..=LAST).contains(&seconds) {
                return Err(Error::usage(format!(
                    "SOURCE_DATE_EPOCH={seconds} is outside 1970-01-01 to 9999-12-31, the dates an iCalendar DTSTAMP can hold"
                )).with_help(format!("set it to seconds from 0 to {LAST}, such as the last commit's time (git log -1 --format=%ct)"
                )));
            }
            DateTime::from_timestamp(seconds, 0).ok_or_else(|| {
                Error::usage(format!(
                    "SOURCE_DATE_EPOCH={seconds} is not a valid instant"
                ))
            })
        }
        Err(_) => Ok(Utc::now().with_nanosecond_zero()),
    }
}

trait NoNanos {
    fn with_nanosecond_zero(self) -> Self;
}

impl NoNanos for DateTime<Utc> {
    fn with_nanosecond_zero(self) -> Self {
        DateTime::from_timestamp(self.timestamp(), 0).unwrap_or(self)
    }
}

/// The participants `audience` addresses, in `by_email` order.
fn attendees<'a>(
    programme: &'a Programme,
    by_email: &[usize],
    audience: &SessionAudience,
) -> Vec<&'a Participant> {
    by_email
        .iter()
        .map(|&i| &programme.participants[i])
        .filter(|p| audience.includes(p))
        .collect()
}

/// The event's hash in the lock: its fields, then its attendees as `name <email>`.
fn hash_of(event: &Event, attendees: &[&Participant]) -> String {
    let parts: Vec<String> = vec![
        event.title.clone(),
        event.tzid.clone(),
        event.dtstart.clone(),
        event.dtend.clone().unwrap_or_default(),
        event
            .duration
            .map_or(String::new(), |d| d.num_minutes().to_string()),
        event.rrule.clone().unwrap_or_default(),
        event.exdates.join(","),
        event
            .overrides
            .iter()
            .map(override_part)
            .collect::<Vec<_>>()
            .join(","),
        event.join_url.clone().unwrap_or_default(),
        event.description.clone().unwrap_or_default(),
        event.reminder.map_or(String::new(), |m| m.to_string()),
    ];
    let mut f = lock::Fingerprint::default();
    for p in &parts {
        f.part(&[p]);
    }
    f.parts(names_of(attendees));
    f.finish()
}

/// The parts the attendees are hashed as, one `name <email>` each.
fn names_of<'p>(attendees: &[&'p Participant]) -> impl Iterator<Item = [&'p str; 4]> {
    attendees
        .iter()
        .map(|p| [p.name.as_str(), " <", p.email.as_str(), ">"])
}

/// One override in the hash: its times, then (for a `[[session.occurrence]]`) its local
/// times, title, description and link, each length-prefixed. An override of a DST change alone
/// hashes as before these existed, so that its SEQUENCE does not rise.
fn override_part(o: &ics::Override) -> String {
    let mut part = format!("{}={}/{}", o.recurrence_id, o.start, o.end);
    let fields = [
        ("civil", o.civil.as_ref().map(|(s, e)| format!("{s}/{e}"))),
        ("title", o.title.clone()),
        ("description", o.description.clone()),
        ("join_url", o.join_url.clone()),
    ];
    for (name, value) in fields {
        if let Some(v) = value {
            let _ = write!(part, ";{name}:{}:{v}", v.len());
        }
    }
    part
}

fn audience_words(programme: &Programme, audience: &SessionAudience) -> Vec<String> {
    match audience {
        SessionAudience::All => vec!["all".into()],
        SessionAudience::Groups(g) => g.iter().map(|i| programme.groups[*i].id.clone()).collect(),
    }
}

/// Who a cancelled event's remembered audience addresses: its groups that still exist, or
/// everyone when it was `all` or none of its groups is left.
fn remembered_audience(programme: &Programme, words: &[String]) -> SessionAudience {
    let groups: Vec<usize> = words
        .iter()
        .filter_map(|w| programme.groups.iter().position(|g| &g.id == w))
        .collect();
    if words.iter().any(|w| w == "all") || groups.is_empty() {
        return SessionAudience::All;
    }
    SessionAudience::Groups(groups)
}

/// Everything computed for a run, before anything is written.
pub struct Prepared {
    /// Events (live and cancelled), sorted by session id.
    pub events: Vec<Event>,
    /// Who each event addresses (a rule, not a list: lists would hold every participant once
    /// per event).
    pub audiences: Vec<SessionAudience>,
    /// What this run changes, event by event (what `--dry-run` prints).
    pub plan: Changeset,
    /// The lock to write after the output.
    pub lock: LockFile,
}

/// One event of a run with everything decided about it, kept together until [`prepare`]
/// sorts them once and hands them out as [`Prepared`].
struct PreparedEvent {
    event: Event,
    audience: SessionAudience,
    /// What the new lock records.
    locked: LockedEvent,
    /// Its line of the plan.
    entry: ChangesetEntry,
    /// The session it comes from (`None`: a cancelled one).
    session: Option<usize>,
}

/// What deciding a live event's SEQUENCE and changes needs, shared by every event.
struct Judge<'a> {
    programme: &'a Programme,
    previous: &'a LockFile,
    by_email: Vec<usize>,
    tokens: Option<&'a Tokens>,
    comparer: Comparer<'a>,
    /// Per session: its audience, an index into `attending` (sessions with the same audience
    /// share one).
    audience_of: Vec<usize>,
    /// Per audience: who attends, worked out by the first session that needs it.
    attending: Vec<OnceLock<Attending>>,
}

/// The attendees of an audience, in e-mail order (indices into the participants), and the
/// fingerprint of their `name <email>` list (`crate::changes::Details::attendees_hash`).
struct Attending {
    who: Vec<usize>,
    names: String,
}

impl<'a> Judge<'a> {
    /// Each session's audience, numbered in order of first appearance.
    fn audiences(programme: &Programme) -> (Vec<usize>, Vec<OnceLock<Attending>>) {
        let mut distinct: Vec<&SessionAudience> = Vec::new();
        let of = programme
            .sessions
            .iter()
            .map(|s| match distinct.iter().position(|a| **a == s.audience) {
                Some(i) => i,
                None => {
                    distinct.push(&s.audience);
                    distinct.len() - 1
                }
            })
            .collect();
        (of, distinct.iter().map(|_| OnceLock::new()).collect())
    }

    /// Who attends session `index`.
    fn attending(&self, index: usize) -> &Attending {
        let programme = self.programme;
        let audience = &programme.sessions[index].audience;
        self.attending[self.audience_of[index]].get_or_init(|| {
            let who: Vec<usize> = self
                .by_email
                .iter()
                .copied()
                .filter(|&i| audience.includes(&programme.participants[i]))
                .collect();
            let list: Vec<&Participant> = who.iter().map(|&i| &programme.participants[i]).collect();
            let mut names = lock::Fingerprint::default();
            names.parts(names_of(&list));
            Attending {
                who,
                names: names.finish(),
            }
        })
    }
}

impl Judge<'_> {
    /// The live `event` of session `index`: its hash against the lock, its SEQUENCE, what
    /// the new lock records and what changed.
    fn live(&self, index: usize, mut event: Event) -> PreparedEvent {
        let programme = self.programme;
        let session = &programme.sessions[index];
        let Attending { who, names } = self.attending(index);
        let list: Vec<&Participant> = who.iter().map(|&i| &programme.participants[i]).collect();
        let hash = hash_of(&event, &list);
        let keyed: Option<Vec<u64>> = self.tokens.map(|t| {
            let salt = EventSalt::of(&event.uid);
            who.iter().map(|&i| t.token(salt, i)).collect()
        });
        let details = crate::changes::record(&event, (list.len(), names.clone()), keyed.as_deref());
        let before = self.previous.events.iter().find(|e| e.uid == event.uid);
        let (change, sequence) = match before {
            None => (Change::New, 0),
            Some(b) if b.hash == hash && !b.cancelled => (Change::Unchanged, b.sequence),
            Some(b) => (Change::Changed, b.sequence + 1),
        };
        event.sequence = sequence;
        let locked = LockedEvent {
            session: event.session_id.clone(),
            uid: event.uid.clone(),
            sequence,
            hash,
            cancelled: false,
            title: event.title.clone(),
            tzid: event.tzid.clone(),
            dtstart: event.dtstart.clone(),
            dtend: event.dtend.clone().unwrap_or_else(|| ics_end_utc(&event)),
            rrule: event.rrule.clone(),
            first_utc: event.first.to_rfc3339(),
            last_utc: event.last.to_rfc3339(),
            audience: audience_words(programme, &session.audience),
            details: Some(details),
        };
        let found = match before {
            Some(b) if change == Change::Changed || b.session != locked.session => {
                self.comparer.compare(b, &locked, &list, keyed.as_deref())
            }
            _ => Vec::new(),
        };
        PreparedEvent {
            entry: ChangesetEntry {
                session: event.session_id.clone(),
                uid: event.uid.clone(),
                change,
                sequence,
                series: event.rrule.is_some(),
                details: found,
            },
            audience: session.audience.clone(),
            locked,
            session: Some(index),
            event,
        }
    }
}

/// An event of the lock `old` that is no longer in the programme: cancelled in this run, or
/// still listed as cancelled.
fn cancelled(programme: &Programme, old: &LockedEvent) -> PreparedEvent {
    let (change, sequence) = if old.cancelled {
        (Change::StillCancelled, old.sequence)
    } else {
        (Change::Cancelled, old.sequence.saturating_add(1))
    };
    // The lock only holds TZIDs roundtable wrote; a hand-edited one falls back to UTC.
    let zone = ics::zone_of_tzid(&old.tzid).unwrap_or(crate::zone::Zone::Iana(chrono_tz::Tz::UTC));
    let parse = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    };
    PreparedEvent {
        event: Event {
            session: None,
            session_id: old.session.clone(),
            uid: old.uid.clone(),
            sequence,
            cancelled: true,
            title: old.title.clone(),
            tzid: old.tzid.clone(),
            zone,
            dtstart: old.dtstart.clone(),
            dtend: Some(old.dtend.clone()),
            duration: None,
            rrule: old.rrule.clone(),
            exdates: Vec::new(),
            overrides: Vec::new(),
            join_url: None,
            description: None,
            reminder: None,
            first: parse(&old.first_utc),
            last: parse(&old.last_utc),
        },
        audience: remembered_audience(programme, &old.audience),
        locked: LockedEvent {
            sequence,
            cancelled: true,
            ..old.clone()
        },
        entry: ChangesetEntry {
            session: old.session.clone(),
            uid: old.uid.clone(),
            change,
            sequence,
            series: old.rrule.is_some(),
            details: Vec::new(),
        },
        session: None,
    }
}

/// New events that look like ones this run cancels (a rename, a new organizer domain): the
/// likeness is added to the new event's details; returns the fixes that would keep the UIDs.
fn likenesses(programme: &Programme, all: &mut [PreparedEvent]) -> Vec<Suggestion> {
    let cancelled: Vec<&LockedEvent> = all
        .iter()
        .filter(|p| p.entry.change == Change::Cancelled)
        .map(|p| &p.locked)
        .collect();
    let added_at: Vec<usize> = (0..all.len())
        .filter(|&i| all[i].entry.change == Change::New)
        .collect();
    let added: Vec<(&LockedEvent, Option<crate::error::Location>)> = added_at
        .iter()
        .map(|&i| {
            let place = all[i]
                .session
                .map(|s| programme.sessions[s].location.clone());
            (&all[i].locked, place)
        })
        .collect();
    let (alike, suggestions) = crate::changes::likenesses(&cancelled, &added);
    for (k, detail) in alike {
        all[added_at[k]].entry.details.push(detail);
    }
    suggestions
}

/// Compares the programme with the lock `previous` and decides every SEQUENCE, and says what
/// changed in each event (`crate::changes`). `key` is the calendar-address key: with it, the
/// attendees added and removed are named and the new lock records them (as a keyed set); a dry
/// run without a key says only how many. The sessions are spread over `jobs` threads.
pub fn prepare(
    programme: &Programme,
    schedule: &Schedule,
    previous: &LockFile,
    key: Option<&Key>,
    jobs: Jobs,
) -> Result<Prepared> {
    let tokens = key.map(|k| Tokens::new(k, &programme.participants, jobs));
    let (audience_of, attending) = Judge::audiences(programme);
    let judge = Judge {
        audience_of,
        attending,
        programme,
        previous,
        by_email: crate::view::by_email(programme, None),
        tokens: tokens.as_ref(),
        comparer: Comparer {
            programme,
            tokens: tokens.as_ref(),
            lock_key: previous.attendee_key.as_deref(),
        },
    };
    let mut all: Vec<PreparedEvent> =
        crate::jobs::map(jobs, programme.sessions.len(), 1, |index| {
            ics::events_for(programme, schedule, index)
                .into_iter()
                .map(|event| judge.live(index, event))
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect();
    // A lock copied from another programme would cancel every one of its sessions here.
    lock::check_owner(&lock::path_for(&programme.source), previous, &programme.id)?;
    let live: HashSet<&str> = all.iter().map(|p| p.event.uid.as_str()).collect();
    let gone: Vec<PreparedEvent> = previous
        .events
        .iter()
        .filter(|e| !live.contains(e.uid.as_str()))
        .map(|old| cancelled(programme, old))
        .collect();
    all.extend(gone);
    let suggestions = likenesses(programme, &mut all);
    all.sort_by(|a, b| {
        (a.event.session_id.as_str(), a.event.uid.as_str())
            .cmp(&(b.event.session_id.as_str(), b.event.uid.as_str()))
    });
    let mut prepared = Prepared {
        events: Vec::with_capacity(all.len()),
        audiences: Vec::with_capacity(all.len()),
        plan: Changeset {
            entries: Vec::with_capacity(all.len()),
            suggestions,
        },
        lock: LockFile {
            version: lock::VERSION,
            attendee_key: tokens.as_ref().map(|t| t.key_check().to_string()),
            events: Vec::with_capacity(all.len()),
        },
    };
    for p in all {
        prepared.events.push(p.event);
        prepared.audiences.push(p.audience);
        prepared.plan.entries.push(p.entry);
        prepared.lock.events.push(p.locked);
    }
    Ok(prepared)
}

fn ics_end_utc(event: &Event) -> String {
    let end = event.first + event.duration.unwrap_or_default();
    end.format("%Y%m%dT%H%M%SZ").to_string()
}

/// How many files a run wrote into each folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Into the public folder (`--out`).
    pub public: usize,
    /// Into the organizer's private folder (`--private`).
    pub private: usize,
}

/// Where a run writes: what may be published, and what only the organizer may see.
#[derive(Debug, Clone, Copy)]
pub struct Outputs<'a> {
    /// `--out`: the programme calendar and each participant's calendar (and, with `build`,
    /// the page). Nothing in it names a participant unless `public_names` is set, and no file
    /// name in it is derived from an e-mail without the key.
    pub public: &'a Path,
    /// `--private`: the e-mail index for mail merge, REQUEST and CANCEL files with attendee
    /// lists (and, with `build`, the conflict reports).
    pub private: &'a Path,
}

/// What every calendar of a run shares: the organizer, the DTSTAMP and the VTIMEZONEs of its
/// events (computed once per run, for both folders).
pub fn context<'a>(
    programme: &'a Programme,
    timezones: &'a Timezones,
    stamp: DateTime<Utc>,
) -> Context<'a> {
    Context {
        organizer: (
            programme.organizer.name.as_str(),
            programme.organizer.email.as_str(),
        ),
        dtstamp: stamp,
        timezones,
    }
}

/// Writes the calendars of `prepared`: into `public` the whole programme (no attendees) and
/// one calendar per participant at `participants/<stem>.ics`, `stems` in participant order
/// (`crate::address::stems`); into `private` what [`write_private`] writes. The
/// participants' calendars are spread over `jobs` threads, the private files written beside
/// them; the files are the same whatever the number.
pub fn write_calendars(
    programme: &Programme,
    schedule: &Schedule,
    prepared: &Prepared,
    stems: &[String],
    (public, private): (&Staging, &Staging),
    ctx: &Context<'_>,
    jobs: Jobs,
) -> Result<Written> {
    // The whole programme.
    let items: Vec<Item<'_>> = prepared
        .events
        .iter()
        .map(|e| Item {
            event: e,
            description: None,
        })
        .collect();
    let mut out = String::new();
    ics::calendar(
        &mut out,
        ctx,
        Method::Publish,
        Some(&programme.title),
        &items,
        &Recipients::Nobody,
    );
    public.write(&format!("{}.ics", programme.id), out.as_bytes())?;
    // One calendar per participant, with their own times first in each description. Its name
    // is the programme's: the file must not name the participant (anyone with its URL reads it).
    let calendars = Calendars::new(programme, schedule, prepared, ctx, jobs);
    let folder = public.folder("participants")?;
    let file = |pi: usize| format!("{}.ics", stems[pi]);
    // Participants whose calendars are the same bytes (same events, zone and language) share
    // one file: the first of them is written, the others are hard links to it
    // (`Folder::write_or_link`). The first of each are written before any link is made.
    let firsts = calendars.firsts();
    crate::jobs::try_chunks_beside(
        jobs,
        || Ok(()),
        firsts.len(),
        16,
        |range| {
            let mut parts = Vec::new();
            for &pi in &firsts[range] {
                calendars.parts(pi, &mut parts);
                folder.write_parts(&file(pi), &mut parts)?;
            }
            Ok(())
        },
    )?;
    let private = crate::jobs::try_chunks_beside(
        jobs,
        || write_private(programme, prepared, stems, private, ctx),
        programme.participants.len(),
        256,
        |range| {
            let mut parts = Vec::new();
            for pi in range {
                let first = calendars.first_alike(pi);
                if first != pi {
                    calendars.parts(pi, &mut parts);
                    folder.write_or_link(&file(pi), &file(first), &mut parts)?;
                }
            }
            Ok(())
        },
    )?;
    Ok(Written {
        public: 1 + programme.participants.len(),
        private,
    })
}

/// The parts of the participants' calendars, each rendered once: a participant's calendar
/// differs from another's only by which events it holds (the opening, with its VTIMEZONEs,
/// follows from those) and by the zone and language their descriptions are written for.
struct Calendars {
    /// Per participant: their set of events (an index into `sets`) and their zone and language
    /// (an index into the readers of `blocks`).
    shapes: Vec<(usize, usize)>,
    /// Per participant: the first participant of the same shape (the participant's own index
    /// for the first of each), whose calendar is the same bytes.
    alike: Vec<usize>,
    /// Per set of events: the events and the calendar's opening lines.
    sets: Vec<(Vec<usize>, String)>,
    /// The VEVENTs of event `e` for reader `z` (a zone and a language) at `z * events + e`
    /// (empty where nobody needs it).
    blocks: Vec<String>,
    /// The number of events.
    events: usize,
    /// The calendar's closing line.
    ending: String,
}

impl Calendars {
    fn new(
        programme: &Programme,
        schedule: &Schedule,
        prepared: &Prepared,
        ctx: &Context<'_>,
        jobs: Jobs,
    ) -> Self {
        let events = prepared.events.len();
        let mut sets: HashMap<Vec<usize>, usize> = HashMap::new();
        let mut zones: HashMap<(&str, crate::i18n::Lang), usize> = HashMap::new();
        // A participant of each zone and language: descriptions are written for them.
        let mut someone: Vec<usize> = Vec::new();
        let mut shapes = Vec::with_capacity(programme.participants.len());
        let mut firsts: HashMap<(usize, usize), usize> = HashMap::new();
        let mut alike = Vec::with_capacity(programme.participants.len());
        let mut mine: Vec<usize> = Vec::new();
        for (pi, participant) in programme.participants.iter().enumerate() {
            mine.clear();
            mine.extend((0..events).filter(|&ei| prepared.audiences[ei].includes(participant)));
            let next = sets.len();
            let set = *sets.entry(mine.clone()).or_insert(next);
            let next = zones.len();
            let zone = *zones
                .entry((participant.timezone.written.as_str(), participant.language))
                .or_insert(next);
            if zone == someone.len() {
                someone.push(pi);
            }
            shapes.push((set, zone));
            alike.push(*firsts.entry((set, zone)).or_insert(pi));
        }
        let mut sets: Vec<(Vec<usize>, usize)> = sets.into_iter().collect();
        sets.sort_by_key(|(_, i)| *i);
        let mut needed = vec![false; someone.len() * events];
        for &(set, zone) in &shapes {
            for &ei in &sets[set].0 {
                needed[zone * events + ei] = true;
            }
        }
        let blocks = crate::jobs::map(jobs, needed.len(), 16, |at| {
            let mut text = String::new();
            if needed[at] {
                let e = &prepared.events[at % events];
                let participant = &programme.participants[someone[at / events]];
                // The title in the participant's language, when the programme gives one.
                let translated = ics::translated(programme, e, participant.language);
                let e = translated.as_ref().unwrap_or(e);
                let description = ics::participant_description(programme, schedule, e, participant);
                let item = Item {
                    event: e,
                    description: Some(description),
                };
                ics::events(&mut text, ctx, &item, Method::Publish, &Recipients::Nobody);
            }
            text
        });
        let sets = sets
            .into_iter()
            .map(|(mine, _)| {
                let mut opening = String::new();
                ics::begin(&mut opening, Method::Publish, Some(&programme.title));
                ics::timezones(
                    &mut opening,
                    ctx,
                    mine.iter().map(|&ei| &prepared.events[ei]),
                );
                (mine, opening)
            })
            .collect();
        let mut ending = String::new();
        ics::end(&mut ending);
        Calendars {
            shapes,
            alike,
            sets,
            blocks,
            events,
            ending,
        }
    }

    /// The first participant of each shape, in participant order.
    fn firsts(&self) -> Vec<usize> {
        (0..self.alike.len())
            .filter(|&pi| self.alike[pi] == pi)
            .collect()
    }

    /// The first participant whose calendar is the same bytes as participant `pi`'s (`pi`
    /// itself for the first of a shape).
    fn first_alike(&self, pi: usize) -> usize {
        self.alike[pi]
    }

    /// Participant `pi`'s calendar, as the pieces it is made of, in order, into `parts`
    /// (cleared first): written as they are, with no copy into one buffer.
    fn parts<'s>(&'s self, pi: usize, parts: &mut Vec<std::io::IoSlice<'s>>) {
        let (set, zone) = self.shapes[pi];
        let (mine, opening) = &self.sets[set];
        parts.clear();
        parts.push(std::io::IoSlice::new(opening.as_bytes()));
        for &ei in mine {
            parts.push(std::io::IoSlice::new(
                self.blocks[zone * self.events + ei].as_bytes(),
            ));
        }
        parts.push(std::io::IoSlice::new(self.ending.as_bytes()));
    }
}

/// A participant's calendar, relative to the public folder.
pub fn participant_file(stem: &str) -> String {
    format!("participants/{stem}.ics")
}

/// Writes the organizer-only files of `prepared` into `private`: `participants/index.csv`
/// (e-mail, name, calendar file, for mail merge; cells neutralised for spreadsheets), one
/// REQUEST per live session and one CANCEL per removed one, each listing its attendees.
pub fn write_private(
    programme: &Programme,
    prepared: &Prepared,
    stems: &[String],
    private: &Staging,
    ctx: &Context<'_>,
) -> Result<usize> {
    let by_email = crate::view::by_email(programme, None);
    write_index(programme, &by_email, stems, private)?;
    write_sessions(programme, &by_email, prepared, private, ctx)?;
    private.write(
        "README.txt",
        b"This folder is written by roundtable for the organizer only: it holds participants'
e-mail addresses and names (participants/index.csv, the invitations in sessions/) and,
from `roundtable build`, the conflict reports with their busy calendars. Never publish it.
Publish only the --out folder.
",
    )?;
    Ok(2 + prepared.events.len())
}

/// `participants/index.csv`: e-mail, name and calendar file of each participant, by e-mail.
fn write_index(
    programme: &Programme,
    by_email: &[usize],
    stems: &[String],
    private: &Staging,
) -> Result<()> {
    use crate::neutralise::csv_cell;
    let (index_path, index_file) = private.create("participants/index.csv")?;
    let mut index = csv::Writer::from_writer(index_file);
    let csv_error = |e: csv::Error| Error::io(&index_path, std::io::Error::other(e));
    index
        .write_record(["email", "name", "file"])
        .map_err(csv_error)?;
    for &pi in by_email {
        let p = &programme.participants[pi];
        index
            .write_record([
                csv_cell(&p.email).as_ref(),
                csv_cell(&p.name).as_ref(),
                participant_file(&stems[pi]).as_str(),
            ])
            .map_err(csv_error)?;
    }
    index.flush().map_err(|e| Error::io(&index_path, e))
}

/// One REQUEST per live session, one CANCEL per removed one, each written as it is rendered
/// (it lists every attendee).
fn write_sessions(
    programme: &Programme,
    by_email: &[usize],
    prepared: &Prepared,
    private: &Staging,
    ctx: &Context<'_>,
) -> Result<()> {
    for (ei, event) in prepared.events.iter().enumerate() {
        let list = attendees(programme, by_email, &prepared.audiences[ei]);
        let item = [Item {
            event,
            description: None,
        }];
        let (method, file) = if event.cancelled {
            (
                Method::Cancel,
                format!("sessions/{}.cancel.ics", event.stem()),
            )
        } else {
            (Method::Request, format!("sessions/{}.ics", event.stem()))
        };
        let (path, mut w) = private.create(&file)?;
        ics::write_calendar(
            &mut w,
            ctx,
            method,
            None,
            &item,
            &Recipients::Attendees(&list),
        )
        .and_then(|()| std::io::Write::flush(&mut w))
        .map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// How a writing run behaves towards other runs and towards its caller.
pub struct RunOptions<'a> {
    /// The key of the participants' calendar names.
    pub key: &'a Key,
    /// Whether to wait for another run on the same folders or lock file.
    pub wait: crate::output::Wait,
    /// Told once when another run holds a lock this one waits for.
    pub on_wait: &'a mut dyn FnMut(&Path),
    /// How many threads may render and write the participants' calendars (`--jobs`).
    pub jobs: Jobs,
}

/// Runs the whole job: plan, write both folders, then swap them in. (A dry run is [`prepare`]
/// alone: its plan, nothing written.)
pub fn run(
    programme: &Programme,
    schedule: &Schedule,
    outputs: Outputs<'_>,
    options: RunOptions<'_>,
) -> Result<(Changeset, Written)> {
    run_with(programme, schedule, outputs, options, |_, _, _| {
        Ok(Written::default())
    })
}

/// [`run`], with `extra` writing more files (the page into the public folder, reports into
/// the private one) before both are swapped in; it is given the participants' calendar stems
/// (`crate::address::stems`). Returns the plan and the files written.
///
/// The order is what keeps SEQUENCE from ever going backwards: everything is staged first,
/// then the new lock file is written, then the private and the public folder are swapped in.
/// A run killed at any step leaves each folder old or new and a lock whose SEQUENCE numbers
/// are at least those published; the next run starts from that lock. The whole run holds the
/// `crate::output::RunLock` of both folders and the lock file.
pub fn run_with(
    programme: &Programme,
    schedule: &Schedule,
    outputs: Outputs<'_>,
    options: RunOptions<'_>,
    extra: impl FnOnce(&Staging, &Staging, &[String]) -> Result<Written>,
) -> Result<(Changeset, Written)> {
    use crate::output::{RunLock, failpoint, resolve_out};
    let public_dir = resolve_out(outputs.public)?;
    let private_dir = resolve_out(outputs.private)?;
    crate::output::check_apart(&public_dir, &private_dir)?;
    let lock_path = lock::path_for(&programme.source);
    let _running = RunLock::acquire(
        &[&public_dir, &private_dir, &lock_path],
        options.wait,
        options.on_wait,
    )?;
    let previous = lock::read(&lock_path)?;
    let prepared = prepare(
        programme,
        schedule,
        &previous,
        Some(options.key),
        options.jobs,
    )?;
    let stems = crate::address::stems(programme, options.key, options.jobs)?;
    let stamp = dtstamp()?;
    let timezones = Timezones::for_events(&prepared.events, options.jobs);
    let ctx = context(programme, &timezones, stamp);
    let public = Staging::new(&public_dir, "public")?;
    let private = Staging::new(&private_dir, "private")?;
    // `send`'s journal lives in the private folder and outlives its replacement.
    crate::mail::journal::carry_over(&private_dir, &private)?;
    let more = extra(&public, &private, &stems)?;
    let calendars = write_calendars(
        programme,
        schedule,
        &prepared,
        &stems,
        (&public, &private),
        &ctx,
        options.jobs,
    )?;
    let written = Written {
        public: calendars.public + more.public,
        private: calendars.private + more.private,
    };
    failpoint("staged");
    // The lock first: every SEQUENCE published below is recorded before it is published.
    if prepared.lock != previous {
        crate::output::write_atomic(&lock_path, lock::render(&prepared.lock).as_bytes())?;
    }
    failpoint("lock-written");
    private.commit()?;
    failpoint("private-committed");
    public.commit()?;
    failpoint("public-committed");
    Ok((prepared.plan, written))
}
