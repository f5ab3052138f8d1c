//! `roundtable times`: every occurrence in every participant's local time, as text, JSON or CSV.
//!
//! The JSON shape is a contract with other tools and CI:
//! `{"programme": ID, "rows": [{"session", "start_utc", "end_utc", "participant", "timezone",
//! "start_local", "end_local"}]}`, rows sorted by start_utc, then session, then participant.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, Utc};
use unicode_width::UnicodeWidthStr as _;

use crate::neutralise::terminal;
use crate::programme::Programme;
use crate::view::LocalRow;
use crate::zone::describe_offset;

/// Output formats of `times`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table grouped by session.
    Text,
    /// `{"programme", "rows"}`; stable, for tools and CI.
    Json,
    /// The JSON rows' columns, one row per line.
    Csv,
}

/// `2023-11-15T08:00:00Z`.
pub fn utc_string(t: DateTime<Utc>) -> String {
    Stamp::utc(t).as_str().to_string()
}

/// `2023-11-15T05:00:00-03:00`.
pub fn local_string(t: DateTime<FixedOffset>) -> String {
    Stamp::local(t).as_str().to_string()
}

/// An instant as [`utc_string`] or [`local_string`] writes it, held on the stack.
///
/// A large check report writes a million of them: chrono's `format` (which interprets its
/// pattern each time) and a `String` each were a seventh of the whole run (issue 19). Years
/// 0–9999 are written digit by digit here; others (signed, more digits) are left to chrono, so
/// the text is chrono's in every case (the tests compare them).
#[derive(Clone, Copy)]
pub struct Stamp {
    bytes: [u8; STAMP_CAPACITY],
    len: usize,
}

/// Chrono's longest: `+262142-12-31T23:59:59+23:59`, 28 bytes.
const STAMP_CAPACITY: usize = 32;

impl Stamp {
    /// `2023-11-15T08:00:00Z`.
    pub fn utc(t: DateTime<Utc>) -> Stamp {
        let mut stamp = Stamp::empty();
        if stamp.push_date_time(t.naive_utc()) {
            stamp.push(b"Z");
        } else {
            stamp.push_chrono(t.format("%Y-%m-%dT%H:%M:%SZ"));
        }
        stamp
    }

    /// `2023-11-15T05:00:00-03:00`.
    pub fn local(t: DateTime<FixedOffset>) -> Stamp {
        let mut stamp = Stamp::empty();
        if stamp.push_date_time(t.naive_local()) {
            stamp.push_offset(t.offset().local_minus_utc());
        } else {
            stamp.push_chrono(t.format("%Y-%m-%dT%H:%M:%S%:z"));
        }
        stamp
    }

    /// The text; it is ASCII, or chrono's UTF-8.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }

    /// The text's bytes, as [`Stamp::as_str`] gives them (without checking them again).
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }

    fn empty() -> Stamp {
        Stamp {
            bytes: [0; STAMP_CAPACITY],
            len: 0,
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        self.bytes[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// `n` (below 100) as two digits.
    fn push_two(&mut self, n: u32) {
        self.push(&[b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8]);
    }

    /// `2023-11-15T05:00:00`, as chrono's `%Y-%m-%dT%H:%M:%S`; false (and nothing written) for
    /// a year chrono writes with a sign.
    fn push_date_time(&mut self, t: chrono::NaiveDateTime) -> bool {
        use chrono::{Datelike as _, Timelike as _};
        let year = t.year();
        if !(0..=9999).contains(&year) {
            return false;
        }
        let year = year.unsigned_abs();
        self.push_two(year / 100);
        self.push_two(year % 100);
        self.push(b"-");
        self.push_two(t.month());
        self.push(b"-");
        self.push_two(t.day());
        self.push(b"T");
        self.push_two(t.hour());
        self.push(b":");
        self.push_two(t.minute());
        self.push(b":");
        // A leap second (nanoseconds past 10⁹) is second 60, as chrono writes it.
        self.push_two(t.second() + t.nanosecond() / 1_000_000_000);
        true
    }

    /// `-03:00`, as chrono's `%:z`: seconds of the offset rounded to the nearest minute.
    fn push_offset(&mut self, seconds: i32) {
        self.push(if seconds < 0 { b"-" } else { b"+" });
        let minutes = (seconds.unsigned_abs() + 30) / 60;
        self.push_two(minutes / 60);
        self.push(b":");
        self.push_two(minutes % 60);
    }

    /// What chrono writes, for the years [`Stamp::push_date_time`] leaves to it.
    fn push_chrono(&mut self, formatted: impl std::fmt::Display) {
        let _ = write!(self, "{formatted}");
    }
}

impl std::fmt::Write for Stamp {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.len + s.len() > STAMP_CAPACITY {
            return Err(std::fmt::Error);
        }
        self.push(s.as_bytes());
        Ok(())
    }
}

impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Streams rows in JSON or CSV to `out` (nothing is held but one occurrence's formatted local
/// times per zone); text, which people read, is rendered whole.
pub fn write<'a>(
    out: &mut dyn std::io::Write,
    programme: &Programme,
    rows: impl Iterator<Item = LocalRow<'a>>,
    format: Format,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let json = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut cache = LocalCache::default();
    match format {
        Format::Text => {
            let rows: Vec<LocalRow<'_>> = rows.collect();
            out.write_all(text(programme, &rows).as_bytes())?;
        }
        Format::Json => {
            write!(
                out,
                "{{\n  \"programme\": {},\n  \"rows\": [",
                json(&programme.id)
            )?;
            let mut first = true;
            for r in rows {
                let (start_utc, end_utc, start_local, end_local) = cache.get(&r);
                let participant = r
                    .participant
                    .map_or_else(|| "null".to_string(), |p| json(&p.email));
                write!(
                    out,
                    "{}\n    {{\n      \"session\": {},\n      \"start_utc\": \"{start_utc}\",\n      \"end_utc\": \"{end_utc}\",\n      \"participant\": {participant},\n      \"timezone\": {},\n      \"start_local\": \"{start_local}\",\n      \"end_local\": \"{end_local}\"\n    }}",
                    if first { "" } else { "," },
                    json(&r.session.id),
                    json(&r.zone.written),
                )?;
                first = false;
            }
            out.write_all(if first { b"]\n}\n" } else { b"\n  ]\n}\n" })?;
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut out);
            writer.write_record([
                "session",
                "start_utc",
                "end_utc",
                "participant",
                "timezone",
                "start_local",
                "end_local",
            ])?;
            for r in rows {
                let (start_utc, end_utc, start_local, end_local) = cache.get(&r);
                writer.write_record([
                    r.session.id.as_str(),
                    start_utc.as_str(),
                    end_utc.as_str(),
                    r.participant.map_or("", |p| p.email.as_str()),
                    r.zone.written.as_str(),
                    start_local.as_str(),
                    end_local.as_str(),
                ])?;
            }
            writer.flush()?;
        }
    }
    out.flush()
}

/// Formatted times of the current occurrence, per zone: there are a few hundred zones, not
/// 100,000 participants.
#[derive(Default)]
struct LocalCache {
    occurrence: Option<*const crate::occurrence::Occurrence>,
    utc: Option<(Stamp, Stamp)>,
    local: std::collections::HashMap<crate::zone::Zone, (Stamp, Stamp)>,
}

impl LocalCache {
    /// The row's start and end in UTC, then in its zone.
    fn get(&mut self, r: &LocalRow<'_>) -> (Stamp, Stamp, Stamp, Stamp) {
        let this: *const crate::occurrence::Occurrence = r.occurrence;
        if self.occurrence != Some(this) {
            self.occurrence = Some(this);
            self.utc = None;
            self.local.clear();
        }
        let (start_utc, end_utc) = *self
            .utc
            .get_or_insert_with(|| (Stamp::utc(r.occurrence.start), Stamp::utc(r.occurrence.end)));
        let (start_local, end_local) = *self
            .local
            .entry(r.zone.zone)
            .or_insert_with(|| (Stamp::local(r.start_local), Stamp::local(r.end_local)));
        (start_utc, end_utc, start_local, end_local)
    }
}

/// Renders rows in `format`, whole (see [`write()`] to stream them).
pub fn render(programme: &Programme, rows: &[LocalRow<'_>], format: Format) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(&mut out, programme, rows.iter().cloned(), format);
    String::from_utf8(out).unwrap_or_default()
}

fn text(programme: &Programme, rows: &[LocalRow<'_>]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", terminal(&programme.title), programme.id);
    // Group by session in programme order; inside, by occurrence then participant.
    for (si, session) in programme.sessions.iter().enumerate() {
        let mine: Vec<&LocalRow<'_>> = rows
            .iter()
            .filter(|r| std::ptr::eq(r.session, &programme.sessions[si]))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} [{}]", terminal(&session.title), session.id);
        let name_width = mine
            .iter()
            .map(|r| r.participant.map_or(0, |p| who(p).width()))
            .max()
            .unwrap_or(0);
        let zone_width = mine
            .iter()
            .map(|r| r.zone.label().width())
            .max()
            .unwrap_or(0);
        let mut last_start = None;
        for r in mine {
            if last_start != Some(r.occurrence.start) {
                last_start = Some(r.occurrence.start);
                let own = session.timezone.zone.local(r.occurrence.start);
                let own_end = session.timezone.zone.local(r.occurrence.end);
                // A `[[session.occurrence]]` says what it changed.
                let mut note = String::new();
                if r.occurrence.moved(session) {
                    note.push_str(&format!(
                        "  moved from {}",
                        r.occurrence.original.format("%a %d %b %H:%M")
                    ));
                }
                if let Some(t) = r
                    .occurrence
                    .change(session)
                    .and_then(|c| c.title.as_deref())
                {
                    note.push_str(&format!("  “{}”", terminal(t)));
                }
                let _ = writeln!(
                    out,
                    "  {} {}–{} {} ({}) = {}–{} UTC{note}",
                    own.format("%a %d %b %Y"),
                    own.format("%H:%M"),
                    own_end.format("%H:%M"),
                    session.timezone.label(),
                    describe_offset(*own.offset()),
                    r.occurrence.start.format("%H:%M"),
                    r.occurrence.end.format("%H:%M"),
                );
            }
            let label = r.participant.map_or_else(String::new, who);
            let shift = match r.day_shift() {
                0 => String::new(),
                d if d > 0 => format!("  (+{d} day)"),
                d => format!("  ({d} day)"),
            };
            let _ = writeln!(
                out,
                "    {}  {}  {} {}–{}  {}{shift}",
                pad(&label, name_width),
                pad(&r.zone.label(), zone_width),
                r.start_local.format("%a %d %b %Y"),
                r.start_local.format("%H:%M"),
                r.end_local.format("%H:%M"),
                describe_offset(*r.start_local.offset()),
            );
        }
    }
    out
}

/// `text` followed by spaces up to `width` terminal columns (a CJK character takes two, a
/// combining mark none), so that columns line up whatever script names are written in.
fn pad(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + width);
    out.push_str(text);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(text.width())));
    out
}

/// A participant for a terminal: name and e-mail with controls shown, not obeyed.
fn who(p: &crate::programme::Participant) -> String {
    format!("{} <{}>", terminal(&p.name), terminal(&p.email))
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, FixedOffset, TimeZone as _, Utc};

    use super::Stamp;

    /// Every offset within two minutes of zero (chrono rounds seconds to the nearest minute),
    /// every whole minute within an hour, then odd ones across the range (up to a day less a
    /// second either way).
    fn offsets() -> impl Iterator<Item = i32> {
        (-3600_i32..=3600)
            .filter(|s| s % 60 == 0 || s.abs() < 120)
            .chain((-86_399..=86_399).step_by(397))
            .chain([
                -86_399, -50_430, -29, -30, -31, 29, 30, 31, 1172, 50_430, 86_399,
            ])
    }

    /// Instants from year −1991 to 11983, about 116 days apart at drifting times of day, plus
    /// the edges of years 0 and 9999 (where chrono starts writing a sign).
    fn instants() -> impl Iterator<Item = DateTime<Utc>> {
        let edges = [
            -62_167_219_200, // 0000-01-01T00:00:00Z
            -62_167_219_201,
            253_402_300_799, // 9999-12-31T23:59:59Z
            253_402_300_800,
            0,
        ];
        (-125_000_000_000_i64..=316_000_000_000)
            .step_by(9_999_991)
            .chain(edges)
            .filter_map(|s| Utc.timestamp_opt(s, 0).single())
    }

    #[test]
    fn utc_stamps_are_chronos() {
        for t in instants() {
            let chrono = t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
            assert_eq!(Stamp::utc(t).as_str(), chrono);
        }
    }

    #[test]
    fn local_stamps_are_chronos() {
        let offsets: Vec<FixedOffset> = offsets().filter_map(FixedOffset::east_opt).collect();
        for (i, t) in instants().enumerate() {
            // Every instant in a few offsets, every offset with many instants.
            for offset in offsets.iter().skip(i % 97).step_by(97) {
                let local = t.with_timezone(offset);
                let chrono = local.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
                assert_eq!(Stamp::local(local).as_str(), chrono);
            }
        }
    }

    #[test]
    fn leap_seconds_are_second_60() {
        let leap = chrono::NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
            .map(|t| t.and_utc());
        let Some(leap) = leap else {
            panic!("a leap second")
        };
        assert_eq!(
            Stamp::utc(leap).as_str(),
            leap.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        );
        let local = leap.fixed_offset();
        assert_eq!(
            Stamp::local(local).as_str(),
            local.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
        );
    }
}
