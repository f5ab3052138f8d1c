//! The catalogue of bad inputs: every folder `tests/catalogue/<NN-name>/` is one case.
//!
//! A case folder holds the input files (`programme.toml`, and where relevant `participants.csv`
//! or `busy/*.ics`) and `case.toml`:
//!
//! ```toml
//! args = ["times", "programme.toml"]   # the command, run inside a copy of the folder
//! exit = 2                             # the expected exit code
//! stderr = ["programme.toml:7:12", "what is wrong", "the fix"]  # substrings that must appear
//! stderr_not = ["..."]                 # optional: substrings that must not appear
//! stdout = ["..."]                     # optional: substrings stdout must contain
//! ordered = true                       # optional: the `stderr` pieces appear in this order
//! generate = "busy-50mb"               # optional: a large input written at run time
//! ```
//!
//! The expectations say what a user needs (file, line, column, what is wrong, how to fix it),
//! not what roundtable happens to print. Every case is run and every failure is listed before
//! the test fails. `CATALOGUE_CASE=substring cargo test --test it catalogue::` runs only the cases
//! whose folder name contains the substring.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde::Deserialize;

/// The fewest cases the catalogue may hold.
const MIN_CASES: usize = 40;

/// `case.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    args: Vec<String>,
    exit: i32,
    #[serde(default)]
    stderr: Vec<String>,
    #[serde(default)]
    stderr_not: Vec<String>,
    #[serde(default)]
    stdout: Vec<String>,
    #[serde(default)]
    ordered: bool,
    generate: Option<String>,
}

fn catalogue_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/catalogue")
}

/// Every case folder, sorted by name.
fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(catalogue_dir())
        .expect("tests/catalogue exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Copies `from` into `to`, sub-folders included, leaving out `case.toml`.
fn copy_inputs(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read case folder") {
        let entry = entry.expect("directory entry");
        let source = entry.path();
        let target = to.join(entry.file_name());
        if source.is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
            copy_inputs(&source, &target);
        } else if entry.file_name() != "case.toml" {
            std::fs::copy(&source, &target).expect("copy input file");
        }
    }
}

/// Writes the large inputs a case asks for into `dir`.
fn generate(kind: &str, dir: &Path) -> Result<(), String> {
    match kind {
        // A well-formed busy calendar of just over 50 MiB: thousands of one-hour events, so that
        // only its size is wrong.
        "busy-50mb" => {
            const TARGET: usize = 50 * 1024 * 1024;
            std::fs::create_dir_all(dir.join("busy")).map_err(|e| e.to_string())?;
            let file =
                std::fs::File::create(dir.join("busy/ana.ics")).map_err(|e| e.to_string())?;
            let mut out = std::io::BufWriter::new(file);
            let head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//roundtable catalogue//EN\r\n";
            let mut written = head.len();
            out.write_all(head.as_bytes()).map_err(|e| e.to_string())?;
            let mut n: u64 = 0;
            while written < TARGET {
                let day = 1 + n % 28;
                let hour = n % 24;
                let event = format!(
                    "BEGIN:VEVENT\r\nUID:busy-{n}@example.org\r\nDTSTART:202401{day:02}T{hour:02}0000Z\r\n\
                     DURATION:PT1H\r\nSUMMARY:Busy block {n}\r\nEND:VEVENT\r\n"
                );
                out.write_all(event.as_bytes()).map_err(|e| e.to_string())?;
                written += event.len();
                n += 1;
            }
            out.write_all(b"END:VCALENDAR\r\n")
                .map_err(|e| e.to_string())?;
            out.flush().map_err(|e| e.to_string())
        }
        // A calendar of 150,000 components nested in each other (2.4 MB): deep enough to
        // overflow the stack of a recursive reader.
        "busy-nested-150000" => {
            std::fs::create_dir_all(dir.join("busy")).map_err(|e| e.to_string())?;
            let mut text = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
            text.push_str(&"BEGIN:X\r\n".repeat(150_000));
            text.push_str(&"END:X\r\n".repeat(150_000));
            text.push_str("END:VCALENDAR\r\n");
            std::fs::write(dir.join("busy/ana.ics"), text).map_err(|e| e.to_string())
        }
        // A participants CSV whose header has a million unknown columns after the right ones,
        // and one row with as many (empty) fields.
        "csv-million-columns" => {
            let mut text = String::from("name,email,timezone");
            for i in 0..1_000_000 {
                text.push_str(&format!(",c{i}"));
            }
            text.push_str("\nAna,ana@example.org,America/Sao_Paulo");
            text.push_str(&",".repeat(1_000_000));
            text.push('\n');
            std::fs::write(dir.join("participants.csv"), text).map_err(|e| e.to_string())
        }
        other => Err(format!("unknown generate = {other:?}")),
    }
}

/// Runs one case; the problems found, empty when it passes.
fn run_case(dir: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(dir.join("case.toml"))
        .map_err(|e| format!("cannot read case.toml: {e}"))?;
    let case: Case = toml::from_str(&text).map_err(|e| format!("bad case.toml: {e}"))?;
    if case.args.is_empty() {
        return Err("case.toml: `args` is empty".into());
    }
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    copy_inputs(dir, work.path());
    if let Some(kind) = &case.generate {
        generate(kind, work.path())?;
    }
    let output = Command::cargo_bin("roundtable")
        .map_err(|e| e.to_string())?
        .current_dir(work.path())
        .args(&case.args)
        .env_remove("TZ")
        .env(
            "ROUNDTABLE_KEY",
            "test-calendar-address-key-0123456789abcdef",
        )
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120))
        .output()
        .map_err(|e| format!("cannot run roundtable: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut problems = Vec::new();
    match output.status.code() {
        Some(code) if code == case.exit => {}
        Some(code) => problems.push(format!("exit code {code}, expected {}", case.exit)),
        None => problems.push(format!(
            "no exit code (killed by a signal or the 120 s timeout), expected {}",
            case.exit
        )),
    }
    if stderr.contains("panicked") {
        problems.push("roundtable panicked".into());
    }
    let mut from = 0;
    for piece in &case.stderr {
        if case.ordered {
            match stderr
                .get(from..)
                .and_then(|rest| rest.find(piece.as_str()))
            {
                Some(i) => from += i + piece.len(),
                None if stderr.contains(piece.as_str()) => problems.push(format!(
                    "stderr has {piece:?}, but not in the expected order"
                )),
                None => problems.push(format!("stderr lacks {piece:?}")),
            }
        } else if !stderr.contains(piece.as_str()) {
            problems.push(format!("stderr lacks {piece:?}"));
        }
    }
    for piece in &case.stderr_not {
        if stderr.contains(piece.as_str()) {
            problems.push(format!("stderr must not contain {piece:?}"));
        }
    }
    for piece in &case.stdout {
        if !stdout.contains(piece.as_str()) {
            problems.push(format!("stdout lacks {piece:?}"));
        }
    }
    if !problems.is_empty() {
        let mut shown = String::new();
        for line in stderr.lines().take(40) {
            let _ = writeln!(shown, "      | {line}");
        }
        problems.push(format!(
            "command: roundtable {}\n    stderr was:\n{}",
            case.args.join(" "),
            shown.trim_end()
        ));
    }
    Ok(problems)
}

#[test]
fn every_case_of_the_catalogue() {
    let dirs = case_dirs();
    assert!(
        dirs.len() >= MIN_CASES,
        "the catalogue has {} cases, fewer than {MIN_CASES}",
        dirs.len()
    );
    let only = std::env::var("CATALOGUE_CASE").ok();
    let mut failures = Vec::new();
    let mut run = 0;
    for dir in &dirs {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        assert!(
            dir.join("case.toml").is_file(),
            "{name}: every case folder needs a case.toml"
        );
        run += 1;
        match run_case(dir) {
            Ok(problems) if problems.is_empty() => {}
            Ok(problems) => failures.push(format!("{name}:\n  - {}", problems.join("\n  - "))),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(run > 0, "no case matches CATALOGUE_CASE={only:?}");
    assert!(
        failures.is_empty(),
        "{} of {run} catalogue cases fail:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
