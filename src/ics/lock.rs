//! The lock file (`<programme>.toml.lock`, TOML, meant to be committed like Cargo.lock): for each
//! UID, a hash of what matters to attendees and its SEQUENCE, what is needed to cancel it after
//! its session is removed from the programme, and (from version 2) what the next run needs to
//! say *what* changed ([`Details`], compared by `crate::changes`).
//!
//! The file is committed, possibly to a public repository, so it holds nothing that the
//! programme file does not already show, except in a form that gives nothing away: no e-mail
//! and no name. Long text is a hash; attendees are a keyed set (`crate::changes::attendees`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Diagnostic, Error, Location, Result};

/// Format version written in the file. Version 1 (no [`Details`]) is still read: its events'
/// changes are "details unknown" until the next run records them.
pub const VERSION: u32 = 2;

/// The oldest version read.
pub const OLDEST_READ: u32 = 1;

/// The whole lock file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockFile {
    /// Format version.
    pub version: u32,
    /// A check value of the calendar-address key the attendee sets ([`Details::attendee_set`])
    /// were made with (16 hex digits of an HMAC of a fixed text; it tells keys apart and gives
    /// nothing of the key). Sets made under another key cannot be compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendee_key: Option<String>,
    /// One entry per UID, sorted by session id.
    #[serde(default, rename = "event")]
    pub events: Vec<LockedEvent>,
}

/// What the lock remembers of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedEvent {
    /// Session id.
    pub session: String,
    /// iCalendar UID.
    pub uid: String,
    /// SEQUENCE last written.
    pub sequence: u32,
    /// Hash of what matters to attendees.
    pub hash: String,
    /// `true` once the session was removed and cancelled.
    #[serde(default)]
    pub cancelled: bool,
    /// SUMMARY.
    pub title: String,
    /// TZID of DTSTART/DTEND.
    pub tzid: String,
    /// DTSTART value (`20231213T090000`, or with `Z`).
    pub dtstart: String,
    /// DTEND value.
    pub dtend: String,
    /// RRULE value, for a series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rrule: Option<String>,
    /// First and last instants (RFC 3339), for the VTIMEZONE of a cancelled event.
    pub first_utc: String,
    /// Last occurrence start.
    pub last_utc: String,
    /// `["all"]` or the group ids of the audience, to address a cancellation.
    pub audience: Vec<String>,
    /// What the next run compares to say what changed (version 2; absent in a version 1 lock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
}

/// What the lock keeps of an event beyond its hash, for `crate::changes` to say what changed.
/// Nothing here is more than the programme file shows, or it is hashed: the lock is committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Details {
    /// EXDATE values, civil in the event's TZID.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exdates: Vec<String>,
    /// Overrides of single occurrences (moved or changed with `[[session.occurrence]]`, or
    /// written apart at a change of offset): `RECURRENCE-ID START END FINGERPRINT`, the
    /// instants in RFC 3339 UTC and a [`fingerprint`] of the occurrence's own title,
    /// description and link.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub occurrences: Vec<String>,
    /// The video-call link (it is in the programme file and in the public calendars).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_url: Option<String>,
    /// A [`fingerprint`] of the description: long free text, only said to have changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Reminder, in minutes before the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<i64>,
    /// How many attendees.
    pub attendees: u32,
    /// A [`fingerprint`] of the attendees' names and e-mails (as the event's `hash` holds
    /// them): tells a change of name from no change.
    pub attendees_hash: String,
    /// The attendees as a keyed set (`crate::changes::attendees::AttendeeSet`): no e-mail can
    /// be read from it, and without the calendar-address key none can be tested against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendee_set: Option<String>,
}

/// The lock file's path for a programme file.
pub fn path_for(programme: &Path) -> PathBuf {
    let mut name = programme
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".lock");
    programme.with_file_name(name)
}

/// The highest SEQUENCE a lock may hold: far above any real history of changes, and far from
/// where `SEQUENCE + 1` would overflow.
pub const MAX_SEQUENCE: u32 = 1_000_000;

/// Reads the lock at `path`; a missing file is an empty lock.
///
/// The lock is input like any other (it is committed, and may be edited by hand or copied from
/// another programme): the file is read through `crate::input`, and every field is checked
/// before any of it is written into a calendar — session ids as ids, UIDs of the form
/// `<session>.<programme>@<domain>` (one programme for the whole lock), SEQUENCE at most
/// [`MAX_SEQUENCE`], DTSTART/DTEND as iCalendar DATE-TIME values, TZID as a zone, RRULE as a
/// strict RFC 5545 rule, the RFC 3339 instants, the audience words.
pub fn read(path: &Path) -> Result<LockFile> {
    let bytes = match crate::input::read(path, crate::input::MAX_LOCK_BYTES) {
        Ok(b) => b,
        Err(e) if e.is_not_found() => {
            return Ok(LockFile {
                version: VERSION,
                attendee_key: None,
                events: Vec::new(),
            });
        }
        Err(crate::input::ReadError::Io(e)) => return Err(Error::io(path, e)),
        Err(e) => return Err(Error::one(e.diagnostic("the lock file", path, None))),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(Error::one(damaged(
            Location::file(path),
            "the lock file is damaged: it is not UTF-8 text",
        )));
    };
    // The version first, read alone: a lock of a later version, with fields this roundtable
    // does not know, is "not supported", not "damaged".
    #[derive(Deserialize)]
    struct Version {
        version: u32,
    }
    if let Ok(Version { version }) = toml::from_str::<Version>(&text)
        && !(OLDEST_READ..=VERSION).contains(&version)
    {
        return Err(unsupported(path, version));
    }
    let lock: LockFile = toml::from_str(&text).map_err(|e| {
        let location = e.span().map_or_else(
            || Location::file(path),
            |s| Location::at_offset(path, &text, s.start),
        );
        Error::one(damaged(
            location,
            format!("the lock file is damaged: {}", e.message().trim()),
        ))
    })?;
    if !(OLDEST_READ..=VERSION).contains(&lock.version) {
        return Err(unsupported(path, lock.version));
    }
    let problems = validate(path, &text, &lock);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(lock)
}

fn unsupported(path: &Path, version: u32) -> Error {
    Error::one(
        Diagnostic::error(Some(Location::file(path)), format!("lock file version {version} is not supported (this roundtable reads versions {OLDEST_READ} to {VERSION} and writes version {VERSION})"))
            .with_help("use the roundtable version that wrote it (or a later one), or restore it from version control"),
    )
}

fn damaged(location: Location, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Some(location), message)
        .with_help("restore it from version control; deleting it restarts every SEQUENCE at 0, and clients may then ignore updates")
}

/// The places of the fields of one `[[event]]`, for messages.
#[derive(Deserialize)]
struct Places {
    attendee_key: Option<Place>,
    #[serde(default, rename = "event")]
    events: Vec<EventPlaces>,
}

type Place = toml::Spanned<toml::Value>;

#[derive(Deserialize)]
struct EventPlaces {
    session: Place,
    uid: Place,
    sequence: Place,
    hash: Place,
    tzid: Place,
    dtstart: Place,
    dtend: Place,
    rrule: Option<Place>,
    first_utc: Place,
    last_utc: Place,
    audience: Place,
    details: Option<Place>,
}

/// Every problem of the lock's fields, each at its line.
fn validate(path: &Path, text: &str, lock: &LockFile) -> Vec<Diagnostic> {
    let places: Option<Places> = toml::from_str(text).ok();
    let mut problems = Vec::new();
    let mut owner: Option<(&str, Location)> = None;
    if let Some(check) = &lock.attendee_key
        && !is_hex16(check)
    {
        let location = places
            .as_ref()
            .and_then(|p| p.attendee_key.as_ref())
            .map_or_else(
                || Location::file(path),
                |s| Location::at_offset(path, text, s.span().start),
            );
        problems.push(damaged(
            location,
            "the lock file is damaged: `attendee_key` is not 16 hexadecimal digits",
        ));
    }
    for (i, e) in lock.events.iter().enumerate() {
        let p = places.as_ref().and_then(|p| p.events.get(i));
        let at = |f: fn(&EventPlaces) -> Option<&Place>| {
            p.and_then(f).map_or_else(
                || Location::file(path),
                |s| Location::at_offset(path, text, s.span().start),
            )
        };
        let mut bad = |location: Location, message: String| {
            problems.push(damaged(location, message));
        };
        event_problems(e, &at, &mut owner, &mut bad);
        // Only the first problems: a file of garbage is one message, not thousands.
        if problems.len() >= 20 {
            problems.push(damaged(
                Location::file(path),
                "the lock file is damaged: further problems are not shown".to_string(),
            ));
            break;
        }
    }
    problems
}

/// Where a field of an event was written (the file when it cannot be found).
type At<'a> = dyn Fn(fn(&EventPlaces) -> Option<&Place>) -> Location + 'a;

/// The problems of one event's fields, in the order they are written; `owner` is the programme
/// of the first UID (and where), which every UID must share.
fn event_problems<'e>(
    e: &'e LockedEvent,
    at: &At<'_>,
    owner: &mut Option<(&'e str, Location)>,
    bad: &mut dyn FnMut(Location, String),
) {
    if !crate::programme::validate::valid_id(&e.session) {
        bad(
            at(|p| Some(&p.session)),
            format!(
                "the lock file is damaged: session {} is not a session id",
                shown(&e.session)
            ),
        );
    }
    match programme_of(&e.uid) {
        None => bad(
            at(|p| Some(&p.uid)),
            format!(
                "the lock file is damaged: UID {} is not of the form <session>.<programme>@<domain> (or <session>~<YYYYMMDDTHHMM>.… for a later part of a series split at a DST change)",
                shown(&e.uid)
            ),
        ),
        Some(programme) => match &*owner {
            None => *owner = Some((programme, at(|p| Some(&p.uid)))),
            Some((first, first_at)) if *first != programme => bad(
                at(|p| Some(&p.uid)),
                format!(
                    "the lock file is damaged: UID {} is of programme `{programme}`, while {first_at} is of programme `{first}`",
                    e.uid
                ),
            ),
            Some(_) => {}
        },
    }
    if e.sequence > MAX_SEQUENCE {
        bad(
            at(|p| Some(&p.sequence)),
            format!(
                "the lock file is damaged: SEQUENCE {} of {} is out of range (at most {MAX_SEQUENCE})",
                e.sequence,
                shown(&e.session)
            ),
        );
    }
    if !is_hex16(&e.hash) {
        bad(
            at(|p| Some(&p.hash)),
            "the lock file is damaged: `hash` is not 16 hexadecimal digits".into(),
        );
    }
    time_problems(e, at, bad);
    if !e
        .audience
        .iter()
        .all(|w| w == "all" || crate::programme::validate::valid_id(w))
    {
        bad(at(|p| Some(&p.audience)), "the lock file is damaged: `audience` holds something that is neither \"all\" nor a group id".into());
    }
    if let Some(d) = &e.details
        && let Some(why) = details_problem(d)
    {
        bad(
            at(|p| p.details.as_ref()),
            format!(
                "the lock file is damaged: in the details of {}: {why}",
                shown(&e.session)
            ),
        );
    }
}

/// The problems of an event's times: its TZID, DTSTART and DTEND, RRULE, first and last
/// instants.
fn time_problems(e: &LockedEvent, at: &At<'_>, bad: &mut dyn FnMut(Location, String)) {
    if !e.tzid.bytes().all(|b| b.is_ascii_graphic()) || crate::ics::zone_of_tzid(&e.tzid).is_none()
    {
        bad(
            at(|p| Some(&p.tzid)),
            format!(
                "the lock file is damaged: TZID {} is not a time zone",
                shown(&e.tzid)
            ),
        );
    }
    for (name, value, place) in [
        ("dtstart", &e.dtstart, at(|p| Some(&p.dtstart))),
        ("dtend", &e.dtend, at(|p| Some(&p.dtend))),
    ] {
        if !is_date_time(value) {
            bad(
                place,
                format!(
                    "the lock file is damaged: `{name}` = {} is not an iCalendar DATE-TIME such as 20231213T090000",
                    shown(value)
                ),
            );
        }
    }
    if let Some(rule) = &e.rrule {
        let problem = if !rule.is_ascii() || rule.contains(['\r', '\n', ':']) {
            Some("it is not a single RRULE value".to_string())
        } else if let Err(s) = crate::recurrence::check_strict(rule) {
            Some(s.message)
        } else {
            rule.parse::<crate::recurrence::Rule>().err()
        };
        if let Some(why) = problem {
            bad(
                at(|p| p.rrule.as_ref()),
                format!(
                    "the lock file is damaged: `rrule` = {} is not a valid RRULE: {why}",
                    shown(rule)
                ),
            );
        }
    }
    for (name, value, place) in [
        ("first_utc", &e.first_utc, at(|p| Some(&p.first_utc))),
        ("last_utc", &e.last_utc, at(|p| Some(&p.last_utc))),
    ] {
        if chrono::DateTime::parse_from_rfc3339(value).is_err() {
            bad(
                place,
                format!(
                    "the lock file is damaged: `{name}` = {} is not an RFC 3339 date-time",
                    shown(value)
                ),
            );
        }
    }
}

/// 16 hexadecimal digits (a [`fingerprint`] or a check value).
fn is_hex16(value: &str) -> bool {
    value.len() == 16 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The first problem of an event's [`Details`], if any.
fn details_problem(d: &Details) -> Option<String> {
    if let Some(x) = d
        .occurrences
        .iter()
        .find(|x| crate::changes::parse_occurrence(x).is_none())
    {
        return Some(format!(
            "`occurrences` holds {}, which is not `RECURRENCE-ID START END FINGERPRINT`",
            crate::neutralise::terminal(x)
        ));
    }
    if let Some(x) = d.exdates.iter().find(|x| !is_date_time(x)) {
        return Some(format!(
            "`exdates` holds {}, which is not an iCalendar DATE-TIME such as 20231213T090000",
            shown(x)
        ));
    }
    if let Some(url) = &d.join_url
        && (url.len() > 8192 || url.chars().any(char::is_control))
    {
        return Some("`join_url` is not one line of at most 8192 bytes".into());
    }
    if d.description.as_deref().is_some_and(|h| !is_hex16(h)) {
        return Some("`description` is not 16 hexadecimal digits".into());
    }
    if d.reminder
        .is_some_and(|m| !(0..=MAX_REMINDER_MINUTES).contains(&m))
    {
        return Some(format!(
            "`reminder` is not a number of minutes from 0 to {MAX_REMINDER_MINUTES}"
        ));
    }
    if d.attendees as usize > crate::programme::validate::MAX_PARTICIPANTS {
        return Some(format!(
            "`attendees` is more than {}",
            crate::programme::validate::MAX_PARTICIPANTS
        ));
    }
    if !is_hex16(&d.attendees_hash) {
        return Some("`attendees_hash` is not 16 hexadecimal digits".into());
    }
    if let Some(set) = &d.attendee_set
        && crate::changes::attendees::AttendeeSet::decode(set).is_none()
    {
        return Some("`attendee_set` is not an attendee set written by roundtable".into());
    }
    None
}

/// The largest reminder a lock may hold, in minutes (a year).
const MAX_REMINDER_MINUTES: i64 = 366 * 24 * 60;

/// A value for a message: quoted when it is short printable ASCII, else described, so that a
/// line break or a screenful of text never reaches the terminal.
fn shown(value: &str) -> String {
    if value.len() <= 64 && value.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        format!("`{value}`")
    } else {
        "(not shown: it holds a line break, another control character or too much text)".into()
    }
}

/// `20231213T090000` or `20231213T090000Z`, a real date and time.
fn is_date_time(value: &str) -> bool {
    let civil = value.strip_suffix('Z').unwrap_or(value);
    civil.len() == 15
        && civil.is_ascii()
        && chrono::NaiveDateTime::parse_from_str(civil, "%Y%m%dT%H%M%S").is_ok()
}

/// The programme id in a UID `<session>.<programme>@<domain>`, when it has that form. The
/// session part is the session's id, or its `previous_id` (which keeps an earlier id's UID).
///
/// ```
/// use roundtable::ics::lock::programme_of;
/// assert_eq!(programme_of("day-2.peer-2023@example.org"), Some("peer-2023"));
/// assert_eq!(programme_of("day-2~20240310T0230.peer-2023@example.org"), Some("peer-2023"));
/// assert_eq!(programme_of("day-2.peer-2023@example.org\r\nX"), None);
/// assert_eq!(programme_of("Day 2.peer-2023@example.org"), None);
/// ```
pub fn programme_of(uid: &str) -> Option<&str> {
    let head_len = uid.find(['~', '.']).unwrap_or(uid.len());
    if !crate::programme::validate::valid_id(&uid[..head_len]) {
        return None;
    }
    let rest = &uid[head_len..];
    // A later part of a split series: `<session>~YYYYMMDDTHHMM.` (see `ics::events_for`).
    let rest = match rest.strip_prefix('~') {
        Some(part) => {
            let (stamp, rest) = part.split_at_checked(13)?;
            chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M").ok()?;
            rest
        }
        None => rest,
    };
    let rest = rest.strip_prefix('.')?;
    let (programme, domain) = rest.split_once('@')?;
    let domain_ok = !domain.is_empty()
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    (crate::programme::validate::valid_id(programme) && domain_ok).then_some(programme)
}

/// When the lock at `path` holds events of another programme than `programme` (a lock copied
/// from elsewhere, whose sessions would otherwise all be cancelled): the error, at the first
/// such event's UID.
pub fn check_owner(path: &Path, lock: &LockFile, programme: &str) -> Result<()> {
    let Some((event, other)) = lock.events.iter().find_map(|e| {
        programme_of(&e.uid)
            .filter(|p| *p != programme)
            .map(|p| (e, p))
    }) else {
        return Ok(());
    };
    // The line of its UID, found again in the file (only on this error path).
    let location = crate::input::read(path, crate::input::MAX_LOCK_BYTES)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|text| {
            let needle = format!("\"{}\"", event.uid);
            text.find(&needle)
                .map(|at| Location::at_offset(path, &text, at))
        })
        .unwrap_or_else(|| Location::file(path));
    Err(Error::one(
        Diagnostic::error(
            Some(location),
            format!("this lock belongs to programme `{other}`, not to `{programme}` (UID {})", event.uid),
        )
        .with_help(format!(
            "delete it (SEQUENCE numbers then start again at 0) or restore `{programme}`'s own lock from version control; a lock of another programme would turn all its sessions into cancellations"
        )),
    ))
}

/// The lock's TOML text.
pub fn render(lock: &LockFile) -> String {
    let body = toml::to_string(lock).unwrap_or_default();
    format!(
        "# Written by roundtable: commit this file. It keeps UIDs' SEQUENCE numbers rising across\n# runs, so that calendars apply updates and cancellations instead of ignoring them.\n{body}"
    )
}

/// A short, stable hash (SHA-256, first 16 hex digits) of `parts`.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut f = Fingerprint::default();
    for p in parts {
        f.part(&[p]);
    }
    f.finish()
}

/// [`fingerprint`] fed part by part (a part may be given in pieces), so that 100,000 attendees
/// are hashed without building 100,000 strings.
#[derive(Default)]
pub struct Fingerprint(Sha256);

impl Fingerprint {
    /// Adds one part, the concatenation of `pieces`.
    pub fn part(&mut self, pieces: &[&str]) {
        let len: usize = pieces.iter().map(|p| p.len()).sum();
        self.0.update((len as u64).to_le_bytes());
        for p in pieces {
            self.0.update(p.as_bytes());
        }
    }

    /// [`Fingerprint::part`] for each of `parts` (each given in `N` pieces): the same bytes,
    /// gathered into a buffer of a few kilobytes that is hashed at once, instead of `N + 1`
    /// small updates per part (an event's 10,000 attendees).
    pub fn parts<'p, const N: usize>(&mut self, parts: impl IntoIterator<Item = [&'p str; N]>) {
        const FLUSH: usize = 8 * 1024;
        let mut buffer = Vec::with_capacity(FLUSH + 512);
        for pieces in parts {
            let len: usize = pieces.iter().map(|p| p.len()).sum();
            buffer.extend_from_slice(&(len as u64).to_le_bytes());
            for p in pieces {
                buffer.extend_from_slice(p.as_bytes());
            }
            if buffer.len() >= FLUSH {
                self.0.update(&buffer);
                buffer.clear();
            }
        }
        self.0.update(&buffer);
    }

    /// The first 16 hex digits of the SHA-256.
    pub fn finish(self) -> String {
        let digest = self.0.finalize();
        crate::hex::lower(digest.get(..8).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::Fingerprint;

    /// Expected values from Python's hashlib: sha256 over, per part, its length as a
    /// little-endian u64 then its bytes; the first 8 bytes in hex.
    #[test]
    fn fingerprint_matches_hashlib_for_short_long_and_empty_parts() {
        let mut f = Fingerprint::default();
        f.part(&["Ana", " <", "ana@example.org", ">"]);
        assert_eq!(f.finish(), "2e3a9ddd79d31247");
        let long = "x".repeat(300);
        let mut f = Fingerprint::default();
        f.part(&[&long[..100], &long[100..]]);
        f.part(&["Ana <ana@example.org>"]);
        f.part(&[]);
        assert_eq!(f.finish(), "7d1bd79086d8b4fc");
    }

    /// Parts fed in bulk hash as fed part by part, after other parts or alone, including
    /// across the buffer's flushes (600 parts of ~40 bytes) and with nothing at all.
    #[test]
    fn parts_equal_part_by_part() {
        let names: Vec<String> = (0..600).map(|i| format!("Name {i}")).collect();
        let emails: Vec<String> = (0..600).map(|i| format!("p{i}@example.org")).collect();
        for n in [0, 1, 600] {
            let mut one = Fingerprint::default();
            one.part(&["prefix"]);
            for i in 0..n {
                one.part(&[&names[i], " <", &emails[i], ">"]);
            }
            let (mut a, mut b) = (Fingerprint::default(), Fingerprint::default());
            a.part(&["prefix"]);
            let parts = || (0..n).map(|i| [names[i].as_str(), " <", emails[i].as_str(), ">"]);
            a.parts(parts());
            b.parts(parts());
            let mut alone = Fingerprint::default();
            for i in 0..n {
                alone.part(&[&names[i], " <", &emails[i], ">"]);
            }
            assert_eq!(a.finish(), one.finish());
            assert_eq!(b.finish(), alone.finish());
        }
    }
}
