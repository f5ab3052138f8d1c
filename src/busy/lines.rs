//! Bytes → unfolded content lines → the tree of components.

use super::values::trim;
use super::{MAX_DEPTH, excerpt};
use crate::error::Diagnostics;
use crate::error::{Diagnostic, Error, Location};
use crate::word_scan::{HIGHS, ONES, equal_bytes, first_in_words};
use std::borrow::Cow;
use std::cell::RefCell;
use std::path::Path;

/// The physical lines of `bytes`: split at LF (a CR before it dropped), or at CR when the file
/// has no LF at all.
pub(super) fn physical_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let sep = if bytes.contains(&b'\n') { b'\n' } else { b'\r' };
    bytes
        .split(move |b| *b == sep)
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect()
}

pub(super) fn decode<'b>(file: &Path, bytes: &'b [u8]) -> Result<&'b str, Error> {
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

/// The line separator of `bytes`: LF, or CR when the file has no LF at all.
fn separator(bytes: &[u8]) -> u8 {
    if memchr::memchr(b'\n', bytes).is_some() {
        b'\n'
    } else {
        b'\r'
    }
}

/// The physical lines of `text`, each with its (1-based) number, without the separator
/// ([`separator`]) and a CR before it. Split at the (ASCII) separator eight bytes at a time
/// ([`Separators`]): `str::split` at a char compares each match again, a byte loop is slower
/// on calendars of thousands of lines, and memchr's vector search costs more to set up than a
/// line of 40 bytes takes to scan (issue 19).
struct Physical<'t> {
    text: &'t str,
    ends: Separators<'t>,
    /// Where the next line begins; past the end when there is none.
    start: usize,
    number: usize,
}

impl<'t> Physical<'t> {
    fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        Physical {
            text,
            ends: Separators {
                bytes,
                sep: separator(bytes),
                at: 0,
            },
            start: 0,
            number: 0,
        }
    }
}

impl<'t> Iterator for Physical<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<(usize, &'t str)> {
        if self.start > self.text.len() {
            return None;
        }
        // The last line is what follows the last separator.
        let end = self.ends.next().unwrap_or(self.text.len());
        let raw = self.text.get(self.start..end).unwrap_or_default();
        self.start = end + 1;
        self.number += 1;
        Some((self.number, raw.strip_suffix('\r').unwrap_or(raw)))
    }
}

/// Whether a physical line of `text` continues the one before (it begins with a space or a
/// tab), found with vector searches: most calendars have none, and their lines are read
/// straight from the text ([`content_lines`]) instead of through [`unfold`]'s list. A space
/// after a line end is looked for as a pair; a tab, rare in a calendar, alone, and then what
/// is before each one found.
pub(super) fn has_folds(text: &str) -> bool {
    let bytes = text.as_bytes();
    let sep = separator(bytes);
    let after_sep = |at: usize| at == 0 || bytes.get(at - 1) == Some(&sep);
    bytes.starts_with(b" ")
        || memchr::memmem::find(bytes, &[sep, b' ']).is_some()
        || memchr::memchr_iter(b'\t', bytes).any(after_sep)
}

/// The content lines of a calendar without folds ([`has_folds`]), each with its physical line:
/// its lines but the blank ones.
pub(super) fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    Physical::new(text).filter(|(_, line)| !blank(line))
}

/// Logical lines (unfolded), each with the physical line it starts on. Blank lines are skipped.
pub(super) fn unfold<'t>(text: &'t str, diags: &mut Diagnostics) -> Vec<(usize, Cow<'t, str>)> {
    let bytes = text.as_bytes();
    let sep = separator(bytes);
    // Presized: one entry per physical line at most, so the list never grows.
    let physical = memchr::memchr_iter(sep, bytes).count() + 1;
    let mut out: Vec<(usize, Cow<'t, str>)> = Vec::with_capacity(physical);
    for (number, line) in Physical::new(text) {
        if line.starts_with([' ', '\t']) {
            let rest = line.get(1..).unwrap_or_default();
            match out.last_mut() {
                Some((_, last)) => last.to_mut().push_str(rest),
                None if rest.trim().is_empty() => {}
                None => diags.error_at(
                    number,
                    "the file begins with a continuation line (it starts with a space or a tab)",
                    "remove the leading space: the first line of a calendar is BEGIN:VCALENDAR",
                ),
            }
        } else if !blank(line) {
            out.push((number, Cow::Borrowed(line)));
        }
    }
    out
}

/// The tree of components of `text`: its lines read straight from it when it has no folds,
/// else unfolded first (into `unfolded`, which the tree borrows from).
pub(super) fn read_tree<'t>(
    text: &'t str,
    unfolded: &'t mut Vec<(usize, Cow<'t, str>)>,
    diags: &mut Diagnostics,
) -> Vec<Comp<'t>> {
    if has_folds(text) {
        *unfolded = unfold(text, diags);
        build_tree(
            unfolded.iter().map(|(n, line)| (*n, &**line)),
            text.len(),
            diags,
        )
    } else {
        build_tree(content_lines(text), text.len(), diags)
    }
}

/// The places of byte `sep` in `bytes`, in order, found a u64 word at a time
/// ([`crate::word_scan`]).
struct Separators<'b> {
    bytes: &'b [u8],
    sep: u8,
    /// Where the search goes on.
    at: usize,
}

impl Iterator for Separators<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let rest = self.bytes.get(self.at..)?;
        let sep = self.sep;
        let found = first_in_words(rest, |w| equal_bytes(w, sep), |b| b == sep);
        if found == rest.len() {
            self.at = self.bytes.len() + 1;
            return None;
        }
        let place = self.at + found;
        self.at = place + 1;
        Some(place)
    }
}

/// Whether `line` is empty or only whitespace (as `str::trim` sees it). Most lines begin with
/// a letter: that is decided by the first byte, without trimming the line.
fn blank(line: &str) -> bool {
    match line.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii() && !b.is_ascii_whitespace() && *b != 0x0B => false,
        Some(_) => line.trim().is_empty(),
    }
}

/// Declares [`Name`] from one list of (variant, name as written): the enum, `Name::ALL`,
/// [`Name::as_str`] and the exact lookup all come from it, so that they cannot disagree.
macro_rules! names {
    ($($id:ident = $text:literal,)*) => {
        /// The properties the reader asks for. Every other property of a calendar is checked
        /// (it must be a content line) and skipped, never stored: a Google or Outlook export
        /// gives an event a dozen more (DTSTAMP, DESCRIPTION, ATTENDEE, ...), and a tree holding
        /// them all was most of the time spent reading a calendar (issue 19). All but SUMMARY
        /// decide when, whether or for how long someone is busy, or which component a line
        /// belongs to ([`Name::affects_time`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(super) enum Name {
            $($id,)*
        }

        impl Name {
            /// Every name, as written in a calendar (the tests go through them all).
            #[cfg(test)]
            pub(super) const ALL: &[(&'static str, Name)] = &[$(($text, Name::$id),)*];

            /// The name as written (upper case).
            pub(super) fn as_str(self) -> &'static str {
                match self {
                    $(Name::$id => $text,)*
                }
            }

            /// The property called `name` exactly (upper case).
            fn exact(name: &str) -> Option<Name> {
                match name {
                    $($text => Some(Name::$id),)*
                    _ => None,
                }
            }

            /// The property whose name of at most eight bytes is `word` ([`packed`]): one
            /// compare of numbers per name, where [`Name::exact`] compares texts (a call to
            /// memcmp each, several for names of one length: issue 19).
            fn of_word(word: u64) -> Option<Name> {
                $(if word == const { packed($text.as_bytes()) } {
                    return Some(Name::$id);
                })*
                None
            }
        }
    };
}

names! {
    Begin = "BEGIN",
    End = "END",
    Dtstart = "DTSTART",
    Dtend = "DTEND",
    Duration = "DURATION",
    Rrule = "RRULE",
    Rdate = "RDATE",
    Exdate = "EXDATE",
    Exrule = "EXRULE",
    RecurrenceId = "RECURRENCE-ID",
    Tzid = "TZID",
    TzoffsetFrom = "TZOFFSETFROM",
    TzoffsetTo = "TZOFFSETTO",
    Status = "STATUS",
    Transp = "TRANSP",
    BusyStatus = "X-MICROSOFT-CDO-BUSYSTATUS",
    Freebusy = "FREEBUSY",
    Uid = "UID",
    Sequence = "SEQUENCE",
    Calscale = "CALSCALE",
    XWrTimezone = "X-WR-TIMEZONE",
    Summary = "SUMMARY",
}

/// A name of at most eight bytes as one number: its bytes, little-endian, then zeros (no byte
/// of a name is zero, so two names are one number only if they are one name); `u64::MAX`, no
/// name's, for a longer one.
const fn packed(name: &[u8]) -> u64 {
    if name.len() > 8 {
        return u64::MAX;
    }
    let mut word = 0u64;
    let mut i = 0;
    while i < name.len() {
        word |= (name[i] as u64) << (8 * i);
        i += 1;
    }
    word
}

impl Name {
    /// The property named by the first `len` bytes of `line` (in any ASCII case), as
    /// [`Name::of`] finds it: a name of at most eight bytes at the start of a line of at least
    /// eight (nearly every line) is compared as one number.
    #[inline(always)]
    fn at_start(line: &[u8], len: usize) -> Option<Name> {
        if let Some(word) = line.get(..8)
            && len <= 8
            && len > 0
        {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(word);
            let kept = u64::MAX >> (8 * (8 - len));
            let word = u64::from_le_bytes(eight) & kept;
            // Upper case only: another case is rare, and read by `of`.
            if let Some(name) = Name::of_word(word) {
                return Some(name);
            }
            let name = line.get(..len)?;
            return if name.iter().any(u8::is_ascii_lowercase) {
                Name::of(std::str::from_utf8(name).ok()?)
            } else {
                None
            };
        }
        Name::of(std::str::from_utf8(line.get(..len)?).ok()?)
    }

    /// The property called `name` (in any ASCII case), when the reader asks for it.
    pub(super) fn of(name: &str) -> Option<Name> {
        match Name::exact(name) {
            Some(id) => Some(id),
            // Names are nearly always written in upper case; lower case is rare, and longer.
            None if name.len() <= 26 && name.bytes().any(|b| b.is_ascii_lowercase()) => {
                let mut buffer = [0u8; 26];
                let upper = buffer.get_mut(..name.len())?;
                upper.copy_from_slice(name.as_bytes());
                upper.make_ascii_uppercase();
                Name::exact(std::str::from_utf8(upper).ok()?)
            }
            None => None,
        }
    }

    /// Its bit in [`Comp`]'s set of names present (there are fewer than 32 names).
    fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// Whether a property of this name decides when, whether or for how long someone is busy,
    /// or which component a line belongs to: whatever is wrong with it is an error. Any other
    /// property may be skipped.
    pub(super) fn affects_time(self) -> bool {
        self != Name::Summary
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A content line of a property the reader asks for, borrowed from the file: a calendar of
/// thousands of events is read without an allocation per line, and its lines are dropped
/// without a look at each. Its parameters are checked as the line is read, and decoded when
/// asked for ([`Prop::param`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Prop<'t> {
    pub(super) line: usize,
    pub(super) name: Name,
    /// The first parameter's name and first value (as written, quotes removed): nearly every
    /// line with parameters has one (`DTSTART;TZID=…`).
    first: Option<(&'t str, &'t str)>,
    /// The parameters after the first (`;NAME=VALUE…`), checked, up to and with the value's
    /// `:`.
    rest: &'t str,
    pub(super) value: &'t str,
}

impl<'t> Prop<'t> {
    /// The first value of parameter `name` (upper case; matched in any case): quotes removed,
    /// RFC 6868 decoded.
    pub(super) fn param(&self, name: &str) -> Option<Cow<'t, str>> {
        self.param_written(name).map(decode_param)
    }

    /// [`Prop::param`] as written: quotes removed, RFC 6868 escapes (`^n`, `^'`, `^^`) not yet
    /// decoded (for a TZID compared with the last one before anything is decoded).
    pub(super) fn param_written(&self, name: &str) -> Option<&'t str> {
        let (pname, value) = self.first?;
        if pname.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        // The rest was checked when the line was read: this cannot fail.
        let mut i = 0;
        while self.rest.as_bytes().get(i) == Some(&b';') {
            let (pname, first_value, end) = parameter(self.rest, i, "").ok()?;
            if pname.eq_ignore_ascii_case(name) {
                return Some(first_value);
            }
            i = end;
        }
        None
    }
}

#[derive(Debug)]
pub(super) struct Comp<'t> {
    /// Upper-case.
    pub(super) name: Cow<'t, str>,
    /// The line of its BEGIN.
    pub(super) line: usize,
    /// The properties the reader asks for, in file order.
    props: Vec<Prop<'t>>,
    /// Which names `props` has: bit [`Name::bit`] of each. An event is asked for a dozen
    /// names, most of which it lacks (RDATE, EXDATE, RECURRENCE-ID, ...): those are answered
    /// without a look at its properties.
    present: u32,
    pub(super) children: Vec<Comp<'t>>,
}

/// `text` in ASCII upper case, borrowed when it already is.
pub(super) fn upper(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(text.to_ascii_uppercase())
    } else {
        Cow::Borrowed(text)
    }
}

impl<'t> Comp<'t> {
    /// Its first property called `name`.
    pub(super) fn prop(&self, name: Name) -> Option<&Prop<'t>> {
        if !self.has(name) {
            return None;
        }
        self.props.iter().find(|p| p.name == name)
    }

    /// Its properties called `name`, in file order.
    pub(super) fn props(&self, name: Name) -> impl Iterator<Item = &Prop<'t>> + '_ {
        let all = if self.has(name) { &self.props[..] } else { &[] };
        all.iter().filter(move |p| p.name == name)
    }

    /// All its properties, in file order.
    pub(super) fn all_props(&self) -> &[Prop<'t>] {
        &self.props
    }

    fn has(&self, name: Name) -> bool {
        self.present & name.bit() != 0
    }

    /// Whether it has a property called one of `names`.
    pub(super) fn has_any(&self, names: &[Name]) -> bool {
        names.iter().any(|&n| self.has(n))
    }

    fn push(&mut self, prop: Prop<'t>) {
        self.present |= prop.name.bit();
        self.props.push(prop);
    }
}

pub(super) fn decode_param(value: &str) -> Cow<'_, str> {
    // Parameter values are short (a TZID): a loop without an early exit is vectorised, and
    // cheaper than setting up a search.
    if !value.bytes().fold(false, |any, b| any | (b == b'^')) {
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

/// Whether `b` may be in a property or parameter name (`iana-token`/`x-name`: letters, digits,
/// `-`), from a table: every byte of every line's name is tested.
pub(super) fn is_name_byte(b: u8) -> bool {
    NAME_BYTES[usize::from(b)]
}

const NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'-';
        b += 1;
    }
    table
};

/// The bytes that end a parameter value not in quotes: `,` (another value), `;` (another
/// parameter), `:` (the property's value), and `"` (an error), from a table as [`NAME_BYTES`].
const VALUE_ENDS: [bool; 256] = {
    let mut table = [false; 256];
    table[b',' as usize] = true;
    table[b';' as usize] = true;
    table[b':' as usize] = true;
    table[b'"' as usize] = true;
    table
};

/// The length of the name at the start of `bytes` (bytes for which [`is_name_byte`] holds).
/// Every line's name and every parameter's is measured: eight bytes at a time
/// ([`name_bytes`], [`crate::word_scan`]), then the rest one by one.
fn name_len(bytes: &[u8]) -> usize {
    first_in_words(bytes, |w| !name_bytes(w) & HIGHS, |b| !is_name_byte(b))
}

/// The high bit of each byte of `w` that may be in a name (`A`–`Z`, `a`–`z`, `0`–`9`, `-`),
/// exactly, byte by byte: on the low seven bits `x` of each byte, `x + (0x80 - lo)` has its high
/// bit set when `x >= lo` and `x + (0x7F - hi)` when `x > hi`, without a carry into the next
/// byte; a letter in either case is `x | 0x20` in `a..=z`; a byte of 0x80 or more is none.
fn name_bytes(w: u64) -> u64 {
    let x = w & !HIGHS;
    let at_least = |x: u64, lo: u64| x.wrapping_add(ONES * (0x80 - lo)) & HIGHS;
    let at_most = |x: u64, hi: u64| !x.wrapping_add(ONES * (0x7F - hi)) & HIGHS;
    let digit = at_least(x, 0x30) & at_most(x, 0x39);
    let folded = x | (ONES * 0x20);
    let letter = at_least(folded, 0x61) & at_most(folded, 0x7A);
    let dash = at_least(x, 0x2D) & at_most(x, 0x2D);
    (digit | letter | dash) & !(w & HIGHS)
}

/// The length of the unquoted parameter value at the start of `bytes`: up to its first
/// [`VALUE_ENDS`] byte (`,` `;` `:` `"`; `:` and `;` differ only in their lowest bit), eight
/// bytes at a time as [`name_len`].
fn value_len(bytes: &[u8]) -> usize {
    first_in_words(
        bytes,
        |w| equal_bytes(w, b',') | equal_bytes(w | ONES, b';') | equal_bytes(w, b'"'),
        |b| VALUE_ENDS[usize::from(b)],
    )
}

/// A content line read: a property the reader asks for, or the name (as written) of one it
/// skips.
#[derive(Debug)]
pub(super) enum Line<'t> {
    Kept(Prop<'t>),
    Skipped(&'t str),
}

/// `NAME *(;PARAM=VALUE *(,VALUE)) : value`. Every line is checked the same way; only the
/// properties the reader asks for are kept. Inlined into [`build_tree`]'s loop, its one caller
/// but the tests: called there, at every line, it took 6 % more instructions (issue 19).
#[inline(always)]
pub(super) fn parse_content_line(text: &str, line: usize) -> Result<Line<'_>, String> {
    let bytes = text.as_bytes();
    let end = name_len(bytes);
    let name = text.get(..end).unwrap_or_default();
    if name.is_empty() {
        return Err(format!(
            "`{}` is not an iCalendar content line (NAME:value)",
            excerpt(text)
        ));
    }
    let mut i = end;
    let mut first = None;
    // Where the parameters after the first begin (the `:` when there are none).
    let mut rest = end;
    loop {
        match bytes.get(i) {
            Some(b':') => break,
            Some(b';') => {
                let (pname, value, after) = parameter(text, i, name)?;
                if first.is_none() {
                    first = Some((pname, value));
                    rest = after;
                }
                i = after;
            }
            _ => {
                return Err(format!(
                    "`{}` is not an iCalendar content line (NAME:value): no `:` after {name}",
                    excerpt(text)
                ));
            }
        }
    }
    let value = text.get(i + 1..).unwrap_or_default();
    Ok(match Name::at_start(bytes, name.len()) {
        Some(id) => Line::Kept(Prop {
            line,
            name: id,
            first,
            rest: text.get(rest..=i).unwrap_or_default(),
            value,
        }),
        None => Line::Skipped(name),
    })
}

/// The parameter of property `name` at byte `i` of `text` (its `;`): its name, its first value
/// (as written, quotes removed), and the byte after its last value.
fn parameter<'t>(text: &'t str, i: usize, name: &str) -> Result<(&'t str, &'t str, usize), String> {
    let bytes = text.as_bytes();
    let start = i + 1;
    let mut i = start + name_len(bytes.get(start..).unwrap_or_default());
    let pname = text.get(start..i).unwrap_or_default();
    if pname.is_empty() || bytes.get(i) != Some(&b'=') {
        return Err(format!(
            "property {name} has a parameter without `NAME=value` (`{}`)",
            excerpt(text)
        ));
    }
    i += 1;
    let mut first = None;
    loop {
        let (from, to) = if bytes.get(i) == Some(&b'"') {
            let from = i + 1;
            let Some(len) = bytes.get(from..).and_then(|s| memchr::memchr(b'"', s)) else {
                return Err(format!(
                    "parameter {pname} of {name} opens a quote that is never closed"
                ));
            };
            i = from + len + 1;
            (from, from + len)
        } else {
            let from = i;
            i += value_len(bytes.get(i..).unwrap_or_default());
            (from, i)
        };
        first.get_or_insert((from, to));
        if bytes.get(i) == Some(&b',') {
            i += 1;
        } else {
            let (from, to) = first.unwrap_or_default();
            return Ok((pname, text.get(from..to).unwrap_or_default(), i));
        }
    }
}

/// The name of a content line that has parameters (`NAME;…`), upper case; `None` when the line
/// does not get that far.
pub(super) fn name_before_params(text: &str) -> Option<Cow<'_, str>> {
    let end = text.bytes().position(|b| !is_name_byte(b))?;
    let name = text.get(..end)?;
    (!name.is_empty() && text.as_bytes().get(end) == Some(&b';')).then(|| upper(name))
}

/// The error for a file whose first content line is not BEGIN:VCALENDAR. The line is never
/// quoted: the file may be anything (a path or a link may lead to a file of secrets).
fn not_a_calendar(diags: &mut Diagnostics, number: usize, text: &str) {
    diags.error_at(
        number,
        format!(
            "this is not an iCalendar file: it looks like {}, and a calendar begins with BEGIN:VCALENDAR",
            crate::input::looks_like(text.as_bytes())
        ),
        "export the calendar as .ics (iCalendar) from the calendar app",
    );
}

/// When `bytes` do not begin (after a byte-order mark and blank lines) with a BEGIN:VCALENDAR
/// line: the 1-based line where they begin. Checked before anything else is read, so that no
/// message about a file of another kind ever quotes it.
pub(super) fn not_calendar_at(bytes: &[u8]) -> Option<usize> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    let before = body.get(..start).unwrap_or_default();
    let sep = if bytes.contains(&b'\n') { b'\n' } else { b'\r' };
    let line = before.iter().filter(|&&b| b == sep).count() + 1;
    let rest = body.get(start..).unwrap_or_default();
    let end = rest
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(rest.len());
    let first: Vec<u8> = rest
        .get(..end)
        .unwrap_or_default()
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .map(u8::to_ascii_uppercase)
        .collect();
    let ok = first.starts_with(b"BEGIN") && first.ends_with(b":VCALENDAR");
    (!ok).then_some(line)
}

/// The components (each a VCALENDAR when the file is valid) of the content lines `lines`, each
/// with its physical line, of a calendar of `bytes` bytes.
fn build_tree<'t>(
    lines: impl Iterator<Item = (usize, &'t str)>,
    bytes: usize,
    diags: &mut Diagnostics,
) -> Vec<Comp<'t>> {
    let mut tree = Tree {
        top: Vec::new(),
        stack: Vec::with_capacity(4),
        // A VEVENT is BEGIN, END and, as calendar apps write it, at least UID, DTSTAMP,
        // DTSTART, DTEND (or DURATION) and SUMMARY, some 120 bytes: a calendar's components,
        // nearly all its events, get room for one per 128 bytes, so that the list rarely grows.
        events: (bytes / BYTES_PER_EVENT).min(MAX_ROOM),
    };
    let mut last_line = 1;
    let mut first = true;
    let mut lines = lines.peekable();
    while let Some((number, text)) = lines.next() {
        last_line = number;
        let is_last = lines.peek().is_none();
        let prop = match parse_content_line(text, number) {
            Ok(Line::Kept(p)) => p,
            Ok(Line::Skipped(name)) => {
                if first {
                    not_a_calendar(diags, number, text);
                    return tree.top;
                }
                if tree.stack.is_empty() {
                    outside(diags, number, &upper(name));
                }
                continue;
            }
            Err(message) => {
                if first {
                    not_a_calendar(diags, number, text);
                    return tree.top;
                }
                malformed_line(diags, number, text, message);
                continue;
            }
        };
        if first {
            first = false;
            if !(prop.name == Name::Begin && trim(prop.value).eq_ignore_ascii_case("VCALENDAR")) {
                not_a_calendar(diags, number, text);
                return tree.top;
            }
        }
        match prop.name {
            Name::Begin => {
                if !tree.begin(upper(trim(prop.value)), number, diags) {
                    return tree.top;
                }
            }
            Name::End => tree.end(upper(trim(prop.value)), number, is_last, diags),
            _ => match tree.stack.last_mut() {
                Some(c) => c.push(prop),
                None => outside(diags, number, prop.name.as_str()),
            },
        }
    }
    while let Some(open) = tree.stack.pop() {
        diags.error_at(
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
    tree.top
}

/// A property outside any component.
fn outside(diags: &mut Diagnostics, number: usize, name: &str) {
    diags.error_at(
        number,
        format!("{name} outside BEGIN:VCALENDAR … END:VCALENDAR"),
        "remove the line, or move it inside the calendar",
    );
}

/// A line that is not `NAME;PARAMS:value`: skipped with a note when it is a property that does
/// not change when anyone is busy with a malformed parameter (iOS writes
/// `X-TITLE=Hauptstraße 1-5\; 4041 Linz` unquoted), else an error.
fn malformed_line(diags: &mut Diagnostics, number: usize, text: &str, message: String) {
    if let Some(name) = name_before_params(text)
        && !Name::of(&name).is_some_and(Name::affects_time)
    {
        diags.warning_at(
            number,
            format!("{name} has a malformed parameter and was ignored: {message}"),
            "nothing to do: this property does not change when anyone is busy (a parameter value with `;`, `:` or `,` must be in double quotes)",
        );
        return;
    }
    diags.error_at(
        number,
        message,
        "a line that continues the previous one must begin with a space or a tab; otherwise fix or remove the line",
    );
}

/// The properties a component has room for when it is opened (a VEVENT keeps UID, DTSTART,
/// DTEND or DURATION, SUMMARY and a few more: RRULE, STATUS, TRANSP, SEQUENCE).
const PROPS_PER_COMPONENT: usize = 8;

thread_local! {
    /// Lists of properties of the calendars read before on this thread, emptied, with room for
    /// [`PROPS_PER_COMPONENT`] ([`recycle`]). A calendar of fifty events took fifty allocations
    /// of one size and freed them together, most through malloc's slow paths (past its
    /// per-thread cache of seven): at 10,000 calendars, 6 % of the instructions spent reading
    /// them (issue 19).
    static SPARE: RefCell<Vec<Vec<Prop<'static>>>> = const { RefCell::new(Vec::new()) };
}

/// The most lists kept in [`SPARE`] (640 KiB).
const MAX_SPARE: usize = 1024;

/// An empty list of properties with room for [`PROPS_PER_COMPONENT`]: a spare one if there is.
fn new_props<'t>() -> Vec<Prop<'t>> {
    SPARE
        .with_borrow_mut(Vec::pop)
        .unwrap_or_else(|| Vec::with_capacity(PROPS_PER_COMPONENT))
}

/// Gives the lists of properties of `tree` (with the room they were made with) back to this
/// thread's [`SPARE`], for the next calendar read.
pub(super) fn recycle(tree: Vec<Comp<'_>>) {
    SPARE.with_borrow_mut(|spare| recycle_into(spare, tree));
}

fn recycle_into(spare: &mut Vec<Vec<Prop<'static>>>, comps: Vec<Comp<'_>>) {
    for c in comps {
        let Comp {
            mut props,
            children,
            ..
        } = c;
        if spare.len() < MAX_SPARE && props.capacity() == PROPS_PER_COMPONENT {
            props.clear();
            // An empty list of properties borrowed from this calendar, as one borrowing
            // nothing: collected in place, the allocation is the same (when std does not
            // reuse it, the list is simply not kept).
            #[allow(clippy::unnecessary_filter_map)] // `filter` could not change the type.
            let empty: Vec<Prop<'static>> = props.into_iter().filter_map(|_| None).collect();
            if empty.capacity() == PROPS_PER_COMPONENT {
                spare.push(empty);
            }
        }
        // Components nest at most MAX_DEPTH deep.
        recycle_into(spare, children);
    }
}

/// The fewest bytes of a VEVENT as calendar apps write it (see `build_tree`).
const BYTES_PER_EVENT: usize = 128;
/// The most components a calendar gets room for before any is read.
const MAX_ROOM: usize = 4096;

/// The components closed so far, and those still open (innermost last).
struct Tree<'t> {
    top: Vec<Comp<'t>>,
    stack: Vec<Comp<'t>>,
    /// The room given to the children of a calendar (a component at the top).
    events: usize,
}

impl<'t> Tree<'t> {
    /// Opens component `name` at line `number`; `false` when nesting this deep ends the read.
    fn begin(&mut self, name: Cow<'t, str>, number: usize, diags: &mut Diagnostics) -> bool {
        if name.is_empty() {
            diags.error_at(
                number,
                "BEGIN without a component name",
                "write BEGIN:VEVENT, BEGIN:VTIMEZONE, …",
            );
            return true;
        }
        if self.stack.len() >= MAX_DEPTH {
            diags.error_at(
                number,
                format!(
                    "BEGIN:{name} nests components more than {MAX_DEPTH} deep; no calendar app writes that"
                ),
                "export the calendar again from the calendar app; this file was not written by one",
            );
            return false;
        }
        if self.stack.is_empty() && name != "VCALENDAR" {
            diags.error_at(
                number,
                format!("BEGIN:{name} outside BEGIN:VCALENDAR … END:VCALENDAR"),
                "every component of a calendar file sits inside BEGIN:VCALENDAR and END:VCALENDAR",
            );
        }
        let children = if self.stack.is_empty() {
            Vec::with_capacity(self.events)
        } else {
            Vec::new()
        };
        self.stack.push(Comp {
            name,
            line: number,
            // Room for the properties of a typical VEVENT, so that they are one allocation.
            props: new_props(),
            present: 0,
            children,
        });
        true
    }

    /// Closes component `name` at line `number`, and any opened inside it and never closed.
    fn end(&mut self, name: Cow<'t, str>, number: usize, is_last: bool, diags: &mut Diagnostics) {
        let Some(pos) = self.stack.iter().rposition(|c| c.name == name) else {
            // The last line misspelt (`END:VCALENDARD`) when only the calendar is open
            // and all before it was read: the calendar ends there.
            if is_last
                && !diags.has_errors()
                && self.stack.len() == 1
                && self.stack.first().is_some_and(|c| c.name == "VCALENDAR")
                && strsim::levenshtein(&name, "VCALENDAR") <= 2
            {
                diags.warning_at(
                    number,
                    format!(
                        "END:{} read as END:VCALENDAR: it is the last line, and everything before it was read",
                        excerpt(&name)
                    ),
                    "nothing to do; the line is misspelt (END:VCALENDAR)",
                );
                if let Some(done) = self.stack.pop() {
                    self.top.push(done);
                }
                return;
            }
            diags.error_at(
                number,
                format!("END:{name} without a matching BEGIN:{name}"),
                format!("remove this line, or add the missing BEGIN:{name} above it"),
            );
            return;
        };
        while self.stack.len() > pos + 1 {
            if let Some(open) = self.stack.pop() {
                diags.error_at(
                    open.line,
                    format!(
                        "BEGIN:{} on this line is never closed: END:{name} on line {number} comes first",
                        open.name
                    ),
                    format!("add END:{} before line {number}", open.name),
                );
            }
        }
        if let Some(done) = self.stack.pop() {
            match self.stack.last_mut() {
                Some(parent) => parent.children.push(done),
                None => self.top.push(done),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name at the start of a line is the property `Name::of` finds, in any case, at any
    /// length of line; and no other name is one.
    #[test]
    fn names_as_numbers_are_names_as_texts() {
        let mut names: Vec<String> = Name::ALL.iter().map(|(t, _)| t.to_string()).collect();
        names.extend(
            [
                "DTSTAMP", "X", "DTSTARTX", "DTSTAR", "ATTENDEE", "BEGINS", "EN", "UIDS",
            ]
            .map(String::from),
        );
        for name in names {
            for variant in [
                name.clone(),
                name.to_ascii_lowercase(),
                format!("{}{}", &name[..1], name[1..].to_ascii_lowercase()),
            ] {
                for tail in [
                    "",
                    ":",
                    ":x",
                    ";TZID=Europe/Paris:20240101T090000",
                    ":a very long value",
                ] {
                    let line = format!("{variant}{tail}");
                    assert_eq!(
                        Name::at_start(line.as_bytes(), variant.len()),
                        Name::of(&variant),
                        "{line:?}"
                    );
                }
            }
        }
    }

    /// Names and parameter values are measured as byte-by-byte loops measure them, for every
    /// byte value at every place of a word and of the tail, after runs of name bytes.
    #[test]
    fn names_and_values_end_where_bytes_say() {
        let by_bytes = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|&b| !is_name_byte(b))
                .unwrap_or(bytes.len())
        };
        let value_by_bytes = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|&b| VALUE_ENDS[usize::from(b)])
                .unwrap_or(bytes.len())
        };
        for len in 0..20 {
            for fill in [b'A', b'z', b'0', b'-', b'9', b'x'] {
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut bytes = vec![fill; len];
                        bytes[at] = b;
                        assert_eq!(name_len(&bytes), by_bytes(&bytes), "{bytes:?}");
                        assert_eq!(value_len(&bytes), value_by_bytes(&bytes), "{bytes:?}");
                        if at + 1 < len {
                            bytes[at + 1] = b':';
                            assert_eq!(value_len(&bytes), value_by_bytes(&bytes), "{bytes:?}");
                        }
                    }
                }
                assert_eq!(name_len(&vec![fill; len]), len);
            }
        }
    }

    /// The property lists of a calendar read are given back emptied, with their room, and
    /// taken again for the next one; at most MAX_SPARE are kept.
    #[test]
    fn property_lists_are_recycled() {
        SPARE.with_borrow_mut(Vec::clear);
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nBEGIN:VALARM\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n";
        let mut diags = Diagnostics::new(Path::new("t.ics"));
        let mut unfolded = Vec::new();
        let tree = read_tree(text, &mut unfolded, &mut diags);
        recycle(tree);
        let spare = |f: fn(&Vec<Prop<'static>>) -> usize| {
            SPARE.with_borrow(|s| s.iter().map(f).collect::<Vec<usize>>())
        };
        assert_eq!(spare(Vec::len), vec![0, 0, 0]);
        assert_eq!(spare(Vec::capacity), vec![PROPS_PER_COMPONENT; 3]);
        let mut kept = Vec::new();
        let again = read_tree(text, &mut kept, &mut diags);
        assert_eq!(SPARE.with_borrow(Vec::len), 0);
        assert_eq!(again[0].children[0].all_props().len(), 1);
        let trees: Vec<Vec<Comp>> = (0..MAX_SPARE)
            .map(|_| build_tree(content_lines(text), text.len(), &mut diags))
            .collect();
        for tree in trees {
            recycle(tree);
        }
        assert_eq!(SPARE.with_borrow(Vec::len), MAX_SPARE);
        SPARE.with_borrow_mut(Vec::clear);
    }

    /// Every name has its own bit in a component's set of names present.
    #[test]
    fn names_fit_in_the_set() {
        assert!(Name::ALL.len() <= 32);
        let bits: std::collections::HashSet<u32> = Name::ALL.iter().map(|(_, n)| n.bit()).collect();
        assert_eq!(bits.len(), Name::ALL.len());
    }

    /// A calendar without folds gives the same tree, the same diagnostics and the same lines
    /// read straight from its text as through `unfold`; `has_folds` says whether a physical
    /// line begins with a space or a tab, with any line ends, at the start, at the end.
    #[test]
    fn lines_read_straight_are_the_unfolded_lines() {
        let bodies = [
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20240101T090000Z\nSUMMARY:x\ty\nEND:VEVENT\nEND:VCALENDAR",
            "BEGIN:VCALENDAR\n\n  \n\u{b}\nBEGIN:VEVENT\nEND:VEVENT\nEND:VCALENDARD\n",
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=\"a\nEND:VCALENDAR\n\n",
            "BEGIN:VCALENDAR\nX-A;B=C;D:E\nNOT A LINE\nBEGIN:VEVENT\nUID:\u{e9}\t\nEND:VTODO\n",
            "\n\nBEGIN:VCALENDAR\nEND:VCALENDAR\nUID:after\nBEGIN:VEVENT\n",
            "UID:first\nBEGIN:VCALENDAR\nEND:VCALENDAR\n",
            "",
            "BEGIN:VCALENDAR",
            "BEGIN:VCALENDAR\nSUMMARY:a\n continued\nEND:VCALENDAR\n",
            "BEGIN:VCALENDAR\nSUMMARY:a\n\tcontinued\nEND:VCALENDAR\n",
            " BEGIN:VCALENDAR\nEND:VCALENDAR\n",
            "\tBEGIN:VCALENDAR\nEND:VCALENDAR\n",
            "BEGIN:VCALENDAR\nEND:VCALENDAR\n ",
        ];
        let file = Path::new("t.ics");
        let diagnostics = || Diagnostics::capped(file, 50, 20);
        for body in bodies {
            for ends in ["\r\n", "\n", "\r"] {
                let text = body.replace('\n', ends);
                let folded = Physical::new(&text).any(|(_, l)| l.starts_with([' ', '\t']));
                assert_eq!(has_folds(&text), folded, "{text:?}");
                let mut through = diagnostics();
                let unfolded = unfold(&text, &mut through);
                let lines: Vec<(usize, &str)> = unfolded.iter().map(|(n, l)| (*n, &**l)).collect();
                let tree = build_tree(lines.iter().copied(), text.len(), &mut through);
                let mut read = diagnostics();
                let mut kept = Vec::new();
                let read_tree = read_tree(&text, &mut kept, &mut read);
                assert_eq!(format!("{tree:?}"), format!("{read_tree:?}"), "{text:?}");
                assert_eq!(through.finish(), read.finish(), "{text:?}");
                if !folded {
                    assert_eq!(content_lines(&text).collect::<Vec<_>>(), lines, "{text:?}");
                }
            }
        }
    }

    /// The word-at-a-time search finds what memchr finds: every separator at every place of a
    /// word and of the tail, runs of them, none, and bytes one off the separator.
    #[test]
    fn separators_are_where_memchr_finds_them() {
        for sep in [b'\n', b'\r'] {
            for len in 0..40 {
                for fill in [b'a', sep ^ 1, sep + 1, sep - 1, 0x80, 0xff, 0] {
                    let plain = vec![fill; len];
                    let mut cases = vec![plain.clone(), vec![sep; len]];
                    for at in 0..len {
                        let mut one = plain.clone();
                        one[at] = sep;
                        cases.push(one.clone());
                        for also in (at + 1..len).step_by(3) {
                            let mut two = one.clone();
                            two[also] = sep;
                            cases.push(two);
                        }
                    }
                    for bytes in cases {
                        let ours: Vec<usize> = Separators {
                            bytes: &bytes,
                            sep,
                            at: 0,
                        }
                        .collect();
                        let theirs: Vec<usize> = memchr::memchr_iter(sep, &bytes).collect();
                        assert_eq!(ours, theirs, "{bytes:?}");
                    }
                }
            }
        }
    }
}
