//! One participant's unreadable busy calendar is that participant's problem: reported on them in
//! every format of the organizer's report, never in the public output, and everyone else is
//! checked; `--strict-busy` restores exit 2.
//!
//! The programme, worked by hand: one session on Monday 2024-01-15, 12:00–13:00 UTC
//! (Europe/London is UTC+0 in January), for 50 participants in Europe/Paris (13:00–14:00 local:
//! inside working hours 08:00–20:00, a weekday, the same date), so no conflict but `busy` can
//! arise. Participant i has `busy/pNN.ics` holding one event:
//!
//! - i even: 12:30–13:30 UTC, which overlaps the session (a `busy` conflict);
//! - i odd: 13:00–14:00 UTC, which starts when the session ends (half-open: no clash);
//! - i = 20: a file cut off after its DTSTART (line 4, `BEGIN:VEVENT`, is never closed).
//!
//! So the busy conflicts are those of the even participants but p20: 0, 2, …, 48 without 20,
//! 24 of them, and the exit code is 1 (busy is an error, the default `--fail-on`).

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{self, roundtable_process};

const BROKEN: usize = 20;
const PARTICIPANTS: usize = 50;

fn event(i: usize, start: &str, end: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:p{i:02}\r\n\
         DTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:Own meeting {i:02}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// The programme of the module comment; `clashing` gives even participants their clash (else
/// every readable calendar is clash-free); `broken` cuts p20's file off.
fn setup(clashing: bool, broken: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("busy")).expect("busy dir");
    let mut toml = String::from(
        "[programme]\nid = \"fifty\"\ntitle = \"Fifty\"\ntimezone = \"Europe/London\"\n\
         organizer = { name = \"Org\", email = \"org@example.org\" }\n\n\
         [[session]]\nid = \"plenary\"\ntitle = \"Plenary\"\nstart = \"2024-01-15T12:00\"\n\
         duration = \"1h\"\naudience = \"all\"\n",
    );
    for i in 0..PARTICIPANTS {
        toml.push_str(&format!(
            "\n[[participant]]\nname = \"Participant {i:02}\"\nemail = \"p{i:02}@example.org\"\n\
             timezone = \"Europe/Paris\"\nbusy = \"busy/p{i:02}.ics\"\n"
        ));
        let ics = if i == BROKEN && broken {
            // Lines: 1 BEGIN:VCALENDAR, 2 VERSION, 3 PRODID, 4 BEGIN:VEVENT, 5 UID, 6 DTSTART.
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:p20\r\n\
             DTSTART:20240115T123000Z\r\n"
                .to_string()
        } else if i % 2 == 0 && clashing {
            event(i, "20240115T123000Z", "20240115T133000Z")
        } else {
            event(i, "20240115T130000Z", "20240115T140000Z")
        };
        std::fs::write(dir.path().join(format!("busy/p{i:02}.ics")), ics).expect("write ics");
    }
    std::fs::write(dir.path().join("programme.toml"), toml).expect("write programme");
    dir
}

fn expected_clashes() -> BTreeSet<String> {
    (0..PARTICIPANTS)
        .filter(|i| i % 2 == 0 && *i != BROKEN)
        .map(|i| format!("p{i:02}@example.org"))
        .collect()
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    support::run(roundtable_process().current_dir(dir).args(args))
}

#[test]
fn one_broken_calendar_of_fifty_is_reported_on_its_participant_in_json() {
    let dir = setup(true, true);
    let (code, stdout, stderr) = run(dir.path(), &["check", "programme.toml", "--format", "json"]);
    assert_eq!(code, 1, "conflicts decide the exit code\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let conflicts = json["conflicts"].as_array().expect("conflicts");
    let busy: BTreeSet<String> = conflicts
        .iter()
        .filter(|c| c["kind"] == "busy")
        .map(|c| c["participant"].as_str().expect("participant").to_string())
        .collect();
    assert_eq!(busy, expected_clashes());
    assert_eq!(conflicts.len(), 24, "one busy conflict each, nothing else");
    assert_eq!(json["summary"]["error"], 24);
    let calendars = json["busy_calendars"].as_array().expect("busy_calendars");
    assert_eq!(calendars.len(), 1, "{calendars:?}");
    let c = &calendars[0];
    assert_eq!(c["participant"], "p20@example.org");
    assert_eq!(c["status"], "unreadable");
    assert!(c["file"].as_str().expect("file").ends_with("busy/p20.ics"));
    let problems = c["problems"].as_array().expect("problems");
    assert!(
        problems.iter().any(|p| {
            p["location"]
                .as_str()
                .is_some_and(|l| l.ends_with("busy/p20.ics:4"))
                && p["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("never closed"))
                && p["help"].is_string()
        }),
        "{problems:?}"
    );
}

#[test]
fn text_and_markdown_name_the_participant_file_line_problem_and_fix() {
    let dir = setup(true, true);
    for format in ["text", "markdown"] {
        let (code, stdout, stderr) =
            run(dir.path(), &["check", "programme.toml", "--format", format]);
        assert_eq!(code, 1, "{format}\n{stderr}");
        // Markdown breaks e-mail autolinks and mentions with a zero-width space after `@`.
        let email = |e: &str| {
            if format == "markdown" {
                e.replace('@', "@&#8203;")
            } else {
                e.to_string()
            }
        };
        assert!(
            stdout.contains(&email("p20@example.org")),
            "{format}\n{stdout}"
        );
        for piece in [
            "busy calendar unreadable: ",
            "busy/p20.ics:4: ",
            "BEGIN:VEVENT",
            "never closed",
            " — ",
        ] {
            assert!(
                stdout.contains(piece),
                "{format}: {piece:?} missing\n{stdout}"
            );
        }
        // The 24 others' clashes are there too.
        for e in expected_clashes() {
            assert!(stdout.contains(&email(&e)), "{format}: {e}");
        }
    }
}

#[test]
fn exit_0_when_no_one_else_clashes() {
    let dir = setup(false, true);
    let (code, stdout, stderr) = run(dir.path(), &["check", "programme.toml"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("busy calendar unreadable: "), "{stdout}");
}

#[test]
fn strict_busy_restores_exit_2() {
    let dir = setup(true, true);
    let (code, stdout, stderr) = run(dir.path(), &["check", "programme.toml", "--strict-busy"]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(stderr.contains("busy/p20.ics:4"), "{stderr}");
    assert!(stderr.contains("never closed"), "{stderr}");
    // Without a broken calendar, --strict-busy changes nothing.
    let fine = setup(true, false);
    let (code, _, stderr) = run(fine.path(), &["check", "programme.toml", "--strict-busy"]);
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn public_output_says_nothing_of_the_broken_calendar() {
    let broken = setup(true, true);
    let fine = setup(true, false);
    for format in ["text", "markdown", "json"] {
        let args = ["check", "programme.toml", "--public", "--format", format];
        let (code, stdout, stderr) = run(broken.path(), &args);
        assert_eq!(code, 1, "{stderr}");
        // Busy clashes are never public, so the summary is the one of a readable calendar.
        let (_, fine_stdout, fine_stderr) = run(fine.path(), &args);
        assert_eq!(stdout, fine_stdout, "{format}");
        assert!(fine_stderr.is_empty(), "{fine_stderr}");
        // The log says how many, not whose, nor what is in the file.
        assert!(
            stderr.contains("1 busy calendar(s) could not be read"),
            "{stderr}"
        );
        for secret in [
            "p20",
            "Participant 20",
            "busy/",
            ".ics",
            "never closed",
            "BEGIN",
        ] {
            assert!(!stdout.contains(secret), "{format}: {secret} in stdout");
            assert!(!stderr.contains(secret), "{format}: {secret} in stderr");
        }
    }
}

#[test]
fn build_reports_privately_and_strict_busy_stops_it() {
    let dir = setup(true, true);
    let (code, stdout, stderr) = run(dir.path(), &["build", "programme.toml", "--out", "pub"]);
    assert_eq!(
        code, 0,
        "build exits 0 without --fail-on\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("busy calendars: 1 unreadable"), "{stdout}");
    assert!(
        !stdout.contains("p20") && !stderr.contains("p20"),
        "{stdout}\n{stderr}"
    );
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("pub.private/report.json")).expect("report.json"),
    )
    .expect("json");
    assert_eq!(
        report["busy_calendars"][0]["participant"],
        "p20@example.org"
    );
    let md = std::fs::read_to_string(dir.path().join("pub.private/report.md")).expect("report.md");
    assert!(md.contains("busy calendar unreadable: "), "{md}");
    // Nothing of it in the public folder.
    let mut stack = vec![dir.path().join("pub")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&p).expect("read")).into_owned();
            for secret in ["p20", "never closed", "unreadable", "Own meeting"] {
                assert!(!text.contains(secret), "{secret} in {}", p.display());
            }
        }
    }
    let (code, _, _) = run(
        dir.path(),
        &[
            "build",
            "programme.toml",
            "--out",
            "pub",
            "--fail-on",
            "error",
        ],
    );
    assert_eq!(code, 1);
    let (code, _, stderr) = run(
        dir.path(),
        &["build", "programme.toml", "--out", "pub2", "--strict-busy"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("busy/p20.ics:4"), "{stderr}");
    assert!(!dir.path().join("pub2").exists(), "nothing written");
}

/// A calendar read with notes (tests/data/busy/ios-26-structured-location.ics: two lines with
/// malformed parameters skipped) is read and checked, and its notes are listed on the
/// participant in the organizer's report, not in the public output. By hand: the session is
/// Mon 10 Jun 2024 10:30–11:30 Vienna; the file's "Termin Linz" is 10:00–11:00 Vienna: one clash.
#[test]
fn notes_are_counted_on_the_participant_in_the_organizers_report_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("busy")).expect("busy dir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/busy/ios-26-structured-location.ics"),
        dir.path().join("busy/ana.ics"),
    )
    .expect("copy");
    std::fs::write(
        dir.path().join("programme.toml"),
        "[programme]\nid = \"ios\"\ntitle = \"iOS\"\ntimezone = \"Europe/Vienna\"\n\
         organizer = { name = \"Org\", email = \"org@example.org\" }\n\n\
         [[session]]\nid = \"review\"\ntitle = \"Review\"\nstart = \"2024-06-10T10:30\"\n\
         duration = \"1h\"\naudience = \"all\"\n\n\
         [[participant]]\nname = \"Ana\"\nemail = \"ana@example.org\"\n\
         timezone = \"Europe/Vienna\"\nbusy = \"busy/ana.ics\"\n",
    )
    .expect("write programme");
    let (code, stdout, stderr) = run(dir.path(), &["check", "programme.toml", "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(json["conflicts"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["conflicts"][0]["kind"], "busy");
    let c = &json["busy_calendars"][0];
    assert_eq!(c["participant"], "ana@example.org");
    assert_eq!(c["status"], "read with notes");
    assert_eq!(c["problems"].as_array().map(Vec::len), Some(0));
    let lines: Vec<&str> = c["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n["location"].as_str())
        .collect();
    assert_eq!(lines, ["busy/ana.ics:28", "busy/ana.ics:43"]);
    let (_, text, _) = run(dir.path(), &["check", "programme.toml"]);
    assert!(text.contains("busy calendar read with 2 note(s)"), "{text}");
    assert!(
        text.contains("busy/ana.ics:28: X-APPLE-STRUCTURED-LOCATION"),
        "{text}"
    );
    let (_, public, stderr) = run(dir.path(), &["check", "programme.toml", "--public"]);
    assert!(stderr.is_empty(), "{stderr}");
    for secret in ["ana", "note", "X-APPLE", "Linz"] {
        assert!(!public.contains(secret), "{secret} in {public}");
    }
}
