//! A pretty-printed JSON document written in parts, byte for byte as `serde_json::to_writer_pretty`
//! writes it whole: the check report's large arrays (a conflict per participant and occurrence,
//! 76 MB of JSON at 10,000 participants) are rendered a chunk of elements at a time on the
//! `jobs` threads, and written in order (issue 19).
//!
//! serde_json's `PrettyFormatter` always starts at depth 0; [`Nested`] is the same formatter
//! (two-space indentation, `,\n` between values, `[]` and `{}` when empty) starting at a given
//! depth, so that a value rendered on its own is what it would be inside the whole document.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use crate::jobs::Jobs;

/// Elements of an array rendered by one thread at a time, when each is small (a conflict, a
/// burden: a few hundred bytes).
pub(super) const CHUNK: usize = 1024;

/// The chunks of `0..n`, `chunk` elements each (the last may have fewer), as the bounds
/// [`Object::array`] takes: `0`, then where each chunk ends.
pub(super) fn even(n: usize, chunk: usize) -> Vec<usize> {
    std::iter::once(0)
        .chain(crate::jobs::chunks(n, chunk).map(|range| range.end))
        .collect()
}

/// The chunks of `0..n` when elements differ in size (a group lists the e-mail of every
/// participant it concerns: 4 on average at 10,000 participants, up to 90 kB of them each at
/// 100,000): each chunk ends once its elements' `weight` reaches `most`, so that a chunk holds
/// about as many bytes as a chunk of [`CHUNK`] small elements, whatever their sizes. (A fixed 16
/// groups a chunk made 2,230 chunks of 35,676 groups at 10,000 participants, each handed
/// between threads: a third of the time of writing the report's arrays.)
pub(super) fn by_weight(n: usize, weight: impl Fn(usize) -> usize, most: usize) -> Vec<usize> {
    let mut bounds = vec![0];
    let mut held = 0usize;
    for i in 0..n {
        held = held.saturating_add(weight(i));
        if held >= most {
            bounds.push(i + 1);
            held = 0;
        }
    }
    if bounds.last() != Some(&n) {
        bounds.push(n);
    }
    bounds
}

/// serde_json's `PrettyFormatter` with its default two-space indentation, for a value at
/// `depth` (0 for the document itself, 1 for a value of its keys, …).
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn at(depth: usize) -> Self {
        Nested {
            depth,
            has_value: false,
        }
    }
}

/// Two spaces per level of `depth`.
fn indent<W: ?Sized + Write>(out: &mut W, depth: usize) -> io::Result<()> {
    const SPACES: &[u8; 32] = b"                                ";
    let mut n = depth * 2;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

/// What goes before a member or an element at `depth`: a line break (after a comma unless it
/// is the `first`), then its indent.
#[inline]
fn next_item<W: ?Sized + Write>(out: &mut W, first: bool, depth: usize) -> io::Result<()> {
    out.write_all(if first { b"\n" } else { b",\n" })?;
    indent(out, depth)
}

/// What goes before a member's value: its separator and indent ([`next_item`]), then its key
/// in quotes and `: `. Keys are names of the report's format, not data: written as they are
/// (no escape is needed, which the tests check for every key a report has).
fn member_key<W: ?Sized + Write>(
    out: &mut W,
    first: bool,
    depth: usize,
    key: &'static str,
) -> io::Result<()> {
    debug_assert!(!needs_escape(key.as_bytes()));
    next_item(out, first, depth)?;
    out.write_all(b"\"")?;
    out.write_all(key.as_bytes())?;
    out.write_all(b"\": ")
}

/// The closing `bracket` of an object or array whose own indent is `depth`: on a line of its
/// own when it holds anything, else right after its opening one (`[]`, `{}`).
#[inline]
fn close<W: ?Sized + Write>(
    out: &mut W,
    holds_any: bool,
    depth: usize,
    bracket: &[u8],
) -> io::Result<()> {
    if holds_any {
        out.write_all(b"\n")?;
        indent(out, depth)?;
    }
    out.write_all(bracket)
}

impl Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.depth -= 1;
        close(out, self.has_value, self.depth, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        next_item(out, first, self.depth)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.depth -= 1;
        close(out, self.has_value, self.depth, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        next_item(out, first, self.depth)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` as `serde_json::to_writer_pretty` writes it at `depth` of a document.
fn write_value<W: Write, T: Serialize + ?Sized>(
    out: &mut W,
    depth: usize,
    value: &T,
) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Nested::at(depth));
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// An element of an array written by [`Object::array`]: a value serde serializes
/// ([`Serde`]), or one written by hand as serde_json would write it (with [`Object`]).
pub(super) trait Element {
    /// Writes the element at `depth` (its separator and indent are already written).
    fn write<W: Write>(&self, out: &mut W, depth: usize) -> io::Result<()>;
}

/// A value written by serde_json.
pub(super) struct Serde<T>(pub(super) T);

impl<T: Serialize> Element for Serde<T> {
    fn write<W: Write>(&self, out: &mut W, depth: usize) -> io::Result<()> {
        write_value(out, depth, &self.0)
    }
}

/// Whether a string needs any escape in JSON (a quote, a backslash or a control character below
/// U+0020). Eight bytes at a time ([`crate::word_scan`]): a report's strings are most of its
/// 76 MB at 10,000 participants, and a loop over bytes, even without an early exit, was not
/// vectorised (four instructions a byte).
fn needs_escape(bytes: &[u8]) -> bool {
    use crate::word_scan::{bytes_below, equal_bytes, first_in_words};
    first_in_words(
        bytes,
        |w| bytes_below(w, 0x20) | equal_bytes(w, b'"') | equal_bytes(w, b'\\'),
        |b| b < 0x20 || b == b'"' || b == b'\\',
    ) < bytes.len()
}

/// `value` as a JSON string, escaped as serde_json escapes it: `\"`, `\\`, `\b`, `\f`, `\n`,
/// `\r`, `\t`, and `\u00xx` (lower-case hex) for the other control characters; nothing else.
pub(super) fn write_str<W: Write + ?Sized>(out: &mut W, value: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    write_escaped(out, value.as_bytes())?;
    out.write_all(b"\"")
}

/// The bytes of a string (UTF-8) between its quotes, escaped as [`write_str`] escapes them.
fn write_escaped<W: Write + ?Sized>(out: &mut W, bytes: &[u8]) -> io::Result<()> {
    if needs_escape(bytes) {
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let short: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                0x08 => b"\\b",
                0x0C => b"\\f",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0..=0x1F => b"",
                _ => continue,
            };
            out.write_all(bytes.get(start..i).unwrap_or_default())?;
            if short.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let (hi, lo) = (HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]);
                out.write_all(&[b'\\', b'u', b'0', b'0', hi, lo])?;
            } else {
                out.write_all(short)?;
            }
            start = i + 1;
        }
        out.write_all(bytes.get(start..).unwrap_or_default())
    } else {
        out.write_all(bytes)
    }
}

/// An object of string members written as serde_json writes a struct of them, at one depth: the
/// bytes between its values (a separator, an indent, a key and the quotes around it) made
/// once, so that each member is two writes. The report's most numerous objects, a conflict
/// (134,500 at 10,000 participants) and a group, are 9 strings each: written member by member
/// they were about 90 small writes each, and most of the time spent writing the report.
pub(super) struct Layout {
    depth: usize,
    /// Before the first value (`{`, its line break and indent, its key, `: "`), then before
    /// each next value (the quote closing the one before, `,`, ... ).
    before: Vec<Vec<u8>>,
}

impl Layout {
    /// The layout of an object at `depth` whose members are strings named `keys`, in order
    /// (names of the report's format: none needs an escape).
    pub(super) fn new(depth: usize, keys: &[&'static str]) -> Layout {
        let before = keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                let mut part = Vec::new();
                part.extend_from_slice(if i == 0 { b"{" } else { b"\"" });
                // Writing to a Vec cannot fail.
                let _ = member_key(&mut part, i == 0, depth + 1, key);
                part.push(b'"');
                part
            })
            .collect();
        Layout { depth, before }
    }

    /// Whether this layout is for an object at `depth`.
    pub(super) fn is_at(&self, depth: usize) -> bool {
        self.depth == depth
    }

    /// Writes the object's members, one per key, their `values` UTF-8 bytes (a value past the
    /// keys is not written), then closes it when `close`; else leaves the
    /// object open after the last value (for more members, written with [`Layout::member`]).
    /// The values whose bit is set in `plain` are written as they are: made by roundtable from
    /// bytes that never need an escape (a time stamp, a kind's word, a zone's name), they are
    /// half of a conflict's bytes, and looking for what to escape in them was 3 % of `check`'s
    /// time at 10,000 participants (issue 19). Debug builds check that they need none.
    pub(super) fn write<W: Write + ?Sized>(
        &self,
        out: &mut W,
        values: &[&[u8]],
        plain: u16,
        close: bool,
    ) -> io::Result<()> {
        for (i, (before, value)) in self.before.iter().zip(values).enumerate() {
            out.write_all(before)?;
            if plain & (1 << i) != 0 {
                debug_assert!(!needs_escape(value), "{value:?}");
                out.write_all(value)?;
            } else {
                write_escaped(out, value)?;
            }
        }
        if self.before.is_empty() {
            out.write_all(b"{")?;
        } else {
            out.write_all(b"\"")?;
        }
        if close {
            self.close(out)?;
        }
        Ok(())
    }

    /// The key of one more member of an object left open by [`Layout::write`], up to where its
    /// value goes.
    pub(super) fn member<W: Write + ?Sized>(
        &self,
        out: &mut W,
        key: &'static str,
    ) -> io::Result<()> {
        member_key(out, self.before.is_empty(), self.depth + 1, key)
    }

    /// Closes an object written by [`Layout::write`] and left open.
    fn close<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        close(out, !self.before.is_empty(), self.depth, b"}")
    }

    /// Closes an object written by [`Layout::write`] and given more members with
    /// [`Layout::member`].
    pub(super) fn end<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        close(out, true, self.depth, b"}")
    }

    /// An array of `values` (strings) as the value of a member, at this object's depth + 1.
    pub(super) fn strings<'v, W: Write + ?Sized>(
        &self,
        out: &mut W,
        values: impl Iterator<Item = &'v str>,
    ) -> io::Result<()> {
        strings(out, self.depth, values)
    }
}

/// An array of the strings `values`, as the value of a member of an object at `depth`.
fn strings<'v, W: Write + ?Sized>(
    out: &mut W,
    depth: usize,
    values: impl Iterator<Item = &'v str>,
) -> io::Result<()> {
    out.write_all(b"[")?;
    let mut any = false;
    for value in values {
        next_item(out, !any, depth + 2)?;
        any = true;
        write_str(out, value)?;
    }
    close(out, any, depth + 1, b"]")
}

/// Writes the elements `range` of an array at `depth`, each after its separator and indent.
fn write_elements<W: Write, T: Element>(
    out: &mut W,
    depth: usize,
    range: std::ops::Range<usize>,
    element: impl Fn(usize) -> T,
) -> io::Result<()> {
    for i in range {
        next_item(out, i == 0, depth)?;
        element(i).write(out, depth)?;
    }
    Ok(())
}

/// A pretty-printed JSON object written one member at a time; its members' values are at
/// `depth + 1`.
pub(super) struct Object<'w, W: Write> {
    out: &'w mut W,
    depth: usize,
    members: usize,
}

impl<'w, W: Write> Object<'w, W> {
    /// Opens an object at `depth` (0: the document).
    pub(super) fn begin(out: &'w mut W, depth: usize) -> io::Result<Self> {
        out.write_all(b"{")?;
        Ok(Object {
            out,
            depth,
            members: 0,
        })
    }

    /// Writes the key of the next member, up to where its value goes.
    fn key(&mut self, key: &'static str) -> io::Result<()> {
        let first = self.members == 0;
        self.members += 1;
        member_key(self.out, first, self.depth + 1, key)
    }

    /// A member whose value is serialized whole.
    pub(super) fn member<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> io::Result<()> {
        self.key(key)?;
        write_value(self.out, self.depth + 1, value)
    }

    /// A member whose value is an array of elements `element(i)`, in chunks: `bounds` is `0`,
    /// then where each chunk ends, the last being the number of elements ([`even`],
    /// [`by_weight`]). On one job they are written straight to the output, one at a time; on
    /// more, a chunk at a time is rendered on the `jobs` threads and written in order (only a
    /// window of a few chunks per thread is held at a time).
    pub(super) fn array<T, F>(
        &mut self,
        key: &'static str,
        bounds: &[usize],
        jobs: Jobs,
        element: F,
    ) -> io::Result<()>
    where
        T: Element,
        F: Fn(usize) -> T + Sync,
    {
        self.key(key)?;
        let n = bounds.last().copied().unwrap_or(0);
        if n == 0 {
            return self.out.write_all(b"[]");
        }
        self.out.write_all(b"[")?;
        let depth = self.depth + 2;
        if jobs.get() == 1 {
            write_elements(self.out, depth, 0..n, &element)?;
        } else {
            let mut written = Ok(());
            let out = &mut *self.out;
            let write = |chunk: io::Result<Vec<u8>>| {
                if written.is_ok() {
                    written = chunk.and_then(|bytes| out.write_all(&bytes));
                }
            };
            let chunks = bounds.windows(2).count();
            // The most bytes a chunk took so far: the next is written into a buffer that size,
            // so that it seldom grows (a buffer doubling from empty copied each chunk's bytes
            // about once more: 76 MB of the report at 10,000 participants).
            let largest = std::sync::atomic::AtomicUsize::new(0);
            crate::jobs::for_each_in_order(jobs, chunks, 1, write, |range| {
                let mut bytes =
                    Vec::with_capacity(largest.load(std::sync::atomic::Ordering::Relaxed));
                for c in range {
                    if let [from, to] = bounds.get(c..c + 2).unwrap_or_default() {
                        write_elements(&mut bytes, depth, *from..*to, &element)?;
                    }
                }
                largest.fetch_max(bytes.len(), std::sync::atomic::Ordering::Relaxed);
                Ok(bytes)
            });
            written?;
        }
        close(self.out, true, depth - 1, b"]")
    }

    /// Closes the object.
    pub(super) fn end(self) -> io::Result<()> {
        close(self.out, self.members > 0, self.depth, b"}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::num::NonZeroUsize;

    #[derive(Serialize)]
    struct Element {
        name: String,
        list: Vec<u32>,
        empty: Vec<u32>,
        inner: Option<Box<Element>>,
    }

    fn element(i: usize) -> Element {
        Element {
            name: format!("e\"{i}\n"),
            list: (0..(i % 3) as u32).collect(),
            empty: Vec::new(),
            inner: i.is_multiple_of(2).then(|| Box::new(element(i + 1))),
        }
    }

    #[derive(Serialize)]
    struct Whole {
        id: &'static str,
        elements: Vec<Element>,
        none: Vec<Element>,
        last: Element,
    }

    /// Chunks by weight cover every element once, in order, and each but the last ends with
    /// the element that brings it to the most (by hand: weights 3, 0, 5, 1, 1, 9 and at most
    /// 4 make chunks [3, 0, 5], [1, 1, 9]).
    #[test]
    fn chunks_by_weight() {
        let w = [3, 0, 5, 1, 1, 9];
        assert_eq!(by_weight(w.len(), |i| w[i], 4), vec![0, 3, 6]);
        assert_eq!(by_weight(w.len(), |i| w[i], 100), vec![0, 6]);
        assert_eq!(by_weight(w.len(), |i| w[i], 1), vec![0, 1, 3, 4, 5, 6]);
        assert_eq!(by_weight(0, |_| 1, 4), vec![0]);
        assert_eq!(by_weight(3, |_| usize::MAX, 4), vec![0, 1, 2, 3]);
        assert_eq!(even(5, 2), vec![0, 2, 4, 5]);
        assert_eq!(even(4, 2), vec![0, 2, 4]);
        assert_eq!(even(0, 2), vec![0]);
    }

    /// In parts, at any number of jobs, what serde_json writes whole.
    #[test]
    fn parts_are_what_serde_json_writes_whole() {
        for n in [0, 1, 2, CHUNK, 3 * CHUNK + 5] {
            let whole = Whole {
                id: "x",
                elements: (0..n).map(element).collect(),
                none: Vec::new(),
                last: element(7),
            };
            let expected = serde_json::to_vec_pretty(&whole).unwrap();
            let uneven = by_weight(n, |i| i % 7, 10);
            let bounds = [
                even(n, CHUNK),
                even(n, 16),
                even(n, 1),
                uneven.clone(),
                by_weight(n, |_| 0, 10),
            ];
            for (jobs, bounds) in [1, 2, 3]
                .into_iter()
                .flat_map(|j| bounds.iter().map(move |b| (j, b)))
            {
                let jobs = Jobs::new(NonZeroUsize::new(jobs).unwrap());
                let mut out = Vec::new();
                let mut doc = Object::begin(&mut out, 0).unwrap();
                doc.member("id", "x").unwrap();
                doc.array("elements", bounds, jobs, |i| Serde(element(i)))
                    .unwrap();
                doc.array("none", &even(0, CHUNK), jobs, |i| Serde(element(i)))
                    .unwrap();
                doc.member("last", &element(7)).unwrap();
                doc.end().unwrap();
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    String::from_utf8(expected.clone()).unwrap()
                );
            }
        }
        let mut out = Vec::new();
        Object::begin(&mut out, 0).unwrap().end().unwrap();
        assert_eq!(
            out,
            serde_json::to_vec_pretty(&serde_json::json!({})).unwrap()
        );
    }

    /// The word-at-a-time test answers as a test of each byte, for every byte at every place
    /// of a word and of the tail, among bytes that need no escape (and among 0x80 and above).
    #[test]
    fn needs_escape_is_any_byte_needing_one() {
        let by_byte = |bytes: &[u8]| bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
        for len in 0..20 {
            for fill in [b'a', b' ', b'!', 0x7f, 0x80, 0xa0, 0xff, b'#', b']'] {
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut bytes = vec![fill; len];
                        bytes[at] = b;
                        assert_eq!(needs_escape(&bytes), by_byte(&bytes), "{bytes:?}");
                    }
                }
                assert!(!needs_escape(&vec![fill; len]));
            }
        }
    }

    /// Values marked plain are written as they are, the others escaped: for values that need
    /// no escape, the same bytes either way.
    #[test]
    fn plain_values_are_written_as_they_are() {
        let layout = Layout::new(1, &["a", "b", "c"]);
        let safe: [&[u8]; 3] = [b"error", b"2024-01-01T09:00:00+01:00", b"Europe/Paris"];
        let write = |values: &[&[u8]], plain| {
            let mut out = Vec::new();
            layout.write(&mut out, values, plain, true).unwrap();
            out
        };
        assert_eq!(write(&safe, 0b111), write(&safe, 0));
        let text: [&[u8]; 3] = [b"error", b"a \"b\"", b"UTC-03:00"];
        assert_eq!(
            String::from_utf8(write(&text, 0b101)).unwrap(),
            String::from_utf8(write(&text, 0)).unwrap()
        );
        assert!(
            String::from_utf8(write(&text, 0b101))
                .unwrap()
                .contains(r#"a \"b\""#)
        );
    }

    /// Every byte below 0x80 and a few beyond, alone and among others, escaped as serde_json
    /// escapes them; and a flat object as serde_json writes a map of strings.
    #[test]
    fn hand_written_strings_and_objects_are_what_serde_json_writes() {
        let mut texts: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        texts.extend((0u8..0x80).map(|b| format!("ab{}cd\u{2013}é", char::from(b))));
        texts.extend(
            [
                "",
                "“quoted” \\ \"x\"",
                "\u{7f}\u{80}\u{2028}\u{feff}",
                "\n\r\t\u{1}\u{1f}",
            ]
            .map(String::from),
        );
        for text in &texts {
            let mut ours = Vec::new();
            write_str(&mut ours, text).unwrap();
            assert_eq!(ours, serde_json::to_vec(text).unwrap(), "{text:?}");
        }
        let members: Vec<(&'static str, &str)> =
            vec![("detail", "a \"b\"\n\u{1}"), ("kind", "busy")];
        let keys: Vec<&'static str> = members.iter().map(|m| m.0).collect();
        let values: Vec<&[u8]> = members.iter().map(|m| m.1.as_bytes()).collect();
        // (A serde_json map without `preserve_order` sorts its keys: these are in that order.)
        for depth in [0, 2, 3] {
            let layout = Layout::new(depth, &keys);
            assert!(layout.is_at(depth) && !layout.is_at(depth + 1));
            let mut ours = Vec::new();
            layout.write(&mut ours, &values, 0, true).unwrap();
            let map: serde_json::Map<String, serde_json::Value> = members
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
                .collect();
            let mut theirs = Vec::new();
            write_value(&mut theirs, depth, &map).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap()
            );
            let mut empty = Vec::new();
            Layout::new(depth, &[])
                .write(&mut empty, &[], 0, true)
                .unwrap();
            assert_eq!(empty, b"{}");
            // A list after the strings, and after no string.
            for list in [&[][..], &["a"][..], &["a", "\"b\"", "c\u{1}"][..]] {
                for first in [&["first"][..], &[][..]] {
                    let layout = Layout::new(depth, first);
                    let mut ours = Vec::new();
                    layout.write(&mut ours, &[b"x"], 0, false).unwrap();
                    layout.member(&mut ours, "list").unwrap();
                    layout.strings(&mut ours, list.iter().copied()).unwrap();
                    layout.end(&mut ours).unwrap();
                    let map = if first.is_empty() {
                        serde_json::json!({ "list": list })
                    } else {
                        serde_json::json!({ "first": "x", "list": list })
                    };
                    let mut theirs = Vec::new();
                    write_value(&mut theirs, depth, &map).unwrap();
                    assert_eq!(
                        String::from_utf8(ours).unwrap(),
                        String::from_utf8(theirs).unwrap()
                    );
                }
            }
        }
    }
}
