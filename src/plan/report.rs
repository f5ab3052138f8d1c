//! `suggest` and `split` output: text, JSON (stable shapes) and, for `split`, TOML blocks ready
//! to paste into the programme file.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{Edition, Outcome, Reason, Split, Suggestion, Suggestions};
use crate::comfort::Comfort;
use crate::neutralise::terminal;
use crate::programme::Programme;
use crate::times::{local_string, utc_string};

/// Output formats of `suggest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SuggestFormat {
    /// Readable.
    Text,
    /// `{"outcome", "required_miss", "passed_over", "suggestions": [...]}`.
    Json,
}

/// Output formats of `split`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitFormat {
    /// Readable, with the gain of each extra edition.
    Text,
    /// `{"editions": [...], "total_score", "required_miss"}`.
    Json,
    /// `[[group]]` and `[[session]]` blocks for the programme file.
    Toml,
}

/// At most this many names per local time in text output (JSON lists everyone).
const NAMES_PER_TIME: usize = 8;

/// `session:ID` or `busy`.
fn reason_code(programme: &Programme, reason: Reason) -> String {
    match reason {
        Reason::Session(s) => format!("session:{}", programme.sessions[s].id),
        Reason::Busy => "busy".into(),
    }
}

/// "attends session `day-1`" or "busy in their calendar".
fn reason_text(programme: &Programme, reason: Reason) -> String {
    match reason {
        Reason::Session(s) => format!("attends `{}`", programme.sessions[s].id),
        Reason::Busy => "busy in their calendar".into(),
    }
}

#[derive(Serialize)]
struct JsonLocal<'a> {
    participant: &'a str,
    timezone: &'a str,
    start_local: String,
    end_local: String,
    night: bool,
}

#[derive(Serialize)]
struct JsonUnavailable<'a> {
    participant: &'a str,
    reason: String,
}

#[derive(Serialize)]
struct JsonRequired<'a> {
    participant: &'a str,
    timezone: &'a str,
    start_local: String,
    end_local: String,
    /// Free and inside their hours.
    ok: bool,
    /// Why they cannot attend, when they cannot.
    unavailable: Option<String>,
}

#[derive(Serialize)]
struct JsonSuggestion<'a> {
    start_utc: String,
    end_utc: String,
    same_until_utc: String,
    score: i64,
    inside: usize,
    partial: usize,
    night: usize,
    unavailable: usize,
    outside_participants: Vec<&'a str>,
    outside: Vec<JsonLocal<'a>>,
    unavailable_participants: Vec<JsonUnavailable<'a>>,
    required: Vec<JsonRequired<'a>>,
}

fn emails<'a>(programme: &'a Programme, who: &[usize]) -> Vec<&'a str> {
    let mut list: Vec<&str> = who
        .iter()
        .map(|&i| programme.participants[i].email.as_str())
        .collect();
    list.sort_unstable();
    list
}

fn local_of<'a>(
    programme: &'a Programme,
    i: usize,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    night: bool,
) -> JsonLocal<'a> {
    let p = &programme.participants[i];
    JsonLocal {
        participant: &p.email,
        timezone: &p.timezone.written,
        start_local: local_string(p.timezone.zone.local(start)),
        end_local: local_string(p.timezone.zone.local(end)),
        night,
    }
}

fn required_json<'a>(
    programme: &'a Programme,
    list: &[(usize, Comfort, Option<Reason>)],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Vec<JsonRequired<'a>> {
    let mut out: Vec<JsonRequired<'a>> = list
        .iter()
        .map(|&(i, c, r)| {
            let p = &programme.participants[i];
            JsonRequired {
                participant: &p.email,
                timezone: &p.timezone.written,
                start_local: local_string(p.timezone.zone.local(start)),
                end_local: local_string(p.timezone.zone.local(end)),
                ok: super::required_ok(&c, r.is_some()),
                unavailable: r.map(|r| reason_code(programme, r)),
            }
        })
        .collect();
    out.sort_by(|a, b| a.participant.cmp(b.participant));
    out
}

fn unavailable_json<'a>(
    programme: &'a Programme,
    list: &[(usize, Reason)],
) -> Vec<JsonUnavailable<'a>> {
    let mut out: Vec<JsonUnavailable<'a>> = list
        .iter()
        .map(|&(i, r)| JsonUnavailable {
            participant: &programme.participants[i].email,
            reason: reason_code(programme, r),
        })
        .collect();
    out.sort_by(|a, b| a.participant.cmp(b.participant));
    out
}

/// The whole `suggest` document (keys in alphabetical order).
#[derive(Serialize)]
struct JsonSuggestions<'a> {
    outcome: &'static str,
    passed_over: usize,
    required_miss: i64,
    suggestions: Vec<JsonSuggestion<'a>>,
}

/// The whole `split` document (keys in alphabetical order).
#[derive(Serialize)]
struct JsonSplit<'a> {
    editions: Vec<JsonEdition<'a>>,
    required_miss: i64,
    total_score: i64,
}

fn to_json<T: Serialize>(value: &T) -> String {
    let mut out = serde_json::to_string_pretty(value).unwrap_or_default();
    out.push('\n');
    out
}

fn outcome_code(outcome: &Outcome) -> (&'static str, i64) {
    match outcome {
        Outcome::Satisfied => ("satisfied", 0),
        Outcome::RequiredCompromise { miss } => ("required_compromise", *miss),
        Outcome::NoFreeStart { .. } => ("no_free_start", 0),
    }
}

/// Renders proposals.
pub fn suggestions(programme: &Programme, found: &Suggestions, format: SuggestFormat) -> String {
    match format {
        SuggestFormat::Json => {
            let doc: Vec<JsonSuggestion<'_>> = found
                .list
                .iter()
                .map(|s| suggestion_json(programme, s))
                .collect();
            let (outcome, required_miss) = outcome_code(&found.outcome);
            // Serialized straight from the structs (no `serde_json::Value` tree): the answer
            // lists everyone outside their hours, 100,000 participants at most.
            to_json(&JsonSuggestions {
                outcome,
                passed_over: found.passed_over,
                required_miss,
                suggestions: doc,
            })
        }
        SuggestFormat::Text => suggestions_text(programme, found),
    }
}

fn suggestion_json<'a>(programme: &'a Programme, s: &Suggestion) -> JsonSuggestion<'a> {
    let mut outside: Vec<JsonLocal<'a>> = s
        .partial
        .iter()
        .map(|&i| local_of(programme, i, s.start, s.end, false))
        .chain(
            s.night
                .iter()
                .map(|&i| local_of(programme, i, s.start, s.end, true)),
        )
        .collect();
    outside.sort_by(|a, b| a.participant.cmp(b.participant));
    JsonSuggestion {
        start_utc: utc_string(s.start),
        end_utc: utc_string(s.end),
        same_until_utc: utc_string(s.same_until),
        score: s.score,
        inside: s.inside.len(),
        partial: s.partial.len(),
        night: s.night.len(),
        unavailable: s.unavailable.len(),
        outside_participants: emails(programme, &s.partial),
        outside,
        unavailable_participants: unavailable_json(programme, &s.unavailable),
        required: required_json(programme, &s.required, s.start, s.end),
    }
}

fn suggestions_text(programme: &Programme, found: &Suggestions) -> String {
    let mut out = String::new();
    match found.outcome {
        Outcome::NoFreeStart { fewest, at } => {
            let _ = writeln!(
                out,
                "No start time in the window is free for the whole audience: at best {fewest} of them attend another session or are busy (first at {} UTC).\n  help: use --allow-overlap to see the best start times anyway (each lists who cannot attend), or choose another window or audience",
                at.format("%a %d %b %Y %H:%M")
            );
            return out;
        }
        Outcome::RequiredCompromise { miss } => {
            let _ = writeln!(
                out,
                "No start time has every required participant free and inside their working hours. Best compromise: {miss} minutes outside their hours (summed over them); the start times below are the best among those.\n"
            );
        }
        Outcome::Satisfied => {}
    }
    if found.passed_over > 0 {
        let _ = writeln!(
            out,
            "{} start time{} passed over: someone in the audience attends another session or is busy then (--allow-overlap includes them).\n",
            found.passed_over,
            if found.passed_over == 1 { "" } else { "s" }
        );
    }
    for (n, s) in found.list.iter().enumerate() {
        suggestion_text(&mut out, programme, n + 1, s);
    }
    out
}

/// Suggestion number `number` (from 1): its times, its score, and who it leaves outside their
/// hours, in their night, unable to attend or required.
fn suggestion_text(out: &mut String, programme: &Programme, number: usize, s: &Suggestion) {
    let local = programme.timezone.zone.local(s.start);
    let local_end = programme.timezone.zone.local(s.end);
    let _ = writeln!(
        out,
        "{}. {} {}–{} UTC ({}–{} {})  score {}",
        number,
        s.start.format("%a %d %b %Y"),
        s.start.format("%H:%M"),
        s.end.format("%H:%M"),
        local.format("%H:%M"),
        local_end.format("%H:%M"),
        programme.timezone.written,
        s.score
    );
    if s.same_until > s.start {
        let _ = writeln!(
            out,
            "   any start from {} to {} UTC scores the same",
            s.start.format("%H:%M"),
            s.same_until.format("%H:%M")
        );
    }
    let _ = writeln!(
        out,
        "   inside their hours {} · partly outside {} · in their night {}{}",
        s.inside.len(),
        s.partial.len(),
        s.night.len(),
        if s.unavailable.is_empty() {
            String::new()
        } else {
            format!(" · cannot attend {}", s.unavailable.len())
        }
    );
    if !s.partial.is_empty() {
        let _ = writeln!(
            out,
            "   partly outside their hours:{}",
            by_local_time(programme, &s.partial, s.start, s.end)
        );
    }
    if !s.night.is_empty() {
        let _ = writeln!(
            out,
            "   in their night:{}",
            by_local_time(programme, &s.night, s.start, s.end)
        );
    }
    if !s.unavailable.is_empty() {
        let _ = writeln!(
            out,
            "   cannot attend: {}",
            unavailable_text(programme, &s.unavailable)
        );
    }
    if !s.required.is_empty() {
        let _ = writeln!(
            out,
            "   required: {}",
            required_text(programme, &s.required, s.start, s.end)
        );
    }
}

/// One line per local time, west to east: "     06:00–08:00 (9): Emily Novak (America/Chicago),
/// …, +1 more", at most [`NAMES_PER_TIME`] names each.
fn by_local_time(
    programme: &Programme,
    who: &[usize],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> String {
    let mut map: BTreeMap<(i32, String), Vec<String>> = BTreeMap::new();
    for &i in who {
        let p = &programme.participants[i];
        let s = p.timezone.zone.local(start);
        let e = p.timezone.zone.local(end);
        let key = (
            s.offset().local_minus_utc(),
            format!("{}–{}", s.format("%H:%M"), e.format("%H:%M")),
        );
        map.entry(key).or_default().push(format!(
            "{} ({})",
            terminal(&p.name),
            terminal(&p.timezone.written)
        ));
    }
    let mut out = String::new();
    for ((_, times), mut names) in map {
        names.sort_unstable();
        let n = names.len();
        let more = if n > NAMES_PER_TIME {
            format!(", +{} more", n - NAMES_PER_TIME)
        } else {
            String::new()
        };
        names.truncate(NAMES_PER_TIME);
        let _ = write!(out, "\n     {times} ({n}): {}{more}", names.join(", "));
    }
    out
}

fn unavailable_text(programme: &Programme, list: &[(usize, Reason)]) -> String {
    let mut items: Vec<String> = list
        .iter()
        .map(|&(i, r)| {
            format!(
                "{} ({})",
                terminal(&programme.participants[i].name),
                reason_text(programme, r)
            )
        })
        .collect();
    items.sort_unstable();
    let n = items.len();
    items.truncate(12);
    let mut text = items.join(", ");
    if n > 12 {
        let _ = write!(text, ", +{} more", n - 12);
    }
    text
}

fn required_text(
    programme: &Programme,
    list: &[(usize, Comfort, Option<Reason>)],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> String {
    let ok = list
        .iter()
        .filter(|(_, c, r)| super::required_ok(c, r.is_some()))
        .count();
    // Many required participants: name those who cannot attend inside their hours, count the rest.
    let summarise = list.len() > 3;
    let mut items: Vec<String> = list
        .iter()
        .filter(|(_, c, r)| !summarise || !super::required_ok(c, r.is_some()))
        .map(|&(i, c, r)| {
            let p = &programme.participants[i];
            let s = p.timezone.zone.local(start);
            let e = p.timezone.zone.local(end);
            let verdict = match r {
                Some(r) => format!("cannot: {}", reason_text(programme, r)),
                None if c.night > 0 => format!("{} min in their night", c.night),
                None if c.outside > 0 => format!("{} min outside their hours", c.outside),
                None => "inside their hours".into(),
            };
            format!(
                "{} {}–{} {} ({verdict})",
                terminal(&p.name),
                s.format("%H:%M"),
                e.format("%H:%M"),
                terminal(&p.timezone.written)
            )
        })
        .collect();
    items.sort_unstable();
    if summarise {
        items.push(format!("{ok} of {} inside their hours", list.len()));
    }
    items.join("; ")
}

#[derive(Serialize)]
struct JsonEdition<'a> {
    start_utc: String,
    end_utc: String,
    participants: Vec<&'a str>,
    score: i64,
    unavailable_participants: Vec<JsonUnavailable<'a>>,
    required: Vec<JsonRequired<'a>>,
}

/// Ids and title for the editions of a split, never colliding with the programme's ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Naming {
    /// One id per edition (for its `[[group]]` and `[[session]]`).
    pub ids: Vec<String>,
    /// The title editions are named after.
    pub title: String,
}

impl Naming {
    /// Ids `PREFIX-1`…`PREFIX-K` (PREFIX: `prefix`, else the session's id, else `edition`);
    /// when one is taken by a group or session of the programme, `PREFIX-DATE-N`, then with a
    /// letter added until none is. The title: `title`, else the session's, else the
    /// programme's. An invalid prefix is an error (lowercase letters, digits and `-`).
    ///
    /// ```
    /// # let programme = roundtable::programme::Programme::load(std::path::Path::new("sessions/peer-learning-2023-11.toml")).unwrap().programme;
    /// use roundtable::plan::report::Naming;
    /// let day = chrono::NaiveDate::from_ymd_opt(2023, 11, 15).unwrap();
    /// let n = Naming::new(&programme, None, Some("day-2"), None, day, 2).unwrap();
    /// // `day-2-east` and `day-2-west` exist, `day-2-1` does not.
    /// assert_eq!(n.ids, ["day-2-1", "day-2-2"]);
    /// ```
    pub fn new(
        programme: &Programme,
        session: Option<usize>,
        prefix: Option<&str>,
        title: Option<&str>,
        date: NaiveDate,
        k: usize,
    ) -> Result<Self, String> {
        let base = prefix
            .map(str::to_string)
            .or_else(|| session.map(|s| programme.sessions[s].id.clone()))
            .unwrap_or_else(|| "edition".into());
        if !crate::programme::validate::valid_id(&format!("{base}-1")) || base.len() > 50 {
            return Err(format!(
                "--id-prefix `{}`: use lowercase letters, digits and `-`, at most 50 characters",
                terminal(&base)
            ));
        }
        let taken = |id: &str| {
            programme.sessions.iter().any(|s| s.id == id)
                || programme.groups.iter().any(|g| g.id == id)
        };
        let mut stem = base.clone();
        let mut suffix = String::new();
        let mut attempt = 0u32;
        let ids = loop {
            let ids: Vec<String> = (1..=k).map(|i| format!("{stem}-{i}{suffix}")).collect();
            if !ids.iter().any(|id| taken(id)) {
                break ids;
            }
            attempt += 1;
            stem = format!("{base}-{date}");
            suffix = if attempt == 1 {
                String::new()
            } else {
                format!("-{attempt}")
            };
        };
        let title = title
            .map(str::to_string)
            .or_else(|| session.map(|s| programme.sessions[s].title.clone()))
            .unwrap_or_else(|| programme.title.clone());
        Ok(Naming { ids, title })
    }
}

/// Every zone of an edition's participants with their local times, most participants first:
/// "Europe/Paris 09:00–11:00 (12), …", at most 12 zones, then "+N more zones".
fn local_times(programme: &Programme, edition: &Edition) -> String {
    let mut count: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    for &i in &edition.participants {
        let p = &programme.participants[i];
        let s = p.timezone.zone.local(edition.start);
        let e = p.timezone.zone.local(edition.end);
        count
            .entry(p.timezone.written.as_str())
            .or_insert((0, format!("{}–{}", s.format("%H:%M"), e.format("%H:%M"))))
            .0 += 1;
    }
    let mut list: Vec<(&str, usize, String)> =
        count.into_iter().map(|(z, (n, t))| (z, n, t)).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let zones = list.len();
    let mut text = list
        .iter()
        .take(12)
        .map(|(z, n, t)| format!("{} {t} ({n})", terminal(z)))
        .collect::<Vec<_>>()
        .join(", ");
    if zones > 12 {
        let _ = write!(text, ", +{} more zones", zones - 12);
    }
    text
}

/// Renders a split. `totals` are the optimal totals for K = 1..=4 (for the gain report).
pub fn split(
    programme: &Programme,
    plan: &Split,
    format: SplitFormat,
    totals: &[i64],
    duration: &str,
    naming: &Naming,
) -> String {
    match format {
        SplitFormat::Json => {
            let editions: Vec<JsonEdition<'_>> = plan
                .editions
                .iter()
                .map(|e| JsonEdition {
                    start_utc: utc_string(e.start),
                    end_utc: utc_string(e.end),
                    participants: emails(programme, &e.participants),
                    score: e.score,
                    unavailable_participants: unavailable_json(programme, &e.unavailable),
                    required: required_json(programme, &e.required, e.start, e.end),
                })
                .collect();
            to_json(&JsonSplit {
                editions,
                required_miss: plan.required_miss,
                total_score: plan.total_score,
            })
        }
        SplitFormat::Text => split_text(programme, plan, totals),
        SplitFormat::Toml => split_toml(programme, plan, duration, naming),
    }
}

fn split_text(programme: &Programme, plan: &Split, totals: &[i64]) -> String {
    let mut out = String::new();
    if plan.required_miss > 0 {
        let _ = writeln!(
            out,
            "Impossible to have every required participant free and inside their working hours at {} editions. Best compromise: {} minutes outside their hours (summed over them) at the start times kept.\n",
            plan.editions.len(),
            plan.required_miss
        );
    }
    let _ = writeln!(
        out,
        "{} edition{}, total score {}",
        plan.editions.len(),
        if plan.editions.len() == 1 { "" } else { "s" },
        plan.total_score
    );
    for (i, e) in plan.editions.iter().enumerate() {
        let local = programme.timezone.zone.local(e.start);
        let local_end = programme.timezone.zone.local(e.end);
        let _ = writeln!(
            out,
            "\nEdition {}: {} {}–{} UTC ({}–{} {}) · {} participants · score {} · {} minutes in the night, {} outside working hours",
            i + 1,
            e.start.format("%a %d %b %Y"),
            e.start.format("%H:%M"),
            e.end.format("%H:%M"),
            local.format("%H:%M"),
            local_end.format("%H:%M"),
            programme.timezone.written,
            e.participants.len(),
            e.score,
            e.night_minutes,
            e.outside_minutes
        );
        let _ = writeln!(out, "  local times: {}", local_times(programme, e));
        if !e.required.is_empty() {
            let _ = writeln!(
                out,
                "  required: {}",
                required_text(programme, &e.required, e.start, e.end)
            );
        }
        if !e.unavailable.is_empty() {
            let _ = writeln!(
                out,
                "  cannot attend any edition: {}",
                unavailable_text(programme, &e.unavailable)
            );
        }
    }
    if !totals.is_empty() {
        let _ = writeln!(out, "\nGain of each extra edition (optimal total score):");
        for (k, t) in totals.iter().enumerate() {
            let gain = if k == 0 {
                String::new()
            } else {
                format!(" ({:+})", t - totals[k - 1])
            };
            let _ = writeln!(
                out,
                "  {} edition{}: {t}{gain}",
                k + 1,
                if k == 0 { "" } else { "s" }
            );
        }
    }
    out
}

fn split_toml(programme: &Programme, plan: &Split, duration: &str, naming: &Naming) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Plan from `roundtable split`: {} editions (total score {}). Paste into the programme file.",
        plan.editions.len(),
        plan.total_score
    );
    if plan.required_miss > 0 {
        let _ = writeln!(
            out,
            "# Compromise: required participants are {} minutes outside their hours in all.",
            plan.required_miss
        );
    }
    let required: Vec<usize> = plan
        .editions
        .first()
        .map(|e| e.required.iter().map(|r| r.0).collect())
        .unwrap_or_default();
    for (i, e) in plan.editions.iter().enumerate() {
        let id = &naming.ids[i];
        let start = programme.timezone.zone.local(e.start);
        let _ = writeln!(
            out,
            "\n[[group]]\nid = {}\ntitle = {}",
            q(id),
            q(&format!(
                "{} — edition {} ({} UTC)",
                naming.title,
                i + 1,
                e.start.format("%H:%M")
            ))
        );
        // Required participants attend every edition.
        let mut members = e.participants.clone();
        members.extend(required.iter().filter(|r| !e.participants.contains(r)));
        let members: Vec<String> = emails(programme, &members)
            .iter()
            .map(|m| format!("  {},", q(m)))
            .collect();
        let _ = writeln!(out, "members = [\n{}\n]", members.join("\n"));
        let _ = writeln!(
            out,
            "\n[[session]]\nid = {}\ntitle = {}\nstart = {}  # {}\nduration = {}\naudience = [{}]",
            q(id),
            q(&format!("{} — edition {}", naming.title, i + 1)),
            q(&start.format("%Y-%m-%dT%H:%M").to_string()),
            programme.timezone.written,
            q(duration),
            q(id)
        );
    }
    out
}
