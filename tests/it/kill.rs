//! A run killed at any moment leaves each output folder (public and private) old or new and
//! complete, and a lock file whose SEQUENCE numbers are never below those published: reverting
//! a change after a kill still publishes a higher SEQUENCE. Two runs at once on one output wait
//! for each other. Kills are made at each named step of a run (`ROUNDTABLE_FAILPOINT`, see
//! `roundtable::output::failpoint`) and at random moments.

use crate::support::{copy_dir, roundtable_process};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

type Snapshot = BTreeMap<String, Vec<u8>>;

fn snapshot(dir: &Path) -> Snapshot {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.insert(
                    p.strip_prefix(dir).expect("prefix").display().to_string(),
                    std::fs::read(&p).expect("read"),
                );
            }
        }
    }
    files
}

fn build(dir: &Path) -> Command {
    let mut c = roundtable_process();
    c.arg("build")
        .arg(dir.join("programme.toml"))
        .arg("--out")
        .arg(dir.join("out"))
        .stdout(std::process::Stdio::null());
    c
}

/// Both folders of a build, and its lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    public: Snapshot,
    private: Snapshot,
    lock: String,
}

fn state(dir: &Path) -> State {
    State {
        public: snapshot(&dir.join("out")),
        private: snapshot(&dir.join("out.private")),
        lock: std::fs::read_to_string(dir.join("programme.toml.lock")).unwrap_or_default(),
    }
}

/// UID → SEQUENCE of every event in the calendars of a folder, read line by line here.
fn published(files: &Snapshot) -> BTreeMap<String, u32> {
    let mut out: BTreeMap<String, u32> = BTreeMap::new();
    for (name, bytes) in files {
        if !name.ends_with(".ics") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        // UID and SEQUENCE may come in any order inside a VEVENT: pair them at its end.
        let (mut uid, mut seq) = (None, None);
        for line in text.split("\r\n") {
            if line == "BEGIN:VEVENT" {
                (uid, seq) = (None, None);
            } else if let Some(u) = line.strip_prefix("UID:") {
                uid = Some(u.to_string());
            } else if let Some(s) = line.strip_prefix("SEQUENCE:") {
                seq = Some(s.parse::<u32>().expect("SEQUENCE"));
            } else if line == "END:VEVENT" {
                let (u, s) = (uid.take().expect("UID"), seq.take().expect("SEQUENCE"));
                let e = out.entry(u).or_default();
                *e = (*e).max(s);
            }
        }
    }
    out
}

/// UID → SEQUENCE recorded in a lock file (read with the toml crate).
fn recorded(lock: &str) -> BTreeMap<String, u32> {
    let table: toml::Table = lock.parse().expect("lock is TOML");
    table
        .get("event")
        .and_then(|e| e.as_array())
        .map(|events| {
            events
                .iter()
                .map(|e| {
                    (
                        e["uid"].as_str().expect("uid").to_string(),
                        u32::try_from(e["sequence"].as_integer().expect("sequence")).expect("u32"),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every SEQUENCE published in either folder is recorded in the lock, at least as high.
fn assert_recorded(s: &State, what: &str) {
    let lock = recorded(&s.lock);
    let mut shown = published(&s.public);
    assert!(
        shown.len() >= 10,
        "{what}: no events read from the public folder"
    );
    for (u, q) in published(&s.private) {
        let e = shown.entry(u).or_default();
        *e = (*e).max(q);
    }
    for (uid, seq) in &shown {
        let r = lock.get(uid).copied();
        assert!(
            r.is_some_and(|r| r >= *seq),
            "{what}: {uid} published with SEQUENCE {seq}, the lock records {r:?}"
        );
    }
}

struct Versions {
    root: tempfile::TempDir,
    base: PathBuf,
    programme_a: String,
    programme_b: String,
    a: State,
    b: State,
}

/// Version A built completely; version B (session s0003 an hour later) built in a copy from
/// A's state, uninterrupted.
fn versions() -> Versions {
    let root = tempfile::tempdir().expect("tempdir");
    let base = root.path().join("base");
    roundtable::generate::generate(&base, 400, 10, 0, 7).expect("generate");
    assert!(build(&base).status().expect("build").success());
    let a = state(&base);
    let programme_a = std::fs::read_to_string(base.join("programme.toml")).expect("read");
    let start = programme_a.find("id = \"s0003\"").expect("s0003");
    let line = programme_a[start..].find("start = \"").expect("start") + start + 20;
    let hour: u32 = programme_a[line..line + 2].parse().expect("hour");
    let programme_b = format!(
        "{}{:02}{}",
        &programme_a[..line],
        (hour + 1) % 24,
        &programme_a[line + 2..]
    );
    let expected = root.path().join("expected");
    copy_dir(&base, &expected);
    std::fs::write(expected.join("programme.toml"), &programme_b).expect("write");
    assert!(build(&expected).status().expect("build").success());
    let b = state(&expected);
    assert_ne!(a.public, b.public);
    assert_ne!(a.private, b.private);
    assert_ne!(a.lock, b.lock);
    Versions {
        root,
        base,
        programme_a,
        programme_b,
        a,
        b,
    }
}

/// After a kill: each folder old or new, SEQUENCE recorded; a rerun of B converges on the
/// uninterrupted B; reverting to A then publishes every changed event with a higher SEQUENCE
/// than anything published before.
fn check_after_kill(v: &Versions, work: &Path, what: &str) -> (bool, bool) {
    let s = state(work);
    assert!(
        s.public == v.a.public || s.public == v.b.public,
        "{what}: the public folder is neither the old nor the new complete set"
    );
    assert!(
        s.private == v.a.private || s.private == v.b.private,
        "{what}: the private folder is neither the old nor the new complete set"
    );
    assert_recorded(&s, what);
    let outcome = (s.private == v.b.private, s.public == v.b.public);
    // The dangerous path: revert to A right after the kill.
    let revert = v.root.path().join(format!("{what}-revert"));
    copy_dir(work, &revert);
    std::fs::write(revert.join("programme.toml"), &v.programme_a).expect("write");
    assert!(build(&revert).status().expect("build").success(), "{what}");
    let after = state(&revert);
    assert_recorded(&after, what);
    // What anyone may have seen: both folders.
    let mut before = published(&s.public);
    before.extend(published(&s.private));
    let mut now = published(&after.public);
    now.extend(published(&after.private));
    for (uid, seq) in &before {
        let n = now.get(uid).copied().unwrap_or(0);
        assert!(
            n >= *seq,
            "{what}: {uid} went back from {seq} to {n} after a revert"
        );
        // B's s0003 was published (SEQUENCE 1): its revert is a change and must rise above it.
        if uid.starts_with("s0003.") && *seq > 0 {
            assert!(
                n > *seq,
                "{what}: the reverted {uid} stays at {n}, published {seq}"
            );
        }
    }
    // And a rerun of B converges on the uninterrupted result.
    assert!(build(work).status().expect("build").success(), "{what}");
    assert_eq!(state(work), v.b, "{what}: a rerun does not converge");
    outcome
}

fn fresh_b(v: &Versions, name: &str) -> PathBuf {
    let work = v.root.path().join(name);
    copy_dir(&v.base, &work);
    std::fs::write(work.join("programme.toml"), &v.programme_b).expect("write");
    work
}

/// Each step of a run, killed exactly there, with the outcome the order of steps promises.
#[test]
fn a_kill_at_each_step_leaves_whole_folders_and_sequence_recorded() {
    let v = versions();
    // (step, private is new, public is new)
    for (step, expected) in [
        ("staged", (false, false)),
        ("lock-written", (false, false)),
        ("private-swapped", (true, false)),
        ("private-committed", (true, false)),
        ("public-swapped", (true, true)),
        ("public-committed", (true, true)),
    ] {
        let work = fresh_b(&v, step);
        let status = build(&work)
            .env("ROUNDTABLE_FAILPOINT", step)
            .status()
            .expect("build");
        assert!(
            !status.success(),
            "{step}: the failpoint did not stop the run"
        );
        let after_kill_lock =
            std::fs::read_to_string(work.join("programme.toml.lock")).expect("lock");
        // The promises first (old-or-new folders, SEQUENCE recorded, a revert rises), then the
        // order of steps that keeps them.
        assert_eq!(check_after_kill(&v, &work, step), expected, "{step}");
        if step == "staged" {
            assert!(after_kill_lock == v.a.lock, "staged: nothing recorded yet");
        } else {
            assert!(
                after_kill_lock == v.b.lock,
                "{step}: the lock is written first"
            );
        }
    }
}

/// Kills at moments spread over an uninterrupted run: whatever the moment, the same promises.
#[test]
fn a_kill_at_any_moment_keeps_the_promises() {
    let v = versions();
    let work = fresh_b(&v, "timing");
    let started = std::time::Instant::now();
    assert!(build(&work).status().expect("build").success());
    let took = started.elapsed();
    let runs = 12u32;
    for i in 0..runs {
        let work = fresh_b(&v, &format!("w{i}"));
        let mut child = build(&work).spawn().expect("spawn");
        std::thread::sleep(took.mul_f64(1.5 * f64::from(i) / f64::from(runs)));
        let _ = child.kill();
        let _ = child.wait();
        check_after_kill(&v, &work, &format!("random-{i}"));
    }
}

/// Two builds of 20,000 participants at once on one output folder: the second waits for the
/// first, both succeed, and the folder is whole (before, the second deleted the first's
/// staging folder and thousands of files went missing).
#[test]
fn two_builds_at_once_wait_for_each_other() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("p");
    roundtable::generate::generate(&dir, 20_000, 4, 0, 3).expect("generate");
    let reference = root.path().join("reference");
    copy_dir(&dir, &reference);
    assert!(build(&reference).status().expect("build").success());
    let expected = state(&reference);
    assert_eq!(
        expected
            .public
            .keys()
            .filter(|k| k.starts_with("participants/"))
            .count(),
        20_000
    );
    let first = build(&dir)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let second = build(&dir)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let a = first.wait_with_output().expect("first");
    let b = second.wait_with_output().expect("second");
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    assert_eq!(
        state(&dir),
        expected,
        "two runs at once left another folder"
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    eprintln!("two builds: {said}");
}

/// `--no-wait` fails at once while another run holds the lock; without it the run waits, says
/// so, and finishes once the lock is released.
#[test]
fn no_wait_fails_clearly_and_a_waiting_run_says_so() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("p");
    roundtable::generate::generate(&dir, 20, 2, 0, 1).expect("generate");
    // Another run, played by this test: it holds the output folder's run lock.
    let held = std::fs::File::create(dir.join(".out.roundtable-run")).expect("lock file");
    held.lock().expect("lock");
    let out = build(&dir)
        .arg("--no-wait")
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains(".out.roundtable-run")
            && text.contains("another roundtable run is writing")
            && text.contains("leave out --no-wait"),
        "{text}"
    );
    assert!(!dir.join("out").exists());
    let child = build(&dir)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(500));
    held.unlock().expect("unlock");
    let done = child.wait_with_output().expect("wait");
    assert!(done.status.success());
    assert!(
        String::from_utf8_lossy(&done.stderr).contains("waiting for another roundtable run"),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(dir.join("out/index.html").exists());
}

/// `--out` that is a symbolic link (to a web root): the folder it points to is updated and
/// the link kept.
#[test]
fn a_symlinked_out_updates_its_target() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("p");
    roundtable::generate::generate(&dir, 20, 2, 0, 1).expect("generate");
    let webroot = root.path().join("webroot");
    std::fs::create_dir(&webroot).expect("webroot");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&webroot, dir.join("out")).expect("symlink");
    assert!(build(&dir).status().expect("build").success());
    assert!(
        std::fs::symlink_metadata(dir.join("out"))
            .expect("out")
            .file_type()
            .is_symlink()
    );
    assert!(webroot.join("index.html").exists());
    let first = snapshot(&webroot);
    // A change reaches the web root too.
    let programme = std::fs::read_to_string(dir.join("programme.toml")).expect("read");
    std::fs::write(
        dir.join("programme.toml"),
        programme.replacen("title = \"", "title = \"Changed ", 1),
    )
    .expect("write");
    assert!(build(&dir).status().expect("build").success());
    assert_ne!(snapshot(&webroot), first);
    assert!(
        std::fs::read_to_string(webroot.join("index.html"))
            .expect("page")
            .contains("Changed ")
    );
}

/// A run that fails leaves no staging folder behind.
#[test]
fn a_failed_run_removes_its_staging_folder() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("p");
    roundtable::generate::generate(&dir, 20, 2, 0, 1).expect("generate");
    // The private folder's place is taken by a file: the run fails after staging the public one.
    std::fs::write(dir.join("out.private"), "not a folder").expect("write");
    let out = build(&dir)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("roundtable-new")),
        "{names:?}"
    );
}
