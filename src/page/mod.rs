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
//!
//! Every word the page writes is a `page-*` message (`locales/<lang>/roundtable.ftl`), marked
//! `data-i18n` so that the language selector can swap it; numbers stand between two messages.
//! The dates the script writes use the selected language (`Intl.DateTimeFormat`); English keeps
//! roundtable's compact form.

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
    /// Their working hours and night, when not the programme's defaults.
    hours: Option<(String, String)>,
    /// How many participants.
    count: usize,
    /// Their names, only with `public_names`.
    names: Vec<&'a str>,
    hours_cells: [Hour; 24],
    /// `Tue 14 Nov 23:00–01:00 +1 day (UTC+09:00)`.
    local: String,
    /// The local dates this row stands for, when the session has several occurrences, and
    /// their starts in UTC (for the script, which writes them in the page's language).
    dates: Option<(String, String)>,
    /// The first occurrence's instants and the zone as the script reads it, for the script to
    /// rewrite `local` in the page's language.
    start: String,
    end: String,
    zone_value: String,
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
/// (`crate::address::stems`), linked only when the programme sets `public_names`.
///
/// `answers`, when the organizer gave `build` a mailbox, are the counts of replies per session
/// (from `roundtable replies`): shown as numbers, never names.
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
                        @if let Some(u) = programme.url.as_deref().and_then(web_url) { " · " a href=(u) data-i18n="page-programme-page" { (text(lang, "page-programme-page")) } }
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
                    noscript { " " (label(lang, "page-noscript-times")) " " (programme.timezone.label()) " " (label(lang, "page-and-utc")) }
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
                    (summary_section(programme, schedule, &public))
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
fn label(lang: Lang, id: &str) -> Markup {
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
                        (changes(lang, session, &occurrences))
                        @if let Some(u) = &session.join_url {
                            p class="join" {
                                @if let Some(link) = web_url(u) { a href=(link) data-i18n="page-join-link" { (text(lang, "page-join-link")) } } @else { (label(lang, "page-join")) " " code { (u) } }
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
    lang: Lang,
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
                        (label(lang, "page-moved-from")) " " (o.original.format("%a %d %b %H:%M")) " " (label(lang, "page-moved-to")) " "
                    }
                    (time_span(o.start, o.end, &session.timezone))
                    @if let Some(t) = &c.title { ": " strong { (t) } }
                    @if let Some(d) = &c.description { " — " (d) }
                    @if let Some(u) = &c.join_url {
                        " · "
                        @if let Some(link) = web_url(u) { a href=(link) data-i18n="page-join-day" { (text(lang, "page-join-day")) } } @else { (label(lang, "page-join")) " " code { (u) } }
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
    let lang = programme.language;
    let occurrences: Vec<_> = schedule.of_session(si).collect();
    let audience = programme.audience_of(session);
    let Some(first) = occurrences.first() else {
        return html! {};
    };
    let several = occurrences.len() > 1;
    let rows = session_rows(programme, &audience, &occurrences);
    let anchor = format!("session-{}", session.id);
    html! {
        section aria-labelledby=(anchor) class="session" {
            h3 id=(anchor) { (session.title) }
            p {
                (time_span(first.start, first.end, &session.timezone))
                @if several { " " (label(lang, "page-and")) " " (occurrences.len() - 1) " " (label(lang, "page-more-listed")) }
                " · " (audience.len()) " " (label(lang, "page-participants-count"))
            }
            (session_languages(programme, session))
            @if let Some(d) = &session.description { p class="muted" { (d) } }
            @if let Some([yes, maybe, no, none]) = answers.and_then(|a| a.get(&session.id)) {
                p class="answers" {
                    (label(lang, "page-answers")) " " (yes) " " (label(lang, "page-accepted")) " · " (maybe) " " (label(lang, "page-tentative")) " · "
                    (no) " " (label(lang, "page-declined")) " · " (none) " " (label(lang, "page-no-answer"))
                }
            }
            (session_grid(lang, session, &rows))
        }
    }
}

/// The grid's rows: one group per (zone, working hours, night); inside, one row per local
/// time; east first.
fn session_rows<'a>(
    programme: &'a Programme,
    audience: &[usize],
    occurrences: &[&crate::occurrence::Occurrence],
) -> Vec<Row<'a>> {
    type GroupKey = (String, crate::hours::HoursRange, crate::hours::HoursRange);
    let mut groups: BTreeMap<GroupKey, Vec<&Participant>> = BTreeMap::new();
    for &i in audience {
        let p = &programme.participants[i];
        groups
            .entry((p.timezone.label(), p.working_hours, p.night))
            .or_default()
            .push(p);
    }
    let mut rows: Vec<Row<'_>> = Vec::new();
    for members in groups.into_values() {
        rows.extend(group_rows(programme, &members, occurrences));
    }
    rows.sort_by(|a, b| {
        b.offset_seconds
            .cmp(&a.offset_seconds)
            .then_with(|| a.zone.label().cmp(&b.zone.label()))
    });
    rows
}

/// The rows of the participants of one zone, working hours and night: one per local time.
fn group_rows<'a>(
    programme: &Programme,
    members: &[&'a Participant],
    occurrences: &[&crate::occurrence::Occurrence],
) -> Vec<Row<'a>> {
    let p = members[0];
    let Some(first) = occurrences.first() else {
        return Vec::new();
    };
    let mut names: Vec<&str> = if programme.public_names {
        members.iter().map(|m| m.name.as_str()).collect()
    } else {
        Vec::new()
    };
    names.sort_unstable();
    let hours = (p.working_hours != programme.working_hours || p.night != programme.night)
        .then(|| (p.working_hours.to_string(), p.night.to_string()));
    let patterns = by_local_time(&p.timezone.zone, occurrences);
    // Dates are named only where this zone sees more than one local time.
    let split = patterns.len() > 1;
    let mut rows = Vec::new();
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
            dates: split.then(|| {
                let starts: Vec<String> = dates
                    .iter()
                    .map(|d| utc_string(d.with_timezone(&Utc)))
                    .collect();
                (date_list(&dates), starts.join(","))
            }),
            start: utc_string(at.start),
            end: utc_string(at.end),
            zone_value: zone_option(&p.timezone.zone).value,
            offset_seconds: p
                .timezone
                .zone
                .local(first.start)
                .offset()
                .local_minus_utc(),
        });
    }
    rows
}

/// The session's languages and interpretation, when it names any language.
fn session_languages(programme: &Programme, session: &crate::programme::Session) -> Markup {
    html! {
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
    }
}

/// The session's grid: a row per zone and local time, a column per hour.
fn session_grid(lang: Lang, session: &crate::programme::Session, rows: &[Row<'_>]) -> Markup {
    html! {
        div class="scroll" {
            table class="grid" {
                caption class="sr" { (label(lang, "page-grid-caption")) " " (session.title) " " (label(lang, "page-grid-caption-end")) }
                thead {
                    tr {
                        th scope="col" data-i18n="page-grid-zone" { (text(lang, "page-grid-zone")) }
                        @for h in 0..24 { th scope="col" { (format!("{h:02}")) } }
                    }
                }
                tbody {
                    @for r in rows { (grid_row(lang, r)) }
                }
            }
        }
    }
}

fn grid_row(lang: Lang, r: &Row<'_>) -> Markup {
    html! {
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
                @if let Some((work, night)) = &r.hours { span class="muted" { (label(lang, "page-hours-work")) " " span dir="ltr" { (work) } ", " (label(lang, "page-hours-night")) " " span dir="ltr" { (night) } } }
                span class="local" data-start=(r.start) data-end=(r.end) data-zone=(r.zone_value) { (r.local) }
                @if let Some((d, starts)) = &r.dates { span class="muted" { (label(lang, "page-on")) " " span class="row-dates" data-starts=(starts) data-zone=(r.zone_value) { (d) } } }
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

/// The public conflict summary: counts, per session and per day, lines per session, zone and
/// local time, burden by region. Nobody is named.
fn summary_section(programme: &Programme, schedule: &Schedule, public: &Summary) -> Markup {
    let crate::check::SeverityCounts {
        errors: e,
        warnings: w,
        info: i,
    } = public.counts;
    let lang = programme.language;
    html! {
        section aria-labelledby="summary" {
            h2 id="summary" data-i18n="page-summary" { (text(programme.language, "page-summary")) }
            p {
                (e) " " (label(lang, "page-errors")) " · " (w) " " (label(lang, "page-warnings")) " · "
                (i) " " (label(lang, "page-info")) ". " (label(lang, "page-nobody-named"))
            }
            (summary_by_session(programme, public))
            (summary_by_day(programme, public))
            (summary_by_line(programme, schedule, public))
            (summary_burden(lang, public))
        }
    }
}

/// A column heading of the summary's tables.
fn column(lang: Lang, id: &str) -> Markup {
    html! { th scope="col" data-i18n=(id) { (text(lang, id)) } }
}

/// A kind of conflict and its severity: `night (error)`.
fn kind_label(lang: Lang, k: crate::check::Kind) -> Markup {
    html! {
        (label(lang, &format!("page-kind-{}", k.word()))) " ("
        (label(lang, &format!("page-severity-{}", k.severity().word()))) ")"
    }
}

/// A link to a session's section, by its title.
fn session_link(programme: &Programme, si: usize) -> Markup {
    html! { a href=(format!("#session-{}", programme.sessions[si].id)) { (programme.sessions[si].title) } }
}

fn summary_by_session(programme: &Programme, public: &Summary) -> Markup {
    let lang = programme.language;
    html! {
        @if !public.sessions.is_empty() {
            h3 data-i18n="page-by-session" { (text(lang, "page-by-session")) }
            div class="scroll" {
                table {
                    thead { tr { (column(lang, "page-col-session")) (column(lang, "page-col-kind")) (column(lang, "page-col-participants")) (column(lang, "page-col-occurrences")) } }
                    tbody {
                        @for l in public.sessions.iter().take(MAX_SUMMARY_LINES) {
                            tr {
                                td { (session_link(programme, l.session)) }
                                td { (kind_label(lang, l.kind)) }
                                td { (l.participants) }
                                td { (l.occurrences) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn summary_by_day(programme: &Programme, public: &Summary) -> Markup {
    let lang = programme.language;
    html! {
        @if !public.days.is_empty() {
            h3 { (label(lang, "page-by-day")) " " (programme.timezone.label()) ")" }
            div class="scroll" {
                table {
                    thead { tr { (column(lang, "page-col-date")) (column(lang, "page-col-kind")) (column(lang, "page-col-participants")) } }
                    tbody {
                        @for l in public.days.iter().take(MAX_SUMMARY_LINES) {
                            tr {
                                td { span class="day" data-day=(l.date.format("%Y-%m-%d").to_string()) { (l.date.format("%a %d %b %Y").to_string()) } }
                                td { (kind_label(lang, l.kind)) }
                                td { (l.participants) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn summary_by_line(programme: &Programme, schedule: &Schedule, public: &Summary) -> Markup {
    let lang = programme.language;
    html! {
        @if !public.lines.is_empty() {
            h3 data-i18n="page-by-line" { (text(lang, "page-by-line")) }
            div class="scroll" {
                table {
                    caption class="sr" data-i18n="page-by-line-caption" { (text(lang, "page-by-line-caption")) }
                    thead { tr { (column(lang, "page-col-session")) (column(lang, "page-col-kind")) (column(lang, "page-col-zone")) (column(lang, "page-col-local")) (column(lang, "page-col-participants")) (column(lang, "page-col-occurrences")) } }
                    tbody {
                        @for l in public.lines.iter().take(MAX_SUMMARY_LINES) {
                            tr {
                                td { (session_link(programme, l.session)) }
                                td { (kind_label(lang, l.kind)) }
                                td { (l.zone) }
                                td { (zone_line_local(programme, schedule, l)) }
                                td { (l.participants) }
                                td { (l.occurrences) }
                            }
                        }
                    }
                }
            }
            @if public.lines.len() > MAX_SUMMARY_LINES { p class="muted" { (label(lang, "page-more-before")) " " (public.lines.len() - MAX_SUMMARY_LINES) " " (label(lang, "page-more-lines")) } }
        }
    }
}

fn summary_burden(lang: Lang, public: &Summary) -> Markup {
    html! {
        @if !public.regions.is_empty() {
            h3 data-i18n="page-burden" { (text(lang, "page-burden")) }
            div class="scroll" {
                table {
                    thead { tr { (column(lang, "page-col-region")) (column(lang, "page-col-participants")) (column(lang, "page-col-night")) (column(lang, "page-col-outside")) } }
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

/// A conflict line's local time (`Mon 13 Nov 23:00–01:00 +1 day`, written by
/// [`crate::check::public`]) with its date marked for the script to write in the page's
/// language and "day" as a message. The date's year is that of the session's first occurrence
/// that falls on it in the line's zone; without one the text stays as it is.
fn zone_line_local(
    programme: &Programme,
    schedule: &Schedule,
    l: &crate::check::public::ZoneLine,
) -> Markup {
    let lang = programme.language;
    let (date, rest) = match l.local.char_indices().nth(10) {
        Some((at, ' ')) => (&l.local[..at], &l.local[at..]),
        _ => return html! { (l.local) },
    };
    let day = programme
        .participants
        .iter()
        .find(|p| p.timezone.label() == l.zone)
        .and_then(|p| {
            schedule
                .of_session(l.session)
                .map(|o| p.timezone.zone.local(o.start))
                .find(|s| s.format("%a %d %b").to_string() == date)
        });
    let (span, next_day) = match rest.strip_suffix(" +1 day") {
        Some(span) => (span, true),
        None => (rest, false),
    };
    html! {
        @if let Some(d) = day {
            span class="day" data-day=(d.format("%Y-%m-%d").to_string()) data-year="no" { (date) }
        } @else { (date) }
        " " span dir="ltr" { (span.trim_start()) @if next_day { " +1 " (label(lang, "page-day")) } }
    }
}

/// With `public_names`: each participant's name and calendar. Without: how a participant gets
/// their own calendar (its address is sent to them, never listed).
fn participants_section(programme: &Programme, stems: &[String]) -> Markup {
    let lang = programme.language;
    if !programme.public_names {
        return html! {
            section aria-labelledby="participants" {
                h2 id="participants" data-i18n="page-own-title" { (text(lang, "page-own-title")) }
                p data-i18n="page-own-text" { (text(lang, "page-own-text")) }
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
            h2 id="participants" data-i18n="page-listed-title" { (text(lang, "page-listed-title")) }
            p data-i18n="page-listed-text" { (text(lang, "page-listed-text")) }
            @if order.len() > shown {
                p { (label(lang, "page-first")) " " (shown) " " (label(lang, "page-of")) " " (order.len()) " " (label(lang, "page-are-listed")) }
            }
            div class="scroll" {
                table {
                    thead { tr { th scope="col" data-i18n="page-col-name" { (text(lang, "page-col-name")) } th scope="col" data-i18n="page-col-zone" { (text(lang, "page-col-zone")) } th scope="col" data-i18n="page-col-calendar" { (text(lang, "page-col-calendar")) } } }
                    tbody {
                        @for &i in order.iter().take(shown) {
                            @let p = &programme.participants[i];
                            tr {
                                th scope="row" { (p.name) }
                                td { (p.timezone.label()) }
                                td { @if let Some(s) = stems.get(i) { a href=(crate::invites::participant_file(s)) dir="ltr" { ".ics" } } }
                            }
                        }
                    }
                }
            }
        }
    }
}
