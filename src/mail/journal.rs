//! The send journal, `PRIVATE/mail/journal.jsonl`: one JSON line per message the SMTP server
//! accepted — UID, SEQUENCE, method, attendee, when, Message-ID and the server's answer —
//! appended and synced to disk (`fsync`) right after the server's `250`, before the next message
//! is sent.
//!
//! What it guarantees: a message recorded here is never sent again (the next run skips it);
//! every message not recorded is sent by the next run. The one gap is a kill between the
//! server's acceptance and the journal's sync: that message is sent again. The copy has the
//! same UID, SEQUENCE and Message-ID, so calendar clients apply it once (RFC 5546: an update
//! with a SEQUENCE they already hold changes nothing) and mail clients that thread by
//! Message-ID show it once.
//!
//! A line torn by a kill while it was being written (no final newline) is dropped when the
//! journal is next opened: its message counts as not recorded.
//!
//! `roundtable invites` and `build` replace the private folder as a whole; they carry the
//! journal over into the new folder ([`carry_over`]), under the same run lock as `send`.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Location, Result};

/// The journal's path inside the private folder.
pub const FILE: &str = "mail/journal.jsonl";

/// The iTIP method of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// An invitation or its update.
    Request,
    /// A cancellation (of the event, or of this attendee's place in it).
    Cancel,
}

impl Method {
    /// `REQUEST` or `CANCEL`.
    pub fn word(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// One delivered message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// iCalendar UID.
    pub uid: String,
    /// SEQUENCE of the calendar in the message.
    pub sequence: u32,
    /// REQUEST or CANCEL.
    pub method: Method,
    /// The attendee's e-mail, as written in the programme.
    pub attendee: String,
    /// The attendee's name (to address a later CANCEL after they left the programme).
    pub name: String,
    /// The attendee's zone as written (for the local time of that CANCEL).
    pub timezone: String,
    /// When the server accepted it (RFC 3339, UTC).
    pub at: String,
    /// The message's Message-ID.
    pub message_id: String,
    /// The server's answer (code and first line).
    pub response: String,
}

/// What the journal knows of one (UID, attendee): the last message sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Last {
    /// The SEQUENCE of the event it carried.
    pub sequence: u32,
    /// Its iTIP method (a request or a cancellation).
    pub method: Method,
    /// The attendee's e-mail as written.
    pub attendee: String,
    /// Their name.
    pub name: String,
    /// Their zone as written.
    pub timezone: String,
}

/// The key of one message: UID, SEQUENCE, method, normalised e-mail.
pub type Key = (String, u32, Method, String);

/// The journal, open for appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Option<fs::File>,
    sent: HashSet<Key>,
    /// Per UID, per normalised e-mail: the last message (highest SEQUENCE; at equal SEQUENCE,
    /// the later line).
    last: BTreeMap<String, BTreeMap<String, Last>>,
}

/// The key of a message.
pub fn key(uid: &str, sequence: u32, method: Method, email: &str) -> Key {
    (
        uid.to_string(),
        sequence,
        method,
        crate::programme::email::normalise(email),
    )
}

/// Journals are our own files, but in a folder anyone with the organizer's rights may edit:
/// read them bounded.
const MAX_BYTES: u64 = 512 * 1024 * 1024;

impl Journal {
    /// Reads the journal of the private folder `private` (none yet: empty). With `write`, opens
    /// it for appending (creating `mail/`), first cutting off a line torn by a kill.
    pub fn open(private: &Path, write: bool) -> Result<Self> {
        let path = private.join(FILE);
        let mut journal = Journal {
            path: path.clone(),
            file: None,
            sent: HashSet::new(),
            last: BTreeMap::new(),
        };
        let mut file = if write {
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            Some(
                fs::OpenOptions::new()
                    .read(true)
                    .append(true)
                    .create(true)
                    .open(&path)
                    .map_err(|e| Error::io(&path, e))?,
            )
        } else {
            match fs::File::open(&path) {
                Ok(f) => Some(f),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(Error::io(&path, e)),
            }
        };
        let mut bytes = Vec::new();
        if let Some(f) = file.as_mut() {
            f.seek(SeekFrom::Start(0))
                .and_then(|_| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
                .map_err(|e| Error::io(&path, e))?;
        }
        if bytes.len() as u64 > MAX_BYTES {
            return Err(Error::one(
                Diagnostic::error(
                    Some(Location::file(&path)),
                    format!(
                        "the send journal is larger than {} MiB",
                        MAX_BYTES / 1024 / 1024
                    ),
                )
                .with_help("move it aside and start a new one; the messages it recorded may then be sent again"),
            ));
        }
        // A line torn by a kill: everything after the last newline.
        let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        if whole < bytes.len() {
            if let Some(f) = file.as_ref().filter(|_| write) {
                f.set_len(whole as u64)
                    .and_then(|()| f.sync_all())
                    .map_err(|e| Error::io(&path, e))?;
            }
            bytes.truncate(whole);
        }
        for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let record: Record = std::str::from_utf8(line)
                .ok()
                .and_then(|l| serde_json::from_str(l).ok())
                .ok_or_else(|| {
                    Error::one(
                        Diagnostic::error(
                            Some(Location::at_line(&path, n + 1)),
                            "the send journal is damaged: this line is not a record roundtable wrote",
                        )
                        .with_help("delete the line; the message it recorded (if any) is then sent again"),
                    )
                })?;
            journal.note(&record);
        }
        journal.file = if write { file } else { None };
        Ok(journal)
    }

    fn note(&mut self, r: &Record) {
        let email = crate::programme::email::normalise(&r.attendee);
        self.sent
            .insert((r.uid.clone(), r.sequence, r.method, email.clone()));
        let last = self.last.entry(r.uid.clone()).or_default();
        let newer = last.get(&email).is_none_or(|l| r.sequence >= l.sequence);
        if newer {
            last.insert(
                email,
                Last {
                    sequence: r.sequence,
                    method: r.method,
                    attendee: r.attendee.clone(),
                    name: r.name.clone(),
                    timezone: r.timezone.clone(),
                },
            );
        }
    }

    /// Whether this message was delivered.
    pub fn contains(&self, key: &Key) -> bool {
        self.sent.contains(key)
    }

    /// How many messages are recorded.
    pub fn len(&self) -> usize {
        self.sent.len()
    }

    /// The last message of each attendee of `uid`, by normalised e-mail.
    pub fn last_of(&self, uid: &str) -> impl Iterator<Item = (&String, &Last)> {
        self.last.get(uid).into_iter().flat_map(|m| m.iter())
    }

    /// Appends one record and syncs it to disk before returning.
    pub fn append(&mut self, record: &Record) -> Result<()> {
        let path = self.path.clone();
        let Some(file) = self.file.as_mut() else {
            return Err(Error::io(
                &path,
                std::io::Error::other("the journal is open for reading only"),
            ));
        };
        let mut line = serde_json::to_string(record)
            .map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
        line.push('\n');
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| Error::io(&path, e))?;
        self.note(record);
        Ok(())
    }
}

/// Copies the journal of the private folder `from` (if any) into the staged private folder
/// `to`, synced: `invites` and `build` replace the private folder as a whole, and the journal
/// must survive that. Called under their run lock, so no `send` is appending meanwhile.
pub fn carry_over(from: &Path, to: &crate::output::Staging) -> Result<()> {
    let source = from.join(FILE);
    let bytes = match fs::read(&source) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(&source, e)),
    };
    let (path, mut w) = to.create(FILE)?;
    w.write_all(&bytes)
        .and_then(|()| w.flush())
        .and_then(|()| w.get_ref().sync_all())
        .map_err(|e| Error::io(&path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(uid: &str, sequence: u32, method: Method, attendee: &str) -> Record {
        Record {
            uid: uid.into(),
            sequence,
            method,
            attendee: attendee.into(),
            name: "Ana".into(),
            timezone: "UTC".into(),
            at: "2023-11-01T00:00:00Z".into(),
            message_id: "<x@example.org>".into(),
            response: "250 OK".into(),
        }
    }

    #[test]
    fn torn_line_is_dropped_and_appending_continues() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::open(dir.path(), true).unwrap();
        j.append(&record("a@x", 0, Method::Request, "Ana@Example.org"))
            .unwrap();
        // A kill in the middle of the second line.
        let path = dir.path().join(FILE);
        let mut f = fs::OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"uid\":\"b@x\",\"seq").unwrap();
        drop(f);
        let mut j = Journal::open(dir.path(), true).unwrap();
        assert_eq!(j.len(), 1);
        assert!(j.contains(&key("a@x", 0, Method::Request, "ana@example.org")));
        j.append(&record("b@x", 1, Method::Cancel, "bo@example.org"))
            .unwrap();
        let j = Journal::open(dir.path(), false).unwrap();
        assert_eq!(j.len(), 2);
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2);
    }

    #[test]
    fn last_is_the_highest_sequence() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::open(dir.path(), true).unwrap();
        j.append(&record("a@x", 2, Method::Cancel, "ana@example.org"))
            .unwrap();
        j.append(&record("a@x", 1, Method::Request, "ana@example.org"))
            .unwrap();
        let last: Vec<_> = j.last_of("a@x").collect();
        assert_eq!(last.len(), 1);
        assert_eq!((last[0].1.sequence, last[0].1.method), (2, Method::Cancel));
    }

    #[test]
    fn damaged_line_is_an_error_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("mail")).unwrap();
        fs::write(dir.path().join(FILE), "garbage\n").unwrap();
        let e = Journal::open(dir.path(), false).unwrap_err().to_string();
        assert!(e.contains(":1"), "{e}");
        assert!(e.contains("damaged"), "{e}");
    }
}
