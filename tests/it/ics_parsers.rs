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

/// (session, start UTC, end UTC) of events.
type Occurrences = BTreeSet<(String, String, String)>;

/// The occurrences of each file, by path, read by one expander.
type Seen = BTreeMap<String, Occurrences>;

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
    let times = times_json(&copy);
    publish(&copy, &out);
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
    let (per_participant, whole) = times_sets(&times);
    for (name, seen) in read_by_every_parser(&files, &id) {
        let key = |p: &Path| p.to_string_lossy().into_owned();
        let programme_file = out.join(format!("{id}.ics"));
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
        sessions_agree(name, &seen, &private, &whole);
    }
}

/// `roundtable times --format json` of `programme`.
fn times_json(programme: &Path) -> Value {
    serde_json::from_slice(&run_ok(
        crate::support::roundtable_process()
            .args(["times", "--format", "json"])
            .arg(programme),
        "roundtable times",
    ))
    .expect("times json")
}

/// `roundtable invites` of `programme` into `out` (and `out.private`).
fn publish(programme: &Path, out: &Path) {
    run_ok(
        crate::support::roundtable_process()
            .arg("invites")
            .arg(programme)
            .arg("--out")
            .arg(out),
        "roundtable invites",
    );
}

/// Every event of `files` as each independent parser reads it: Python's icalendar, ical.js and
/// libical (through Debian's python3 and GObject introspection).
fn read_by_every_parser(files: &[PathBuf], id: &str) -> [(&'static str, Seen); 3] {
    let read = |program: &str, script: &str| {
        expanded(
            &run_ok(
                Command::new(program)
                    .arg(root().join("tests/ics").join(script))
                    .args(files),
                script,
            ),
            id,
        )
    };
    [
        ("icalendar", read("python3", "expand.py")),
        ("ical.js", read("node", "expand.mjs")),
        ("libical", read("/usr/bin/python3", "expand_libical.py")),
    ]
}

/// What `times` says: (session, start, end) per participant's e-mail, and for the programme as a
/// whole.
fn times_sets(times: &Value) -> (BTreeMap<String, Occurrences>, Occurrences) {
    let mut per_participant: BTreeMap<String, Occurrences> = BTreeMap::new();
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
    (per_participant, whole)
}

/// Each session's invitation, with those of the later parts of a series split at a DST change
/// (`<session>~<start>.ics`), holds every occurrence of the session once, as `name` reads them.
fn sessions_agree(name: &str, seen: &Seen, private: &Path, whole: &Occurrences) {
    let key = |p: &Path| p.to_string_lossy().into_owned();
    for session in whole.iter().map(|t| t.0.clone()).collect::<BTreeSet<_>>() {
        let file = private.join(format!("sessions/{session}.ics"));
        let mut got: Occurrences = seen.get(&key(&file)).cloned().unwrap_or_default();
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
        let expected: Occurrences = whole.iter().filter(|t| t.0 == session).cloned().collect();
        assert_eq!(
            got,
            expected,
            "{name}: {} differs from times",
            file.display()
        );
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
