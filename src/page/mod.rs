//! The overview page (`index.html`): one self-contained static file. Built with maud, which
//! escapes every interpolated value: names and titles come from registration forms.
//!
//! The page is public: it names nobody unless the programme sets `public_names = true` (then the
//! participants' names and calendar links are listed), shows counts per zone instead, and holds
//! nothing from busy calendars (its conflict summary is [`crate::check::public`]). It opens
//! with what a participant wants to know, "when is this for me?", in the viewer's zone; then the
//! grids; then the summaries for organizers.
//!
//! View models are computed here from the programme, the schedule and the check report; no time
//! conversion is done in the markup. The script converts the same instants in the browser.

use std::collections::BTreeMap;

use chrono::{DateTime, Timelike, Utc};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::i18n::Lang;
use crate::i18n::messages::text;

use crate::check::Report;
use crate::check::public::{Summary, summary};
use crate::comfort::comfort;
use crate::occurrence::Schedule;
use crate::programme::{Participant, Programme};
use crate::times::utc_string;
use crate::zone::{Zone, ZoneSpec, describe_offset};

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// Participants shown by name in the participants table at most (with `public_names`).
const MAX_LISTED: usize = 2000;

/// Rows of the conflict summary shown on the page at most.
const MAX_SUMMARY_LINES: usize = 300;

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

/// One hour column: its comfort, and whether it is on the next local day (a session that
/// crosses midnight continues from the row's 00 column, marked `+1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hour {
    cell: Cell,
    next_day: bool,
}

/// One row of a session's grid: the participants of one zone and hours, at one local time
/// (a series whose local time changes for them, across a DST change, has a row per time).
struct Row<'a> {
    zone: &'a ZoneSpec,
    /// Their hours, when not the programme's defaults.
    hours: Option<String>,
    /// How many participants.
    count: usize,
    /// Their names, only with `public_names`.
    names: Vec<&'a str>,
    hours_cells: [Hour; 24],
    /// `Tue 14 Nov 23:00–01:00 +1 day (UTC+09:00)`.
    local: String,
    /// The local dates this row stands for, when the session has several occurrences.
    dates: Option<String>,
    offset_seconds: i32,
}

/// The 24 hour columns of a session from `start` to `end` for a participant `p`.
fn cells(p: &Participant, start: DateTime<Utc>, end: DateTime<Utc>) -> [Hour; 24] {
    let zone = &p.timezone.zone;
    let s = zone.local(start);
    let from = i64::from(s.hour() * 60 + s.minute());
    let minutes = (end - start).num_minutes();
    let mut out = [Hour {
        cell: Cell::Free,
        next_day: false,
    }; 24];
    // Up to 48 hours from local midnight: the second day wraps onto the same 24 columns.
    for h in 0..48i64 {
        let (a, b) = (h * 60, h * 60 + 60);
        let (lo, hi) = (from.max(a), (from + minutes).min(b));
        let slot = &mut out[(h % 24) as usize];
        if lo >= hi || slot.cell != Cell::Free {
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
        slot.cell = if c.night > 0 {
            Cell::Night
        } else if c.outside > 0 {
            Cell::Outside
        } else {
            Cell::Inside
        };
        slot.next_day = h >= 24;
    }
    out
}

/// `14:00–16:30`, `23:00–01:00 +1 day`.
fn clock_span(s: DateTime<chrono::FixedOffset>, e: DateTime<chrono::FixedOffset>) -> String {
    let next_day = (e.date_naive() - s.date_naive()).num_days();
    format!(
        "{}–{}{}",
        s.format("%H:%M"),
        e.format("%H:%M"),
        match next_day {
            0 => String::new(),
            1 => " +1 day".to_string(),
            n => format!(" +{n} days"),
        }
    )
}

/// Dates in one line, a month named once: `Wed 13, Thu 14, Fri 15 Dec 2023`. The same grouping
/// as the script's `dates`.
fn date_list(dates: &[DateTime<chrono::FixedOffset>]) -> String {
    let mut out = String::new();
    for (i, d) in dates.iter().enumerate() {
        let month = d.format(" %b %Y").to_string();
        let next_month = dates.get(i + 1).map(|n| n.format(" %b %Y").to_string());
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&d.format("%a %-d").to_string());
        if next_month.as_deref() != Some(month.as_str()) {
            out.push_str(&month);
        }
    }
    out
}

/// The occurrences of a session seen from `zone`, grouped by local time: (local time, dates),
/// in order of first occurrence. The script's `groups` does the same in the viewer's zone.
fn by_local_time(
    zone: &Zone,
    occurrences: &[&crate::occurrence::Occurrence],
) -> Vec<(String, Vec<DateTime<chrono::FixedOffset>>)> {
    let mut out: Vec<(String, Vec<DateTime<chrono::FixedOffset>>)> = Vec::new();
    for o in occurrences {
        let (s, e) = (zone.local(o.start), zone.local(o.end));
        let span = format!("{} ({})", clock_span(s, e), describe_offset(*s.offset()));
        match out.iter_mut().find(|(k, _)| *k == span) {
            Some((_, dates)) => dates.push(s),
            None => out.push((span, vec![s])),
        }
    }
    out
}

/// A URL that may be a link: only `https://` and `http://` (a `javascript:` URL from a form is
/// shown as text, never as a link).
fn web_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(u)
}

fn time_span(start: DateTime<Utc>, end: DateTime<Utc>, zone: &ZoneSpec) -> Markup {
    let s = zone.zone.local(start);
    let e = zone.zone.local(end);
    html! {
        time datetime=(utc_string(start)) data-start=(utc_string(start)) data-end=(utc_string(end)) {
            (s.format("%a %d %b %Y")) ", " (clock_span(s, e)) " " (zone.label())
            " · " (start.format("%H:%M")) "–" (end.format("%H:%M")) " UTC"
        }
    }
}

/// An option of the zone control: the value the script reads (an IANA name, or `UTC±HH:MM`
/// with its offset in minutes) and its label.
struct ZoneOption {
    value: String,
    offset_minutes: Option<i32>,
}

fn zone_option(zone: &Zone) -> ZoneOption {
    match zone {
        Zone::Iana(tz) => ZoneOption {
            value: tz.name().to_string(),
            offset_minutes: None,
        },
        Zone::Fixed(o) => ZoneOption {
            value: zone.name(),
            offset_minutes: Some(o.local_minus_utc() / 60),
        },
    }
}

/// Renders the page. `stems` are the participants' calendar file stems
/// ([`crate::address::stems`]), linked only when the programme sets `public_names`.
///
/// `answers`, when the organizer gave `build` a mailbox, are the counts of replies per session
/// ([`crate::mail::replies::Report::counts`]): shown as numbers, never names.
pub fn render(
    programme: &Programme,
    schedule: &Schedule,
    report: &Report,
    stems: &[String],
    answers: Option<&crate::mail::replies::Counts>,
) -> String {
    let default_zone = zone_option(&programme.timezone.zone);
    let mut options: BTreeMap<String, Option<i32>> = BTreeMap::new();
    options.insert(default_zone.value.clone(), default_zone.offset_minutes);
    options.insert("UTC".into(), None);
    for p in &programme.participants {
        let o = zone_option(&p.timezone.zone);
        options.insert(o.value, o.offset_minutes);
    }
    let public = summary(programme, schedule, report);
    let lang = programme.language;
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.tag()) dir=(lang.dir()) {
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
                        (label(lang, "page-organized-by")) " " (programme.organizer.name)
                        @if let Some(u) = programme.url.as_deref().and_then(web_url) { " · " a href=(u) { "programme page" } }
                    }
                }
                div class="controls" {
                    label for="lang" { (label(lang, "page-language")) " " }
                    select id="lang" name="lang" data-default=(lang.tag()) {
                        @for l in Lang::ALL {
                            option value=(l.tag()) lang=(l.tag()) selected[l == lang] { (text(l, &format!("lang-{}", l.tag()))) }
                        }
                    }
                    " "
                    label for="tz" { (label(lang, "page-show-times-in")) " " }
                    select id="tz" name="tz" data-default=(default_zone.value) {
                        @for (value, offset) in &options {
                            option value=(value) data-offset=[offset] selected[*value == default_zone.value] { (value) }
                        }
                    }
                    noscript { " Times are shown in " (programme.timezone.label()) " and UTC." }
                }
                main {
                    (when_section(programme, schedule))
                    section aria-labelledby="sessions" {
                        h2 id="sessions" data-i18n="page-sessions" { (text(lang, "page-sessions")) }
                        p class="legend" {
                            (label(lang, "page-legend")) " "
                            span class="inside" { "W" } (label(lang, "page-working")) " "
                            span class="outside" { "O" } (label(lang, "page-outside")) " "
                            span class="night" { "N" } (label(lang, "page-night"))
                            (label(lang, "page-legend-end"))
                        }
                        @for si in 0..programme.sessions.len() {
                            (session_section(programme, schedule, si, answers))
                        }
                    }
                    (summary_section(programme, &public))
                    (participants_section(programme, stems))
                }
                script type="application/json" id="i18n-messages" { (PreEscaped(crate::i18n::messages::page_json())) }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    markup.into_string()
}

/// A language as the page names it: a shipped one by its own name ("Français"), another by
/// its tag.
fn language_name(tag: &str) -> String {
    match crate::i18n::parse(tag) {
        crate::i18n::Parsed::Shipped(l) => text(l, &format!("lang-{}", l.tag())),
        _ => tag.to_string(),
    }
}

/// A label in `lang`, marked with its message id so that the page's language selector can
/// rewrite it.
fn label(lang: Lang, id: &'static str) -> Markup {
    html! { span data-i18n=(id) { (text(lang, id)) } }
}

/// "When is this for you?": every session's occurrences in the chosen zone, grouped by local
/// time. Written here in the programme's zone; the script rewrites it in the viewer's.
fn when_section(programme: &Programme, schedule: &Schedule) -> Markup {
    let zone = &programme.timezone;
    let lang = programme.language;
    html! {
        section aria-labelledby="when" class="when" {
            h2 id="when" data-i18n="page-when" { (text(lang, "page-when")) }
            p class="muted" {
                (label(lang, "page-times-in")) " " span class="tz-current" { (zone.label()) } ". "
                a href=(format!("{}.ics", programme.id)) data-i18n="page-add-programme" { (text(lang, "page-add-programme")) }
                (label(lang, "page-own-calendar"))
            }
            @for (si, session) in programme.sessions.iter().enumerate() {
                @let occurrences: Vec<_> = schedule.of_session(si).collect();
                @if !occurrences.is_empty() {
                    @let data = occurrences.iter().map(|o| format!("{} {}", utc_string(o.start), utc_string(o.end))).collect::<Vec<_>>().join(",");
                    div class="when-session" {
                        h3 { a href=(format!("#session-{}", session.id)) { (session.title) } }
                        ul class="when-list" data-occurrences=(data) {
                            @for (span, dates) in by_local_time(&zone.zone, &occurrences) {
                                li { strong { (span) } " " span class="dates" { (date_list(&dates)) } }
                            }
                        }
                        (changes(session, &occurrences))
                        @if let Some(u) = &session.join_url {
                            p class="join" {
                                @if let Some(link) = web_url(u) { a href=(link) data-i18n="page-join-link" { (text(lang, "page-join-link")) } } @else { "Join: " code { (u) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The occurrences of a session that a `[[session.occurrence]]` moves or changes: when, and
/// their own title, description and link.
fn changes(
    session: &crate::programme::Session,
    occurrences: &[&crate::occurrence::Occurrence],
) -> Markup {
    let changed: Vec<_> = occurrences
        .iter()
        .filter_map(|o| o.change(session).map(|c| (o, c)))
        .collect();
    if changed.is_empty() {
        return html! {};
    }
    html! {
        ul class="changes" {
            @for (o, c) in &changed {
                li {
                    @if o.moved(session) {
                        "Moved from " (o.original.format("%a %d %b %H:%M")) " (session time) to "
                    }
                    (time_span(o.start, o.end, &session.timezone))
                    @if let Some(t) = &c.title { ": " strong { (t) } }
                    @if let Some(d) = &c.description { " — " (d) }
                    @if let Some(u) = &c.join_url {
                        " · "
                        @if let Some(link) = web_url(u) { a href=(link) { "Join link for this day" } } @else { "Join: " code { (u) } }
                    }
                }
            }
        }
    }
}

fn session_section(
    programme: &Programme,
    schedule: &Schedule,
    si: usize,
    answers: Option<&crate::mail::replies::Counts>,
) -> Markup {
    let session = &programme.sessions[si];
    let occurrences: Vec<_> = schedule.of_session(si).collect();
    let audience = programme.audience_of(session);
    let Some(first) = occurrences.first() else {
        return html! {};
    };
    // One group per (zone, working hours, night); inside, one row per local time.
    type GroupKey = (String, crate::hours::HoursRange, crate::hours::HoursRange);
    let mut groups: BTreeMap<GroupKey, Vec<&Participant>> = BTreeMap::new();
    for &i in &audience {
        let p = &programme.participants[i];
        groups
            .entry((p.timezone.label(), p.working_hours, p.night))
            .or_default()
            .push(p);
    }
    let several = occurrences.len() > 1;
    let mut rows: Vec<Row<'_>> = Vec::new();
    for members in groups.into_values() {
        let p = members[0];
        let mut names: Vec<&str> = if programme.public_names {
            members.iter().map(|m| m.name.as_str()).collect()
        } else {
            Vec::new()
        };
        names.sort_unstable();
        let hours = (p.working_hours != programme.working_hours || p.night != programme.night)
            .then(|| format!("work {}, night {}", p.working_hours, p.night));
        let patterns = by_local_time(&p.timezone.zone, &occurrences);
        // Dates are named only where this zone sees more than one local time.
        let split = patterns.len() > 1;
        for (span, dates) in patterns {
            let Some(at) = occurrences.iter().find(|o| {
                dates
                    .first()
                    .is_some_and(|d| p.timezone.zone.local(o.start) == *d)
            }) else {
                continue;
            };
            let s = p.timezone.zone.local(at.start);
            rows.push(Row {
                zone: &p.timezone,
                hours: hours.clone(),
                count: members.len(),
                names: names.clone(),
                hours_cells: cells(p, at.start, at.end),
                local: format!("{} {span}", s.format("%a %d %b")),
                dates: split.then(|| date_list(&dates)),
                offset_seconds: p
                    .timezone
                    .zone
                    .local(first.start)
                    .offset()
                    .local_minus_utc(),
            });
        }
    }
    rows.sort_by(|a, b| {
        b.offset_seconds
            .cmp(&a.offset_seconds)
            .then_with(|| a.zone.label().cmp(&b.zone.label()))
    });
    let anchor = format!("session-{}", session.id);
    html! {
        section aria-labelledby=(anchor) class="session" {
            h3 id=(anchor) { (session.title) }
            p {
                (time_span(first.start, first.end, &session.timezone))
                @if several { " and " (occurrences.len() - 1) " more (listed above)" }
                " · " (audience.len()) " participants"
            }
            @if !session.languages.is_empty() {
                p class="languages" {
                    (label(programme.language, "page-languages")) ": "
                    @for (i, t) in session.languages.iter().enumerate() {
                        @if i > 0 { ", " }
                        span lang=(t) { (language_name(t)) }
                    }
                    @if let Some(note) = &session.interpretation {
                        " · " (label(programme.language, "page-interpretation")) ": " (note)
                    }
                }
            }
            @if let Some(d) = &session.description { p class="muted" { (d) } }
            @if let Some([yes, maybe, no, none]) = answers.and_then(|a| a.get(&session.id)) {
                p class="answers" {
                    "Answers to the invitation: " (yes) " accepted · " (maybe) " tentative · "
                    (no) " declined · " (none) " no answer"
                }
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
                            tr data-zone=(r.zone.label()) {
                                th scope="row" class="zone" {
                                    @if r.names.is_empty() {
                                        strong { (r.zone.label()) } " (" (r.count) ")"
                                    } @else {
                                        details {
                                            summary { (r.zone.label()) " (" (r.count) ")" }
                                            (r.names.join(", "))
                                        }
                                    }
                                    @if let Some(h) = &r.hours { span class="muted" { (h) } }
                                    span class="local" { (r.local) }
                                    @if let Some(d) = &r.dates { span class="muted" { "on " (d) } }
                                }
                                @for (h, c) in r.hours_cells.iter().enumerate() {
                                    @let class = if c.next_day { format!("{} next", c.cell.class()) } else { c.cell.class().to_string() };
                                    td class=(class) title=(if c.cell == Cell::Free { String::new() } else { format!("{h:02}:00{} {}", if c.next_day { " next day," } else { "" }, c.cell.words()) }) {
                                        (c.cell.mark())
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

/// The public conflict summary: counts, per session and per day, lines per session, zone and
/// local time, burden by region. Nobody is named.
fn summary_section(programme: &Programme, public: &Summary) -> Markup {
    let [e, w, i] = public.counts;
    html! {
        section aria-labelledby="summary" {
            h2 id="summary" data-i18n="page-summary" { (text(programme.language, "page-summary")) }
            p { (e) " errors · " (w) " warnings · " (i) " info. No participant is named here; the organizer's own report lists who, and the clashes with participants' own calendars." }
            @if !public.sessions.is_empty() {
                h3 { "By session" }
                div class="scroll" {
                    table {
                        thead { tr { th scope="col" { "session" } th scope="col" { "kind" } th scope="col" { "participants" } th scope="col" { "occurrences" } } }
                        tbody {
                            @for l in public.sessions.iter().take(MAX_SUMMARY_LINES) {
                                tr {
                                    td { a href=(format!("#session-{}", programme.sessions[l.session].id)) { (programme.sessions[l.session].title) } }
                                    td { (l.kind.word()) " (" (l.kind.severity().word()) ")" }
                                    td { (l.participants) }
                                    td { (l.occurrences) }
                                }
                            }
                        }
                    }
                }
            }
            @if !public.days.is_empty() {
                h3 { "By day (the sessions' dates in " (programme.timezone.label()) ")" }
                div class="scroll" {
                    table {
                        thead { tr { th scope="col" { "date" } th scope="col" { "kind" } th scope="col" { "participants" } } }
                        tbody {
                            @for l in public.days.iter().take(MAX_SUMMARY_LINES) {
                                tr {
                                    td { (l.date.format("%a %d %b %Y").to_string()) }
                                    td { (l.kind.word()) " (" (l.kind.severity().word()) ")" }
                                    td { (l.participants) }
                                }
                            }
                        }
                    }
                }
            }
            @if !public.lines.is_empty() {
                h3 { "By session, zone and local time" }
                div class="scroll" {
                    table {
                        caption class="sr" { "Conflicts by session, zone and local time" }
                        thead { tr { th scope="col" { "session" } th scope="col" { "kind" } th scope="col" { "zone" } th scope="col" { "local time" } th scope="col" { "participants" } th scope="col" { "occurrences" } } }
                        tbody {
                            @for l in public.lines.iter().take(MAX_SUMMARY_LINES) {
                                tr {
                                    td { a href=(format!("#session-{}", programme.sessions[l.session].id)) { (programme.sessions[l.session].title) } }
                                    td { (l.kind.word()) " (" (l.kind.severity().word()) ")" }
                                    td { (l.zone) }
                                    td { (l.local) }
                                    td { (l.participants) }
                                    td { (l.occurrences) }
                                }
                            }
                        }
                    }
                }
                @if public.lines.len() > MAX_SUMMARY_LINES { p class="muted" { "… and " (public.lines.len() - MAX_SUMMARY_LINES) " more lines." } }
            }
            @if !public.regions.is_empty() {
                h3 { "Burden by region" }
                div class="scroll" {
                    table {
                        thead { tr { th scope="col" { "region" } th scope="col" { "participants" } th scope="col" { "minutes in the night" } th scope="col" { "minutes outside working hours" } } }
                        tbody {
                            @for (r, n, night, outside) in &public.regions {
                                tr { th scope="row" { (r) } td { (n) } td { (night) } td { (outside) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// With `public_names`: each participant's name and calendar. Without: how a participant gets
/// their own calendar (its address is sent to them, never listed).
fn participants_section(programme: &Programme, stems: &[String]) -> Markup {
    if !programme.public_names {
        return html! {
            section aria-labelledby="participants" {
                h2 id="participants" { "Your own calendar" }
                p { "Each participant has a calendar with only their sessions, each description opening with their own local time. Its address is private: the organizer sends it to you. Add it to your calendar app as a subscription (or replace https:// by webcal://) and changes arrive by themselves." }
            }
        };
    }
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
            p { "Each calendar holds only that participant's sessions, each description opening with their own local time. Served from a web host, these files are subscription URLs." }
            @if order.len() > shown { p { "The first " (shown) " of " (order.len()) " are listed." } }
            div class="scroll" {
                table {
                    thead { tr { th scope="col" { "name" } th scope="col" { "zone" } th scope="col" { "calendar" } } }
                    tbody {
                        @for &i in order.iter().take(shown) {
                            @let p = &programme.participants[i];
                            tr {
                                th scope="row" { (p.name) }
                                td { (p.timezone.label()) }
                                td { @if let Some(s) = stems.get(i) { a href=(crate::invites::participant_file(s)) { ".ics" } } }
                            }
                        }
                    }
                }
            }
        }
    }
}
