//! `--jobs N` changes how many threads work, never what is written: `build` (calendars, page,
//! reports) and `check` give the same bytes at `--jobs 1` and `--jobs 2` (and 3, more threads
//! than this machine may have cores), on an example programme and on a generated one with busy
//! calendars. The expected side is the single-threaded run, which is the code path the rest of
//! the suite checks against its oracles.

use crate::support::roundtable;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `root`, by path relative to it.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("under root").to_path_buf();
                out.insert(relative, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn assert_same(what: &str, a: &Path, b: &Path) {
    let (x, y) = (tree(a), tree(b));
    let names = |t: &BTreeMap<PathBuf, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&x), names(&y), "{what}: different files");
    for (path, bytes) in &x {
        assert!(
            bytes == &y[path],
            "{what}: {} differs between {} and {}",
            path.display(),
            a.display(),
            b.display()
        );
    }
    assert!(x.len() > 2, "{what}: nothing was written");
}

/// `build` of `programme` at each number of jobs, into folders under `work`; each output is
/// compared with the first. The lock file is removed before each run so that every run is a
/// first run.
fn build_at(programme: &Path, work: &Path, jobs: &[usize]) {
    let lock = programme.with_extension("toml.lock");
    let mut first: Option<PathBuf> = None;
    for &n in jobs {
        let _ = std::fs::remove_file(&lock);
        let out = work.join(format!("out-{n}"));
        roundtable()
            .arg("build")
            .arg(programme)
            .arg("--out")
            .arg(&out)
            .args(["--fail-on", "never", "--jobs", &n.to_string()])
            .assert()
            .success();
        match &first {
            None => first = Some(out),
            Some(one) => {
                let what = format!("{} --jobs {n}", programme.display());
                assert_same(&what, one, &out);
                assert_same(
                    &format!("{what} (private)"),
                    &one.with_file_name(format!("out-{}.private", jobs[0])),
                    &out.with_file_name(format!("out-{n}.private")),
                );
            }
        }
    }
}

fn check_json(programme: &Path, jobs: usize) -> Vec<u8> {
    roundtable()
        .arg("check")
        .arg(programme)
        .args(["--format", "json", "--fail-on", "never", "--jobs"])
        .arg(jobs.to_string())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

#[test]
fn an_example_builds_the_same_at_one_and_two_jobs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions");
    for name in [
        "city-diplomacy-training-2023-12.toml",
        "city-diplomacy-training-2023-12.csv",
    ] {
        std::fs::copy(examples.join(name), dir.path().join(name)).expect("copy example");
    }
    let programme = dir.path().join("city-diplomacy-training-2023-12.toml");
    build_at(&programme, dir.path(), &[1, 2, 3]);
}

#[test]
fn a_generated_programme_builds_and_checks_the_same_at_one_and_two_jobs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("programme");
    // Enough participants for many chunks of work (256 participants each), with busy
    // calendars for the check.
    roundtable::generate::generate(&source, 2_000, 10, 5, 3).expect("generate");
    let programme = source.join("programme.toml");
    build_at(&programme, dir.path(), &[1, 2, 3]);
    let one = check_json(&programme, 1);
    assert!(one.len() > 1000, "the check found nothing to compare");
    assert!(one == check_json(&programme, 2), "check --jobs 2 differs");
}

#[test]
fn zero_jobs_is_refused_with_a_fix() {
    let dir = tempfile::tempdir().expect("tempdir");
    roundtable()
        .args(["invites", "programme.toml", "--jobs", "0", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--jobs 2"));
}
