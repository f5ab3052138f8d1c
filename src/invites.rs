//! `roundtable invites`: the programme calendar, one calendar per participant, one REQUEST per
//! session and a CANCEL per removed session; SEQUENCE kept in the lock file; output written all
//! at once, the lock file last.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::ics::lock::{self, LockFile, LockedEvent};
use crate::ics::{self, Audience, Context, Event, Item, Method, Timezones};
use crate::occurrence::Schedule;
use crate::output::{Staging, slug};
use crate::programme::{Audience as SessionAudience, Participant, Programme};
use crate::zone::ZoneSpec;

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
    fn word(self) -> &'static str {
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
pub struct PlanEntry {
    /// Session id.
    pub session: String,
    /// UID.
    pub uid: String,
    /// What happens.
    pub change: Change,
    /// SEQUENCE written.
    pub sequence: u32,
}

/// The plan of a run: one entry per UID, in session-id order.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The entries.
    pub entries: Vec<PlanEntry>,
}

impl Plan {
    /// A readable table.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let width = self
            .entries
            .iter()
            .map(|e| e.session.len())
            .max()
            .unwrap_or(0);
        for e in &self.entries {
            let _ = writeln!(
                out,
                "{:<17} {:<width$}  SEQUENCE {}  {}",
                e.change.word(),
                e.session,
                e.sequence,
                e.uid
            );
        }
        out
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
                Error::Usage(format!(
                    "SOURCE_DATE_EPOCH=`{}` is not a number of seconds since 1970-01-01\n  help: set it to a whole number such as 1700000000, or unset it",
                    v.escape_debug()
                ))
            })?;
            if !(0..=LAST).contains(&seconds) {
                return Err(Error::Usage(format!(
                    "SOURCE_DATE_EPOCH={seconds} is outside 1970-01-01 to 9999-12-31, the dates an iCalendar DTSTAMP can hold\n  help: set it to seconds from 0 to {LAST}, such as the last commit's time (git log -1 --format=%ct)"
                )));
            }
            DateTime::from_timestamp(seconds, 0).ok_or_else(|| {
                Error::Usage(format!(
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
            .map(|o| format!("{}={}/{}", o.recurrence_id, o.start, o.end))
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
    for p in attendees {
        f.part(&[&p.name, " <", &p.email, ">"]);
    }
    f.finish()
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
    /// The plan.
    pub plan: Plan,
    /// The lock to write after the output.
    pub lock: LockFile,
}

/// Compares the programme with the lock at `lock_path` and decides every SEQUENCE.
pub fn prepare(
    programme: &Programme,
    schedule: &Schedule,
    previous: &LockFile,
) -> Result<Prepared> {
    let mut events = Vec::new();
    let mut audiences = Vec::new();
    let mut locked = Vec::new();
    let mut plan = Plan::default();
    let mut live: HashSet<String> = HashSet::new();
    let by_email = crate::view::by_email(programme, None);
    for index in 0..programme.sessions.len() {
        let Some(mut event) = ics::event_for(programme, schedule, index) else {
            continue;
        };
        let session = &programme.sessions[index];
        let audience = session.audience.clone();
        let hash = hash_of(&event, &attendees(programme, &by_email, &audience));
        let before = previous.events.iter().find(|e| e.uid == event.uid);
        let (change, sequence) = match before {
            None => (Change::New, 0),
            Some(b) if b.hash == hash && !b.cancelled => (Change::Unchanged, b.sequence),
            Some(b) => (Change::Changed, b.sequence + 1),
        };
        event.sequence = sequence;
        live.insert(event.uid.clone());
        locked.push(LockedEvent {
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
        });
        plan.entries.push(PlanEntry {
            session: event.session_id.clone(),
            uid: event.uid.clone(),
            change,
            sequence,
        });
        audiences.push(audience);
        events.push(event);
    }
    // A lock copied from another programme would cancel every one of its sessions here.
    lock::check_owner(&lock::path_for(&programme.source), previous, &programme.id)?;
    for old in previous.events.iter().filter(|e| !live.contains(&e.uid)) {
        let (change, sequence) = if old.cancelled {
            (Change::StillCancelled, old.sequence)
        } else {
            (Change::Cancelled, old.sequence.saturating_add(1))
        };
        // The lock only holds TZIDs roundtable wrote; a hand-edited one falls back to UTC.
        let zone = old
            .tzid
            .parse::<ZoneSpec>()
            .map_or(crate::zone::Zone::Iana(chrono_tz::Tz::UTC), |z| z.zone);
        let parse = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or_default()
        };
        events.push(Event {
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
        });
        audiences.push(remembered_audience(programme, &old.audience));
        locked.push(LockedEvent {
            sequence,
            cancelled: true,
            ..old.clone()
        });
        plan.entries.push(PlanEntry {
            session: old.session.clone(),
            uid: old.uid.clone(),
            change,
            sequence,
        });
    }
    // Sort all three the same way: by session id.
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by(|a, b| {
        events[*a]
            .session_id
            .cmp(&events[*b].session_id)
            .then_with(|| events[*a].uid.cmp(&events[*b].uid))
    });
    let events: Vec<Event> = order.iter().map(|&i| events[i].clone()).collect();
    let audiences: Vec<SessionAudience> = order.iter().map(|&i| audiences[i].clone()).collect();
    locked.sort_by(|a, b| a.session.cmp(&b.session).then_with(|| a.uid.cmp(&b.uid)));
    plan.entries
        .sort_by(|a, b| a.session.cmp(&b.session).then_with(|| a.uid.cmp(&b.uid)));
    Ok(Prepared {
        events,
        audiences,
        plan,
        lock: LockFile {
            version: lock::VERSION,
            events: locked,
        },
    })
}

fn ics_end_utc(event: &Event) -> String {
    let end = event.first + event.duration.unwrap_or_default();
    end.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Slugs for every participant, unique, in participant order.
pub fn slugs(programme: &Programme) -> Vec<String> {
    let mut order: Vec<usize> = (0..programme.participants.len()).collect();
    order.sort_by(|a, b| {
        programme.participants[*a]
            .email
            .to_lowercase()
            .cmp(&programme.participants[*b].email.to_lowercase())
    });
    let mut used: HashSet<String> = HashSet::new();
    let mut out = vec![String::new(); programme.participants.len()];
    for i in order {
        let base = slug(&programme.participants[i].email);
        let mut candidate = base.clone();
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        used.insert(candidate.clone());
        out[i] = candidate;
    }
    out
}

/// Writes every calendar of `prepared` into `staging`.
pub fn write_calendars(
    programme: &Programme,
    schedule: &Schedule,
    prepared: &Prepared,
    staging: &Staging,
    stamp: DateTime<Utc>,
) -> Result<usize> {
    let timezones = Timezones::for_events(&prepared.events);
    let ctx = Context {
        organizer: (
            programme.organizer.name.as_str(),
            programme.organizer.email.as_str(),
        ),
        dtstamp: stamp,
        timezones: &timezones,
    };
    let mut written = 0;
    let mut out = String::new();
    // The whole programme.
    let items: Vec<Item<'_>> = prepared
        .events
        .iter()
        .map(|e| Item {
            event: e,
            description: None,
        })
        .collect();
    ics::calendar(
        &mut out,
        &ctx,
        Method::Publish,
        Some(&programme.title),
        &items,
        &Audience::Nobody,
    );
    staging.write(&format!("{}.ics", programme.id), out.as_bytes())?;
    written += 1;
    // One calendar per participant, with their own times first in each description.
    let slugs = slugs(programme);
    let (index_path, index_file) = staging.create("participants/index.csv")?;
    let mut index = csv::Writer::from_writer(index_file);
    let csv_error = |e: csv::Error| Error::io(&index_path, std::io::Error::other(e));
    index
        .write_record(["email", "name", "file"])
        .map_err(csv_error)?;
    let mut mine: Vec<usize> = Vec::new();
    // A participant's events differ from another's only by the zone their description is
    // written for: render each (event, zone) once.
    let mut rendered: HashMap<(usize, &str), String> = HashMap::new();
    for (pi, participant) in programme.participants.iter().enumerate() {
        mine.clear();
        mine.extend(
            (0..prepared.events.len()).filter(|&ei| prepared.audiences[ei].includes(participant)),
        );
        out.clear();
        let name = format!("{} — {}", programme.title, participant.name);
        ics::begin(&mut out, Method::Publish, Some(&name));
        ics::timezones(&mut out, &ctx, mine.iter().map(|&ei| &prepared.events[ei]));
        for &ei in &mine {
            let block = rendered
                .entry((ei, participant.timezone.written.as_str()))
                .or_insert_with(|| {
                    let e = &prepared.events[ei];
                    let item = Item {
                        event: e,
                        description: Some(ics::participant_description(
                            programme,
                            schedule,
                            e,
                            participant,
                        )),
                    };
                    let mut text = String::new();
                    ics::events(&mut text, &ctx, &item, Method::Publish, &Audience::Nobody);
                    text
                });
            out.push_str(block);
        }
        ics::end(&mut out);
        let file = format!("participants/{}.ics", slugs[pi]);
        staging.write(&file, out.as_bytes())?;
        index
            .write_record([
                participant.email.as_str(),
                participant.name.as_str(),
                file.as_str(),
            ])
            .map_err(csv_error)?;
        written += 1;
    }
    index.flush().map_err(|e| Error::io(&index_path, e))?;
    // One REQUEST per live session, one CANCEL per removed one, each written as it is
    // rendered (it lists every attendee).
    let by_email = crate::view::by_email(programme, None);
    for (ei, event) in prepared.events.iter().enumerate() {
        let list = attendees(programme, &by_email, &prepared.audiences[ei]);
        let item = [Item {
            event,
            description: None,
        }];
        let (method, file) = if event.cancelled {
            (
                Method::Cancel,
                format!("sessions/{}.cancel.ics", event.session_id),
            )
        } else {
            (
                Method::Request,
                format!("sessions/{}.ics", event.session_id),
            )
        };
        let (path, mut w) = staging.create(&file)?;
        ics::write_calendar(
            &mut w,
            &ctx,
            method,
            None,
            &item,
            &Audience::Attendees(&list),
        )
        .and_then(|()| std::io::Write::flush(&mut w))
        .map_err(|e| Error::io(&path, e))?;
        written += 1;
    }
    Ok(written)
}

/// Runs the whole job: plan, write everything (unless `dry_run`), then the lock file.
pub fn run(
    programme: &Programme,
    schedule: &Schedule,
    out_dir: &Path,
    dry_run: bool,
) -> Result<(Plan, usize)> {
    run_with(programme, schedule, out_dir, dry_run, |_| Ok(0))
}

/// [`run`], with `extra` writing more files (reports, the page) into the same staged folder
/// before it is swapped in. Returns the plan and the number of files written.
pub fn run_with(
    programme: &Programme,
    schedule: &Schedule,
    out_dir: &Path,
    dry_run: bool,
    extra: impl FnOnce(&Staging) -> Result<usize>,
) -> Result<(Plan, usize)> {
    let lock_path = lock::path_for(&programme.source);
    let previous = lock::read(&lock_path)?;
    let prepared = prepare(programme, schedule, &previous)?;
    if dry_run {
        return Ok((prepared.plan, 0));
    }
    let stamp = dtstamp()?;
    let staging = Staging::new(out_dir)?;
    let written =
        write_calendars(programme, schedule, &prepared, &staging, stamp)? + extra(&staging)?;
    staging.commit()?;
    if prepared.lock != previous {
        crate::output::write_atomic(&lock_path, lock::render(&prepared.lock).as_bytes())?;
    }
    Ok((prepared.plan, written))
}
