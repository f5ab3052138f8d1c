//! The participants CSV, the form in which registration forms are exported.
//!
//! Header `name,email,timezone,groups,working_hours,night,weekend,busy` (columns in any order; all
//! but the first three optional), UTF-8 with or without a byte-order mark, LF or CRLF. Every bad row is reported.

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
    let mut problems = Vec::new();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        problems.push(
            Diagnostic::error(Some(Location::file(file)), "the participants file is empty")
                .with_help(format!(
                    "start it with the header line `{}`",
                    COLUMNS.join(",")
                )),
        );
        return problems;
    }
    // Line numbers from byte offsets: the csv crate's own line count is off by one on CRLF files.
    let newlines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_of = |byte: u64| newlines.partition_point(|&n| (n as u64) <= byte) + 1;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(csv_problem(file, &e, &line_of));
            return problems;
        }
    };
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
            None => {
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
                if unclosed {
                    let line = e.position().map_or(0, |p| line_of(p.byte()));
                    problems.push(
                        Diagnostic::error(Some(Location::at_line(file, line)), "a quote (\") opened on this line is never closed, so the rest of the file reads as one field")
                            .with_help("close the quote, or write a quote inside a quoted field as \"\""),
                    );
                    break;
                }
                problems.push(csv_problem(file, &e, &line_of));
                // An unequal row is reported and skipped; anything else ends the read.
                if matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    continue;
                }
                break;
            }
        }
        let line = record.position().map_or(0, |p| line_of(p.byte()));
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

fn csv_problem(file: &Path, e: &csv::Error, line_of: &dyn Fn(u64) -> usize) -> Diagnostic {
    let line = e.position().map(|p| line_of(p.byte()));
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
