//! The participants CSV, the form in which registration forms are exported.
//!
//! Columns are found by their header, in any order, compared without case, spaces or
//! punctuation, under their name or an alias ([`COLUMNS`]): `Email Address` (Google Forms),
//! `First Name` and `Last Name` (Eventbrite, Zoom), `Time zone`, `Country/Region`. Required:
//! a name (`name`, or a first and/or last name), `email` and `timezone`. Columns roundtable does
//! not read (the form's timestamp, the order number, other questions) are ignored, with one
//! warning naming them; two columns that mean the same thing are an error. A `country` column
//! (a name or an ISO 3166 code) is checked against the zone: a zone that neither lies in that
//! country nor keeps the clock of one of its zones is a warning ([`super::country`]).
//!
//! UTF-8 with or without a byte-order mark, LF or CRLF. Every bad row is reported.

use std::collections::VecDeque;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

use crate::error::{Diagnostic, Diagnostics, Location, MAX_ALIKE, did_you_mean};
use crate::jobs::Jobs;

/// What a column of the participants CSV gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The participant's name.
    Name,
    /// Their e-mail.
    Email,
    /// Their time zone.
    Timezone,
    /// Groups, separated by `;`.
    Groups,
    /// Working hours.
    WorkingHours,
    /// Night hours.
    Night,
    /// Weekend days, separated by `;`.
    Weekend,
    /// Busy calendar: a file, a web address or `env:NAME`.
    Busy,
    /// First (given) name: the name is the first and last names joined, when there is no name
    /// column.
    FirstName,
    /// Last (family) name.
    LastName,
    /// Country (a name or an ISO 3166 code), to check the zone against.
    Country,
    /// Must attend every planned session inside their hours (`yes`/`no`).
    Required,
    /// The language they read (a BCP 47 tag or a shipped language's name).
    Language,
}

/// A column roundtable reads: the header documented for it and the other headers that mean it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// What it gives.
    pub field: Field,
    /// Its header in the documentation and in suggestions (`working_hours`).
    pub name: &'static str,
    /// Other headers that mean it, as form tools write them; compared, like `name`, without
    /// case, spaces or punctuation ([`header_key`]).
    pub aliases: &'static [&'static str],
}

/// Every column roundtable reads, in the documented order. A new column is one more entry here
/// (and one more [`Field`] and [`Row`] field).
pub const COLUMNS: &[Column] = &[
    Column {
        field: Field::Name,
        name: "name",
        aliases: &[
            "Full name",
            "Your name",
            "Your full name",
            "Participant name",
            "Attendee name",
        ],
    },
    Column {
        field: Field::Email,
        name: "email",
        aliases: &[
            "E-mail",
            "Email address",
            "E-mail address",
            "Your email",
            "Your email address",
        ],
    },
    Column {
        field: Field::Timezone,
        name: "timezone",
        aliases: &[
            "Time zone",
            "TZ",
            "Time zone (IANA)",
            "IANA time zone",
            "Your time zone",
        ],
    },
    Column {
        field: Field::Groups,
        name: "groups",
        // Not `Group`: Eventbrite's export has a `Group` column (a group registration's name).
        aliases: &[],
    },
    Column {
        field: Field::WorkingHours,
        name: "working_hours",
        aliases: &["Work hours"],
    },
    Column {
        field: Field::Night,
        name: "night",
        aliases: &[],
    },
    Column {
        field: Field::Weekend,
        name: "weekend",
        aliases: &["Weekend days"],
    },
    Column {
        field: Field::Busy,
        name: "busy",
        aliases: &["Busy calendar"],
    },
    Column {
        field: Field::Required,
        name: "required",
        aliases: &["Must attend"],
    },
    Column {
        field: Field::Language,
        name: "language",
        aliases: &["Preferred language", "Your language", "Langue", "Idioma"],
    },
    Column {
        field: Field::FirstName,
        name: "first_name",
        aliases: &["First name", "Given name", "Forename"],
    },
    Column {
        field: Field::LastName,
        name: "last_name",
        aliases: &["Last name", "Surname", "Family name"],
    },
    Column {
        field: Field::Country,
        name: "country",
        aliases: &[
            "Country/Region",
            "Country or region",
            "Country/Region Name",
            "Home country",
            "Country of residence",
            "Your country",
        ],
    },
];

/// The header documented for the first columns, in the order of a new file.
const HEADER: &str = "name,email,timezone,groups,working_hours,night,weekend,busy";

/// A header as compared: lower case, letters and digits only (`Time Zone (IANA)` →
/// `timezoneiana`, `E-mail address` → `emailaddress`).
///
/// ```
/// use roundtable::programme::participants::header_key;
/// assert_eq!(header_key(" Time Zone (IANA) "), "timezoneiana");
/// assert_eq!(header_key("working_hours"), header_key("Working hours"));
/// ```
pub fn header_key(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every header roundtable reads, as compared ([`header_key`]), with its column.
fn known_headers() -> Vec<(String, &'static Column)> {
    COLUMNS
        .iter()
        .flat_map(|c| {
            std::iter::once(c.name)
                .chain(c.aliases.iter().copied())
                .map(move |h| (header_key(h), c))
        })
        .collect()
}

/// The column a header means, if any, among `known` ([`known_headers`]).
fn column_of(header: &str, known: &[(String, &'static Column)]) -> Option<&'static Column> {
    let key = header_key(header);
    known.iter().find(|(k, _)| *k == key).map(|(_, c)| *c)
}

/// The column of `field`.
fn column(field: Field) -> &'static Column {
    COLUMNS
        .iter()
        .find(|c| c.field == field)
        .unwrap_or(&COLUMNS[0])
}

/// Columns of form tools' exports that look like a column roundtable reads but mean something
/// else: never suggested as a misspelling (Eventbrite's `Attendee #` is a number and its `Group`
/// a group registration's name; Google Forms' `Timestamp` is when the form was sent).
const NOT_MISSPELT: &[&str] = &["Attendee #", "Group", "Timestamp"];

/// The documented column `header` is probably a misspelling of, among those not in the file.
fn misspelt(header: &str, taken: &[Option<(usize, String)>]) -> Option<&'static str> {
    let key = header_key(header);
    if key.is_empty() || NOT_MISSPELT.iter().any(|n| header_key(n) == key) {
        return None;
    }
    let mut candidates: Vec<(String, &'static str)> = Vec::new();
    for (c, slot) in COLUMNS.iter().zip(taken) {
        if slot.is_some() {
            continue;
        }
        candidates.push((header_key(c.name), c.name));
        candidates.extend(c.aliases.iter().map(|a| (header_key(a), c.name)));
    }
    let found = did_you_mean(&key, candidates.iter().map(|(k, _)| k.as_str()))?;
    candidates
        .iter()
        .find(|(k, _)| k == found)
        .map(|(_, name)| *name)
}

/// One data row, not yet validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The `name` cell, as written.
    pub name: String,
    /// The `email` cell, as written (checked later).
    pub email: String,
    /// The `timezone` cell, as written (resolved later).
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
    /// `required` (`yes`, `no`, …), when not empty.
    pub required: Option<String>,
    /// `language`, when not empty.
    pub language: Option<String>,
    /// The row's line in the file.
    pub location: Location,
}

/// Reads the CSV bytes of `file` (shown to the user as `file`), handing each good row to
/// `on_row` as it is read (nothing is kept). Returns every problem found, errors first, then
/// warnings; rows with problems are left out.
pub fn parse(file: &Path, bytes: &[u8], on_row: &mut dyn FnMut(Row)) -> Vec<Diagnostic> {
    parse_from(file, bytes, on_row)
}

/// [`parse`], reading from `source` as it goes: the file is never held whole.
pub fn parse_from(
    file: &Path,
    source: impl Read + Send,
    on_row: &mut dyn FnMut(Row),
) -> Vec<Diagnostic> {
    parse_with(file, source, Jobs::ONE, &|row| row, on_row)
}

/// Records read at a time: while the jobs threads make rows of one window, a thread reads the
/// next; what is held is two windows, not the file.
const WINDOW: usize = 2048;

/// Records a jobs thread takes at a time.
const CHUNK: usize = 256;

/// [`parse_from`] on up to `jobs` threads: each good row is turned into a `P` by `make` on a
/// jobs thread, and the `P`s are handed to `on_row` in the file's order, with every problem in
/// the order one thread would have found them.
pub fn parse_with<P: Send>(
    file: &Path,
    source: impl Read + Send,
    jobs: Jobs,
    make: &(dyn Fn(Row) -> P + Sync),
    on_row: &mut dyn FnMut(P),
) -> Vec<Diagnostic> {
    let mut diags = Diagnostics::new(file);
    let Some((mut source, columns)) = start(file, source, &mut diags) else {
        return diags.into_list();
    };
    let mut countries = Countries::default();
    // Records read before, their buffers used again (a record costs several allocations).
    let mut spare = Vec::new();
    let mut window = source.window(&mut spare);
    while !window.is_empty() {
        let work = |r: Range<usize>| {
            // The rows' locations share a path of their chunk's own: one shared by every
            // thread would have its count bounce between their caches at every row.
            let shared: std::sync::Arc<Path> = std::sync::Arc::from(file);
            window[r]
                .iter()
                .map(|e| made(e, &shared, &columns, make))
                .collect::<Vec<_>>()
        };
        let (next, made) = if source.done || jobs.get() == 1 {
            // Nothing left to read beside the rows, or one thread: no thread spawned.
            let made = if window.len() <= CHUNK || jobs.get() == 1 {
                vec![work(0..window.len())]
            } else {
                crate::jobs::map_chunks(jobs, window.len(), CHUNK, work)
            };
            (source.window(&mut spare), made)
        } else {
            let (source, spare) = (&mut source, &mut spare);
            crate::jobs::map_chunks_beside(
                jobs,
                move || source.window(spare),
                window.len(),
                CHUNK,
                work,
            )
        };
        for (entry, m) in window.into_iter().zip(made.into_iter().flatten()) {
            match entry {
                Entry::Problem(d) => diags.push(d),
                Entry::Record(record, _) => spare.push(record),
            }
            diags.extend(m.diags);
            if let Some(c) = m.country {
                let (location, timezone, country) = *c;
                countries.check(&columns, &location, &timezone, &country);
            }
            if let Some(p) = m.made {
                on_row(p);
            }
        }
        window = next;
    }
    diags.extend(countries.finish(file));
    diags.into_list()
}

/// The records after the header and the columns the header gives; `None` when the header says
/// the file cannot be read as participants (reported in `diags`).
fn start<'a, R: Read>(
    file: &'a Path,
    source: R,
    diags: &mut Diagnostics,
) -> Option<(Records<'a, R>, Columns)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(Lines::new(source));
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let line = line_of(&mut reader, &e);
            diags.push(csv_problem(file, &e, line));
            return None;
        }
    };
    if let Some(d) = header_shape_problem(file, &header, &mut reader) {
        diags.push(d);
        return None;
    }
    let columns = read_header(file, &header, diags)?;
    let records = Records {
        file,
        reader,
        done: false,
    };
    Some((records, columns))
}

/// A record as read: its cells and line, or the problem that kept it from being read.
enum Entry {
    Record(csv::ByteRecord, usize),
    Problem(Diagnostic),
}

/// What a jobs thread made of an [`Entry`]: the row's problems, its country to check against
/// its zone (location, zone, country), and what `make` made of the row when it is good.
struct Made<P> {
    diags: Vec<Diagnostic>,
    country: Option<Box<(Location, String, String)>>,
    made: Option<P>,
}

fn made<P>(
    entry: &Entry,
    file: &std::sync::Arc<Path>,
    columns: &Columns,
    make: &(dyn Fn(Row) -> P + Sync),
) -> Made<P> {
    let mut out = Made {
        diags: Vec::new(),
        country: None,
        made: None,
    };
    if let Entry::Record(record, line) = entry
        && let Some((row, country)) = row(
            record,
            columns,
            Location::in_file(file.clone(), *line),
            &mut out.diags,
        )
    {
        out.country = country.map(|c| Box::new((row.location.clone(), row.timezone.clone(), c)));
        out.made = Some(make(row));
    }
    out
}

/// The bytes and fields a record read from the CSV has room for at first.
const RECORD_BYTES: usize = 128;
const RECORD_FIELDS: usize = 8;

/// The records of the CSV after its header, read a window at a time.
struct Records<'a, R> {
    file: &'a Path,
    reader: csv::Reader<Lines<R>>,
    /// Whether the end of the file, or a problem that ends the reading, was met.
    done: bool,
}

impl<R: Read> Records<'_, R> {
    /// The next [`WINDOW`] records (fewer at the end; none once done), blank ones left out,
    /// read into the `spare` records first.
    fn window(&mut self, spare: &mut Vec<csv::ByteRecord>) -> Vec<Entry> {
        let mut window = Vec::new();
        while !self.done && window.len() < WINDOW {
            // Room for a typical row (about 80 bytes in 6 fields), so that reading it does not
            // grow the record's buffers a doubling at a time.
            let mut record = spare
                .pop()
                .unwrap_or_else(|| csv::ByteRecord::with_capacity(RECORD_BYTES, RECORD_FIELDS));
            match self.reader.read_byte_record(&mut record) {
                Ok(false) => self.done = true,
                Ok(true) => {
                    let line = record
                        .position()
                        .map_or(0, |p| self.reader.get_mut().line_of(p.byte()));
                    if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                        spare.push(record);
                    } else {
                        window.push(Entry::Record(record, line));
                    }
                }
                Err(e) => {
                    let (problem, go_on) = record_error(self.file, &mut self.reader, &record, &e);
                    window.push(Entry::Problem(problem));
                    self.done = !go_on;
                }
            }
        }
        window
    }
}

/// A header that says the file is no CSV of participants: empty, or separated by `;` or tabs.
fn header_shape_problem<R: Read>(
    file: &Path,
    header: &csv::StringRecord,
    reader: &mut csv::Reader<Lines<R>>,
) -> Option<Diagnostic> {
    if header
        .iter()
        .all(|h| h.bytes().all(|b| b.is_ascii_whitespace()))
        && reader.get_mut().rest_is_blank()
    {
        return Some(
            Diagnostic::error(Some(Location::file(file)), "the participants file is empty")
                .with_help(format!("start it with the header line `{HEADER}`")),
        );
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
        return Some(
            Diagnostic::error(
                Some(Location::at_line(file, 1)),
                format!("the columns are separated by {sep}, not commas"),
            )
            .with_help(
                "save the file as CSV with commas (in a spreadsheet: CSV UTF-8, comma-separated)",
            ),
        );
    }
    None
}

/// The problem of a record the CSV reader could not read, and whether reading goes on (a row
/// with the wrong number of fields is skipped; anything else, an unclosed quote included, ends
/// the read).
fn record_error<R: Read>(
    file: &Path,
    reader: &mut csv::Reader<Lines<R>>,
    record: &csv::ByteRecord,
    e: &csv::Error,
) -> (Diagnostic, bool) {
    let unequal = matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. });
    let unclosed = unequal && record.iter().any(|f| f.contains(&b'\n'));
    let line = line_of(reader, e);
    if unclosed {
        let line = line.unwrap_or(0);
        return (
            Diagnostic::error(Some(Location::at_line(file, line)), "a quote (\") opened on this line is never closed, so the rest of the file reads as one field")
                .with_help("close the quote, or write a quote inside a quoted field as \"\""),
            false,
        );
    }
    (csv_problem(file, e, line), unequal)
}

/// The cells of `record` per entry of [`COLUMNS`] (trimmed), and whether all were UTF-8 (those
/// that are not are reported).
fn cells(
    record: &csv::ByteRecord,
    columns: &Columns,
    location: &Location,
    diags: &mut Vec<Diagnostic>,
) -> (Cells, bool) {
    let mut cells: Cells = std::array::from_fn(|_| None);
    let mut row_ok = true;
    for (c, slot) in columns.index.iter().enumerate() {
        let Some((i, written)) = slot else { continue };
        let raw = record.get(*i).unwrap_or_default();
        match std::str::from_utf8(raw) {
            Ok(s) => cells[c] = Some(s.trim().to_string()),
            Err(_) => {
                row_ok = false;
                diags.push(
                    Diagnostic::error(
                        Some(location.clone()),
                        format!("column `{written}` is not valid UTF-8"),
                    )
                    .with_help("save the file as UTF-8 (in a spreadsheet: CSV UTF-8)"),
                );
            }
        }
    }
    (cells, row_ok)
}

/// A record's cells, per entry of [`COLUMNS`].
type Cells = [Option<String>; COLUMNS.len()];

/// One record as a [`Row`], with its country when one is given (to check against the zone);
/// `None` when a cell is not UTF-8 or a required one is empty (reported).
fn row(
    record: &csv::ByteRecord,
    columns: &Columns,
    location: Location,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Row, Option<String>)> {
    let (mut cells, mut row_ok) = self::cells(record, columns, &location, diags);
    let cell = |cells: &mut Cells, field: Field| {
        COLUMNS
            .iter()
            .position(|c| c.field == field)
            .and_then(|i| cells[i].take())
    };
    let name = match cell(&mut cells, Field::Name) {
        Some(name) => Some(name),
        None if columns.name_from_parts() => {
            let first = cell(&mut cells, Field::FirstName).unwrap_or_default();
            let last = cell(&mut cells, Field::LastName).unwrap_or_default();
            Some(
                [first, last]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }
        None => None,
    };
    let email = cell(&mut cells, Field::Email);
    let timezone = cell(&mut cells, Field::Timezone);
    for (field, value) in [
        (Field::Name, &name),
        (Field::Email, &email),
        (Field::Timezone, &timezone),
    ] {
        if value.as_deref().is_some_and(str::is_empty) {
            row_ok = false;
            let shown = columns.shown(field);
            diags.push(
                Diagnostic::error(Some(location.clone()), format!("{} empty", shown.1))
                    .with_help(format!("every participant needs a value in {}", shown.0)),
            );
        }
    }
    if !row_ok {
        return None;
    }
    let timezone = timezone.unwrap_or_default();
    let country = cell(&mut cells, Field::Country).filter(|c| !c.is_empty());
    let non_empty = |v: Option<String>| v.filter(|s| !s.is_empty());
    let list = |v: Option<String>| -> Vec<String> {
        v.unwrap_or_default()
            .split(';')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(String::from)
            .collect()
    };
    let row = Row {
        name: name.unwrap_or_default(),
        email: email.unwrap_or_default(),
        timezone,
        groups: list(cell(&mut cells, Field::Groups)),
        working_hours: non_empty(cell(&mut cells, Field::WorkingHours)),
        night: non_empty(cell(&mut cells, Field::Night)),
        weekend: non_empty(cell(&mut cells, Field::Weekend)).map(|w| list(Some(w))),
        busy: non_empty(cell(&mut cells, Field::Busy)),
        required: non_empty(cell(&mut cells, Field::Required)),
        language: non_empty(cell(&mut cells, Field::Language)),
        location,
    };
    Some((row, country))
}

/// Where each column is, from the header.
struct Columns {
    /// Per entry of [`COLUMNS`]: its position in the file and its header as written.
    index: Vec<Option<(usize, String)>>,
}

impl Columns {
    fn of(&self, field: Field) -> Option<&(usize, String)> {
        COLUMNS
            .iter()
            .position(|c| c.field == field)
            .and_then(|i| self.index[i].as_ref())
    }

    /// Whether the name is made of the first and last names (there is no name column).
    fn name_from_parts(&self) -> bool {
        self.of(Field::Name).is_none()
            && (self.of(Field::FirstName).is_some() || self.of(Field::LastName).is_some())
    }

    /// How to name the column(s) of `field` in a message: (`column \`X\``, `column \`X\` is`)
    /// or, for a name made of parts, (`columns \`First Name\` or \`Last Name\``,
    /// `columns \`First Name\` and \`Last Name\` are`).
    fn shown(&self, field: Field) -> (String, String) {
        if field == Field::Name && self.name_from_parts() {
            let parts: Vec<&str> = [Field::FirstName, Field::LastName]
                .into_iter()
                .filter_map(|f| self.of(f).map(|(_, w)| w.as_str()))
                .collect();
            match parts[..] {
                [first, last] => {
                    return (
                        format!("column `{first}` or `{last}`"),
                        format!("columns `{first}` and `{last}` are"),
                    );
                }
                [only] => return (format!("column `{only}`"), format!("column `{only}` is")),
                _ => {}
            }
        }
        let written = self
            .of(field)
            .map_or(column(field).name, |(_, w)| w.as_str());
        (
            format!("column `{written}`"),
            format!("column `{written}` is"),
        )
    }
}

/// Columns listed by name in the warning about ignored columns; the rest are counted.
const SHOWN_IGNORED: usize = 10;

/// Finds the columns in the header. Two columns meaning the same thing, and a missing required
/// column, are errors (`None`); the columns roundtable does not read are one warning.
fn read_header(
    file: &Path,
    header: &csv::StringRecord,
    diags: &mut Diagnostics,
) -> Option<Columns> {
    let place = || Some(Location::at_line(file, 1));
    let (columns, mut ignored, doubled) = match_columns(header);
    let failed = !doubled.is_empty() || !missing_columns(&columns).is_empty();
    for what in doubled {
        diags.push(Diagnostic::error(place(), what).with_help(
            "keep one of them: delete or rename the other (a column roundtable does not read is ignored)",
        ));
    }
    // A name column wins over first and last names: those are then not read.
    if columns.of(Field::Name).is_some() {
        for f in [Field::FirstName, Field::LastName] {
            if let Some((i, w)) = columns.of(f) {
                ignored.push((*i, w.as_str()));
            }
        }
        ignored.sort_unstable();
    }
    for f in missing_columns(&columns) {
        diags.push(missing_column(f, &columns, &ignored, place()));
    }
    if !ignored.is_empty() {
        diags.push(ignored_columns(&ignored, &columns, place()));
    }
    (!failed).then_some(columns)
}

/// Each header cell matched to the column it names: the columns found, the cells roundtable does
/// not read (position, header), and one message per column given twice.
fn match_columns(header: &csv::StringRecord) -> (Columns, Vec<(usize, &str)>, Vec<String>) {
    let mut index: Vec<Option<(usize, String)>> = vec![None; COLUMNS.len()];
    let mut ignored: Vec<(usize, &str)> = Vec::new();
    let mut doubled = Vec::new();
    let known = known_headers();
    for (i, written) in header.iter().enumerate() {
        let written = written.trim();
        let Some(c) = column_of(written, &known) else {
            ignored.push((i, written));
            continue;
        };
        let slot = COLUMNS.iter().position(|x| x.field == c.field).unwrap_or(0);
        match &index[slot] {
            Some((j, first)) if first == written => doubled.push(format!(
                "column `{written}` appears twice (columns {} and {})",
                j + 1,
                i + 1
            )),
            Some((j, first)) => doubled.push(format!(
                "columns `{first}` (column {}) and `{written}` (column {}) both give the {}",
                j + 1,
                i + 1,
                c.name
            )),
            None => index[slot] = Some((i, written.to_string())),
        }
    }
    (Columns { index }, ignored, doubled)
}

/// The required columns the header lacks: a name (or first and last names), email, timezone.
fn missing_columns(columns: &Columns) -> Vec<Field> {
    let mut missing = Vec::new();
    if columns.of(Field::Name).is_none()
        && columns.of(Field::FirstName).is_none()
        && columns.of(Field::LastName).is_none()
    {
        missing.push(Field::Name);
    }
    for f in [Field::Email, Field::Timezone] {
        if columns.of(f).is_none() {
            missing.push(f);
        }
    }
    missing
}

/// The error for a missing required column, with the ignored header it is probably misspelt as,
/// or the names it may be written under.
fn missing_column(
    f: Field,
    columns: &Columns,
    ignored: &[(usize, &str)],
    place: Option<Location>,
) -> Diagnostic {
    let c = column(f);
    let also = if f == Field::Name {
        " (or first and last names)"
    } else {
        ""
    };
    let mut accepted: Vec<&str> = vec![c.name];
    accepted.extend(c.aliases.iter().copied());
    if f == Field::Name {
        accepted.extend(column(Field::FirstName).aliases.iter().take(1));
        accepted.extend(column(Field::LastName).aliases.iter().take(1));
    }
    let guess = ignored.iter().find(|(_, w)| {
        misspelt(w, &columns.index) == Some(c.name)
            || (f == Field::Name
                && [Field::FirstName, Field::LastName]
                    .iter()
                    .any(|p| misspelt(w, &columns.index) == Some(column(*p).name)))
    });
    let others = accepted[1..]
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let help = match guess {
        Some((_, w)) => format!(
            "did you mean `{w}`? Rename it `{}` (also accepted: {others})",
            c.name
        ),
        None => format!(
            "a participants file needs at least the columns name (or first and last names), email and timezone (`name,email,timezone`); `{}` may also be written {others}",
            c.name
        ),
    };
    Diagnostic::error(place, format!("missing column `{}`{also}", c.name)).with_help(help)
}

/// The one warning that lists the columns roundtable does not read (the first
/// [`SHOWN_IGNORED`] by name, with a guess where one is probably misspelt).
fn ignored_columns(
    ignored: &[(usize, &str)],
    columns: &Columns,
    place: Option<Location>,
) -> Diagnostic {
    let named = ignored.iter().filter(|(_, w)| !w.is_empty()).count();
    let unnamed = ignored.len() - named;
    let mut list: Vec<String> = ignored
        .iter()
        .filter(|(_, w)| !w.is_empty())
        .take(SHOWN_IGNORED)
        .map(|(_, w)| match misspelt(w, &columns.index) {
            Some(m) => format!("`{w}` (did you mean `{m}`?)"),
            None => format!("`{w}`"),
        })
        .collect();
    if named > SHOWN_IGNORED {
        list.push(format!("and {} more", named - SHOWN_IGNORED));
    }
    if unnamed > 0 {
        list.push(format!(
            "{unnamed} column{} without a header",
            if unnamed > 1 { "s" } else { "" }
        ));
    }
    Diagnostic::warning(
        place,
        format!(
            "{} column{} ignored: {}",
            ignored.len(),
            if ignored.len() > 1 { "s" } else { "" },
            list.join(", ")
        ),
    )
    .with_help(format!(
        "roundtable reads {}; rename a column to have it read (headers are compared without case, spaces or punctuation; see docs/programme-format.md for the other names accepted)",
        COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
    ))
}

/// The `country` column's checks, at most [`MAX_ALIKE`] warnings of each kind kept, and the
/// answers already worked out.
#[derive(Default)]
struct Countries {
    memo: super::country::Memo,
    unknown: Vec<Diagnostic>,
    unknown_more: usize,
    misfits: Vec<Diagnostic>,
    misfits_more: usize,
}

impl Countries {
    fn check(&mut self, columns: &Columns, location: &Location, timezone: &str, country: &str) {
        let shown = columns.shown(Field::Country).0;
        let Some(code) = super::country::code(country) else {
            if self.unknown.len() >= MAX_ALIKE {
                self.unknown_more += 1;
                return;
            }
            self.unknown.push(
                Diagnostic::warning(
                    Some(location.clone()),
                    format!(
                        "{shown}: `{}` is not a country roundtable knows, so the zone is not checked against it",
                        country.escape_debug()
                    ),
                )
                .with_help("write the country's English name (`Côte d'Ivoire`, `Ivory Coast`) or its ISO 3166 code (`CI`)"),
            );
            return;
        };
        let Some(m) = self.memo.misfit(timezone, code) else {
            return;
        };
        if self.misfits.len() >= MAX_ALIKE {
            self.misfits_more += 1;
            return;
        }
        let country_name = super::country::name(code).unwrap_or(code);
        let where_zone = match m.zone_country {
            Some(c) => format!(" (it is in {})", super::country::name(c).unwrap_or(c)),
            None => String::new(),
        };
        let more = if m.zones > m.suggestions.len() {
            format!("; {} zones in all", m.zones)
        } else {
            String::new()
        };
        self.misfits.push(
            Diagnostic::warning(
                Some(location.clone()),
                format!(
                    "{shown} says {country_name}, but the time zone `{timezone}`{where_zone} keeps another clock than every zone of {country_name}"
                ),
            )
            .with_help(format!(
                "check the participant's time zone: {country_name} has {}{more}; if they live elsewhere, ignore this",
                m.suggestions
                    .iter()
                    .map(|z| format!("`{z}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }

    fn finish(self, file: &Path) -> Vec<Diagnostic> {
        let mut out = self.unknown;
        if self.unknown_more > 0 {
            out.push(Diagnostic::warning(
                Some(Location::file(file)),
                format!(
                    "... and {} more countries roundtable does not know",
                    self.unknown_more
                ),
            ));
        }
        out.extend(self.misfits);
        if self.misfits_more > 0 {
            out.push(Diagnostic::warning(
                Some(Location::file(file)),
                format!(
                    "... and {} more time zones that do not fit the participant's country",
                    self.misfits_more
                ),
            ));
        }
        out
    }
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
    /// Notes the newlines of `bytes` (the next bytes handed out), found with memchr; a line
    /// is blank while it has nothing but carriage returns, which most lines' first byte settles.
    fn note(&mut self, bytes: &[u8]) {
        let has_text = |part: &[u8]| part.iter().any(|&b| b != b'\r');
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', bytes) {
            if has_text(bytes.get(start..newline).unwrap_or_default()) {
                self.blank = false;
            }
            self.pending
                .push_back((self.offset + newline as u64, self.blank));
            self.blank = true;
            start = newline + 1;
        }
        if has_text(bytes.get(start..).unwrap_or_default()) {
            self.blank = false;
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

    fn lines_and_problems(source: impl Read + Send) -> (Vec<(String, usize)>, Vec<String>) {
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
    fn rows_and_problems_do_not_depend_on_the_jobs() {
        // Three windows and more, with bad rows on either side of each window's edge.
        let mut file = String::from("name,email,timezone,country\n");
        for i in 0..(2 * WINDOW + 300) {
            let line = match i % 997 {
                0 => format!("P{i},,Europe/Paris,\n"),
                1 => format!("P{i},p{i}@example.org,Asia/Tokyo,France\n"),
                2 => format!("P{i},p{i}@example.org,Europe/Paris,Atlantis,extra\n"),
                3 => "\n".to_string(),
                _ => format!("P{i},p{i}@example.org,Europe/Paris,\n"),
            };
            file.push_str(&line);
        }
        let run = |jobs: usize| {
            let jobs = Jobs::new(std::num::NonZeroUsize::new(jobs).unwrap());
            let mut rows = Vec::new();
            let problems = parse_with(
                Path::new("p.csv"),
                file.as_bytes(),
                jobs,
                &|row| (row.email, row.location.line),
                &mut |r| rows.push(r),
            );
            let problems: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
            (rows, problems)
        };
        let one = run(1);
        let good = (0..(2 * WINDOW + 300))
            .filter(|i| ![0, 2, 3].contains(&(i % 997)))
            .count();
        assert_eq!(one.0.len(), good);
        assert!(one.1.len() >= 9, "{:?}", one.1);
        assert_eq!(run(2), one);
        assert_eq!(run(3), one);
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
