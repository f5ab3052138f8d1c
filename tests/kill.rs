//! A run killed at any moment leaves the previous complete output or the new complete one, and a
//! lock file that never claims invites that were not written.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
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
    let mut c = Command::new(env!("CARGO_BIN_EXE_roundtable"));
    c.env(
        "ROUNDTABLE_KEY",
        "test-calendar-address-key-0123456789abcdef",
    );
    c.arg("build")
        .arg(dir.join("programme.toml"))
        .arg("--out")
        .arg(dir.join("out"))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("TZ");
    c
}

#[test]
fn killed_builds_leave_old_or_new_output_and_a_consistent_lock() {
    let root = tempfile::tempdir().expect("tempdir");
    let base = root.path().join("base");
    roundtable::generate::generate(&base, 400, 10, 0, 7).expect("generate");
    // Version A: built completely.
    assert!(build(&base).status().expect("build").success());
    let out_a = snapshot(&base.join("out"));
    let lock_a = std::fs::read(base.join("programme.toml.lock")).expect("lock");
    // Version B: session s0003 moves by an hour; its expected output, built in a copy.
    let programme = std::fs::read_to_string(base.join("programme.toml")).expect("read");
    let start = programme.find("id = \"s0003\"").expect("s0003");
    let line = programme[start..].find("start = \"").expect("start") + start + 20;
    let hour: u32 = programme[line..line + 2].parse().expect("hour");
    let programme_b = format!(
        "{}{:02}{}",
        &programme[..line],
        (hour + 1) % 24,
        &programme[line + 2..]
    );
    let expected = root.path().join("expected");
    copy_dir(&base, &expected);
    std::fs::write(expected.join("programme.toml"), &programme_b).expect("write");
    let started = std::time::Instant::now();
    assert!(build(&expected).status().expect("build").success());
    let took = started.elapsed();
    let out_b = snapshot(&expected.join("out"));
    let lock_b = std::fs::read(expected.join("programme.toml.lock")).expect("lock");
    assert_ne!(out_a, out_b);
    assert_ne!(lock_a, lock_b);

    let (mut saw_old, mut saw_new) = (0, 0);
    let runs = 30u32;
    for i in 0..runs {
        let work = root.path().join(format!("w{i}"));
        copy_dir(&base, &work);
        std::fs::write(work.join("programme.toml"), &programme_b).expect("write");
        let mut child = build(&work)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        // Kill at moments spread over 0–300% of an uninterrupted run's duration (a loaded machine
        // runs slower).
        std::thread::sleep(took.mul_f64(3.0 * f64::from(i) / f64::from(runs)));
        let _ = child.kill();
        let _ = child.wait();
        let out = snapshot(&work.join("out"));
        let lock = std::fs::read(work.join("programme.toml.lock")).expect("lock");
        if out == out_a {
            saw_old += 1;
            assert_eq!(
                lock, lock_a,
                "run {i}: old output with a lock that claims the new one"
            );
        } else if out == out_b {
            saw_new += 1;
            assert!(
                lock == lock_a || lock == lock_b,
                "run {i}: new output with a lock that is neither"
            );
        } else {
            panic!("run {i}: the output folder is neither the old nor the new complete set");
        }
        // A later run converges: the same new output and lock as an uninterrupted one.
        assert!(build(&work).status().expect("build").success());
        assert_eq!(snapshot(&work.join("out")), out_b, "run {i}");
        assert_eq!(
            std::fs::read(work.join("programme.toml.lock")).expect("lock"),
            lock_b,
            "run {i}"
        );
        std::fs::remove_dir_all(&work).expect("clean");
    }
    eprintln!(
        "killed builds: {saw_old} left the old output, {saw_new} the new (uninterrupted: {took:?})"
    );
    assert!(
        saw_new > 0 && saw_old > 0,
        "the kills did not fall both before and after the swap"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("dir") {
        let p = e.expect("entry").path();
        let target = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).expect("copy");
        }
    }
}
