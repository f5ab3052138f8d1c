//! Every invite file, read by parsers nobody on this project wrote — Python's `icalendar` +
//! `recurring_ical_events`, Mozilla's `ical.js` and libical (tests/ics/expand_libical.py) —
//! expands to exactly the instants that
//! `roundtable times --format json` prints, and passes an RFC 5545 structural lint.
//! Needs tests/ics/requirements.txt and `npm ci` in tests/ics (tests/run.sh installs both).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{copy_programme, programmes, root, run_ok};
use serde_json::Value;

fn ics_files(public: &Path, private: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in [
        public.to_path_buf(),
        public.join("participants"),
        private.join("sessions"),
    ] {
        for e in std::fs::read_dir(folder).expect("dir") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "ics") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// (session, start_utc, end_utc) triples per file, read by one expander.
type Seen = BTreeMap<String, BTreeSet<(String, String, String)>>;

fn expanded(json: &[u8], programme_id: &str) -> Seen {
    let v: Value = serde_json::from_slice(json).expect("expander JSON");
    let mut seen = Seen::new();
    for (file, f) in v["files"].as_object().expect("files") {
        let set = seen.entry(file.clone()).or_default();
        for e in f["events"].as_array().expect("events") {
            let uid = e["uid"].as_str().expect("uid");
            let session = uid
                .split(&format!(".{programme_id}@"))
                .next()
                .expect("uid form");
            // A later part of a series split at a DST change: `<session>~<start>`.
            let session = session.split('~').next().expect("session").to_string();
            set.insert((
                session,
                e["start_utc"].as_str().expect("start").into(),
                e["end_utc"].as_str().expect("end").into(),
            ));
        }
    }
    seen
}

fn check_programme(programme: &Path) {
    let dir = tempfile::tempdir().expect("tempdir");
    // Work on a copy so that the lock file lands in the temporary folder.
    let copy = copy_programme(programme, dir.path());
    let out = dir.path().join("out");
    let private = dir.path().join("out.private");
    let bin = env!("CARGO_BIN_EXE_roundtable");
    let times: Value = serde_json::from_slice(&run_ok(
        Command::new(bin)
            .env(
                "ROUNDTABLE_KEY",
                "test-calendar-address-key-0123456789abcdef",
            )
            .args(["times", "--format", "json"])
            .arg(&copy),
        "roundtable times",
    ))
    .expect("times json");
    run_ok(
        Command::new(bin)
            .env(
                "ROUNDTABLE_KEY",
                "test-calendar-address-key-0123456789abcdef",
            )
            .arg("invites")
            .arg(&copy)
            .arg("--out")
            .arg(&out)
            .env("SOURCE_DATE_EPOCH", "1700000000"),
        "roundtable invites",
    );
    let id = times["programme"]
        .as_str()
        .expect("programme id")
        .to_string();
    let files = ics_files(&out, &private);
    run_ok(
        Command::new("python3")
            .arg(root().join("tests/ics/lint.py"))
            .args(&files),
        "lint.py",
    );
    let py = expanded(
        &run_ok(
            Command::new("python3")
                .arg(root().join("tests/ics/expand.py"))
                .args(&files),
            "expand.py",
        ),
        &id,
    );
    let js = expanded(
        &run_ok(
            Command::new("node")
                .arg(root().join("tests/ics/expand.mjs"))
                .args(&files),
            "expand.mjs",
        ),
        &id,
    );

    let lib = expanded(
        &run_ok(
            Command::new("/usr/bin/python3")
                .arg(root().join("tests/ics/expand_libical.py"))
                .args(&files),
            "expand_libical.py",
        ),
        &id,
    );

    // What `times` says, per participant and for the programme as a whole.
    let mut per_participant: BTreeMap<String, BTreeSet<(String, String, String)>> = BTreeMap::new();
    let mut whole = BTreeSet::new();
    for r in times["rows"].as_array().expect("rows") {
        let t = (
            r["session"].as_str().expect("s").to_string(),
            r["start_utc"].as_str().expect("s").to_string(),
            r["end_utc"].as_str().expect("e").to_string(),
        );
        per_participant
            .entry(r["participant"].as_str().expect("p").to_string())
            .or_default()
            .insert(t.clone());
        whole.insert(t);
    }
    let key = |p: &Path| p.to_string_lossy().into_owned();
    let programme_file = out.join(format!("{id}.ics"));
    for (name, seen) in [("icalendar", &py), ("ical.js", &js), ("libical", &lib)] {
        assert_eq!(
            seen.get(&key(&programme_file)),
            Some(&whole),
            "{name}: {} differs from times",
            programme_file.display()
        );
        let mut index =
            csv::Reader::from_path(private.join("participants/index.csv")).expect("index.csv");
        for r in index.records() {
            let r = r.expect("row");
            let file = out.join(&r[2]);
            let expected = per_participant.get(&r[0]).cloned().unwrap_or_default();
            assert_eq!(
                seen.get(&key(&file)).cloned().unwrap_or_default(),
                expected,
                "{name}: {} differs from times for {}",
                file.display(),
                &r[0]
            );
        }
        for session in whole.iter().map(|t| t.0.clone()).collect::<BTreeSet<_>>() {
            // The session's invitation, and those of the later parts of a series split at a DST
            // change (`<session>~<start>.ics`): together, every occurrence once.
            let file = private.join(format!("sessions/{session}.ics"));
            let mut got: BTreeSet<(String, String, String)> =
                seen.get(&key(&file)).cloned().unwrap_or_default();
            for (f, set) in seen.iter() {
                let name = Path::new(f)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned());
                if name.is_some_and(|n| {
                    n.starts_with(&format!("{session}~")) && !n.ends_with(".cancel.ics")
                }) {
                    got.extend(set.iter().cloned());
                }
            }
            let expected: BTreeSet<_> = whole.iter().filter(|t| t.0 == session).cloned().collect();
            assert_eq!(
                got,
                expected,
                "{name}: {} differs from times",
                file.display()
            );
        }
    }
}

#[test]
fn independent_parsers_see_exactly_the_times() {
    let list = programmes();
    assert!(list.len() >= 5);
    for p in list {
        check_programme(&p);
    }
}
