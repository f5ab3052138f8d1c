//! The report anyone may read: what the conflicts are, per session, zone and local time, and
//! the burden per region, without naming anybody.
//!
//! It is what the public page shows and what `check --public` prints for a pull-request
//! comment on a public repository. It holds no name, no e-mail, and nothing from a busy
//! calendar: clashes with participants' own calendars are counted in the organizer's report
//! only (even a count per zone could tell that the one participant of a zone is busy).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use super::SeverityCounts;
use super::report::{
    Format, JsonDayLine, JsonSessionLine, markdown_summaries, most_burdened_regions, text_summaries,
};
use super::summary::{self, DayLine, SessionLine};
use super::{Kind, Report};
use crate::neutralise::{markdown, terminal};
use crate::occurrence::Schedule;
use crate::programme::Programme;

/// Conflicts of one kind in one session for the participants of one zone, at one local time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneLine {
    /// Index into [`Programme::sessions`].
    pub session: usize,
    /// The kind (never [`Kind::Busy`]).
    pub kind: Kind,
    /// The zone as written ([`crate::zone::ZoneSpec::label`]).
    pub zone: String,
    /// Local start and end of the first occurrence concerned (`Tue 14 Nov 23:00–01:00 +1 day`).
    pub local: String,
    /// How many participants of the zone are concerned.
    pub participants: usize,
    /// How many occurrences of the session are concerned.
    pub occurrences: usize,
}

/// The public summary of a report.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Per severity (error, warning, info), without busy-calendar clashes.
    pub counts: SeverityCounts,
    /// One line per (session, kind, zone, local time of day), by session order, then kind,
    /// then most participants.
    pub lines: Vec<ZoneLine>,
    /// Per region: participants, night minutes, outside-hours minutes.
    pub regions: Vec<(String, usize, i64, i64)>,
    /// Per session and kind, without busy-calendar clashes.
    pub sessions: Vec<SessionLine>,
    /// Per day (in the programme's zone) and kind, without busy-calendar clashes.
    pub days: Vec<DayLine>,
}

/// Summarises `report` without naming anyone.
pub fn summary(programme: &Programme, schedule: &Schedule, report: &Report) -> Summary {
    type Key = (usize, Kind, String, String);
    let mut groups: BTreeMap<Key, (BTreeSet<usize>, BTreeSet<usize>)> = BTreeMap::new();
    let mut counts = SeverityCounts::default();
    for c in report.conflicts.iter().filter(|c| c.kind != Kind::Busy) {
        counts.add(c.kind.severity());
        let o = &schedule.occurrences[c.occurrence()];
        let p = &programme.participants[c.participant()];
        let (start, end) = (c.start_local(schedule), c.end_local(schedule));
        let next_day = (end.date_naive() - start.date_naive()).num_days();
        let time = format!(
            "{}–{}{}",
            start.format("%H:%M"),
            end.format("%H:%M"),
            if next_day > 0 { " +1 day" } else { "" }
        );
        let e = groups
            .entry((o.session, c.kind, p.timezone.label(), time))
            .or_default();
        e.0.insert(c.participant());
        e.1.insert(c.occurrence());
    }
    let mut lines: Vec<ZoneLine> = groups
        .into_iter()
        .map(|((session, kind, zone, time), (who, when))| {
            let first = when.iter().next().map_or(String::new(), |&oi| {
                let o = &schedule.occurrences[oi];
                let local = programme.participants[*who.iter().next().unwrap_or(&0)]
                    .timezone
                    .zone
                    .local(o.start);
                format!("{} {time}", local.format("%a %d %b"))
            });
            ZoneLine {
                session,
                kind,
                zone,
                local: first,
                participants: who.len(),
                occurrences: when.len(),
            }
        })
        .collect();
    lines.sort_by(|a, b| {
        a.session
            .cmp(&b.session)
            .then(a.kind.cmp(&b.kind))
            .then(b.participants.cmp(&a.participants))
            .then_with(|| a.zone.cmp(&b.zone))
            .then_with(|| a.local.cmp(&b.local))
    });
    let regions = most_burdened_regions(programme, report, usize::MAX)
        .into_iter()
        .map(|(r, n, b)| (r, n, b.night_minutes, b.outside_hours_minutes))
        .collect();
    let public = |c: &super::Conflict| c.kind != Kind::Busy;
    Summary {
        counts,
        lines,
        regions,
        sessions: summary::by_session(schedule, report, public),
        days: summary::by_day(programme, schedule, report, public),
    }
}

#[derive(Serialize)]
struct JsonLine<'a> {
    session: &'a str,
    kind: &'static str,
    severity: &'static str,
    zone: &'a str,
    local: &'a str,
    participants: usize,
    occurrences: usize,
}

#[derive(Serialize)]
struct JsonRegion<'a> {
    region: &'a str,
    participants: usize,
    night_minutes: i64,
    outside_hours_minutes: i64,
}

#[derive(Serialize)]
struct JsonCounts<'a> {
    error: usize,
    warning: usize,
    info: usize,
    sessions: Vec<JsonSessionLine<'a>>,
    days: Vec<JsonDayLine>,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    programme: &'a str,
    public: bool,
    summary: JsonCounts<'a>,
    conflicts: Vec<JsonLine<'a>>,
    regions: Vec<JsonRegion<'a>>,
}

/// Renders the public summary. JSON: `{"programme", "public": true, "summary": {"error",
/// "warning", "info", "sessions": [{"session", "kind", "severity", "participants",
/// "occurrences", "conflicts"}], "days": [{"date", "kind", "severity", "participants",
/// "conflicts"}]}, "conflicts": [{"session", "kind", "severity", "zone", "local",
/// "participants", "occurrences"}], "regions": [{"region", "participants", "night_minutes",
/// "outside_hours_minutes"}]}`: counts only, no name or e-mail.
pub fn render(programme: &Programme, summary: &Summary, format: Format) -> String {
    let session_id = |i: usize| programme.sessions[i].id.as_str();
    match format {
        Format::Json => {
            let doc = JsonSummary {
                programme: &programme.id,
                public: true,
                summary: JsonCounts {
                    error: summary.counts.errors,
                    warning: summary.counts.warnings,
                    info: summary.counts.info,
                    sessions: summary
                        .sessions
                        .iter()
                        .map(|l| JsonSessionLine::of(programme, l))
                        .collect(),
                    days: summary.days.iter().map(JsonDayLine::of).collect(),
                },
                conflicts: summary
                    .lines
                    .iter()
                    .map(|l| JsonLine {
                        session: session_id(l.session),
                        kind: l.kind.word(),
                        severity: l.kind.severity().word(),
                        zone: &l.zone,
                        local: &l.local,
                        participants: l.participants,
                        occurrences: l.occurrences,
                    })
                    .collect(),
                regions: summary
                    .regions
                    .iter()
                    .map(|(r, n, night, outside)| JsonRegion {
                        region: r,
                        participants: *n,
                        night_minutes: *night,
                        outside_hours_minutes: *outside,
                    })
                    .collect(),
            };
            let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Text => text(programme, summary),
        Format::Markdown => markdown_report(programme, summary),
    }
}

const NOTE: &str = "No participant is named; clashes with participants' own calendars are in the organizer's report only.";

fn text(programme: &Programme, s: &Summary) -> String {
    let mut out = String::new();
    let SeverityCounts {
        errors: e,
        warnings: w,
        info: i,
    } = s.counts;
    let _ = writeln!(
        out,
        "{} ({}): {e} errors, {w} warnings, {i} info\n{NOTE}",
        terminal(&programme.title),
        programme.id
    );
    text_summaries(&mut out, programme, &s.sessions, &s.days);
    if !s.lines.is_empty() {
        let _ = writeln!(out, "\nBy session, zone and local time");
    }
    let mut last = None;
    for l in &s.lines {
        if last != Some(l.session) {
            last = Some(l.session);
            let session = &programme.sessions[l.session];
            let _ = writeln!(out, "\n{} ({})", terminal(&session.title), session.id);
        }
        let _ = writeln!(
            out,
            "  {:<13} {:<7} {:>17}  {:<28} {}{}",
            l.kind.word(),
            l.kind.severity().word(),
            summary::count(l.participants, "participant"),
            terminal(&l.zone),
            l.local,
            times(l.occurrences)
        );
    }
    if !s.regions.is_empty() {
        let _ = writeln!(
            out,
            "\nBurden by region (participants, minutes in the night, outside working hours)"
        );
        for (r, n, night, outside) in &s.regions {
            let _ = writeln!(out, "  {n:>5} {night:>6} {outside:>6}  {}", terminal(r));
        }
    }
    out
}

fn times(n: usize) -> String {
    if n > 1 {
        format!(" ({n} occurrences)")
    } else {
        String::new()
    }
}

fn markdown_report(programme: &Programme, s: &Summary) -> String {
    let mut out = String::new();
    let SeverityCounts {
        errors: e,
        warnings: w,
        info: i,
    } = s.counts;
    let _ = writeln!(out, "## roundtable check: {}\n", markdown(&programme.title));
    let _ = writeln!(
        out,
        "**{e}** errors · **{w}** warnings · **{i}** info\n\n{NOTE}\n"
    );
    markdown_summaries(&mut out, programme, &s.sessions, &s.days);
    if !s.lines.is_empty() {
        let _ = writeln!(
            out,
            "### By session, zone and local time\n\n| session | kind | severity | zone | local time | participants | occurrences |\n| --- | --- | --- | --- | --- | ---: | ---: |"
        );
        for l in &s.lines {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                markdown(&programme.sessions[l.session].id),
                l.kind.word(),
                l.kind.severity().word(),
                markdown(&l.zone),
                markdown(&l.local),
                l.participants,
                l.occurrences
            );
        }
        out.push('\n');
    }
    if !s.regions.is_empty() {
        let _ = writeln!(
            out,
            "### Burden by region\n\n| region | participants | night minutes | outside-hours minutes |\n| --- | ---: | ---: | ---: |"
        );
        for (r, n, night, outside) in &s.regions {
            let _ = writeln!(out, "| {} | {n} | {night} | {outside} |", markdown(r));
        }
        out.push('\n');
    }
    out
}
