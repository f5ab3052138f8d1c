//! `roundtable suggest` and `roundtable split` against an independent brute-force oracle,
//! tests/oracle/plan_oracle.py (Python, standard library only, written from the commands'
//! specification and never from src/plan/; split tries every K-combination of the day's grid).
//! Fixtures: tests/data/plan/ — east-west.toml (a: Europe/Africa + the Americas, worked by hand),
//! world.toml (b: Asia-Pacific with +05:30, +05:45, +13:45), weekend.toml (c: Friday in the
//! Middle East), custom-hours.toml + .csv (d: custom and wrapping hours, a 25-hour DST day).
//! Needs python3 (3.11+: tomllib, zoneinfo).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command as StdCommand;

use crate::support::root;
use assert_cmd::Command;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

fn fixture(name: &str) -> String {
    root()
        .join("tests/data/plan")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn show(args: &[String]) -> String {
    args.join(" ")
}

/// roundtable's stdout; panics (with the command) unless it exits 0.
fn roundtable_raw(args: &[String]) -> Vec<u8> {
    let out = Command::cargo_bin("roundtable")
        .expect("binary")
        .args(args)
        .env_remove("TZ")
        .env("NO_COLOR", "1")
        .output()
        .expect("run roundtable");
    assert!(
        out.status.success(),
        "roundtable {} failed ({}): {}",
        show(args),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn roundtable(args: &[String]) -> Value {
    let out = roundtable_raw(args);
    serde_json::from_slice(&out).unwrap_or_else(|e| {
        panic!(
            "roundtable {}: not JSON ({e}): {}",
            show(args),
            String::from_utf8_lossy(&out)
        )
    })
}

fn oracle(args: &[String]) -> Value {
    let out = StdCommand::new("python3")
        .arg(root().join("tests/oracle/plan_oracle.py"))
        .args(args)
        .env_remove("TZ")
        .output()
        .expect("python3 must be installed");
    assert!(
        out.status.success(),
        "oracle {} failed: {}",
        show(args),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("oracle JSON")
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

// ------------------------------------------------------------------------------- suggest

struct Suggest {
    file: &'static str,
    from: &'static str,
    to: &'static str,
    duration: &'static str,
    step: &'static str,
    top: Option<&'static str>,
    audience: &'static [&'static str],
}

impl Suggest {
    fn args(&self) -> Vec<String> {
        let mut a = s(&[
            "suggest",
            &fixture(self.file),
            "--duration",
            self.duration,
            "--from",
            self.from,
            "--to",
            self.to,
            "--step",
            self.step,
        ]);
        if let Some(t) = self.top {
            a.extend(s(&["--top", t]));
        }
        for g in self.audience {
            a.extend(s(&["--audience", g]));
        }
        a
    }
}

const fn sg(
    file: &'static str,
    from: &'static str,
    to: &'static str,
    duration: &'static str,
    step: &'static str,
    top: Option<&'static str>,
    audience: &'static [&'static str],
) -> Suggest {
    Suggest {
        file,
        from,
        to,
        duration,
        step,
        top,
        audience,
    }
}

/// Exact equality of the whole JSON (default top 5, or the given --top).
fn check_suggest(cases: &[Suggest]) {
    let mut failures = Vec::new();
    for c in cases {
        let mut rt_args = c.args();
        rt_args.extend(s(&["--format", "json"]));
        let got = roundtable(&rt_args);
        let want = oracle(&c.args());
        let n = want["suggestions"].as_array().map_or(0, Vec::len);
        assert!(n > 0, "oracle gave no suggestion for {}", show(&c.args()));
        if got != want {
            failures.push(format!(
                "roundtable {}\n  roundtable: {}\n  oracle:     {}",
                show(&rt_args),
                got,
                want
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} suggest cases differ from the oracle:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn suggest_east_west() {
    check_suggest(&[
        sg(
            "east-west.toml",
            "2024-11-14",
            "2024-11-14",
            "4h",
            "15m",
            None,
            &[],
        ),
        sg(
            "east-west.toml",
            "2024-11-14",
            "2024-11-14",
            "2h",
            "15m",
            Some("20"),
            &[],
        ),
        sg(
            "east-west.toml",
            "2024-11-14",
            "2024-11-14",
            "90m",
            "15m",
            None,
            &["east"],
        ),
        sg(
            "east-west.toml",
            "2024-11-14",
            "2024-11-14",
            "3h",
            "30m",
            None,
            &["west"],
        ),
        sg(
            "east-west.toml",
            "2024-11-13",
            "2024-11-16",
            "4h",
            "1h",
            Some("30"),
            &[],
        ),
        // the whole ranking of a day, every slot
        sg(
            "east-west.toml",
            "2024-11-14",
            "2024-11-14",
            "4h",
            "15m",
            Some("1000"),
            &[],
        ),
    ]);
}

#[test]
fn suggest_world() {
    check_suggest(&[
        sg(
            "world.toml",
            "2024-11-15",
            "2024-11-15",
            "2h",
            "15m",
            None,
            &[],
        ),
        sg(
            "world.toml",
            "2024-11-15",
            "2024-11-15",
            "4h",
            "15m",
            Some("12"),
            &[],
        ),
        sg(
            "world.toml",
            "2024-11-15",
            "2024-11-15",
            "1h",
            "5m",
            Some("25"),
            &[],
        ),
        sg(
            "world.toml",
            "2024-11-15",
            "2024-11-15",
            "100m",
            "25m",
            Some("1000"),
            &[],
        ),
        sg(
            "world.toml",
            "2024-11-14",
            "2024-11-17",
            "2h",
            "30m",
            Some("15"),
            &[],
        ),
        sg(
            "world.toml",
            "2024-11-15",
            "2024-11-15",
            "3h",
            "15m",
            None,
            &["apac"],
        ),
        sg(
            "world.toml",
            "2024-11-15",
            "2024-11-15",
            "3h",
            "15m",
            None,
            &["atlantic"],
        ),
        sg(
            "world.toml",
            "2024-11-15",
            "2024-11-15",
            "PT1H30M",
            "15m",
            None,
            &["apac", "atlantic"],
        ),
    ]);
}

#[test]
fn suggest_weekend() {
    check_suggest(&[
        sg(
            "weekend.toml",
            "2024-11-15",
            "2024-11-15",
            "1h",
            "1h",
            Some("1000"),
            &[],
        ),
        sg(
            "weekend.toml",
            "2024-11-15",
            "2024-11-15",
            "2h",
            "15m",
            None,
            &[],
        ),
        sg(
            "weekend.toml",
            "2024-11-14",
            "2024-11-16",
            "2h",
            "15m",
            Some("10"),
            &[],
        ),
        sg(
            "weekend.toml",
            "2024-11-14",
            "2024-11-16",
            "90m",
            "30m",
            Some("1000"),
            &[],
        ),
        sg(
            "weekend.toml",
            "2024-11-15",
            "2024-11-15",
            "2h",
            "15m",
            None,
            &["mena"],
        ),
        sg(
            "weekend.toml",
            "2024-11-15",
            "2024-11-16",
            "45m",
            "15m",
            None,
            &["rest"],
        ),
    ]);
}

#[test]
fn suggest_custom_hours() {
    check_suggest(&[
        // 3 November 2024: 25 hours in New York, 100 slots of 15 minutes
        sg(
            "custom-hours.toml",
            "2024-11-03",
            "2024-11-03",
            "2h",
            "15m",
            Some("1000"),
            &[],
        ),
        sg(
            "custom-hours.toml",
            "2024-11-02",
            "2024-11-04",
            "3h",
            "15m",
            Some("10"),
            &[],
        ),
        sg(
            "custom-hours.toml",
            "2024-11-03",
            "2024-11-03",
            "10h",
            "45m",
            Some("1000"),
            &[],
        ),
        sg(
            "custom-hours.toml",
            "2024-11-03",
            "2024-11-03",
            "24h",
            "1h",
            Some("1000"),
            &[],
        ),
        sg(
            "custom-hours.toml",
            "2024-11-03",
            "2024-11-03",
            "1h15m",
            "15m",
            None,
            &["shifts"],
        ),
        sg(
            "custom-hours.toml",
            "2024-11-03",
            "2024-11-03",
            "2h",
            "15m",
            None,
            &["day"],
        ),
        // 10 March 2024: 23 hours in New York
        sg(
            "custom-hours.toml",
            "2024-03-10",
            "2024-03-10",
            "2h",
            "15m",
            Some("1000"),
            &[],
        ),
        sg(
            "custom-hours.toml",
            "2024-11-06",
            "2024-11-06",
            "7m",
            "1m",
            Some("40"),
            &[],
        ),
    ]);
}

// ------------------------------------------------------------------------------- split

struct Split {
    file: &'static str,
    date: &'static str,
    editions: usize,
    duration: &'static str,
    step: &'static str,
    audience: &'static [&'static str],
}

impl Split {
    fn common(&self) -> Vec<String> {
        let mut a = s(&[
            "split",
            &fixture(self.file),
            "--editions",
            &self.editions.to_string(),
            "--duration",
            self.duration,
            "--date",
            self.date,
            "--step",
            self.step,
        ]);
        for g in self.audience {
            a.extend(s(&["--audience", g]));
        }
        a
    }
    fn roundtable_args(&self) -> Vec<String> {
        let mut a = self.common();
        a.extend(s(&["--format", "json"]));
        a
    }
}

const fn sp(
    file: &'static str,
    date: &'static str,
    editions: usize,
    duration: &'static str,
    step: &'static str,
    audience: &'static [&'static str],
) -> Split {
    Split {
        file,
        date,
        editions,
        duration,
        step,
        audience,
    }
}

fn starts(v: &Value) -> Vec<String> {
    v["editions"]
        .as_array()
        .expect("editions")
        .iter()
        .map(|e| e["start_utc"].as_str().expect("start_utc").to_string())
        .collect()
}

/// Compares one split with the oracle. Returns whether the optimum is unique, and the failures.
///
/// * total_score equal to the oracle's optimum over every K-set;
/// * roundtable's editions re-evaluated by the oracle (`--slots`: distinct grid slots of the
///   day, everyone at their best edition with ties to the earlier one, per-edition scores,
///   e-mails sorted) equal roundtable's whole JSON;
/// * where only one K-set is optimal, the same editions as the oracle's.
fn check_split_case(c: &Split) -> (bool, Vec<String>) {
    let rt_args = c.roundtable_args();
    let got = roundtable(&rt_args);
    let mut oargs = c.common();
    oargs.push("--count-optima".into());
    let want = oracle(&oargs);
    let unique = want["optimal_sets"] == 1;
    let mut failures = Vec::new();
    let cmd = format!("roundtable {}", show(&rt_args));
    let got_starts = starts(&got);
    if got_starts.len() != c.editions {
        failures.push(format!(
            "{cmd}: {} editions, not {}",
            got_starts.len(),
            c.editions
        ));
        return (unique, failures);
    }
    if !got_starts.windows(2).all(|w| w[0] < w[1]) {
        failures.push(format!(
            "{cmd}: editions not in start order: {got_starts:?}"
        ));
    }
    if got["total_score"] != want["total_score"] {
        failures.push(format!(
            "{cmd}: total_score {} but the optimum over every {}-set is {} (e.g. {:?})",
            got["total_score"],
            c.editions,
            want["total_score"],
            starts(&want)
        ));
    }
    let mut eargs = c.common();
    eargs.extend(s(&["--slots", &got_starts.join(",")]));
    let evaluated = oracle(&eargs);
    if evaluated != got {
        failures.push(format!(
            "{cmd}: its editions, assigned and scored by the oracle, differ:\n  roundtable: {got}\n  oracle:     {evaluated}"
        ));
    }
    if unique {
        let mut w = want.clone();
        w.as_object_mut().unwrap().remove("optimal_sets");
        if w != got {
            failures.push(format!(
                "{cmd}: the optimum is unique and differs:\n  roundtable: {got}\n  oracle:     {w}"
            ));
        }
    }
    (unique, failures)
}

/// Checks every case; returns how many had a unique optimum (compared edition by edition).
fn check_split(cases: &[Split]) -> usize {
    let mut failures = Vec::new();
    let mut unique = 0;
    for c in cases {
        let (u, f) = check_split_case(c);
        unique += usize::from(u);
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} split failures over {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    unique
}

#[test]
fn split_east_west() {
    let unique = check_split(&[
        sp("east-west.toml", "2024-11-14", 1, "4h", "15m", &[]),
        sp("east-west.toml", "2024-11-14", 2, "4h", "15m", &[]),
        sp("east-west.toml", "2024-11-14", 3, "4h", "15m", &[]),
        sp("east-west.toml", "2024-11-14", 2, "6h", "15m", &[]),
        sp("east-west.toml", "2024-11-14", 2, "10h", "30m", &[]),
        sp("east-west.toml", "2024-11-14", 3, "10h", "15m", &[]),
        sp("east-west.toml", "2024-11-14", 4, "8h", "1h", &[]),
        sp("east-west.toml", "2024-11-14", 1, "2h", "15m", &["east"]),
        sp("east-west.toml", "2024-11-14", 2, "8h", "15m", &["west"]),
        sp("east-west.toml", "2024-11-16", 2, "4h", "15m", &[]),
    ]);
    assert!(unique >= 1, "no case with a unique optimum was compared");
}

#[test]
fn split_world_k1_to_k3() {
    let unique = check_split(&[
        sp("world.toml", "2024-11-15", 1, "2h", "15m", &[]),
        sp("world.toml", "2024-11-15", 1, "6h", "15m", &[]),
        sp("world.toml", "2024-11-15", 2, "2h", "15m", &[]),
        sp("world.toml", "2024-11-15", 2, "4h", "15m", &[]),
        sp("world.toml", "2024-11-15", 2, "6h", "15m", &[]),
        sp("world.toml", "2024-11-15", 2, "3h", "5m", &[]),
        sp("world.toml", "2024-11-15", 3, "3h", "15m", &[]),
        sp("world.toml", "2024-11-15", 3, "8h", "15m", &[]),
        sp("world.toml", "2024-11-15", 3, "10h", "15m", &[]),
        sp("world.toml", "2024-11-15", 2, "4h", "15m", &["apac"]),
        sp("world.toml", "2024-11-15", 3, "3h", "30m", &["atlantic"]),
    ]);
    assert!(unique >= 3, "only {unique} cases with a unique optimum");
}

#[test]
fn split_world_k4() {
    let unique = check_split(&[
        sp("world.toml", "2024-11-15", 4, "4h", "30m", &[]),
        sp("world.toml", "2024-11-15", 4, "8h", "30m", &[]),
        sp("world.toml", "2024-11-15", 4, "10h", "30m", &[]),
        sp("world.toml", "2024-11-15", 4, "10h", "15m", &[]),
        sp("world.toml", "2024-11-15", 4, "6h", "1h", &["apac"]),
        sp("world.toml", "2024-11-15", 4, "9h", "30m", &[]),
        sp("world.toml", "2024-11-15", 4, "12h", "1h", &[]),
        sp("east-west.toml", "2024-11-14", 4, "12h", "30m", &[]),
    ]);
    assert!(unique >= 3, "only {unique} cases with a unique optimum");
}

#[test]
fn split_weekend() {
    check_split(&[
        sp("weekend.toml", "2024-11-15", 1, "2h", "15m", &[]),
        sp("weekend.toml", "2024-11-15", 2, "2h", "15m", &[]),
        sp("weekend.toml", "2024-11-15", 2, "5h", "15m", &[]),
        sp("weekend.toml", "2024-11-15", 3, "5h", "15m", &[]),
        sp("weekend.toml", "2024-11-14", 2, "3h", "15m", &[]),
        sp("weekend.toml", "2024-11-16", 2, "3h", "15m", &[]),
        sp("weekend.toml", "2024-11-15", 2, "90m", "15m", &["mena"]),
        sp("weekend.toml", "2024-11-15", 4, "6h", "30m", &[]),
    ]);
}

#[test]
fn split_custom_hours() {
    check_split(&[
        sp("custom-hours.toml", "2024-11-03", 1, "3h", "15m", &[]),
        sp("custom-hours.toml", "2024-11-03", 2, "3h", "15m", &[]),
        sp("custom-hours.toml", "2024-11-03", 3, "3h", "15m", &[]),
        sp("custom-hours.toml", "2024-11-03", 2, "8h", "15m", &[]),
        sp("custom-hours.toml", "2024-11-03", 3, "10h", "45m", &[]),
        sp("custom-hours.toml", "2024-11-03", 4, "5h", "30m", &[]),
        sp("custom-hours.toml", "2024-03-10", 2, "4h", "15m", &[]),
        sp(
            "custom-hours.toml",
            "2024-11-06",
            2,
            "2h",
            "15m",
            &["shifts"],
        ),
        sp(
            "custom-hours.toml",
            "2024-11-06",
            3,
            "100m",
            "20m",
            &["day"],
        ),
    ]);
}

// ------------------------------------------------------------------------------- relations

/// K = 1: the total is the best `suggest` score of the same day (roundtable against itself,
/// and against the oracle).
#[test]
fn one_edition_is_the_best_suggestion() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("east-west.toml", "2024-11-14", "4h", "15m"),
        ("east-west.toml", "2024-11-14", "2h", "30m"),
        ("world.toml", "2024-11-15", "3h", "15m"),
        ("world.toml", "2024-11-15", "10h", "15m"),
        ("weekend.toml", "2024-11-15", "2h", "15m"),
        ("custom-hours.toml", "2024-11-03", "3h", "15m"),
        ("custom-hours.toml", "2024-03-10", "90m", "15m"),
    ];
    for &(file, date, dur, step) in cases {
        let f = fixture(file);
        let sug = roundtable(&s(&[
            "suggest",
            &f,
            "--duration",
            dur,
            "--from",
            date,
            "--to",
            date,
            "--step",
            step,
            "--top",
            "1",
            "--format",
            "json",
        ]));
        let split = roundtable(&s(&[
            "split",
            &f,
            "--editions",
            "1",
            "--duration",
            dur,
            "--date",
            date,
            "--step",
            step,
            "--format",
            "json",
        ]));
        let best = &sug["suggestions"][0];
        assert_eq!(
            split["total_score"], best["score"],
            "{file} {date} {dur}: split K=1 vs best suggestion"
        );
        let o = oracle(&s(&[
            "suggest",
            &f,
            "--duration",
            dur,
            "--from",
            date,
            "--to",
            date,
            "--step",
            step,
            "--top",
            "1",
        ]));
        assert_eq!(
            best["score"], o["suggestions"][0]["score"],
            "{file} {date} {dur}"
        );
        // the single edition is a best slot: its score equals the best suggestion's
        assert_eq!(
            split["editions"][0]["score"], best["score"],
            "{file} {date} {dur}"
        );
    }
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

/// Fixture (a), worked by hand in the comments of tests/data/plan/east-west.toml.
#[test]
fn east_west_by_hand() {
    let f = fixture("east-west.toml");
    let split = |k: &str, aud: &[&str]| {
        let mut a = s(&[
            "split",
            &f,
            "--editions",
            k,
            "--duration",
            "4h",
            "--date",
            "2024-11-14",
            "--format",
            "json",
        ]);
        for g in aud {
            a.extend(s(&["--audience", g]));
        }
        roundtable(&a)
    };
    let east = ["chiamaka", "claire", "javier", "mona", "wanjiru"];
    let email = |n: &str| format!("{n}@example.org");

    // K = 1: 2460, only at 14:00 UTC.
    let one = split("1", &[]);
    assert_eq!(one["total_score"], 2460, "{one}");
    assert_eq!(
        one["editions"][0]["start_utc"], "2024-11-14T14:00:00Z",
        "{one}"
    );
    assert_eq!(
        one["editions"][0]["end_utc"], "2024-11-14T18:00:00Z",
        "{one}"
    );
    assert_eq!(
        one["editions"][0]["participants"].as_array().unwrap().len(),
        11
    );

    // K = 2: everyone inside, 11 x 240; an Eastern and a Western edition.
    let two = split("2", &[]);
    assert_eq!(two["total_score"], 2640, "{two}");
    let eds = two["editions"].as_array().unwrap();
    assert_eq!(eds.len(), 2);
    let e = utc(eds[0]["start_utc"].as_str().unwrap());
    let w = utc(eds[1]["start_utc"].as_str().unwrap());
    let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2024, 11, 14, h, m, 0).unwrap();
    assert!(
        at(7, 0) <= e && e <= at(13, 0),
        "eastern edition at {e}: {two}"
    );
    let w_max = if e == at(13, 0) {
        at(22, 0)
    } else if e >= at(11, 0) {
        at(21, 0)
    } else {
        at(19, 0)
    };
    assert!(
        at(16, 0) <= w && w <= w_max,
        "western edition at {w} (eastern {e}): {two}"
    );
    let mut first: Vec<String> = east.iter().map(|n| email(n)).collect();
    if e >= at(11, 0) {
        first.extend([email("ana"), email("camila")]);
    }
    if e == at(13, 0) {
        first.extend([email("dana"), email("felipe")]);
    }
    first.sort();
    let all: BTreeSet<String> = [
        "chiamaka", "claire", "javier", "mona", "wanjiru", "ana", "camila", "dana", "felipe",
        "lucia", "kevin",
    ]
    .iter()
    .map(|n| email(n))
    .collect();
    let second: Vec<String> = all.iter().filter(|x| !first.contains(x)).cloned().collect();
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&eds[0]["participants"]), first, "{two}");
    assert_eq!(names(&eds[1]["participants"]), second, "{two}");
    assert_eq!(eds[0]["score"], 240 * first.len(), "{two}");
    assert_eq!(eds[1]["score"], 240 * second.len(), "{two}");

    // The oracle agrees: 401 optimal pairs, 2460 unique for K = 1.
    let o2 = oracle(&s(&[
        "split",
        &f,
        "--editions",
        "2",
        "--duration",
        "4h",
        "--date",
        "2024-11-14",
        "--count-optima",
    ]));
    assert_eq!(o2["total_score"], 2640);
    assert_eq!(o2["optimal_sets"], 401);
    let o1 = oracle(&s(&[
        "split",
        &f,
        "--editions",
        "1",
        "--duration",
        "4h",
        "--date",
        "2024-11-14",
        "--count-optima",
    ]));
    assert_eq!(o1["total_score"], 2460);
    assert_eq!(o1["optimal_sets"], 1);

    // Eastern audience alone: 5 x 240 in 07:00-13:00 UTC.
    let e1 = split("1", &["east"]);
    assert_eq!(e1["total_score"], 1200, "{e1}");
    let t = utc(e1["editions"][0]["start_utc"].as_str().unwrap());
    assert!(at(7, 0) <= t && t <= at(13, 0), "{e1}");

    // auto: the second edition gains 180 >= 132, the third 0.
    let auto = roundtable(&s(&[
        "split",
        &f,
        "--editions",
        "auto",
        "--duration",
        "4h",
        "--date",
        "2024-11-14",
        "--format",
        "json",
    ]));
    assert_eq!(auto["editions"].as_array().unwrap().len(), 2, "{auto}");
    assert_eq!(auto["total_score"], 2640, "{auto}");
}

/// One participant's score, worked by hand (fixture comments), through `suggest`.
#[test]
fn scores_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let one = |zone: &str, extra: &str| {
        let p = dir.path().join(format!("p{}.toml", zone.replace('/', "-")));
        std::fs::write(
            &p,
            format!(
                "[programme]\nid = \"hand\"\ntitle = \"Hand\"\ntimezone = \"UTC\"\n\
                 organizer = {{ name = \"O\", email = \"o@example.org\" }}\n\n\
                 [[participant]]\nname = \"P\"\nemail = \"p@example.org\"\n\
                 timezone = \"{zone}\"\nweekend = [\"sat\", \"sun\"]\n{extra}\n"
            ),
        )
        .unwrap();
        p.to_string_lossy().into_owned()
    };
    // score of the slot starting at `start` (UTC) on a Wednesday, from the whole ranking
    let score_at = |file: &str, dur: &str, start: &str| -> (Value, Value) {
        let args = s(&[
            "suggest",
            file,
            "--duration",
            dur,
            "--from",
            "2024-11-06",
            "--to",
            "2024-11-06",
            "--top",
            "1000",
            "--every-start",
        ]);
        let mut rt_args = args.clone();
        rt_args.extend(s(&["--format", "json"]));
        let find = |v: Value| {
            v["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["start_utc"] == start)
                .cloned()
                .unwrap_or_else(|| panic!("no slot {start}"))
        };
        (find(roundtable(&rt_args)), find(oracle(&args)))
    };
    // Kenji, Tokyo (+9), working 18:00-02:00, night 00:00-06:00: 4 h from 21:00 local
    // (12:00Z): 180 inside, 60 in both (= night, -120) => 60; in the night => `night`.
    let kenji = one(
        "Asia/Tokyo",
        "working_hours = \"18:00-02:00\"\nnight = \"00:00-06:00\"",
    );
    let (rt, or) = score_at(&kenji, "4h", "2024-11-06T12:00:00Z");
    assert_eq!(rt["score"], 60, "{rt}");
    assert_eq!(rt["night"], 1, "{rt}");
    assert_eq!(rt, or);
    // Ines, Singapore (+8), working all day, night 02:00-05:00: 3 h from 01:00 local
    // (17:00Z, the local date is Thursday): 60 - 2 * 120 = -180.
    let ines = one(
        "Asia/Singapore",
        "working_hours = \"00:00-24:00\"\nnight = \"02:00-05:00\"",
    );
    let (rt, or) = score_at(&ines, "3h", "2024-11-06T17:00:00Z");
    assert_eq!(rt["score"], -180, "{rt}");
    assert_eq!(rt, or);
    // Kathmandu (+05:45), defaults: 2 h from 18:45 local (13:00Z): 75 inside, 45 outside.
    let ktm = one("Asia/Kathmandu", "");
    let (rt, or) = score_at(&ktm, "2h", "2024-11-06T13:00:00Z");
    assert_eq!(rt["score"], 75, "{rt}");
    assert_eq!(rt["partial"], 1, "{rt}");
    assert_eq!(
        rt["outside_participants"],
        serde_json::json!(["p@example.org"])
    );
    assert_eq!(rt, or);
    // Chatham (+13:45): 2 h from 23:00Z Wednesday = 12:45 Thursday local: 120, inside.
    let cht = one("Pacific/Chatham", "");
    let (rt, or) = score_at(&cht, "2h", "2024-11-06T23:00:00Z");
    assert_eq!(rt["score"], 120, "{rt}");
    assert_eq!(rt["inside"], 1, "{rt}");
    assert_eq!(rt, or);
    // Weekend: Auckland (+13), 1 h from 11:00Z Wednesday... is Thursday 00:00 local (night,
    // -120); a Saturday start: see the weekend fixture.
    let akl = one("Pacific/Auckland", "");
    let (rt, or) = score_at(&akl, "1h", "2024-11-06T11:00:00Z");
    assert_eq!(rt["score"], -120, "{rt}");
    assert_eq!(rt, or);

    // Fixture (c) at 10:00 Cairo, Friday 15 November (08:00Z), 1 hour: total 0.
    let f = fixture("weekend.toml");
    let args = s(&[
        "suggest",
        &f,
        "--duration",
        "1h",
        "--from",
        "2024-11-15",
        "--to",
        "2024-11-15",
        "--step",
        "1h",
        "--top",
        "1000",
        "--every-start",
        "--format",
        "json",
    ]);
    let v = roundtable(&args);
    let slot = v["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["start_utc"] == "2024-11-15T08:00:00Z")
        .expect("08:00Z")
        .clone();
    assert_eq!(slot["score"], 0, "{slot}");
    assert_eq!(slot["inside"], 13, "{slot}");
    assert_eq!(slot["partial"], 1, "{slot}");
    assert_eq!(slot["night"], 2, "{slot}");
    assert_eq!(
        slot["outside_participants"],
        serde_json::json!(["aroha@example.org"])
    );
}

#[test]
fn split_is_deterministic() {
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        ("east-west.toml", "2024-11-14", "2", "4h", "15m"),
        ("world.toml", "2024-11-15", "3", "3h", "15m"),
        ("weekend.toml", "2024-11-15", "2", "2h", "15m"),
        ("custom-hours.toml", "2024-11-03", "3", "3h", "15m"),
        ("world.toml", "2024-11-15", "auto", "4h", "1h"),
    ];
    for &(file, date, k, dur, step) in cases {
        for format in ["json", "text", "toml"] {
            let args = s(&[
                "split",
                &fixture(file),
                "--editions",
                k,
                "--duration",
                dur,
                "--date",
                date,
                "--step",
                step,
                "--format",
                format,
            ]);
            let a = roundtable_raw(&args);
            let b = roundtable_raw(&args);
            assert_eq!(
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&b),
                "two runs differ: roundtable {}",
                show(&args)
            );
        }
    }
}

/// (file, date, duration, step, duration in minutes, audience)
type AutoCase = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u64,
    &'static [&'static str],
);

/// `--editions auto`: K is the smallest number of editions whose next edition would add less
/// than 5% of (participants x duration in minutes); every earlier gain was at least that.
#[test]
fn editions_auto() {
    let cases: &[AutoCase] = &[
        ("east-west.toml", "2024-11-14", "4h", "15m", 240, &[]),
        ("east-west.toml", "2024-11-14", "10h", "1h", 600, &[]),
        ("world.toml", "2024-11-15", "4h", "1h", 240, &[]),
        ("world.toml", "2024-11-15", "8h", "1h", 480, &[]),
        ("world.toml", "2024-11-15", "2h", "30m", 120, &["apac"]),
        ("weekend.toml", "2024-11-15", "5h", "1h", 300, &[]),
        ("custom-hours.toml", "2024-11-03", "3h", "1h", 180, &[]),
        (
            "custom-hours.toml",
            "2024-11-03",
            "6h",
            "30m",
            360,
            &["day"],
        ),
    ];
    for &(file, date, dur, step, minutes, aud) in cases {
        let mut common = s(&[
            "split",
            &fixture(file),
            "--duration",
            dur,
            "--date",
            date,
            "--step",
            step,
        ]);
        for g in aud {
            common.extend(s(&["--audience", g]));
        }
        let mut a = common.clone();
        a.extend(s(&["--editions", "auto", "--format", "json"]));
        let got = roundtable(&a);
        let k = got["editions"].as_array().unwrap().len();
        let participants: usize = got["editions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["participants"].as_array().unwrap().len())
            .sum();
        let threshold = 0.05 * (participants as f64) * (minutes as f64);
        assert!((1..=6).contains(&k), "roundtable {}: K = {k}", show(&a));
        let mut totals = Vec::new();
        for j in 1..=(k + 1).min(6) {
            let mut o = common.clone();
            o.extend(s(&["--editions", &j.to_string()]));
            totals.push(oracle(&o)["total_score"].as_i64().unwrap() as f64);
        }
        for j in 2..=k {
            let gain = totals[j - 1] - totals[j - 2];
            assert!(
                gain >= threshold,
                "roundtable {}: K = {k}, but edition {j} gained only {gain} < {threshold} \
                 (optimal totals {totals:?})",
                show(&a)
            );
        }
        if k < 6 {
            let gain = totals[k] - totals[k - 1];
            assert!(
                gain < threshold,
                "roundtable {}: K = {k}, but edition {} would gain {gain} >= {threshold} \
                 (optimal totals {totals:?})",
                show(&a),
                k + 1
            );
        }
        assert_eq!(
            got["total_score"].as_i64().unwrap() as f64,
            totals[k - 1],
            "roundtable {}: not the optimum for K = {k}",
            show(&a)
        );
        let mut o = common.clone();
        o.extend(s(&["--editions", "auto"]));
        let oa = oracle(&o);
        assert_eq!(
            oa["editions_auto"],
            k,
            "roundtable {}: oracle {oa}",
            show(&a)
        );
    }
}

/// (file, date, editions, duration, step, audience)
type FormatCase = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// Text renders; TOML parses, and its [[group]] and [[session]] tables put every participant
/// of the audience in exactly one edition, at the editions' times.
#[test]
fn text_and_toml_formats() {
    let cases: &[FormatCase] = &[
        ("east-west.toml", "2024-11-14", "2", "4h", "15m", &[]),
        ("east-west.toml", "2024-11-14", "auto", "4h", "15m", &[]),
        ("world.toml", "2024-11-15", "3", "3h", "15m", &[]),
        ("world.toml", "2024-11-15", "2", "4h", "15m", &["apac"]),
        ("weekend.toml", "2024-11-15", "2", "2h", "15m", &[]),
        ("custom-hours.toml", "2024-11-03", "3", "3h", "15m", &[]),
        ("custom-hours.toml", "2024-11-03", "1", "90m", "15m", &[]),
    ];
    for &(file, date, k, dur, step, aud) in cases {
        let path = fixture(file);
        let mut common = s(&[
            "split",
            &path,
            "--editions",
            k,
            "--duration",
            dur,
            "--date",
            date,
            "--step",
            step,
        ]);
        for g in aud {
            common.extend(s(&["--audience", g]));
        }
        let with = |f: &str| {
            let mut a = common.clone();
            a.extend(s(&["--format", f]));
            a
        };
        let json = roundtable(&with("json"));
        let editions = json["editions"].as_array().unwrap();
        let everyone: BTreeSet<String> = editions
            .iter()
            .flat_map(|e| e["participants"].as_array().unwrap().iter())
            .map(|x| x.as_str().unwrap().to_string())
            .collect();

        let text = String::from_utf8(roundtable_raw(&with("text"))).unwrap();
        assert!(
            !text.trim().is_empty(),
            "empty text: {}",
            show(&with("text"))
        );
        assert!(
            text.contains(&json["total_score"].to_string()),
            "text does not show the total {}: {text}",
            json["total_score"]
        );

        let toml_args = with("toml");
        let out = String::from_utf8(roundtable_raw(&toml_args)).unwrap();
        let doc: toml::Table = toml::from_str(&out)
            .unwrap_or_else(|e| panic!("roundtable {}: not TOML: {e}\n{out}", show(&toml_args)));
        let groups = doc
            .get("group")
            .and_then(|g| g.as_array())
            .unwrap_or_else(|| panic!("no [[group]] in:\n{out}"));
        let sessions = doc
            .get("session")
            .and_then(|g| g.as_array())
            .unwrap_or_else(|| panic!("no [[session]] in:\n{out}"));
        assert_eq!(groups.len(), editions.len(), "{out}");
        assert_eq!(sessions.len(), editions.len(), "{out}");
        let mut count: BTreeMap<String, usize> = BTreeMap::new();
        let mut members_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for g in groups {
            let id = g["id"].as_str().expect("group id").to_string();
            assert!(g.get("title").is_some(), "group without title: {out}");
            let members: BTreeSet<String> = g["members"]
                .as_array()
                .expect("members")
                .iter()
                .map(|m| m.as_str().unwrap().to_string())
                .collect();
            for m in &members {
                *count.entry(m.clone()).or_default() += 1;
            }
            members_of.insert(id, members);
        }
        for m in &everyone {
            assert_eq!(
                count.get(m),
                Some(&1),
                "{m} in {:?} groups: {out}",
                count.get(m)
            );
        }
        assert_eq!(
            count.keys().cloned().collect::<BTreeSet<_>>(),
            everyone,
            "members are not the audience: {out}"
        );
        // each session: its audience is one of these groups; its start is an edition's start
        let prog: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let zone_name = prog["programme"]["timezone"].as_str().unwrap();
        let zone: chrono_tz::Tz = zone_name.parse().unwrap();
        let mut seen = BTreeSet::new();
        for sess in sessions {
            assert!(
                sess.get("id").is_some() && sess.get("title").is_some(),
                "{out}"
            );
            let aud = sess["audience"].as_array().expect("audience list");
            assert_eq!(aud.len(), 1, "{out}");
            let gid = aud[0].as_str().unwrap();
            let members = members_of
                .get(gid)
                .unwrap_or_else(|| panic!("{gid}: {out}"));
            let tz: chrono_tz::Tz = match sess.get("timezone") {
                Some(t) => t.as_str().unwrap().parse().unwrap(),
                None => zone,
            };
            let civil =
                NaiveDateTime::parse_from_str(sess["start"].as_str().unwrap(), "%Y-%m-%dT%H:%M")
                    .or_else(|_| {
                        NaiveDateTime::parse_from_str(
                            sess["start"].as_str().unwrap(),
                            "%Y-%m-%dT%H:%M:%S",
                        )
                    })
                    .unwrap();
            let starts: Vec<DateTime<Utc>> = tz
                .from_local_datetime(&civil)
                .earliest()
                .into_iter()
                .chain(tz.from_local_datetime(&civil).latest())
                .map(|d| d.with_timezone(&Utc))
                .collect();
            let ed = editions
                .iter()
                .find(|e| {
                    let t = utc(e["start_utc"].as_str().unwrap());
                    starts.contains(&t)
                })
                .unwrap_or_else(|| panic!("session {sess} is at no edition's time: {json}"));
            let want: BTreeSet<String> = ed["participants"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            assert_eq!(members, &want, "session {sess}: {out}");
            assert!(seen.insert(ed["start_utc"].to_string()), "{out}");
        }
    }
}

// ------------------------------------------------------------------ commitments (issue 17)
//
// tests/data/plan/commitments.toml, on Wed 13 Nov 2024 (Madrid UTC+1), 1-hour sessions,
// 15-minute steps. By hand:
// * east-edition 09:00-11:00Z (Núria, Amina, Kenji) blocks starts 08:15..10:45Z;
//   Amina's busy 13:00-14:00Z blocks 12:15..13:45Z; Ana's busy 14:30-15:30Z blocks
//   13:45..15:15Z; west-edition 16:00-18:00Z (Ana, Ben) blocks 15:15..17:45Z.
//   Blocked: 11 + 23 = 34 of the day's 96 starts.
// * Núria (required, hours 09:00-18:00 Madrid = 08:00-17:00Z) fits starts 08:00..16:00Z.
// * Free and fitting: 08:00Z and 11:00..12:00Z.
//   11:00Z: Núria 12-13 +60, Amina 12-13 +60, Ana 08-09 +60, Kenji 20-21 0, Ben 06-07 0 = 180,
//   and the same at every start to 12:00Z (Kenji ends by 22:00, Ben starts after 06:00).
//   08:00Z: Núria, Amina, Kenji (17-18) +60 each; Ana 05-06 and Ben 03-04 in the night
//   -120 each = -60.

/// roundtable's JSON and exit code (0 or 1: a compromise exits 1).
fn roundtable_json_status(args: &[String]) -> (Value, i32) {
    let out = Command::cargo_bin("roundtable")
        .expect("binary")
        .args(args)
        .args(["--format", "json"])
        .env_remove("TZ")
        .output()
        .expect("run roundtable");
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "roundtable {} failed ({}): {}",
        show(args),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("roundtable {}: not JSON ({e})", show(args)));
    (v, code)
}

fn commitments(args: &[&str]) -> Vec<String> {
    let mut a = s(&[args[0], &fixture("commitments.toml")]);
    a.extend(s(&args[1..]));
    a
}

#[test]
fn commitments_by_hand() {
    let args = commitments(&[
        "suggest",
        "--duration",
        "1h",
        "--from",
        "2024-11-13",
        "--to",
        "2024-11-13",
    ]);
    let (v, code) = roundtable_json_status(&args);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["outcome"], "satisfied");
    assert_eq!(v["passed_over"], 34);
    let list = v["suggestions"].as_array().unwrap();
    let got: Vec<(&str, &str, i64)> = list
        .iter()
        .map(|x| {
            (
                x["start_utc"].as_str().unwrap(),
                x["same_until_utc"].as_str().unwrap(),
                x["score"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("2024-11-13T11:00:00Z", "2024-11-13T12:00:00Z", 180),
            ("2024-11-13T08:00:00Z", "2024-11-13T08:00:00Z", -60),
        ]
    );
    // Nothing proposed overlaps an existing session of the audience or a busy event.
    for x in list {
        assert_eq!(x["unavailable"], 0, "{x}");
    }
    // The night is named with local times.
    let night: Vec<(&str, &str)> = list[1]["outside"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["participant"].as_str().unwrap(),
                o["start_local"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        night,
        [
            ("ana@example.org", "2024-11-13T05:00:00-03:00"),
            ("ben@example.org", "2024-11-13T03:00:00-05:00"),
        ]
    );
}

#[test]
fn commitments_against_the_oracle() {
    let cases: Vec<Vec<String>> = vec![
        commitments(&[
            "suggest",
            "--duration",
            "1h",
            "--from",
            "2024-11-13",
            "--to",
            "2024-11-13",
        ]),
        commitments(&[
            "suggest",
            "--duration",
            "1h",
            "--from",
            "2024-11-13",
            "--to",
            "2024-11-13",
            "--allow-overlap",
            "--top",
            "8",
        ]),
        commitments(&[
            "suggest",
            "--duration",
            "2h",
            "--from",
            "2024-11-12",
            "--to",
            "2024-11-14",
            "--session",
            "east-edition",
            "--top",
            "6",
        ]),
        commitments(&[
            "suggest",
            "--duration",
            "1h",
            "--from",
            "2024-11-13",
            "--to",
            "2024-11-13",
            "--required",
            "west",
            "--allow-overlap",
        ]),
        commitments(&[
            "suggest",
            "--duration",
            "90m",
            "--from",
            "2024-11-13",
            "--to",
            "2024-11-13",
            "--audience",
            "west",
            "--every-start",
            "--top",
            "20",
        ]),
        commitments(&[
            "split",
            "--editions",
            "2",
            "--duration",
            "1h",
            "--date",
            "2024-11-13",
        ]),
        commitments(&[
            "split",
            "--editions",
            "2",
            "--duration",
            "1h",
            "--date",
            "2024-11-13",
            "--allow-overlap",
        ]),
        commitments(&[
            "split",
            "--editions",
            "3",
            "--duration",
            "2h",
            "--date",
            "2024-11-13",
            "--allow-overlap",
            "--required",
            "west",
        ]),
        commitments(&[
            "split",
            "--editions",
            "2",
            "--duration",
            "2h",
            "--date",
            "2024-11-13",
            "--session",
            "east-edition",
            "--step",
            "30m",
        ]),
    ];
    let mut failures = Vec::new();
    for args in &cases {
        let (got, _) = roundtable_json_status(args);
        let want = oracle(args);
        if got != want {
            failures.push(format!(
                "roundtable {}\n  roundtable: {got}\n  oracle:     {want}",
                show(args)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from the oracle:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn commitments_required_compromise_and_no_free_start() {
    // Ben required too: New York 08:00-20:00 is 13:00-01:00Z, Núria 08:00-17:00Z; a 1-hour
    // start fits both at 13:00..16:00Z, all blocked (Amina's and Ana's busy hours, the west
    // edition): the proposals are a compromise and the exit is 1.
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string(fixture("commitments.toml")).unwrap();
    std::fs::create_dir(dir.path().join("busy")).unwrap();
    for f in ["amina.ics", "ana.ics"] {
        std::fs::copy(
            root().join("tests/data/plan/busy").join(f),
            dir.path().join("busy").join(f),
        )
        .unwrap();
    }
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        src.replace(
            "email = \"ben@example.org\"",
            "email = \"ben@example.org\"\nrequired = true",
        ),
    )
    .unwrap();
    let f = file.to_string_lossy().into_owned();
    let args = s(&[
        "suggest",
        &f,
        "--duration",
        "1h",
        "--from",
        "2024-11-13",
        "--to",
        "2024-11-13",
    ]);
    let (v, code) = roundtable_json_status(&args);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["outcome"], "required_compromise", "{v}");
    assert_eq!(v, oracle(&args));
    // 12-hour sessions every 12 hours: 23:00Z-11:00Z meets the east edition, 11:00Z-23:00Z
    // Amina's busy hour and the west edition: no start is free for everyone.
    let args = s(&[
        "suggest",
        &f,
        "--duration",
        "12h",
        "--step",
        "12h",
        "--from",
        "2024-11-13",
        "--to",
        "2024-11-13",
    ]);
    let (v, code) = roundtable_json_status(&args);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["outcome"], "no_free_start", "{v}");
    assert_eq!(v["suggestions"].as_array().unwrap().len(), 0);
}

// ------------------------------------------------------------ the seeds' hemisphere example
//
// sessions/peer-learning-2023-11.toml: the peer learning split into an Eastern- and a
// Western-Hemisphere edition; the organizer staff are the `hosts` group, `required = true`.

fn peer_learning() -> String {
    root()
        .join("sessions/peer-learning-2023-11.toml")
        .to_string_lossy()
        .into_owned()
}

/// `(start, end)` of every occurrence attended by `email`, from `roundtable times` (checked
/// against Python's zoneinfo in tests/it/oracle.rs), not from the planner.
fn attended(file: &str, email: &str) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let v = roundtable(&s(&[
        "times",
        file,
        "--format",
        "json",
        "--participant",
        email,
    ]));
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let t = |k: &str| {
                DateTime::parse_from_rfc3339(r[k].as_str().unwrap())
                    .unwrap()
                    .with_timezone(&Utc)
            };
            (t("start_utc"), t("end_utc"))
        })
        .collect()
}

#[test]
fn hemisphere_split_keeps_a_host_in_every_edition() {
    let file = peer_learning();
    let args = s(&[
        "split",
        &file,
        "--editions",
        "2",
        "--duration",
        "2h",
        "--date",
        "2023-11-16",
    ]);
    let (v, code) = roundtable_json_status(&args);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["required_miss"], 0, "{v}");
    for e in v["editions"].as_array().unwrap() {
        let hosts = e["required"].as_array().unwrap();
        assert_eq!(hosts.len(), 3, "{e}");
        for h in hosts {
            assert_eq!(h["ok"], true, "a host outside their hours: {h}");
            // Madrid and Brussels hours are 08:00-20:00 (Diego 08:00-21:00): by hand from
            // the local times shown.
            let start = &h["start_local"].as_str().unwrap()[11..16];
            let end = &h["end_local"].as_str().unwrap()[11..16];
            assert!(
                ("08:00".."20:01").contains(&start) && ("08:00".."20:01").contains(&end),
                "{h}"
            );
        }
    }
    // The oracle agrees on the whole plan.
    assert_eq!(v, oracle(&args));
    // Presenters from every region required at both editions cannot all be inside their
    // hours: the plan says so (exit 1) and shows the best compromise.
    let mut args = args.clone();
    args.extend(s(&["--required", "presenters"]));
    let (v, code) = roundtable_json_status(&args);
    assert_eq!(code, 1, "{v}");
    assert!(v["required_miss"].as_i64().unwrap() > 0, "{v}");
    let out = Command::cargo_bin("roundtable")
        .unwrap()
        .args(&args)
        .env_remove("TZ")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("Impossible to have every required participant"),
        "{text}"
    );
}

#[test]
fn hemisphere_suggest_never_overlaps_the_audience_sessions() {
    let file = peer_learning();
    for audience in ["east", "west"] {
        let args = s(&[
            "suggest",
            &file,
            "--duration",
            "2h",
            "--from",
            "2023-11-13",
            "--to",
            "2023-11-16",
            "--audience",
            audience,
            "--top",
            "10",
        ]);
        let (v, _) = roundtable_json_status(&args);
        let list = v["suggestions"].as_array().unwrap();
        assert!(!list.is_empty(), "{v}");
        // Everyone in the audience: the inside/partial/night counts cover them all.
        let sample = [
            "nuria.puig@example.org",
            "chiamaka.okafor@example.org",
            "aroha.ngata@example.org",
            "carlos.mendoza@example.org",
        ];
        for email in sample {
            let busy = attended(&file, email);
            for x in list {
                let (a, b) = (
                    utc(x["start_utc"].as_str().unwrap()),
                    utc(x["end_utc"].as_str().unwrap()),
                );
                // Only when they are in this audience does an overlap matter; the
                // proposal lists nobody unavailable.
                assert_eq!(x["unavailable"], 0);
                let in_audience = x["outside"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|o| o["participant"] == email)
                    || x["required"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|o| o["participant"] == email);
                if in_audience {
                    for (s0, s1) in &busy {
                        assert!(
                            !(*s1 > a && *s0 < b),
                            "{audience}: {} overlaps {email}'s session {s0}-{s1}",
                            x["start_utc"]
                        );
                    }
                }
            }
        }
        assert_eq!(v, oracle(&args));
    }
}

#[test]
fn pasted_editions_are_then_avoided() {
    // The organizer's round trip: split, paste the TOML, ask for another slot for edition 1.
    let dir = tempfile::tempdir().unwrap();
    for f in ["peer-learning-2023-11.toml", "peer-learning-2023-11.csv"] {
        std::fs::copy(root().join("sessions").join(f), dir.path().join(f)).unwrap();
    }
    let file = dir.path().join("peer-learning-2023-11.toml");
    let f = file.to_string_lossy().into_owned();
    let toml = roundtable_raw(&s(&[
        "split",
        &f,
        "--editions",
        "2",
        "--duration",
        "2h",
        "--date",
        "2023-11-16",
        "--format",
        "toml",
        "--id-prefix",
        "day-3",
    ]));
    let toml = String::from_utf8(toml).unwrap();
    assert!(
        toml.contains("id = \"day-3-1\"") && toml.contains("id = \"day-3-2\""),
        "{toml}"
    );
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(&toml);
    std::fs::write(&file, text).unwrap();
    // A second paste of the same split gets other ids instead of "used twice".
    let again = String::from_utf8(roundtable_raw(&s(&[
        "split",
        &f,
        "--editions",
        "2",
        "--duration",
        "2h",
        "--date",
        "2023-11-16",
        "--format",
        "toml",
        "--id-prefix",
        "day-3",
    ])))
    .unwrap();
    assert!(again.contains("id = \"day-3-2023-11-16-1\""), "{again}");
    // Edition 1 is now in session at its time: suggest for its audience avoids it.
    let first = attended(&f, "chiamaka.okafor@example.org");
    let v = roundtable(&s(&[
        "suggest",
        &f,
        "--duration",
        "2h",
        "--from",
        "2023-11-16",
        "--to",
        "2023-11-16",
        "--audience",
        "day-3-1",
        "--format",
        "json",
    ]));
    for x in v["suggestions"].as_array().unwrap() {
        let (a, b) = (
            utc(x["start_utc"].as_str().unwrap()),
            utc(x["end_utc"].as_str().unwrap()),
        );
        for (s0, s1) in &first {
            assert!(
                !(*s1 > a && *s0 < b),
                "{} overlaps {s0}-{s1}",
                x["start_utc"]
            );
        }
    }
}

#[test]
fn required_from_the_participants_csv() {
    // Núria (Madrid, hours 09:00-18:00) is required by the CSV; Kenji (Tokyo) is not. A
    // 1-hour suggestion on Wed 13 Nov 2024 must fit Núria: 08:00..16:00Z.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.toml"),
        "[programme]\nid = \"csv-required\"\ntitle = \"T\"\ntimezone = \"Europe/Madrid\"\n\
         organizer = { name = \"O\", email = \"o@example.org\" }\nparticipants = \"people.csv\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("people.csv"),
        "Full name,Email address,Time zone,working_hours,Must attend\n\
         Núria,nuria@example.org,Europe/Madrid,09:00-18:00,Yes\n\
         Kenji,kenji@example.org,Asia/Tokyo,,\n",
    )
    .unwrap();
    let f = dir.path().join("p.toml").to_string_lossy().into_owned();
    let v = roundtable(&s(&[
        "suggest",
        &f,
        "--duration",
        "1h",
        "--from",
        "2024-11-13",
        "--to",
        "2024-11-13",
        "--format",
        "json",
    ]));
    for x in v["suggestions"].as_array().unwrap() {
        let req = x["required"].as_array().unwrap();
        assert_eq!(req.len(), 1, "{x}");
        assert_eq!(req[0]["participant"], "nuria@example.org");
        assert_eq!(req[0]["ok"], true, "{x}");
        let start = utc(x["start_utc"].as_str().unwrap());
        assert!(
            start >= utc("2024-11-13T08:00:00Z") && start <= utc("2024-11-13T16:00:00Z"),
            "{x}"
        );
    }
    // A value that is not yes or no is an error on its line.
    std::fs::write(
        dir.path().join("people.csv"),
        "name,email,timezone,required\nNúria,nuria@example.org,Europe/Madrid,host\n",
    )
    .unwrap();
    let out = Command::cargo_bin("roundtable")
        .unwrap()
        .args(["times", &f])
        .env_remove("TZ")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("people.csv:2")
            && err.contains("`host` is not yes or no")
            && err.contains("help: write yes for hosts"),
        "{err}"
    );
}

#[test]
fn only_the_planned_participants_calendars_are_read() {
    // Zed (Tokyo: group east) names a busy calendar that does not exist. Planning for the
    // west (plus Núria, required) never reads it; planning for everyone says it cannot.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("busy")).unwrap();
    for f in ["amina.ics", "ana.ics"] {
        std::fs::copy(
            root().join("tests/data/plan/busy").join(f),
            dir.path().join("busy").join(f),
        )
        .unwrap();
    }
    let src = std::fs::read_to_string(fixture("commitments.toml")).unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        format!(
            "{src}\n[[participant]]\nname = \"Zed\"\nemail = \"zed@example.org\"\ntimezone = \"Asia/Tokyo\"\nbusy = \"busy/missing.ics\"\n"
        ),
    )
    .unwrap();
    let f = file.to_string_lossy().into_owned();
    let stderr = |extra: &[&str]| {
        let out = Command::cargo_bin("roundtable")
            .unwrap()
            .args([
                "suggest",
                &f,
                "--duration",
                "1h",
                "--from",
                "2024-11-13",
                "--to",
                "2024-11-13",
            ])
            .args(extra)
            .env_remove("TZ")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let west = stderr(&["--audience", "west"]);
    assert!(!west.contains("zed@example.org"), "{west}");
    let all = stderr(&[]);
    assert!(
        all.contains("the busy calendar of zed@example.org cannot be read"),
        "{all}"
    );
}
