//! The check report as text (terminal), markdown (pull-request comment) and JSON (CI).
//!
//! JSON shape: `{"programme", "conflicts": [{"kind", "severity", "participant", "session",
//! "start_utc", "end_utc", "start_local", "end_local", "detail"}], "burden": [{"participant",
//! "outside_hours_minutes", "night_minutes"}], "summary": {"error", "warning", "info"},
//! "busy_calendars": [{"participant", "file", "status", "problems", "notes"}]}`, where `status` is
//! `unreadable` (its clashes are not checked) or `read with notes`, and `problems` and `notes`
//! are lists of `{"location", "message", "help"}`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::{Burden, BusyStatus, Report, Severity, one_line};
use crate::error::Diagnostic;
use crate::neutralise::terminal;
use crate::occurrence::Schedule;
use crate::programme::Programme;
use crate::times::{local_string, utc_string};
use crate::zone::Zone;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For a terminal: grouped by severity, then participant.
    Text,
    /// Stable, for CI.
    Json,
    /// For a pull-request comment.
    Markdown,
}

#[derive(Serialize)]
struct JsonConflict<'a> {
    kind: &'static str,
    severity: &'static str,
    participant: &'a str,
    session: &'a str,
    start_utc: String,
    end_utc: String,
    start_local: String,
    end_local: String,
    detail: &'a str,
}

#[derive(Serialize)]
struct JsonBurden<'a> {
    participant: &'a str,
    outside_hours_minutes: i64,
    night_minutes: i64,
}

#[derive(Serialize)]
struct JsonSummary {
    error: usize,
    warning: usize,
    info: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    programme: &'a str,
    conflicts: Conflicts<'a>,
    burden: Burdens<'a>,
    summary: JsonSummary,
    busy_calendars: Vec<JsonBusyCalendar<'a>>,
}

#[derive(Serialize)]
struct JsonBusyCalendar<'a> {
    participant: &'a str,
    file: String,
    status: &'static str,
    problems: Vec<JsonDiagnostic<'a>>,
    notes: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    location: Option<String>,
    message: &'a str,
    help: Option<&'a str>,
}

impl<'a> JsonDiagnostic<'a> {
    fn of(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            location: d.location.as_ref().map(|l| l.to_string()),
            message: &d.message,
            help: d.help.as_deref(),
        }
    }
}

/// `unreadable` or `read with notes`.
fn status_word(s: &BusyStatus) -> &'static str {
    if s.unreadable() {
        "unreadable"
    } else {
        "read with notes"
    }
}

/// Notes shown per calendar in text and markdown (the JSON has them all).
const NOTES_SHOWN: usize = 3;

/// The conflicts, serialized one at a time as they are written (a large programme has a
/// million of them; their JSON would be hundreds of megabytes held at once).
struct Conflicts<'a> {
    programme: &'a Programme,
    schedule: &'a Schedule,
    report: &'a Report,
}

impl Serialize for Conflicts<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (programme, schedule) = (self.programme, self.schedule);
        serializer.collect_seq(self.report.conflicts.iter().map(|c| {
            let o = &schedule.occurrences[c.occurrence];
            JsonConflict {
                kind: c.kind.word(),
                severity: c.kind.severity().word(),
                participant: &programme.participants[c.participant].email,
                session: &programme.sessions[o.session].id,
                start_utc: utc_string(o.start),
                end_utc: utc_string(o.end),
                start_local: local_string(c.start_local),
                end_local: local_string(c.end_local),
                detail: &c.detail,
            }
        }))
    }
}

/// The burden per participant, serialized as it is written.
struct Burdens<'a> {
    programme: &'a Programme,
    report: &'a Report,
}

impl Serialize for Burdens<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.report.burden.iter().map(|(p, b)| JsonBurden {
            participant: &self.programme.participants[*p].email,
            outside_hours_minutes: b.outside_hours_minutes,
            night_minutes: b.night_minutes,
        }))
    }
}

/// Renders `report` in `format`. `colour` adds ANSI colours to text.
pub fn render(
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
    format: Format,
    colour: bool,
) -> String {
    match format {
        Format::Json => {
            let mut bytes = Vec::new();
            // Writing to memory cannot fail, and the JSON is UTF-8.
            let _ = write_json(&mut bytes, programme, schedule, report);
            String::from_utf8(bytes).unwrap_or_default()
        }
        Format::Text => text(programme, schedule, report, colour),
        Format::Markdown => markdown(programme, schedule, report),
    }
}

/// Writes `report` in `format` to `out`; JSON is written as it is produced, never held whole.
pub fn write(
    out: &mut dyn std::io::Write,
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
    format: Format,
    colour: bool,
) -> std::io::Result<()> {
    match format {
        Format::Json => write_json(out, programme, schedule, report),
        _ => out.write_all(render(programme, schedule, report, format, colour).as_bytes()),
    }
}

fn write_json(
    out: &mut dyn std::io::Write,
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let [error, warning, info] = report.counts();
    let doc = JsonReport {
        programme: &programme.id,
        conflicts: Conflicts {
            programme,
            schedule,
            report,
        },
        burden: Burdens { programme, report },
        summary: JsonSummary {
            error,
            warning,
            info,
        },
        busy_calendars: report
            .busy_calendars
            .iter()
            .map(|s| JsonBusyCalendar {
                participant: &programme.participants[s.participant].email,
                file: s.file.display().to_string(),
                status: status_word(s),
                problems: s.problems.iter().map(JsonDiagnostic::of).collect(),
                notes: s.notes.iter().map(JsonDiagnostic::of).collect(),
            })
            .collect(),
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The region of a zone: its first path component (`Africa`, `America`), or `UTC offsets`.
pub fn region(zone: &Zone) -> String {
    match zone {
        Zone::Iana(tz) => tz.name().split('/').next().unwrap_or("Other").to_string(),
        Zone::Fixed(_) => "UTC offsets".to_string(),
    }
}

/// The `n` most burdened regions with any burden: (region, participants, summed burden), most
/// burdened first.
pub fn most_burdened_regions(
    programme: &Programme,
    report: &Report,
    n: usize,
) -> Vec<(String, usize, Burden)> {
    let mut map: BTreeMap<String, (usize, Burden)> = BTreeMap::new();
    for (p, b) in &report.burden {
        let e = map
            .entry(region(&programme.participants[*p].timezone.zone))
            .or_default();
        e.0 += 1;
        e.1.night_minutes += b.night_minutes;
        e.1.outside_hours_minutes += b.outside_hours_minutes;
    }
    let mut list: Vec<(String, usize, Burden)> =
        map.into_iter().map(|(r, (n, b))| (r, n, b)).collect();
    list.sort_by(|a, b| b.2.weight().cmp(&a.2.weight()).then_with(|| a.0.cmp(&b.0)));
    list.retain(|r| r.2.weight() > 0);
    list.truncate(n);
    list
}

const TOP: usize = 10;

fn paint(colour: bool, code: &str, text: &str) -> String {
    if colour {
        format!("\u{1b}[{code}m{text}\u{1b}[0m")
    } else {
        text.to_string()
    }
}

fn text(programme: &Programme, schedule: &Schedule, report: &Report, colour: bool) -> String {
    let mut out = String::new();
    let [e, w, i] = report.counts();
    let _ = writeln!(
        out,
        "{} ({}): {e} errors, {w} warnings, {i} info",
        terminal(&programme.title),
        programme.id
    );
    for (severity, code) in [
        (Severity::Error, "1;31"),
        (Severity::Warning, "1;33"),
        (Severity::Info, "1;34"),
    ] {
        let list = report.of_severity(severity);
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                colour,
                code,
                &format!("{} ({})", plural(severity), list.len())
            )
        );
        let mut last = None;
        for c in list {
            let p = &programme.participants[c.participant];
            if last != Some(c.participant) {
                last = Some(c.participant);
                let _ = writeln!(
                    out,
                    "  {} <{}> ({})",
                    terminal(&p.name),
                    terminal(&p.email),
                    p.timezone.label()
                );
            }
            let o = &schedule.occurrences[c.occurrence];
            let _ = writeln!(
                out,
                "    {:<13} {:<20} {}  {}",
                c.kind.word(),
                programme.sessions[o.session].id,
                c.start_local.format("%a %d %b %Y %H:%M"),
                terminal(&c.detail)
            );
        }
    }
    if !report.busy_calendars.is_empty() {
        let unreadable = report
            .busy_calendars
            .iter()
            .filter(|s| s.unreadable())
            .count();
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                colour,
                "1;35",
                &format!(
                    "Busy calendars ({unreadable} unreadable: their clashes are not checked; {} read with notes)",
                    report.busy_calendars.len() - unreadable
                )
            )
        );
        for s in &report.busy_calendars {
            let p = &programme.participants[s.participant];
            let _ = writeln!(
                out,
                "  {} <{}> ({})",
                terminal(&p.name),
                terminal(&p.email),
                p.timezone.label()
            );
            for d in &s.problems {
                let _ = writeln!(
                    out,
                    "    busy calendar unreadable: {}",
                    terminal(&one_line(d))
                );
            }
            if !s.notes.is_empty() {
                let _ = writeln!(
                    out,
                    "    busy calendar read with {} note(s):",
                    s.notes.len()
                );
                for d in s.notes.iter().take(NOTES_SHOWN) {
                    let _ = writeln!(out, "      {}", terminal(&one_line(d)));
                }
                if s.notes.len() > NOTES_SHOWN {
                    let _ = writeln!(
                        out,
                        "      … and {} more (see --format json)",
                        s.notes.len() - NOTES_SHOWN
                    );
                }
            }
        }
    }
    let burdened = report.most_burdened(TOP);
    if !burdened.is_empty() {
        let _ = writeln!(
            out,
            "\nMost burdened participants (minutes in the night, outside working hours)"
        );
        for (p, b) in burdened {
            let p = &programme.participants[*p];
            let _ = writeln!(
                out,
                "  {:>5} {:>5}  {} <{}> ({})",
                b.night_minutes,
                b.outside_hours_minutes,
                terminal(&p.name),
                terminal(&p.email),
                p.timezone.label()
            );
        }
        let _ = writeln!(
            out,
            "\nMost burdened regions (participants, minutes in the night, outside working hours)"
        );
        for (r, n, b) in most_burdened_regions(programme, report, TOP) {
            let _ = writeln!(
                out,
                "  {n:>5} {:>6} {:>6}  {}",
                b.night_minutes,
                b.outside_hours_minutes,
                terminal(&r)
            );
        }
    }
    out
}

fn plural(s: Severity) -> &'static str {
    match s {
        Severity::Error => "errors",
        Severity::Warning => "warnings",
        Severity::Info => "info",
        Severity::Never => "",
    }
}

/// A markdown table cell: text from forms and busy calendars, neutralised
/// ([`crate::neutralise::markdown`]).
fn cell(text: &str) -> String {
    crate::neutralise::markdown(text)
}

/// Rows per severity shown in markdown (a pull-request comment has a size limit); the JSON has all.
const MARKDOWN_ROWS: usize = 200;

fn markdown(programme: &Programme, schedule: &Schedule, report: &Report) -> String {
    let mut out = String::new();
    let [e, w, i] = report.counts();
    let _ = writeln!(out, "## roundtable check: {}\n", cell(&programme.title));
    let _ = writeln!(out, "**{e}** errors · **{w}** warnings · **{i}** info\n");
    let mut by_kind: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for c in &report.conflicts {
        *by_kind
            .entry((c.kind.severity(), c.kind.word()))
            .or_default() += 1;
    }
    if !by_kind.is_empty() {
        let _ = writeln!(out, "| kind | severity | conflicts |\n| --- | --- | ---: |");
        for ((s, k), n) in &by_kind {
            let _ = writeln!(out, "| {k} | {} | {n} |", s.word());
        }
        out.push('\n');
    }
    if !report.busy_calendars.is_empty() {
        let _ = writeln!(
            out,
            "### Busy calendars\n\nAn unreadable calendar's clashes are not checked.\n\n| participant | status | what |\n| --- | --- | --- |"
        );
        for s in &report.busy_calendars {
            let p = &programme.participants[s.participant];
            let mut what: Vec<String> = s
                .problems
                .iter()
                .map(|d| format!("busy calendar unreadable: {}", cell(&one_line(d))))
                .collect();
            if !s.notes.is_empty() {
                what.push(format!("{} note(s)", s.notes.len()));
                what.extend(s.notes.iter().take(NOTES_SHOWN).map(|d| cell(&one_line(d))));
                if s.notes.len() > NOTES_SHOWN {
                    what.push(format!(
                        "… and {} more (see the JSON report)",
                        s.notes.len() - NOTES_SHOWN
                    ));
                }
            }
            let _ = writeln!(
                out,
                "| {} &lt;{}&gt; | {} | {} |",
                cell(&p.name),
                cell(&p.email),
                status_word(s),
                what.join("<br>")
            );
        }
        out.push('\n');
    }
    let burdened = report.most_burdened(TOP);
    if !burdened.is_empty() {
        let _ = writeln!(
            out,
            "### Most burdened participants\n\n| participant | zone | night minutes | outside-hours minutes |\n| --- | --- | ---: | ---: |"
        );
        for (p, b) in burdened {
            let p = &programme.participants[*p];
            let _ = writeln!(
                out,
                "| {} &lt;{}&gt; | {} | {} | {} |",
                cell(&p.name),
                cell(&p.email),
                cell(&p.timezone.written),
                b.night_minutes,
                b.outside_hours_minutes
            );
        }
        let _ = writeln!(
            out,
            "\n### Most burdened regions\n\n| region | participants | night minutes | outside-hours minutes |\n| --- | ---: | ---: | ---: |"
        );
        for (r, n, b) in most_burdened_regions(programme, report, TOP) {
            let _ = writeln!(
                out,
                "| {} | {n} | {} | {} |",
                cell(&r),
                b.night_minutes,
                b.outside_hours_minutes
            );
        }
        out.push('\n');
    }
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let list = report.of_severity(severity);
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<details><summary>{} {}</summary>\n",
            list.len(),
            plural(severity)
        );
        let _ = writeln!(
            out,
            "| participant | session | local start | kind | detail |\n| --- | --- | --- | --- | --- |"
        );
        for c in list.iter().take(MARKDOWN_ROWS) {
            let p = &programme.participants[c.participant];
            let o = &schedule.occurrences[c.occurrence];
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&p.email),
                cell(&programme.sessions[o.session].id),
                c.start_local.format("%a %d %b %Y %H:%M"),
                c.kind.word(),
                cell(&c.detail)
            );
        }
        if list.len() > MARKDOWN_ROWS {
            let _ = writeln!(
                out,
                "\n… and {} more (see the JSON report).",
                list.len() - MARKDOWN_ROWS
            );
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    out
}
