//! `roundtable replies`: the attendees' answers (iMIP REPLY and COUNTER, RFC 6047 / RFC 5546)
//! read from the organizer's mailbox and matched to the programme's events.
//!
//! **Reading.** The mailbox is a Maildir (`cur/`, `new/`), an mbox file, or a folder of
//! `.eml` and `.ics` files. Only regular files are read (symbolic links and devices are
//! skipped and counted), each at most [`MAX_FILE`] bytes (an mbox at most [`MAX_MBOX`]); what
//! cannot be read is counted and named by its file, never quoted. Mails are parsed by
//! `mail-parser`; every `text/calendar` part, `application/ics` part and `.ics` attachment is
//! read (Google Calendar sends the same calendar twice, as `text/calendar` and as an
//! `invite.ics` attachment: identical calendars in one mail count once).
//!
//! **Matching.** A reply counts when its UID is one of the programme's live events, its
//! attendee (`mailto:`, case-insensitive) is invited to that event, and its SEQUENCE is not
//! older than the lock file's (an older one answered an invitation since changed: it is listed
//! as stale). Of the replies of one attendee to one event (and occurrence, by RECURRENCE-ID),
//! the newest wins: highest SEQUENCE, then latest DTSTAMP, then the later in file order.
//! A reply with RECURRENCE-ID applies to that occurrence only; DELEGATED counts as declined.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone as _, Utc};
use mail_parser::{MessageParser, MimeHeaders as _};
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::occurrence::Schedule;
use crate::programme::Programme;
use crate::programme::email::normalise;
use crate::zone::Zone;

/// The largest mail or `.ics` file read (larger ones are counted as unreadable).
pub const MAX_FILE: u64 = 25 * 1024 * 1024;
/// The largest mbox file read.
pub const MAX_MBOX: u64 = 512 * 1024 * 1024;
/// The most files read from one folder.
pub const MAX_FILES: usize = 200_000;

/// Answers per session, counted over its events (the parts of a split series together) and
/// attendees: `[accepted, tentative, declined, no answer]` to the session as a whole. Counts
/// only: what the public page may show.
pub type Counts = std::collections::BTreeMap<String, [usize; 4]>;

impl Report {
    /// [`Counts`] of every session with a published event.
    pub fn counts(&self) -> Counts {
        let mut out = Counts::new();
        for e in &self.events {
            let session = e
                .session
                .split('~')
                .next()
                .unwrap_or(&e.session)
                .to_string();
            let slot = out.entry(session).or_default();
            for (_, answer) in &e.series {
                let i = ANSWERS.iter().position(|a| a == answer).unwrap_or(3);
                slot[i] += 1;
            }
        }
        out
    }
}

/// Output format of `roundtable replies`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable summary for the organizer's terminal.
    Text,
    /// Markdown (names neutralised), for a private note or issue.
    Markdown,
    /// JSON, sorted and stable, for tools.
    Json,
}

/// An attendee's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Answer {
    /// PARTSTAT=ACCEPTED.
    Accepted,
    /// PARTSTAT=TENTATIVE.
    Tentative,
    /// PARTSTAT=DECLINED or DELEGATED.
    Declined,
    /// No reply (or NEEDS-ACTION).
    Unanswered,
}

impl Answer {
    /// The word used in every format.
    pub fn word(self) -> &'static str {
        match self {
            Answer::Accepted => "accepted",
            Answer::Tentative => "tentative",
            Answer::Declined => "declined",
            Answer::Unanswered => "no answer",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Answer::Unanswered => "no_answer",
            other => other.word(),
        }
    }

    fn from_partstat(p: &str) -> Answer {
        match p.to_ascii_uppercase().as_str() {
            "ACCEPTED" => Answer::Accepted,
            "TENTATIVE" => Answer::Tentative,
            "DECLINED" | "DELEGATED" => Answer::Declined,
            _ => Answer::Unanswered,
        }
    }
}

const ANSWERS: [Answer; 4] = [
    Answer::Accepted,
    Answer::Tentative,
    Answer::Declined,
    Answer::Unanswered,
];

/// Why a calendar reply was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ignored {
    /// A file that could not be read or parsed (too large, not a regular file, not a mail).
    Unreadable,
    /// Its UID is none of the programme's live events.
    UnknownEvent,
    /// Its attendee is not invited to that event.
    NotAttendee,
    /// Its RECURRENCE-ID is none of the event's occurrences.
    UnknownOccurrence,
    /// A calendar whose METHOD is neither REPLY nor COUNTER (an invitation, a cancellation).
    OtherMethod,
}

impl Ignored {
    fn key(self) -> &'static str {
        match self {
            Ignored::Unreadable => "unreadable",
            Ignored::UnknownEvent => "unknown_event",
            Ignored::NotAttendee => "not_attendee",
            Ignored::UnknownOccurrence => "unknown_occurrence",
            Ignored::OtherMethod => "other_method",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Ignored::Unreadable => "unreadable file",
            Ignored::UnknownEvent => "unknown event (UID)",
            Ignored::NotAttendee => "not an attendee",
            Ignored::UnknownOccurrence => "unknown occurrence (RECURRENCE-ID)",
            Ignored::OtherMethod => "not a REPLY or COUNTER",
        }
    }
}

/// One item of the mailbox: a file, or one message of an mbox.
#[derive(Debug)]
struct Source {
    label: String,
    bytes: Vec<u8>,
}

/// Reads every message of the mailbox at `path`, in a stable order. Files that cannot be read
/// are returned in the second list by label.
fn read_mailbox(path: &Path) -> Result<(Vec<Source>, Vec<String>)> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_file() {
        return read_mailbox_file(path);
    }
    if !meta.is_dir() {
        return Err(Error::usage(format!(
            "--mailbox {}: neither a file nor a folder",
            path.display()
        ))
        .with_help("give a Maildir, an mbox file or a folder of .eml/.ics files"));
    }
    let maildir = ["cur", "new"].iter().any(|d| path.join(d).is_dir());
    let folders: Vec<PathBuf> = if maildir {
        ["cur", "new"]
            .iter()
            .map(|d| path.join(d))
            .filter(|d| d.is_dir())
            .collect()
    } else {
        vec![path.to_path_buf()]
    };
    let mut sources = Vec::new();
    let mut unreadable = Vec::new();
    for folder in folders {
        for p in message_files(&folder, maildir)? {
            // Regular files only (a symbolic link may point anywhere; `input::read` refuses
            // FIFOs, devices and folders, and anything over the cap).
            let link = std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
            match (!link).then(|| crate::input::read(&p, MAX_FILE)) {
                Some(Ok(bytes)) => sources.push(Source {
                    label: p.display().to_string(),
                    bytes,
                }),
                _ => unreadable.push(p.display().to_string()),
            }
        }
    }
    Ok((sources, unreadable))
}

/// A mailbox that is one file: an mbox (its messages), or one `.eml` or `.ics` message.
fn read_mailbox_file(path: &Path) -> Result<(Vec<Source>, Vec<String>)> {
    let is_ics = path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("ics"));
    let bytes = crate::input::read(path, MAX_MBOX)
        .map_err(|e| Error::one(e.diagnostic("the mailbox", path, None)))?;
    if !is_ics && bytes.starts_with(b"From ") {
        let sources = split_mbox(&bytes)
            .into_iter()
            .enumerate()
            .map(|(n, m)| Source {
                label: format!("{} message {}", path.display(), n + 1),
                bytes: m,
            })
            .collect();
        Ok((sources, Vec::new()))
    } else if bytes.len() as u64 > MAX_FILE {
        Ok((Vec::new(), vec![path.display().to_string()]))
    } else {
        let label = path.display().to_string();
        Ok((vec![Source { label, bytes }], Vec::new()))
    }
}

/// The message files of one folder, sorted: every file of a Maildir folder, else the `.eml` and
/// `.ics` files; hidden files are skipped, and more than [`MAX_FILES`] is an error.
fn message_files(folder: &Path, maildir: bool) -> Result<Vec<PathBuf>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(|e| Error::io(folder, e))? {
        let entry = entry.map_err(|e| Error::io(folder, e))?;
        let p = entry.path();
        let wanted = maildir
            || p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("eml") || x.eq_ignore_ascii_case("ics"));
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if wanted && !hidden {
            names.push(p);
        }
        if names.len() > MAX_FILES {
            return Err(
                Error::usage(format!("{}: more than {MAX_FILES} files", folder.display()))
                    .with_help("split the mailbox"),
            );
        }
    }
    names.sort();
    Ok(names)
}

/// The messages of an mbox: each starts at a `From ` line at the start of the file or after
/// an empty line; `>From ` quoting (mboxrd) is undone.
fn split_mbox(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut previous_blank = true;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if previous_blank && line.starts_with(b"From ") {
            out.push(Vec::new());
        } else if let Some(current) = out.last_mut() {
            let unquoted = line.strip_prefix(b">").filter(|rest| {
                let quotes = rest.iter().take_while(|&&b| b == b'>').count();
                rest[quotes..].starts_with(b"From ")
            });
            current.extend_from_slice(unquoted.unwrap_or(line));
        }
        previous_blank = line == b"\n" || line == b"\r\n";
    }
    out
}

/// A property of an iCalendar line: name (upper case), parameters (names upper case), value.
#[derive(Debug)]
struct Property {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Property {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Unfolds and splits one content line; `None` when it is not `NAME[;params]:value`.
fn property(line: &str) -> Option<Property> {
    let mut in_quotes = false;
    let mut cut = None;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ':' if !in_quotes => {
                cut = Some(i);
                break;
            }
            _ => {}
        }
    }
    let cut = cut?;
    let (head, value) = (&line[..cut], &line[cut + 1..]);
    let mut parts = Vec::new();
    let mut current = String::new();
    in_quotes = false;
    for c in head.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    let name = parts.first()?.trim().to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    let params = parts[1..]
        .iter()
        .filter_map(|p| p.split_once('='))
        .map(|(n, v)| (n.trim().to_ascii_uppercase(), v.to_string()))
        .collect();
    Some(Property {
        name,
        params,
        value: value.to_string(),
    })
}

/// The VEVENTs of one calendar, and its METHOD.
#[derive(Debug, Default)]
struct Calendar {
    method: String,
    events: Vec<Vevent>,
}

/// What a reply's VEVENT says.
#[derive(Debug, Default)]
struct Vevent {
    uid: String,
    sequence: u32,
    dtstamp: String,
    recurrence_id: Option<Property>,
    /// (e-mail normalised, PARTSTAT)
    attendees: Vec<(String, String)>,
    dtstart: Option<Property>,
    dtend: Option<Property>,
}

/// Reads a calendar: lines unfolded (CRLF or LF followed by a space or tab), properties of
/// VEVENTs only (a VTIMEZONE's DTSTART is not the event's).
fn read_calendar(text: &str) -> Calendar {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(last)) => last.push_str(rest),
            _ => lines.push(raw.to_string()),
        }
    }
    let mut calendar = Calendar::default();
    let mut stack: Vec<String> = Vec::new();
    for line in &lines {
        let Some(p) = property(line) else { continue };
        match p.name.as_str() {
            "BEGIN" => {
                stack.push(p.value.trim().to_ascii_uppercase());
                if stack.last().is_some_and(|c| c == "VEVENT") {
                    calendar.events.push(Vevent::default());
                }
                continue;
            }
            "END" => {
                stack.pop();
                continue;
            }
            _ => {}
        }
        if stack.len() == 1 && p.name == "METHOD" {
            calendar.method = p.value.trim().to_ascii_uppercase();
        }
        if stack.last().is_none_or(|c| c != "VEVENT") {
            continue;
        }
        let Some(e) = calendar.events.last_mut() else {
            continue;
        };
        match p.name.as_str() {
            "UID" => e.uid = p.value.trim().to_string(),
            "SEQUENCE" => e.sequence = p.value.trim().parse().unwrap_or(0),
            "DTSTAMP" => e.dtstamp = p.value.trim().to_string(),
            "RECURRENCE-ID" => e.recurrence_id = Some(p),
            "DTSTART" => e.dtstart = Some(p),
            "DTEND" => e.dtend = Some(p),
            "ATTENDEE" => {
                let v = p.value.trim();
                let email = v
                    .get(..7)
                    .filter(|s| s.eq_ignore_ascii_case("mailto:"))
                    .map_or(v, |_| &v[7..]);
                let partstat = p.param("PARTSTAT").unwrap_or("NEEDS-ACTION").to_string();
                e.attendees.push((normalise(email), partstat));
            }
            _ => {}
        }
    }
    calendar
}

/// The calendars of one mail (or one `.ics` file), identical ones once.
fn calendars_of(source: &Source) -> Option<Vec<String>> {
    let head = &source.bytes[..source.bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head);
    if head
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with("BEGIN:VCALENDAR")
    {
        return Some(vec![String::from_utf8_lossy(&source.bytes).into_owned()]);
    }
    let message = MessageParser::default().parse(&source.bytes)?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for part in &message.parts {
        let calendar = part.content_type().is_some_and(|ct| {
            let sub = ct.subtype().unwrap_or_default();
            (ct.ctype().eq_ignore_ascii_case("text") && sub.eq_ignore_ascii_case("calendar"))
                || (ct.ctype().eq_ignore_ascii_case("application")
                    && (sub.eq_ignore_ascii_case("ics") || sub.eq_ignore_ascii_case("calendar")))
        }) || part
            .attachment_name()
            .is_some_and(|n| n.to_ascii_lowercase().ends_with(".ics"));
        if !calendar {
            continue;
        }
        let text = String::from_utf8_lossy(part.contents()).into_owned();
        // The same calendar twice (inline and attached) differs at most in line ends.
        let same: String = text.replace("\r\n", "\n").trim().to_string();
        if seen.insert(same) {
            out.push(text);
        }
    }
    Some(out)
}

/// An instant from a DTSTART/DTEND/RECURRENCE-ID: UTC (`Z`), with TZID, or floating (read in
/// `floating`). Dates (`VALUE=DATE`) are midnight.
fn instant(p: &Property, floating: Zone) -> Option<DateTime<Utc>> {
    let v = p.value.trim();
    if let Some(utc) = v.strip_suffix('Z') {
        return NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
            .ok()
            .map(|n| Utc.from_utc_datetime(&n));
    }
    let civil = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(v, "%Y%m%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    let zone = p
        .param("TZID")
        .and_then(|t| crate::ics::zone_of_tzid(t.trim_matches('"')))
        .unwrap_or(floating);
    civil_instant(zone, civil)
}

/// The instant of a civil time in `zone` (the earlier of a fold; a gap moves forward).
fn civil_instant(zone: Zone, civil: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone {
        Zone::Iana(tz) => tz
            .from_local_datetime(&civil)
            .earliest()
            .or_else(|| {
                tz.from_local_datetime(&(civil + chrono::Duration::hours(1)))
                    .earliest()
            })
            .map(|d| d.with_timezone(&Utc)),
        Zone::Fixed(off) => off
            .from_local_datetime(&civil)
            .single()
            .map(|d| d.with_timezone(&Utc)),
    }
}

/// One occurrence of an event: its RECURRENCE-ID (original civil start) and instants.
#[derive(Debug, Clone)]
struct Occ {
    original: NaiveDateTime,
    start: DateTime<Utc>,
}

/// A counted answer.
#[derive(Debug, Clone)]
struct Counted {
    sequence: u32,
    dtstamp: String,
    order: usize,
    answer: Answer,
}

/// A COUNTER proposal.
#[derive(Debug, Clone)]
pub struct Counter {
    /// Session id (event stem).
    pub session: String,
    /// The participant's index.
    pub participant: usize,
    /// The occurrence it concerns (its original start, civil in the event's zone), if one.
    pub occurrence: Option<NaiveDateTime>,
    /// Proposed start.
    pub start: DateTime<Utc>,
    /// Proposed end, when given.
    pub end: Option<DateTime<Utc>>,
}

/// A reply to an older SEQUENCE.
#[derive(Debug, Clone)]
pub struct Stale {
    /// Session id (event stem).
    pub session: String,
    /// The participant's index.
    pub participant: usize,
    /// The reply's SEQUENCE.
    pub sequence: u32,
    /// The current SEQUENCE.
    pub current: u32,
}

/// Attendance of one occurrence: its original start (civil, the event's zone; its
/// RECURRENCE-ID), its start instant, and each invited participant's answer for it.
pub type OccurrenceAttendance = (NaiveDateTime, DateTime<Utc>, Vec<(usize, Answer)>);

/// Attendance of one event.
#[derive(Debug)]
pub struct EventAttendance {
    /// Session id (event stem).
    pub session: String,
    /// The event's UID, which replies name.
    pub uid: String,
    /// The session's title, as the invitation gave it.
    pub title: String,
    /// Current SEQUENCE.
    pub sequence: u32,
    /// The event's zone.
    pub zone: Zone,
    /// Answer to the event as a whole, per invited participant (index), sorted by e-mail.
    pub series: Vec<(usize, Answer)>,
    /// Per occurrence (when the event has more than one): its original start (civil, event
    /// zone), start instant, and each attendee's answer for it.
    pub occurrences: Vec<OccurrenceAttendance>,
}

/// What `roundtable replies` found.
#[derive(Debug, Default)]
pub struct Report {
    /// Messages (files or mbox messages) read.
    pub messages: usize,
    /// Calendars of METHOD REPLY or COUNTER found in them.
    pub calendars: usize,
    /// Per live event, sorted by session id.
    pub events: Vec<EventAttendance>,
    /// COUNTER proposals.
    pub counters: Vec<Counter>,
    /// Replies to an older SEQUENCE.
    pub stale: Vec<Stale>,
    /// Ignored replies: why, and the file (or mbox message) each came from.
    pub ignored: Vec<(Ignored, String)>,
}

/// Reads the mailbox and matches every reply to the published events (`lock`: the lock file
/// as [`crate::ics::lock::read`] returns it).
pub fn run(
    programme: &Programme,
    schedule: &Schedule,
    lock: &crate::ics::lock::LockFile,
    mailbox: &Path,
) -> Result<Report> {
    let prepared =
        crate::invites::prepare(programme, schedule, lock, None, crate::jobs::Jobs::ONE)?;
    let (sources, unreadable) = read_mailbox(mailbox)?;
    let mut report = Report {
        messages: sources.len() + unreadable.len(),
        ..Report::default()
    };
    report
        .ignored
        .extend(unreadable.into_iter().map(|l| (Ignored::Unreadable, l)));
    let mut m = Matcher {
        programme,
        prepared: &prepared,
        by_email: programme
            .participants
            .iter()
            .enumerate()
            .map(|(i, p)| (normalise(&p.email), i))
            .collect(),
        uids: prepared
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.cancelled)
            .map(|(i, e)| (e.uid.as_str(), i))
            .collect(),
        current: lock
            .events
            .iter()
            .map(|e| (e.uid.as_str(), e.sequence))
            .collect(),
        occurrences: prepared
            .events
            .iter()
            .map(|e| occurrences_of(e, schedule))
            .collect(),
        answers: BTreeMap::new(),
        order: 0,
    };
    for source in &sources {
        let Some(calendars) = calendars_of(source) else {
            report
                .ignored
                .push((Ignored::Unreadable, source.label.clone()));
            continue;
        };
        for text in calendars {
            let calendar = read_calendar(&text);
            let counter = match calendar.method.as_str() {
                "REPLY" => false,
                "COUNTER" => true,
                _ => {
                    report
                        .ignored
                        .push((Ignored::OtherMethod, source.label.clone()));
                    continue;
                }
            };
            report.calendars += 1;
            for v in &calendar.events {
                m.reply(v, counter, &source.label, &mut report);
            }
        }
    }
    m.attendance(&mut report);
    sort(&mut report, programme);
    Ok(report)
}

/// What matching replies to events needs, and the newest answer found so far of each
/// (event, participant, occurrence).
struct Matcher<'a> {
    programme: &'a Programme,
    prepared: &'a crate::invites::Prepared,
    /// Normalised e-mail → participant.
    by_email: HashMap<String, usize>,
    /// UID → live event.
    uids: HashMap<&'a str, usize>,
    /// UID → SEQUENCE published.
    current: HashMap<&'a str, u32>,
    /// Per event, its occurrences.
    occurrences: Vec<Vec<Occ>>,
    answers: BTreeMap<(usize, usize, Option<NaiveDateTime>), Counted>,
    /// How many VEVENTs were read: the later of two equal answers wins.
    order: usize,
}

impl Matcher<'_> {
    /// Matches one VEVENT of a REPLY (or a COUNTER) from `label`: an answer, a proposal, a
    /// stale reply, or a reason to ignore it.
    fn reply(&mut self, v: &Vevent, counter: bool, label: &str, report: &mut Report) {
        self.order += 1;
        let why = |i| (i, label.to_string());
        let Some(&ei) = self.uids.get(v.uid.as_str()) else {
            report.ignored.push(why(Ignored::UnknownEvent));
            return;
        };
        let event = &self.prepared.events[ei];
        let who = self.invited_attendees(v, ei);
        if who.is_empty() {
            report.ignored.push(why(Ignored::NotAttendee));
            return;
        }
        let now = self.current_sequence(event);
        if v.sequence < now {
            for &(pi, _) in &who {
                report.stale.push(Stale {
                    session: event.stem(),
                    participant: pi,
                    sequence: v.sequence,
                    current: now,
                });
            }
            return;
        }
        let occurrence = match &v.recurrence_id {
            None => None,
            Some(rid) => match self.occurrence_of(ei, rid) {
                Some(original) => Some(original),
                None => {
                    report.ignored.push(why(Ignored::UnknownOccurrence));
                    return;
                }
            },
        };
        for &(pi, partstat) in &who {
            if counter {
                self.counter(v, event, pi, occurrence, report);
            } else {
                self.answer(v, ei, pi, occurrence, partstat);
            }
        }
    }

    /// The reply's attendees invited to event `ei`: (participant, PARTSTAT).
    fn invited_attendees<'v>(&self, v: &'v Vevent, ei: usize) -> Vec<(usize, &'v str)> {
        let audience = &self.prepared.audiences[ei];
        v.attendees
            .iter()
            .filter_map(|(email, partstat)| {
                self.by_email
                    .get(email)
                    .filter(|&&pi| audience.includes(&self.programme.participants[pi]))
                    .map(|&pi| (pi, partstat.as_str()))
            })
            .collect()
    }

    /// The SEQUENCE of `event` the lock file records, else the event's.
    fn current_sequence(&self, event: &crate::ics::Event) -> u32 {
        self.current
            .get(event.uid.as_str())
            .copied()
            .unwrap_or(event.sequence)
    }

    /// The original start of the occurrence of event `ei` that RECURRENCE-ID `rid` names.
    fn occurrence_of(&self, ei: usize, rid: &Property) -> Option<NaiveDateTime> {
        let zone = self.prepared.events[ei].zone;
        let at = instant(rid, zone)?;
        self.occurrences[ei]
            .iter()
            .find(|o| civil_instant(zone, o.original) == Some(at))
            .map(|o| o.original)
    }

    /// A COUNTER's proposal by participant `pi`, when its DTSTART reads in their zone.
    fn counter(
        &self,
        v: &Vevent,
        event: &crate::ics::Event,
        pi: usize,
        occurrence: Option<NaiveDateTime>,
        report: &mut Report,
    ) {
        let zone = self.programme.participants[pi].timezone.zone;
        if let Some(start) = v.dtstart.as_ref().and_then(|p| instant(p, zone)) {
            report.counters.push(Counter {
                session: event.stem(),
                participant: pi,
                occurrence,
                start,
                end: v.dtend.as_ref().and_then(|p| instant(p, zone)),
            });
        }
    }

    /// Keeps participant `pi`'s answer to event `ei` (and occurrence) when it is the newest.
    fn answer(
        &mut self,
        v: &Vevent,
        ei: usize,
        pi: usize,
        occurrence: Option<NaiveDateTime>,
        partstat: &str,
    ) {
        let new = Counted {
            sequence: v.sequence,
            dtstamp: v.dtstamp.clone(),
            order: self.order,
            answer: Answer::from_partstat(partstat),
        };
        let slot = self
            .answers
            .entry((ei, pi, occurrence))
            .or_insert(new.clone());
        if (new.sequence, &new.dtstamp, new.order) > (slot.sequence, &slot.dtstamp, slot.order) {
            *slot = new;
        }
    }

    /// Every live event's attendance: each invited participant's answer (in e-mail order), to
    /// the series and, for a series, to each occurrence (its own answer, else the series').
    fn attendance(&self, report: &mut Report) {
        let programme = self.programme;
        let mut email_order: Vec<usize> = (0..programme.participants.len()).collect();
        email_order.sort_by_cached_key(|&pi| normalise(&programme.participants[pi].email));
        for (ei, event) in self.prepared.events.iter().enumerate() {
            if event.cancelled {
                continue;
            }
            let audience = &self.prepared.audiences[ei];
            let invited: Vec<usize> = email_order
                .iter()
                .copied()
                .filter(|&pi| audience.includes(&programme.participants[pi]))
                .collect();
            let get = |pi: usize, occ: Option<NaiveDateTime>| {
                self.answers.get(&(ei, pi, occ)).map(|c| c.answer)
            };
            let series = invited
                .iter()
                .map(|&pi| (pi, get(pi, None).unwrap_or(Answer::Unanswered)))
                .collect();
            let occs = if self.occurrences[ei].len() > 1 {
                self.occurrences[ei]
                    .iter()
                    .map(|o| {
                        let who = invited
                            .iter()
                            .map(|&pi| {
                                let a = get(pi, Some(o.original))
                                    .or_else(|| get(pi, None))
                                    .unwrap_or(Answer::Unanswered);
                                (pi, a)
                            })
                            .collect();
                        (o.original, o.start, who)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            report.events.push(EventAttendance {
                session: event.stem(),
                uid: event.uid.clone(),
                title: event.title.clone(),
                sequence: self.current_sequence(event),
                zone: event.zone,
                series,
                occurrences: occs,
            });
        }
    }
}

/// The report's lists in their documented order: events by session; proposals by session,
/// occurrence, e-mail and start; stale replies by session, e-mail and SEQUENCE.
fn sort(report: &mut Report, programme: &Programme) {
    report.events.sort_by(|a, b| a.session.cmp(&b.session));
    report.counters.sort_by(|a, b| {
        (
            &a.session,
            a.occurrence,
            &programme.participants[a.participant].email,
            a.start,
        )
            .cmp(&(
                &b.session,
                b.occurrence,
                &programme.participants[b.participant].email,
                b.start,
            ))
    });
    report.stale.sort_by(|a, b| {
        (
            &a.session,
            &programme.participants[a.participant].email,
            a.sequence,
        )
            .cmp(&(
                &b.session,
                &programme.participants[b.participant].email,
                b.sequence,
            ))
    });
    report.ignored.sort();
}

/// The occurrences of an event: its session's occurrences between its first and last start.
fn occurrences_of(event: &crate::ics::Event, schedule: &Schedule) -> Vec<Occ> {
    let Some(s) = event.session else {
        return Vec::new();
    };
    schedule
        .of_session(s)
        .filter(|o| o.start >= event.first && o.start <= event.last)
        .map(|o| Occ {
            original: o.original,
            start: o.start,
        })
        .collect()
}

/// How many of `who` gave the answer `answer`.
fn count(who: &[(usize, Answer)], answer: Answer) -> usize {
    who.iter().filter(|(_, a)| *a == answer).count()
}

fn local(zone: Zone, at: DateTime<Utc>) -> String {
    zone.local(at).format("%Y-%m-%d %H:%M").to_string()
}

impl Report {
    /// The report in `format`.
    pub fn render(&self, programme: &Programme, format: Format) -> String {
        match format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&self.json(programme)).unwrap_or_default();
                s.push('\n');
                s
            }
            Format::Text => self.prose(programme, false),
            Format::Markdown => self.prose(programme, true),
        }
    }

    fn json(&self, programme: &Programme) -> Value {
        let events: Vec<Value> = self
            .events
            .iter()
            .map(|e| event_json(programme, e))
            .collect();
        let counters: Vec<Value> = self
            .counters
            .iter()
            .map(|c| counter_json(programme, c))
            .collect();
        let stale: Vec<Value> = self
            .stale
            .iter()
            .map(|s| {
                json!({
                    "session": s.session,
                    "email": programme.participants[s.participant].email,
                    "sequence": s.sequence,
                    "current": s.current,
                })
            })
            .collect();
        let mut ignored = BTreeMap::new();
        for (why, _) in &self.ignored {
            *ignored.entry(why.key()).or_insert(0usize) += 1;
        }
        json!({
            "messages": self.messages,
            "calendars": self.calendars,
            "events": events,
            "counters": counters,
            "stale": stale,
            "ignored": ignored,
            "ignored_sources": self.ignored.iter().map(|(w, l)| json!({"why": w.key(), "source": l})).collect::<Vec<_>>(),
        })
    }

    fn prose(&self, programme: &Programme, md: bool) -> String {
        let prose = Prose { programme, md };
        let mut out = String::new();
        if md {
            let _ = writeln!(out, "## Answers\n");
        }
        let _ = writeln!(
            out,
            "{} message(s) read, {} calendar reply(ies) found\n",
            self.messages, self.calendars
        );
        for e in &self.events {
            prose.event(&mut out, e);
        }
        prose.counters(&mut out, &self.counters);
        prose.stale(&mut out, &self.stale);
        let _ = writeln!(out, "{}", ignored_line(&self.ignored));
        out
    }
}

/// An invited participant and their answer, in JSON.
fn person_json(programme: &Programme, pi: usize, a: Answer) -> Value {
    let p = &programme.participants[pi];
    json!({"email": p.email, "name": p.name, "answer": a.key()})
}

/// How many gave each answer, in JSON.
fn tally_json(who: &[(usize, Answer)]) -> Value {
    let mut m = serde_json::Map::new();
    for a in ANSWERS {
        m.insert(a.key().to_string(), json!(count(who, a)));
    }
    Value::Object(m)
}

fn event_json(programme: &Programme, e: &EventAttendance) -> Value {
    let people = |who: &[(usize, Answer)]| {
        who.iter()
            .map(|&(pi, a)| person_json(programme, pi, a))
            .collect::<Vec<_>>()
    };
    json!({
        "session": e.session,
        "uid": e.uid,
        "title": e.title,
        "sequence": e.sequence,
        "counts": tally_json(&e.series),
        "attendees": people(&e.series),
        "occurrences": e.occurrences.iter().map(|(orig, start, who)| json!({
            "recurrence_id": orig.format("%Y%m%dT%H%M%S").to_string(),
            "start_utc": start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "counts": tally_json(who),
            "attendees": people(who),
        })).collect::<Vec<_>>(),
    })
}

/// A COUNTER proposal in JSON: in UTC, in the participant's zone and in the programme's.
fn counter_json(programme: &Programme, c: &Counter) -> Value {
    let p = &programme.participants[c.participant];
    let z = p.timezone.zone;
    let pz = programme.timezone.zone;
    json!({
        "session": c.session,
        "recurrence_id": c.occurrence.map(|o| o.format("%Y%m%dT%H%M%S").to_string()),
        "email": p.email,
        "name": p.name,
        "start_utc": c.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "end_utc": c.end.map(|e| e.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        "participant_timezone": p.timezone.written,
        "participant_start": local(z, c.start),
        "participant_end": c.end.map(|e| local(z, e)),
        "programme_timezone": programme.timezone.written,
        "programme_start": local(pz, c.start),
        "programme_end": c.end.map(|e| local(pz, e)),
    })
}

/// `accepted 2, tentative 0, declined 1, no answer 3`.
fn answer_line(who: &[(usize, Answer)]) -> String {
    ANSWERS
        .iter()
        .map(|&a| format!("{} {}", a.word(), count(who, a)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `ignored: 3 (unknown event (UID) 2, …)`: the ignored replies, counted per reason.
fn ignored_line(ignored: &[(Ignored, String)]) -> String {
    let mut per_why: BTreeMap<Ignored, usize> = BTreeMap::new();
    for (why, _) in ignored {
        *per_why.entry(*why).or_default() += 1;
    }
    let total: usize = per_why.values().sum();
    let parts: Vec<String> = per_why
        .iter()
        .map(|(w, n)| format!("{} {n}", w.words()))
        .collect();
    format!(
        "ignored: {total}{}",
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    )
}

/// The report as text (for a terminal) or markdown, names neutralised for either.
struct Prose<'a> {
    programme: &'a Programme,
    md: bool,
}

impl Prose<'_> {
    fn clean(&self, s: &str) -> String {
        if self.md {
            crate::neutralise::markdown(s)
        } else {
            crate::neutralise::terminal(s).into_owned()
        }
    }

    fn name(&self, pi: usize) -> String {
        self.clean(&self.programme.participants[pi].name)
    }

    fn bullet(&self) -> &'static str {
        if self.md { "- " } else { "  " }
    }

    /// Who gave each answer, a line per answer given.
    fn names(&self, out: &mut String, indent: &str, who: &[(usize, Answer)]) {
        for a in ANSWERS {
            let list: Vec<String> = who
                .iter()
                .filter(|(_, x)| *x == a)
                .map(|&(pi, _)| self.name(pi))
                .collect();
            if !list.is_empty() {
                let _ = writeln!(out, "{indent}{}: {}", a.word(), list.join(", "));
            }
        }
    }

    /// An event's answers to the series, then to each occurrence.
    fn event(&self, out: &mut String, e: &EventAttendance) {
        if self.md {
            let _ = writeln!(
                out,
                "### {} — {} (SEQUENCE {})\n",
                self.clean(&e.session),
                self.clean(&e.title),
                e.sequence
            );
            let _ = writeln!(out, "- {}", answer_line(&e.series));
            self.names(out, "  - ", &e.series);
        } else {
            let _ = writeln!(
                out,
                "{}  {}  SEQUENCE {}\n  {}",
                self.clean(&e.session),
                self.clean(&e.title),
                e.sequence,
                answer_line(&e.series)
            );
            self.names(out, "    ", &e.series);
        }
        for (_, start, who) in &e.occurrences {
            let when = local(e.zone, *start);
            if self.md {
                let _ = writeln!(out, "- {when}: {}", answer_line(who));
                self.names(out, "  - ", who);
            } else {
                let _ = writeln!(out, "  {when}: {}", answer_line(who));
                self.names(out, "    ", who);
            }
        }
        out.push('\n');
    }

    fn counters(&self, out: &mut String, counters: &[Counter]) {
        if counters.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "{}",
            if self.md {
                "### Counter proposals\n"
            } else {
                "Counter proposals:"
            }
        );
        let programme = self.programme;
        for c in counters {
            let p = &programme.participants[c.participant];
            let span = |z: Zone| match c.end {
                Some(end) => format!("{} to {}", local(z, c.start), local(z, end)),
                None => local(z, c.start),
            };
            let occ = c.occurrence.map_or(String::new(), |o| {
                format!(" ({})", o.format("%Y-%m-%d %H:%M"))
            });
            let _ = writeln!(
                out,
                "{}{}{occ}: {} proposes {} {} = {} {}",
                self.bullet(),
                self.clean(&c.session),
                self.name(c.participant),
                span(p.timezone.zone),
                self.clean(&p.timezone.written),
                span(programme.timezone.zone),
                self.clean(&programme.timezone.written),
            );
        }
        out.push('\n');
    }

    fn stale(&self, out: &mut String, stale: &[Stale]) {
        if stale.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "{}",
            if self.md {
                "### Stale replies (to an older SEQUENCE, not counted)\n"
            } else {
                "Stale replies (to an older SEQUENCE, not counted):"
            }
        );
        for s in stale {
            let _ = writeln!(
                out,
                "{}{}: {} answered SEQUENCE {} (now {})",
                self.bullet(),
                self.clean(&s.session),
                self.name(s.participant),
                s.sequence,
                s.current
            );
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_parameter_may_hold_colons_and_semicolons() {
        let p = property("ATTENDEE;CN=\"Doe; Jane: PhD\";PARTSTAT=accepted:mailto:j@x.org")
            .expect("a property");
        assert_eq!(p.name, "ATTENDEE");
        assert_eq!(p.param("CN"), Some("Doe; Jane: PhD"));
        assert_eq!(p.param("PARTSTAT"), Some("accepted"));
        assert_eq!(p.value, "mailto:j@x.org");
        assert!(property("no colon here").is_none());
        assert!(property(":value").is_none());
    }

    #[test]
    fn folded_lines_are_joined_and_a_timezone_start_is_not_the_event_start() {
        let c = read_calendar(
            "BEGIN:VCALENDAR\nMETHOD:reply\nBEGIN:VTIMEZONE\nTZID:X\nBEGIN:STANDARD\nDTSTART:16010101T000000\nEND:STANDARD\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:a\n b\nSEQUENCE:x\nATTENDEE;PARTSTAT=DECLINED:MAILTO:\n\tAna@Example.org\nEND:VEVENT\nEND:VCALENDAR\n",
        );
        assert_eq!(c.method, "REPLY");
        assert_eq!(c.events.len(), 1);
        let e = &c.events[0];
        assert_eq!(e.uid, "ab");
        assert_eq!(e.sequence, 0);
        assert!(e.dtstart.is_none());
        assert_eq!(
            e.attendees,
            vec![("ana@example.org".to_string(), "DECLINED".to_string())]
        );
        assert_eq!(Answer::from_partstat("delegated"), Answer::Declined);
        assert_eq!(Answer::from_partstat("NEEDS-ACTION"), Answer::Unanswered);
    }

    #[test]
    fn an_mbox_splits_at_from_lines_after_a_blank_line_and_unquotes() {
        let m = split_mbox(
            b"From a Mon\nSubject: 1\n\nbody\n>From here\nFrom inside\n\nFrom b Tue\nSubject: 2\n\nx\n",
        );
        assert_eq!(m.len(), 2);
        assert_eq!(
            m[0],
            b"Subject: 1\n\nbody\nFrom here\nFrom inside\n\n".to_vec()
        );
        assert_eq!(m[1], b"Subject: 2\n\nx\n".to_vec());
        assert!(split_mbox(b"").is_empty());
    }

    #[test]
    fn times_in_utc_with_a_known_tzid_or_floating() {
        let berlin = crate::ics::zone_of_tzid("Europe/Berlin").expect("zone");
        let at = |line: &str| instant(&property(line).expect("property"), berlin);
        let nine = Utc.with_ymd_and_hms(2024, 3, 20, 9, 0, 0).single();
        assert_eq!(at("RECURRENCE-ID:20240320T090000Z"), nine);
        assert_eq!(at("RECURRENCE-ID;TZID=Europe/Berlin:20240320T100000"), nine);
        assert_eq!(
            at("RECURRENCE-ID;TZID=\"Unknown Zone\":20240320T100000"),
            nine
        );
        assert_eq!(at("RECURRENCE-ID:20240320T100000"), nine);
        assert_eq!(at("RECURRENCE-ID:garbage"), None);
    }
}
