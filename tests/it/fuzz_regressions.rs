//! Every input the fuzzers (fuzz/, docs/fuzzing.md) found a crash or hang with, replayed through
//! the same harness the fuzz target runs: `tests/data/fuzz/<target>/<file>` goes through
//! `harness::<target>`, which must neither panic nor hang. The harness is fuzz/src/lib.rs itself,
//! compiled into this test, so a fuzz target and its regression test cannot drift apart.
//!
//! To add a crash: copy `fuzz/artifacts/<target>/crash-…` to `tests/data/fuzz/<target>/` under a
//! name that says what it is, fix it, and run `cargo test --test it fuzz_regressions::`.

#[path = "../../fuzz/src/lib.rs"]
mod harness;

use std::path::{Path, PathBuf};

type Harness = fn(&[u8]);

const TARGETS: [(&str, Harness); 5] = [
    ("programme", harness::programme),
    ("small_parsers", harness::small_parsers),
    ("participants_csv", harness::participants_csv),
    ("busy_ics", harness::busy_ics),
    ("ics_text", harness::ics_text),
];

/// The targets that have found crashes: their folder under tests/data/fuzz must hold them, so
/// that deleting it fails the replay instead of leaving only the seeds to run.
const WITH_CRASHES: [&str; 3] = ["programme", "small_parsers", "busy_ics"];

/// The files of `dir` whose name ends with `ext` ("" for every file); none when it is absent.
fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && p.to_string_lossy().ends_with(ext))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// What `target` replays: the crashes saved in `tests/data/fuzz/<target>/` (none yet for some
/// targets), then the seeds scripts/fuzz-smoke.sh starts its corpus with (the same folders), so
/// that no target's replay can pass with nothing to run.
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let saved = root.join("tests/data/fuzz").join(target);
    let mut files = files_in(&saved, "");
    assert!(
        !(WITH_CRASHES.contains(&target) && files.is_empty()),
        "{} is missing or empty: the crashes the fuzz target `{target}` found are its regression tests",
        saved.display()
    );
    let seeds: &[(&str, &str)] = match target {
        "programme" => &[
            ("sessions", ".toml"),
            ("tests/data/programmes", ".toml"),
            ("tests/data/plan", ".toml"),
        ],
        "participants_csv" => &[("sessions", ".csv"), ("tests/data/plan", ".csv")],
        "busy_ics" => &[("tests/data/busy", ".ics")],
        "small_parsers" => &[("fuzz/seeds/small_parsers", "")],
        "ics_text" => &[("fuzz/seeds/ics_text", "")],
        _ => &[],
    };
    for (dir, ext) in seeds {
        files.extend(files_in(&root.join(dir), ext));
    }
    files.sort();
    assert!(
        !files.is_empty(),
        "no input to replay for the fuzz target `{target}`: its seed folders are missing"
    );
    files
}

/// Runs every saved input of `target`; all failures are reported together, each by file name.
fn replay(target: &str) {
    let run = TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, run)| *run)
        .unwrap();
    let mut failed = Vec::new();
    for file in inputs(target) {
        let bytes = std::fs::read(&file).unwrap();
        if std::panic::catch_unwind(|| run(&bytes)).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(failed.is_empty(), "panicked on: {failed:#?}");
}

#[test]
fn programme() {
    replay("programme");
}

#[test]
fn small_parsers() {
    replay("small_parsers");
}

#[test]
fn participants_csv() {
    replay("participants_csv");
}

#[test]
fn busy_ics() {
    replay("busy_ics");
}

#[test]
fn ics_text() {
    replay("ics_text");
}

/// The programmes that crashed roundtable are now errors naming their line and how to fix it.
#[test]
fn crashing_programmes_are_errors_at_their_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz/programme");
    for (name, place, what) in [
        (
            "rrule-non-ascii-byday.toml",
            ":13:10: ",
            "the rule contains `€`; write it in ASCII",
        ),
        (
            "fixed-offset-non-ascii-digits.toml",
            ":4:12: ",
            "`UTC-€3` is not a valid fixed offset",
        ),
        (
            "start-year-before-chrono-min.toml",
            ":10:9: ",
            "`-262143-01-01T00:00` is out of range: write a year from 1 to 9999",
        ),
        (
            "end-after-chrono-max.toml",
            ":10:9: ",
            "`+262142-12-31T23:00` is out of range: write a year from 1 to 9999",
        ),
    ] {
        let path = dir.join(name);
        let message = match roundtable::programme::Programme::load(&path) {
            Ok(_) => panic!("{name} loaded"),
            Err(e) => e.to_string(),
        };
        assert!(
            message.contains(&format!("{}{place}", path.display()))
                && message.contains(what)
                && message.contains("help: "),
            "{name}: {message}"
        );
    }
}

/// Every folder under tests/data/fuzz is a target's, so no saved input is silently skipped.
#[test]
fn every_saved_input_belongs_to_a_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            path.is_dir() && TARGETS.iter().any(|(t, _)| *t == name),
            "{} is not the folder of a fuzz target ({:?})",
            path.display(),
            TARGETS.map(|(t, _)| t)
        );
    }
}

/// The seeds the fuzz targets start from pass too (a cheap check that the harnesses accept the
/// repository's own files without tripping an invariant).
#[test]
fn seeds_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let globs: [(&str, &str, &str); 7] = [
        ("programme", "sessions", "toml"),
        ("programme", "tests/data/programmes", "toml"),
        ("participants_csv", "sessions", "csv"),
        ("busy_ics", "tests/data/busy", "ics"),
        ("small_parsers", "fuzz/seeds/small_parsers", ""),
        ("ics_text", "fuzz/seeds/ics_text", ""),
        ("programme", "tests/data/plan", "toml"),
    ];
    for (target, dir, ext) in globs {
        let run = TARGETS.iter().find(|(t, _)| *t == target).unwrap().1;
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if ext.is_empty() || path.extension().is_some_and(|e| e == ext) {
                let bytes = std::fs::read(&path).unwrap();
                run(&bytes);
            }
        }
    }
}
