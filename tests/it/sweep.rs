//! The DST sweep (tests/sweep/sweep.py): for each offset change of a zone, sessions before,
//! inside (each policy), ending inside, after and across it, a daily series through it and
//! yearly/quarterly series; `roundtable times` and the written `.ics` (read by Python
//! icalendar, ical.js and libical, each with the file's own VTIMEZONEs only) must give the
//! instants zoneinfo gives, and every VTIMEZONE zoneinfo's offsets through 2037.
//!
//! By default the fast subset: sixteen zones with unusual changes, 1990–2037, one change of
//! each shape per zone (a few seconds). `ROUNDTABLE_SWEEP=full` sweeps all 597 zones and every
//! change (see tests/sweep/README.md for how long it takes). Needs python3 with
//! tests/oracle/requirements.txt and tests/ics/requirements.txt, `npm ci` in tests/ics, and
//! Debian's gir1.2-ical-3.0 + python3-gi for /usr/bin/python3 (tests/run.sh installs them).

use crate::support::root;
use std::process::Command;

const FAST_ZONES: &[&str] = &[
    "America/New_York",
    "America/Santiago",
    "America/Asuncion",
    "America/Guayaquil",
    "America/Bogota",
    "Pacific/Apia",
    "Asia/Tehran",
    "America/Tegucigalpa",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Africa/Casablanca",
    "Europe/Dublin",
    "Antarctica/Troll",
    "America/Havana",
    "Asia/Gaza",
    "Europe/Moscow",
];

#[test]
fn dst_sweep_agrees_with_zoneinfo_in_every_reader() {
    let full = std::env::var("ROUNDTABLE_SWEEP").is_ok_and(|v| v == "full");
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = dir.path().join("summary.json");
    let mut cmd = Command::new("python3");
    cmd.arg(root().join("tests/sweep/sweep.py"))
        .args(["--from", "1990", "--to", "2037", "--examples", "10"])
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_roundtable"))
        .arg("--json")
        .arg(&summary)
        .env_remove("TZ");
    if !full {
        cmd.arg("--fast").arg("--zones").arg(FAST_ZONES.join(","));
    }
    let out = cmd
        .output()
        .expect("python3 must be installed (see tests/run.sh)");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "the sweep could not run (install tests/oracle and tests/ics requirements, \
         `npm ci` in tests/ics, gir1.2-ical-3.0 and python3-gi):\n{report}"
    );
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&summary).expect("summary.json")).expect("json");
    assert!(
        v["zones"].as_u64().unwrap_or(0) >= FAST_ZONES.len() as u64,
        "{report}"
    );
    assert!(v["changes"].as_u64().unwrap_or(0) > 50, "{report}");
    assert_eq!(v["total"].as_u64(), Some(0), "differences:\n{report}");
    assert_eq!(out.status.code(), Some(0), "{report}");
}
