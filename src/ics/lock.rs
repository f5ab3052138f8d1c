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

/// Reads the lock at `path`; a missing file is an empty lock.
pub fn read(path: &Path) -> Result<LockFile> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(LockFile {
                version: VERSION,
                events: Vec::new(),
            });
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    let lock: LockFile = toml::from_str(&text).map_err(|e| {
        let location = e.span().map_or_else(|| Location::file(path), |s| Location::at_offset(path, &text, s.start));
        Error::one(
            Diagnostic::error(Some(location), format!("the lock file is damaged: {}", e.message().trim()))
                .with_help("restore it from version control; deleting it restarts every SEQUENCE at 0, and clients may then ignore updates"),
        )
    })?;
    if lock.version != VERSION {
        return Err(Error::one(
            Diagnostic::error(Some(Location::file(path)), format!("lock file version {} is not supported (this roundtable writes version {VERSION})", lock.version))
                .with_help("use the roundtable version that wrote it, or restore it from version control"),
        ));
    }
    Ok(lock)
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
