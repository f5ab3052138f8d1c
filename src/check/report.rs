//! The check report as text (terminal), markdown (pull-request comment) and JSON (CI).
//!
//! Every format leads with summaries ([`super::summary`]): per session and kind, per day (in the
//! programme's zone) and kind, and the most affected participants; then the details, where the
//! same conflict of several participants of one zone on one day is one row naming them all.
//!
//! JSON shape: `{"programme", "summary": {"error", "warning", "info", "sessions": [{"session",
//! "kind", "severity", "participants", "occurrences", "conflicts"}], "days": [{"date", "kind",
//! "severity", "participants", "conflicts"}], "most_affected": [{"participant", "zone",
//! "error", "warning", "info", "night_minutes", "outside_hours_minutes", "session",
//! "start_local", "end_local"}]}, "groups": [{"kind", "severity", "session", "start_utc",
//! "end_utc", "zone", "start_local", "end_local", "detail", "participants": [e-mail]}],
//! "conflicts": [{"kind", "severity", "participant", "session", "start_utc", "end_utc",
//! "start_local", "end_local", "detail"}], "burden": [{"participant", "outside_hours_minutes",
//! "night_minutes"}], "busy_calendars": [{"participant", "file", "status", "problems",
//! "notes"}]}`, where `status` is `unreadable` (its clashes are not checked) or `read with
//! notes`, and `problems` and `notes` are lists of `{"location", "message", "help"}`.
//! `conflicts` keeps one entry per participant and occurrence, as before `groups` existed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::pretty::{self, CHUNK, Object, Serde};
use super::summary::{self, Affected, DayLine, Group, SessionLine, count, local_span};
use super::{Burden, BusyStatus, Conflict, ConflictSeverity, Report, SeverityCounts, one_line};
use crate::error::Diagnostic;
use crate::jobs::Jobs;
use crate::neutralise::terminal;
use crate::occurrence::Schedule;
use crate::programme::Programme;
use crate::times::Stamp;
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

/// A conflict in the JSON report: its members in this order (written by hand, see
/// [`pretty::Layout`]; `Serialize` is what the tests compare it with).
#[derive(Serialize)]
struct JsonConflict<'a> {
    kind: &'static str,
    severity: &'static str,
    participant: &'a str,
    session: &'a str,
    start_utc: Stamp,
    end_utc: Stamp,
    start_local: Stamp,
    end_local: Stamp,
    detail: &'a str,
    /// How it is written ([`CONFLICT_KEYS`] at its depth), made once for all.
    #[serde(skip)]
    layout: &'a pretty::Layout,
}

/// The members of a conflict in the JSON report, in order.
const CONFLICT_KEYS: [&str; 9] = [
    "kind",
    "severity",
    "participant",
    "session",
    "start_utc",
    "end_utc",
    "start_local",
    "end_local",
    "detail",
];

/// The members of a conflict that never need an escape ([`pretty::Layout::write`]): its kind
/// and severity (words of roundtable's), and its four time stamps.
const CONFLICT_PLAIN: u16 = 0b1111_0011;

impl pretty::Element for JsonConflict<'_> {
    fn write<W: std::io::Write>(&self, out: &mut W, depth: usize) -> std::io::Result<()> {
        let (c, layout) = (self, self.layout);
        let values: [&[u8]; 9] = [
            c.kind.as_bytes(),
            c.severity.as_bytes(),
            c.participant.as_bytes(),
            c.session.as_bytes(),
            c.start_utc.as_bytes(),
            c.end_utc.as_bytes(),
            c.start_local.as_bytes(),
            c.end_local.as_bytes(),
            c.detail.as_bytes(),
        ];
        if layout.is_at(depth) {
            layout.write(out, &values, CONFLICT_PLAIN, true)
        } else {
            // Not at the depth of the report's list: made for this one.
            pretty::Layout::new(depth, &CONFLICT_KEYS).write(out, &values, CONFLICT_PLAIN, true)
        }
    }
}

#[derive(Serialize)]
struct JsonBurden<'a> {
    participant: &'a str,
    outside_hours_minutes: i64,
    night_minutes: i64,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    error: usize,
    warning: usize,
    info: usize,
    sessions: Vec<JsonSessionLine<'a>>,
    days: Vec<JsonDayLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    most_affected: Option<Vec<JsonAffected<'a>>>,
}

/// A line of [`summary::by_session`] in JSON (also the public summary's).
#[derive(Serialize)]
pub(super) struct JsonSessionLine<'a> {
    session: &'a str,
    kind: &'static str,
    severity: &'static str,
    participants: usize,
    occurrences: usize,
    conflicts: usize,
}

impl<'a> JsonSessionLine<'a> {
    pub(super) fn of(programme: &'a Programme, l: &SessionLine) -> Self {
        JsonSessionLine {
            session: &programme.sessions[l.session].id,
            kind: l.kind.word(),
            severity: l.kind.severity().word(),
            participants: l.participants,
            occurrences: l.occurrences,
            conflicts: l.conflicts,
        }
    }
}

/// A line of [`summary::by_day`] in JSON (also the public summary's).
#[derive(Serialize)]
pub(super) struct JsonDayLine {
    date: String,
    kind: &'static str,
    severity: &'static str,
    participants: usize,
    conflicts: usize,
}

impl JsonDayLine {
    pub(super) fn of(l: &DayLine) -> Self {
        JsonDayLine {
            date: l.date.format("%Y-%m-%d").to_string(),
            kind: l.kind.word(),
            severity: l.kind.severity().word(),
            participants: l.participants,
            conflicts: l.conflicts,
        }
    }
}

#[derive(Serialize)]
struct JsonAffected<'a> {
    participant: &'a str,
    zone: String,
    error: usize,
    warning: usize,
    info: usize,
    night_minutes: i64,
    outside_hours_minutes: i64,
    session: &'a str,
    start_local: Stamp,
    end_local: Stamp,
}

/// A group of conflicts in the JSON report: written by hand ([`pretty::Layout`]), its members in
/// this order.
struct JsonGroup<'a> {
    kind: &'static str,
    severity: &'static str,
    session: &'a str,
    start_utc: Stamp,
    end_utc: Stamp,
    zone: &'a str,
    start_local: Stamp,
    end_local: Stamp,
    detail: &'a str,
    participants: Emails<'a>,
    /// How it is written ([`GROUP_KEYS`] at its depth), made once for all.
    layout: &'a pretty::Layout,
}

/// The members of a group in the JSON report before its list of participants, in order.
const GROUP_KEYS: [&str; 9] = [
    "kind",
    "severity",
    "session",
    "start_utc",
    "end_utc",
    "zone",
    "start_local",
    "end_local",
    "detail",
];

/// The members of a group that never need an escape ([`pretty::Layout::write`]): its kind and
/// severity, its four time stamps, and its zone's name (of the tz database, or `UTC±hh:mm`).
const GROUP_PLAIN: u16 = 0b1111_1011;

impl pretty::Element for JsonGroup<'_> {
    fn write<W: std::io::Write>(&self, out: &mut W, depth: usize) -> std::io::Result<()> {
        let values: [&[u8]; 9] = [
            self.kind.as_bytes(),
            self.severity.as_bytes(),
            self.session.as_bytes(),
            self.start_utc.as_bytes(),
            self.end_utc.as_bytes(),
            self.zone.as_bytes(),
            self.start_local.as_bytes(),
            self.end_local.as_bytes(),
            self.detail.as_bytes(),
        ];
        let other;
        let layout = if self.layout.is_at(depth) {
            self.layout
        } else {
            other = pretty::Layout::new(depth, &GROUP_KEYS);
            &other
        };
        layout.write(out, &values, GROUP_PLAIN, false)?;
        layout.member(out, "participants")?;
        let participants = &self.participants.programme.participants;
        layout.strings(
            out,
            self.participants
                .group
                .participants(self.participants.report)
                .map(|p| participants[p].email.as_str()),
        )?;
        layout.end(out)
    }
}

/// A group's e-mails, written as they are read rather than collected first.
struct Emails<'a> {
    programme: &'a Programme,
    report: &'a Report,
    group: &'a Group,
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
            let _ = write_json(&mut bytes, programme, schedule, report, Jobs::ONE);
            String::from_utf8(bytes).unwrap_or_default()
        }
        Format::Text => text(programme, schedule, report, colour),
        Format::Markdown => markdown(programme, schedule, report),
    }
}

/// Writes `report` in `format` to `out`; JSON is written as it is produced, never held whole,
/// its large arrays rendered on `jobs` threads (the bytes are the same at any number).
pub fn write(
    out: &mut dyn std::io::Write,
    (programme, schedule, report): (&Programme, &Schedule, &Report),
    format: Format,
    colour: bool,
    jobs: Jobs,
) -> std::io::Result<()> {
    match format {
        Format::Json => write_json(out, programme, schedule, report, jobs),
        _ => out.write_all(render(programme, schedule, report, format, colour).as_bytes()),
    }
}

/// The JSON of a conflict is about this many times that of an e-mail in a group's list (~400
/// bytes against ~25).
const CONFLICT_IN_EMAILS: usize = 16;
/// A group's fields but its list of e-mails, in e-mails (about a conflict's).
const GROUP_FIELDS_IN_EMAILS: usize = 16;

fn write_json(
    out: &mut dyn std::io::Write,
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
    jobs: Jobs,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut doc = Object::begin(&mut out, 0)?;
    doc.member("programme", &programme.id)?;
    // The groups are made on another thread while the summary is written (both read the
    // report only). At one job they are made once the summary is written and gone: a summary
    // per session and the groups held together were the peak of `build` at 100,000
    // participants, which writes this report at one job.
    let (summary, groups) = crate::jobs::join(
        jobs,
        || doc.member("summary", &json_summary(programme, schedule, report)),
        || summary::groups(programme, schedule, report, jobs),
    );
    summary?;
    // A group is a conflict's fields and an e-mail per participant: weighed in e-mails, a
    // chunk holds about as much as CHUNK conflicts.
    let by_size = pretty::by_weight(
        groups.len(),
        |i| GROUP_FIELDS_IN_EMAILS + groups[i].conflicts.len(),
        CHUNK * CONFLICT_IN_EMAILS,
    );
    // Each occurrence's UTC start and end, written once: every conflict and group shows them.
    let utc: Vec<(Stamp, Stamp)> = schedule
        .occurrences
        .iter()
        .map(|o| (Stamp::utc(o.start), Stamp::utc(o.end)))
        .collect();
    // The report's arrays are members of the document (depth 0): their elements at depth 2.
    let group_layout = pretty::Layout::new(2, &GROUP_KEYS);
    doc.array("groups", &by_size, jobs, |i| {
        json_group(programme, schedule, &utc, report, &groups[i], &group_layout)
    })?;
    let conflict_layout = pretty::Layout::new(2, &CONFLICT_KEYS);
    doc.array(
        "conflicts",
        &pretty::even(report.conflicts.len(), CHUNK),
        jobs,
        |i| {
            json_conflict(
                programme,
                schedule,
                &utc,
                &report.conflicts[i],
                &conflict_layout,
            )
        },
    )?;
    doc.array(
        "burden",
        &pretty::even(report.burden.len(), CHUNK),
        jobs,
        |i| {
            let (p, b) = &report.burden[i];
            Serde(JsonBurden {
                participant: &programme.participants[*p].email,
                outside_hours_minutes: b.outside_hours_minutes,
                night_minutes: b.night_minutes,
            })
        },
    )?;
    let busy_calendars: Vec<JsonBusyCalendar> = report
        .busy_calendars
        .iter()
        .map(|s| JsonBusyCalendar {
            participant: &programme.participants[s.participant].email,
            file: s.file.display().to_string(),
            status: status_word(s),
            problems: s.problems.iter().map(JsonDiagnostic::of).collect(),
            notes: s.notes.iter().map(JsonDiagnostic::of).collect(),
        })
        .collect();
    doc.member("busy_calendars", &busy_calendars)?;
    doc.end()?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The JSON report's `summary`: counts, per session, per day, the most affected.
fn json_summary<'a>(
    programme: &'a Programme,
    schedule: &Schedule,
    report: &Report,
) -> JsonSummary<'a> {
    let SeverityCounts {
        errors: error,
        warnings: warning,
        info,
    } = report.counts();
    let most_affected = summary::most_affected(programme, report, MOST_AFFECTED)
        .iter()
        .map(|a| {
            let c = &report.conflicts[a.first];
            JsonAffected {
                participant: &programme.participants[a.participant].email,
                zone: programme.participants[a.participant].timezone.label(),
                error: a.counts.errors,
                warning: a.counts.warnings,
                info: a.counts.info,
                night_minutes: a.night_minutes,
                outside_hours_minutes: a.outside_hours_minutes,
                session: &programme.sessions[schedule.occurrences[c.occurrence()].session].id,
                start_local: Stamp::local(c.start_local(schedule)),
                end_local: Stamp::local(c.end_local(schedule)),
            }
        })
        .collect();
    JsonSummary {
        error,
        warning,
        info,
        sessions: summary::by_session(schedule, report, |_| true)
            .iter()
            .map(|l| JsonSessionLine::of(programme, l))
            .collect(),
        days: summary::by_day(programme, schedule, report, |_| true)
            .iter()
            .map(JsonDayLine::of)
            .collect(),
        most_affected: Some(most_affected),
    }
}

/// A conflict in the JSON report's `conflicts`.
fn json_conflict<'a>(
    programme: &'a Programme,
    schedule: &Schedule,
    utc: &[(Stamp, Stamp)],
    c: &'a Conflict,
    layout: &'a pretty::Layout,
) -> JsonConflict<'a> {
    let o = &schedule.occurrences[c.occurrence()];
    let (start_utc, end_utc) = utc[c.occurrence()];
    JsonConflict {
        kind: c.kind.word(),
        severity: c.kind.severity().word(),
        participant: &programme.participants[c.participant()].email,
        session: &programme.sessions[o.session].id,
        start_utc,
        end_utc,
        start_local: Stamp::local(c.start_local(schedule)),
        end_local: Stamp::local(c.end_local(schedule)),
        detail: &c.detail,
        layout,
    }
}

/// A group in the JSON report's `groups`.
fn json_group<'a>(
    programme: &'a Programme,
    schedule: &Schedule,
    utc: &[(Stamp, Stamp)],
    report: &'a Report,
    g: &'a Group,
    layout: &'a pretty::Layout,
) -> JsonGroup<'a> {
    let c = g.first(report);
    let o = &schedule.occurrences[c.occurrence()];
    let (start_utc, end_utc) = utc[c.occurrence()];
    JsonGroup {
        kind: c.kind.word(),
        severity: c.kind.severity().word(),
        session: &programme.sessions[o.session].id,
        start_utc,
        end_utc,
        zone: &g.zone,
        start_local: Stamp::local(c.start_local(schedule)),
        end_local: Stamp::local(c.end_local(schedule)),
        detail: &c.detail,
        participants: Emails {
            programme,
            report,
            group: g,
        },
        layout,
    }
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

/// Regions listed as the most burdened.
const TOP: usize = 10;

/// Participants listed as the most affected.
pub const MOST_AFFECTED: usize = 5;

fn paint(colour: bool, code: &str, text: &str) -> String {
    if colour {
        format!("\u{1b}[{code}m{text}\u{1b}[0m")
    } else {
        text.to_string()
    }
}

/// `Tue 14 Nov 2023`.
fn day(date: chrono::NaiveDate) -> String {
    date.format("%a %d %b %Y").to_string()
}

/// The summaries every text report (private or public) leads with.
pub(super) fn text_summaries(
    out: &mut String,
    programme: &Programme,
    sessions: &[SessionLine],
    days: &[DayLine],
) {
    if !sessions.is_empty() {
        let _ = writeln!(out, "\nBy session");
        for l in sessions {
            let _ = writeln!(
                out,
                "  {:<20} {:<13} {:<7} {:>16}, {}",
                programme.sessions[l.session].id,
                l.kind.word(),
                l.kind.severity().word(),
                count(l.participants, "participant"),
                count(l.occurrences, "occurrence")
            );
        }
    }
    if !days.is_empty() {
        let _ = writeln!(
            out,
            "\nBy day (the sessions' dates in {})",
            terminal(&programme.timezone.label())
        );
        for l in days {
            let _ = writeln!(
                out,
                "  {}  {:<13} {:<7} {:>16}",
                day(l.date),
                l.kind.word(),
                l.kind.severity().word(),
                count(l.participants, "participant")
            );
        }
    }
}

fn text(programme: &Programme, schedule: &Schedule, report: &Report, colour: bool) -> String {
    let mut out = String::new();
    let SeverityCounts {
        errors: e,
        warnings: w,
        info: i,
    } = report.counts();
    let _ = writeln!(
        out,
        "{} ({}): {e} errors, {w} warnings, {i} info",
        terminal(&programme.title),
        programme.id
    );
    text_summaries(
        &mut out,
        programme,
        &summary::by_session(schedule, report, |_| true),
        &summary::by_day(programme, schedule, report, |_| true),
    );
    text_affected(
        &mut out,
        programme,
        schedule,
        report,
        &summary::most_affected(programme, report, MOST_AFFECTED),
    );
    text_regions(&mut out, &most_burdened_regions(programme, report, TOP));
    text_busy_calendars(&mut out, programme, report, colour);
    let all = summary::groups(programme, schedule, report, Jobs::ONE);
    for (severity, total, groups) in by_severity(&all, report) {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                colour,
                severity_colour(severity),
                &format!(
                    "{} ({}, in {})",
                    plural(severity),
                    total,
                    count(groups.len(), "row")
                )
            )
        );
        for g in groups {
            text_group(&mut out, programme, schedule, report, g);
        }
    }
    out
}

fn text_affected(
    out: &mut String,
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
    affected: &[Affected],
) {
    if affected.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nMost affected participants (errors, warnings, minutes in the night, outside working hours; their first conflict)"
    );
    for a in affected {
        let p = &programme.participants[a.participant];
        let c = &report.conflicts[a.first];
        let _ = writeln!(
            out,
            "  {:>3} {:>3} {:>5} {:>5}  {} <{}> ({}): {} {} {}",
            a.counts.errors,
            a.counts.warnings,
            a.night_minutes,
            a.outside_hours_minutes,
            terminal(&p.name),
            terminal(&p.email),
            p.timezone.label(),
            c.kind.word(),
            programme.sessions[schedule.occurrences[c.occurrence()].session].id,
            local_span(c, schedule)
        );
    }
}

fn text_regions(out: &mut String, regions: &[(String, usize, Burden)]) {
    if regions.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nMost burdened regions (participants, minutes in the night, outside working hours)"
    );
    for (r, n, b) in regions {
        let _ = writeln!(
            out,
            "  {n:>5} {:>6} {:>6}  {}",
            b.night_minutes,
            b.outside_hours_minutes,
            terminal(r)
        );
    }
}

fn text_busy_calendars(out: &mut String, programme: &Programme, report: &Report, colour: bool) {
    if report.busy_calendars.is_empty() {
        return;
    }
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
        text_notes(out, s);
    }
}

/// The first [`NOTES_SHOWN`] notes of a calendar read with notes.
fn text_notes(out: &mut String, s: &BusyStatus) {
    if s.notes.is_empty() {
        return;
    }
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

/// A group's row and, below it, everyone it names.
fn text_group(
    out: &mut String,
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
    g: &Group,
) {
    let c = g.first(report);
    let o = &schedule.occurrences[c.occurrence()];
    let _ = writeln!(
        out,
        "  {:<13} {:<20} {}  {} ({})  {}",
        c.kind.word(),
        programme.sessions[o.session].id,
        c.start_local(schedule).format("%a %d %b %Y %H:%M"),
        terminal(&g.zone),
        count(g.conflicts.len(), "participant"),
        terminal(&c.detail)
    );
    let who: Vec<String> = g
        .participants(report)
        .map(|p| {
            let p = &programme.participants[p];
            format!("{} <{}>", terminal(&p.name), terminal(&p.email))
        })
        .collect();
    let _ = writeln!(out, "      {}", who.join(", "));
}

/// The details per severity, most severe first, with the severity's count of conflicts and its
/// groups; a severity without conflicts is left out.
fn by_severity<'g>(
    all: &'g [Group],
    report: &Report,
) -> Vec<(ConflictSeverity, usize, Vec<&'g Group>)> {
    let counts = report.counts();
    [
        ConflictSeverity::Error,
        ConflictSeverity::Warning,
        ConflictSeverity::Info,
    ]
    .into_iter()
    .map(|severity| (severity, counts.of(severity)))
    .filter(|&(_, total)| total > 0)
    .map(|(severity, total)| {
        let groups = all
            .iter()
            .filter(|g| g.severity(report) == severity)
            .collect();
        (severity, total, groups)
    })
    .collect()
}

/// The ANSI colour of a severity's heading.
fn severity_colour(s: ConflictSeverity) -> &'static str {
    match s {
        ConflictSeverity::Error => "1;31",
        ConflictSeverity::Warning => "1;33",
        ConflictSeverity::Info => "1;34",
    }
}

fn plural(s: ConflictSeverity) -> &'static str {
    match s {
        ConflictSeverity::Error => "errors",
        ConflictSeverity::Warning => "warnings",
        ConflictSeverity::Info => "info",
    }
}

/// A markdown table cell: text from forms and busy calendars, neutralised
/// ([`crate::neutralise::markdown`]).
fn cell(text: &str) -> String {
    crate::neutralise::markdown(text)
}

/// Rows per severity shown in markdown (a pull-request comment has a size limit); the JSON has all.
const MARKDOWN_ROWS: usize = 200;

/// Participants named in one markdown cell; the JSON report names them all.
const MARKDOWN_NAMES: usize = 20;

/// The summaries every markdown report (private or public) leads with.
pub(super) fn markdown_summaries(
    out: &mut String,
    programme: &Programme,
    sessions: &[SessionLine],
    days: &[DayLine],
) {
    if !sessions.is_empty() {
        let _ = writeln!(
            out,
            "### By session\n\n| session | kind | severity | participants | occurrences |\n| --- | --- | --- | ---: | ---: |"
        );
        for l in sessions {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&programme.sessions[l.session].id),
                l.kind.word(),
                l.kind.severity().word(),
                l.participants,
                l.occurrences
            );
        }
        out.push('\n');
    }
    if !days.is_empty() {
        let _ = writeln!(
            out,
            "### By day\n\nThe sessions' dates in {}.\n\n| date | kind | severity | participants |\n| --- | --- | --- | ---: |",
            cell(&programme.timezone.label())
        );
        for l in days {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                day(l.date),
                l.kind.word(),
                l.kind.severity().word(),
                l.participants
            );
        }
        out.push('\n');
    }
}

fn markdown_affected(
    out: &mut String,
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
    affected: &[Affected],
) {
    if affected.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### Most affected participants\n\n| participant | zone | errors | warnings | night minutes | outside-hours minutes | first conflict (local time) |\n| --- | --- | ---: | ---: | ---: | ---: | --- |"
    );
    for a in affected {
        let p = &programme.participants[a.participant];
        let c = &report.conflicts[a.first];
        let _ = writeln!(
            out,
            "| {} &lt;{}&gt; | {} | {} | {} | {} | {} | {} {} {} |",
            cell(&p.name),
            cell(&p.email),
            cell(&p.timezone.label()),
            a.counts.errors,
            a.counts.warnings,
            a.night_minutes,
            a.outside_hours_minutes,
            c.kind.word(),
            cell(&programme.sessions[schedule.occurrences[c.occurrence()].session].id),
            local_span(c, schedule)
        );
    }
    out.push('\n');
}

fn markdown(programme: &Programme, schedule: &Schedule, report: &Report) -> String {
    let mut out = String::new();
    let SeverityCounts {
        errors: e,
        warnings: w,
        info: i,
    } = report.counts();
    let _ = writeln!(out, "## roundtable check: {}\n", cell(&programme.title));
    let _ = writeln!(out, "**{e}** errors · **{w}** warnings · **{i}** info\n");
    markdown_kinds(&mut out, report);
    markdown_summaries(
        &mut out,
        programme,
        &summary::by_session(schedule, report, |_| true),
        &summary::by_day(programme, schedule, report, |_| true),
    );
    markdown_affected(
        &mut out,
        programme,
        schedule,
        report,
        &summary::most_affected(programme, report, MOST_AFFECTED),
    );
    markdown_busy_calendars(&mut out, programme, report);
    markdown_regions(&mut out, &most_burdened_regions(programme, report, TOP));
    let all = summary::groups(programme, schedule, report, Jobs::ONE);
    for (severity, total, groups) in by_severity(&all, report) {
        let _ = writeln!(
            out,
            "<details><summary>{total} {} in {}</summary>\n",
            plural(severity),
            count(groups.len(), "row")
        );
        let _ = writeln!(
            out,
            "| local time | session | kind | zone | participants | who | detail |\n| --- | --- | --- | --- | ---: | --- | --- |"
        );
        for g in groups.iter().take(MARKDOWN_ROWS) {
            markdown_group(&mut out, programme, schedule, report, g);
        }
        if groups.len() > MARKDOWN_ROWS {
            let _ = writeln!(
                out,
                "\n… and {} more rows (see the JSON report).",
                groups.len() - MARKDOWN_ROWS
            );
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    out
}

/// Conflicts per kind, most severe first.
fn markdown_kinds(out: &mut String, report: &Report) {
    let mut by_kind: BTreeMap<(ConflictSeverity, &str), usize> = BTreeMap::new();
    for c in &report.conflicts {
        *by_kind
            .entry((c.kind.severity(), c.kind.word()))
            .or_default() += 1;
    }
    if by_kind.is_empty() {
        return;
    }
    let _ = writeln!(out, "| kind | severity | conflicts |\n| --- | --- | ---: |");
    for ((s, k), n) in &by_kind {
        let _ = writeln!(out, "| {k} | {} | {n} |", s.word());
    }
    out.push('\n');
}

fn markdown_busy_calendars(out: &mut String, programme: &Programme, report: &Report) {
    if report.busy_calendars.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### Busy calendars\n\nAn unreadable calendar's clashes are not checked.\n\n| participant | status | what |\n| --- | --- | --- |"
    );
    for s in &report.busy_calendars {
        let p = &programme.participants[s.participant];
        let _ = writeln!(
            out,
            "| {} &lt;{}&gt; | {} | {} |",
            cell(&p.name),
            cell(&p.email),
            status_word(s),
            markdown_calendar_what(s).join("<br>")
        );
    }
    out.push('\n');
}

/// A calendar's problems and its first [`NOTES_SHOWN`] notes, one table cell's lines.
fn markdown_calendar_what(s: &BusyStatus) -> Vec<String> {
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
    what
}

fn markdown_regions(out: &mut String, regions: &[(String, usize, Burden)]) {
    if regions.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### Most burdened regions\n\n| region | participants | night minutes | outside-hours minutes |\n| --- | ---: | ---: | ---: |"
    );
    for (r, n, b) in regions {
        let _ = writeln!(
            out,
            "| {} | {n} | {} | {} |",
            cell(r),
            b.night_minutes,
            b.outside_hours_minutes
        );
    }
    out.push('\n');
}

/// A group's table row, naming at most [`MARKDOWN_NAMES`] participants.
fn markdown_group(
    out: &mut String,
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
    g: &Group,
) {
    let c = g.first(report);
    let o = &schedule.occurrences[c.occurrence()];
    let mut who: Vec<String> = g
        .participants(report)
        .take(MARKDOWN_NAMES)
        .map(|p| {
            let p = &programme.participants[p];
            format!("{} &lt;{}&gt;", cell(&p.name), cell(&p.email))
        })
        .collect();
    if g.conflicts.len() > MARKDOWN_NAMES {
        who.push(format!(
            "… and {} more (see the JSON report)",
            g.conflicts.len() - MARKDOWN_NAMES
        ));
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} |",
        local_span(c, schedule),
        cell(&programme.sessions[o.session].id),
        c.kind.word(),
        cell(&g.zone),
        g.conflicts.len(),
        who.join("<br>"),
        cell(&c.detail)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty::Element as _;

    /// The conflict written by hand is what serde_json writes for the same struct, at any depth,
    /// whatever its strings hold.
    #[test]
    fn a_conflict_is_written_as_serde_json_writes_it() {
        use chrono::TimeZone as _;
        let at = chrono::Utc
            .with_ymd_and_hms(2023, 10, 29, 0, 30, 0)
            .unwrap();
        let local = at.with_timezone(&chrono::FixedOffset::west_opt(3 * 3600 + 1800).unwrap());
        for (participant, detail) in [
            (
                "ana@example.org",
                "clashes with “Dentist” (UID a) Sat 28 Oct 21:00–22:00 local",
            ),
            (
                "\"q\"@example.org",
                "tab\there\nnew \\ line \u{1}\u{1f}\u{7f}",
            ),
            ("", ""),
        ] {
            let c = JsonConflict {
                kind: "busy",
                severity: "warning",
                participant,
                session: "s-1",
                start_utc: Stamp::utc(at),
                end_utc: Stamp::utc(at),
                start_local: Stamp::local(local),
                end_local: Stamp::local(local),
                detail,
                layout: &pretty::Layout::new(2, &CONFLICT_KEYS),
            };
            // At the depth of its layout, and at others.
            for depth in [0, 2, 3] {
                let (mut ours, mut theirs) = (Vec::new(), Vec::new());
                c.write(&mut ours, depth).unwrap();
                Serde(&c).write(&mut theirs, depth).unwrap();
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    String::from_utf8(theirs).unwrap()
                );
            }
        }
    }
}
