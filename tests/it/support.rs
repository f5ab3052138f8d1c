//! Helpers every test module shares: where the repository is, the binary with a clean
//! environment, and small file and process utilities.

use std::path::{Path, PathBuf};

/// The calendar-address key the tests run with (`ROUNDTABLE_KEY`).
pub const KEY: &str = "test-calendar-address-key-0123456789abcdef";

/// The `[programme]` table of the small programmes tests write (zone Europe/Paris).
pub const HEAD: &str = "[programme]\nid = \"t\"\ntitle = \"T\"\ntimezone = \"Europe/Paris\"\norganizer = { name = \"O\", email = \"o@example.org\" }\n";

/// The repository's root, where `sessions/` and `tests/data/` are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary as a plain process (for `spawn`), with an environment that cannot leak in from
/// the caller's: TZ, a key file, a fail point and SMTP settings removed; the test key,
/// `SOURCE_DATE_EPOCH` and `NO_COLOR` set.
pub fn roundtable_process() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_roundtable"));
    c.env_remove("TZ")
        .env_remove("ROUNDTABLE_KEY_FILE")
        .env_remove("ROUNDTABLE_FAILPOINT")
        .env_remove("ROUNDTABLE_SMTP_HOST")
        .env_remove("ROUNDTABLE_SMTP_USER")
        .env_remove("ROUNDTABLE_SMTP_PASSWORD")
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("ROUNDTABLE_KEY", KEY);
    c
}

/// [`roundtable_process`] for assertions (`assert_cmd`).
pub fn roundtable() -> assert_cmd::Command {
    assert_cmd::Command::from_std(roundtable_process())
}

/// Writes `text` to `dir/name` and returns that path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

/// Runs `c` and returns its exit code (-1 when killed), stdout and stderr.
pub fn run(c: &mut std::process::Command) -> (i32, String, String) {
    let out = c.output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `c` (an oracle or a client), which must succeed, and returns its stdout; `what` names it
/// in the failure.
pub fn run_ok(cmd: &mut std::process::Command, what: &str) -> Vec<u8> {
    let out = cmd
        .env_remove("TZ")
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e} (see tests/run.sh)"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Copies the regular files and folders under `from` to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("dir") {
        let p = e.expect("entry").path();
        let target = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_dir(&p, &target);
        } else if p.is_file() {
            std::fs::copy(&p, &target).expect("copy");
        }
    }
}

/// The programmes every reader is compared on: `sessions/*.toml` and
/// `tests/data/programmes/*.toml`, sorted.
pub fn programmes() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for dir in ["sessions", "tests/data/programmes"] {
        for e in std::fs::read_dir(root().join(dir)).expect(dir) {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "toml") {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

/// Runs `c`, which must exit 0, and returns its stdout; `what` names it in the failure.
pub fn ok(c: &mut std::process::Command, what: &str) -> String {
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{what} failed\nstdout:\n{out}\nstderr:\n{err}");
    out
}

/// `roundtable check FILE --format json --fail-on never`, which must exit 0, as JSON.
pub fn check_json(file: &Path) -> serde_json::Value {
    let out = roundtable()
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(file)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// Copies `programme` and the files beside it (the CSV it names), but not a lock file, into
/// `dir`, so that a run's lock lands there; returns the copy of the programme.
pub fn copy_programme(programme: &Path, dir: &Path) -> PathBuf {
    let src_dir = programme.parent().expect("parent");
    for e in std::fs::read_dir(src_dir).expect("dir") {
        let p = e.expect("entry").path();
        if p.is_file() && !p.to_string_lossy().ends_with(".lock") {
            std::fs::copy(&p, dir.join(p.file_name().expect("name"))).expect("copy");
        }
    }
    dir.join(programme.file_name().expect("name"))
}

/// Runs the page checker `script` (under `tests/page/`, playwright-core driving Debian's
/// Chromium) with `args` and returns the JSON it prints; fails the test, with its stderr, when it
/// fails.
pub fn page_checker(script: &str, args: &[&std::ffi::OsStr]) -> serde_json::Value {
    let out = std::process::Command::new("node")
        .arg(root().join("tests/page").join(script))
        .args(args)
        .output()
        .expect("node must be installed, with `npm ci` in tests/page and Debian's chromium (see tests/run.sh)");
    assert!(
        out.status.success(),
        "{script} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{script} printed no JSON: {e}"))
}

/// `roundtable invites FILE --out OUT`, which must succeed; returns its summary.
pub fn invites(file: &Path, out: &Path) -> String {
    ok(
        roundtable_process()
            .arg("invites")
            .arg(file)
            .arg("--out")
            .arg(out),
        "roundtable invites",
    )
}

/// `roundtable build FILE --out OUT`, which must succeed; returns its summary.
pub fn build(file: &Path, out: &Path) -> String {
    ok(
        roundtable_process()
            .arg("build")
            .arg(file)
            .arg("--out")
            .arg(out),
        "roundtable build",
    )
}
