//! The overview page (`index.html`): one self-contained static file. Built with maud, which
//! escapes every interpolated value: names and titles come from registration forms.
//!
//! View models are computed here from the programme, the schedule and the check report; no time
//! conversion is done in the markup.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Timelike, Utc};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::check::{Kind, Report};
use crate::comfort::comfort;
use crate::occurrence::Schedule;
use crate::programme::{Participant, Programme};
use crate::times::utc_string;
use crate::zone::{ZoneSpec, describe_offset};

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// Participants shown by name in the participants table at most (the CSV index lists all).
const MAX_LISTED: usize = 2000;

/// Comfort of one hour column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Free,
    Inside,
    Outside,
    Night,
}

impl Cell {
    fn class(self) -> &'static str {
        match self {
            Cell::Free => "h",
            Cell::Inside => "h inside",
            Cell::Outside => "h outside",
            Cell::Night => "h night",
        }
    }
    /// A mark that does not rely on colour.
    fn mark(self) -> &'static str {
        match self {
            Cell::Free => "",
            Cell::Inside => "W",
            Cell::Outside => "O",
            Cell::Night => "N",
        }
    }
    fn words(self) -> &'static str {
        match self {
            Cell::Free => "",
            Cell::Inside => "working hours",
            Cell::Outside => "outside working hours",
            Cell::Night => "night",
        }
    }
}

/// One row of a session's grid: participants sharing a zone and hours.
struct Row<'a> {
    zone: &'a ZoneSpec,
    /// Their hours, when not the programme's defaults.
    hours: Option<String>,
    names: Vec<&'a str>,
    cells: [Cell; 24],
    local: String,
    offset_seconds: i32,
}

fn row_for<'a>(
    programme: &Programme,
    members: Vec<&'a Participant>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Row<'a> {
    let p = members[0];
    let zone = &p.timezone.zone;
    let s = zone.local(start);
    let e = zone.local(end);
    let from = i64::from(s.hour() * 60 + s.minute());
    let minutes = (end - start).num_minutes();
    let mut cells = [Cell::Free; 24];
    for (h, cell) in cells.iter_mut().enumerate() {
        let (a, b) = ((h as i64) * 60, (h as i64) * 60 + 60);
        let (lo, hi) = (from.max(a), (from + minutes).min(b));
        if lo >= hi {
            continue;
        }
        let c = comfort(
            zone,
            &p.working_hours,
            &p.night,
            &[],
            start + chrono::Duration::minutes(lo - from),
            hi - lo,
        );
        *cell = if c.night > 0 {
            Cell::Night
        } else if c.outside > 0 {
            Cell::Outside
        } else {
            Cell::Inside
        };
    }
    let next_day = (e.date_naive() - s.date_naive()).num_days();
    let local = format!(
        "{} {}–{}{} ({})",
        s.format("%a %d %b"),
        s.format("%H:%M"),
        e.format("%H:%M"),
        if next_day > 0 { " +1 day" } else { "" },
        describe_offset(*s.offset())
    );
    let mut names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
    names.sort_unstable();
    let hours = (p.working_hours != programme.working_hours || p.night != programme.night)
        .then(|| format!("work {}, night {}", p.working_hours, p.night));
    Row {
        zone: &p.timezone,
        hours,
        names,
        cells,
        local,
        offset_seconds: s.offset().local_minus_utc(),
    }
}

/// A URL that may be a link: only `https://` and `http://` (a `javascript:` URL from a form is
/// shown as text, never as a link).
fn web_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(u)
}

/// Where a participant's calendar is, relative to the page.
pub struct Links<'a> {
    /// `participants/<slug>.ics` per participant, in programme order.
    pub participant_files: &'a [String],
}

fn time_span(start: DateTime<Utc>, end: DateTime<Utc>, zone: &ZoneSpec) -> Markup {
    let s = zone.zone.local(start);
    let e = zone.zone.local(end);
    html! {
        time datetime=(utc_string(start)) data-start=(utc_string(start)) data-end=(utc_string(end)) {
            (s.format("%a %d %b %Y %H:%M")) "–" (e.format("%H:%M")) " " (zone.written)
            " · " (start.format("%H:%M")) "–" (end.format("%H:%M")) " UTC"
        }
    }
}

/// Renders the page.
pub fn render(
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
    links: &Links<'_>,
) -> String {
    let iana = |z: &ZoneSpec| match z.zone {
        crate::zone::Zone::Iana(tz) => Some(tz.name()),
        crate::zone::Zone::Fixed(_) => None,
    };
    let default_zone = iana(&programme.timezone).unwrap_or("UTC");
    let mut zones: BTreeSet<&str> = BTreeSet::new();
    zones.insert(default_zone);
    zones.insert("UTC");
    for p in &programme.participants {
        if let crate::zone::Zone::Iana(tz) = p.timezone.zone {
            zones.insert(tz.name());
        }
    }
    let counts = report.counts();
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &report.conflicts {
        *by_kind.entry(c.kind.word()).or_default() += 1;
    }
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(concat!("roundtable ", env!("CARGO_PKG_VERSION")));
                title { (programme.title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (programme.title) }
                    @if let Some(d) = &programme.description { p { (d) } }
                    p class="muted" {
                        "Organized by " (programme.organizer.name)
                        @if let Some(u) = programme.url.as_deref().and_then(web_url) { " · " a href=(u) { "programme page" } }
                    }
                    p {
                        a href=(format!("{}.ics", programme.id)) { "Whole programme calendar (.ics)" }
                        " · " a href="participants/index.csv" { "participants' calendars (CSV index)" }
                    }
                    p class="muted" {
                        "Served from a web host, these same files are subscription URLs: add the address of the .ics file as a calendar subscription (or replace https:// by webcal://) and updates arrive by themselves."
                    }
                }
                div class="controls" {
                    label for="tz" { "Show times in " }
                    select id="tz" name="tz" {
                        @for z in &zones {
                            option value=(z) selected[*z == default_zone] { (z) }
                        }
                    }
                    noscript { " Times are shown in " (programme.timezone.written) " and UTC." }
                }
                main {
                    section aria-labelledby="summary" {
                        h2 id="summary" { "Conflicts" }
                        p { (counts[0]) " errors · " (counts[1]) " warnings · " (counts[2]) " info — see " a href="report.md" { "the report" } " (" a href="report.json" { "JSON" } ")." }
                        @if !by_kind.is_empty() {
                            table {
                                caption class="sr" { "Conflicts by kind" }
                                thead { tr { th scope="col" { "kind" } th scope="col" { "severity" } th scope="col" { "count" } } }
                                tbody {
                                    @for (k, n) in &by_kind {
                                        tr { th scope="row" { (k) } td { (kind_severity(k)) } td { (n) } }
                                    }
                                }
                            }
                        }
                        @let burdened = report.most_burdened(10);
                        @if !burdened.is_empty() {
                            h3 { "Most burdened participants" }
                            div class="scroll" {
                                table {
                                    thead { tr { th scope="col" { "participant" } th scope="col" { "zone" } th scope="col" { "minutes in the night" } th scope="col" { "minutes outside working hours" } } }
                                    tbody {
                                        @for (i, b) in burdened {
                                            @let p = &programme.participants[*i];
                                            tr { th scope="row" { (p.name) } td { (p.timezone.written) } td { (b.night_minutes) } td { (b.outside_hours_minutes) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    section aria-labelledby="sessions" {
                        h2 id="sessions" { "Sessions" }
                        p class="legend" {
                            "In each row, the hours of that zone's day from midnight; the session is drawn across them: "
                            span class="inside" { "W" } "working hours "
                            span class="outside" { "O" } "outside working hours "
                            span class="night" { "N" } "night"
                        }
                        @for si in 0..programme.sessions.len() {
                            (session_section(programme, schedule, report, si))
                        }
                    }
                    (participants_section(programme, links))
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    markup.into_string()
}

fn kind_severity(word: &str) -> &'static str {
    [
        Kind::Night,
        Kind::OutsideHours,
        Kind::Overlap,
        Kind::Busy,
        Kind::Weekend,
        Kind::DstShift,
        Kind::DateShift,
    ]
    .iter()
    .find(|k| k.word() == word)
    .map_or("", |k| k.severity().word())
}

fn session_section(
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
    si: usize,
) -> Markup {
    let session = &programme.sessions[si];
    let occurrences: Vec<_> = schedule.of_session(si).collect();
    let audience = programme.audience_of(session);
    let Some(first) = occurrences.first() else {
        return html! {};
    };
    // One row per (zone, working hours, night), east to west.
    let mut groups: BTreeMap<
        (String, crate::hours::HoursRange, crate::hours::HoursRange),
        Vec<&Participant>,
    > = BTreeMap::new();
    for &i in &audience {
        let p = &programme.participants[i];
        groups
            .entry((p.timezone.written.clone(), p.working_hours, p.night))
            .or_default()
            .push(p);
    }
    let mut rows: Vec<Row<'_>> = groups
        .into_values()
        .map(|m| row_for(programme, m, first.start, first.end))
        .collect();
    rows.sort_by(|a, b| {
        b.offset_seconds
            .cmp(&a.offset_seconds)
            .then_with(|| a.zone.written.cmp(&b.zone.written))
    });
    let shifts = report
        .conflicts
        .iter()
        .filter(|c| c.kind == Kind::DstShift && schedule.occurrences[c.occurrence].session == si)
        .count();
    let anchor = format!("session-{}", session.id);
    html! {
        section aria-labelledby=(anchor) {
            h3 id=(anchor) { (session.title) }
            p {
                @for o in &occurrences { (time_span(o.start, o.end, &session.timezone)) br; }
                a href=(format!("sessions/{}.ics", session.id)) { "Invitation (.ics)" }
                @if let Some(u) = &session.join_url {
                    " · "
                    @if let Some(link) = web_url(u) { a href=(link) { "Join link" } } @else { "Join: " code { (u) } }
                }
                " · " (audience.len()) " participants"
            }
            @if let Some(d) = &session.description { p class="muted" { (d) } }
            @if occurrences.len() > 1 {
                p class="muted" { "The grid shows the first of " (occurrences.len()) " occurrences." @if shifts > 0 { " " span class="shift" { (shifts) " times a participant's local start shifts by DST" } " (see the report)." } }
            }
            div class="scroll" {
                table class="grid" {
                    caption class="sr" { "Local hours of " (session.title) " by zone" }
                    thead {
                        tr {
                            th scope="col" { "zone (participants), local time" }
                            @for h in 0..24 { th scope="col" { (format!("{h:02}")) } }
                        }
                    }
                    tbody {
                        @for r in &rows {
                            tr {
                                th scope="row" class="zone" title=(r.names.join(", ")) {
                                    details {
                                        summary { (r.zone.written) " (" (r.names.len()) ")" @if let Some(h) = &r.hours { " " span class="muted" { (h) } } }
                                        (r.names.join(", "))
                                    }
                                    span class="local" { (r.local) }
                                }
                                @for (h, c) in r.cells.iter().enumerate() {
                                    td class=(c.class()) title=(if *c == Cell::Free { String::new() } else { format!("{h:02}:00 {}", c.words()) }) {
                                        (c.mark())
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn participants_section(programme: &Programme, links: &Links<'_>) -> Markup {
    let mut order: Vec<usize> = (0..programme.participants.len()).collect();
    order.sort_by(|a, b| {
        programme.participants[*a]
            .name
            .cmp(&programme.participants[*b].name)
    });
    let shown = order.len().min(MAX_LISTED);
    html! {
        section aria-labelledby="participants" {
            h2 id="participants" { "Participants' calendars" }
            p { "Each calendar holds only that participant's sessions, each description opening with their own local time." }
            @if order.len() > shown { p { "The first " (shown) " of " (order.len()) " are listed; " a href="participants/index.csv" { "the CSV index" } " lists all." } }
            div class="scroll" {
                table {
                    thead { tr { th scope="col" { "name" } th scope="col" { "zone" } th scope="col" { "calendar" } } }
                    tbody {
                        @for &i in order.iter().take(shown) {
                            @let p = &programme.participants[i];
                            tr {
                                th scope="row" { (p.name) }
                                td { (p.timezone.written) }
                                td { @if let Some(f) = links.participant_files.get(i) { a href=(f) { ".ics" } } }
                            }
                        }
                    }
                }
            }
        }
    }
}
