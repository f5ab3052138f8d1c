//! `suggest` and `split` output: text, JSON (stable shapes) and, for `split`, TOML blocks ready
//! to paste into the programme file.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::{Split, Suggestion};
use crate::programme::Programme;
use crate::times::utc_string;

/// Output formats of `suggest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SuggestFormat {
    /// Readable.
    Text,
    /// `{"suggestions": [...]}`.
    Json,
}

/// Output formats of `split`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitFormat {
    /// Readable, with the gain of each extra edition.
    Text,
    /// `{"editions": [...], "total_score"}`.
    Json,
    /// `[[group]]` and `[[session]]` blocks for the programme file.
    Toml,
}

#[derive(Serialize)]
struct JsonSuggestion<'a> {
    start_utc: String,
    end_utc: String,
    score: i64,
    inside: usize,
    partial: usize,
    night: usize,
    outside_participants: Vec<&'a str>,
}

fn emails<'a>(programme: &'a Programme, who: &[usize]) -> Vec<&'a str> {
    let mut list: Vec<&str> = who
        .iter()
        .map(|&i| programme.participants[i].email.as_str())
        .collect();
    list.sort_unstable();
    list
}

/// Renders ranked suggestions.
pub fn suggestions(programme: &Programme, list: &[Suggestion], format: SuggestFormat) -> String {
    match format {
        SuggestFormat::Json => {
            let doc: Vec<JsonSuggestion<'_>> = list
                .iter()
                .map(|s| JsonSuggestion {
                    start_utc: utc_string(s.start),
                    end_utc: utc_string(s.end),
                    score: s.score,
                    inside: s.inside.len(),
                    partial: s.partial.len(),
                    night: s.night.len(),
                    outside_participants: emails(programme, &s.partial),
                })
                .collect();
            let mut out = serde_json::to_string_pretty(&serde_json::json!({ "suggestions": doc }))
                .unwrap_or_default();
            out.push('\n');
            out
        }
        SuggestFormat::Text => {
            let mut out = String::new();
            for (i, s) in list.iter().enumerate() {
                let local = programme.timezone.zone.local(s.start);
                let local_end = programme.timezone.zone.local(s.end);
                let _ = writeln!(
                    out,
                    "{}. {} {}–{} UTC ({}–{} {})  score {}",
                    i + 1,
                    s.start.format("%a %d %b %Y"),
                    s.start.format("%H:%M"),
                    s.end.format("%H:%M"),
                    local.format("%H:%M"),
                    local_end.format("%H:%M"),
                    programme.timezone.written,
                    s.score
                );
                let _ = writeln!(
                    out,
                    "   inside their hours {} · partly outside {} · in their night {}",
                    s.inside.len(),
                    s.partial.len(),
                    s.night.len()
                );
                if !s.partial.is_empty() {
                    let _ = writeln!(
                        out,
                        "   partly outside: {}",
                        by_region(programme, &s.partial)
                    );
                }
                if !s.night.is_empty() {
                    let _ = writeln!(out, "   in their night: {}", by_region(programme, &s.night));
                }
            }
            out
        }
    }
}

/// "America (3): Ana Souza, Ben Li, +1 more; Asia (1): ...".
fn by_region(programme: &Programme, who: &[usize]) -> String {
    let mut map: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for &i in who {
        let p = &programme.participants[i];
        map.entry(crate::check::report::region(&p.timezone.zone))
            .or_default()
            .push(p.name.as_str());
    }
    map.into_iter()
        .map(|(region, mut names)| {
            names.sort_unstable();
            let n = names.len();
            let shown: Vec<&str> = names.into_iter().take(6).collect();
            let more = if n > shown.len() {
                format!(", +{} more", n - shown.len())
            } else {
                String::new()
            };
            format!("{region} ({n}): {}{more}", shown.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Serialize)]
struct JsonEdition<'a> {
    start_utc: String,
    end_utc: String,
    participants: Vec<&'a str>,
    score: i64,
}

/// The main zones of an edition's participants with their local times: "Europe/Paris 09:00–11:00 (12)".
fn main_zones(programme: &Programme, split_edition: &super::Edition) -> String {
    let mut count: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for &i in &split_edition.participants {
        let p = &programme.participants[i];
        let s = p.timezone.zone.local(split_edition.start);
        let e = p.timezone.zone.local(split_edition.end);
        let entry = count
            .entry(p.timezone.written.clone())
            .or_insert((0, format!("{}–{}", s.format("%H:%M"), e.format("%H:%M"))));
        entry.0 += 1;
    }
    let mut list: Vec<(String, usize, String)> =
        count.into_iter().map(|(z, (n, t))| (z, n, t)).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.iter()
        .take(5)
        .map(|(z, n, t)| format!("{z} {t} ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renders a split. `totals` are the optimal totals for K = 1..=4 (for the gain report).
pub fn split(
    programme: &Programme,
    plan: &Split,
    format: SplitFormat,
    totals: &[i64],
    duration: &str,
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
                })
                .collect();
            let mut out = serde_json::to_string_pretty(
                &serde_json::json!({ "editions": editions, "total_score": plan.total_score }),
            )
            .unwrap_or_default();
            out.push('\n');
            out
        }
        SplitFormat::Text => {
            let mut out = String::new();
            let _ = writeln!(
                out,
                "{} edition{}, total score {}",
                plan.editions.len(),
                if plan.editions.len() == 1 { "" } else { "s" },
                plan.total_score
            );
            for (i, e) in plan.editions.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "\nEdition {}: {} {}–{} UTC · {} participants · score {} · {} minutes in the night, {} outside working hours",
                    i + 1,
                    e.start.format("%a %d %b %Y"),
                    e.start.format("%H:%M"),
                    e.end.format("%H:%M"),
                    e.participants.len(),
                    e.score,
                    e.night_minutes,
                    e.outside_minutes
                );
                let _ = writeln!(out, "  local times: {}", main_zones(programme, e));
                let _ = writeln!(
                    out,
                    "  participants: {}",
                    by_region(programme, &e.participants)
                );
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
        SplitFormat::Toml => {
            let q = |s: &str| toml::Value::String(s.to_string()).to_string();
            let mut out = String::new();
            let _ = writeln!(
                out,
                "# Plan from `roundtable split`: {} editions (total score {}). Paste into the programme file.",
                plan.editions.len(),
                plan.total_score
            );
            for (i, e) in plan.editions.iter().enumerate() {
                let id = format!("edition-{}", i + 1);
                let start = programme.timezone.zone.local(e.start);
                let _ = writeln!(
                    out,
                    "\n[[group]]\nid = {}\ntitle = {}",
                    q(&id),
                    q(&format!(
                        "Edition {} ({} UTC)",
                        i + 1,
                        e.start.format("%H:%M")
                    ))
                );
                let members: Vec<String> = emails(programme, &e.participants)
                    .iter()
                    .map(|m| format!("  {},", q(m)))
                    .collect();
                let _ = writeln!(out, "members = [\n{}\n]", members.join("\n"));
                let _ = writeln!(
                    out,
                    "\n[[session]]\nid = {}\ntitle = {}\nstart = {}  # {}\nduration = {}\naudience = [{}]",
                    q(&id),
                    q(&format!("{} — edition {}", programme.title, i + 1)),
                    q(&start.format("%Y-%m-%dT%H:%M").to_string()),
                    programme.timezone.written,
                    q(duration),
                    q(&id)
                );
            }
            out
        }
    }
}
