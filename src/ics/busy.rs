//! Reading participants' existing calendars (`.ics` exported by Google Calendar, Outlook /
//! Exchange, Apple Calendar, Thunderbird, …) into busy intervals, for the conflict checker.
//!
//! [`read`] takes the bytes of one file and returns every busy interval overlapping a window, in
//! UTC, sorted by (start, end, uid). Anything wrong with the file is an [`Error::Invalid`] whose
//! diagnostics name the file and the physical (1-based) line of the offending content line, say
//! what is wrong and how to fix it; several problems are reported at once (at most 50).
//!
//! # What is read
//!
//! - **Lines**: CRLF, bare LF or bare CR line ends; a leading UTF-8 BOM; folded lines (a
//!   continuation starts with a space or a tab); parameters with quoted values
//!   (`TZID="W. Europe Standard Time"`, RFC 6868 `^'` `^n` `^^` decoded); SUMMARY unescaped
//!   (`\\` `\;` `\,` `\n` `\N`).
//! - **VEVENT** with DTSTART and DTEND, or DTSTART and DURATION, or DTSTART alone (a date blocks
//!   that day; a date-time gives a zero-length interval, which never clashes and is returned only
//!   when its instant lies in the window). A date DTEND equal to its DTSTART blocks that one day.
//! - **Times**: UTC (`…Z`); `TZID=` an IANA name (through [`ZoneSpec`]); `TZID=` a Windows name
//!   (`W. Europe Standard Time`, through CLDR's table in [`super::windows_zones`], also behind
//!   Outlook's `tzone://Microsoft/` prefix); `TZID=` any other name defined by a VTIMEZONE in the
//!   file (Outlook's `Customized Time Zone`, Apple's and others' custom names), interpreted from
//!   its STANDARD/DAYLIGHT observances (DTSTART, TZOFFSETFROM, TZOFFSETTO, RRULE, RDATE); then
//!   an IANA name behind a path prefix (`/freeassociation.sourceforge.net/Europe/Berlin`, as
//!   libical writes it) and a fixed offset [`ZoneSpec`] understands (`UTC+3`). So a VTIMEZONE
//!   is used only when its TZID is not an IANA or Windows name: the tz database is more
//!   trustworthy than an exporter's copy of it. A TZID that is none of these is an error naming
//!   it and its line (once per TZID, at its first use).
//! - **Floating** date-times and **all-day** dates are read in the participant's zone (`local`):
//!   an all-day event blocks [00:00 local of its first day, 00:00 local of the day after its
//!   last). `X-WR-TIMEZONE` is not used. Floating EXDATE, RDATE, DTEND values take the zone of
//!   their DTSTART (they are meant to match it); a floating RECURRENCE-ID takes that of its own
//!   VEVENT's DTSTART.
//! - **Local time → instant**: through [`crate::civil::resolve`] with
//!   [`Disambiguation::Compatible`] for IANA and fixed zones (RFC 5545 3.3.5: a time in a gap is
//!   read with the offset before the gap, i.e. moved forward; a repeated time is its first
//!   occurrence). For a VTIMEZONE-defined zone the same rule is applied to the zone's own
//!   transitions: each onset (an observance's DTSTART, RRULE occurrences and RDATEs, local times
//!   in TZOFFSETFROM) switches to TZOFFSETTO; before the first onset its TZOFFSETFROM holds; two
//!   onsets at the same instant leave STANDARD in force.
//! - **Recurrence**: RRULE (one or more; expanded in civil time in the DTSTART's zone with the
//!   `rrule` crate, as [`crate::recurrence`] does, then each start resolved as above; UNTIL in UTC
//!   is read in that zone). DTSTART is always an occurrence, as Google, Outlook and ical.js show
//!   it. RDATE (date-times, dates, periods `start/end` or `start/duration`; comma lists). EXDATE
//!   (comma lists; TZID, UTC, floating or DATE — a DATE excludes every occurrence on that local
//!   date). RECURRENCE-ID overrides (same UID): the master's occurrence whose start is the
//!   RECURRENCE-ID is dropped and the override counts on its own, with its own times (an
//!   override without DTEND/DURATION takes the master's length, without SUMMARY the master's).
//! - **Duration of occurrences**: a date-time DTEND gives every occurrence the exact duration
//!   DTEND − DTSTART (RFC 5545); dates and DURATION days/weeks are nominal (whole local days, so
//!   an all-day series stays on local midnights across DST), DURATION hours/minutes/seconds exact.
//! - **Not busy**: STATUS:CANCELLED, TRANSP:TRANSPARENT, X-MICROSOFT-CDO-BUSYSTATUS:FREE (on a
//!   master: the whole series; on an override: that occurrence). STATUS:TENTATIVE is busy.
//! - **VFREEBUSY**: FREEBUSY periods (`start/end` or `start/duration`, comma lists) with FBTYPE
//!   BUSY (the default), BUSY-TENTATIVE, BUSY-UNAVAILABLE or any unknown type (RFC 5545 says to
//!   treat those as BUSY); FBTYPE=FREE is skipped. Summary `busy (free/busy)`, uid the
//!   VFREEBUSY's UID or empty.
//! - **Ignored**: VTODO, VJOURNAL, VALARM, VAVAILABILITY, X- and other components; unknown
//!   properties; METHOD.
//!
//! An occurrence overridden twice keeps the override with the highest SEQUENCE (then the later
//! one); identical intervals (same start, end, summary and UID) are returned once.
//!
//! Not supported: RANGE=THISANDFUTURE (the override replaces only the one occurrence it names);
//! EXRULE; an RRULE on an override (ignored); floating times in `X-WR-TIMEZONE`.
//!
//! # Limits
//!
//! - [`MAX_BYTES`] (20 MiB): a larger file is an error naming the file and the limit.
//! - [`MAX_OCCURRENCES_PER_EVENT`] (5000) occurrences of one VEVENT overlapping the window;
//!   more is an error at the VEVENT's BEGIN line.
//! - A recurrence is expanded from its DTSTART up to the end of the window only; at most 100,000
//!   rule steps per RRULE (a daily event since 1750) and 1,000,000 per file, else an error.
//! - A VTIMEZONE observance's rule is expanded to two years past the window, at most 20,000
//!   onsets.
//! - Errors: invalid UTF-8, an empty file, a file that does not begin with BEGIN:VCALENDAR, a
//!   line that is not `NAME;PARAMS:value`, BEGIN/END that do not match, a component never closed
//!   (a truncated file: the error names the line of its BEGIN), unknown TZIDs, unreadable dates,
//!   durations, offsets and rules, DTEND before DTSTART.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use rrule::{RRule, Unvalidated};

use super::windows_zones;
use crate::civil::{Disambiguation, resolve};
use crate::error::{Diagnostic, Error, Location};
use crate::recurrence::{Rule, Until};
use crate::zone::{Zone, ZoneSpec, suggest};

/// One busy interval, half-open [start, end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy {
    /// First instant.
    pub start: DateTime<Utc>,
    /// First instant after it (equal to `start` for a zero-length event).
    pub end: DateTime<Utc>,
    /// SUMMARY, unescaped (empty when absent); `busy (free/busy)` for VFREEBUSY periods.
    pub summary: String,
    /// UID of the VEVENT or VFREEBUSY (empty when absent).
    pub uid: String,
}

/// A larger file is an error naming the file and the limit.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// The error for a busy calendar of `size` bytes, when it is over [`MAX_BYTES`] (callers may ask
/// before reading the file).
pub fn too_large(file: &Path, size: u64) -> Option<Diagnostic> {
    if size <= MAX_BYTES as u64 {
        return None;
    }
    let mib = |n: f64| n / (1024.0 * 1024.0);
    Some(
        Diagnostic::error(
            Some(Location::file(file)),
            format!(
                "the calendar is {:.1} MiB, over the limit of {:.0} MiB ({MAX_BYTES} bytes) for a busy calendar",
                mib(size as f64),
                mib(MAX_BYTES as f64)
            ),
        )
        .with_help(
            "export only the months around the programme (most calendar apps can export a date range), or split the file",
        ),
    )
}
/// At most this many occurrences of one VEVENT may overlap the window.
pub const MAX_OCCURRENCES_PER_EVENT: usize = 5000;

/// Rule steps (occurrences generated from DTSTART on, inside the window or not) per RRULE.
const MAX_RULE_STEPS: usize = 100_000;
/// Rule steps per file, VTIMEZONE observances included.
const MAX_FILE_STEPS: usize = 1_000_000;
/// Onsets per VTIMEZONE observance.
const MAX_ONSETS: usize = 20_000;
/// Diagnostics reported per file; the rest are counted.
const MAX_DIAGNOSTICS: usize = 50;
/// The summary of a VFREEBUSY period.
const FREEBUSY_SUMMARY: &str = "busy (free/busy)";

/// Reads `bytes` (the contents of `file`, used in messages). Floating times and all-day dates are
/// read in `local` (the participant's zone); an all-day event blocks the whole local day(s)
/// [00:00 local of DTSTART date, 00:00 local of DTEND date). Only intervals overlapping `window`
/// (half-open) are returned; recurring events are expanded only within the window. Sorted by
/// (start, end, uid).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use roundtable::ics::busy::read;
/// use roundtable::zone::ZoneSpec;
/// let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Dentist\r\n\
///            DTSTART;TZID=Europe/Paris:20240115T090000\r\nDURATION:PT1H\r\n\
///            END:VEVENT\r\nEND:VCALENDAR\r\n";
/// let sp: ZoneSpec = "America/Sao_Paulo".parse().unwrap();
/// let window = (Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
///               Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap());
/// let busy = read(std::path::Path::new("ana.ics"), ics.as_bytes(), &sp.zone, window).unwrap();
/// assert_eq!(busy[0].start, Utc.with_ymd_and_hms(2024, 1, 15, 8, 0, 0).unwrap()); // 09:00 CET
/// assert_eq!(busy[0].summary, "Dentist");
/// ```
pub fn read(
    file: &Path,
    bytes: &[u8],
    local: &Zone,
    window: (DateTime<Utc>, DateTime<Utc>),
) -> Result<Vec<Busy>, Error> {
    if let Some(d) = too_large(file, bytes.len() as u64) {
        return Err(Error::one(d));
    }
    let text = decode(file, bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::one(
            Diagnostic::error(Some(Location::file(file)), "the calendar file is empty")
                .with_help(
                    "export the calendar again as .ics; even a calendar without events has BEGIN:VCALENDAR and END:VCALENDAR",
                ),
        ));
    }
    let mut diags = Diags::new(file);
    let lines = unfold(text, &mut diags);
    let top = build_tree(&lines, &mut diags);
    if !diags.list.is_empty() {
        return Err(Error::Invalid(diags.finish()));
    }
    let mut reader = Reader::new(diags, *local, window, &top);
    let mut out = Vec::new();
    reader.read_all(&top, &mut out);
    let diags = reader.diags;
    if !diags.list.is_empty() {
        return Err(Error::Invalid(diags.finish()));
    }
    out.sort_by(|a, b| {
        (a.start, a.end, &a.uid, &a.summary).cmp(&(b.start, b.end, &b.uid, &b.summary))
    });
    // The same event twice (a file merged from two exports) is one busy interval.
    out.dedup();
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

struct Diags<'f> {
    file: &'f Path,
    list: Vec<Diagnostic>,
    dropped: usize,
}

impl<'f> Diags<'f> {
    fn new(file: &'f Path) -> Self {
        Diags {
            file,
            list: Vec::new(),
            dropped: 0,
        }
    }

    fn err(&mut self, line: usize, message: impl Into<String>, help: impl Into<String>) {
        if self.list.len() >= MAX_DIAGNOSTICS {
            self.dropped += 1;
            return;
        }
        self.list.push(
            Diagnostic::error(Some(Location::at_line(self.file, line)), message).with_help(help),
        );
    }

    fn finish(mut self) -> Vec<Diagnostic> {
        if self.dropped > 0 {
            self.list.push(
                Diagnostic::error(
                    Some(Location::file(self.file)),
                    format!("{} more problems in this file are not shown", self.dropped),
                )
                .with_help("fix the problems above and run again"),
            );
        }
        self.list
    }
}

/// A short, printable excerpt of a line for messages.
fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(60).filter(|c| !c.is_control()).collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Bytes → lines

/// The physical lines of `bytes`: split at LF (a CR before it dropped), or at CR when the file
/// has no LF at all.
fn physical_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let sep = if bytes.contains(&b'\n') { b'\n' } else { b'\r' };
    bytes
        .split(move |b| *b == sep)
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect()
}

fn decode<'b>(file: &Path, bytes: &'b [u8]) -> Result<&'b str, Error> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text);
    }
    const SHOWN: usize = 5;
    let mut diags = Vec::new();
    let mut bad = 0usize;
    for (i, line) in physical_lines(bytes).into_iter().enumerate() {
        let Err(e) = std::str::from_utf8(line) else {
            continue;
        };
        bad += 1;
        if diags.len() < SHOWN {
            let valid = line.get(..e.valid_up_to()).unwrap_or_default();
            let column = String::from_utf8_lossy(valid).chars().count() + 1;
            let byte = line.get(e.valid_up_to()).copied().unwrap_or_default();
            diags.push(
                Diagnostic::error(
                    Some(Location::at_line(file, i + 1)),
                    format!("this line is not valid UTF-8 (byte 0x{byte:02X} at column {column})"),
                )
                .with_help(
                    "iCalendar files are UTF-8: export the calendar again, or convert the file (an older program may have written Windows-1252 or Latin-1: `iconv -f WINDOWS-1252 -t UTF-8 in.ics > out.ics`)",
                ),
            );
        }
    }
    if bad > SHOWN {
        diags.push(
            Diagnostic::error(
                Some(Location::file(file)),
                format!("{} more lines are not valid UTF-8", bad - SHOWN),
            )
            .with_help("convert the whole file to UTF-8"),
        );
    }
    if diags.is_empty() {
        // Unreachable in practice (an invalid file has an invalid line), but never unlocated.
        diags.push(
            Diagnostic::error(Some(Location::file(file)), "the file is not valid UTF-8")
                .with_help("convert the file to UTF-8"),
        );
    }
    Err(Error::Invalid(diags))
}

/// Logical lines (unfolded), each with the physical line it starts on. Blank lines are skipped.
fn unfold<'t>(text: &'t str, diags: &mut Diags<'_>) -> Vec<(usize, Cow<'t, str>)> {
    let sep = if text.contains('\n') { '\n' } else { '\r' };
    let mut out: Vec<(usize, Cow<'t, str>)> = Vec::new();
    for (i, raw) in text.split(sep).enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let number = i + 1;
        if line.starts_with([' ', '\t']) {
            let rest = line.get(1..).unwrap_or_default();
            match out.last_mut() {
                Some((_, last)) => last.to_mut().push_str(rest),
                None if rest.trim().is_empty() => {}
                None => diags.err(
                    number,
                    "the file begins with a continuation line (it starts with a space or a tab)",
                    "remove the leading space: the first line of a calendar is BEGIN:VCALENDAR",
                ),
            }
        } else if !line.trim().is_empty() {
            out.push((number, Cow::Borrowed(line)));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Content lines and components

/// A content line. Its text is borrowed from the file wherever it can be (names already in
/// upper case, values, parameters without quoting): a calendar of thousands of events is read
/// without an allocation per line.
#[derive(Debug)]
struct Prop<'t> {
    line: usize,
    /// Upper-case.
    name: Cow<'t, str>,
    /// Names upper-case; values as written (quotes removed, RFC 6868 decoded).
    params: Vec<(Cow<'t, str>, Vec<Cow<'t, str>>)>,
    value: &'t str,
}

impl Prop<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.first())
            .map(|v| v.as_ref())
    }
}

#[derive(Debug)]
struct Comp<'t> {
    /// Upper-case.
    name: Cow<'t, str>,
    /// The line of its BEGIN.
    line: usize,
    props: Vec<Prop<'t>>,
    children: Vec<Comp<'t>>,
}

/// `text` in ASCII upper case, borrowed when it already is.
fn upper(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(text.to_ascii_uppercase())
    } else {
        Cow::Borrowed(text)
    }
}

impl<'t> Comp<'t> {
    fn prop(&self, name: &str) -> Option<&Prop<'t>> {
        self.props.iter().find(|p| p.name == name)
    }

    fn props<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Prop<'t>> + 's {
        self.props.iter().filter(move |p| p.name == name)
    }

    /// The value of a property, trimmed and upper-case (for enumerated values).
    fn word(&self, name: &str) -> Option<String> {
        self.prop(name).map(|p| p.value.trim().to_ascii_uppercase())
    }
}

fn decode_param(value: &str) -> Cow<'_, str> {
    if !value.contains('^') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '^' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('N') => out.push('\n'),
            Some('\'') => out.push('"'),
            Some('^') => out.push('^'),
            Some(other) => {
                out.push('^');
                out.push(other);
            }
            None => out.push('^'),
        }
    }
    Cow::Owned(out)
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// `NAME *(;PARAM=VALUE *(,VALUE)) : value`.
fn parse_content_line(text: &str, line: usize) -> Result<Prop<'_>, String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while bytes.get(i).is_some_and(|b| is_name_byte(*b)) {
        i += 1;
    }
    let name = text.get(..i).unwrap_or_default();
    if name.is_empty() {
        return Err(format!(
            "`{}` is not an iCalendar content line (NAME:value)",
            excerpt(text)
        ));
    }
    let mut params = Vec::new();
    loop {
        match bytes.get(i) {
            Some(b':') => {
                return Ok(Prop {
                    line,
                    name: upper(name),
                    params,
                    value: text.get(i + 1..).unwrap_or_default(),
                });
            }
            Some(b';') => {
                i += 1;
                let start = i;
                while bytes.get(i).is_some_and(|b| is_name_byte(*b)) {
                    i += 1;
                }
                let pname = text.get(start..i).unwrap_or_default();
                if pname.is_empty() || bytes.get(i) != Some(&b'=') {
                    return Err(format!(
                        "property {name} has a parameter without `NAME=value` (`{}`)",
                        excerpt(text)
                    ));
                }
                i += 1;
                let mut values = Vec::new();
                loop {
                    if bytes.get(i) == Some(&b'"') {
                        let start = i + 1;
                        let Some(len) = text.get(start..).and_then(|s| s.find('"')) else {
                            return Err(format!(
                                "parameter {pname} of {name} opens a quote that is never closed"
                            ));
                        };
                        values.push(decode_param(
                            text.get(start..start + len).unwrap_or_default(),
                        ));
                        i = start + len + 1;
                    } else {
                        let start = i;
                        while bytes
                            .get(i)
                            .is_some_and(|b| !matches!(b, b',' | b';' | b':' | b'"'))
                        {
                            i += 1;
                        }
                        values.push(decode_param(text.get(start..i).unwrap_or_default()));
                    }
                    if bytes.get(i) == Some(&b',') {
                        i += 1;
                    } else {
                        break;
                    }
                }
                params.push((upper(pname), values));
            }
            _ => {
                return Err(format!(
                    "`{}` is not an iCalendar content line (NAME:value): no `:` after {name}",
                    excerpt(text)
                ));
            }
        }
    }
}

/// The components of the file (each a VCALENDAR when the file is valid).
fn build_tree<'t>(lines: &'t [(usize, Cow<'_, str>)], diags: &mut Diags<'_>) -> Vec<Comp<'t>> {
    let mut top: Vec<Comp> = Vec::new();
    let mut stack: Vec<Comp> = Vec::new();
    let last_line = lines.last().map_or(1, |(n, _)| *n);
    let help_line = "a line that continues the previous one must begin with a space or a tab; otherwise fix or remove the line";
    let mut first = true;
    for (number, text) in lines {
        let number = *number;
        let prop = match parse_content_line(text, number) {
            Ok(p) => p,
            Err(message) => {
                if first {
                    diags.err(
                        number,
                        format!(
                            "this is not an iCalendar file: it should begin with BEGIN:VCALENDAR, not `{}`",
                            excerpt(text)
                        ),
                        "export the calendar as .ics (iCalendar) from the calendar app",
                    );
                    return top;
                }
                diags.err(number, message, help_line);
                continue;
            }
        };
        if first {
            first = false;
            if !(prop.name == "BEGIN" && prop.value.trim().eq_ignore_ascii_case("VCALENDAR")) {
                diags.err(
                    number,
                    format!(
                        "this is not an iCalendar file: it should begin with BEGIN:VCALENDAR, not `{}`",
                        excerpt(text)
                    ),
                    "export the calendar as .ics (iCalendar) from the calendar app",
                );
                return top;
            }
        }
        match &*prop.name {
            "BEGIN" => {
                let name = upper(prop.value.trim());
                if name.is_empty() {
                    diags.err(
                        number,
                        "BEGIN without a component name",
                        "write BEGIN:VEVENT, BEGIN:VTIMEZONE, …",
                    );
                    continue;
                }
                if stack.is_empty() && name != "VCALENDAR" {
                    diags.err(
                        number,
                        format!("BEGIN:{name} outside BEGIN:VCALENDAR … END:VCALENDAR"),
                        "every component of a calendar file sits inside BEGIN:VCALENDAR and END:VCALENDAR",
                    );
                }
                stack.push(Comp {
                    name,
                    line: number,
                    props: Vec::new(),
                    children: Vec::new(),
                });
            }
            "END" => {
                let name = upper(prop.value.trim());
                let Some(pos) = stack.iter().rposition(|c| c.name == name) else {
                    diags.err(
                        number,
                        format!("END:{name} without a matching BEGIN:{name}"),
                        format!("remove this line, or add the missing BEGIN:{name} above it"),
                    );
                    continue;
                };
                while stack.len() > pos + 1 {
                    if let Some(open) = stack.pop() {
                        diags.err(
                            open.line,
                            format!(
                                "BEGIN:{} on this line is never closed: END:{name} on line {number} comes first",
                                open.name
                            ),
                            format!("add END:{} before line {number}", open.name),
                        );
                    }
                }
                if let Some(done) = stack.pop() {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => top.push(done),
                    }
                }
            }
            _ => match stack.last_mut() {
                Some(c) => c.props.push(prop),
                None => diags.err(
                    number,
                    format!("{} outside BEGIN:VCALENDAR … END:VCALENDAR", prop.name),
                    "remove the line, or move it inside the calendar",
                ),
            },
        }
    }
    while let Some(open) = stack.pop() {
        diags.err(
            open.line,
            format!(
                "BEGIN:{} on this line is never closed: the file ends (line {last_line}) without END:{}",
                open.name, open.name
            ),
            format!(
                "the file looks truncated: export the calendar again, or add the missing END:{} line",
                open.name
            ),
        );
    }
    top
}

// ---------------------------------------------------------------------------------------------
// Values

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dt {
    Date(NaiveDate),
    /// Civil date-time, and whether it ends in `Z` (UTC).
    Time(NaiveDateTime, bool),
}

fn digits(s: &str, from: usize, to: usize) -> Option<u32> {
    let t = s.get(from..to)?;
    if t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok()
    } else {
        None
    }
}

/// `20240115`, `20240115T090000`, `20240115T080000Z`.
fn parse_dt(text: &str) -> Option<Dt> {
    let s = text.trim();
    let b = s.as_bytes();
    let date = |s: &str| {
        NaiveDate::from_ymd_opt(
            i32::try_from(digits(s, 0, 4)?).ok()?,
            digits(s, 4, 6)?,
            digits(s, 6, 8)?,
        )
    };
    match b.len() {
        8 => date(s).map(Dt::Date),
        15 | 16 => {
            if !matches!(b.get(8), Some(b'T' | b't')) {
                return None;
            }
            let utc = b.len() == 16;
            if utc && !matches!(b.get(15), Some(b'Z' | b'z')) {
                return None;
            }
            let time =
                NaiveTime::from_hms_opt(digits(s, 9, 11)?, digits(s, 11, 13)?, digits(s, 13, 15)?)?;
            Some(Dt::Time(date(s)?.and_time(time), utc))
        }
        _ => None,
    }
}

const DT_HELP: &str = "write a date as 20240115, a local time as 20240115T090000 (with TZID=… or floating), a UTC time as 20240115T080000Z";

/// A duration: nominal days (weeks and days) and an exact part (hours, minutes, seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dur {
    negative: bool,
    days: i64,
    exact: TimeDelta,
}

/// `P1W`, `P2D`, `PT1H30M`, `P1DT12H`, `-PT15M`.
fn parse_duration(text: &str) -> Option<Dur> {
    let s = text.trim();
    let (negative, rest) = match s.as_bytes().first()? {
        b'-' => (true, s.get(1..)?),
        b'+' => (false, s.get(1..)?),
        _ => (false, s),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let mut days: i64 = 0;
    let mut seconds: i64 = 0;
    let mut in_time = false;
    let mut number = String::new();
    let mut any = false;
    for c in rest.chars() {
        if c.is_ascii_digit() {
            if number.len() >= 9 {
                return None;
            }
            number.push(c);
            continue;
        }
        let c = c.to_ascii_uppercase();
        if c == 'T' {
            if in_time || !number.is_empty() {
                return None;
            }
            in_time = true;
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        any = true;
        match (in_time, c) {
            (false, 'W') => days = days.checked_add(n.checked_mul(7)?)?,
            (false, 'D') => days = days.checked_add(n)?,
            (true, 'H') => seconds = seconds.checked_add(n.checked_mul(3600)?)?,
            (true, 'M') => seconds = seconds.checked_add(n.checked_mul(60)?)?,
            (true, 'S') => seconds = seconds.checked_add(n)?,
            _ => return None,
        }
    }
    if !number.is_empty() || !any {
        return None;
    }
    Some(Dur {
        negative,
        days,
        exact: TimeDelta::try_seconds(seconds)?,
    })
}

const DURATION_HELP: &str =
    "write a duration as PT1H30M, P1D, P2W or P1DT2H (RFC 5545), not negative";

/// `+0100`, `-0330`, `+053000` (a `:` is tolerated).
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let s = text.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, s.get(1..)?),
        b'-' => (-1, s.get(1..)?),
        _ => return None,
    };
    let d: String = rest.chars().filter(|c| *c != ':').collect();
    if !(d.len() == 4 || d.len() == 6) {
        return None;
    }
    let h = digits(&d, 0, 2)?;
    let m = digits(&d, 2, 4)?;
    let sec = if d.len() == 6 { digits(&d, 4, 6)? } else { 0 };
    if m >= 60 || sec >= 60 {
        return None;
    }
    FixedOffset::east_opt(sign * i32::try_from(h * 3600 + m * 60 + sec).ok()?)
}

/// TEXT unescaping: `\\` `\;` `\,` `\n` `\N`; any other escaped character stands for itself.
fn unescape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Zones

/// What a local time is relative to.
#[derive(Debug, Clone, Copy)]
enum Tref {
    Utc,
    /// An IANA zone or a fixed offset (resolved by [`crate::civil::resolve`]).
    Zone(Zone),
    /// A zone defined by a VTIMEZONE of the file: index into `Reader::customs`.
    Custom(usize),
}

/// A zone read from a VTIMEZONE: its offset changes, sorted.
#[derive(Debug, Clone)]
struct CustomZone {
    /// The offset before the first change.
    initial: FixedOffset,
    /// (first instant of the new offset, new offset).
    changes: Vec<(DateTime<Utc>, FixedOffset)>,
}

impl CustomZone {
    fn offset_at(&self, t: DateTime<Utc>) -> FixedOffset {
        let i = self.changes.partition_point(|(at, _)| *at <= t);
        match i.checked_sub(1).and_then(|j| self.changes.get(j)) {
            Some((_, o)) => *o,
            None => self.initial,
        }
    }

    /// Civil → instant with the compatible rule: a repeated time is its first occurrence, a
    /// skipped time is read with the offset before the gap.
    fn resolve(&self, civil: NaiveDateTime) -> Option<DateTime<Utc>> {
        let at = |o: FixedOffset| {
            civil
                .checked_sub_signed(TimeDelta::try_seconds(i64::from(o.local_minus_utc()))?)
                .map(|c| c.and_utc())
        };
        let guess = civil.and_utc();
        let margin = TimeDelta::try_days(2)?;
        let lo = guess.checked_sub_signed(margin)?;
        let hi = guess.checked_add_signed(margin)?;
        let before = self.offset_at(lo);
        let after = self.offset_at(hi);
        let from = self.changes.partition_point(|(t, _)| *t < lo);
        let to = self.changes.partition_point(|(t, _)| *t <= hi);
        let mut candidates = vec![before, after];
        candidates.extend(
            self.changes
                .get(from..to)
                .unwrap_or_default()
                .iter()
                .map(|(_, o)| *o),
        );
        let valid = candidates
            .iter()
            .filter_map(|o| at(*o).filter(|t| self.offset_at(*t) == *o))
            .min();
        match valid {
            Some(t) => Some(t),
            None => {
                // A gap: the offset before it gives the later instant (the time moved forward).
                let (x, y) = (at(before)?, at(after)?);
                Some(x.max(y))
            }
        }
    }
}

/// A key matching an occurrence: its start instant, or (for a DATE value) its local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Instant(DateTime<Utc>),
    Date(NaiveDate),
}

impl Key {
    fn matches(&self, start: DateTime<Utc>, civil: NaiveDateTime) -> bool {
        match self {
            Key::Instant(i) => *i == start,
            Key::Date(d) => civil.date() == *d,
        }
    }
}

/// A local time with what it is relative to.
#[derive(Debug, Clone, Copy)]
struct When {
    civil: NaiveDateTime,
    tref: Tref,
    /// A DATE value (all-day).
    date: bool,
}

/// How long each occurrence lasts.
#[derive(Debug, Clone, Copy)]
enum Length {
    /// The same elapsed time.
    Exact(TimeDelta),
    /// Whole local days, then an elapsed time.
    Nominal { days: i64, exact: TimeDelta },
}

/// DTSTART and length of a VEVENT.
struct Timing {
    start: When,
    length: Length,
}

// ---------------------------------------------------------------------------------------------
// Events

struct Reader<'a, 'f> {
    diags: Diags<'f>,
    local: Zone,
    window: (DateTime<Utc>, DateTime<Utc>),
    /// No occurrence starting after this civil time can overlap the window, in any zone.
    bound: NaiveDateTime,
    /// VTIMEZONE rules are expanded up to this civil time.
    zone_bound: NaiveDateTime,
    vtimezones: HashMap<&'a str, &'a Comp<'a>>,
    zones: HashMap<String, Option<Tref>>,
    customs: Vec<CustomZone>,
    steps: usize,
}

fn ignored(c: &Comp) -> bool {
    c.word("STATUS").as_deref() == Some("CANCELLED")
        || c.word("TRANSP").as_deref() == Some("TRANSPARENT")
        || c.word("X-MICROSOFT-CDO-BUSYSTATUS").as_deref() == Some("FREE")
}

fn uid_of(c: &Comp) -> String {
    c.prop("UID")
        .map(|p| p.value.trim().to_string())
        .unwrap_or_default()
}

impl<'a, 'f> Reader<'a, 'f> {
    fn new(
        diags: Diags<'f>,
        local: Zone,
        window: (DateTime<Utc>, DateTime<Utc>),
        top: &'a [Comp],
    ) -> Self {
        let end = window.1.naive_utc();
        let after = |days| {
            TimeDelta::try_days(days)
                .and_then(|d| end.checked_add_signed(d))
                .unwrap_or(NaiveDateTime::MAX)
        };
        let mut vtimezones = HashMap::new();
        for cal in top {
            for c in cal.children.iter().filter(|c| c.name == "VTIMEZONE") {
                if let Some(p) = c.prop("TZID") {
                    vtimezones.entry(p.value.trim()).or_insert(c);
                }
            }
        }
        Reader {
            diags,
            local,
            window,
            bound: after(2),
            zone_bound: after(800),
            vtimezones,
            zones: HashMap::new(),
            customs: Vec::new(),
            steps: 0,
        }
    }

    fn read_all(&mut self, top: &'a [Comp], out: &mut Vec<Busy>) {
        let mut masters: Vec<&Comp> = Vec::new();
        let mut overrides: Vec<&Comp> = Vec::new();
        for cal in top {
            for c in &cal.children {
                match &*c.name {
                    "VEVENT" if c.prop("RECURRENCE-ID").is_some() => overrides.push(c),
                    "VEVENT" => masters.push(c),
                    "VFREEBUSY" => self.freebusy(c, out),
                    _ => {}
                }
            }
        }
        // Which occurrences of which series the overrides replace. When the same occurrence is
        // overridden twice (a file merged from two exports), the highest SEQUENCE wins, then the
        // later in the file.
        let mut replaced: HashMap<String, Vec<Key>> = HashMap::new();
        let mut latest: HashMap<(String, Key), (i64, usize)> = HashMap::new();
        let mut keyed: Vec<(usize, &Comp, String, Key)> = Vec::new();
        for (i, c) in overrides.iter().enumerate() {
            let Some(key) = self.recurrence_id(c) else {
                continue;
            };
            let uid = uid_of(c);
            let sequence = c
                .prop("SEQUENCE")
                .and_then(|p| p.value.trim().parse::<i64>().ok())
                .unwrap_or(0);
            let best = latest.entry((uid.clone(), key)).or_insert((sequence, i));
            if (sequence, i) >= *best {
                *best = (sequence, i);
            }
            replaced.entry(uid.clone()).or_default().push(key);
            keyed.push((i, c, uid, key));
        }
        let mut series: HashMap<String, (Length, String)> = HashMap::new();
        for c in masters {
            if ignored(c) {
                continue;
            }
            let uid = uid_of(c);
            let summary = c
                .prop("SUMMARY")
                .map(|p| unescape_text(p.value))
                .unwrap_or_default();
            let keys = replaced.get(&uid).map_or(&[][..], Vec::as_slice);
            if let Some(length) = self.master(c, &uid, &summary, keys, out) {
                series.entry(uid).or_insert((length, summary));
            }
        }
        for (i, c, uid, key) in keyed {
            let superseded = latest
                .get(&(uid.clone(), key))
                .is_some_and(|(_, best)| *best != i);
            if superseded || ignored(c) {
                continue;
            }
            let master = series.get(&uid);
            let summary = match c.prop("SUMMARY") {
                Some(p) => unescape_text(p.value),
                None => master.map(|m| m.1.clone()).unwrap_or_default(),
            };
            let Some(t) = self.timing(c, master.map(|m| m.0)) else {
                continue;
            };
            let Some(start) = self.instant_at(t.start.civil, t.start.tref, c.line) else {
                continue;
            };
            let Some(end) = self.end_of(t.start.civil, start, t.start.tref, t.length, c.line)
            else {
                continue;
            };
            if self.overlaps(start, end) {
                out.push(Busy {
                    start,
                    end,
                    summary,
                    uid,
                });
            }
        }
    }

    fn overlaps(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        let (from, to) = self.window;
        if from >= to {
            return false;
        }
        if start == end {
            from <= start && start < to
        } else {
            start < to && end > from
        }
    }

    // --- zones -------------------------------------------------------------------------------

    fn tzid(&mut self, tzid: &str, line: usize) -> Option<Tref> {
        if let Some(known) = self.zones.get(tzid) {
            return *known;
        }
        let resolved = self.resolve_tzid(tzid, line);
        self.zones.insert(tzid.to_string(), resolved);
        resolved
    }

    fn resolve_tzid(&mut self, tzid: &str, line: usize) -> Option<Tref> {
        let name = tzid.trim();
        if let Ok(spec) = ZoneSpec::from_str(name)
            && matches!(spec.zone, Zone::Iana(_))
        {
            return Some(Tref::Zone(spec.zone));
        }
        let windows = name.strip_prefix("tzone://Microsoft/").unwrap_or(name);
        if let Some(iana) = windows_zones::lookup(windows)
            && let Ok(spec) = ZoneSpec::from_str(iana)
        {
            return Some(Tref::Zone(spec.zone));
        }
        if let Some(comp) = self.vtimezones.get(name).copied() {
            let zone = self.custom_zone(comp, name)?;
            self.customs.push(zone);
            return Some(Tref::Custom(self.customs.len() - 1));
        }
        // Without a VTIMEZONE, a prefixed IANA name as libical and old Mozilla builds write it
        // (`/freeassociation.sourceforge.net/Europe/Berlin`, `/mozilla.org/20050126_1/Europe/Berlin`).
        for (i, _) in name.match_indices('/') {
            if let Some(tail) = name.get(i + 1..)
                && tail.contains('/')
                && let Ok(tz) = chrono_tz::Tz::from_str(tail)
            {
                return Some(Tref::Zone(Zone::Iana(tz)));
            }
        }
        if let Ok(spec) = ZoneSpec::from_str(name) {
            return Some(Tref::Zone(spec.zone));
        }
        let mut help = "define it with a VTIMEZONE block in the file (export the calendar again with its time zones), or write an IANA name such as Europe/Paris or a Windows name such as W. Europe Standard Time".to_string();
        if let Some(s) = suggest(name, 1).first() {
            help = format!("did you mean `{s}`? Otherwise {help}");
        }
        self.diags.err(
            line,
            format!(
                "unknown time zone TZID=\"{}\": not an IANA name, not a Windows zone name, and no VTIMEZONE in the file defines it",
                excerpt(tzid)
            ),
            help,
        );
        None
    }

    /// Interprets a VTIMEZONE.
    fn custom_zone(&mut self, comp: &Comp, tzid: &str) -> Option<CustomZone> {
        // (instant, rank: DAYLIGHT 0 before STANDARD 1 at the same instant, from, to)
        let mut onsets: Vec<(DateTime<Utc>, u8, FixedOffset, FixedOffset)> = Vec::new();
        let mut ok = true;
        let mut observances = 0;
        for obs in &comp.children {
            let rank = match &*obs.name {
                "DAYLIGHT" => 0,
                "STANDARD" => 1,
                _ => continue,
            };
            observances += 1;
            let offset = |this: &mut Self, name: &str| -> Option<Option<FixedOffset>> {
                let Some(p) = obs.prop(name) else {
                    return Some(None);
                };
                match parse_offset(p.value) {
                    Some(o) => Some(Some(o)),
                    None => {
                        this.diags.err(
                            p.line,
                            format!("{name} `{}` is not a UTC offset", excerpt(p.value)),
                            "write an offset as +0100, -0330 or +053000",
                        );
                        None
                    }
                }
            };
            let (Some(to), Some(from)) = (offset(self, "TZOFFSETTO"), offset(self, "TZOFFSETFROM"))
            else {
                ok = false;
                continue;
            };
            let Some(to) = to else {
                self.diags.err(
                    obs.line,
                    format!("{} of VTIMEZONE {tzid} has no TZOFFSETTO", obs.name),
                    "add TZOFFSETTO:+HHMM, the offset in force from this observance's onset",
                );
                ok = false;
                continue;
            };
            let from = from.unwrap_or(to);
            let Some(p) = obs.prop("DTSTART") else {
                self.diags.err(
                    obs.line,
                    format!("{} of VTIMEZONE {tzid} has no DTSTART", obs.name),
                    "add DTSTART:YYYYMMDDTHHMMSS, the local time of the first onset",
                );
                ok = false;
                continue;
            };
            let start = match parse_dt(p.value) {
                Some(Dt::Time(c, _)) => c,
                Some(Dt::Date(d)) => d.and_time(NaiveTime::MIN),
                None => {
                    self.diags.err(
                        p.line,
                        format!("DTSTART `{}` is not a date-time", excerpt(p.value)),
                        DT_HELP,
                    );
                    ok = false;
                    continue;
                }
            };
            let mut civils = vec![start];
            for rp in obs.props("RDATE") {
                for v in rp.value.split(',') {
                    let first = v.split('/').next().unwrap_or(v);
                    match parse_dt(first) {
                        Some(Dt::Time(c, _)) => civils.push(c),
                        Some(Dt::Date(d)) => civils.push(d.and_time(NaiveTime::MIN)),
                        None => {
                            self.diags.err(
                                rp.line,
                                format!("RDATE `{}` is not a date-time", excerpt(v)),
                                DT_HELP,
                            );
                            ok = false;
                        }
                    }
                }
            }
            for rp in obs.props("RRULE") {
                let Some(rule) = self.parse_rule(rp) else {
                    ok = false;
                    continue;
                };
                // An UNTIL in UTC is compared as the onset's local time, read in TZOFFSETFROM.
                let until = match rule.until {
                    Some(Until::Civil(c)) => Some(c),
                    Some(Until::Instant(i)) => {
                        TimeDelta::try_seconds(i64::from(from.local_minus_utc()))
                            .and_then(|d| i.naive_utc().checked_add_signed(d))
                    }
                    None => None,
                };
                match self.expand(rp, &rule, start, until, self.zone_bound, MAX_ONSETS) {
                    Some(list) => civils.extend(list),
                    None => ok = false,
                }
            }
            for c in civils {
                let at = TimeDelta::try_seconds(i64::from(from.local_minus_utc()))
                    .and_then(|d| c.checked_sub_signed(d));
                if let Some(at) = at {
                    onsets.push((at.and_utc(), rank, from, to));
                }
            }
        }
        if observances == 0 {
            self.diags.err(
                comp.line,
                format!("VTIMEZONE {tzid} has no STANDARD or DAYLIGHT observance"),
                "export the calendar again with its time zones, or change the TZID to an IANA name such as Europe/Paris",
            );
            return None;
        }
        if !ok {
            return None;
        }
        onsets.sort_by_key(|o| (o.0, o.1));
        let initial = onsets.first()?.2;
        Some(CustomZone {
            initial,
            changes: onsets.iter().map(|o| (o.0, o.3)).collect(),
        })
    }

    fn instant(&self, civil: NaiveDateTime, tref: Tref) -> Option<DateTime<Utc>> {
        match tref {
            Tref::Utc => Some(civil.and_utc()),
            Tref::Zone(zone) => resolve(civil, &zone, Disambiguation::Compatible).ok(),
            Tref::Custom(i) => self.customs.get(i)?.resolve(civil),
        }
    }

    /// [`Self::instant`], with an error at `line` when the time is out of range.
    fn instant_at(
        &mut self,
        civil: NaiveDateTime,
        tref: Tref,
        line: usize,
    ) -> Option<DateTime<Utc>> {
        let t = self.instant(civil, tref);
        if t.is_none() {
            self.diags.err(
                line,
                format!("{} is out of the range of dates roundtable reads", civil),
                "use dates between the years 1 and 9999",
            );
        }
        t
    }

    fn civil_of(&self, instant: DateTime<Utc>, tref: Tref) -> NaiveDateTime {
        match tref {
            Tref::Utc => instant.naive_utc(),
            Tref::Zone(zone) => zone.local(instant).naive_local(),
            Tref::Custom(i) => self
                .customs
                .get(i)
                .map(|z| z.offset_at(instant))
                .and_then(|o| TimeDelta::try_seconds(i64::from(o.local_minus_utc())))
                .and_then(|d| instant.naive_utc().checked_add_signed(d))
                .unwrap_or(instant.naive_utc()),
        }
    }

    /// A DATE or DATE-TIME value of `prop`; a floating date-time is read in `floating`.
    fn when(&mut self, prop: &Prop, text: &str, floating: Tref) -> Option<When> {
        let Some(dt) = parse_dt(text) else {
            self.diags.err(
                prop.line,
                format!(
                    "{} `{}` is not a date or date-time",
                    prop.name,
                    excerpt(text)
                ),
                DT_HELP,
            );
            return None;
        };
        Some(match dt {
            Dt::Date(d) => When {
                civil: d.and_time(NaiveTime::MIN),
                tref: Tref::Zone(self.local),
                date: true,
            },
            Dt::Time(civil, true) => When {
                civil,
                tref: Tref::Utc,
                date: false,
            },
            Dt::Time(civil, false) => {
                let tref = match prop.param("TZID") {
                    Some(tzid) => self.tzid(tzid, prop.line)?,
                    None => floating,
                };
                When {
                    civil,
                    tref,
                    date: false,
                }
            }
        })
    }

    fn key(&mut self, prop: &Prop, text: &str, floating: Tref) -> Option<Key> {
        let w = self.when(prop, text, floating)?;
        if w.date {
            return Some(Key::Date(w.civil.date()));
        }
        self.instant_at(w.civil, w.tref, prop.line)
            .map(Key::Instant)
    }

    /// The zone of a VEVENT's DTSTART, without reporting anything (for floating RECURRENCE-IDs).
    fn start_tref(&mut self, c: &Comp) -> Tref {
        let local = Tref::Zone(self.local);
        let Some(p) = c.prop("DTSTART") else {
            return local;
        };
        match parse_dt(p.value) {
            Some(Dt::Time(_, true)) => Tref::Utc,
            Some(Dt::Time(_, false)) => match p.param("TZID") {
                Some(tzid) => self.tzid(tzid, p.line).unwrap_or(local),
                None => local,
            },
            _ => local,
        }
    }

    fn recurrence_id(&mut self, c: &Comp) -> Option<Key> {
        let p = c.prop("RECURRENCE-ID")?;
        let floating = self.start_tref(c);
        self.key(p, p.value, floating)
    }

    fn timing(&mut self, c: &Comp, fallback: Option<Length>) -> Option<Timing> {
        let Some(p) = c.prop("DTSTART") else {
            self.diags.err(
                c.line,
                "VEVENT without DTSTART",
                "add DTSTART (e.g. DTSTART;TZID=Europe/Paris:20240115T090000), or remove the event",
            );
            return None;
        };
        let start = self.when(p, p.value, Tref::Zone(self.local))?;
        let length = if let Some(e) = c.prop("DTEND") {
            let end = self.when(e, e.value, start.tref)?;
            match (start.date, end.date) {
                (true, true) => {
                    let days = (end.civil.date() - start.civil.date()).num_days();
                    if days < 0 {
                        self.diags.err(
                            e.line,
                            "DTEND is before DTSTART",
                            "DTEND is the day after the last day of an all-day event",
                        );
                        return None;
                    }
                    Length::Nominal {
                        days: days.max(1),
                        exact: TimeDelta::zero(),
                    }
                }
                (false, false) => {
                    let s = self.instant_at(start.civil, start.tref, p.line)?;
                    let e_at = self.instant_at(end.civil, end.tref, e.line)?;
                    if e_at < s {
                        self.diags.err(
                            e.line,
                            format!(
                                "DTEND ({}) is before DTSTART ({})",
                                e_at.format("%Y-%m-%dT%H:%M:%SZ"),
                                s.format("%Y-%m-%dT%H:%M:%SZ")
                            ),
                            "swap DTSTART and DTEND, or fix the date",
                        );
                        return None;
                    }
                    Length::Exact(e_at - s)
                }
                _ => {
                    self.diags.err(
                        e.line,
                        "DTSTART and DTEND must both be dates (all-day) or both date-times",
                        "write both as VALUE=DATE (20240115) or both as date-times (20240115T090000)",
                    );
                    return None;
                }
            }
        } else if let Some(d) = c.prop("DURATION") {
            match parse_duration(d.value) {
                Some(dur) if !dur.negative => Length::Nominal {
                    days: dur.days,
                    exact: dur.exact,
                },
                _ => {
                    self.diags.err(
                        d.line,
                        format!("DURATION `{}` is not a duration", excerpt(d.value)),
                        DURATION_HELP,
                    );
                    return None;
                }
            }
        } else if let Some(f) = fallback {
            f
        } else if start.date {
            Length::Nominal {
                days: 1,
                exact: TimeDelta::zero(),
            }
        } else {
            Length::Exact(TimeDelta::zero())
        };
        Some(Timing { start, length })
    }

    fn end_of(
        &mut self,
        civil: NaiveDateTime,
        start: DateTime<Utc>,
        tref: Tref,
        length: Length,
        line: usize,
    ) -> Option<DateTime<Utc>> {
        let end = match length {
            Length::Exact(d) => start.checked_add_signed(d),
            Length::Nominal { days, exact } => TimeDelta::try_days(days)
                .and_then(|d| civil.checked_add_signed(d))
                .and_then(|c| self.instant(c, tref))
                .and_then(|t| t.checked_add_signed(exact)),
        };
        if end.is_none() {
            self.diags.err(
                line,
                "the event ends out of the range of dates roundtable reads",
                "check DTEND or DURATION",
            );
        }
        end
    }

    // --- recurrence --------------------------------------------------------------------------

    fn parse_rule(&mut self, prop: &Prop) -> Option<Rule> {
        match Rule::from_str(prop.value) {
            Ok(rule) => Some(rule),
            Err(e) => {
                self.diags.err(
                    prop.line,
                    format!("RRULE `{}` cannot be read: {e}", excerpt(prop.value)),
                    "write an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=MO;UNTIL=20241231T235959Z",
                );
                None
            }
        }
    }

    /// The civil starts `rule` generates from `start` (which it may or may not include), in
    /// order, up to `until` and `bound`.
    fn expand(
        &mut self,
        prop: &Prop,
        rule: &Rule,
        start: NaiveDateTime,
        until: Option<NaiveDateTime>,
        bound: NaiveDateTime,
        max_steps: usize,
    ) -> Option<Vec<NaiveDateTime>> {
        let fail = |this: &mut Self, e: String| {
            this.diags.err(
                prop.line,
                format!("RRULE `{}` cannot be expanded: {e}", excerpt(prop.value)),
                "write an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=MO;UNTIL=20241231T235959Z",
            );
        };
        let parsed = match RRule::<Unvalidated>::from_str(&rule.body) {
            Ok(r) => r,
            Err(e) => {
                fail(self, e.to_string());
                return None;
            }
        };
        let set = match parsed.build(start.and_utc().with_timezone(&rrule::Tz::UTC)) {
            Ok(s) => s.limit(),
            Err(e) => {
                fail(self, e.to_string());
                return None;
            }
        };
        let mut out = Vec::new();
        for occurrence in &set {
            let civil = occurrence.naive_utc();
            if until.is_some_and(|u| civil > u) || civil > bound {
                break;
            }
            self.steps += 1;
            if out.len() >= max_steps || self.steps > MAX_FILE_STEPS {
                self.diags.err(
                    prop.line,
                    format!(
                        "the rule gives too many occurrences between its start ({}) and the end of the period checked (more than {} for this rule, or {MAX_FILE_STEPS} in the file)",
                        start.format("%Y-%m-%d"),
                        max_steps
                    ),
                    "export only recent events, or end the series with UNTIL or COUNT",
                );
                return None;
            }
            out.push(civil);
        }
        Some(out)
    }

    /// Expands a series (not an override) into `out`; returns its length for its overrides.
    fn master(
        &mut self,
        c: &Comp,
        uid: &str,
        summary: &str,
        replaced: &[Key],
        out: &mut Vec<Busy>,
    ) -> Option<Length> {
        let t = self.timing(c, None)?;
        let tref = t.start.tref;
        let first = self.instant_at(t.start.civil, tref, c.line)?;
        // start → (civil start in the series' zone, end when given by an RDATE period)
        let mut occurrences: BTreeMap<DateTime<Utc>, (NaiveDateTime, Option<DateTime<Utc>>)> =
            BTreeMap::new();
        occurrences.insert(first, (t.start.civil, None));
        let mut ok = true;
        for rp in c.props("RRULE") {
            let Some(rule) = self.parse_rule(rp) else {
                ok = false;
                continue;
            };
            let until = match rule.until {
                Some(Until::Civil(u)) => Some(u),
                Some(Until::Instant(i)) => Some(self.civil_of(i, tref)),
                None => None,
            };
            let Some(civils) =
                self.expand(rp, &rule, t.start.civil, until, self.bound, MAX_RULE_STEPS)
            else {
                ok = false;
                continue;
            };
            for civil in civils {
                if let Some(s) = self.instant(civil, tref) {
                    occurrences.entry(s).or_insert((civil, None));
                }
            }
        }
        for rp in c.props("RDATE") {
            for v in rp.value.split(',').filter(|v| !v.trim().is_empty()) {
                match self.rdate(rp, v, &t) {
                    Some((s, civil, end)) => {
                        occurrences.entry(s).or_insert((civil, end));
                    }
                    None => ok = false,
                }
            }
        }
        let mut excluded: Vec<Key> = Vec::new();
        for xp in c.props("EXDATE") {
            for v in xp.value.split(',').filter(|v| !v.trim().is_empty()) {
                match self.key(xp, v, tref) {
                    Some(k) => excluded.push(k),
                    None => ok = false,
                }
            }
        }
        if !ok {
            return None;
        }
        let mut count = 0usize;
        for (start, (civil, end)) in occurrences {
            let end = match end {
                Some(e) => e,
                None => self.end_of(civil, start, tref, t.length, c.line)?,
            };
            if !self.overlaps(start, end)
                || excluded
                    .iter()
                    .chain(replaced)
                    .any(|k| k.matches(start, civil))
            {
                continue;
            }
            count += 1;
            if count > MAX_OCCURRENCES_PER_EVENT {
                self.diags.err(
                    c.line,
                    format!(
                        "the event “{}” has more than {MAX_OCCURRENCES_PER_EVENT} occurrences in the period checked",
                        excerpt(summary)
                    ),
                    "a busy calendar this dense cannot be checked: remove or shorten this series",
                );
                return None;
            }
            out.push(Busy {
                start,
                end,
                summary: summary.to_string(),
                uid: uid.to_string(),
            });
        }
        Some(t.length)
    }

    /// One RDATE value: (start, civil start in the series' zone, end of a period).
    fn rdate(
        &mut self,
        prop: &Prop,
        value: &str,
        t: &Timing,
    ) -> Option<(DateTime<Utc>, NaiveDateTime, Option<DateTime<Utc>>)> {
        let tref = t.start.tref;
        let (first, rest) = match value.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (value, None),
        };
        let w = self.when(prop, first, tref)?;
        let (s, civil) = if w.date && !t.start.date {
            // A date in a timed series: the series' time of day on that date.
            let civil = w.civil.date().and_time(t.start.civil.time());
            (self.instant_at(civil, tref, prop.line)?, civil)
        } else {
            let s = self.instant_at(w.civil, w.tref, prop.line)?;
            (s, self.civil_of(s, tref))
        };
        let end = match rest {
            None => None,
            Some(r) => Some(self.period_end(prop, s, r, w.tref)?),
        };
        Some((s, civil, end))
    }

    /// The end of a period `start/END` or `start/DURATION`.
    fn period_end(
        &mut self,
        prop: &Prop,
        start: DateTime<Utc>,
        text: &str,
        floating: Tref,
    ) -> Option<DateTime<Utc>> {
        let t = text.trim();
        let end = if t.starts_with(['P', 'p', '+', '-']) {
            match parse_duration(t) {
                Some(d) if !d.negative => TimeDelta::try_days(d.days)
                    .and_then(|days| start.checked_add_signed(days))
                    .and_then(|s| s.checked_add_signed(d.exact)),
                _ => {
                    self.diags.err(
                        prop.line,
                        format!("`{}` is not a duration", excerpt(t)),
                        DURATION_HELP,
                    );
                    return None;
                }
            }
        } else {
            let w = self.when(prop, t, floating)?;
            self.instant(w.civil, w.tref)
        };
        match end {
            Some(e) if e >= start => Some(e),
            _ => {
                self.diags.err(
                    prop.line,
                    format!("the period ending `{}` ends before it starts", excerpt(t)),
                    "write a period as START/END (END after START) or START/DURATION",
                );
                None
            }
        }
    }

    fn freebusy(&mut self, c: &Comp, out: &mut Vec<Busy>) {
        let uid = uid_of(c);
        for p in c.props("FREEBUSY") {
            let fbtype = p
                .param("FBTYPE")
                .unwrap_or("BUSY")
                .trim()
                .to_ascii_uppercase();
            if fbtype == "FREE" {
                continue;
            }
            for v in p.value.split(',').filter(|v| !v.trim().is_empty()) {
                let Some((s, e)) = v.split_once('/') else {
                    self.diags.err(
                        p.line,
                        format!("FREEBUSY period `{}` has no `/`", excerpt(v)),
                        "write a period as 19980415T133000Z/19980415T170000Z or 19980415T133000Z/PT3H",
                    );
                    continue;
                };
                let Some(w) = self.when(p, s, Tref::Zone(self.local)) else {
                    continue;
                };
                let Some(start) = self.instant_at(w.civil, w.tref, p.line) else {
                    continue;
                };
                let Some(end) = self.period_end(p, start, e, Tref::Zone(self.local)) else {
                    continue;
                };
                if self.overlaps(start, end) {
                    out.push(Busy {
                        start,
                        end,
                        summary: FREEBUSY_SUMMARY.to_string(),
                        uid: uid.clone(),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn zone(name: &str) -> Zone {
        name.parse::<ZoneSpec>().unwrap().zone
    }

    fn window() -> (DateTime<Utc>, DateTime<Utc>) {
        (
            Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap(),
        )
    }

    fn read_str(text: &str) -> Result<Vec<Busy>, Error> {
        read(Path::new("t.ics"), text.as_bytes(), &zone("UTC"), window())
    }

    fn messages(e: Error) -> Vec<String> {
        match e {
            Error::Invalid(d) => d.iter().map(ToString::to_string).collect(),
            other => vec![other.to_string()],
        }
    }

    #[test]
    fn content_lines_with_quoted_parameters() {
        let p = parse_content_line(
            "DTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin\";VALUE=DATE-TIME:20240110T090000",
            3,
        )
        .unwrap();
        assert_eq!(p.name, "DTSTART");
        assert_eq!(p.param("TZID"), Some("(UTC+01:00) Amsterdam, Berlin"));
        assert_eq!(p.param("VALUE"), Some("DATE-TIME"));
        assert_eq!(p.value, "20240110T090000");
        let p = parse_content_line("attendee;cn=\"A ^'B^'\";x=1,2:mailto:a@b", 1).unwrap();
        assert_eq!(p.name, "ATTENDEE");
        assert_eq!(p.param("CN"), Some("A \"B\""));
        assert_eq!(p.params[1].1, vec!["1", "2"]);
        assert_eq!(p.value, "mailto:a@b");
        assert!(parse_content_line("no colon here", 1).is_err());
        assert!(parse_content_line("X;TZID=\"open:1", 1).is_err());
        assert!(parse_content_line(":value", 1).is_err());
        assert!(parse_content_line("X;=1:v", 1).is_err());
    }

    #[test]
    fn text_unescaping() {
        assert_eq!(
            unescape_text("a\\, b\\; c\\\\d\\ne\\Nf\\:"),
            "a, b; c\\d\ne\nf:"
        );
        assert_eq!(unescape_text("end\\"), "end\\");
    }

    #[test]
    fn durations() {
        let d = |s| parse_duration(s).map(|d| (d.negative, d.days, d.exact.num_seconds()));
        assert_eq!(d("PT1H30M"), Some((false, 0, 5400)));
        assert_eq!(d("P2W"), Some((false, 14, 0)));
        assert_eq!(d("P1DT2H"), Some((false, 1, 7200)));
        assert_eq!(d("-PT15M"), Some((true, 0, 900)));
        assert_eq!(d("+P0D"), Some((false, 0, 0)));
        assert_eq!(d("P"), None);
        assert_eq!(d("PT"), None);
        assert_eq!(d("P1H"), None);
        assert_eq!(d("PT1D"), None);
        assert_eq!(d("P1"), None);
        assert_eq!(d("P9999999999D"), None);
        assert_eq!(d("1H"), None);
    }

    #[test]
    fn dates_and_offsets() {
        assert_eq!(
            parse_dt("20240115"),
            Some(Dt::Date(NaiveDate::from_ymd_opt(2024, 1, 15).unwrap()))
        );
        assert!(matches!(
            parse_dt("20240115T090000Z"),
            Some(Dt::Time(_, true))
        ));
        assert!(matches!(
            parse_dt("20240115T090000"),
            Some(Dt::Time(_, false))
        ));
        for bad in [
            "2024-01-15",
            "20240115T0900",
            "20241315",
            "20240115T250000",
            "2024011ST090000",
            "20240115X090000",
        ] {
            assert_eq!(parse_dt(bad), None, "{bad}");
        }
        let o = |s| parse_offset(s).map(|o| o.local_minus_utc());
        assert_eq!(o("+0100"), Some(3600));
        assert_eq!(o("-0330"), Some(-12600));
        assert_eq!(o("+053000"), Some(19800));
        assert_eq!(o("+05:45"), Some(20700));
        assert_eq!(o("0100"), None);
        assert_eq!(o("+0160"), None);
        assert_eq!(o("+2400"), None);
    }

    const PARIS_VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:My Paris\r\n\
        BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:19810329T020000\r\n\
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
        BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19961027T030000\r\n\
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

    /// A VTIMEZONE matching the tz database gives what `civil::resolve` gives, gaps and folds
    /// included.
    #[test]
    fn custom_zone_resolves_like_the_tz_database() {
        let text = format!("BEGIN:VCALENDAR\r\n{PARIS_VTIMEZONE}END:VCALENDAR\r\n");
        let file = Path::new("t.ics");
        let mut diags = Diags::new(file);
        let lines = unfold(&text, &mut diags);
        let top = build_tree(&lines, &mut diags);
        let mut reader = Reader::new(Diags::new(file), zone("UTC"), window(), &top);
        let Some(Tref::Custom(i)) = reader.tzid("My Paris", 1) else {
            panic!("not a custom zone: {:?}", reader.diags.list);
        };
        let custom = reader.customs[i].clone();
        let paris = zone("Europe/Paris");
        let mut civil = NaiveDate::from_ymd_opt(2023, 1, 1)
            .unwrap()
            .and_hms_opt(0, 30, 0)
            .unwrap();
        let mut checked = 0;
        while civil.date().year_ce().1 < 2026 {
            let want = resolve(civil, &paris, Disambiguation::Compatible).unwrap();
            assert_eq!(custom.resolve(civil), Some(want), "{civil}");
            assert_eq!(custom.offset_at(want), paris.offset_at(want), "{civil}");
            checked += 1;
            civil += TimeDelta::minutes(30);
            if civil.format("%H").to_string() == "04" {
                // Skip to the next day's small hours, keeping the test quick.
                civil = civil
                    .date()
                    .succ_opt()
                    .unwrap()
                    .and_hms_opt(0, 30, 0)
                    .unwrap();
            }
        }
        assert!(checked > 7000);
        // The two DST changes of 2024, by hand: 02:30 on 31 March does not exist (read as 03:30
        // CEST = 01:30Z); 02:30 on 27 October happens twice (the first, CEST, 00:30Z).
        let at = |d, h, m| {
            NaiveDate::from_ymd_opt(2024, 3, d)
                .unwrap()
                .and_hms_opt(h, m, 0)
                .unwrap()
        };
        assert_eq!(
            custom.resolve(at(31, 2, 30)),
            Some(Utc.with_ymd_and_hms(2024, 3, 31, 1, 30, 0).unwrap())
        );
        let oct = NaiveDate::from_ymd_opt(2024, 10, 27)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(
            custom.resolve(oct),
            Some(Utc.with_ymd_and_hms(2024, 10, 27, 0, 30, 0).unwrap())
        );
    }

    use chrono::Datelike;

    #[test]
    fn unfolding_crlf_lf_tabs() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\r\nUID:x\nSUMMARY:Long\r\n  title\r\n\t, folded\nDTSTART:20240101T100000Z\nDURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR";
        let busy = read_str(text).unwrap();
        assert_eq!(busy[0].summary, "Long title, folded");
    }

    #[test]
    fn tzid_forms() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n\
            DTSTART;TZID=/freeassociation.sourceforge.net/Tzfile/Europe/Berlin:20240110T100000\n\
            DURATION:PT1H\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\n\
            DTSTART;TZID=\"tzone://Microsoft/Utc\":20240110T100000\nDURATION:PT1H\nEND:VEVENT\n\
            BEGIN:VEVENT\nUID:c\nDTSTART;TZID=UTC+3:20240110T100000\nDURATION:PT1H\nEND:VEVENT\n\
            BEGIN:VEVENT\nUID:d\nDTSTART;TZID=\"Romance Standard Time\":20240710T100000\n\
            DURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR\n";
        let got: Vec<(String, DateTime<Utc>)> = read_str(text)
            .unwrap()
            .into_iter()
            .map(|b| (b.uid, b.start))
            .collect();
        let at = |d, h| Utc.with_ymd_and_hms(2024, 1, d, h, 0, 0).unwrap();
        assert_eq!(
            got,
            vec![
                ("c".to_string(), at(10, 7)),  // UTC+3
                ("a".to_string(), at(10, 9)),  // Berlin, CET
                ("b".to_string(), at(10, 10)), // UTC
                // Romance Standard Time → Europe/Paris, CEST in July.
                (
                    "d".to_string(),
                    Utc.with_ymd_and_hms(2024, 7, 10, 8, 0, 0).unwrap()
                ),
            ]
        );
    }

    #[test]
    fn bare_cr_lines() {
        let text = "BEGIN:VCALENDAR\rBEGIN:VEVENT\rUID:x\rDTSTART:20240101T100000Z\rDURATION:PT1H\rEND:VEVENT\rEND:VCALENDAR\r";
        assert_eq!(read_str(text).unwrap().len(), 1);
    }

    #[test]
    fn not_a_calendar() {
        let m = messages(read_str("<!DOCTYPE html>\n<html>\n").unwrap_err());
        assert_eq!(m.len(), 1);
        assert!(
            m[0].contains("t.ics:1:") && m[0].contains("BEGIN:VCALENDAR"),
            "{m:?}"
        );
    }

    #[test]
    fn mismatched_end() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z\nEND:VTODO\nEND:VEVENT\nEND:VCALENDAR\n";
        let m = messages(read_str(text).unwrap_err());
        assert!(
            m[0].contains("t.ics:5:") && m[0].contains("END:VTODO"),
            "{m:?}"
        );
        let text =
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z\nEND:VCALENDAR\n";
        let m = messages(read_str(text).unwrap_err());
        assert!(
            m[0].contains("t.ics:2:") && m[0].contains("never closed"),
            "{m:?}"
        );
    }

    #[test]
    fn several_problems_at_once() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:2024-01-01\nEND:VEVENT\n\
                    BEGIN:VEVENT\nUID:b\nDTSTART:20240101T100000Z\nDURATION:1 hour\nEND:VEVENT\n\
                    BEGIN:VEVENT\nUID:c\nDTSTART:20240101T100000Z\nRRULE:FREQ=FORTNIGHTLY\nEND:VEVENT\nEND:VCALENDAR\n";
        let m = messages(read_str(text).unwrap_err());
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(
            m[0].contains("t.ics:4:") && m[0].contains("DTSTART"),
            "{m:?}"
        );
        assert!(
            m[1].contains("t.ics:9:") && m[1].contains("DURATION"),
            "{m:?}"
        );
        assert!(
            m[2].contains("t.ics:14:") && m[2].contains("RRULE"),
            "{m:?}"
        );
    }

    #[test]
    fn rule_step_limit() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20000101T000000Z\nDURATION:PT1M\nRRULE:FREQ=MINUTELY\nEND:VEVENT\nEND:VCALENDAR\n";
        let m = messages(read_str(text).unwrap_err());
        assert!(
            m[0].contains("t.ics:6:") && m[0].contains("too many"),
            "{m:?}"
        );
    }

    /// Every prefix of a calendar and odd rules: errors, never a panic.
    #[test]
    fn no_panic_on_truncated_or_odd_input() {
        let text = format!(
            "BEGIN:VCALENDAR\r\n{PARIS_VTIMEZONE}BEGIN:VEVENT\r\nUID:é\r\nSUMMARY:x\\\r\n y\r\n\
             DTSTART;TZID=\"My Paris\":20240110T090000\r\nDTEND;TZID=My Paris:20240110T100000\r\n\
             RRULE:FREQ=WEEKLY;UNTIL=20240301T000000Z\r\nEXDATE;TZID=My Paris:20240117T090000,20240124\r\n\
             RDATE;VALUE=PERIOD:20240201T100000Z/PT1H\r\nEND:VEVENT\r\nBEGIN:VFREEBUSY\r\n\
             FREEBUSY:20240101T000000Z/20240101T010000Z,20240102T000000Z/P1D\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n"
        );
        assert!(read_str(&text).is_ok(), "{:?}", read_str(&text));
        for end in 0..=text.len() {
            if let Some(prefix) = text.get(..end) {
                let _ = read_str(prefix);
            }
        }
        for rule in [
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=100000",
            "FREQ=YEARLY;BYWEEKNO=60",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=SECONDLY;BYSETPOS=-1;BYSECOND=0;COUNT=20",
            "FREQ=WEEKLY;UNTIL=19990101",
            "FREQ=YEARLY;BYYEARDAY=366;BYMONTH=2",
            "FREQ=MONTHLY;BYDAY=5FR",
        ] {
            for start in ["00010101T000000", "99991231T235959Z", "20240229"] {
                let text = format!(
                    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:{start}\nRRULE:{rule}\nEND:VEVENT\nEND:VCALENDAR\n"
                );
                let _ = read_str(&text);
            }
        }
    }
}
