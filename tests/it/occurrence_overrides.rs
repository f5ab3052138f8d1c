//! `[[session.occurrence]]`: one occurrence of a series moved or changed, end to end. Every
//! expected instant is worked out by hand from the TOML in the comments; the calendars are read
//! by Python's `icalendar` + `recurring_ical_events`, `ical.js` and libical (tests/ics/, see
//! tests/it/ics_parsers.rs), never by roundtable.
//!
//! Zones used (tz data): CET is UTC+01:00 in December 2023. America/New_York is UTC-05:00
//! until Sun 2024-03-10 02:00, when clocks jump to 03:00 (UTC-04:00): 02:00–02:59 does not
//! exist that day. America/Sao_Paulo is UTC-03:00 all year (no DST since 2019).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use crate::support::{check_json, root, roundtable, write};
use predicates::prelude::*;
use serde_json::Value;

const HEAD: &str = "[programme]\nid = \"t\"\ntitle = \"T\"\ntimezone = \"CET\"\norganizer = { name = \"O\", email = \"o@example.org\" }\n";

/// The README's five-day training (Wed 13, Thu 14, Fri 15, Mon 18, Tue 19 Dec 2023, 09:00–13:00
/// CET), Friday moved to the afternoon.
const TRAINING: &str = r#"
[[session]]
id = "training"
title = "Training"
start = "2023-12-13T09:00"
end = "2023-12-13T13:00"
audience = "all"
repeat = "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20231219T235959"
join_url = "https://example.org/training"
"#;

const FRIDAY_AFTERNOON: &str = r#"
[[session.occurrence]]
date = "2023-12-15"
start = "2023-12-15T14:00"
end = "2023-12-15T18:00"
title = "Training (afternoon)"
join_url = "https://example.org/friday"
"#;

const ANA: &str = r#"
[[participant]]
name = "Ana"
email = "ana@example.org"
timezone = "America/Sao_Paulo"
"#;

// ---------------------------------------------------------------------------------------------
// (b) times

#[test]
fn times_json_shows_the_moved_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(
        dir.path(),
        "p.toml",
        &format!("{HEAD}{TRAINING}{FRIDAY_AFTERNOON}{ANA}"),
    );
    let out = roundtable()
        .args(["times", "--format", "json"])
        .arg(&p)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("json");
    // 09:00–13:00 CET (+01:00) = 08:00–12:00Z = 05:00–09:00 in São Paulo (-03:00); Friday
    // moved to 14:00–18:00 CET = 13:00–17:00Z = 10:00–14:00 in São Paulo.
    let row = |day: u32, start: &str, end: &str, local_start: &str, local_end: &str| {
        serde_json::json!({
            "session": "training",
            "start_utc": format!("2023-12-{day}T{start}:00Z"),
            "end_utc": format!("2023-12-{day}T{end}:00Z"),
            "participant": "ana@example.org",
            "timezone": "America/Sao_Paulo",
            "start_local": format!("2023-12-{day}T{local_start}:00-03:00"),
            "end_local": format!("2023-12-{day}T{local_end}:00-03:00"),
        })
    };
    let expected = serde_json::json!({
        "programme": "t",
        "rows": [
            row(13, "08:00", "12:00", "05:00", "09:00"),
            row(14, "08:00", "12:00", "05:00", "09:00"),
            row(15, "13:00", "17:00", "10:00", "14:00"),
            row(18, "08:00", "12:00", "05:00", "09:00"),
            row(19, "08:00", "12:00", "05:00", "09:00"),
        ]
    });
    assert_eq!(v, expected);
    // The text says what changed.
    roundtable()
        .arg("times")
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Fri 15 Dec 2023 14:00–18:00 CET (UTC+01:00) = 13:00–17:00 UTC  moved from Fri 15 Dec 09:00  “Training (afternoon)”",
        ));
}

#[test]
fn moving_the_first_occurrence_keeps_the_rest_and_a_duration_alone_changes_the_length() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The first occurrence, Wed 13, moved to Thu 14 at 15:00 for 90 minutes (15:00–16:30 CET =
    // 14:00–15:30Z); Tue 19 keeps 09:00 and lasts 1h (08:00–09:00Z).
    let body = format!(
        "{HEAD}{TRAINING}\n[[session.occurrence]]\ndate = 2023-12-13\nstart = \"2023-12-14T15:00\"\nduration = \"90m\"\n\n[[session.occurrence]]\ndate = \"2023-12-19T09:00\"\nduration = \"1h\"\n"
    );
    let p = write(dir.path(), "p.toml", &body);
    let out = roundtable()
        .args(["times", "--format", "json", "--tz", "UTC"])
        .arg(&p)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("json");
    let got: Vec<(String, String)> = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["start_utc"].as_str().expect("s").to_string(),
                r["end_utc"].as_str().expect("e").to_string(),
            )
        })
        .collect();
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        got,
        vec![
            pair("2023-12-14T08:00:00Z", "2023-12-14T12:00:00Z"),
            pair("2023-12-14T14:00:00Z", "2023-12-14T15:30:00Z"),
            pair("2023-12-15T08:00:00Z", "2023-12-15T12:00:00Z"),
            pair("2023-12-18T08:00:00Z", "2023-12-18T12:00:00Z"),
            pair("2023-12-19T08:00:00Z", "2023-12-19T09:00:00Z"),
        ]
    );
    // In calendars the series still starts on Wed 13 09:00 (its DTSTART, the RECURRENCE-ID of
    // the moved first occurrence, 08:00Z) and lasts 4h; Tue 19 is an instance of 1h.
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let file = dir.path().join("out/t.ics");
    let uid = "training.t@example.org".to_string();
    let row = |s: &str, e: &str, rid: &str| {
        (
            uid.clone(),
            s.to_string(),
            e.to_string(),
            rid.to_string(),
            "Training".to_string(),
            0,
        )
    };
    let expected: Seen = [
        row(
            "2023-12-14T14:00:00Z",
            "2023-12-14T15:30:00Z",
            "2023-12-13T08:00:00Z",
        ),
        row(
            "2023-12-14T08:00:00Z",
            "2023-12-14T12:00:00Z",
            "2023-12-14T08:00:00Z",
        ),
        row(
            "2023-12-15T08:00:00Z",
            "2023-12-15T12:00:00Z",
            "2023-12-15T08:00:00Z",
        ),
        row(
            "2023-12-18T08:00:00Z",
            "2023-12-18T12:00:00Z",
            "2023-12-18T08:00:00Z",
        ),
        row(
            "2023-12-19T08:00:00Z",
            "2023-12-19T09:00:00Z",
            "2023-12-19T08:00:00Z",
        ),
    ]
    .into_iter()
    .collect();
    for (name, v) in expanders(std::slice::from_ref(&file)) {
        assert_eq!(seen(&v, &file), expected, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// (c) check

#[test]
fn check_reports_a_double_booking_at_the_new_time() {
    // A clinic on Fri 15 Dec 15:00–16:00 CET (14:00–15:00Z): free while the training is in the
    // morning (08:00–12:00Z); inside the moved training (13:00–17:00Z) it overlaps by the whole
    // hour. The conflict is on the occurrence that starts second, the clinic: 15:00 CET is 11:00
    // in São Paulo (-03:00).
    const CLINIC: &str = r#"
[[session]]
id = "clinic"
title = "Clinic"
start = "2023-12-15T15:00"
duration = "1h"
audience = "all"
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let check = |body: String| -> Value {
        let p = write(dir.path(), "p.toml", &body);
        check_json(&p)
    };
    let overlaps = |v: &Value| -> Vec<Value> {
        v["conflicts"]
            .as_array()
            .expect("conflicts")
            .iter()
            .filter(|c| c["kind"] == "overlap")
            .cloned()
            .collect()
    };
    let before = check(format!("{HEAD}{TRAINING}{CLINIC}{ANA}"));
    assert!(overlaps(&before).is_empty(), "{before}");
    let after = check(format!("{HEAD}{TRAINING}{FRIDAY_AFTERNOON}{CLINIC}{ANA}"));
    let found = overlaps(&after);
    assert_eq!(found.len(), 1, "{after}");
    let c = &found[0];
    assert_eq!(c["participant"], "ana@example.org");
    assert_eq!(c["session"], "clinic");
    assert_eq!(c["start_utc"], "2023-12-15T14:00:00Z");
    assert_eq!(c["start_local"], "2023-12-15T11:00:00-03:00");
    // The moved occurrence, named by its own title, 14:00–18:00 CET = 10:00–14:00 in São Paulo.
    let detail = c["detail"].as_str().expect("detail");
    assert!(
        detail.contains("“Training (afternoon)” (training) 10:00–14:00 local by 60 minutes"),
        "{detail}"
    );
    // A moved occurrence is not a DST shift of the series.
    assert!(
        !after["conflicts"]
            .as_array()
            .expect("conflicts")
            .iter()
            .any(|c| c["kind"] == "dst-shift"),
        "{after}"
    );
}

// ---------------------------------------------------------------------------------------------
// (d) validation

/// `p.toml:LINE:COLUMN` of the value of the `n`-th line (0-based) that starts with `line_start`.
fn place(text: &str, line_start: &str, n: usize) -> String {
    let (i, line) = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with(line_start))
        .nth(n)
        .expect("line");
    let column = line.find('=').map_or(1, |e| e + 3);
    format!("p.toml:{}:{column}", i + 1)
}

/// Runs `times` on HEAD + `body`: exit 2, and every piece in stderr.
fn fails_with(body: &str, pieces: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!("{HEAD}{body}");
    write(dir.path(), "p.toml", &text);
    let out = roundtable()
        .current_dir(dir.path())
        .args(["times", "p.toml"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for p in pieces {
        assert!(stderr.contains(p), "missing {p:?} in:\n{stderr}");
    }
}

fn with_date(date: &str) -> String {
    format!("{TRAINING}\n[[session.occurrence]]\ndate = \"{date}\"\ntitle = \"Moved\"\n{ANA}")
}

#[test]
fn a_date_that_is_no_occurrence_names_the_nearest() {
    // Sat 16 Dec: the series skips weekends; the nearest are Fri 15 and Mon 18.
    let body = with_date("2023-12-16");
    fails_with(
        &body,
        &[
            &place(&format!("{HEAD}{body}"), "date", 0),
            "session `training` has no occurrence on Sat 2023-12-16",
            "did you mean date = \"2023-12-15\" (Fri) or date = \"2023-12-18\" (Mon)?",
        ],
    );
    // After the last (Tue 19) and before the first (Wed 13).
    fails_with(
        &with_date("2023-12-22"),
        &[
            "no occurrence on Fri 2023-12-22; its last is on Tue 2023-12-19",
            "did you mean date = \"2023-12-19\" (Tue)?",
        ],
    );
    fails_with(
        &with_date("2023-12-11"),
        &[
            "no occurrence on Mon 2023-12-11; its first is on Wed 2023-12-13",
            "did you mean date = \"2023-12-13\" (Wed)?",
        ],
    );
    // A start that is not the series' time that day.
    fails_with(
        &with_date("2023-12-15T10:00"),
        &[
            "has no occurrence at Fri 2023-12-15 10:00",
            "did you mean date = \"2023-12-15T09:00\" (Fri) or date = \"2023-12-18T09:00\" (Mon)?",
        ],
    );
}

#[test]
fn an_excepted_occurrence_cannot_be_changed() {
    let body = format!(
        "{}{}",
        TRAINING.replace(
            "audience = \"all\"",
            "audience = \"all\"\nexcept = [\"2023-12-15T09:00\"]"
        ),
        &with_date("2023-12-15")[TRAINING.len()..]
    );
    fails_with(
        &body,
        &[
            &place(&format!("{HEAD}{body}"), "date", 0),
            "the occurrence of Fri 2023-12-15 09:00 is dropped by `except`",
            "remove it from `except`",
        ],
    );
    // The nearest suggested are occurrences that are not dropped: Thu 14 and Mon 18.
    let body = body.replace("date = \"2023-12-15\"", "date = \"2023-12-16\"");
    fails_with(
        &body,
        &["did you mean date = \"2023-12-14\" (Thu) or date = \"2023-12-18\" (Mon)?"],
    );
}

#[test]
fn one_override_per_occurrence() {
    let body = format!(
        "{TRAINING}{FRIDAY_AFTERNOON}\n[[session.occurrence]]\ndate = \"2023-12-15T09:00\"\ntitle = \"Again\"\n{ANA}"
    );
    let text = format!("{HEAD}{body}");
    fails_with(
        &body,
        &[
            &format!(
                "{}: session `training`: the occurrence of Fri 2023-12-15 09:00 is changed twice (first at {})",
                place(&text, "date", 1),
                place(&text, "date", 0)
            ),
            "keep one [[session.occurrence]] per occurrence",
        ],
    );
}

#[test]
fn only_a_series_has_occurrences_to_change() {
    let one_off = r#"
[[session]]
id = "kickoff"
title = "Kick-off"
start = "2023-12-13T09:00"
duration = "2h"
audience = "all"

[[session.occurrence]]
date = "2023-12-13"
start = "2023-12-13T10:00"
"#;
    let body = format!("{one_off}{ANA}");
    let text = format!("{HEAD}{body}");
    // Reported at the table's header.
    fails_with(
        &body,
        &[
            &place(&text, "[[session.occurrence]]", 0),
            "session `kickoff` has a [[session.occurrence]] but no `repeat`",
            "for a one-off session change its own `start`",
        ],
    );
}

#[test]
fn a_new_start_in_a_gap_follows_the_session_policy() {
    // A daily 09:00 series in New York; Sat 9 Mar moved to 02:30 on Sun 10 Mar, which does not
    // exist (02:00 → 03:00). Under the default `reject`: an error at the new `start`, with both
    // candidates: 02:30 read with the offset after (-04:00) is 06:30Z (01:30 EST, `earlier`),
    // with the offset before (-05:00) 07:30Z (03:30 EDT, `compatible`/`later`).
    let series = r#"
[[session]]
id = "daily"
title = "Daily"
start = "2024-03-08T09:00"
timezone = "America/New_York"
duration = "1h"
audience = "all"
repeat = "FREQ=DAILY;COUNT=4"

[[session.occurrence]]
date = "2024-03-09"
start = "2024-03-10T02:30"
"#;
    let body = format!("{series}{ANA}");
    fails_with(
        &body,
        &[
            &place(&format!("{HEAD}{body}"), "start = \"2024-03-10", 0),
            "session `daily`: moved start Sun 2024-03-10 02:30 in America/New_York does not exist",
            "2024-03-10T06:30:00Z (01:30 -05:00)",
            "2024-03-10T07:30:00Z (03:30 -04:00)",
            "disambiguation = \"compatible\"",
        ],
    );
    // With `compatible`, 03:30 EDT = 07:30Z.
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(
        dir.path(),
        "p.toml",
        &format!(
            "{HEAD}{}{ANA}",
            series.replace(
                "audience = \"all\"",
                "audience = \"all\"\ndisambiguation = \"compatible\""
            )
        ),
    );
    roundtable()
        .args(["times", "--format", "csv", "--tz", "UTC"])
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "daily,2024-03-10T07:30:00Z,2024-03-10T08:30:00Z",
        ));
}

#[test]
fn other_mistakes_in_an_override() {
    // Onto the next occurrence: Fri 15 moved to Thu 14 10:00 overlaps Thu 14 09:00–13:00.
    let body = format!(
        "{TRAINING}\n[[session.occurrence]]\ndate = \"2023-12-15\"\nstart = \"2023-12-14T10:00\"\n{ANA}"
    );
    fails_with(
        &body,
        &[
            &place(&format!("{HEAD}{body}"), "start = \"2023-12-14", 0),
            "its occurrences overlap each other",
            "move the occurrence to a time when no other occurrence of the session runs",
        ],
    );
    // Both `end` and `duration`; an unknown key, with the key meant.
    let body = format!(
        "{TRAINING}\n[[session.occurrence]]\ndate = \"2023-12-15\"\nduration = \"1h\"\nend = \"2023-12-15T12:00\"\n{ANA}"
    );
    fails_with(
        &body,
        &[
            &place(&format!("{HEAD}{body}"), "end = \"2023-12-15", 0),
            "has both `duration` and `end`",
        ],
    );
    let body = format!(
        "{TRAINING}\n[[session.occurrence]]\ndate = \"2023-12-15\"\nstrat = \"2023-12-15T14:00\"\n{ANA}"
    );
    fails_with(&body, &["unknown key `strat`", "did you mean `start`?"]);
    // An end before the occurrence's start (the series' 09:00 that day).
    let body = format!(
        "{TRAINING}\n[[session.occurrence]]\ndate = \"2023-12-15\"\nend = \"2023-12-15T08:00\"\n{ANA}"
    );
    fails_with(
        &body,
        &[
            &place(&format!("{HEAD}{body}"), "end = \"2023-12-15", 0),
            "the occurrence of Fri 2023-12-15 ends at Fri 2023-12-15 08:00, not after its start (09:00)",
        ],
    );
    // Two occurrences a day: the date alone does not say which.
    let body = format!(
        "{}\n[[session.occurrence]]\ndate = \"2023-12-15\"\ntitle = \"x\"\n{ANA}",
        TRAINING
            .replace("end = \"2023-12-13T13:00\"", "duration = \"2h\"")
            .replace("BYDAY=MO,TU,WE,TH,FR;", "BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,14;")
    );
    fails_with(
        &body,
        &[
            "session `training` has 2 occurrences on Fri 2023-12-15 (09:00, 14:00)",
            "write its start: date = \"2023-12-15T09:00\"",
        ],
    );
}

#[test]
fn an_override_that_changes_nothing_is_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!("{TRAINING}\n[[session.occurrence]]\ndate = \"2023-12-15\"\n{ANA}");
    let p = write(dir.path(), "p.toml", &format!("{HEAD}{text}"));
    roundtable()
        .arg("times")
        .arg(&p)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "an occurrence of session `training` changes nothing",
        ));
}

// ---------------------------------------------------------------------------------------------
// (a) invitations, read by independent parsers

/// What one expander saw: (uid, start_utc, end_utc, recurrence_id_utc, summary, sequence) of
/// every occurrence in `file`.
type Seen = BTreeSet<(String, String, String, String, String, i64)>;

fn expanders(files: &[PathBuf]) -> Vec<(&'static str, Value)> {
    let run = |cmd: &mut Process, what: &str| -> Value {
        let out = cmd
            .env_remove("TZ")
            .args(files)
            .output()
            .unwrap_or_else(|e| panic!("{what}: {e} (see tests/run.sh)"));
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("expander json")
    };
    let ics = root().join("tests/ics");
    vec![
        (
            "icalendar",
            run(
                Process::new("python3").arg(ics.join("expand.py")),
                "expand.py",
            ),
        ),
        (
            "ical.js",
            run(
                Process::new("node").arg(ics.join("expand.mjs")),
                "expand.mjs",
            ),
        ),
        (
            "libical",
            run(
                Process::new("/usr/bin/python3").arg(ics.join("expand_libical.py")),
                "expand_libical.py",
            ),
        ),
    ]
}

fn seen(v: &Value, file: &Path) -> Seen {
    let key = file.to_string_lossy();
    v["files"][key.as_ref()]["events"]
        .as_array()
        .unwrap_or_else(|| panic!("no events for {key}"))
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("-").to_string();
            (
                s("uid"),
                s("start_utc"),
                s("end_utc"),
                s("recurrence_id_utc"),
                s("summary"),
                e["sequence"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

fn expect(rows: &[(&str, &str, &str, &str, &str)], sequence: i64) -> Seen {
    rows.iter()
        .map(|(uid, s, e, rid, summary)| {
            (
                format!("{uid}.moved-occurrences@example.org"),
                s.to_string(),
                e.to_string(),
                rid.to_string(),
                summary.to_string(),
                sequence,
            )
        })
        .collect()
}

/// tests/data/programmes/moved-occurrences.toml, by hand. In calendars a moved occurrence is
/// an instance of its series: the same UID, its RECURRENCE-ID the instant the series gives it.
fn moved_occurrences_by_hand() -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
)> {
    vec![
        // training, CET (+01:00): 09:00–13:00 = 08:00–12:00Z on Wed 13, Thu 14, Mon 18, Tue 19;
        // Fri 15 moved to 14:00–18:00 = 13:00–17:00Z, its RECURRENCE-ID 09:00 = 08:00Z.
        (
            "training",
            "2023-12-13T08:00:00Z",
            "2023-12-13T12:00:00Z",
            "2023-12-13T08:00:00Z",
            "Training",
        ),
        (
            "training",
            "2023-12-14T08:00:00Z",
            "2023-12-14T12:00:00Z",
            "2023-12-14T08:00:00Z",
            "Training",
        ),
        (
            "training",
            "2023-12-15T13:00:00Z",
            "2023-12-15T17:00:00Z",
            "2023-12-15T08:00:00Z",
            "Training (afternoon)",
        ),
        (
            "training",
            "2023-12-18T08:00:00Z",
            "2023-12-18T12:00:00Z",
            "2023-12-18T08:00:00Z",
            "Training",
        ),
        (
            "training",
            "2023-12-19T08:00:00Z",
            "2023-12-19T12:00:00Z",
            "2023-12-19T08:00:00Z",
            "Training",
        ),
        // ny-weekly, Sundays 02:30 for 1h from 25 Feb, 6 times, `compatible`. Sun 10 Mar 02:30
        // does not exist: the series is split there (see README), into Feb 25–Mar 3, Mar 10
        // alone and Mar 17–31 (UID ny-weekly~20240317T0230).
        // Feb 25 02:30 EST (-05:00) = 07:30Z.
        (
            "ny-weekly",
            "2024-02-25T07:30:00Z",
            "2024-02-25T08:30:00Z",
            "2024-02-25T07:30:00Z",
            "Weekly at 02:30 in New York",
        ),
        // Mar 3 moved to 10:00 EST for 90m = 15:00–16:30Z; RECURRENCE-ID 02:30 EST = 07:30Z.
        (
            "ny-weekly",
            "2024-03-03T15:00:00Z",
            "2024-03-03T16:30:00Z",
            "2024-03-03T07:30:00Z",
            "Weekly at 02:30 in New York",
        ),
        // Mar 10, generated in the gap, moved to 09:00 EDT (-04:00) = 13:00Z: the part of its
        // own, a one-off at its new time with its own title (no RECURRENCE-ID).
        (
            "ny-weekly~20240310T0230",
            "2024-03-10T13:00:00Z",
            "2024-03-10T14:00:00Z",
            "-",
            "Weekly (after the change of clocks)",
        ),
        // Mar 17, 24, 31 02:30 EDT = 06:30Z; Mar 24 retitled in the second part.
        (
            "ny-weekly~20240317T0230",
            "2024-03-17T06:30:00Z",
            "2024-03-17T07:30:00Z",
            "2024-03-17T06:30:00Z",
            "Weekly at 02:30 in New York",
        ),
        (
            "ny-weekly~20240317T0230",
            "2024-03-24T06:30:00Z",
            "2024-03-24T07:30:00Z",
            "2024-03-24T06:30:00Z",
            "Weekly (guest speaker)",
        ),
        (
            "ny-weekly~20240317T0230",
            "2024-03-31T06:30:00Z",
            "2024-03-31T07:30:00Z",
            "2024-03-31T06:30:00Z",
            "Weekly at 02:30 in New York",
        ),
        // ny-daily, 09:00 for 1h from Fri 8 Mar, 4 times, `compatible`.
        // Fri 8 09:00 EST = 14:00Z; Sun 10 09:00 EDT = 13:00Z.
        (
            "ny-daily",
            "2024-03-08T14:00:00Z",
            "2024-03-08T15:00:00Z",
            "2024-03-08T14:00:00Z",
            "Daily at 09:00 in New York",
        ),
        (
            "ny-daily",
            "2024-03-10T13:00:00Z",
            "2024-03-10T14:00:00Z",
            "2024-03-10T13:00:00Z",
            "Daily at 09:00 in New York",
        ),
        // Sat 9 (09:00 EST = 14:00Z) moved into the gap, Sun 10 02:30 → 03:30 EDT = 07:30Z.
        (
            "ny-daily",
            "2024-03-10T07:30:00Z",
            "2024-03-10T08:30:00Z",
            "2024-03-09T14:00:00Z",
            "Daily at 09:00 in New York",
        ),
        // Mon 11 (09:00 EDT = 13:00Z) moved to Sun 10 01:30 EST = 06:30Z, ending at 07:30Z =
        // 03:30 EDT: across the change of offset.
        (
            "ny-daily",
            "2024-03-10T06:30:00Z",
            "2024-03-10T07:30:00Z",
            "2024-03-11T13:00:00Z",
            "Daily at 09:00 in New York",
        ),
    ]
}

/// `invites` on a copy of the programme (so that the lock stays in `dir`); the plan it prints.
fn invites(dir: &Path, text: &str) -> String {
    let p = write(dir, "moved-occurrences.toml", text);
    let out = roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_moved_occurrence_imports_as_a_moved_instance_of_the_series() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(root().join("tests/data/programmes/moved-occurrences.toml"))
        .expect("programme");
    invites(dir.path(), &text);
    let public = dir.path().join("out/moved-occurrences.ics");
    let sessions = dir.path().join("out.private/sessions");
    let training = sessions.join("training.ics");
    let later_part = sessions.join("ny-weekly~20240317T0230.ics");
    let files = [public.clone(), training.clone(), later_part.clone()];
    let by_hand = moved_occurrences_by_hand();
    for (name, v) in expanders(&files) {
        assert_eq!(
            seen(&v, &public),
            expect(&by_hand, 0),
            "{name}: the programme calendar"
        );
        // The REQUEST of the training: its five occurrences, Friday moved.
        let only =
            |uid: &str| -> Vec<_> { by_hand.iter().filter(|r| r.0 == uid).cloned().collect() };
        assert_eq!(
            seen(&v, &training),
            expect(&only("training"), 0),
            "{name}: training.ics"
        );
        assert_eq!(
            seen(&v, &later_part),
            expect(&only("ny-weekly~20240317T0230"), 0),
            "{name}: the later part of ny-weekly"
        );
    }
}

#[test]
fn changing_an_override_raises_the_sequence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(root().join("tests/data/programmes/moved-occurrences.toml"))
        .expect("programme");
    // The programme without its training override, then with it: the training changed.
    let start = text.find("\n[[session.occurrence]]\n").expect("override") + 1;
    let end = text
        .find("\n[[session]]\nid = \"ny-weekly\"")
        .expect("next");
    let without = format!("{}{}", &text[..start], &text[end + 1..]);
    let plan = invites(dir.path(), &without);
    assert!(
        plan.contains("new               training   SEQUENCE 0"),
        "{plan}"
    );
    let plan = invites(dir.path(), &text);
    assert!(
        plan.contains("changed           training   SEQUENCE 1"),
        "{plan}"
    );
    assert!(
        plan.contains("unchanged         ny-daily   SEQUENCE 0"),
        "{plan}"
    );
    // The same again: nothing changes.
    let plan = invites(dir.path(), &text);
    assert!(
        plan.contains("unchanged         training   SEQUENCE 1"),
        "{plan}"
    );
    // Only the override's title changed: a new SEQUENCE.
    let retitled = text.replace("Training (afternoon)", "Training (Friday afternoon)");
    let plan = invites(dir.path(), &retitled);
    assert!(
        plan.contains("changed           training   SEQUENCE 2"),
        "{plan}"
    );
    // Only its time: 15:00–18:00 CET = 14:00–17:00Z.
    let later = retitled.replace(
        "start = \"2023-12-15T14:00\"",
        "start = \"2023-12-15T15:00\"",
    );
    let plan = invites(dir.path(), &later);
    assert!(
        plan.contains("changed           training   SEQUENCE 3"),
        "{plan}"
    );
    let training = dir.path().join("out.private/sessions/training.ics");
    for (name, v) in expanders(std::slice::from_ref(&training)) {
        let got = seen(&v, &training);
        assert!(
            got.contains(&(
                "training.moved-occurrences@example.org".to_string(),
                "2023-12-15T14:00:00Z".to_string(),
                "2023-12-15T17:00:00Z".to_string(),
                "2023-12-15T08:00:00Z".to_string(),
                "Training (Friday afternoon)".to_string(),
                3
            )),
            "{name}: {got:?}"
        );
        assert_eq!(got.len(), 5, "{name}: {got:?}");
        assert!(got.iter().all(|r| r.5 == 3), "{name}: {got:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The page and the participants' calendars

#[test]
fn the_page_and_the_participant_calendar_show_the_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(
        dir.path(),
        "p.toml",
        &format!("{HEAD}{TRAINING}{FRIDAY_AFTERNOON}{ANA}"),
    );
    let out = dir.path().join("public");
    roundtable()
        .arg("build")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let page = std::fs::read_to_string(out.join("index.html")).expect("page");
    // "When is it for you?" in CET: the mornings grouped, Friday's afternoon on its own line
    // (14:00–18:00 CET, 13:00–17:00Z), then what changed, with Friday's own link.
    assert!(
        page.contains("<strong>09:00–13:00 (UTC+01:00)</strong> <span class=\"dates\">Wed 13, Thu 14, Mon 18, Tue 19 Dec 2023</span>"),
        "{page}"
    );
    assert!(
        page.contains(
            "<strong>14:00–18:00 (UTC+01:00)</strong> <span class=\"dates\">Fri 15 Dec 2023</span>"
        ),
        "{page}"
    );
    assert!(page.contains("<span data-i18n=\"page-moved-from\">Moved from</span> Fri 15 Dec 09:00 <span data-i18n=\"page-moved-to\">(session time) to</span> <time datetime=\"2023-12-15T13:00:00Z\" data-start=\"2023-12-15T13:00:00Z\" data-end=\"2023-12-15T17:00:00Z\">"), "{page}");
    assert!(
        page.contains("<strong>Training (afternoon)</strong>")
            && page.contains("<a href=\"https://example.org/friday\" data-i18n=\"page-join-day\">Join link for this day</a>"),
        "{page}"
    );
    // Ana's calendar: Friday at 10:00–14:00 her time (-03:00), marked, with its own link.
    let index = std::fs::read_to_string(dir.path().join("public.private/participants/index.csv"))
        .expect("index");
    let file = index
        .lines()
        .find(|l| l.starts_with("ana@"))
        .and_then(|l| l.rsplit(',').next())
        .expect("ana's file");
    let ics = std::fs::read_to_string(out.join(file))
        .expect("calendar")
        .replace("\r\n ", "");
    assert!(
        ics.contains("Fri 15 Dec 2023\\, 10:00–14:00 (America/Sao_Paulo\\, UTC-03:00) (moved): Training (afternoon)"),
        "{ics}"
    );
    assert!(
        ics.contains("Join on Fri 15 Dec 2023: https://example.org/friday"),
        "{ics}"
    );
}
