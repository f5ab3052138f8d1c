//! The plan of a run with what changed, for people (text) and for tools (JSON), and the fixes
//! [`super::likenesses`] found as warnings.
//!
//! Times are shown in the programme's zone. Text from the programme (titles, links, e-mails)
//! is neutralised for the terminal. Attendees' e-mails are listed only where the organizer
//! asked to see them (`invites --dry-run`); the summary of a writing run gives counts, since it
//! lands in CI logs.

use std::fmt::Write as _;

use chrono::{DateTime, Timelike, Utc};
use serde_json::{Value, json};

use super::{Attendees, Detail, Likeness, Suggestion, Unlisted};
use crate::error::{Diagnostic, Location};
use crate::invites::{Changeset, ChangesetEntry};
use crate::neutralise::terminal;
use crate::programme::Programme;
use crate::zone::ZoneSpec;

/// How attendees who changed are shown in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Their e-mails (a dry run, read by the organizer).
    Emails,
    /// How many (the summary of a writing run, which lands in CI logs).
    Counts,
}

/// E-mails (or excepted dates) listed before "+N more".
pub const LISTED: usize = 10;

/// The plan as a table, each event's changes on the lines below it.
pub fn text(plan: &Changeset, programme: &Programme, show: Show) -> String {
    let mut out = String::new();
    let width = plan
        .entries
        .iter()
        .map(|e| e.session.len())
        .max()
        .unwrap_or(0);
    for e in &plan.entries {
        let _ = writeln!(
            out,
            "{:<17} {:<width$}  SEQUENCE {}  {}",
            e.change.word(),
            e.session,
            e.sequence,
            e.uid
        );
        for line in lines(e, &programme.timezone, show) {
            let _ = writeln!(out, "{:18}{line}", "");
        }
    }
    out
}

/// `2023-11-15 09:00` (seconds when there are any) in `zone`.
fn local(t: DateTime<Utc>, zone: &ZoneSpec) -> (String, String) {
    let l = zone.zone.local(t);
    let time = if l.second() == 0 {
        l.format("%H:%M").to_string()
    } else {
        l.format("%H:%M:%S").to_string()
    };
    (l.format("%Y-%m-%d").to_string(), time)
}

/// `start 2023-11-15 15:00 → 14:00 (Europe/Madrid)`: the date again only when it changed.
fn moved(label: &str, from: DateTime<Utc>, to: DateTime<Utc>, zone: &ZoneSpec) -> String {
    let (fd, ft) = local(from, zone);
    let (td, tt) = local(to, zone);
    let to_text = if fd == td { tt } else { format!("{td} {tt}") };
    format!("{label} {fd} {ft} → {to_text} ({})", zone.label())
}

/// "occurrence 20231215T090000: Fri 15 Dec 09:00–13:00 → 14:00–18:00 (CET)" and the like.
fn occurrence_line(
    original: &str,
    from: Option<(DateTime<Utc>, DateTime<Utc>)>,
    to: Option<(DateTime<Utc>, DateTime<Utc>)>,
    details: bool,
    zone: &ZoneSpec,
) -> String {
    let span = |(s, e): (DateTime<Utc>, DateTime<Utc>)| {
        let (sd, st) = local(s, zone);
        let (ed, et) = local(e, zone);
        if sd == ed {
            format!("{sd} {st}–{et}")
        } else {
            format!("{sd} {st}–{ed} {et}")
        }
    };
    let what = match (from, to) {
        (Some(a), Some(b)) if a == b => "its own title, description or link changed".to_string(),
        (Some(a), Some(b)) => format!("{} → {}", span(a), span(b)),
        (None, Some(b)) => format!("now {}", span(b)),
        (Some(a), None) => format!("back at its series time (was {})", span(a)),
        (None, None) => String::new(),
    };
    let extra = if details && from != to {
        "; its own title, description or link changed"
    } else {
        ""
    };
    format!("occurrence {original}: {what}{extra} ({})", zone.label())
}

fn when(t: DateTime<Utc>, zone: &ZoneSpec) -> String {
    let (d, t) = local(t, zone);
    format!("{d} {t}")
}

/// `a, b, c, +4 more`.
fn listed(items: &[String]) -> String {
    let mut text = items
        .iter()
        .take(LISTED)
        .map(|i| terminal(i).into_owned())
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > LISTED {
        let _ = write!(text, ", +{} more", items.len() - LISTED);
    }
    text
}

fn minutes(m: i64) -> String {
    format!("{m} min before")
}

/// An RRULE in words: `weekly on Mon, Wed until 2023-12-19`, `daily, 5 times`; parts without
/// words are kept as written, in brackets.
pub fn describe_rule(rule: &str, zone: &ZoneSpec) -> String {
    let mut freq = "";
    let mut interval = 1u32;
    let mut count = None;
    let mut until = None;
    let mut days = None;
    let mut others = Vec::new();
    for part in rule.split(';') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        match key {
            "FREQ" => freq = value,
            "INTERVAL" => match value.parse() {
                Ok(n) => interval = n,
                Err(_) => others.push(part),
            },
            "COUNT" => count = Some(value),
            "UNTIL" => until = Some(value),
            "BYDAY" => days = Some(value),
            _ => others.push(part),
        }
    }
    let (one, many) = match freq {
        "YEARLY" => ("yearly", "years"),
        "MONTHLY" => ("monthly", "months"),
        "WEEKLY" => ("weekly", "weeks"),
        "DAILY" => ("daily", "days"),
        "HOURLY" => ("hourly", "hours"),
        "MINUTELY" => ("every minute", "minutes"),
        "SECONDLY" => ("every second", "seconds"),
        _ => ("", ""),
    };
    let mut text = if one.is_empty() {
        freq.to_string()
    } else if interval == 1 {
        one.to_string()
    } else {
        format!("every {interval} {many}")
    };
    if let Some(days) = days {
        let named: Vec<String> = days
            .split(',')
            .map(|d| {
                let name = match d {
                    "MO" => "Mon",
                    "TU" => "Tue",
                    "WE" => "Wed",
                    "TH" => "Thu",
                    "FR" => "Fri",
                    "SA" => "Sat",
                    "SU" => "Sun",
                    other => other,
                };
                name.to_string()
            })
            .collect();
        let _ = write!(text, " on {}", named.join(", "));
    }
    if !others.is_empty() {
        let _ = write!(text, " ({})", others.join(";"));
    }
    if let Some(n) = count {
        let _ = write!(text, ", {n} times");
    }
    if let Some(u) = until {
        let parse = |v: &str| chrono::NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok();
        let date = match u.strip_suffix('Z').and_then(parse) {
            Some(utc) => local(utc.and_utc(), zone).0,
            None => parse(u).map_or_else(|| u.to_string(), |c| c.format("%Y-%m-%d").to_string()),
        };
        let _ = write!(text, " until {date}");
    }
    text
}

fn attendee_lines(a: &Attendees, show: Show) -> Vec<String> {
    if let Some(why) = a.unlisted {
        let reason = match why {
            Unlisted::NoKey => {
                "who changed needs the calendar-address key (--key-file or ROUNDTABLE_KEY)"
            }
            Unlisted::OtherKey => {
                "who changed is not known: the lock was written with another calendar-address key"
            }
            Unlisted::TooMany => {
                "who changed is not known: the lock cannot tell this many changes apart"
            }
            Unlisted::NotRecorded => "who changed is not known: the lock does not record it",
        };
        return vec![format!("attendees {} → {}: {reason}", a.before, a.after)];
    }
    let removed = a.removed.len() + a.removed_unnamed;
    let mut out = Vec::new();
    match show {
        Show::Counts => {
            let mut parts = Vec::new();
            if !a.added.is_empty() {
                parts.push(format!("{} added", a.added.len()));
            }
            if removed > 0 {
                parts.push(format!("{removed} removed"));
            }
            if !parts.is_empty() {
                out.push(format!("attendees: {}", parts.join(", ")));
            }
        }
        Show::Emails => {
            if !a.added.is_empty() {
                out.push(format!(
                    "attendees added ({}): {}",
                    a.added.len(),
                    listed(&a.added)
                ));
            }
            if removed > 0 {
                let mut text = format!("attendees removed ({removed}): {}", listed(&a.removed));
                if a.removed_unnamed > 0 {
                    let gone = format!(
                        "{} no longer in the programme (the lock keeps no e-mails)",
                        a.removed_unnamed
                    );
                    if a.removed.is_empty() {
                        text.push_str(&gone);
                    } else {
                        let _ = write!(text, "; {gone}");
                    }
                }
                out.push(text);
            }
        }
    }
    if a.names_changed {
        out.push("attendee names changed".into());
    }
    out
}

/// The lines under one entry.
fn lines(e: &ChangesetEntry, zone: &ZoneSpec, show: Show) -> Vec<String> {
    let (start, end) = if e.series {
        ("first start", "first end")
    } else {
        ("start", "end")
    };
    let only_unknown = e.details.len() == 1;
    let mut out = Vec::new();
    for d in &e.details {
        match d {
            Detail::Renamed { from } => {
                out.push(format!("renamed from {from} (the UID is kept: previous_id)"))
            }
            Detail::Restored => out.push("restored: it had been cancelled".into()),
            Detail::Start { from, to } => out.push(moved(start, *from, *to, zone)),
            Detail::End { from, to } => out.push(moved(end, *from, *to, zone)),
            Detail::LastStart { from, to } => out.push(moved("last start", *from, *to, zone)),
            Detail::Timezone { from, to } => out.push(format!("timezone {from} → {to}")),
            Detail::Occurrence {
                original,
                from,
                to,
                details,
            } => out.push(occurrence_line(original, *from, *to, *details, zone)),
            Detail::Repeat { from, to } => out.push(repeat_line(from, to, zone)),
            Detail::Except { added, removed } => out.push(except_line(added, removed, zone)),
            Detail::Title { from, to } => out.push(format!(
                "title \"{}\" → \"{}\"",
                terminal(from),
                terminal(to)
            )),
            Detail::JoinUrl { from, to } => out.push(join_url_line(from, to)),
            Detail::Description { before, after } => out.push(
                match (before, after) {
                    (false, true) => "description added",
                    (true, false) => "description removed",
                    _ => "description changed",
                }
                .into(),
            ),
            Detail::Reminder { from, to } => out.push(reminder_line(*from, *to)),
            Detail::Audience { from, to } => {
                out.push(format!("audience {} → {}", from.join(", "), to.join(", ")))
            }
            Detail::Attendees(a) => out.extend(attendee_lines(a, show)),
            Detail::Other => out.push("other details changed".into()),
            Detail::Unknown if only_unknown => out.push(
                "details unknown: the lock was written by an earlier roundtable, which kept only times and titles"
                    .into(),
            ),
            Detail::Unknown => out.push(
                "other details unknown: the lock was written by an earlier roundtable".into(),
            ),
            Detail::LooksLike { uid, session, why } => out.push(looks_like_line(uid, session, why)),
        }
    }
    out
}

/// `repeat weekly on Tuesday → none`: the rules in words, or as written where the words are
/// the same.
fn repeat_line(from: &Option<String>, to: &Option<String>, zone: &ZoneSpec) -> String {
    let rule = |r: &Option<String>| {
        r.as_deref()
            .map_or_else(|| "none".to_string(), |r| describe_rule(r, zone))
    };
    let (mut a, mut b) = (rule(from), rule(to));
    if a == b {
        // The words hide the difference: the rules as written.
        a = terminal(from.as_deref().unwrap_or("none")).into_owned();
        b = terminal(to.as_deref().unwrap_or("none")).into_owned();
    }
    format!("repeat {a} → {b}")
}

fn except_line(added: &[DateTime<Utc>], removed: &[DateTime<Utc>], zone: &ZoneSpec) -> String {
    let show =
        |list: &[DateTime<Utc>]| listed(&list.iter().map(|t| when(*t, zone)).collect::<Vec<_>>());
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("added {}", show(added)));
    }
    if !removed.is_empty() {
        parts.push(format!("removed {}", show(removed)));
    }
    format!("except {} ({})", parts.join("; "), zone.label())
}

fn join_url_line(from: &Option<String>, to: &Option<String>) -> String {
    match (from, to) {
        (Some(a), Some(b)) => format!("join link {} → {}", terminal(a), terminal(b)),
        (None, Some(b)) => format!("join link added: {}", terminal(b)),
        (Some(a), None) => format!("join link removed (was {})", terminal(a)),
        (None, None) => "join link changed".into(),
    }
}

fn reminder_line(from: Option<i64>, to: Option<i64>) -> String {
    match (from, to) {
        (Some(a), Some(b)) => format!("reminder {} → {}", minutes(a), minutes(b)),
        (None, Some(b)) => format!("reminder added: {}", minutes(b)),
        (Some(a), None) => format!("reminder removed (was {})", minutes(a)),
        (None, None) => "reminder changed".into(),
    }
}

fn looks_like_line(uid: &str, session: &str, why: &Likeness) -> String {
    match why {
        Likeness::Renamed => format!(
            "same times and audience as {session}, cancelled in this run: renamed? (see the warning)"
        ),
        Likeness::UidDomain => format!(
            "same session as {uid}, cancelled in this run: the UID's domain changed (see the warning)"
        ),
    }
}

/// The fixes as warnings, each with its place and the key to add.
pub fn warnings(plan: &Changeset, programme: &Programme) -> Vec<Diagnostic> {
    plan.suggestions
        .iter()
        .map(|s| match s {
            Suggestion::PreviousId {
                session,
                previous_id,
                cancelled,
                location,
            } => Diagnostic::warning(
                location.clone(),
                format!(
                    "session `{session}` is new and has the same times and audience as `{cancelled}`, which this run cancels: calendars get a cancellation and a new event, not an update"
                ),
            )
            .with_help(format!(
                "if `{session}` is `{cancelled}` renamed, add previous_id = \"{previous_id}\" to session `{session}`: it keeps the UID, so calendars update the event"
            )),
            Suggestion::UidDomain { from, to, events } => Diagnostic::warning(
                Some(organizer_place(programme)),
                format!(
                    "the UIDs' domain changed from {from} to {to} (the organizer's e-mail changed): {events} events are cancelled and added again, not updated"
                ),
            )
            .with_help(format!(
                "to keep the UIDs, add uid_domain = \"{from}\" to [programme]"
            )),
        })
        .collect()
}

/// Where the organizer's e-mail is written (found again in the file, only for this warning),
/// else the file.
fn organizer_place(programme: &Programme) -> Location {
    let path = &programme.source;
    crate::input::read(path, crate::input::MAX_PROGRAMME_BYTES)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|text| {
            let needle = format!("\"{}\"", programme.organizer.email);
            text.find(&needle)
                .map(|at| Location::at_offset(path, &text, at))
        })
        .unwrap_or_else(|| Location::file(path))
}

fn utc(t: &DateTime<Utc>) -> Value {
    Value::String(t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn detail_json(d: &Detail) -> Value {
    match d {
        Detail::Renamed { from } => json!({"what": "renamed", "from": from}),
        Detail::Restored => json!({"what": "restored"}),
        Detail::Start { from, to } => json!({"what": "start", "from": utc(from), "to": utc(to)}),
        Detail::End { from, to } => json!({"what": "end", "from": utc(from), "to": utc(to)}),
        Detail::LastStart { from, to } => {
            json!({"what": "last_start", "from": utc(from), "to": utc(to)})
        }
        Detail::Timezone { from, to } => json!({"what": "timezone", "from": from, "to": to}),
        Detail::Occurrence {
            original,
            from,
            to,
            details,
        } => {
            let span = |x: &Option<(DateTime<Utc>, DateTime<Utc>)>| {
                x.map(|(s, e)| json!({"start": utc(&s), "end": utc(&e)}))
            };
            json!({"what": "occurrence", "recurrence_id": original, "from": span(from), "to": span(to), "details": details})
        }
        Detail::Repeat { from, to } => json!({"what": "repeat", "from": from, "to": to}),
        Detail::Except { added, removed } => json!({
            "what": "except",
            "added": added.iter().map(utc).collect::<Vec<_>>(),
            "removed": removed.iter().map(utc).collect::<Vec<_>>(),
        }),
        Detail::Title { from, to } => json!({"what": "title", "from": from, "to": to}),
        Detail::JoinUrl { from, to } => json!({"what": "join_url", "from": from, "to": to}),
        Detail::Description { before, after } => {
            json!({"what": "description", "before": before, "after": after})
        }
        Detail::Reminder { from, to } => json!({"what": "reminder", "from": from, "to": to}),
        Detail::Audience { from, to } => json!({"what": "audience", "from": from, "to": to}),
        Detail::Attendees(a) => json!({
            "what": "attendees",
            "before": a.before,
            "after": a.after,
            "added": a.added,
            "removed": a.removed,
            "removed_unnamed": a.removed_unnamed,
            "names_changed": a.names_changed,
            "unlisted": a.unlisted.map(|u| match u {
                Unlisted::NoKey => "no_key",
                Unlisted::OtherKey => "other_key",
                Unlisted::TooMany => "too_many",
                Unlisted::NotRecorded => "not_recorded",
            }),
        }),
        Detail::Other => json!({"what": "other"}),
        Detail::Unknown => json!({"what": "unknown"}),
        Detail::LooksLike { uid, session, why } => json!({
            "what": "looks_like",
            "uid": uid,
            "session": session,
            "why": match why {
                Likeness::Renamed => "renamed",
                Likeness::UidDomain => "uid_domain",
            },
        }),
    }
}

/// The plan as JSON (keys sorted; events in the plan's order, by session id then UID; see
/// README "Changes" for the shape). It names attendees: it is for the organizer.
pub fn json(plan: &Changeset, programme: &Programme) -> String {
    let events: Vec<Value> = plan
        .entries
        .iter()
        .map(|e| {
            json!({
                "session": e.session,
                "uid": e.uid,
                "change": e.change.word().replace(' ', "_"),
                "sequence": e.sequence,
                "series": e.series,
                "changes": e.details.iter().map(detail_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let warnings: Vec<Value> = plan
        .suggestions
        .iter()
        .zip(warnings(plan, programme))
        .map(|(s, d)| match s {
            Suggestion::PreviousId {
                session,
                previous_id,
                cancelled,
                ..
            } => json!({
                "kind": "previous_id",
                "session": session,
                "previous_id": previous_id,
                "cancelled": cancelled,
                "message": d.message,
                "fix": d.help,
            }),
            Suggestion::UidDomain { from, to, events } => json!({
                "kind": "uid_domain",
                "from": from,
                "to": to,
                "events": events,
                "message": d.message,
                "fix": d.help,
            }),
        })
        .collect();
    let doc = json!({
        "programme": programme.id,
        "timezone": programme.timezone.label(),
        "events": events,
        "warnings": warnings,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_in_words() {
        let madrid: ZoneSpec = "Europe/Madrid".parse().expect("zone");
        let words = |r: &str| describe_rule(r, &madrid);
        assert_eq!(
            words("FREQ=WEEKLY;BYDAY=TH;COUNT=3"),
            "weekly on Thu, 3 times"
        );
        // 22:59:59Z on 19 Dec is 23:59:59 in Madrid (CET): still the 19th; an hour later the 20th.
        assert_eq!(
            words("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20231219T225959Z"),
            "daily on Mon, Tue, Wed, Thu, Fri until 2023-12-19"
        );
        assert_eq!(
            words("FREQ=DAILY;UNTIL=20231219T235959Z"),
            "daily until 2023-12-20"
        );
        assert_eq!(
            words("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1"),
            "every 2 months (BYMONTHDAY=1)"
        );
        assert_eq!(words("FREQ=WEEKLY;BYDAY=1MO"), "weekly on 1MO");
    }
}
