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

/// Elements rendered by one thread at a time when one may be large (a group lists the e-mail
/// of every participant it concerns: up to 90 kB each at 100,000 participants, 13 MB for all
/// 1,756 groups, which a chunk of [`CHUNK`] would have held at once).
pub(super) const SMALL_CHUNK: usize = 16;

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

impl Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            indent(out, self.depth)?;
        }
        out.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        indent(out, self.depth)
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
        if self.has_value {
            out.write_all(b"\n")?;
            indent(out, self.depth)?;
        }
        out.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        indent(out, self.depth)
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

/// Writes the elements `range` of an array at `depth`, each after its separator and indent.
fn write_elements<W: Write, T: Serialize>(
    out: &mut W,
    depth: usize,
    range: std::ops::Range<usize>,
    element: impl Fn(usize) -> T,
) -> io::Result<()> {
    for i in range {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        indent(out, depth)?;
        write_value(out, depth, &element(i))?;
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
    fn key(&mut self, key: &str) -> io::Result<()> {
        self.out
            .write_all(if self.members == 0 { b"\n" } else { b",\n" })?;
        self.members += 1;
        indent(self.out, self.depth + 1)?;
        write_value(self.out, self.depth + 1, key)?;
        self.out.write_all(b": ")
    }

    /// A member whose value is serialized whole.
    pub(super) fn member<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> io::Result<()> {
        self.key(key)?;
        write_value(self.out, self.depth + 1, value)
    }

    /// A member whose value is an array of `n` elements, `element(i)` each. On one job they
    /// are written straight to the output, one at a time; on more, `chunk` elements at a time
    /// are rendered on the `jobs` threads and written in order (only a window of a few chunks
    /// per thread is held at a time).
    pub(super) fn array<T, F>(
        &mut self,
        key: &str,
        (n, chunk): (usize, usize),
        jobs: Jobs,
        element: F,
    ) -> io::Result<()>
    where
        T: Serialize,
        F: Fn(usize) -> T + Sync,
    {
        self.key(key)?;
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
            crate::jobs::for_each_in_order(jobs, n, chunk, write, |range| {
                let mut bytes = Vec::new();
                write_elements(&mut bytes, depth, range, &element)?;
                Ok(bytes)
            });
            written?;
        }
        self.out.write_all(b"\n")?;
        indent(self.out, depth - 1)?;
        self.out.write_all(b"]")
    }

    /// Closes the object.
    pub(super) fn end(self) -> io::Result<()> {
        if self.members > 0 {
            self.out.write_all(b"\n")?;
            indent(self.out, self.depth)?;
        }
        self.out.write_all(b"}")
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
            for (jobs, chunk) in [(1, CHUNK), (2, CHUNK), (3, CHUNK), (2, SMALL_CHUNK), (3, 1)] {
                let jobs = Jobs::new(NonZeroUsize::new(jobs).unwrap());
                let mut out = Vec::new();
                let mut doc = Object::begin(&mut out, 0).unwrap();
                doc.member("id", "x").unwrap();
                doc.array("elements", (n, chunk), jobs, element).unwrap();
                doc.array("none", (0, chunk), jobs, element).unwrap();
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
}
