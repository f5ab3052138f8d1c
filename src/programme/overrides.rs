//! `[[session.occurrence]]`: one occurrence of a recurring session moved or changed.
//!
//! Checked here as far as the file alone allows: the values, the keys that go together, and
//! that the session recurs. Whether `date` names an occurrence of the series (and which is
//! nearest when it does not), whether two tables name the same one, and whether the new times
//! exist in the session's zone are checked where the series is expanded
//! ([`crate::occurrence::expand`]), which knows its occurrences.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use toml::Spanned;

use super::raw::{RawOccurrence, RawSession};
use super::{Length, OccurrenceDate, OccurrenceOverride};
use crate::duration::{MAX_MINUTES, parse_duration};
use crate::error::{Diagnostic, Diagnostics, Location};

/// The overrides of session `s`, every problem and warning pushed to `diags` (an override with a
/// problem is left out).
pub(super) fn read(
    file: &Path,
    text: &str,
    s: &RawSession,
    recurring: bool,
    diags: &mut Diagnostics,
) -> Vec<OccurrenceOverride> {
    let at = |span: std::ops::Range<usize>| Location::at_offset(file, text, span.start);
    let id = s.id.get_ref();
    if !recurring {
        if let Some(first) = s.occurrences.first() {
            diags.push(
                Diagnostic::error(
                    Some(at(first.span())),
                    format!("session `{id}` has a [[session.occurrence]] but no `repeat`"),
                )
                .with_help(
                    "[[session.occurrence]] moves or changes one occurrence of a recurring session; for a one-off session change its own `start`, `end`, `title`, `join_url` or `description`, and remove this table",
                ),
            );
        }
        return Vec::new();
    }
    s.occurrences
        .iter()
        .filter_map(|table| one(table, id, &at, diags))
        .collect()
}

/// One `[[session.occurrence]]` of session `id`, or `None` when it has a problem (pushed).
fn one(
    table: &Spanned<RawOccurrence>,
    id: &str,
    at: &dyn Fn(std::ops::Range<usize>) -> Location,
    diags: &mut Diagnostics,
) -> Option<OccurrenceOverride> {
    let before = diags.errors().len();
    let o: &RawOccurrence = table.get_ref();
    let location = at(o.date.span());
    let date = match occurrence_date(o.date.get_ref()) {
        Ok(d) => Some(d),
        Err(e) => {
            diags.push(
                Diagnostic::error(Some(location.clone()), format!("`date` {e}"))
                    .with_help("write the date of the occurrence to change as the series gives it, in the session's zone: date = \"2023-12-15\" (or, when the series has several occurrences a day, its start: date = \"2023-12-15T09:00\")"),
            );
            None
        }
    };
    let start = o.start.as_ref().and_then(|v| civil(v, "start", &at, diags));
    let end = o.end.as_ref().and_then(|v| civil(v, "end", &at, diags));
    let length = length(o, end, id, &at, diags);
    // An end and the start it follows, when both are known from the file.
    let from = start.or(match date {
        Some(OccurrenceDate::Start(s)) => Some(s),
        _ => None,
    });
    if let (Some(from), Some(end), Some(e)) = (from, end, &o.end) {
        end_after_start(from, end, e.span(), &at, diags);
    }
    let changes_nothing = o.start.is_none()
        && o.end.is_none()
        && o.duration.is_none()
        && o.title.is_none()
        && o.join_url.is_none()
        && o.description.is_none();
    if changes_nothing {
        diags.push(
            Diagnostic::warning(
                Some(at(table.span())),
                format!("an occurrence of session `{id}` changes nothing"),
            )
            .with_help("give it a new `start`, `end` or `duration`, `title`, `join_url` or `description`, or remove the table"),
        );
    }
    if diags.errors().len() != before {
        return None;
    }
    Some(OccurrenceOverride {
        date: date?,
        start,
        length,
        title: o.title.clone(),
        join_url: o.join_url.clone(),
        description: o.description.clone(),
        location,
        start_location: o.start.as_ref().map(|v| at(v.span())),
        length_location: o
            .end
            .as_ref()
            .map(|v| at(v.span()))
            .or_else(|| o.duration.as_ref().map(|v| at(v.span()))),
    })
}

/// The occurrence's own length: its `duration`, or its `end` (`end`, already read); both is an
/// error.
fn length(
    o: &RawOccurrence,
    end: Option<NaiveDateTime>,
    id: &str,
    at: &dyn Fn(std::ops::Range<usize>) -> Location,
    diags: &mut Diagnostics,
) -> Option<Length> {
    match (&o.duration, &o.end) {
        (Some(_), Some(e)) => {
            diags.push(
                Diagnostic::error(
                    Some(at(e.span())),
                    format!("an occurrence of session `{id}` has both `duration` and `end`"),
                )
                .with_help("keep one of them"),
            );
            None
        }
        (Some(d), None) => match parse_duration(d.get_ref()) {
            Ok(d) => Some(Length::Elapsed(d)),
            Err(e) => {
                diags.push(Diagnostic::error(
                    Some(at(d.span())),
                    format!("`duration` {e}"),
                ));
                None
            }
        },
        (None, Some(_)) => end.map(Length::End),
        (None, None) => None,
    }
}

/// An error unless `end` (written at `span`) is after `from` and at most a day later.
fn end_after_start(
    from: NaiveDateTime,
    end: NaiveDateTime,
    span: std::ops::Range<usize>,
    at: &dyn Fn(std::ops::Range<usize>) -> Location,
    diags: &mut Diagnostics,
) {
    if end <= from {
        diags.push(
            Diagnostic::error(
                Some(at(span.clone())),
                format!(
                    "`end` ({}) is not after the occurrence's start ({})",
                    end.format("%Y-%m-%dT%H:%M"),
                    from.format("%Y-%m-%dT%H:%M")
                ),
            )
            .with_help("`end` is a civil date-time in the session's zone, later than the occurrence's `start`"),
        );
    } else if (end - from).num_minutes() > MAX_MINUTES {
        diags.push(
            Diagnostic::error(
                Some(at(span.clone())),
                format!(
                    "`end` is {} hours after the occurrence's start; an occurrence lasts at most 24 hours",
                    (end - from).num_minutes() / 60
                ),
            )
            .with_help("check the date of `end`"),
        );
    }
}

/// A civil date-time value, or a problem pushed.
fn civil(
    value: &Spanned<toml::Value>,
    what: &str,
    at: &dyn Fn(std::ops::Range<usize>) -> Location,
    diags: &mut Diagnostics,
) -> Option<NaiveDateTime> {
    match super::validate::parse_civil(value.get_ref()) {
        Ok(c) => Some(c),
        Err(e) => {
            diags.push(
                Diagnostic::error(Some(at(value.span())), format!("`{what}` {e}")).with_help(
                    "write a civil date-time without offset in the session's zone, such as \"2023-12-15T14:00\"",
                ),
            );
            None
        }
    }
}

/// `date`: a civil date (a string or a TOML local date), or a civil date-time.
fn occurrence_date(value: &toml::Value) -> Result<OccurrenceDate, String> {
    let date_only = match value {
        toml::Value::String(s) => Some(s.trim().to_string()),
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => Some(d.to_string()),
        _ => None,
    };
    if let Some(text) = date_only
        && let Ok(d) = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
    {
        if !(1..=9999).contains(&chrono::Datelike::year(&d)) {
            return Err(format!(
                "`{text}` is out of range: write a year from 1 to 9999"
            ));
        }
        return Ok(OccurrenceDate::Date(d));
    }
    super::validate::parse_civil(value).map(OccurrenceDate::Start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_or_a_start() {
        let date = toml::Value::String("2023-12-15".into());
        assert_eq!(
            occurrence_date(&date),
            Ok(OccurrenceDate::Date(
                NaiveDate::from_ymd_opt(2023, 12, 15).expect("date")
            ))
        );
        let local: toml::Value = toml::from_str::<toml::Table>("d = 2023-12-15")
            .expect("toml")
            .remove("d")
            .expect("d");
        assert!(matches!(
            occurrence_date(&local),
            Ok(OccurrenceDate::Date(_))
        ));
        let start = toml::Value::String("2023-12-15T09:00".into());
        assert!(matches!(
            occurrence_date(&start),
            Ok(OccurrenceDate::Start(_))
        ));
        assert!(occurrence_date(&toml::Value::String("2023-12-15T09:00Z".into())).is_err());
        assert!(occurrence_date(&toml::Value::String("15/12/2023".into())).is_err());
        assert!(occurrence_date(&toml::Value::Integer(3)).is_err());
    }
}
