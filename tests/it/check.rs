//! `roundtable check`: programmes whose conflicts were worked out by hand (local times in the
//! comments), the JSON shape, formats and exit codes.

use crate::support::{self, HEAD, roundtable, write};
use serde_json::Value;

fn check_body(body: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "p.toml", &format!("{HEAD}{body}"));
    support::check_json(&p)
}

/// (kind, participant, start_local) of every conflict.
fn triples(v: &Value) -> Vec<(String, String, String)> {
    v["conflicts"]
        .as_array()
        .expect("conflicts")
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap_or("").into(),
                c["participant"].as_str().unwrap_or("").into(),
                c["start_local"].as_str().unwrap_or("").into(),
            )
        })
        .collect()
}

fn has(v: &Value, kind: &str, who: &str, start_local: &str) -> bool {
    triples(v)
        .iter()
        .any(|(k, p, s)| k == kind && p == who && s == start_local)
}

const SERIES: &str = r#"
[[session]]
id = "weekly"
title = "Weekly"
start = "2023-10-16T09:00"
duration = "2h"
audience = "all"
repeat = "FREQ=WEEKLY;COUNT=4"

[[participant]]
name = "Lagos"
email = "lagos@example.org"
timezone = "Africa/Lagos"

[[participant]]
name = "Santiago"
email = "santiago@example.org"
timezone = "America/Santiago"

[[participant]]
name = "Tehran"
email = "tehran@example.org"
timezone = "Asia/Tehran"

[[participant]]
name = "New York"
email = "ny@example.org"
timezone = "America/New_York"
"#;

#[test]
fn weekly_paris_series_across_the_eu_change() {
    // Paris 09:00 on Mondays 16, 23, 30 Oct and 6 Nov 2023: 07:00Z, 07:00Z, 08:00Z, 08:00Z.
    let v = check_body(SERIES);
    // Lagos (+01, no DST): 08:00, 08:00, 09:00, 09:00 -> shifted by +1h on 30 Oct and 6 Nov.
    assert!(has(
        &v,
        "dst-shift",
        "lagos@example.org",
        "2023-10-30T09:00:00+01:00"
    ));
    assert!(has(
        &v,
        "dst-shift",
        "lagos@example.org",
        "2023-11-06T09:00:00+01:00"
    ));
    // Tehran (+03:30, no DST since 2022): 10:30, 10:30, 11:30, 11:30.
    assert!(has(
        &v,
        "dst-shift",
        "tehran@example.org",
        "2023-10-30T11:30:00+03:30"
    ));
    assert!(has(
        &v,
        "dst-shift",
        "tehran@example.org",
        "2023-11-06T11:30:00+03:30"
    ));
    // Santiago (-03, southern summer time): 04:00, 04:00, 05:00, 05:00, all starting in the
    // night (22:00-06:00): 120, 120, 60, 60 night minutes; 06:00-07:00 is outside hours twice.
    for d in [
        "2023-10-16T04:00:00-03:00",
        "2023-10-23T04:00:00-03:00",
        "2023-10-30T05:00:00-03:00",
        "2023-11-06T05:00:00-03:00",
    ] {
        assert!(has(&v, "night", "santiago@example.org", d), "{d}");
    }
    assert!(has(
        &v,
        "dst-shift",
        "santiago@example.org",
        "2023-10-30T05:00:00-03:00"
    ));
    // New York: 03:00 EDT, 03:00 EDT, 04:00 EDT (the US changes on 5 Nov), 03:00 EST:
    // only 30 Oct is shifted.
    assert!(has(
        &v,
        "dst-shift",
        "ny@example.org",
        "2023-10-30T04:00:00-04:00"
    ));
    assert!(!has(
        &v,
        "dst-shift",
        "ny@example.org",
        "2023-11-06T03:00:00-05:00"
    ));
    let shifts: Vec<_> = triples(&v)
        .into_iter()
        .filter(|t| t.0 == "dst-shift")
        .collect();
    assert_eq!(shifts.len(), 7, "{shifts:?}");
    // Lagos and Tehran are inside working hours: no night or outside-hours conflict.
    assert!(!triples(&v).iter().any(|t| (t.1 == "lagos@example.org"
        || t.1 == "tehran@example.org")
        && (t.0 == "night" || t.0 == "outside-hours")));
    // Burden: Santiago 120+120+60+60 = 360 night minutes, 60+60 = 120 outside;
    // New York 03:00-05:00 and 04:00-06:00 are all night: 4 x 120 = 480.
    let burden = v["burden"].as_array().expect("burden");
    let of = |who: &str| {
        burden
            .iter()
            .find(|b| b["participant"] == who)
            .cloned()
            .expect("burden row")
    };
    assert_eq!(of("santiago@example.org")["night_minutes"], 360);
    assert_eq!(of("santiago@example.org")["outside_hours_minutes"], 120);
    assert_eq!(of("ny@example.org")["night_minutes"], 480);
    assert_eq!(of("lagos@example.org")["night_minutes"], 0);
    // The most burdened first.
    assert_eq!(burden[0]["participant"], "ny@example.org");
    assert_eq!(v["summary"]["error"], 8);
    // The dst-shift detail says by how much.
    let detail = v["conflicts"]
        .as_array()
        .expect("c")
        .iter()
        .find(|c| c["kind"] == "dst-shift" && c["participant"] == "lagos@example.org")
        .expect("shift")["detail"]
        .as_str()
        .expect("detail")
        .to_string();
    assert!(
        detail.contains("09:00 local instead of 08:00") && detail.contains("+1h"),
        "{detail}"
    );
}

#[test]
fn weekends_overlaps_date_shifts_and_outside_hours() {
    let body = r#"
[[session]]
id = "friday"
title = "Friday"
start = "2023-11-17T10:00"
duration = "1h"
audience = "all"

[[session]]
id = "first"
title = "First"
start = "2023-11-15T09:00"
duration = "2h"
audience = "all"

[[session]]
id = "second"
title = "Second"
start = "2023-11-15T10:30"
duration = "90m"
audience = "all"

[[session]]
id = "late"
title = "Late"
start = "2023-11-15T18:30"
duration = "2h"
audience = "all"

[[participant]]
name = "Cairo"
email = "cairo@example.org"
timezone = "Africa/Cairo"

[[participant]]
name = "Paris"
email = "paris@example.org"
timezone = "Europe/Paris"

[[participant]]
name = "Paris Fri"
email = "parisfri@example.org"
timezone = "Europe/Paris"
weekend = ["fri", "sat"]

[[participant]]
name = "Auckland"
email = "akl@example.org"
timezone = "Pacific/Auckland"
"#;
    let v = check_body(body);
    // Friday 17 Nov 10:00 Paris = 09:00Z = 11:00 in Cairo (+02): Friday is Egypt's weekend.
    assert!(has(
        &v,
        "weekend",
        "cairo@example.org",
        "2023-11-17T11:00:00+02:00"
    ));
    assert!(!has(
        &v,
        "weekend",
        "paris@example.org",
        "2023-11-17T10:00:00+01:00"
    ));
    assert!(has(
        &v,
        "weekend",
        "parisfri@example.org",
        "2023-11-17T10:00:00+01:00"
    ));
    // 09:00-11:00 and 10:30-12:00 overlap by 30 minutes, for everyone.
    assert!(has(
        &v,
        "overlap",
        "paris@example.org",
        "2023-11-15T10:30:00+01:00"
    ));
    let overlaps = triples(&v).into_iter().filter(|t| t.0 == "overlap").count();
    assert_eq!(overlaps, 4);
    // 18:30-20:30 Paris: 30 minutes after 20:00 (outside hours, not night).
    assert!(has(
        &v,
        "outside-hours",
        "paris@example.org",
        "2023-11-15T18:30:00+01:00"
    ));
    // Auckland (+13): 18:30 Paris = 17:30Z = 06:30 on the 16th: a date shift, and outside hours
    // (06:30-08:00 before 08:00). 09:00 Paris = 21:00 on the 15th, same date, 20:00+ outside.
    assert!(has(
        &v,
        "date-shift",
        "akl@example.org",
        "2023-11-16T06:30:00+13:00"
    ));
    assert!(has(
        &v,
        "outside-hours",
        "akl@example.org",
        "2023-11-16T06:30:00+13:00"
    ));
    assert!(!has(
        &v,
        "date-shift",
        "akl@example.org",
        "2023-11-15T21:00:00+13:00"
    ));
    // 10:00 Paris on Friday = 22:00 Friday in Auckland: night, not weekend.
    assert!(has(
        &v,
        "night",
        "akl@example.org",
        "2023-11-17T22:00:00+13:00"
    ));
    // Sorted: errors, then warnings, then info.
    let sev: Vec<&str> = v["conflicts"]
        .as_array()
        .expect("c")
        .iter()
        .map(|c| c["severity"].as_str().unwrap_or(""))
        .collect();
    let rank = |s: &str| {
        ["error", "warning", "info"]
            .iter()
            .position(|x| *x == s)
            .unwrap_or(9)
    };
    assert!(sev.windows(2).all(|w| rank(w[0]) <= rank(w[1])));
}

#[test]
fn exit_codes_follow_fail_on_and_formats_render() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "p.toml", &format!("{HEAD}{SERIES}"));
    roundtable().arg("check").arg(&p).assert().code(1);
    roundtable()
        .args(["check", "--fail-on", "never"])
        .arg(&p)
        .assert()
        .code(0);
    let only_lagos = SERIES
        .split("[[participant]]")
        .take(2)
        .collect::<Vec<_>>()
        .join("[[participant]]");
    let q = write(dir.path(), "q.toml", &format!("{HEAD}{only_lagos}"));
    // Lagos has only dst-shift warnings: passes at error, fails at warning.
    roundtable().arg("check").arg(&q).assert().code(0);
    roundtable()
        .args(["check", "--fail-on", "warning"])
        .arg(&q)
        .assert()
        .code(1);
    let md = roundtable()
        .args(["check", "--format", "markdown", "--fail-on", "never"])
        .arg(&p)
        .output()
        .expect("md");
    let md = String::from_utf8(md.stdout).expect("utf8");
    assert!(md.starts_with("## roundtable check: T\n"));
    assert!(md.contains("| night | error | 8 |"), "{md}");
    assert!(md.contains("### Most affected participants"));
    assert!(md.contains("| America | 2 |"), "{md}");
    let text = roundtable().args(["check"]).arg(&p).output().expect("text");
    let text = String::from_utf8(text.stdout).expect("utf8");
    assert!(
        text.contains("errors (8, in ") && !text.contains('\u{1b}'),
        "{text}"
    );
}

#[test]
fn busy_calendars_clash_on_positive_overlap_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Session: 15 Nov 2023 09:00–11:00 Paris = 08:00–10:00Z.
    // Ana (Lagos, +01) is busy 10:30–11:30 local = 09:30–10:30Z: a clash of 30 minutes.
    // Ben (Lagos) has a meeting 08:00–09:00 local = 07:00–08:00Z: back to back, no clash; and
    // a cancelled event over the whole session, which does not count.
    std::fs::create_dir_all(dir.path().join("busy")).expect("mkdir");
    write(
        dir.path(),
        "busy/ana.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:standup@example.org\r\nDTSTART;TZID=Africa/Lagos:20231115T103000\r\nDTEND;TZID=Africa/Lagos:20231115T113000\r\nSUMMARY:Stand-up\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    write(
        dir.path(),
        "busy/ben.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:early@example.org\r\nDTSTART:20231115T070000Z\r\nDTEND:20231115T080000Z\r\nSUMMARY:Early\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:off@example.org\r\nDTSTART:20231115T060000Z\r\nDTEND:20231115T120000Z\r\nSTATUS:CANCELLED\r\nSUMMARY:Off\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    let body = r#"
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
busy = "busy/ana.ics"

[[participant]]
name = "Ben"
email = "ben@example.org"
timezone = "Africa/Lagos"
busy = "busy/ben.ics"
"#;
    let p = write(dir.path(), "p.toml", &format!("{HEAD}{body}"));
    let v = support::check_json(&p);
    let busy: Vec<&Value> = v["conflicts"]
        .as_array()
        .expect("c")
        .iter()
        .filter(|c| c["kind"] == "busy")
        .collect();
    assert_eq!(busy.len(), 1, "{v}");
    assert_eq!(busy[0]["participant"], "ana@example.org");
    assert_eq!(busy[0]["severity"], "error");
    let detail = busy[0]["detail"].as_str().expect("detail");
    assert!(
        detail.contains("Stand-up")
            && detail.contains("standup@example.org")
            && detail.contains("10:30"),
        "{detail}"
    );
    // The default --fail-on error fails on it.
    roundtable().arg("check").arg(&p).assert().code(1);
}
