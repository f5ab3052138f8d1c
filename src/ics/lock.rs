//! The lock file (`<programme>.toml.lock`, TOML, meant to be committed like Cargo.lock): for each
//! UID, a hash of what matters to attendees and its SEQUENCE, and what is needed to cancel it
//! after its session is removed from the programme.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Diagnostic, Error, Location, Result};

/// Format version written in the file.
pub const VERSION: u32 = 1;

/// The whole lock file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockFile {
    /// Format version.
    pub version: u32,
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
/// another programme): the file is read through [`crate::input`], and every field is checked
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
    if lock.version != VERSION {
        return Err(Error::one(
            Diagnostic::error(Some(Location::file(path)), format!("lock file version {} is not supported (this roundtable writes version {VERSION})", lock.version))
                .with_help("use the roundtable version that wrote it, or restore it from version control"),
        ));
    }
    let problems = validate(path, &text, &lock);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(lock)
}

fn damaged(location: Location, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Some(location), message)
        .with_help("restore it from version control; deleting it restarts every SEQUENCE at 0, and clients may then ignore updates")
}

/// The places of the fields of one `[[event]]`, for messages.
#[derive(Deserialize)]
struct Places {
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
}

/// Every problem of the lock's fields, each at its line.
fn validate(path: &Path, text: &str, lock: &LockFile) -> Vec<Diagnostic> {
    let places: Option<Places> = toml::from_str(text).ok();
    let mut problems = Vec::new();
    let mut owner: Option<(&str, Location)> = None;
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
        if !crate::programme::validate::valid_id(&e.session) {
            bad(
                at(|p| Some(&p.session)),
                format!(
                    "the lock file is damaged: session {} is not a session id",
                    shown(&e.session)
                ),
            );
        }
        match programme_of(&e.uid, &e.session) {
            None => bad(
                at(|p| Some(&p.uid)),
                format!(
                    "the lock file is damaged: UID {} is not of the form <session>.<programme>@<domain> (or <session>~<YYYYMMDDTHHMM>.… for a later part of a series split at a DST change)",
                    shown(&e.uid)
                ),
            ),
            Some(programme) => match &owner {
                None => owner = Some((programme, at(|p| Some(&p.uid)))),
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
        if e.hash.len() != 16 || !e.hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            bad(
                at(|p| Some(&p.hash)),
                "the lock file is damaged: `hash` is not 16 hexadecimal digits".into(),
            );
        }
        if !e.tzid.bytes().all(|b| b.is_ascii_graphic())
            || crate::ics::zone_of_tzid(&e.tzid).is_none()
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
        if !e
            .audience
            .iter()
            .all(|w| w == "all" || crate::programme::validate::valid_id(w))
        {
            bad(at(|p| Some(&p.audience)), "the lock file is damaged: `audience` holds something that is neither \"all\" nor a group id".into());
        }
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

/// The programme id in a UID `<session>.<programme>@<domain>`, when it has that form.
///
/// ```
/// use roundtable::ics::lock::programme_of;
/// assert_eq!(programme_of("day-2.peer-2023@example.org", "day-2"), Some("peer-2023"));
/// assert_eq!(programme_of("day-2.peer-2023@example.org\r\nX", "day-2"), None);
/// ```
pub fn programme_of<'u>(uid: &'u str, session: &str) -> Option<&'u str> {
    let rest = uid.strip_prefix(session)?;
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
        programme_of(&e.uid, &e.session)
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

    /// The first 16 hex digits of the SHA-256.
    pub fn finish(self) -> String {
        self.0
            .finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
