//! The busy-calendar corpus (tests/data/busy/corpus/): exports in the shapes of Google Calendar,
//! Outlook / Exchange, Apple, Thunderbird, Evolution, Nextcloud, Zimbra, Lotus Notes, Fastmail,
//! Proton, Yahoo and KOrganizer, each read by `roundtable::busy` and compared with
//! `expected.json`, which `expected.py` works out with Python's icalendar +
//! recurring_ical_events (+ dateutil for EXRULE) — no roundtable code. This test only compares;
//! after changing a corpus file run `python3 tests/data/busy/corpus/expected.py` (and
//! `--check` to see that the committed expected.json is up to date).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use roundtable::busy;
use roundtable::zone::ZoneSpec;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/busy/corpus")
}

struct Expected {
    zone: String,
    window: (DateTime<Utc>, DateTime<Utc>),
    files: BTreeMap<String, Vec<(String, String)>>,
}

fn expected() -> Expected {
    let text = std::fs::read_to_string(corpus_dir().join("expected.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let instant = |v: &serde_json::Value| -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(v.as_str().unwrap())
            .unwrap()
            .with_timezone(&Utc)
    };
    let window = (instant(&json["window"][0]), instant(&json["window"][1]));
    let mut files = BTreeMap::new();
    for (name, list) in json["files"].as_object().unwrap() {
        let intervals = list
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                (
                    pair[0].as_str().unwrap().to_string(),
                    pair[1].as_str().unwrap().to_string(),
                )
            })
            .collect();
        files.insert(name.clone(), intervals);
    }
    Expected {
        zone: json["participant_zone"].as_str().unwrap().to_string(),
        window,
        files,
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn corpus_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ics"))
        .collect();
    names.sort();
    names
}

#[test]
fn the_corpus_has_at_least_30_files_from_at_least_6_products() {
    let names = corpus_files();
    assert!(names.len() >= 30, "{} files", names.len());
    let products: BTreeSet<&str> = names.iter().map(|n| n.split('-').next().unwrap()).collect();
    assert!(products.len() >= 6, "{products:?}");
    let expected: Vec<String> = expected().files.keys().cloned().collect();
    assert_eq!(
        names, expected,
        "expected.json lists exactly the corpus files"
    );
}

#[test]
fn every_corpus_file_gives_the_intervals_python_icalendar_gives() {
    let exp = expected();
    let local = exp.zone.parse::<ZoneSpec>().unwrap().zone;
    let mut differences = Vec::new();
    for (name, want) in &exp.files {
        let path = corpus_dir().join(name);
        let bytes = std::fs::read(&path).unwrap();
        let got: Vec<(String, String)> = match busy::read(&path, &bytes, &local, exp.window) {
            Ok(list) => list
                .iter()
                .map(|b| (stamp(b.start), stamp(b.end)))
                .collect(),
            Err(e) => {
                differences.push(format!("{name}: not read: {e}"));
                continue;
            }
        };
        let mut got_sorted = got.clone();
        got_sorted.sort();
        if &got_sorted != want {
            let missing: Vec<_> = want.iter().filter(|w| !got_sorted.contains(w)).collect();
            let extra: Vec<_> = got_sorted.iter().filter(|g| !want.contains(g)).collect();
            differences.push(format!(
                "{name}: roundtable {} intervals, expected {}; missing {missing:?}; extra {extra:?}",
                got_sorted.len(),
                want.len()
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn only_the_ios_26_and_end_typo_files_are_read_with_notes() {
    let exp = expected();
    let local = exp.zone.parse::<ZoneSpec>().unwrap().zone;
    for name in exp.files.keys() {
        let path = corpus_dir().join(name);
        let bytes = std::fs::read(&path).unwrap();
        let notes = match busy::read_calendar(&path, &bytes, &local, exp.window) {
            Ok(c) => c.notes,
            Err(e) => panic!("{name}: {e}"),
        };
        if name == "apple-ios26-structured-location.ics" || name == "exchange-end-typo.ics" {
            assert_eq!(notes.len(), 1, "{name}: {notes:?}");
        } else {
            assert!(notes.is_empty(), "{name}: {notes:?}");
        }
    }
}

/// `read_calendar_overlapping` keeps exactly the intervals Python's reading gives that overlap
/// one of the spans by a positive length: here a comb of 3-hour spans every 7 hours across the
/// window, so that every file has intervals on both sides of the cut.
#[test]
fn reading_only_what_overlaps_spans_keeps_python_intervals_that_overlap_them() {
    let exp = expected();
    let local = exp.zone.parse::<ZoneSpec>().unwrap().zone;
    let mut spans = Vec::new();
    let mut at = exp.window.0;
    while at < exp.window.1 {
        spans.push((at, at + chrono::Duration::hours(3)));
        at += chrono::Duration::hours(7);
    }
    let parse = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    let (mut kept, mut dropped) = (0, 0);
    for (name, want) in &exp.files {
        let path = corpus_dir().join(name);
        let bytes = std::fs::read(&path).unwrap();
        let mut want: Vec<(String, String)> = want
            .iter()
            .filter(|(s, e)| {
                let (s, e) = (parse(s), parse(e));
                let keep = spans.iter().any(|&(a, b)| e > a && s < b);
                if keep {
                    kept += 1
                } else {
                    dropped += 1
                }
                keep
            })
            .cloned()
            .collect();
        want.sort();
        let cal = busy::read_calendar_overlapping(&path, &bytes, &local, exp.window, &spans)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut got: Vec<(String, String)> = cal
            .busy
            .iter()
            .map(|b| (stamp(b.start), stamp(b.end)))
            .collect();
        got.sort();
        assert_eq!(got, want, "{name}");
    }
    assert!(kept > 20 && dropped > 20, "kept {kept}, dropped {dropped}");
}
