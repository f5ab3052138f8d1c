//! Reading bytes from outside, bounded: every file roundtable reads (the programme, the
//! participants CSV, busy calendars, the lock file) is opened here.
//!
//! - The file is opened with `O_NONBLOCK`, so that opening a FIFO never waits for a writer, and
//!   the *opened handle* is inspected (`fstat`): anything but a regular file (a folder, a FIFO,
//!   a character or block device such as `/dev/zero`, a socket) is refused, with an error naming
//!   the kind.
//! - The bytes are read with a cap (`take(limit + 1)`): a file larger than its limit is refused,
//!   whatever size the file system reports (files under `/proc` report 0).
//! - Nothing here ever puts the file's content into a message.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Diagnostic, Location};

/// The most bytes of a programme file.
pub const MAX_PROGRAMME_BYTES: u64 = 64 * 1024 * 1024;
/// The most bytes of a participants CSV (a million participants of ~250 bytes).
pub const MAX_CSV_BYTES: u64 = 256 * 1024 * 1024;
/// The most bytes of a lock file.
pub const MAX_LOCK_BYTES: u64 = 64 * 1024 * 1024;

/// What a path turned out to be, when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A directory.
    Folder,
    /// A named pipe.
    Fifo,
    /// A character device (`/dev/zero`, a terminal).
    CharDevice,
    /// A block device (a disk).
    BlockDevice,
    /// A Unix socket.
    Socket,
    /// Anything else the system may report.
    Other,
}

impl Kind {
    /// The kind in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Folder => "a folder",
            Kind::Fifo => "a FIFO (named pipe)",
            Kind::CharDevice => "a character device",
            Kind::BlockDevice => "a block device",
            Kind::Socket => "a socket",
            Kind::Other => "not a regular file",
        }
    }

    fn of(file_type: std::fs::FileType) -> Option<Kind> {
        #[cfg(unix)]
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_file() {
            return None;
        }
        if file_type.is_dir() {
            return Some(Kind::Folder);
        }
        #[cfg(unix)]
        {
            if file_type.is_fifo() {
                return Some(Kind::Fifo);
            }
            if file_type.is_char_device() {
                return Some(Kind::CharDevice);
            }
            if file_type.is_block_device() {
                return Some(Kind::BlockDevice);
            }
            if file_type.is_socket() {
                return Some(Kind::Socket);
            }
        }
        Some(Kind::Other)
    }
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The system refused to open or read it (it may be missing: [`ReadError::is_not_found`]).
    Io(std::io::Error),
    /// It is not a regular file.
    NotRegular(Kind),
    /// It holds more than `limit` bytes.
    TooLarge {
        /// The cap.
        limit: u64,
        /// The size the file system reports, when it is over the cap.
        reported: Option<u64>,
    },
}

impl ReadError {
    /// Whether the file does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }

    /// What is wrong, in words that never quote the file: `what` names the file's role
    /// ("the busy calendar").
    pub fn message(&self, what: &str, path: &Path) -> String {
        let path = path.display();
        match self {
            ReadError::Io(e) => format!("cannot read {what} {path}: {e}"),
            ReadError::NotRegular(kind) => format!(
                "cannot read {what} {path}: it is {}, not a regular file",
                kind.describe()
            ),
            ReadError::TooLarge {
                limit,
                reported: Some(size),
            } => format!(
                "{what} {path} is {}, over the limit of {}",
                mib(*size),
                mib(*limit)
            ),
            ReadError::TooLarge {
                limit,
                reported: None,
            } => format!("{what} {path} is over the limit of {}", mib(*limit)),
        }
    }

    /// How to fix it.
    pub fn help(&self) -> &'static str {
        match self {
            ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                "check the path: relative paths start from the programme file's folder"
            }
            ReadError::Io(_) => "check the file's permissions",
            ReadError::NotRegular(_) => {
                "roundtable reads only regular files: give the path of a file (not a folder, a pipe or a device)"
            }
            ReadError::TooLarge { .. } => "use a smaller file, or split it",
        }
    }

    /// The error as a diagnostic at `location` (the file itself when `None`).
    pub fn diagnostic(&self, what: &str, path: &Path, location: Option<Location>) -> Diagnostic {
        Diagnostic::error(
            Some(location.unwrap_or_else(|| Location::file(path))),
            self.message(what, path),
        )
        .with_help(self.help())
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// `n` bytes in MiB, for messages (`50.0 MiB`, `20 MiB`).
fn mib(n: u64) -> String {
    let m = n as f64 / (1024.0 * 1024.0);
    if n.is_multiple_of(1024 * 1024) {
        format!("{m:.0} MiB")
    } else {
        format!("{m:.1} MiB")
    }
}

/// Opens `path` for reading if it is a regular file (symbolic links followed), without ever
/// blocking on a FIFO; returns the handle and the size the file system reports.
pub fn open(path: &Path) -> Result<(File, u64), ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if let Some(kind) = Kind::of(meta.file_type()) {
        return Err(ReadError::NotRegular(kind));
    }
    Ok((file, meta.len()))
}

/// A reader that hands out at most `limit` bytes of `inner`, and fails with
/// [`std::io::ErrorKind::FileTooLarge`] when there is more: for streaming a file under a cap.
pub struct Capped<R> {
    inner: std::io::Take<R>,
    limit: u64,
}

impl<R: Read> Capped<R> {
    /// Caps `inner` at `limit` bytes.
    pub fn new(inner: R, limit: u64) -> Self {
        Capped {
            inner: inner.take(limit.saturating_add(1)),
            limit,
        }
    }

    /// Whether the cap was passed.
    pub fn over(&self) -> bool {
        self.inner.limit() == 0
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.over() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                format!("the file is over the limit of {}", mib(self.limit)),
            ));
        }
        Ok(n)
    }
}

/// Opens `path` with [`open`] and streams it under a cap of `limit` bytes.
pub fn open_capped(path: &Path, limit: u64) -> Result<Capped<File>, ReadError> {
    let (file, size) = open(path)?;
    if size > limit {
        return Err(ReadError::TooLarge {
            limit,
            reported: Some(size),
        });
    }
    Ok(Capped::new(file, limit))
}

/// The whole of the regular file at `path`, at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    let len = read_into(path, limit, &mut bytes)?;
    bytes.truncate(len);
    Ok(bytes)
}

/// [`read`] into `buffer`, which is reused: the file is its first bytes (the length returned),
/// and what follows them is left over from before. Reading many files into one buffer spares
/// an allocation, and the zeroing of a new one, per file (issue 19: 10,000 busy calendars).
pub fn read_into(path: &Path, limit: u64, buffer: &mut Vec<u8>) -> Result<usize, ReadError> {
    let (file, size) = open(path)?;
    if size > limit {
        return Err(ReadError::TooLarge {
            limit,
            reported: Some(size),
        });
    }
    let len = read_reported(file, size, limit, buffer).map_err(ReadError::Io)?;
    if len as u64 > limit {
        return Err(ReadError::TooLarge {
            limit,
            reported: None,
        });
    }
    Ok(len)
}

/// The bytes of `reader`, whose size was reported as `size`, and at most one past `limit`, as
/// the first bytes of `bytes` (their number returned).
fn read_reported(
    mut reader: impl Read,
    size: u64,
    limit: u64,
    bytes: &mut Vec<u8>,
) -> std::io::Result<usize> {
    // One byte more than the reported size, read in one call: `read_to_end` would read a
    // file past 8 KiB in two, then probe for the end in a third (10,000 busy calendars of
    // 9 KB made 30,000 reads, issue 19). A read short of what was asked that ends at the
    // reported size is the end: a regular file gives all it has, and a read more to be told
    // so was a third of the reads. A read that fills it means the file grew: the rest is
    // read under the cap.
    let want = usize::try_from(size).unwrap_or(0).min(1 << 24) + 1;
    if bytes.len() < want {
        bytes.resize(want, 0);
    }
    let mut filled = 0;
    loop {
        let free = bytes.get_mut(filled..want).unwrap_or_default();
        if free.is_empty() {
            // Full: the rest, after the `filled` bytes it holds.
            bytes.truncate(filled);
            (&mut reader)
                .take(limit.saturating_add(1).saturating_sub(filled as u64))
                .read_to_end(bytes)?;
            return Ok(bytes.len());
        }
        let asked = free.len();
        match reader.read(free) {
            Ok(0) => break,
            Ok(n) => {
                filled += n;
                if n < asked && filled as u64 == size {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// What a file that was expected to be of another kind looks like, judged from its first bytes
/// and never quoting them: "an HTML page", "a PDF document", "text", "binary data", ...
pub fn looks_like(bytes: &[u8]) -> &'static str {
    let head = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let trimmed = head.get(start..).unwrap_or_default();
    let lower: Vec<u8> = trimmed
        .iter()
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    let starts = |p: &[u8]| lower.starts_with(p);
    if trimmed.is_empty() {
        "empty"
    } else if starts(b"%pdf") {
        "a PDF document"
    } else if starts(b"pk\x03\x04") {
        "a ZIP archive (a spreadsheet or document?)"
    } else if starts(b"\x1f\x8b") {
        "a gzip archive"
    } else if starts(b"<!doctype html") || starts(b"<html") {
        "an HTML page"
    } else if starts(b"<?xml") || starts(b"<") {
        "an XML or HTML document"
    } else if starts(b"{") || starts(b"[") {
        "JSON or TOML text"
    } else if std::str::from_utf8(head).is_err() && !looks_truncated_utf8(head)
        || head
            .iter()
            .any(|&b| b == 0 || (b < 0x20 && !b"\t\r\n\x0c".contains(&b)))
    {
        "binary data"
    } else {
        "a text file"
    }
}

/// Whether `bytes` is UTF-8 except for a character cut at the end.
fn looks_truncated_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_refuses_one_byte_more() {
        let mut out = Vec::new();
        assert!(Capped::new(&b"12345"[..], 5).read_to_end(&mut out).is_ok());
        let mut out = Vec::new();
        let e = Capped::new(&b"123456"[..], 5)
            .read_to_end(&mut out)
            .unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
    }

    #[test]
    fn messages_never_quote_the_file() {
        let secret = b"root:$6$secret:19000:0:99999:7:::\n";
        assert!(!looks_like(secret).contains("root"));
        let e = ReadError::NotRegular(Kind::Fifo);
        assert!(
            e.message("the busy calendar", Path::new("a.ics"))
                .contains("FIFO")
        );
    }
}

/// The examples that were this module's doctests: a doctest cannot reach a crate-private
/// module, so they run here.
#[cfg(test)]
mod examples {
    #[test]
    fn open() {
        use crate::input::{Kind, ReadError, open};
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            open(dir.path()),
            Err(ReadError::NotRegular(Kind::Folder))
        ));
        #[cfg(target_os = "linux")]
        assert!(matches!(
            open("/dev/zero".as_ref()),
            Err(ReadError::NotRegular(Kind::CharDevice))
        ));
    }

    #[test]
    fn read() {
        use crate::input::{ReadError, read};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "0123456789").unwrap();
        assert_eq!(read(&path, 10).unwrap(), b"0123456789");
        assert!(matches!(
            read(&path, 9),
            Err(ReadError::TooLarge { limit: 9, .. })
        ));
        // Past 8 KiB (read in one call), and empty.
        let big: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &big).unwrap();
        assert_eq!(read(&path, 20_000).unwrap(), big);
        std::fs::write(&path, "").unwrap();
        assert_eq!(read(&path, 10).unwrap(), b"");
    }

    #[test]
    fn one_buffer_reads_a_larger_file_then_a_smaller_one() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.ics"), dir.path().join("b.ics"));
        std::fs::write(&a, "BEGIN:VCALENDAR\nEND:VCALENDAR\n").unwrap();
        std::fs::write(&b, "BEGIN:VCALENDAR\n").unwrap();
        let mut buffer = Vec::new();
        let len = crate::input::read_into(&a, 1024, &mut buffer).unwrap();
        assert_eq!(&buffer[..len], b"BEGIN:VCALENDAR\nEND:VCALENDAR\n");
        let len = crate::input::read_into(&b, 1024, &mut buffer).unwrap();
        assert_eq!(&buffer[..len], b"BEGIN:VCALENDAR\n");
        assert!(matches!(
            crate::input::read_into(&a, 10, &mut buffer),
            Err(crate::input::ReadError::TooLarge { limit: 10, .. })
        ));
    }

    #[test]
    fn a_file_larger_than_reported_is_read_whole_under_the_cap() {
        use crate::input::read_reported;
        let read = |reader: &mut dyn std::io::Read, size, limit, buffer: &mut Vec<u8>| {
            let len = read_reported(reader, size, limit, buffer).unwrap();
            buffer[..len].to_vec()
        };
        let bytes: Vec<u8> = (0..100u8).collect();
        let mut buffer = Vec::new();
        // Reported smaller than it is (it grew): all of it, or one byte past the cap.
        assert_eq!(read(&mut &bytes[..], 10, 1000, &mut buffer), bytes);
        assert_eq!(read(&mut &bytes[..], 10, 50, &mut buffer), &bytes[..51]);
        // Reported larger (it shrank): what there is.
        assert_eq!(read(&mut &bytes[..], 500, 1000, &mut buffer), bytes);
        // A reader that hands out a few bytes at a time.
        let mut slow = std::io::Read::chain(&bytes[..30], &bytes[30..]);
        assert_eq!(read(&mut slow, 100, 1000, &mut buffer), bytes);
        // A short read that ends at the reported size is the end: a file of 30 bytes when it
        // was read (it grew after).
        let mut grew = std::io::Read::chain(&bytes[..30], &bytes[30..]);
        assert_eq!(read(&mut grew, 30, 1000, &mut buffer), &bytes[..30]);
        // A short read before the reported size is not.
        let mut slow = std::io::Read::chain(&bytes[..20], &bytes[20..40]);
        assert_eq!(read(&mut slow, 40, 1000, &mut buffer), &bytes[..40]);
        // A buffer larger than the file, left from a larger one, gives this file's bytes.
        let mut buffer = vec![7u8; 500];
        assert_eq!(read(&mut &bytes[..10], 10, 1000, &mut buffer), &bytes[..10]);
        assert_eq!(buffer.len(), 500);
    }

    #[test]
    fn looks_like() {
        use crate::input::looks_like;
        assert_eq!(looks_like(b"<!DOCTYPE html><html>"), "an HTML page");
        assert_eq!(
            looks_like(b"root:x:0:0:root:/root:/bin/bash\n"),
            "a text file"
        );
        assert_eq!(looks_like(b"\x7fELF\x02\x01"), "binary data");
    }
}
