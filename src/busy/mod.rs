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
//!   (`W. Europe Standard Time`, through CLDR's table in [`windows_zones`], also behind
//!   Outlook's `tzone://Microsoft/` prefix); `TZID=` a Windows *display* name, with or without its offset
//!   (`(UTC+07:00) Bangkok, Hanoi, Jakarta`, legacy `Kuala Lumpur, Singapore`, through the generated
//!   table in [`windows_display_names`]); `TZID=` any other name defined by a VTIMEZONE in the
//!   file (Outlook's `Customized Time Zone`, Apple's and others' custom names), interpreted from
//!   its STANDARD/DAYLIGHT observances (DTSTART, TZOFFSETFROM, TZOFFSETTO, RRULE, RDATE) — the
//!   VTIMEZONE's TZID is matched after unescaping it as TEXT (`\,` `\;` `\\`), as Exchange writes
//!   `TZID:Kuala Lumpur\, Singapore` and refers to it as `TZID="Kuala Lumpur, Singapore"`; then
//!   an IANA name behind a path prefix (`/freeassociation.sourceforge.net/Europe/Berlin`, as
//!   libical writes it) and a fixed offset [`ZoneSpec`] understands (`UTC+3`). So a VTIMEZONE
//!   is used only when its TZID is not an IANA or Windows name: the tz database is more
//!   trustworthy than an exporter's copy of it. A TZID that is none of these is an error naming
//!   it and its line (once per TZID, at its first use).
//! - **Floating** date-times are read in the calendar's `X-WR-TIMEZONE` (Google and Apple write
//!   it; the first VCALENDAR's that is not empty; an IANA or Windows name, or a VTIMEZONE of the
//!   file, unescaped as a TZID), else — and with a note when it names no zone — in the
//!   participant's zone (`local`). **All-day** dates are always read in the participant's zone:
//!   an all-day event blocks [00:00 local of its first day, 00:00 local of the day after its
//!   last). Floating EXDATE, RDATE, DTEND values take the zone of their DTSTART (they are meant
//!   to match it); a floating RECURRENCE-ID takes that of its own VEVENT's DTSTART.
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
//!   date). EXRULE (RFC 2445): the starts it generates from DTSTART, expanded as RRULE, are
//!   excluded. RECURRENCE-ID overrides (same UID): the master's occurrence whose start is the
//!   RECURRENCE-ID is dropped and the override counts on its own, with its own times (an
//!   override without DTEND/DURATION takes the master's length, without SUMMARY the master's).
//!   With `RANGE=THISANDFUTURE` it also applies to every later occurrence of the master: each
//!   is moved by the override's change of start in the series' local time (so a move stays at
//!   the same wall-clock time across DST), takes the override's length and SUMMARY when it has
//!   them, and is not busy when the override is cancelled, transparent or free; the latest such
//!   override before an occurrence applies. The series is expanded far enough for occurrences
//!   moved earlier into the window.
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
//! - **Tolerated, with a note** ([`Calendar::notes`], a warning naming the line; the organizer's
//!   report lists them per participant): a content line with a malformed parameter (an unquoted
//!   `;` or `"` inside a value, a quote never closed, a parameter without `=`) whose property
//!   does not affect time — iOS 26 writes `X-APPLE-STRUCTURED-LOCATION;…;X-TITLE=Hauptstraße
//!   1-5\; 4041 Linz;…` — is skipped. The properties that do affect time or structure stay
//!   strict (their list is `lines::Name`, all but SUMMARY: BEGIN, END, DTSTART, DTEND, DURATION, RRULE,
//!   RDATE, EXDATE, EXRULE, RECURRENCE-ID, TZID, TZOFFSETFROM, TZOFFSETTO, STATUS, TRANSP,
//!   X-MICROSOFT-CDO-BUSYSTATUS, FREEBUSY, UID, SEQUENCE, CALSCALE, X-WR-TIMEZONE). A last line
//!   that misspells END:VCALENDAR (`END:VCALENDARD`, at most two letters off) when only the
//!   calendar is open and everything before it was read closes the calendar.
//!
//! An occurrence overridden twice keeps the override with the highest SEQUENCE (then the later
//! one); identical intervals (same start, end, summary and UID) are returned once.
//!
//! Not supported: an RRULE on an override (ignored); a RECURRENCE-ID of an occurrence already
//! moved by a THISANDFUTURE override is matched against its original start.
//!
//! # Limits
//!
//! - [`MAX_BYTES`] (20 MiB): a larger file is an error naming the file and the limit.
//! - [`MAX_DEPTH`] (64): components nested deeper are an error at the BEGIN that goes too deep.
//! - A file whose first line is not BEGIN:VCALENDAR is an error saying what it looks like
//!   (`crate::input::looks_like`), never quoting it.
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
//!
//! [`ZoneSpec`]: crate::zone::ZoneSpec
//! [`Disambiguation::Compatible`]: crate::civil::Disambiguation::Compatible

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::error::{Diagnostic, Diagnostics, Error, Location};
use crate::zone::Zone;

pub mod fetch;
mod lines;
mod reader;
mod series;
mod spans;
#[cfg(test)]
mod tests;
mod timing;
mod values;
pub mod windows_display_names;
pub mod windows_zones;
mod zones;

use lines::{decode, not_calendar_at, read_tree};
use reader::Reader;

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
/// Components nest at most this deep (a VCALENDAR holds a VEVENT holds a VALARM: 3).
pub const MAX_DEPTH: usize = 64;
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
/// use roundtable::busy::read;
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
    read_calendar(file, bytes, local, window).map(|c| c.busy)
}

/// A busy calendar read: its intervals, and the notes on what was tolerated in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    /// As [`read`] returns them.
    pub busy: Vec<Busy>,
    /// Warnings on what was read leniently (a malformed parameter of a property that does not
    /// affect time, a misspelt final `END:VCALENDAR`, ...): each names its line and what was
    /// done. At most [`MAX_NOTES`]; the rest are counted in a last note.
    pub notes: Vec<Diagnostic>,
}

/// Notes kept per file; the rest are counted.
pub const MAX_NOTES: usize = 20;

/// [`read`], with the notes on what was tolerated.
pub fn read_calendar(
    file: &Path,
    bytes: &[u8],
    local: &Zone,
    window: (DateTime<Utc>, DateTime<Utc>),
) -> Result<Calendar, Error> {
    read_calendar_within(file, bytes, local, window, None)
}

/// [`read_calendar`], keeping only the intervals that overlap one of `spans` (`start < span
/// end` and `end > span start`: a zero-length interval is kept only strictly inside a span).
/// Everything else is read and checked as [`read_calendar`] does (the same errors and notes),
/// but the intervals it would drop are never built: `check` keeps only what overlaps a
/// participant's own sessions, a few of the dozens of events in a typical calendar.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use roundtable::busy::read_calendar_overlapping;
/// use roundtable::zone::ZoneSpec;
/// let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Dentist\r\n\
///            DTSTART:20240115T080000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\n\
///            BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Lunch\r\n\
///            DTSTART:20240115T120000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
/// let utc: ZoneSpec = "UTC".parse().unwrap();
/// let at = |h| Utc.with_ymd_and_hms(2024, 1, 15, h, 0, 0).unwrap();
/// let window = (at(0), at(23));
/// // A session 08:30–10:00 UTC: the dentist overlaps it, lunch does not.
/// let cal = read_calendar_overlapping(std::path::Path::new("ana.ics"), ics.as_bytes(),
///                                     &utc.zone, window, &[(at(8) + chrono::Duration::minutes(30), at(10))]).unwrap();
/// assert_eq!(cal.busy.len(), 1);
/// assert_eq!(cal.busy[0].summary, "Dentist");
/// ```
pub fn read_calendar_overlapping(
    file: &Path,
    bytes: &[u8],
    local: &Zone,
    window: (DateTime<Utc>, DateTime<Utc>),
    spans: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Result<Calendar, Error> {
    read_calendar_within(file, bytes, local, window, Some(spans))
}

fn read_calendar_within(
    file: &Path,
    bytes: &[u8],
    local: &Zone,
    window: (DateTime<Utc>, DateTime<Utc>),
    spans: Option<&[(DateTime<Utc>, DateTime<Utc>)]>,
) -> Result<Calendar, Error> {
    if let Some(d) = too_large(file, bytes.len() as u64) {
        return Err(Error::one(d));
    }
    if let Some(line) = not_calendar_at(bytes) {
        return Err(Error::one(
            Diagnostic::error(
                Some(Location::at_line(file, line)),
                format!(
                    "this is not an iCalendar file: it looks like {}, and a calendar begins with BEGIN:VCALENDAR",
                    crate::input::looks_like(bytes)
                ),
            )
            .with_help("export the calendar as .ics (iCalendar) from the calendar app"),
        ));
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
    let mut diags = Diagnostics::capped(file, MAX_DIAGNOSTICS, MAX_NOTES);
    let mut unfolded = Vec::new();
    let top = read_tree(text, &mut unfolded, &mut diags);
    if diags.has_errors() {
        return Err(Error::Invalid(diags.finish().0));
    }
    let mut reader = Reader::new(diags, *local, window, &top);
    reader.spans = spans;
    let mut out = Vec::new();
    reader.read_all(&top, &mut out);
    let Reader { diags, .. } = reader;
    lines::recycle(top);
    let (errors, notes) = diags.finish();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    out.sort_by(|a, b| {
        (a.start, a.end, &a.uid, &a.summary).cmp(&(b.start, b.end, &b.uid, &b.summary))
    });
    // The same event twice (a file merged from two exports) is one busy interval.
    out.dedup();
    Ok(Calendar { busy: out, notes })
}

/// The slot of `hash` in a direct-mapped cache of `slots` slots (a power of two): the top bits
/// of `hash` once multiplied (a Fibonacci hash), which depend on all of it.
fn slot_of(hash: u64, slots: usize) -> usize {
    debug_assert!(slots.is_power_of_two());
    (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - slots.trailing_zeros())) as usize
}

/// A short, printable excerpt of a line for messages.
fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(60).filter(|c| !c.is_control()).collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}
