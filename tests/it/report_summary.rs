//! What `check` reports lead with (per session, per day, most affected participants) and how
//! their details are grouped (one row per zone, day and conflict): counts worked out by hand on
//! a small programme, and the bundled examples' summaries against a second count
//! (`tests/oracle/summary_oracle.py`, from `times --format json` and the participant lists).

use crate::support::{root, roundtable, write};
use serde_json::{Value, json};
use std::path::Path;

/// `check` with `args`, its standard output and exit code.
fn check(file: &Path, args: &[&str]) -> (String, i32) {
    let out = roundtable()
        .arg("check")
        .args(args)
        .arg(file)
        .output()
        .expect("run");
    (
        String::from_utf8(out.stdout).expect("utf8"),
        out.status.code().unwrap_or(-1),
    )
}

fn check_json(file: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json", "--fail-on", "never"];
    all.extend_from_slice(args);
    let (out, code) = check(file, &all);
    assert_eq!(code, 0, "{out}");
    serde_json::from_str(&out).expect("json")
}

// A daily session of one hour, Tue 14 and Wed 15 Nov 2023 at 13:00 Paris (+01:00) = 12:00Z.
// Three participants in Auckland (+13:00): 01:00–02:00 on Wed 15 and Thu 16, all 60 minutes in
// the night, and a local date one day after the session's (date-shift). One in Los Angeles
// (−08:00): 04:00–05:00 on Tue 14 and Wed 15, night too, same date. One in Lagos (+01:00):
// 13:00, nothing. By hand: 8 night errors (3 × 2 + 1 × 2), 6 date-shift infos (3 × 2).
const PROGRAMME: &str = r#"[programme]
id = "t"
title = "T"
timezone = "Europe/Paris"
organizer = { name = "O", email = "o@example.org" }

[[session]]
id = "daily"
title = "Daily"
start = "2023-11-14T13:00"
duration = "1h"
audience = "all"
repeat = "FREQ=DAILY;COUNT=2"

[[participant]]
name = "Aroha"
email = "a1@example.org"
timezone = "Pacific/Auckland"

[[participant]]
name = "Hemi"
email = "a2@example.org"
timezone = "Pacific/Auckland"

[[participant]]
name = "Mere"
email = "a3@example.org"
timezone = "Pacific/Auckland"

[[participant]]
name = "Luis"
email = "la@example.org"
timezone = "America/Los_Angeles"

[[participant]]
name = "Ngozi"
email = "ng@example.org"
timezone = "Africa/Lagos"
"#;

const NAMES: [&str; 10] = [
    "Aroha",
    "Hemi",
    "Mere",
    "Luis",
    "Ngozi",
    "a1@example.org",
    "a2@example.org",
    "a3@example.org",
    "la@example.org",
    "ng@example.org",
];

#[test]
fn one_row_per_zone_and_day_and_summaries_by_hand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "p.toml", PROGRAMME);
    let v = check_json(&p, &[]);
    let s = &v["summary"];
    assert_eq!(
        (&s["error"], &s["warning"], &s["info"]),
        (&json!(8), &json!(0), &json!(6))
    );
    assert_eq!(
        s["sessions"],
        json!([
            {"session": "daily", "kind": "night", "severity": "error",
             "participants": 4, "occurrences": 2, "conflicts": 8},
            {"session": "daily", "kind": "date-shift", "severity": "info",
             "participants": 3, "occurrences": 2, "conflicts": 6},
        ])
    );
    // Days are the sessions' dates in the programme's zone: Tue 14 and Wed 15.
    assert_eq!(
        s["days"],
        json!([
            {"date": "2023-11-14", "kind": "night", "severity": "error", "participants": 4, "conflicts": 4},
            {"date": "2023-11-14", "kind": "date-shift", "severity": "info", "participants": 3, "conflicts": 3},
            {"date": "2023-11-15", "kind": "night", "severity": "error", "participants": 4, "conflicts": 4},
            {"date": "2023-11-15", "kind": "date-shift", "severity": "info", "participants": 3, "conflicts": 3},
        ])
    );
    // Everyone with an error has 2 errors and 120 night minutes: ties go by e-mail. Ngozi has
    // nothing and is not listed.
    let most: Vec<(&str, i64, i64, &str)> = s["most_affected"]
        .as_array()
        .expect("most_affected")
        .iter()
        .map(|a| {
            (
                a["participant"].as_str().unwrap_or(""),
                a["error"].as_i64().unwrap_or(-1),
                a["night_minutes"].as_i64().unwrap_or(-1),
                a["start_local"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        most,
        vec![
            ("a1@example.org", 2, 120, "2023-11-15T01:00:00+13:00"),
            ("a2@example.org", 2, 120, "2023-11-15T01:00:00+13:00"),
            ("a3@example.org", 2, 120, "2023-11-15T01:00:00+13:00"),
            ("la@example.org", 2, 120, "2023-11-14T04:00:00-08:00"),
        ]
    );
    // Grouped details: per occurrence, Los Angeles (1) then Auckland (3); errors before info.
    let groups: Vec<(&str, &str, &str, Vec<&str>)> = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["kind"].as_str().unwrap_or(""),
                g["zone"].as_str().unwrap_or(""),
                g["start_local"].as_str().unwrap_or(""),
                g["participants"]
                    .as_array()
                    .expect("participants")
                    .iter()
                    .map(|p| p.as_str().unwrap_or(""))
                    .collect(),
            )
        })
        .collect();
    let auckland = vec!["a1@example.org", "a2@example.org", "a3@example.org"];
    assert_eq!(
        groups,
        vec![
            (
                "night",
                "America/Los_Angeles",
                "2023-11-14T04:00:00-08:00",
                vec!["la@example.org"]
            ),
            (
                "night",
                "Pacific/Auckland",
                "2023-11-15T01:00:00+13:00",
                auckland.clone()
            ),
            (
                "night",
                "America/Los_Angeles",
                "2023-11-15T04:00:00-08:00",
                vec!["la@example.org"]
            ),
            (
                "night",
                "Pacific/Auckland",
                "2023-11-16T01:00:00+13:00",
                auckland.clone()
            ),
            (
                "date-shift",
                "Pacific/Auckland",
                "2023-11-15T01:00:00+13:00",
                auckland.clone()
            ),
            (
                "date-shift",
                "Pacific/Auckland",
                "2023-11-16T01:00:00+13:00",
                auckland.clone()
            ),
        ]
    );
    // The per-participant list is still there, one entry per participant and occurrence.
    assert_eq!(v["conflicts"].as_array().map(Vec::len), Some(14));
    assert_eq!(v["burden"].as_array().map(Vec::len), Some(5));

    // Text: the summaries first, then one row per group naming its participants.
    let (text, code) = check(&p, &[]);
    assert_eq!(code, 1, "errors fail at the default --fail-on error");
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in\n{text}"))
    };
    assert!(at("By session") < at("By day") && at("By day") < at("Most affected"));
    assert!(at("Most affected") < at("errors (8, in 4 rows)"));
    assert!(
        text.contains("daily                night         error     4 participants, 2 occurrences"),
        "{text}"
    );
    assert!(
        text.contains("Wed 15 Nov 2023  night         error     4 participants"),
        "{text}"
    );
    assert_eq!(
        text.matches("Pacific/Auckland (3 participants)").count(),
        4,
        "{text}"
    );
    assert!(
        text.contains(
            "      Aroha <a1@example.org>, Hemi <a2@example.org>, Mere <a3@example.org>\n"
        ),
        "{text}"
    );
    assert!(text.contains("info (6, in 2 rows)"), "{text}");

    // Markdown: the same, as tables.
    let (md, _) = check(&p, &["--format", "markdown", "--fail-on", "never"]);
    assert!(md.contains("| daily | night | error | 4 | 2 |"), "{md}");
    assert!(
        md.contains("| Wed 15 Nov 2023 | night | error | 4 |"),
        "{md}"
    );
    assert!(md.contains("<summary>8 errors in 4 rows</summary>"), "{md}");
    assert!(
        md.contains("| Thu 16 Nov 2023 01:00–02:00 | daily | night | Pacific/Auckland | 3 | Aroha &lt;a1@&#8203;example.org&gt;<br>Hemi"),
        "{md}"
    );

    // The public summary counts the same and names nobody.
    for format in ["text", "markdown", "json"] {
        let (out, code) = check(&p, &["--public", "--format", format]);
        assert_eq!(
            code, 1,
            "{format}: the exit code is the same as without --public"
        );
        for name in NAMES {
            assert!(!out.contains(name), "{format} names {name}:\n{out}");
        }
        assert!(out.contains("By session") || format == "json", "{out}");
    }
    let public = check_json(&p, &["--public"]);
    assert_eq!(public["summary"]["sessions"], s["sessions"]);
    assert_eq!(public["summary"]["days"], s["days"]);
    assert!(public["summary"].get("most_affected").is_none());
    let (never, code) = check(&p, &["--public", "--fail-on", "never"]);
    assert_eq!(code, 0, "{never}");
}

#[test]
fn busy_clashes_are_rows_of_their_own_and_not_public() {
    // Two participants of one zone busy during the same occurrence, with different events:
    // two rows, not one. Session: Wed 15 Nov 2023 09:00–11:00 Paris = 08:00–10:00Z.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("busy")).expect("mkdir");
    for (who, uid) in [("ana", "a"), ("ben", "b")] {
        write(
            dir.path(),
            &format!("busy/{who}@example.org.ics"),
            &format!(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:{uid}@example.org\r\nDTSTART:20231115T083000Z\r\nDTEND:20231115T090000Z\r\nSUMMARY:Meeting {uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            ),
        );
    }
    let p = write(
        dir.path(),
        "p.toml",
        r#"[programme]
id = "t"
title = "T"
timezone = "Europe/Paris"
organizer = { name = "O", email = "o@example.org" }
busy_dir = "busy"

[[session]]
id = "s"
title = "S"
start = "2023-11-15T09:00"
duration = "2h"
audience = "all"

[[participant]]
name = "Ana"
email = "ana@example.org"
timezone = "Africa/Lagos"

[[participant]]
name = "Ben"
email = "ben@example.org"
timezone = "Africa/Lagos"
"#,
    );
    let v = check_json(&p, &[]);
    assert_eq!(
        v["summary"]["sessions"],
        json!([{"session": "s", "kind": "busy", "severity": "error",
                "participants": 2, "occurrences": 1, "conflicts": 2}])
    );
    let groups = v["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 2, "{v}");
    let public = check_json(&p, &["--public"]);
    assert_eq!(public["summary"]["sessions"], json!([]));
    assert_eq!(public["summary"]["days"], json!([]));
    let (text, _) = check(&p, &["--public"]);
    assert!(
        !text.contains("Meeting") && !text.contains("busy "),
        "{text}"
    );
}

/// Weekend days of the zones of the examples whose country does not rest on Saturday and
/// Sunday, from the countries' labour laws (Wikipedia, "Workweek and weekend"): typed here, not
/// read from roundtable's table.
const WEEKENDS: &str = r#"{"Africa/Algiers": ["fri", "sat"], "Africa/Cairo": ["fri", "sat"],
 "Africa/Khartoum": ["fri", "sat"], "Africa/Tripoli": ["fri", "sat"],
 "Africa/Mogadishu": ["thu", "fri"], "Africa/Djibouti": ["fri"], "Asia/Dhaka": ["fri", "sat"],
 "Asia/Kathmandu": ["sat"], "Asia/Baghdad": ["fri", "sat"], "Asia/Amman": ["fri", "sat"],
 "Asia/Tehran": ["fri"]}"#;

/// The summary the oracle counts for `file` from `times --format json`.
fn oracle(file: &Path) -> Value {
    let times = roundtable()
        .args(["times", "--format", "json"])
        .arg(file)
        .output()
        .expect("times");
    assert!(times.status.success());
    let out = python(
        &[
            root().join("tests/oracle/summary_oracle.py").as_os_str(),
            file.as_os_str(),
            WEEKENDS.as_ref(),
        ],
        &times.stdout,
        &format!("the summary oracle failed on {}", file.display()),
    );
    serde_json::from_slice(&out).expect("oracle json")
}

/// Python 3 run with `args`, `input` on its standard input (no `TZ`): its standard output.
/// Fails the test with `failed` when Python does.
fn python(args: &[&std::ffi::OsStr], input: &[u8], failed: &str) -> Vec<u8> {
    let mut child = std::process::Command::new("python3")
        .args(args)
        .env_remove("TZ")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 must be installed (see tests/run.sh)");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input).expect("write");
    }
    let out = child.wait_with_output().expect("python3");
    assert!(out.status.success(), "{failed}");
    out.stdout
}

#[test]
fn the_examples_summaries_match_a_second_count() {
    for name in [
        "rio-iopd-2023-11-06",
        "city-diplomacy-training-2023-12",
        "peer-learning-2023-11",
        "climate-mobility-2023-07",
    ] {
        let file = root().join(format!("sessions/{name}.toml"));
        let v = check_json(&file, &[]);
        let expected = oracle(&file);
        let s = &v["summary"];
        // The oracle counts night, outside-hours, weekend and date-shift: the examples have
        // no other kind.
        for c in v["conflicts"].as_array().expect("conflicts") {
            assert!(
                ["night", "outside-hours", "weekend", "date-shift"]
                    .contains(&c["kind"].as_str().unwrap_or("")),
                "{name}: {c}"
            );
        }
        assert_eq!(s["sessions"], expected["sessions"], "{name}: by session");
        assert_eq!(s["days"], expected["days"], "{name}: by day");
        let most: Vec<Value> = s["most_affected"]
            .as_array()
            .expect("most_affected")
            .iter()
            .map(|a| {
                json!({"participant": a["participant"], "error": a["error"],
                       "warning": a["warning"], "info": a["info"],
                       "night_minutes": a["night_minutes"],
                       "outside_hours_minutes": a["outside_hours_minutes"]})
            })
            .collect();
        assert_eq!(
            Value::from(most),
            expected["most_affected"],
            "{name}: most affected"
        );
    }
}

#[test]
fn the_examples_by_hand() {
    // Rio: one session, Mon 6 Nov 2023 16:30–17:30 at UTC−3 = 19:30–20:30Z. Nairobi (+03:00,
    // night 23:00–06:00 for Faith): 22:30–23:30, 30 minutes of night. Paris, Zurich and Madrid
    // (+01:00): 20:30–21:30, all outside 08:00–20:00. São Paulo (16:30) and New York (14:30,
    // −05:00 since 5 Nov) are inside.
    let rio = root().join("sessions/rio-iopd-2023-11-06.toml");
    let (text, code) = check(&rio, &[]);
    assert_eq!(code, 1);
    assert!(
        text.contains("iopd-session         night         error      1 participant, 1 occurrence"),
        "{text}"
    );
    assert!(
        text.contains("iopd-session         outside-hours warning   3 participants, 1 occurrence"),
        "{text}"
    );
    // City diplomacy, daily Mon–Fri 13–19 Dec 2023 at 09:00 CET. The participant CSV has two
    // participants each in Algiers, Cairo, Khartoum, Tripoli and Mogadishu, and one in
    // Djibouti, all resting on Friday: 11 on Fri 15 Dec, in 6 rows (one per zone). Mogadishu
    // rests on Thursday too: 2 on Thu 14 Dec, one row.
    let cd = root().join("sessions/city-diplomacy-training-2023-12.toml");
    let (text, code) = check(&cd, &[]);
    assert_eq!(
        code, 0,
        "warnings only: passes at the default --fail-on error"
    );
    assert!(
        text.contains("Fri 15 Dec 2023  weekend       warning  11 participants"),
        "{text}"
    );
    assert!(
        text.contains("Thu 14 Dec 2023  weekend       warning   2 participants"),
        "{text}"
    );
    assert!(text.contains("warnings (13, in 7 rows)"), "{text}");
    let (_, code) = check(&cd, &["--fail-on", "warning"]);
    assert_eq!(code, 1);
}

#[test]
fn the_page_leads_its_summary_with_sessions_and_days_and_names_nobody() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "p.toml", PROGRAMME);
    let out = dir.path().join("public");
    roundtable()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .arg("build")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let page = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in the page"))
    };
    assert!(
        at(r#"<h3 data-i18n="page-by-session">By session</h3>"#)
            < at(
                r#"<h3><span data-i18n="page-by-day">By day (the sessions' dates in</span> Europe/Paris)</h3>"#
            )
    );
    // Tue 14 Nov: the night of 4 participants (3 in Auckland, 1 in Los Angeles).
    assert!(
        page.contains(r#"<td><span class="day" data-day="2023-11-14">Tue 14 Nov 2023</span></td><td><span data-i18n="page-kind-night">night</span> (<span data-i18n="page-severity-error">error</span>)</td><td>4</td>"#),
        "{page}"
    );
    for name in NAMES {
        assert!(!page.contains(name), "the page names {name}");
    }
    // The organizer's report in the private folder leads with the same summaries and names them.
    let report =
        std::fs::read_to_string(dir.path().join("public.private/report.md")).expect("report.md");
    assert!(report.contains("### By session") && report.contains("### Most affected participants"));
    assert!(report.contains("a1@&#8203;example.org"), "{report}");
}

/// The JSON report, whose largest arrays are written by hand, is byte for byte what Python's
/// `json.dumps(…, indent=2, ensure_ascii=False)` writes for the same document: the layout
/// serde_json's pretty printer has, and the escapes JSON requires (a busy event's summary with
/// quotes, a backslash and a line break makes details that need them).
#[test]
fn the_json_report_is_laid_out_and_escaped_as_python_writes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("programme");
    roundtable::generate::generate(&source, 300, 6, 8, 5).expect("generate");
    let busy = source.join("busy");
    let mut first: Vec<_> = std::fs::read_dir(&busy)
        .expect("busy folder")
        .map(|e| e.expect("entry").path())
        .collect();
    first.sort();
    for path in first.iter().take(40) {
        let text = std::fs::read_to_string(path).expect("busy file");
        let odd = text.replace(
            "SUMMARY:Busy",
            "SUMMARY:Say \"hi\" \\\\ then\\nleave\\, at once Busy",
        );
        std::fs::write(path, odd).expect("write");
    }
    let programme = source.join("programme.toml");
    let (ours, code) = check(&programme, &["--format", "json", "--fail-on", "never"]);
    assert_eq!(code, 0);
    assert!(
        ours.contains(r#"Say \"hi\" \\ then\nleave, at once"#),
        "no escaped detail"
    );
    let out = python(
        &[
            "-c".as_ref(),
            "import json, sys; d = json.load(sys.stdin); sys.stdout.write(json.dumps(d, indent=2, ensure_ascii=False) + '\\n')".as_ref(),
        ],
        ours.as_bytes(),
        "python3 could not re-write the report",
    );
    let theirs = String::from_utf8(out).expect("utf8");
    let report: Value = serde_json::from_str(&ours).expect("json");
    assert!(report["groups"].as_array().is_some_and(|g| g.len() > 10));
    assert!(
        report["conflicts"]
            .as_array()
            .is_some_and(|c| c.len() > 100)
    );
    assert!(ours == theirs, "the report differs from Python's layout");
}

/// The order of the JSON report's conflicts, worked out again by Python from their own fields:
/// severity (error, warning, info), participant e-mail, start (UTC), session id, kind (in the
/// order of `Kind`), then detail. On the examples and on a generated programme whose busy
/// calendars clash several times with one session (equal keys, ordered by detail).
#[test]
fn the_conflicts_are_ordered_as_a_second_sort_orders_them() {
    const SORT: &str = r#"
import json, sys
severity = ["error", "warning", "info"]
kinds = ["night", "outside-hours", "overlap", "busy", "weekend", "dst-shift", "date-shift",
         "language"]
conflicts = json.load(sys.stdin)["conflicts"]
key = lambda c: (severity.index(c["severity"]), c["participant"], c["start_utc"], c["session"],
                 kinds.index(c["kind"]), c["detail"])
json.dump({"sorted": sorted(conflicts, key=key) == conflicts, "count": len(conflicts),
           "ties": sum(1 for a, b in zip(conflicts, conflicts[1:]) if key(a)[:5] == key(b)[:5])},
          sys.stdout)
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    roundtable::generate::generate(dir.path(), 80, 12, 30, 3).expect("generate");
    let mut files: Vec<std::path::PathBuf> = crate::support::programmes()
        .into_iter()
        .filter(|p| p.starts_with(root().join("sessions")))
        .collect();
    files.push(dir.path().join("programme.toml"));
    let mut ties = 0;
    for file in &files {
        let (out, code) = check(file, &["--format", "json", "--fail-on", "never"]);
        assert_eq!(code, 0, "{}", file.display());
        let verdict: Value = serde_json::from_slice(&python(
            &["-c".as_ref(), SORT.as_ref()],
            out.as_bytes(),
            &format!("the second sort failed on {}", file.display()),
        ))
        .expect("json");
        assert_eq!(
            verdict["sorted"],
            json!(true),
            "{}: {verdict}",
            file.display()
        );
        ties += verdict["ties"].as_u64().unwrap_or(0);
        assert!(
            verdict["count"].as_u64() > Some(0),
            "{}: no conflicts",
            file.display()
        );
    }
    // The tie-break by detail was exercised.
    assert!(
        ties > 0,
        "no two conflicts share severity, e-mail, start, session and kind"
    );
}
