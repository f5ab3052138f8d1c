//! Finding bytes eight at a time, in a u64 word: for the short runs of text the busy-calendar
//! reader and the JSON report scan millions of times (a line's end, a name's end, a value that
//! needs an escape), a byte loop ends on a mispredicted branch each time and a vector search
//! costs more to set up than the run takes (issue 19).
//!
//! A flag is the high bit of a byte. Each test here flags exactly the bytes it looks for, except
//! that a borrow may also flag bytes *above* the first one flagged: the lowest flag is always
//! a real one, which is all [`first_in_words`] reads.

/// 0x01 in every byte of a word.
pub(crate) const ONES: u64 = u64::from_le_bytes([0x01; 8]);
/// 0x80 in every byte of a word.
pub(crate) const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// The place of the first byte of `bytes` that `flags` flags in its word, `bytes.len()` when
/// none: a word (little-endian) at a time, then the last bytes one by one with `found`, which
/// must say of a byte what `flags` says of it.
pub(crate) fn first_in_words(
    bytes: &[u8],
    flags: impl Fn(u64) -> u64,
    found: impl Fn(u8) -> bool,
) -> usize {
    let mut at = 0;
    while let Some(word) = bytes.get(at..at + 8) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        let flagged = flags(u64::from_le_bytes(eight));
        if flagged != 0 {
            return at + (flagged.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest.iter().position(|&b| found(b)).unwrap_or(rest.len())
}

/// Flags the bytes of `w` equal to `b`: `(x - 0x01…) & !x & 0x80…` with `x = w ^ b…` flags
/// each byte of `x` that is zero (and, through the borrow, maybe some above the first).
pub(crate) fn equal_bytes(w: u64, b: u8) -> u64 {
    let x = w ^ (ONES * u64::from(b));
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// Flags the bytes of `w` below `bound` (at most 0x80): `(w - bound…) & !w & 0x80…` (and,
/// through the borrow, maybe some above the first).
pub(crate) fn bytes_below(w: u64, bound: u8) -> u64 {
    w.wrapping_sub(ONES * u64::from(bound)) & !w & HIGHS
}
