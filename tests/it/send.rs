//! `roundtable send` against a real SMTP server started by the test (Python's aiosmtpd,
//! tests/mail/smtp_server.py). Every message the server receives is read back by Python's own
//! MIME parser and its calendar by Python's icalendar (tests/mail/read_eml.py); what ought to
//! be sent is read by the same script from the published invitations (the private folder's
//! sessions/*.ics), never from roundtable's own mail code. Needs `pip install -r
//! tests/mail/requirements.txt` (tests/run.sh does it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{ok, root, roundtable_process, run};
use serde_json::Value;

/// A copy of the largest example (programme, participants) in `dir`.
fn example(dir: &Path) -> PathBuf {
    for f in ["peer-learning-2023-11.toml", "peer-learning-2023-11.csv"] {
        std::fs::copy(root().join("sessions").join(f), dir.join(f)).expect("copy");
    }
    dir.join("peer-learning-2023-11.toml")
}

fn invites(file: &Path, dir: &Path) {
    crate::support::invites(file, &dir.join("out"));
}

/// `roundtable send FILE --out DIR/out` with `args`, through `server` when given.
fn send(file: &Path, dir: &Path, server: Option<&Server>, args: &[&str]) -> Command {
    let mut c = roundtable_process();
    c.arg("send")
        .arg(file)
        .arg("--out")
        .arg(dir.join("out"))
        .args(args);
    if let Some(s) = server {
        c.env("ROUNDTABLE_SMTP_HOST", "127.0.0.1")
            .env("ROUNDTABLE_SMTP_PORT", s.port.to_string())
            .env("ROUNDTABLE_SMTP_TLS", "none")
            .args(["--send", "--rate", "0", "--retry-wait-ms", "20"]);
    }
    c
}

struct Server {
    child: Child,
    inbox: PathBuf,
    port: u16,
}

impl Server {
    fn start(dir: &Path, fails: &[&str]) -> Server {
        let inbox = dir.join("inbox");
        let port_file = dir.join("smtp.port");
        let mut c = Command::new("python3");
        c.arg(root().join("tests/mail/smtp_server.py"))
            .arg("--dir")
            .arg(&inbox)
            .arg("--port-file")
            .arg(&port_file)
            .stdout(Stdio::null());
        for f in fails {
            c.arg("--fail").arg(f);
        }
        let mut child = c.spawn().expect("python3 tests/mail/smtp_server.py");
        let started = Instant::now();
        let port = loop {
            if let Ok(p) = std::fs::read_to_string(&port_file) {
                break p.trim().parse::<u16>().expect("port");
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "smtp_server.py exited ({status}); install its packages: python3 -m pip install -r tests/mail/requirements.txt"
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "smtp_server.py did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        Server { child, inbox, port }
    }

    /// The messages received so far, in order of arrival.
    fn messages(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(&self.inbox)
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python_json(args: &[PathBuf], extra: &[&str]) -> Value {
    let mut c = Command::new("python3");
    c.arg(root().join("tests/mail/read_eml.py"))
        .args(extra)
        .args(args);
    serde_json::from_str(&ok(&mut c, "read_eml.py")).expect("JSON")
}

/// Every message read by Python: `email` and `icalendar`.
fn read_eml(files: &[PathBuf]) -> Vec<Value> {
    let v = python_json(files, &[]);
    let list = v.as_array().expect("list").clone();
    for m in &list {
        assert_eq!(
            m["problems"].as_array().map(Vec::len),
            Some(0),
            "{}",
            serde_json::to_string_pretty(m).unwrap_or_default()
        );
    }
    list
}

type Key = (String, u64, String, String);

fn key(m: &Value) -> Key {
    (
        m["uid"].as_str().expect("uid").to_string(),
        m["sequence"].as_u64().expect("sequence"),
        m["method"].as_str().expect("method").to_string(),
        m["to"].as_str().expect("to").to_string(),
    )
}

/// (UID, SEQUENCE, METHOD, attendee) of every published invitation of the private folder.
fn published(dir: &Path) -> BTreeSet<Key> {
    let sessions = dir.join("out.private/sessions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&sessions)
        .expect("sessions/")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    python_json(&files, &["--ics"])
        .as_array()
        .expect("list")
        .iter()
        .map(|r| {
            (
                r[0].as_str().expect("uid").to_string(),
                r[1].as_u64().expect("seq"),
                r[2].as_str().expect("method").to_string(),
                r[3].as_str().expect("email").to_string(),
            )
        })
        .collect()
}

fn eml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("eml dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    v.sort();
    v
}

fn keys(messages: &[Value]) -> BTreeMap<Key, usize> {
    let mut m = BTreeMap::new();
    for k in messages.iter().map(key) {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

/// The Message-ID header of a received message (the test's own reading of one header line).
fn message_id(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("eml");
    text.lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix("Message-ID: "))
        .expect("Message-ID")
        .trim()
        .to_string()
}

fn journal_ids(dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(dir.join("out.private/mail/journal.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|v| v["message_id"].as_str().expect("id").to_string())
        .collect()
}

/// Expected local start per (session title prefix is not needed) participant and UID: from
/// `roundtable times --format json`, whose times are checked against independent tools in
/// tests/it/oracle.rs.
fn local_starts(file: &Path) -> BTreeMap<(String, String), String> {
    let json: Value = serde_json::from_str(&ok(
        roundtable_process()
            .arg("times")
            .arg(file)
            .args(["--format", "json"]),
        "times",
    ))
    .expect("json");
    let mut out = BTreeMap::new();
    for r in json["rows"].as_array().expect("rows") {
        let key = (
            r["session"].as_str().expect("s").to_string(),
            r["participant"].as_str().expect("p").to_lowercase(),
        );
        out.entry(key)
            .or_insert_with(|| r["start_local"].as_str().expect("l").to_string());
    }
    out
}

#[test]
fn largest_example_dry_run_server_rerun_change_and_removal() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let file = example(dir);
    invites(&file, dir);
    let expected = published(dir);
    assert_eq!(expected.len(), 172 + 129 + 48 + 13, "published invitations");

    // Dry run: one .eml per attendee and event, nothing sent.
    let out = ok(
        &mut send(&file, dir, None, &["--dry-run"]),
        "send --dry-run",
    );
    assert!(out.contains("dry run: wrote 362 message(s)"), "{out}");
    let outbox = dir.join("out.private/mail/outbox");
    let dry_files = eml_files(&outbox);
    assert_eq!(dry_files.len(), 362);
    let dry = read_eml(&dry_files);
    let dry_keys = keys(&dry);
    assert!(dry_keys.values().all(|&n| n == 1), "one message per key");
    assert_eq!(
        dry_keys.keys().cloned().collect::<BTreeSet<_>>(),
        expected,
        "the dry run's messages are the published invitations, one per attendee"
    );
    // The text opens with the attendee's own local time; From is the organizer.
    let starts = local_starts(&file);
    for m in &dry {
        let uid = m["uid"].as_str().expect("uid");
        let session = uid.split('.').next().expect("session");
        let local = &starts[&(
            session.to_string(),
            m["to"].as_str().expect("to").to_string(),
        )];
        // "2023-11-14T10:00:00-03:00" → "14 Nov 2023, 10:00"
        let t = chrono::DateTime::parse_from_rfc3339(local).expect("rfc3339");
        let want = format!("Your time: {}", t.format("%a %d %b %Y, %H:%M"));
        let first = m["text_first_line"].as_str().expect("text");
        assert!(
            first.starts_with(&want),
            "{first} does not start with {want}"
        );
        assert_eq!(m["from"], "learning@example.org");
        assert_eq!(m["status"], "CONFIRMED");
    }
    // Non-ASCII names survive RFC 2047 encoding.
    assert!(dry.iter().any(
        |m| m["to_name"] == "Santiago Fernández" && m["attendee_cn"][0] == "Santiago Fernández"
    ));
    // A second dry run writes the same bytes (stable Message-IDs and boundaries).
    let before: Vec<Vec<u8>> = dry_files
        .iter()
        .map(|p| std::fs::read(p).expect("r"))
        .collect();
    ok(&mut send(&file, dir, None, &[]), "send (dry by default)");
    let again: Vec<Vec<u8>> = eml_files(&outbox)
        .iter()
        .map(|p| std::fs::read(p).expect("r"))
        .collect();
    assert!(before == again, "dry runs differ");
    assert!(!dir.join("out.private/mail/journal.jsonl").exists());

    // The real server receives the same set, byte for byte.
    let server = Server::start(dir, &[]);
    let out = ok(&mut send(&file, dir, Some(&server), &[]), "send --send");
    assert!(out.contains("sent 362 message(s)"), "{out}");
    let received_files = server.messages();
    let mut received_bytes: Vec<Vec<u8>> = received_files
        .iter()
        .map(|p| std::fs::read(p).expect("r"))
        .collect();
    received_bytes.sort();
    let mut dry_bytes = before.clone();
    dry_bytes.sort();
    assert!(
        received_bytes == dry_bytes,
        "the server received other bytes than the dry run wrote"
    );
    let received = read_eml(&received_files);
    assert_eq!(keys(&received), dry_keys);
    // Envelope: the attendee alone; the sender the organizer.
    for (p, m) in received_files.iter().zip(&received) {
        let env: Value = serde_json::from_str(
            &std::fs::read_to_string(p.with_extension("json")).expect("envelope"),
        )
        .expect("json");
        assert_eq!(env["rcpt_tos"], serde_json::json!([m["to"]]));
        assert_eq!(env["mail_from"], "learning@example.org");
    }

    // Running again sends nothing.
    let out = ok(&mut send(&file, dir, Some(&server), &[]), "send again");
    assert!(out.contains("nothing to send"), "{out}");
    assert_eq!(server.messages().len(), 362);

    // Changing one session sends exactly its attendees a REQUEST with the new SEQUENCE.
    let toml = std::fs::read_to_string(&file).expect("toml");
    let changed = toml.replacen(
        "start = \"2023-11-15T16:00\"",
        "start = \"2023-11-15T16:30\"",
        1,
    );
    assert_ne!(toml, changed);
    std::fs::write(&file, changed).expect("write");
    // Not yet published: send refuses.
    let (code, _, err) = run(&mut send(&file, dir, Some(&server), &[]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not yet published"), "{err}");
    invites(&file, dir);
    let out = ok(
        &mut send(&file, dir, Some(&server), &[]),
        "send after change",
    );
    assert!(out.contains("sent 48 message(s)"), "{out}");
    let all = server.messages();
    let new = read_eml(&all[362..]);
    let west: BTreeSet<String> = expected
        .iter()
        .filter(|k| k.0.starts_with("day-2-west."))
        .map(|k| k.3.clone())
        .collect();
    assert_eq!(west.len(), 48);
    assert_eq!(
        new.iter()
            .map(|m| m["to"].as_str().expect("to").to_string())
            .collect::<BTreeSet<_>>(),
        west
    );
    for m in &new {
        assert_eq!(m["method"], "REQUEST");
        assert_eq!(m["sequence"], 1);
        assert_eq!(m["uid"], "day-2-west.peer-learning-2023-11@example.org");
        assert!(
            m["subject"]
                .as_str()
                .expect("s")
                .starts_with("Updated invitation:")
        );
    }

    // Removing a participant sends them a CANCEL for every event they had (and the other
    // attendees of those events the new SEQUENCE: the attendee list is part of the lock's hash).
    let gone = "babatunde.adeyemi@example.org";
    let csv_path = dir.join("peer-learning-2023-11.csv");
    let csv = std::fs::read_to_string(&csv_path).expect("csv");
    let fewer: String = csv
        .lines()
        .filter(|l| !l.contains(gone))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(fewer.lines().count() + 1, csv.lines().count());
    std::fs::write(&csv_path, fewer).expect("write");
    invites(&file, dir);
    let had: BTreeSet<String> = expected
        .iter()
        .filter(|k| k.3 == gone)
        .map(|k| k.0.clone())
        .collect();
    assert!(!had.is_empty());
    let count_before = server.messages().len();
    ok(
        &mut send(&file, dir, Some(&server), &[]),
        "send after removal",
    );
    let latest = read_eml(&server.messages()[count_before..]);
    let to_gone: Vec<&Value> = latest.iter().filter(|m| m["to"] == gone).collect();
    assert_eq!(
        to_gone
            .iter()
            .map(|m| m["uid"].as_str().expect("uid").to_string())
            .collect::<BTreeSet<_>>(),
        had
    );
    assert_eq!(to_gone.len(), had.len());
    for m in &to_gone {
        assert_eq!(m["method"], "CANCEL");
        assert_eq!(m["status"], "CANCELLED");
        assert_eq!(m["attendees"], serde_json::json!([gone]));
    }
    assert!(
        latest
            .iter()
            .filter(|m| m["to"] != gone)
            .all(|m| m["method"] == "REQUEST")
    );
    // And once more: nothing.
    let out = ok(&mut send(&file, dir, Some(&server), &[]), "send again");
    assert!(out.contains("nothing to send"), "{out}");
}

const SMALL: &str = r#"[programme]
id = "small"
title = "Small"
timezone = "Europe/Paris"
organizer = { name = "Organización Ñ", email = "org@example.org" }

[[session]]
id = "kickoff"
title = "Kick-off"
start = "2023-11-15T09:00"
duration = "1h"
audience = "all"

[[participant]]
name = "Ana"
email = "ana@example.org"
timezone = "America/Sao_Paulo"

[[participant]]
name = "Bo"
email = "bo@example.org"
timezone = "Asia/Tokyo"

[[participant]]
name = "Cy"
email = "cy@example.org"
timezone = "UTC"
"#;

#[test]
fn temporary_failures_are_retried_permanent_ones_listed_with_exit_1() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).expect("write");
    invites(&file, dir);
    let server = Server::start(dir, &["ana@example.org=451x2", "bo@example.org=550"]);
    let (code, out, err) = run(&mut send(&file, dir, Some(&server), &[]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("sent 2 message(s)"), "{out}");
    assert!(
        out.contains("failed: REQUEST kickoff SEQUENCE 0 to bo@example.org: "),
        "{out}"
    );
    assert!(out.contains("1 message(s) failed permanently"), "{out}");
    let got: BTreeSet<String> = read_eml(&server.messages())
        .iter()
        .map(|m| m["to"].as_str().expect("to").to_string())
        .collect();
    assert_eq!(
        got,
        BTreeSet::from(["ana@example.org".into(), "cy@example.org".into()])
    );
    // The next run tries the failed one again, and only it.
    let (code, out, _) = run(&mut send(&file, dir, Some(&server), &[]));
    assert_eq!(code, 1);
    assert!(out.contains("SEQUENCE 0  1 message(s)"), "{out}");
    assert_eq!(server.messages().len(), 2);
    assert_eq!(journal_ids(dir).len(), 2);
}

#[test]
fn to_only_sends_everything_to_one_address_and_records_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).expect("write");
    invites(&file, dir);
    let server = Server::start(dir, &[]);
    ok(
        &mut send(&file, dir, Some(&server), &["--to-only", "me@example.org"]),
        "send --to-only",
    );
    let files = server.messages();
    assert_eq!(files.len(), 3);
    for p in &files {
        let env: Value = serde_json::from_str(
            &std::fs::read_to_string(p.with_extension("json")).expect("envelope"),
        )
        .expect("json");
        assert_eq!(env["rcpt_tos"], serde_json::json!(["me@example.org"]));
    }
    // The organizer's name is not ASCII: RFC 2047, read back whole.
    assert!(
        read_eml(&files)
            .iter()
            .all(|m| m["from_name"] == "Organización Ñ")
    );
    assert!(journal_ids(dir).is_empty());
}

#[test]
fn sending_needs_a_host_from_the_environment_and_never_prints_the_password() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).expect("write");
    invites(&file, dir);
    let (code, _, err) = run(&mut send(&file, dir, None, &["--send"]));
    assert_eq!(code, 2);
    assert!(err.contains("ROUNDTABLE_SMTP_HOST is not set"), "{err}");
    // A server that refuses connections: the run stops after three messages without an
    // answer, says so, and shows no password.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let (code, out, err) = run(send(&file, dir, None, &["--send", "--retries", "0"])
        .env("ROUNDTABLE_SMTP_HOST", "127.0.0.1")
        .env("ROUNDTABLE_SMTP_PORT", port.to_string())
        .env("ROUNDTABLE_SMTP_TLS", "none")
        .env("ROUNDTABLE_SMTP_USER", "org")
        .env("ROUNDTABLE_SMTP_PASSWORD", "pw-secret-4711"));
    assert_eq!(code, 1, "{out}{err}");
    assert!(!out.contains("pw-secret-4711") && !err.contains("pw-secret-4711"));
    assert!(out.contains("not sent (temporary"), "{out}");
    assert!(journal_ids(dir).is_empty());
}

/// Kills `send` with SIGKILL at varying moments (and between the server's acceptance and the
/// journal, with the `mail-accepted` failpoint), runs it again until it is done, and counts:
/// messages received again although recorded before that run (must be 0), messages never
/// received (must be 0), and messages received twice because they were accepted but not yet
/// recorded when the run was killed (allowed; reported).
#[test]
fn kill_loop_sends_every_message_once_per_recorded_delivery() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let file = example(dir);
    invites(&file, dir);
    ok(&mut send(&file, dir, None, &["--dry-run"]), "dry run");
    let expected: BTreeSet<String> = eml_files(&dir.join("out.private/mail/outbox"))
        .iter()
        .map(|p| message_id(p))
        .collect();
    assert_eq!(expected.len(), 362);
    let server = Server::start(dir, &[]);
    let mut duplicates_of_recorded = 0;
    let mut kills = 0;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut scanned: BTreeSet<PathBuf> = BTreeSet::new();
    // Kill delays in milliseconds, and failpoint runs in between.
    let plan: [Option<u64>; 10] = [
        Some(700),
        None,
        Some(1500),
        Some(300),
        None,
        Some(2200),
        Some(900),
        None,
        Some(1200),
        Some(450),
    ];
    let mut finished = false;
    for step in plan.iter().map(Some).chain(std::iter::repeat_n(None, 3)) {
        let recorded_before = journal_ids(dir);
        let mut c = send(&file, dir, Some(&server), &[]);
        c.stdout(Stdio::null()).stderr(Stdio::null());
        match step {
            Some(Some(ms)) => {
                let mut child = c.spawn().expect("spawn");
                std::thread::sleep(Duration::from_millis(*ms));
                if child.try_wait().expect("wait").is_none() {
                    kills += 1;
                }
                let _ = child.kill();
                let _ = child.wait();
            }
            Some(None) => {
                // Killed right after the server accepted a message, before the journal.
                let status = c
                    .env("ROUNDTABLE_FAILPOINT", "mail-accepted")
                    .status()
                    .expect("run");
                if !status.success() {
                    kills += 1;
                }
            }
            None => {
                let status = c.status().expect("run");
                finished = status.success();
            }
        }
        // A message whose DATA the server was still storing when the run was killed.
        std::thread::sleep(Duration::from_millis(300));
        let fresh: Vec<PathBuf> = server
            .messages()
            .into_iter()
            .filter(|p| !scanned.contains(p))
            .collect();
        for p in &fresh {
            scanned.insert(p.clone());
            let id = message_id(p);
            if recorded_before.contains(&id) {
                duplicates_of_recorded += 1;
            }
            *seen.entry(id).or_insert(0) += 1;
        }
        if finished {
            break;
        }
    }
    assert!(finished, "send never finished");
    let missing = expected.iter().filter(|id| !seen.contains_key(*id)).count();
    let resent_unrecorded: usize = seen.values().map(|n| n - 1).sum();
    let recorded = journal_ids(dir);
    eprintln!(
        "kill loop: {kills} kills, {} messages received, {duplicates_of_recorded} duplicates of recorded deliveries, {missing} missing, {resent_unrecorded} accepted-but-unrecorded sent again",
        server.messages().len()
    );
    assert!(kills >= 8, "only {kills} runs were killed while sending");
    assert_eq!(duplicates_of_recorded, 0);
    assert_eq!(missing, 0);
    assert_eq!(recorded, expected, "the journal holds every message");
    assert!(seen.keys().all(|id| expected.contains(id)));
    // Everything received is still a well-formed invitation.
    let all = read_eml(&server.messages());
    assert_eq!(all.len(), 362 + resent_unrecorded);
}
