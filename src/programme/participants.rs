//! The participants CSV, the form in which registration forms are exported.
//!
//! Header `name,email,timezone,groups,working_hours,night,weekend,busy` (columns in any order; all
//! but the first three optional), UTF-8 with or without a byte-order mark, LF or CRLF. Every bad row is reported.

use std::collections::VecDeque;
use std::io::Read;
use std::path::Path;

use crate::error::{Diagnostic, Location, did_you_mean};

/// Columns the CSV may have; the first three are required.
pub const COLUMNS: [&str; 8] = [
    "name",
    "email",
    "timezone",
    "groups",
    "working_hours",
    "night",
    "weekend",
    "busy",
];
const REQUIRED: usize = 3;

/// One data row, not yet validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `name`.
    pub name: String,
    /// `email`.
    pub email: String,
    /// `timezone`.
    pub timezone: String,
    /// `groups`, split on `;`, empty entries dropped.
    pub groups: Vec<String>,
    /// `working_hours`, when not empty.
    pub working_hours: Option<String>,
    /// `night`, when not empty.
    pub night: Option<String>,
    /// `weekend` days, split on `;`; `None` when the cell is empty or absent.
    pub weekend: Option<Vec<String>>,
    /// `busy` calendar path, when not empty.
    pub busy: Option<String>,
    /// The row's line in the file.
    pub location: Location,
}

/// Reads the CSV bytes of `file` (shown to the user as `file`), handing each good row to
/// `on_row` as it is read (nothing is kept). Returns every problem found; rows with problems
/// are left out.
pub fn parse(file: &Path, bytes: &[u8], on_row: &mut dyn FnMut(Row)) -> Vec<Diagnostic> {
    parse_from(file, bytes, on_row)
}

/// [`parse`], reading from `source` as it goes: the file is never held whole.
pub fn parse_from(file: &Path, source: impl Read, on_row: &mut dyn FnMut(Row)) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(Lines::new(source));
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let line = line_of(&mut reader, &e);
            problems.push(csv_problem(file, &e, line));
            return problems;
        }
    };
    if header
        .iter()
        .all(|h| h.bytes().all(|b| b.is_ascii_whitespace()))
        && reader.get_mut().rest_is_blank()
    {
        problems.push(
            Diagnostic::error(Some(Location::file(file)), "the participants file is empty")
                .with_help(format!(
                    "start it with the header line `{}`",
                    COLUMNS.join(",")
                )),
        );
        return problems;
    }
    if header.len() == 1
        && header
            .get(0)
            .is_some_and(|h| h.contains(';') || h.contains('\t'))
    {
        let sep = if header.get(0).is_some_and(|h| h.contains(';')) {
            "`;`"
        } else {
            "tabs"
        };
        problems.push(
            Diagnostic::error(
                Some(Location::at_line(file, 1)),
                format!("the columns are separated by {sep}, not commas"),
            )
            .with_help(
                "save the file as CSV with commas (in a spreadsheet: CSV UTF-8, comma-separated)",
            ),
        );
        return problems;
    }
    let mut index = [None; COLUMNS.len()];
    // Unknown columns are listed up to this many; the rest are counted.
    const SHOWN_UNKNOWN: usize = 10;
    let mut unknown = 0usize;
    for (i, name) in header.iter().enumerate() {
        let key = name.trim();
        match COLUMNS.iter().position(|c| *c == key) {
            Some(c) if index[c].is_some() => problems.push(
                Diagnostic::error(
                    Some(Location::at_line(file, 1)),
                    format!("column `{key}` appears twice"),
                )
                .with_help("keep one of them"),
            ),
            Some(c) => index[c] = Some(i),
            None if unknown >= SHOWN_UNKNOWN => unknown += 1,
            None => {
                unknown += 1;
                let mut d = Diagnostic::error(
                    Some(Location::at_line(file, 1)),
                    format!("unknown column `{key}`"),
                );
                d = match did_you_mean(key, COLUMNS) {
                    Some(s) => d.with_help(format!(
                        "did you mean `{s}`? The columns are: {}",
                        COLUMNS.join(", ")
                    )),
                    None => d.with_help(format!(
                        "the columns are: {} (remove the others)",
                        COLUMNS.join(", ")
                    )),
                };
                problems.push(d);
            }
        }
    }
    if unknown > SHOWN_UNKNOWN {
        problems.push(
            Diagnostic::error(
                Some(Location::at_line(file, 1)),
                format!(
                    "... and {} more unknown columns like this",
                    unknown - SHOWN_UNKNOWN
                ),
            )
            .with_help(format!("the columns are: {}", COLUMNS.join(", "))),
        );
    }
    let missing: Vec<&str> = (0..REQUIRED)
        .filter(|c| index[*c].is_none())
        .map(|c| COLUMNS[c])
        .collect();
    if !missing.is_empty() {
        problems.push(
            Diagnostic::error(
                Some(Location::at_line(file, 1)),
                format!(
                    "missing column{} `{}`",
                    if missing.len() > 1 { "s" } else { "" },
                    missing.join("`, `")
                ),
            )
            .with_help(format!(
                "the header must name at least: {}",
                COLUMNS[..REQUIRED].join(",")
            )),
        );
    }
    if !problems.is_empty() {
        return problems;
    }
    let mut record = csv::ByteRecord::new();
    let shared: std::sync::Arc<Path> = std::sync::Arc::from(file);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let unclosed = matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. })
                    && record.iter().any(|f| f.contains(&b'\n'));
                let line = line_of(&mut reader, &e);
                if unclosed {
                    let line = line.unwrap_or(0);
                    problems.push(
                        Diagnostic::error(Some(Location::at_line(file, line)), "a quote (\") opened on this line is never closed, so the rest of the file reads as one field")
                            .with_help("close the quote, or write a quote inside a quoted field as \"\""),
                    );
                    break;
                }
                problems.push(csv_problem(file, &e, line));
                // An unequal row is reported and skipped; anything else ends the read.
                if matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    continue;
                }
                break;
            }
        }
        let line = record
            .position()
            .map_or(0, |p| reader.get_mut().line_of(p.byte()));
        let location = Location::in_file(shared.clone(), line);
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let mut cells: [Option<String>; COLUMNS.len()] = Default::default();
        let mut row_ok = true;
        for (c, slot) in index.iter().enumerate() {
            let Some(i) = slot else { continue };
            let raw = record.get(*i).unwrap_or_default();
            match std::str::from_utf8(raw) {
                Ok(s) => cells[c] = Some(s.trim().to_string()),
                Err(_) => {
                    row_ok = false;
                    problems.push(
                        Diagnostic::error(
                            Some(location.clone()),
                            format!("column `{}` is not valid UTF-8", COLUMNS[c]),
                        )
                        .with_help("save the file as UTF-8 (in a spreadsheet: CSV UTF-8)"),
                    );
                }
            }
        }
        for c in 0..REQUIRED {
            if cells[c].as_deref().is_some_and(str::is_empty) {
                row_ok = false;
                problems.push(
                    Diagnostic::error(
                        Some(location.clone()),
                        format!("column `{}` is empty", COLUMNS[c]),
                    )
                    .with_help(format!(
                        "every participant needs a value in column `{}`",
                        COLUMNS[c]
                    )),
                );
            }
        }
        if !row_ok {
            continue;
        }
        let [
            name,
            email,
            timezone,
            groups,
            working_hours,
            night,
            weekend,
            busy,
        ] = cells;
        let non_empty = |v: Option<String>| v.filter(|s| !s.is_empty());
        on_row(Row {
            name: name.unwrap_or_default(),
            email: email.unwrap_or_default(),
            timezone: timezone.unwrap_or_default(),
            groups: groups
                .unwrap_or_default()
                .split(';')
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(String::from)
                .collect(),
            working_hours: non_empty(working_hours),
            night: non_empty(night),
            weekend: non_empty(weekend).map(|w| {
                w.split(';')
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(String::from)
                    .collect()
            }),
            busy: non_empty(busy),
            location,
        });
    }
    problems
}

/// The line of the record an error is about.
fn line_of<R: Read>(reader: &mut csv::Reader<Lines<R>>, e: &csv::Error) -> Option<usize> {
    e.position().map(|p| reader.get_mut().line_of(p.byte()))
}

fn csv_problem(file: &Path, e: &csv::Error, line: Option<usize>) -> Diagnostic {
    let location = match line {
        Some(l) => Location::at_line(file, l),
        None => Location::file(file),
    };
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => Diagnostic::error(
            Some(location),
            format!("this row has {len} fields, the header has {expected_len}"),
        )
        .with_help("quote fields that contain commas (\"Lagos, Nigeria\") and give every row the header's columns"),
        csv::ErrorKind::Utf8 { .. } => Diagnostic::error(Some(location), "the file is not valid UTF-8")
            .with_help("save the file as UTF-8 (in a spreadsheet: CSV UTF-8)"),
        _ => Diagnostic::error(Some(location), format!("cannot read the CSV: {e}")),
    }
}

/// The bytes of the file as they are read, without a leading UTF-8 byte-order mark, keeping
/// the offsets of the newlines the CSV reader has not yet been asked about: line numbers come
/// from byte offsets because the csv crate's own line count is off by one on CRLF files.
struct Lines<R> {
    inner: R,
    /// Whether the start of the file (and its byte-order mark) has been dealt with.
    started: bool,
    /// The file's first bytes, read to look for the byte-order mark, and how far they are
    /// handed out.
    head: [u8; 3],
    head_len: usize,
    head_pos: usize,
    /// Offset of the next byte handed out.
    offset: u64,
    /// Newlines handed out and not yet passed by a query, each with whether its line is blank
    /// (nothing but carriage returns).
    pending: VecDeque<(u64, bool)>,
    /// Whether the line being handed out is blank so far.
    blank: bool,
    /// Newlines already passed.
    passed: usize,
}

impl<R: Read> Lines<R> {
    fn new(inner: R) -> Self {
        Lines {
            inner,
            started: false,
            head: [0; 3],
            head_len: 0,
            head_pos: 0,
            offset: 0,
            pending: VecDeque::new(),
            blank: true,
            passed: 0,
        }
    }

    /// The 1-based line of the record that starts at byte `byte`. Queries come in file order
    /// (records and their errors are read front to back).
    fn line_of(&mut self, byte: u64) -> usize {
        while self.pending.front().is_some_and(|&(n, _)| n <= byte) {
            self.pending.pop_front();
            self.passed += 1;
        }
        // The csv reader skips blank lines as part of the next record, whose position is then
        // the first blank line's: step over them.
        while self.pending.front().is_some_and(|&(_, blank)| blank) {
            self.pending.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }

    /// Whether nothing but whitespace is left unread.
    fn rest_is_blank(&mut self) -> bool {
        let mut buf = [0u8; 8192];
        loop {
            match self.read(&mut buf) {
                Ok(0) => return true,
                Ok(n) if buf[..n].iter().all(u8::is_ascii_whitespace) => {}
                _ => return false,
            }
        }
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.started {
            self.started = true;
            let mut got = 0;
            while got < 3 {
                match self.inner.read(&mut self.head[got..])? {
                    0 => break,
                    n => got += n,
                }
            }
            self.head_len = got;
            self.head_pos = if self.head[..got] == *b"\xEF\xBB\xBF" {
                3
            } else {
                0
            };
        }
        let n = if self.head_pos < self.head_len {
            let kept = &self.head[self.head_pos..self.head_len];
            let n = kept.len().min(buf.len());
            buf[..n].copy_from_slice(&kept[..n]);
            self.head_pos += n;
            n
        } else {
            self.inner.read(buf)?
        };
        self.note(&buf[..n]);
        Ok(n)
    }
}

impl<R> Lines<R> {
    fn note(&mut self, bytes: &[u8]) {
        for (i, b) in bytes.iter().enumerate() {
            match b {
                b'\n' => {
                    self.pending.push_back((self.offset + i as u64, self.blank));
                    self.blank = true;
                }
                b'\r' => {}
                _ => self.blank = false,
            }
        }
        self.offset += bytes.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that hands out at most one byte per read, as a slow pipe might.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((b, rest)), Some(slot)) => {
                    *slot = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn lines_and_problems(source: impl Read) -> (Vec<(String, usize)>, Vec<String>) {
        let mut rows = Vec::new();
        let problems = parse_from(Path::new("p.csv"), source, &mut |row| {
            rows.push((row.name, row.location.line.unwrap_or(0)))
        });
        let problems = problems.iter().map(|d| d.to_string()).collect();
        (rows, problems)
    }

    // A BOM, CRLF, a quoted field spanning two lines and a blank line; lines counted by hand.
    const FILE: &[u8] = b"\xEF\xBB\xBFname,email,timezone\r\n\
Ada,ada@example.org,Europe/London\r\n\
\"Bo\r\nB\",bo@example.org,Africa/Lagos\r\n\
\r\n\
Cy,cy@example.org,Asia/Tokyo\r\n";

    #[test]
    fn rows_keep_their_lines_whatever_the_reads() {
        let expected = vec![
            ("Ada".to_string(), 2),
            ("Bo\r\nB".to_string(), 3),
            ("Cy".to_string(), 6),
        ];
        assert_eq!(lines_and_problems(FILE), (expected.clone(), vec![]));
        assert_eq!(lines_and_problems(Trickle(FILE)), (expected, vec![]));
    }

    #[test]
    fn a_bad_row_after_a_split_bom_is_on_its_line() {
        let file = b"\xEF\xBB\xBFname,email,timezone\nAda,ada@example.org\n";
        let (rows, problems) = lines_and_problems(Trickle(file));
        assert!(rows.is_empty());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("error: p.csv:2: "), "{problems:?}");
    }

    #[test]
    fn whitespace_only_is_empty_but_a_blank_first_line_is_not() {
        let (_, problems) = lines_and_problems(Trickle(b"\xEF\xBB\xBF \r\n\t\n  "));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("the participants file is empty"),
            "{problems:?}"
        );
        let (_, problems) = lines_and_problems(&b" \nname,email,timezone\n"[..]);
        assert!(
            !problems.iter().any(|p| p.contains("empty")),
            "{problems:?}"
        );
    }
}
