//! The overview page in a real browser (Debian's Chromium, driven by playwright-core from
//! tests/page/): no console errors, the "your time" control converts a known session correctly,
//! screenshots at desktop and phone sizes; and hostile titles are shown as text.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(programme_dir: &Path, file: &str, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_roundtable"))
        .arg("build")
        .arg(programme_dir.join(file))
        .arg("--out")
        .arg(out)
        .env_remove("TZ")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .status()
        .expect("run roundtable build");
    assert!(status.success());
}

fn browse(page: &Path, zone: &str, session: &str, shots: &Path) -> Value {
    std::fs::create_dir_all(shots).expect("shots dir");
    let out = Command::new("node")
        .arg(root().join("tests/page/check_page.mjs"))
        .arg(page)
        .arg(zone)
        .arg(session)
        .arg(shots)
        .output()
        .expect("node must be installed, with `npm ci` in tests/page and Debian's chromium (see tests/run.sh)");
    assert!(
        out.status.success(),
        "check_page.mjs failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("check_page JSON")
}

fn copy_example(dir: &Path, stem: &str) {
    for ext in ["toml", "csv"] {
        let src = root().join(format!("sessions/{stem}.{ext}"));
        if src.exists() {
            std::fs::copy(&src, dir.join(format!("{stem}.{ext}"))).expect("copy");
        }
    }
}

#[test]
fn largest_example_page_in_chromium() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_example(dir.path(), "peer-learning-2023-11");
    let out = dir.path().join("public");
    build(dir.path(), "peer-learning-2023-11.toml", &out);
    let shots = root().join("target/page-screenshots");
    let v = browse(
        &out.join("index.html"),
        "Asia/Kolkata",
        "day-1-plenary",
        &shots,
    );
    assert_eq!(v["errors"], serde_json::json!([]), "console errors: {v}");
    // The browser runs in Europe/Madrid: the Day 1 plenary is 14:00–16:30 there (+01:00), i.e.
    // 13:00–15:30Z, i.e. 18:30–21:00 in Kolkata (+05:30).
    assert_eq!(v["before"], "Tue, 14 Nov 2023, 14:00–16:30 Europe/Madrid");
    assert_eq!(v["after"], "Tue, 14 Nov 2023, 18:30–21:00 Asia/Kolkata");
    assert_eq!(
        v["phone_after"],
        "Tue, 14 Nov 2023, 18:30–21:00 Asia/Kolkata"
    );
    // At phone width the page itself does not scroll sideways (the grids scroll in their box).
    assert_eq!(v["phone_scroll_width"], v["phone_width"], "{v}");
    assert!(shots.join("desktop.png").exists() && shots.join("phone.png").exists());
}

#[test]
fn titles_and_names_are_text_not_markup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let programme = r#"[programme]
id = "xss"
title = "<script>alert('t')</script> & <b>bold</b>"
timezone = "Europe/Paris"
organizer = { name = "<img src=x onerror=alert(1)>", email = "o@example.org" }

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
    assert_eq!(v["after"], "Wed, 15 Nov 2023, 17:00–18:00 Asia/Tokyo");
}
