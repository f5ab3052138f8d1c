//! The overview page in a real browser (Debian's Chromium, driven by playwright-core from
//! tests/page/): no console errors, the "your time" control converts a known session correctly,
//! screenshots at desktop and phone sizes; and hostile titles are shown as text.

use std::path::{Path, PathBuf};

use crate::support::root;
use serde_json::Value;

fn build(programme_dir: &Path, file: &str, out: &Path) {
    crate::support::build(&programme_dir.join(file), out);
}

fn browse(page: &Path, zone: &str, session: &str, shots: &Path) -> Value {
    std::fs::create_dir_all(shots).expect("shots dir");
    crate::support::page_checker(
        "check_page.mjs",
        &[
            page.as_os_str(),
            zone.as_ref(),
            session.as_ref(),
            shots.as_os_str(),
        ],
    )
}

fn copy_example(dir: &Path, stem: &str) {
    for ext in ["toml", "csv"] {
        let src = root().join(format!("sessions/{stem}.{ext}"));
        if src.exists() {
            std::fs::copy(&src, dir.join(format!("{stem}.{ext}"))).expect("copy");
        }
    }
}

/// A fresh folder for a test's screenshots (never ones left by an earlier run).
fn shots_dir(name: &str) -> PathBuf {
    let dir = root().join("target/page-screenshots").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("screenshots folder");
    dir
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|x| x.as_str().expect("text").to_string())
        .collect()
}

#[test]
fn largest_example_page_in_chromium() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_example(dir.path(), "peer-learning-2023-11");
    let out = dir.path().join("public");
    build(dir.path(), "peer-learning-2023-11.toml", &out);
    let shots = shots_dir("peer-learning");
    let v = browse(
        &out.join("index.html"),
        "Asia/Kolkata",
        "day-1-plenary",
        &shots,
    );
    assert_eq!(v["errors"], serde_json::json!([]), "console errors: {v}");
    // The browser runs in Europe/Madrid: the Day 1 plenary is 14:00–16:30 there (+01:00), i.e.
    // 13:00–15:30Z, i.e. 18:30–21:00 in Kolkata (+05:30).
    assert_eq!(v["before"], "Tue 14 Nov 2023, 14:00–16:30 Europe/Madrid");
    assert_eq!(v["after"], "Tue 14 Nov 2023, 18:30–21:00 Asia/Kolkata");
    assert_eq!(
        v["phone_after"],
        "Tue 14 Nov 2023, 18:30–21:00 Asia/Kolkata"
    );
    assert_eq!(
        strings(&v["when"]),
        ["18:30–21:00 (UTC+05:30) Tue 14 Nov 2023"]
    );
    // Nobody is named on the page (public_names is not set).
    let body = v["body"].as_str().expect("body");
    for name in ["Chiamaka Okafor", "Núria Puig", "Diego Ramírez Soler"] {
        assert!(!body.contains(name), "the page names {name}");
    }
    // At phone width the page itself does not scroll sideways (the grids scroll in their box).
    assert_eq!(v["phone_scroll_width"], v["phone_width"], "{v}");
    assert!(shots.join("desktop.png").exists() && shots.join("phone.png").exists());
}

/// The five-day training (13–19 Dec 2023, Mon–Fri, 09:00–13:00 CET): one line for the five
/// dates, across the weekend, in the viewer's zone.
#[test]
fn a_series_is_one_line_per_local_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_example(dir.path(), "city-diplomacy-training-2023-12");
    let out = dir.path().join("public");
    build(dir.path(), "city-diplomacy-training-2023-12.toml", &out);
    let v = browse(
        &out.join("index.html"),
        "UTC",
        "training",
        &shots_dir("training"),
    );
    assert_eq!(v["errors"], serde_json::json!([]), "{v}");
    // 09:00 CET (+01:00) = 08:00Z.
    assert_eq!(
        strings(&v["when"]),
        ["08:00–12:00 (UTC+00:00) Wed 13, Thu 14, Fri 15, Mon 18, Tue 19 Dec 2023"]
    );
}

/// Hand-worked cases for the page: a session across local midnight, fixed-offset zones, and a
/// weekly series whose local time changes for some participants.
const EDGES: &str = r#"[programme]
id = "edges"
title = "Edges"
timezone = "Europe/Paris"
organizer = { name = "Org", email = "org@example.org" }

# 15:00–17:00 Paris (+01:00) = 14:00–16:00Z = 23:00–01:00 (+1 day) in Tokyo and Seoul (+09:00).
[[session]]
id = "late"
title = "Late in Asia"
start = "2024-03-05T15:00"
duration = "2h"
audience = "all"

# Wednesdays 10:00 Paris: 20 and 27 Mar at +01:00 (09:00Z), 3 Apr at +02:00 (08:00Z, EU
# summer time from 31 Mar). New York is at -04:00 throughout (since 10 Mar): 05:00 then 04:00.
[[session]]
id = "weekly"
title = "Weekly"
start = "2024-03-20T10:00"
duration = "1h"
audience = "all"
repeat = "FREQ=WEEKLY;COUNT=3"

[[participant]]
name = "Tokyo Person"
email = "tokyo@example.org"
timezone = "Asia/Tokyo"

[[participant]]
name = "Seoul Person"
email = "seoul@example.org"
timezone = "Asia/Seoul"

[[participant]]
name = "New York Person"
email = "ny@example.org"
timezone = "America/New_York"

[[participant]]
name = "Kathmandu Offset"
email = "ktm@example.org"
timezone = "UTC+05:45"

[[participant]]
name = "Lagos Offset"
email = "lagos@example.org"
timezone = "GMT+1"

[[participant]]
name = "Rio Offset"
email = "rio@example.org"
timezone = "UTC-3"
"#;

#[test]
fn midnight_fixed_offsets_and_shifting_series() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("edges.toml"), EDGES).expect("write");
    let out = dir.path().join("public");
    build(dir.path(), "edges.toml", &out);
    let page = out.join("index.html");
    let shots = shots_dir("edges");

    let v = browse(&page, "Asia/Tokyo", "late", &shots);
    assert_eq!(v["errors"], serde_json::json!([]), "{v}");
    // Every fixed offset is in the zone control, in one spelling.
    let options = strings(&v["options"]);
    for z in [
        "UTC+05:45",
        "UTC+01:00",
        "UTC-03:00",
        "Asia/Tokyo",
        "America/New_York",
    ] {
        assert!(options.contains(&z.to_string()), "{z} missing: {options:?}");
    }
    assert_eq!(
        strings(&v["when"]),
        ["23:00–01:00 +1 day (UTC+09:00) Tue 5 Mar 2024"]
    );
    // The Tokyo row draws 23:00 and, continued from 00 on the next day, 00:00–01:00.
    let rows = v["rows"].as_array().expect("rows");
    let tokyo = rows
        .iter()
        .find(|r| r["zone"] == "Asia/Tokyo")
        .expect("Tokyo row");
    assert_eq!(tokyo["cells"], serde_json::json!([0, 23]), "{tokyo}");
    assert_eq!(tokyo["next"], serde_json::json!([0]), "{tokyo}");
    assert_eq!(tokyo["local"], "Tue 05 Mar 23:00–01:00 +1 day (UTC+09:00)");
    // UTC-3 reads 14:00–16:00Z as 11:00–13:00, in the page's one spelling.
    let rio = rows
        .iter()
        .find(|r| r["zone"] == "UTC-03:00")
        .expect("UTC-3 row");
    assert_eq!(rio["local"], "Tue 05 Mar 11:00–13:00 (UTC-03:00)");

    // A fixed offset chosen in the control: 14:00Z = 19:45 at +05:45.
    let v = browse(&page, "UTC+05:45", "late", &shots);
    assert_eq!(v["errors"], serde_json::json!([]), "{v}");
    assert_eq!(
        strings(&v["when"]),
        ["19:45–21:45 (UTC+05:45) Tue 5 Mar 2024"]
    );
    assert_eq!(v["after"], "Tue 05 Mar 2024, 19:45–21:45 UTC+05:45");

    // The weekly series in New York: two local times, each with its dates.
    let v = browse(&page, "America/New_York", "weekly", &shots);
    assert_eq!(v["errors"], serde_json::json!([]), "{v}");
    assert_eq!(
        strings(&v["when"]),
        [
            "05:00–06:00 (UTC-04:00) Wed 20, Wed 27 Mar 2024",
            "04:00–05:00 (UTC-04:00) Wed 3 Apr 2024"
        ]
    );
    let rows = v["rows"].as_array().expect("rows");
    let ny: Vec<&Value> = rows
        .iter()
        .filter(|r| r["zone"] == "America/New_York")
        .collect();
    assert_eq!(ny.len(), 2, "{rows:?}");
    assert_eq!(ny[0]["cells"], serde_json::json!([5]));
    assert_eq!(ny[1]["cells"], serde_json::json!([4]));
    // Tokyo: 18:00 on all three? No: 09:00Z = 18:00, then 08:00Z = 17:00 (Japan has no DST).
    let tokyo: Vec<&Value> = rows.iter().filter(|r| r["zone"] == "Asia/Tokyo").collect();
    assert_eq!(tokyo.len(), 2, "{rows:?}");
    assert_eq!(v["phone_scroll_width"], v["phone_width"], "{v}");
}

#[test]
fn titles_and_names_are_text_not_markup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let programme = r#"[programme]
id = "xss"
title = "<script>alert('t')</script> & <b>bold</b>"
timezone = "Europe/Paris"
organizer = { name = "<img src=x onerror=alert(1)>", email = "o@example.org" }
public_names = true

[[session]]
id = "s"
title = "<script>alert('s')</script>"
start = "2023-11-15T09:00"
duration = "1h"
audience = "all"
join_url = "javascript:alert(1)"

[[participant]]
name = "</td><script>alert('p')</script>"
email = "p@example.org"
timezone = "Asia/Tokyo"
"#;
    std::fs::write(dir.path().join("xss.toml"), programme).expect("write");
    let out = dir.path().join("public");
    build(dir.path(), "xss.toml", &out);
    let html = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only roundtable's own script element"
    );
    assert!(html.contains("&lt;script&gt;alert('t')&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"));
    assert!(!html.contains("<img"));
    assert!(
        !html.contains("href=\"javascript:"),
        "a javascript: URL is never a link"
    );
    let v = browse(
        &out.join("index.html"),
        "Asia/Tokyo",
        "s",
        &dir.path().join("shots"),
    );
    assert_eq!(v["errors"], serde_json::json!([]), "{v}");
    assert_eq!(v["title"], "<script>alert('t')</script> & <b>bold</b>");
    // 09:00 Paris = 08:00Z = 17:00 Tokyo.
    assert_eq!(v["after"], "Wed 15 Nov 2023, 17:00–18:00 Asia/Tokyo");
}
