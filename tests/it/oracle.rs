//! roundtable against values it did not compute: the civil → instant table and the whole
//! `times --format json` output of the Python oracle (tests/oracle/, zoneinfo + dateutil).
//! Needs python3 with tests/oracle/requirements.txt installed (tests/run.sh does it).

use std::path::Path;
use std::process::Command;

use crate::support::{programmes, root, roundtable_process, run_ok};
use chrono::NaiveDateTime;
use roundtable::civil::{Disambiguation, resolve};
use roundtable::zone::ZoneSpec;

#[test]
fn civil_cases_from_zoneinfo() {
    let path = root().join("tests/data/civil_cases.csv");
    let mut reader = csv::Reader::from_path(&path).expect("tests/data/civil_cases.csv");
    let mut checked = 0;
    let mut failures = Vec::new();
    for record in reader.records() {
        let r = record.expect("csv row");
        let (zone, civil, policy, expected) = (&r[0], &r[1], &r[2], &r[3]);
        let z: ZoneSpec = zone.parse().unwrap_or_else(|e| panic!("{zone}: {e:?}"));
        let c = NaiveDateTime::parse_from_str(civil, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(civil, "%Y-%m-%dT%H:%M:%S"))
            .unwrap_or_else(|e| panic!("{civil}: {e}"));
        let p: Disambiguation = policy.parse().expect("policy");
        let got = match resolve(c, &z.zone, p) {
            Ok(i) => i.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            Err(_) => "error".to_string(),
        };
        if got != expected {
            failures.push(format!(
                "{zone} {civil} {policy}: expected {expected}, got {got}"
            ));
        }
        checked += 1;
    }
    assert!(checked > 400, "only {checked} cases");
    assert!(
        failures.is_empty(),
        "{} of {checked} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn oracle(file: &Path) -> serde_json::Value {
    let out = Command::new("python3")
        .arg(root().join("tests/oracle/times_oracle.py"))
        .arg(file)
        .env_remove("TZ")
        .output()
        .expect("python3 must be installed (see tests/run.sh)");
    assert!(
        out.status.success(),
        "oracle failed on {}: {}\n(install its packages: pip install -r tests/oracle/requirements.txt)",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("oracle JSON")
}

fn roundtable(file: &Path) -> serde_json::Value {
    let out = run_ok(
        roundtable_process()
            .args(["times", "--format", "json"])
            .arg(file),
        "roundtable times",
    );
    serde_json::from_slice(&out).expect("roundtable JSON")
}

#[test]
fn times_json_equals_the_python_oracle() {
    let files = programmes();
    assert!(files.len() >= 5);
    for file in files {
        let expected = oracle(&file);
        let got = roundtable(&file);
        let rows = expected["rows"].as_array().map_or(0, Vec::len);
        assert!(rows > 0, "{} has no rows", file.display());
        if expected != got {
            let e = expected["rows"].as_array().cloned().unwrap_or_default();
            let g = got["rows"].as_array().cloned().unwrap_or_default();
            let first = e.iter().zip(&g).position(|(a, b)| a != b);
            panic!(
                "{}: {} rows expected, {} got; first difference at {first:?}:\n expected {}\n got      {}",
                file.display(),
                e.len(),
                g.len(),
                first
                    .and_then(|i| e.get(i))
                    .map_or(String::new(), ToString::to_string),
                first
                    .and_then(|i| g.get(i))
                    .map_or(String::new(), ToString::to_string),
            );
        }
    }
}
