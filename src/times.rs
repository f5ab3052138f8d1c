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
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `2023-11-15T05:00:00-03:00`.
pub fn local_string(t: DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
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
                    &start_utc,
                    &end_utc,
                    r.participant.map_or("", |p| p.email.as_str()),
                    r.zone.written.as_str(),
                    &start_local,
                    &end_local,
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
    utc: (String, String),
    local: std::collections::HashMap<crate::zone::Zone, (String, String)>,
}

impl LocalCache {
    fn get(&mut self, r: &LocalRow<'_>) -> (String, String, String, String) {
        let this: *const crate::occurrence::Occurrence = r.occurrence;
        if self.occurrence != Some(this) {
            self.occurrence = Some(this);
            self.utc = (utc_string(r.occurrence.start), utc_string(r.occurrence.end));
            self.local.clear();
        }
        let local = self
            .local
            .entry(r.zone.zone)
            .or_insert_with(|| (local_string(r.start_local), local_string(r.end_local)));
        (
            self.utc.0.clone(),
            self.utc.1.clone(),
            local.0.clone(),
            local.1.clone(),
        )
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
