//! End-to-end tests of the `roundtable` binary: every subcommand, every class of error.
//! Expected local times are worked out by hand in the comments.

use crate::support::{self, HEAD, write};
use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

/// The binary without `SOURCE_DATE_EPOCH`, as an organizer runs it.
fn roundtable() -> Command {
    let mut c = support::roundtable();
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

const ONE: &str = r#"
[[session]]
id = "kickoff"
title = "Kick-off"
start = "2023-11-15T09:00"
duration = "2h"
audience = "all"

[[participant]]
name = "Ana"
email = "ana@example.org"
timezone = "America/Sao_Paulo"

[[participant]]
name = "Ben"
email = "ben@example.org"
timezone = "Pacific/Auckland"
"#;

#[test]
fn times_json_has_the_documented_shape() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "p.toml", &format!("{HEAD}{ONE}"));
    // 09:00 Paris (+01:00) = 08:00Z = 05:00 São Paulo (-03:00) = 21:00 Auckland (+13:00).
    let out = roundtable()
        .args(["times", "--format", "json"])
        .arg(&p)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let expected = serde_json::json!({
        "programme": "t",
        "rows": [
            {"session": "kickoff", "start_utc": "2023-11-15T08:00:00Z", "end_utc": "2023-11-15T10:00:00Z",
             "participant": "ana@example.org", "timezone": "America/Sao_Paulo",
             "start_local": "2023-11-15T05:00:00-03:00", "end_local": "2023-11-15T07:00:00-03:00"},
            {"session": "kickoff", "start_utc": "2023-11-15T08:00:00Z", "end_utc": "2023-11-15T10:00:00Z",
             "participant": "ben@example.org", "timezone": "Pacific/Auckland",
             "start_local": "2023-11-15T21:00:00+13:00", "end_local": "2023-11-15T23:00:00+13:00"},
        ]
    });
    assert_eq!(v, expected);
    // Key order is part of the contract.
    let text = String::from_utf8(out).expect("utf8");
    let order: Vec<usize> = [
        "\"session\"",
        "\"start_utc\"",
        "\"end_utc\"",
        "\"participant\"",
        "\"timezone\"",
        "\"start_local\"",
        "\"end_local\"",
    ]
    .iter()
    .map(|k| text.find(k).expect("key"))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn times_text_marks_day_changes_and_csv_has_the_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = ONE.replace("2023-11-15T09:00", "2023-11-15T13:00");
    let p = write(dir.path(), "p.toml", &format!("{HEAD}{body}"));
    // 13:00 Paris = 12:00Z = 01:00 on the 16th in Auckland (+13:00).
    roundtable()
        .args(["times"])
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Thu 16 Nov 2023 01:00–03:00  UTC+13:00  (+1 day)",
        ))
        .stdout(predicate::str::contains(
            "Wed 15 Nov 2023 09:00–11:00  UTC-03:00\n",
        ));
    roundtable().args(["times", "--format", "csv"]).arg(&p).assert().success()
        .stdout(predicate::str::starts_with("session,start_utc,end_utc,participant,timezone,start_local,end_local\n"))
        .stdout(predicate::str::contains("kickoff,2023-11-15T12:00:00Z,2023-11-15T14:00:00Z,ben@example.org,Pacific/Auckland,2023-11-16T01:00:00+13:00,2023-11-16T03:00:00+13:00"));
}

#[test]
fn times_text_lines_up_names_in_any_script() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Columns counted by hand: "李小龍 <li@example.org>" is 20 characters but 23 terminal
    // columns (a Han character takes two); "Jose\u{301} <jose@example.org>" (é written as e + a
    // combining accent) is 24 characters and 23 columns; "Ana <ana@example.org>" is 21 of
    // both. So names are padded to 23 columns (Ana by 2 spaces), then two spaces before the
    // zone; padding by characters would pad to 24 and misalign the Han and accented rows.
    let body = ONE
        .replace("name = \"Ben\"", "name = \"李小龍\"")
        .replace("ben@", "li@")
        + "\n[[participant]]\nname = \"Jose\u{301}\"\nemail = \"jose@example.org\"\ntimezone = \"UTC\"\n";
    let p = write(dir.path(), "p.toml", &format!("{HEAD}{body}"));
    let out = roundtable().args(["times"]).arg(&p).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("@example.org"))
        .collect();
    assert_eq!(rows.len(), 3, "{text}");
    for (row, name, pad) in [
        (0, "Ana <ana@example.org>", 2),
        (1, "Jose\u{301} <jose@example.org>", 0),
        (2, "李小龍 <li@example.org>", 0),
    ] {
        let expected = format!("    {name}{}  ", " ".repeat(pad));
        let line = rows
            .iter()
            .find(|l| l.contains(name))
            .copied()
            .unwrap_or_default();
        assert!(
            line.starts_with(&expected),
            "row {row}: {line:?} in\n{text}"
        );
    }
}

#[test]
fn times_filters_by_participant_and_shows_one_zone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "p.toml", &format!("{HEAD}{ONE}"));
    roundtable()
        .args([
            "times",
            "--format",
            "csv",
            "--participant",
            "BEN@example.org",
        ])
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains("ben@example.org"))
        .stdout(predicate::str::contains("ana@example.org").not());
    // 08:00Z in Kolkata (+05:30) = 13:30.
    roundtable()
        .args(["times", "--format", "json", "--tz", "Asia/Kolkata"])
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"participant\": null"))
        .stdout(predicate::str::contains(
            "\"start_local\": \"2023-11-15T13:30:00+05:30\"",
        ));
    roundtable()
        .args(["times", "--participant", "bne@example.org"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `ben@example.org`?"));
    roundtable()
        .args(["times", "--tz", "Asia/Kolkatta"])
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Asia/Kolkata"));
}

/// (case, programme body after HEAD, expected pieces of stderr)
const BAD: &[(&str, &str, &[&str])] = &[
    ("toml syntax", "[[session]\nid = 1", &["p.toml:6:", "help:"]),
    (
        "unknown key",
        "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"2023-11-15T09:00\"\nduration = \"1h\"\naudience = \"all\"\ntimzone = \"UTC\"\n",
        &[
            "p.toml:12:1",
            "unknown key `timzone`",
            "did you mean `timezone`?",
        ],
    ),
    (
        "wrong type",
        "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = 9\nduration = \"1h\"\naudience = \"all\"\n",
        &["p.toml:9:9", "must be a date-time"],
    ),
    (
        "unknown zone",
        "[[participant]]\nname = \"A\"\nemail = \"a@example.org\"\ntimezone = \"America/Sao_Paolo\"\n",
        &[
            "p.toml:9:12",
            "unknown time zone `America/Sao_Paolo`",
            "did you mean `America/Sao_Paulo`",
        ],
    ),
    (
        "ambiguous abbreviation",
        "[[participant]]\nname = \"A\"\nemail = \"a@example.org\"\ntimezone = \"IST\"\n",
        &["ambiguous abbreviation", "Asia/Kolkata", "Europe/Dublin"],
    ),
    (
        "gap",
        "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"2023-03-26T02:30\"\nduration = \"1h\"\naudience = \"all\"\n",
        &[
            // The `start` value, line 9 column 9.
            "p.toml:9:9",
            "session `a`",
            "2023-03-26",
            "does not exist",
            "2023-03-26T00:30:00Z",
            "2023-03-26T01:30:00Z",
            "disambiguation",
        ],
    ),
    (
        "fold",
        "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"2023-10-29T02:30\"\nduration = \"1h\"\naudience = \"all\"\n",
        &[
            "happens twice",
            "2023-10-29T00:30:00Z",
            "2023-10-29T01:30:00Z",
        ],
    ),
    (
        "end before start",
        "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"2023-11-15T09:00\"\nend = \"2023-11-15T08:00\"\naudience = \"all\"\n",
        &["p.toml:10:7", "is not after `start`"],
    ),
    (
        "zero duration",
        "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"2023-11-15T09:00\"\nduration = \"0m\"\naudience = \"all\"\n",
        &["p.toml:10:12", "at least one minute"],
    ),
    (
        "absurd duration",
        "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"2023-11-15T09:00\"\nduration = \"30h\"\naudience = \"all\"\n",
        &["longer than 24 hours"],
    ),
    (
        "bad rrule",
        "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"2023-11-15T09:00\"\nduration = \"1h\"\naudience = \"all\"\nrepeat = \"FREQ=FORTNIGHTLY\"\n",
        &["p.toml:12:10", "not a valid RRULE"],
    ),
    (
        "unknown group",
        "[[group]]\nid = \"east\"\ntitle = \"E\"\n\n[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"2023-11-15T09:00\"\nduration = \"1h\"\naudience = [\"eats\"]\n",
        &["unknown group `eats`", "did you mean `east`?"],
    ),
    (
        "duplicate session",
        "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"2023-11-15T09:00\"\nduration = \"1h\"\naudience = \"all\"\n[[session]]\nid = \"a\"\ntitle = \"B\"\nstart = \"2023-11-16T09:00\"\nduration = \"1h\"\naudience = \"all\"\n",
        &[
            "p.toml:13:6",
            "session id `a` is used twice (first at",
            "p.toml:7:6",
        ],
    ),
    (
        "offset in start",
        "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"2023-11-15T09:00+01:00\"\nduration = \"1h\"\naudience = \"all\"\n",
        &["carries a UTC offset"],
    ),
];

#[test]
fn every_class_of_error_exits_2_with_place_and_fix() {
    for (case, body, expected) in BAD {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write(dir.path(), "p.toml", &format!("{HEAD}{body}"));
        let assert = roundtable()
            .current_dir(dir.path())
            .args(["times", "p.toml"])
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        for piece in *expected {
            assert!(
                stderr.contains(piece),
                "case {case}: `{piece}` not in:\n{stderr}"
            );
        }
        assert!(!stderr.contains("panicked"), "case {case}: {stderr}");
        drop(p);
    }
}

#[test]
fn several_problems_are_reported_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "[[participant]]\nname = \"A\"\nemail = \"a@example.org\"\ntimezone = \"Mars/Olympus\"\n\n[[participant]]\nname = \"B\"\nemail = \"b@example.org\"\ntimezone = \"Europe/Paris\"\nworking_hours = \"9-5\"\n";
    write(dir.path(), "p.toml", &format!("{HEAD}{body}"));
    roundtable()
        .current_dir(dir.path())
        .args(["times", "p.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "p.toml:9:12: unknown time zone `Mars/Olympus`",
        ))
        .stderr(predicate::str::contains(
            "p.toml:15:17: `9-5` is not an hours range",
        ))
        .stderr(predicate::str::contains("2 errors"));
}

#[test]
fn csv_rows_are_all_reported_with_their_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "people.csv",
        "\u{feff}name,email,timezone,groups\r\nAna,ana@example.org,America/Sao_Paulo,\r\nBad,bad@example.org,Mars/Base,\r\nShort,short@example.org\r\nDup,ANA@example.org,Europe/Paris,\r\nNoGroup,ng@example.org,Europe/Paris,nope\r\n",
    );
    let head = HEAD.replace("organizer", "participants = \"people.csv\"\norganizer");
    write(
        dir.path(),
        "p.toml",
        &format!(
            "{head}{}",
            &ONE[..ONE.find("[[participant]]").expect("ONE")]
        ),
    );
    roundtable()
        .current_dir(dir.path())
        .args(["times", "p.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "people.csv:3: column `timezone`: unknown time zone `Mars/Base`",
        ))
        .stderr(predicate::str::contains(
            "people.csv:4: this row has 2 fields, the header has 4",
        ))
        .stderr(predicate::str::contains(
            "people.csv:5: column `email`: participant `ANA@example.org` is listed twice (first at",
        ))
        .stderr(predicate::str::contains(
            "people.csv:6: column `groups`: unknown group `nope`",
        ))
        .stderr(predicate::str::contains("4 errors"));
    write(
        dir.path(),
        "people.csv",
        "name,mail,timezone\nAna,ana@example.org,Europe/Paris\n",
    );
    roundtable()
        .current_dir(dir.path())
        .args(["times", "p.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "people.csv:1: missing column `email`",
        ))
        .stderr(predicate::str::contains(
            "did you mean `mail`? Rename it `email`",
        ));
    std::fs::write(
        dir.path().join("people.csv"),
        b"name,email,timezone\nAn\xff,a@example.org,Europe/Paris\n",
    )
    .expect("write");
    roundtable()
        .current_dir(dir.path())
        .args(["times", "p.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("people.csv:2"))
        .stderr(predicate::str::contains("UTF-8"));
    write(dir.path(), "people.csv", "");
    roundtable()
        .current_dir(dir.path())
        .args(["times", "p.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "people.csv: the participants file is empty",
        ));
}

#[test]
fn missing_and_empty_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    roundtable()
        .current_dir(dir.path())
        .args(["times", "nope.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.toml"));
    write(dir.path(), "empty.toml", "\n");
    roundtable()
        .current_dir(dir.path())
        .args(["times", "empty.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "empty.toml: the programme file is empty",
        ));
}

#[test]
fn warnings_do_not_fail_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = ONE.replace("duration = \"2h\"", "duration = \"2h\"\ntimezone = \"UTC+1\"\nrepeat = \"FREQ=WEEKLY;COUNT=2\"\nexcept = [\"2023-11-16T09:00\"]");
    write(dir.path(), "p.toml", &format!("{HEAD}{body}"));
    roundtable()
        .current_dir(dir.path())
        .args(["times", "p.toml", "--format", "csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: p.toml:12:12: `UTC+1` is a fixed offset",
        ))
        .stderr(predicate::str::contains(
            "`except` 2023-11-16T09:00 matches no occurrence",
        ));
}

#[test]
fn build_writes_everything_and_fail_on_sets_the_exit_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "p.toml", &format!("{HEAD}{ONE}"));
    let out = dir.path().join("site");
    // 09:00–11:00 Paris = 05:00–07:00 in São Paulo (05:00–06:00 is night) and 21:00–23:00 in
    // Auckland (22:00–23:00 is night): two night errors, which do not fail `build`.
    roundtable()
        .arg("build")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote 4 files to"))
        .stdout(predicate::str::contains("and 5 to"))
        .stdout(predicate::str::contains(
            "conflicts: 2 errors, 0 warnings, 0 info",
        ));
    // Public: the page and calendars; private (site.private): what names people.
    for f in ["index.html", "t.ics", ".roundtable"] {
        assert!(out.join(f).exists(), "{f}");
    }
    let private = dir.path().join("site.private");
    for f in [
        "report.md",
        "report.json",
        "sessions/kickoff.ics",
        "participants/index.csv",
        "README.txt",
        ".roundtable",
    ] {
        assert!(private.join(f).exists(), "{f}");
        assert!(
            !out.join(f).exists() || f == ".roundtable",
            "{f} is private"
        );
    }
    assert!(dir.path().join("p.toml.lock").exists());
    roundtable()
        .arg("build")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .args(["--fail-on", "error"])
        .assert()
        .code(1);
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        roundtable()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("roundtable"));
    }
}

#[test]
fn help_and_version() {
    roundtable()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("roundtable "));
    roundtable()
        .args(["times", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--participant"));
    roundtable().assert().code(2);
}

/// A programme whose one participant, Ana, attends a session on 2024-01-15 and reads her busy
/// calendar from `busy` (a TOML line, or empty for `busy_dir`).
fn busy_programme(dir: &Path, programme_line: &str, participant_line: &str) -> std::path::PathBuf {
    write(
        dir,
        "p.toml",
        &format!(
            "{HEAD}{programme_line}\n[[session]]\nid = \"kickoff\"\ntitle = \"Kick-off\"\nstart = \"2024-01-15T16:00\"\nduration = \"2h\"\naudience = \"all\"\n\n[[participant]]\nname = \"Ana\"\nemail = \"ana@example.org\"\ntimezone = \"America/Sao_Paulo\"\n{participant_line}\n"
        ),
    )
}

/// `check` on a busy calendar that is a FIFO, a device or a 150,000-deep file ends at once with
/// a message naming the kind (it used to hang, read until memory ran out, or overflow the stack).
/// The bound is generous: it catches a hang, not a slow machine.
#[test]
fn hostile_busy_calendars_end_quickly_with_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("fifo.ics");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo failed");
    let mut deep = String::from("BEGIN:VCALENDAR\r\n");
    deep.push_str(&"BEGIN:X\r\n".repeat(150_000));
    deep.push_str(&"END:X\r\n".repeat(150_000));
    deep.push_str("END:VCALENDAR\r\n");
    write(dir.path(), "deep.ics", &deep);
    for (busy, expected) in [
        ("fifo.ics", "FIFO (named pipe), not a regular file"),
        ("/dev/zero", "character device, not a regular file"),
        ("deep.ics", "more than 64 deep"),
    ] {
        busy_programme(dir.path(), "", &format!("busy = \"{busy}\""));
        let started = std::time::Instant::now();
        roundtable()
            .current_dir(dir.path())
            .args(["check", "p.toml", "--strict-busy"])
            .timeout(std::time::Duration::from_secs(5))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected))
            .stderr(predicate::str::contains("panicked").not());
        eprintln!("{busy}: {:?}", started.elapsed());
        // Without --strict-busy: the same message, on Ana, in the report; no conflict, exit 0.
        roundtable()
            .current_dir(dir.path())
            .args(["check", "p.toml"])
            .timeout(std::time::Duration::from_secs(5))
            .assert()
            .code(0)
            .stdout(predicate::str::contains("busy calendar unreadable: "))
            .stdout(predicate::str::contains(expected))
            .stderr(predicate::str::contains("panicked").not());
    }
    // The participants CSV and the programme itself go through the same opener.
    write(
        dir.path(),
        "p.toml",
        &format!("{HEAD}participants = \"fifo.ics\"\n"),
    );
    roundtable()
        .current_dir(dir.path())
        .args(["times", "p.toml"])
        .timeout(std::time::Duration::from_secs(5))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("FIFO"));
    roundtable()
        .current_dir(dir.path())
        .args(["times", "fifo.ics"])
        .timeout(std::time::Duration::from_secs(5))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("FIFO"));
}

/// A symbolic link to a file of secrets, as `busy` or inside `busy_dir`: the secret never
/// reaches the output, and a link out of `busy_dir` is refused.
#[test]
fn a_link_to_a_secret_is_never_echoed_nor_followed_out_of_busy_dir() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "shadow",
        "root:$6$SECRETHASH:19000:0:99999:7:::\n",
    );
    write(
        dir.path(),
        "outside.ics",
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20240115T150000Z\r\nDURATION:PT2H\r\nSUMMARY:SECRET-MEETING\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    std::os::unix::fs::symlink(dir.path().join("shadow"), dir.path().join("link.ics"))
        .expect("symlink");
    busy_programme(dir.path(), "", "busy = \"link.ics\"");
    roundtable()
        .current_dir(dir.path())
        .args(["check", "p.toml", "--strict-busy"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an iCalendar file"))
        .stderr(predicate::str::contains("SECRET").not())
        .stderr(predicate::str::contains("root").not());
    roundtable()
        .current_dir(dir.path())
        .args(["check", "p.toml", "--format", "json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("not an iCalendar file"))
        .stdout(predicate::str::contains("SECRET").not())
        .stdout(predicate::str::contains("root").not());
    std::fs::create_dir(dir.path().join("busy")).expect("mkdir");
    std::os::unix::fs::symlink(
        dir.path().join("outside.ics"),
        dir.path().join("busy/ana@example.org.ics"),
    )
    .expect("symlink");
    busy_programme(dir.path(), "busy_dir = \"busy\"", "");
    roundtable()
        .current_dir(dir.path())
        .args(["check", "p.toml", "--format", "json", "--strict-busy"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("resolves outside busy_dir"))
        .stdout(predicate::str::contains("SECRET").not())
        .stderr(predicate::str::contains("SECRET").not());
    roundtable()
        .current_dir(dir.path())
        .args(["check", "p.toml", "--format", "json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("resolves outside busy_dir"))
        .stdout(predicate::str::contains("SECRET").not())
        .stderr(predicate::str::contains("SECRET").not());
}

/// busy_dir files are found by the normalised e-mail (NFC, lower case), and `--participant`
/// matches the same way.
#[test]
fn e_mails_match_after_nfc_and_case_folding() {
    let dir = tempfile::tempdir().expect("tempdir");
    // é precomposed in the programme, decomposed and in capitals on the command line.
    write(
        dir.path(),
        "p.toml",
        &format!(
            "{HEAD}busy_dir = \"busy\"\n\n[[session]]\nid = \"kickoff\"\ntitle = \"Kick-off\"\nstart = \"2024-01-15T16:00\"\nduration = \"2h\"\naudience = \"all\"\n\n[[participant]]\nname = \"José\"\nemail = \"Jos\u{e9}@Example.org\"\ntimezone = \"America/Sao_Paulo\"\n"
        ),
    );
    std::fs::create_dir(dir.path().join("busy")).expect("mkdir");
    write(
        dir.path(),
        "busy/jos\u{e9}@example.org.ics",
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20240115T150000Z\r\nDURATION:PT2H\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    roundtable()
        .current_dir(dir.path())
        .args([
            "times",
            "p.toml",
            "--participant",
            "JOSE\u{301}@example.org",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Kick-off").or(predicate::str::contains("kickoff")));
    // 16:00 Paris = 15:00Z, the dentist's hour.
    roundtable()
        .current_dir(dir.path())
        .args(["check", "p.toml", "--format", "json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"busy\""));
}

/// `times … | head -1` and `completions zsh | head -1`: a closed stdout ends quietly with 0.
#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    roundtable::generate::generate(dir.path(), 2000, 10, 0, 1).expect("generate");
    let programme = dir.path().join("programme.toml");
    let binary = assert_cmd::cargo::cargo_bin("roundtable");
    for args in [
        vec!["times".as_ref(), programme.as_os_str()],
        vec!["completions".as_ref(), "zsh".as_ref()],
    ] {
        let mut child = std::process::Command::new(&binary)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // The reader goes away before reading anything (as `head` does after its line).
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    }
}

/// SOURCE_DATE_EPOCH past 9999-12-31 would write `DTSTAMP:+10000…`: refused.
#[test]
fn source_date_epoch_must_fit_an_icalendar_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "p.toml", &format!("{HEAD}{ONE}"));
    for (value, ok) in [
        ("253402300799", true),
        ("253402300800", false),
        ("-1", false),
        ("0", true),
    ] {
        let assert = roundtable()
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", value)
            .args(["invites", "p.toml", "--out", "out"])
            .assert();
        if ok {
            assert.success();
        } else {
            assert
                .code(2)
                .stderr(predicate::str::contains("outside 1970-01-01 to 9999-12-31"));
        }
    }
}

/// A lock's text reaches the calendars only escaped: a title with a line break stays one
/// SUMMARY line of the CANCEL.
#[test]
fn lock_text_is_escaped_in_cancellations() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "p.toml", &format!("{HEAD}{ONE}"));
    write(
        dir.path(),
        "p.toml.lock",
        "version = 1\n\n[[event]]\nsession = \"removed\"\nuid = \"removed.t@example.org\"\nsequence = 2\nhash = \"0123456789abcdef\"\ntitle = \"Removed\\r\\nX-INJECTED:1\\r\\nBEGIN:VEVENT\"\ntzid = \"Europe/Paris\"\ndtstart = \"20231110T090000\"\ndtend = \"20231110T110000\"\nfirst_utc = \"2023-11-10T08:00:00+00:00\"\nlast_utc = \"2023-11-10T08:00:00+00:00\"\naudience = [\"all\"]\n",
    );
    roundtable()
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["invites", "p.toml", "--out", "out"])
        .assert()
        .success();
    let mut files = vec![dir.path().join("out")];
    let mut cancels = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(
                std::fs::read_dir(&path)
                    .expect("dir")
                    .map(|e| e.expect("entry").path()),
            );
            continue;
        }
        if path.extension().is_none_or(|e| e != "ics") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        cancels += usize::from(text.contains("SEQUENCE:3"));
        assert!(
            !text.lines().any(|l| l.starts_with("X-INJECTED")),
            "{}: {text}",
            path.display()
        );
        let lines = |name: &str| text.lines().filter(|l| *l == name).count();
        assert_eq!(
            lines("BEGIN:VEVENT"),
            lines("END:VEVENT"),
            "{}",
            path.display()
        );
    }
    assert!(
        cancels > 0,
        "the removed session is cancelled with SEQUENCE 3"
    );
}
