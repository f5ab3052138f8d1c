//! Who attends an event, kept in the committed lock file without naming anyone.
//!
//! The lock file is committed, often to a public repository, so it must not hold attendees'
//! e-mails (nor their names). What it holds instead, per event:
//!
//! - a **token** per attendee ([`Tokens`]): 64 bits of a keyed hash, under the programme's
//!   calendar-address key ([`crate::address`]), of the normalised e-mail and the event's UID.
//!   Without the key nobody can test an e-mail against it (the same secret that already guards
//!   participants' calendar addresses); with the UID in it, one person's tokens differ from
//!   event to event, so the lock does not even show that two events share an attendee;
//! - not the tokens themselves but an **invertible Bloom lookup table** of them
//!   ([`AttendeeSet`]; Eppstein, Goodrich, Uyeda, Varghese, "What's the difference?", SIGCOMM
//!   2011): a fixed number of cells, each holding a count and the XOR of the tokens (and of a
//!   check of each token) hashed into it. Subtracting the table of this run's attendees from the
//!   stored one leaves exactly the tokens that differ, which are peeled off one by one. A few
//!   hundred bytes per event, whether it has 5 attendees or 100,000 (a list of tokens would
//!   put megabytes into the lock and into memory), and it shows nothing but its own size.
//!
//! A token found only in the stored table is a removed attendee: named when the e-mail is still
//! in the programme (in another session's audience only), else only counted. A token found only
//! in this run's table is an added attendee, always named (it came from this programme). When
//! more attendees changed than the table can tell apart, only the counts are known.

use hmac::Mac;
use sha2::{Digest, Sha256};

use crate::address::Key;
use crate::programme::Participant;
use crate::programme::email::normalise;

/// Turns attendees' e-mails into tokens under the calendar-address key.
///
/// A token is `SHA-256(p ‖ u)`, cut to 64 bits, where `p` is the participant's secret
/// (128 bits of an HMAC-SHA-256 of the normalised e-mail under the key, made once per
/// participant) and `u` the event's (128 bits of a SHA-256 of its UID). With `p` secret this is
/// a keyed hash of fixed length, so one person's tokens in two events cannot be related; and a
/// run makes one HMAC per participant and one SHA-256 block per attendee of each event, not an
/// HMAC per attendee and event (100,000 participants in 10 sessions: about 1 s less).
#[derive(Clone)]
pub struct Tokens {
    secrets: Vec<[u8; 16]>,
    check: String,
}

/// An event's part of its attendees' tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSalt([u8; 16]);

impl EventSalt {
    /// The salt of the event `uid`.
    pub fn of(uid: &str) -> EventSalt {
        let mut h = Sha256::new();
        h.update(b"roundtable lock event v1\0");
        h.update(uid.as_bytes());
        let mut salt = [0u8; 16];
        salt.copy_from_slice(&h.finalize()[..16]);
        EventSalt(salt)
    }
}

impl Tokens {
    /// The tokens of `participants` (in their order) under `key`, computed on `jobs` threads.
    pub fn new(key: &Key, participants: &[Participant], jobs: crate::jobs::Jobs) -> Tokens {
        let digest = key
            .mac(b"roundtable lock key check v1\0")
            .finalize()
            .into_bytes();
        let check = crate::hex::lower(digest.get(..8).unwrap_or_default());
        let mac = key.mac(b"roundtable lock attendee v1\0");
        let secrets = crate::jobs::map(jobs, participants.len(), 1024, |i| {
            let mut m = mac.clone();
            m.update(normalise(&participants[i].email).as_bytes());
            let mut secret = [0u8; 16];
            secret.copy_from_slice(&m.finalize().into_bytes()[..16]);
            secret
        });
        Tokens { secrets, check }
    }

    /// The key's check value (the lock's `attendee_key`): tells keys apart, gives nothing away.
    pub fn key_check(&self) -> &str {
        &self.check
    }

    /// The token of participant `index` (in the order given to [`Tokens::new`]) in the event
    /// of `salt`.
    pub fn token(&self, salt: EventSalt, index: usize) -> u64 {
        let Some(secret) = self.secrets.get(index) else {
            return 0;
        };
        token_of(secret, &salt.0)
    }
}

/// SHA-256's initial hash value (FIPS 180-4, section 5.3.3).
const SHA256_IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// The first 8 bytes of `SHA-256(secret ‖ salt)`, read little-endian. The 32 bytes and their
/// padding fill exactly one block, compressed once: a run hashes one per attendee of each
/// event (100,000 for 10,000 participants in 10 sessions), and the general hasher's
/// buffering and padding cost as much again as the compression.
fn token_of(secret: &[u8; 16], salt: &[u8; 16]) -> u64 {
    let mut block = [0u8; 64];
    block[..16].copy_from_slice(secret);
    block[16..32].copy_from_slice(salt);
    // Padding: one bit, zeros, then the message length in bits (256) as a big-endian u64.
    block[32] = 0x80;
    block[62] = 0x01;
    let mut state = SHA256_IV;
    sha2::block_api::compress256(&mut state, &[block]);
    // The digest is the state, big-endian: its first 8 bytes are the first two words.
    let [a, b] = [state[0].to_be_bytes(), state[1].to_be_bytes()];
    u64::from_le_bytes([a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]])
}

/// Cells per sub-table. Only cells that are not empty are written, so a wide table costs
/// nothing for a small event (at most 3 cells per attendee), and 3 × 64 cells tell apart the
/// changed attendees (added plus removed) in 99.95% of draws of tokens for 16 of them, 99.5%
/// for 60 and 97% for 120 (2,000 draws each). When they cannot, only the counts are shown.
pub const WIDTH: usize = 64;
/// The widest table read (a future version may write wider ones; the cell index is a byte).
pub const MAX_WIDTH: usize = 85;
/// Bytes of one cell: count (i32), XOR of tokens (u64), XOR of checks (u32), little-endian.
const CELL_BYTES: usize = 16;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Cell {
    count: i32,
    keys: u64,
    checks: u32,
}

impl Cell {
    fn is_empty(&self) -> bool {
        *self == Cell::default()
    }
}

/// splitmix64's finaliser: a fixed, public mixing of 64 bits.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The check of a token, XORed beside it: a cell holding one token alone shows it.
fn check(token: u64) -> u32 {
    (mix(token ^ 0x9e37_79b9_7f4a_7c15) >> 32) as u32
}

/// An invertible Bloom lookup table of attendee tokens: three sub-tables of `width` cells, each
/// token in one cell of each (see the module's documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendeeSet {
    width: usize,
    cells: Vec<Cell>,
}

impl Default for AttendeeSet {
    fn default() -> Self {
        AttendeeSet::new()
    }
}

/// What a comparison of two sets found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Tokens only in the first set, sorted.
    pub only_first: Vec<u64>,
    /// Tokens only in the second set, sorted.
    pub only_second: Vec<u64>,
}

impl AttendeeSet {
    /// An empty set, [`WIDTH`] cells per sub-table.
    pub fn new() -> AttendeeSet {
        AttendeeSet::with_width(WIDTH)
    }

    fn with_width(width: usize) -> AttendeeSet {
        AttendeeSet {
            width,
            cells: vec![Cell::default(); 3 * width],
        }
    }

    /// An empty set of the same size as `self` (to compare with it).
    pub fn empty_like(&self) -> AttendeeSet {
        AttendeeSet::with_width(self.width)
    }

    fn places(&self, token: u64) -> [usize; 3] {
        let w = self.width as u64;
        let at = |i: u64| {
            i * w + mix(token.wrapping_add((i + 1).wrapping_mul(0x632b_e59b_d9b4_e019))) % w
        };
        [at(0) as usize, at(1) as usize, at(2) as usize]
    }

    fn toggle(&mut self, token: u64, by: i32) {
        let c = check(token);
        for i in self.places(token) {
            let cell = &mut self.cells[i];
            cell.count = cell.count.wrapping_add(by);
            cell.keys ^= token;
            cell.checks ^= c;
        }
    }

    /// Adds a token.
    pub fn insert(&mut self, token: u64) {
        self.toggle(token, 1);
    }

    /// The tokens in `self` and not in `other`, and in `other` and not in `self`; `None` when
    /// the sets are of different sizes or differ in more tokens than their cells tell apart.
    pub fn difference(&self, other: &AttendeeSet) -> Option<Difference> {
        if self.width != other.width {
            return None;
        }
        let mut diff = AttendeeSet {
            width: self.width,
            cells: self
                .cells
                .iter()
                .zip(&other.cells)
                .map(|(a, b)| Cell {
                    count: a.count.wrapping_sub(b.count),
                    keys: a.keys ^ b.keys,
                    checks: a.checks ^ b.checks,
                })
                .collect(),
        };
        let mut found = Difference {
            only_first: Vec::new(),
            only_second: Vec::new(),
        };
        // Each peel empties at least the cell it was found in; a cell that only looked pure
        // (a collision of checks) could make it go round, so the rounds are bounded.
        let mut rounds = 0;
        loop {
            let pure = diff.cells.iter().find(|c| {
                (c.count == 1 || c.count == -1) && c.checks == check(c.keys) && c.keys != 0
            });
            let Some(&cell) = pure else { break };
            rounds += 1;
            if rounds > diff.cells.len() * 2 {
                return None;
            }
            if cell.count == 1 {
                found.only_first.push(cell.keys);
            } else {
                found.only_second.push(cell.keys);
            }
            diff.toggle(cell.keys, -cell.count);
        }
        if !diff.cells.iter().all(Cell::is_empty) {
            return None;
        }
        found.only_first.sort_unstable();
        found.only_second.sort_unstable();
        let repeated = |v: &[u64]| v.windows(2).any(|w| w[0] == w[1]);
        if repeated(&found.only_first) || repeated(&found.only_second) {
            return None;
        }
        Some(found)
    }

    /// The set as one line of text: base64 of its width (one byte) and of each cell that is
    /// not empty, with its index (so a small set is a short line).
    pub fn encode(&self) -> String {
        let mut bytes = vec![self.width as u8];
        for (i, c) in self.cells.iter().enumerate() {
            if c.is_empty() {
                continue;
            }
            bytes.push(i as u8);
            bytes.extend_from_slice(&c.count.to_le_bytes());
            bytes.extend_from_slice(&c.keys.to_le_bytes());
            bytes.extend_from_slice(&c.checks.to_le_bytes());
        }
        base64_encode(&bytes)
    }

    /// A set from [`AttendeeSet::encode`]'s text; `None` for anything else.
    pub fn decode(text: &str) -> Option<AttendeeSet> {
        let bytes = base64_decode(text)?;
        let (&width, cells) = bytes.split_first()?;
        let width = usize::from(width);
        if width == 0 || width > MAX_WIDTH || !cells.len().is_multiple_of(1 + CELL_BYTES) {
            return None;
        }
        let mut set = AttendeeSet::with_width(width);
        let mut last = None;
        for c in cells.chunks_exact(1 + CELL_BYTES) {
            let index = usize::from(c[0]);
            // Ascending indices, each once, within the table.
            if index >= set.cells.len() || last.is_some_and(|l| l >= index) {
                return None;
            }
            last = Some(index);
            let mut count = [0u8; 4];
            let mut keys = [0u8; 8];
            let mut checks = [0u8; 4];
            count.copy_from_slice(&c[1..5]);
            keys.copy_from_slice(&c[5..13]);
            checks.copy_from_slice(&c[13..17]);
            set.cells[index] = Cell {
                count: i32::from_le_bytes(count),
                keys: u64::from_le_bytes(keys),
                checks: u32::from_le_bytes(checks),
            };
        }
        Some(set)
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648, with `=` padding).
fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The bytes of standard base64 with padding; `None` for anything else (including a text
/// whose unused bits are not zero, so that each set has one text).
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|p| p as u32);
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let chunks = bytes.len() / 4;
    for (k, chunk) in bytes.chunks_exact(4).enumerate() {
        let padding = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if padding > 2 || (padding > 0 && k + 1 != chunks) {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - padding] {
            n = n << 6 | value(c)?;
        }
        n <<= 6 * padding as u32;
        let got = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let keep = 3 - padding;
        if got[keep..].iter().any(|&b| b != 0) {
            return None;
        }
        out.extend_from_slice(&got[..keep]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values from Python's hashlib:
    /// `int.from_bytes(hashlib.sha256(secret + salt).digest()[:8], "little")`.
    #[test]
    fn token_is_the_first_8_bytes_of_sha256_as_hashlib_computes_it() {
        let secret: [u8; 16] = std::array::from_fn(|i| i as u8);
        let salt: [u8; 16] = std::array::from_fn(|i| 16 + i as u8);
        assert_eq!(token_of(&secret, &salt), 0x6633_c466_29cd_0d63);
        assert_eq!(token_of(&[0xff; 16], &[0; 16]), 0x25ce_e465_ee15_a873);
    }

    fn set_of(tokens: impl IntoIterator<Item = u64>) -> AttendeeSet {
        let mut s = AttendeeSet::new();
        for t in tokens {
            s.insert(t);
        }
        s
    }

    #[test]
    fn base64_round_trips_and_matches_rfc_4648() {
        // RFC 4648 section 10.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(plain.as_bytes()), coded);
            assert_eq!(base64_decode(coded).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(base64_decode("Zm9vYmF"), None);
        assert_eq!(base64_decode("Zm9v YmF"), None);
        assert_eq!(base64_decode("Zh=="), None);
        assert_eq!(base64_decode("Zg==Zm9v"), None);
    }

    #[test]
    fn equal_sets_differ_in_nothing() {
        let a = set_of(1..=100u64);
        let b = set_of((1..=100u64).rev());
        assert_eq!(
            a.difference(&b),
            Some(Difference {
                only_first: vec![],
                only_second: vec![]
            })
        );
    }

    #[test]
    fn a_few_changes_are_told_apart() {
        // 5 attendees: 1, 2, 3, 4, 5 before; 2, 3, 5, 6 after.
        let before = set_of([1, 2, 3, 4, 5].map(mix));
        let mut after = before.empty_like();
        for t in [2, 3, 5, 6] {
            after.insert(mix(t));
        }
        let d = before.difference(&after).expect("decodes");
        let mut removed = vec![mix(1), mix(4)];
        removed.sort_unstable();
        assert_eq!(d.only_first, removed);
        assert_eq!(d.only_second, vec![mix(6)]);
    }

    #[test]
    fn large_sets_with_small_changes_decode_almost_always() {
        // 10,000 attendees, 30 removed and 30 added, over 200 draws of tokens (about 0.5%
        // fail: see `WIDTH`).
        let mut failures = 0;
        for round in 0..200u64 {
            let token = |i: u64| mix(round << 32 | i);
            let before = set_of((0..10_000).map(token));
            let mut after = before.empty_like();
            for i in 30..10_030 {
                after.insert(token(i));
            }
            match before.difference(&after) {
                Some(d) => {
                    assert_eq!(d.only_first.len(), 30);
                    assert_eq!(d.only_second.len(), 30);
                }
                None => failures += 1,
            }
        }
        assert!(failures <= 2, "{failures} of 200 failed");
    }

    #[test]
    fn too_many_changes_are_refused_not_guessed() {
        let before = set_of(0..10u64);
        let mut after = before.empty_like();
        for i in 1000..1500u64 {
            after.insert(mix(i));
        }
        assert_eq!(before.difference(&after), None);
    }

    #[test]
    fn encoding_round_trips_and_bad_text_is_refused() {
        let a = set_of([10, 20, 30].map(mix));
        let text = a.encode();
        // The width, and at most 3 cells of 17 bytes per token.
        assert!(text.len() <= (1 + 9 * 17usize).div_ceil(3) * 4, "{text}");
        assert_eq!(AttendeeSet::decode(&text), Some(a));
        // An empty set is its width alone (64 = "QA==").
        assert_eq!(AttendeeSet::new().encode(), "QA==");
        assert_eq!(AttendeeSet::decode("QA=="), Some(AttendeeSet::new()));
        assert_eq!(AttendeeSet::decode(""), None);
        assert_eq!(AttendeeSet::decode("AA=="), None); // width 0
        assert_eq!(AttendeeSet::decode("Vg=="), None); // width 86
        // A cell index out of the table (width 1: 3 cells; index 3).
        let mut bad = vec![1u8, 3];
        bad.extend_from_slice(&[0; 16]);
        assert_eq!(AttendeeSet::decode(&base64_encode(&bad)), None);
    }
}
