//! `roundtable invites`: golden text checked by hand, determinism, lifecycle (SEQUENCE, CANCEL),
//! dry runs, and hostile names. The independent parsers' checks are in tests/it/ics_parsers.rs.

use crate::support::{roundtable, write};
use std::path::{Path, PathBuf};

const GOLDEN: &str = r#"[programme]
id = "golden"
title = "Golden"
timezone = "Europe/Paris"
organizer = { name = "Org, Team", email = "org@example.org" }

[[session]]
id = "day-1"
title = "Día 1; intro, \"hola\"\r\nline 2"
start = "2023-11-15T09:00"
duration = "2h"
audience = "all"
join_url = "https://example.org/join?a=1&b=2"

[[participant]]
name = "Ana Souza"
email = "ana@example.org"
timezone = "America/Sao_Paulo"
"#;

/// The REQUEST file, worked out by hand from RFC 5545:
/// - DTSTAMP 1700000000 s = 2023-11-14T22:13:20Z.
/// - Europe/Paris around 2023-11-15: the EU rule (last Sunday of March 01:00 UTC = 02:00 local
///   in +0100, "Rule EU 1981 max"; last Sunday of October 01:00 UTC = 03:00 local in +0200,
///   "Rule EU 1996 max"). The block starts on 2022-12-31 (the event's year, less a day) with
///   the change in force then, 2022-10-30, written alone; each rule is one RRULE from its first
///   change after that: 2023-03-26 and 2023-10-29.
/// - 09:00 Paris (+01:00) for 2 h: DTEND 11:00 in the same TZID.
/// - TEXT escaping: `;` `,` become `\;` `\,`, CRLF becomes `\n`, quotes stay.
/// - The ATTENDEE line is 97 octets: folded after 75, the rest after one space.
/// - The organizer's CN has a comma: quoted.
const GOLDEN_REQUEST: &str = "BEGIN:VCALENDAR\r
PRODID:-//roundtable//roundtable 0.1.0//EN\r
VERSION:2.0\r
CALSCALE:GREGORIAN\r
METHOD:REQUEST\r
BEGIN:VTIMEZONE\r
TZID:Europe/Paris\r
BEGIN:STANDARD\r
DTSTART:20221030T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
TZNAME:CET\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:20230326T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
TZNAME:CEST\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
DTSTART:20231029T030000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
TZNAME:CET\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:day-1.golden@example.org\r
DTSTAMP:20231114T221320Z\r
DTSTART;TZID=Europe/Paris:20231115T090000\r
DTEND;TZID=Europe/Paris:20231115T110000\r
SEQUENCE:0\r
SUMMARY:Día 1\\; intro\\, \"hola\"\\nline 2\r
URL:https://example.org/join?a=1&b=2\r
LOCATION:https://example.org/join?a=1&b=2\r
CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://example.org/join?a=1&b=2\r
ORGANIZER;CN=\"Org, Team\":mailto:org@example.org\r
ATTENDEE;CN=Ana Souza;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:\r
 mailto:ana@example.org\r
STATUS:CONFIRMED\r
TRANSP:OPAQUE\r
END:VEVENT\r
END:VCALENDAR\r
";

#[test]
fn golden_request_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "golden.toml", GOLDEN);
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let got = std::fs::read_to_string(dir.path().join("out.private/sessions/day-1.ics"))
        .expect("request file");
    assert_eq!(got, GOLDEN_REQUEST);
}

#[test]
fn participant_calendar_opens_with_their_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "golden.toml", GOLDEN);
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    // The calendar's file name is keyed (tests/it/publish.rs checks it against Python's hmac); the
    // private index says which it is.
    let index = std::fs::read_to_string(dir.path().join("out.private/participants/index.csv"))
        .expect("index");
    let file = index
        .strip_prefix("email,name,file\nana@example.org,Ana Souza,participants/")
        .and_then(|rest| rest.strip_suffix(".ics\n"))
        .unwrap_or_else(|| panic!("{index}"));
    assert!(
        file.len() == 32 && file.bytes().all(|b| b.is_ascii_hexdigit()),
        "{file}"
    );
    let text = std::fs::read_to_string(dir.path().join(format!("out/participants/{file}.ics")))
        .expect("participant file");
    let unfolded = text.replace("\r\n ", "");
    // 09:00 Paris = 08:00Z = 05:00 in São Paulo (-03:00).
    assert!(unfolded.contains("DESCRIPTION:Your time: Wed 15 Nov 2023\\, 05:00–07:00 (America/Sao_Paulo\\, UTC-03:00)\\nSession time: Wed 15 Nov 2023\\, 09:00–11:00 (Europe/Paris\\, UTC+01:00)\\nUTC: Wed 15 Nov 2023\\, 08:00–10:00"), "{unfolded}");
    // Named after the programme, not the participant: anyone with the URL can read it.
    assert!(unfolded.contains("X-WR-CALNAME:Golden\r\n"));
    assert!(!unfolded.contains("Ana Souza"));
    assert!(unfolded.contains("METHOD:PUBLISH\r\n"));
    assert!(!unfolded.contains("ATTENDEE"));
    let programme =
        std::fs::read_to_string(dir.path().join("out/golden.ics")).expect("programme file");
    assert!(programme.contains("METHOD:PUBLISH\r\n") && !programme.contains("ATTENDEE"));
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push((
                    p.strip_prefix(dir).expect("prefix").display().to_string(),
                    std::fs::read(&p).expect("read"),
                ));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn identical_output_twice_under_source_date_epoch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sessions");
    for name in ["peer-learning-2023-11.toml", "peer-learning-2023-11.csv"] {
        std::fs::copy(src.join(name), dir.path().join(name)).expect("copy");
    }
    let p = dir.path().join("peer-learning-2023-11.toml");
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(dir.path().join("a"))
        .assert()
        .success();
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(dir.path().join("b"))
        .assert()
        .success();
    let (a, b) = (
        snapshot(&dir.path().join("a")),
        snapshot(&dir.path().join("b")),
    );
    assert!(a.len() > 170);
    assert_eq!(a, b);
}

fn sequence_of(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .expect("read")
        .lines()
        .filter(|l| {
            l.starts_with("SEQUENCE:") || l.starts_with("STATUS:") || l.starts_with("METHOD:")
        })
        .map(String::from)
        .collect()
}

const LIFE: &str = r#"[programme]
id = "life"
title = "Life"
timezone = "Europe/Paris"
organizer = { name = "Org", email = "org@example.org" }

[[session]]
id = "a"
title = "A"
start = "2023-11-15T09:00"
duration = "1h"
audience = "all"

[[session]]
id = "b"
title = "B"
start = "2023-11-16T09:00"
duration = "1h"
audience = "all"

[[participant]]
name = "Ana"
email = "ana@example.org"
timezone = "Africa/Lagos"
"#;

#[test]
fn sequence_rises_after_a_change_and_removed_sessions_are_cancelled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "life.toml", LIFE);
    let out = dir.path().join("out");
    let private = dir.path().join("out.private");
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("new               a  SEQUENCE 0"));
    assert_eq!(
        sequence_of(&private.join("sessions/a.ics")),
        ["METHOD:REQUEST", "SEQUENCE:0", "STATUS:CONFIRMED"]
    );
    // Unchanged input: nothing rises.
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("unchanged         a  SEQUENCE 0"));
    // Move session a by an hour: SEQUENCE 1; b stays 0.
    write(
        dir.path(),
        "life.toml",
        &LIFE.replace("2023-11-15T09:00", "2023-11-15T10:00"),
    );
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("changed           a  SEQUENCE 1"));
    assert_eq!(
        sequence_of(&private.join("sessions/a.ics")),
        ["METHOD:REQUEST", "SEQUENCE:1", "STATUS:CONFIRMED"]
    );
    assert_eq!(
        sequence_of(&private.join("sessions/b.ics")),
        ["METHOD:REQUEST", "SEQUENCE:0", "STATUS:CONFIRMED"]
    );
    // Remove b: a CANCEL with SEQUENCE 1, and the programme calendar keeps it as cancelled.
    let without_b = LIFE.replace("2023-11-15T09:00", "2023-11-15T10:00");
    let cut = without_b.find("[[session]]\nid = \"b\"").expect("b");
    let end = without_b.find("[[participant]]").expect("participant");
    write(
        dir.path(),
        "life.toml",
        &format!("{}{}", &without_b[..cut], &without_b[end..]),
    );
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("cancelled         b  SEQUENCE 1"));
    assert!(!private.join("sessions/b.ics").exists());
    let cancel =
        std::fs::read_to_string(private.join("sessions/b.cancel.ics")).expect("cancel file");
    assert!(
        cancel.contains("METHOD:CANCEL\r\n")
            && cancel.contains("STATUS:CANCELLED\r\n")
            && cancel.contains("SEQUENCE:1\r\n")
    );
    assert!(cancel.contains("UID:b.life@example.org\r\n") && cancel.contains("ATTENDEE;"));
    assert!(cancel.contains("DTSTART;TZID=Europe/Paris:20231116T090000\r\n"));
    let programme = std::fs::read_to_string(out.join("life.ics")).expect("programme");
    assert!(programme.contains("UID:b.life@example.org\r\n"));
    assert_eq!(programme.matches("STATUS:CANCELLED").count(), 1);
    // A further run keeps it cancelled at the same SEQUENCE.
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("cancelled earlier b  SEQUENCE 1"));
    let lock = std::fs::read_to_string(dir.path().join("life.toml.lock")).expect("lock");
    assert!(lock.contains("cancelled = true"));
}

#[test]
fn dry_run_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "life.toml", LIFE);
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg("--dry-run")
        .assert()
        .success()
        .stdout(predicates::str::contains("new               a  SEQUENCE 0"))
        .stdout(predicates::str::contains("dry run: nothing written"));
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name())
        .collect();
    assert_eq!(entries, vec![std::ffi::OsString::from("life.toml")]);
}

#[test]
fn hostile_names_cannot_break_files_or_escape_the_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut body = LIFE.replace(
        "title = \"A\"",
        "title = \"A\\nBEGIN:VEVENT\\r\\nUID:evil\"",
    );
    let people = [
        ("../../etc/passwd", "../../x@example.org"),
        ("Ev/il\nBEGIN:VCALENDAR", "evil/..@example.org"),
        ("Smith, John; \"Jr\"", "john,smith;x@example.org"),
        ("李小龍", "李@example.org"),
        ("محمد", "mohamed@例え.jp"),
        ("dup", "x@example.org"),
    ];
    for (name, email) in people {
        body.push_str(&format!(
            "\n[[participant]]\nname = {name:?}\nemail = {email:?}\ntimezone = \"Asia/Tokyo\"\n"
        ));
    }
    let p = write(dir.path(), "life.toml", &body);
    let out = dir.path().join("out");
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    // Nothing was written outside out/ besides the lock beside the programme and the run-lock
    // files (one beside each folder and beside the lock, held while a run writes).
    let mut top: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(
        top,
        [
            ".life.toml.lock.roundtable-run",
            ".out.private.roundtable-run",
            ".out.roundtable-run",
            "life.toml",
            "life.toml.lock",
            "out",
            "out.private"
        ]
    );
    let mut files = snapshot(&out);
    files.extend(snapshot(&dir.path().join("out.private")));
    let participant_files: Vec<&String> = files
        .iter()
        .map(|(n, _)| n)
        .filter(|n| n.starts_with("participants/") && n.ends_with(".ics"))
        .collect();
    assert_eq!(participant_files.len(), 7, "{participant_files:?}");
    for (name, bytes) in &files {
        assert!(!name.contains(".."), "{name}");
        if !name.ends_with(".ics") {
            continue;
        }
        let text = String::from_utf8(bytes.clone()).expect("utf8");
        // One calendar, every line CRLF-terminated, no raw CR, no injected component.
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines.iter().filter(|l| **l == "BEGIN:VCALENDAR").count(),
            1,
            "{name}"
        );
        assert!(!text.replace("\r\n", "").contains(['\r', '\n']), "{name}");
        let events = text.matches("\r\nBEGIN:VEVENT\r\n").count();
        assert_eq!(events, text.matches("\r\nEND:VEVENT\r\n").count());
        // The injected text stays inside SUMMARY, escaped: no line of its own.
        assert!(!text.contains("\r\nUID:evil"), "{name}");
        if text.contains("UID:a.life@example.org") {
            assert!(
                text.replace("\r\n ", "")
                    .contains("SUMMARY:A\\nBEGIN:VEVENT\\nUID:evil\r\n"),
                "{name}"
            );
        }
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{name}: {line}");
        }
    }
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "life.toml", LIFE);
    let out = dir.path().join("precious");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::write(out.join("thesis.tex"), "keep me").expect("write");
    roundtable()
        .arg("invites")
        .arg(&p)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("was not written by roundtable"));
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.tex")).expect("kept"),
        "keep me"
    );
}

/// A session file with 1,500 attendees (~150 KB, written in 64 KiB pieces): every attendee of
/// the session, as `times` lists them, appears exactly once; the file passes the independent
/// RFC 5545 lint (CRLF, 75-octet folding, balanced components).
#[test]
fn large_session_calendars_list_every_attendee_once() {
    use std::collections::{BTreeMap, BTreeSet};
    let dir = tempfile::tempdir().expect("tempdir");
    roundtable::generate::generate(dir.path(), 1500, 4, 0, 7).expect("generate");
    let programme = dir.path().join("programme.toml");
    let times = roundtable()
        .args(["times", "--format", "json"])
        .arg(&programme)
        .assert()
        .success();
    let times: serde_json::Value =
        serde_json::from_slice(&times.get_output().stdout).expect("json");
    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in times["rows"].as_array().expect("rows") {
        expected
            .entry(r["session"].as_str().expect("session").to_string())
            .or_default()
            .insert(r["participant"].as_str().expect("participant").to_string());
    }
    let out = dir.path().join("out");
    roundtable()
        .arg("invites")
        .arg(&programme)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let mut files = Vec::new();
    let mut largest = 0;
    for (session, emails) in &expected {
        let file = dir
            .path()
            .join(format!("out.private/sessions/{session}.ics"));
        let bytes = std::fs::read(&file).expect("session file");
        largest = largest.max(bytes.len());
        let text = String::from_utf8(bytes)
            .expect("utf-8")
            .replace("\r\n ", "");
        let attendees: Vec<String> = text
            .lines()
            .filter(|l| l.starts_with("ATTENDEE;"))
            .filter_map(|l| {
                l.rsplit_once(":mailto:")
                    .map(|(_, e)| e.trim_end().to_string())
            })
            .collect();
        let unique: BTreeSet<String> = attendees.iter().cloned().collect();
        assert_eq!(
            unique.len(),
            attendees.len(),
            "{session}: an attendee twice"
        );
        assert_eq!(&unique, emails, "{session}: attendees differ from times");
        assert!(
            text.trim_end().ends_with("END:VEVENT\r\nEND:VCALENDAR"),
            "{session}"
        );
        files.push(file);
    }
    assert!(
        largest > 2 * 64 * 1024,
        "the test must cross pieces: {largest} bytes"
    );
    let lint = std::process::Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ics/lint.py"))
        .args(&files)
        .output()
        .expect("python3");
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stdout)
    );
}

/// Participants whose calendars are the same bytes (same sessions, zone and language) share
/// one file through hard links; calendars that differ never do. Whether linked or written, the
/// bytes are what each participant's calendar must hold: the other tests read them.
#[cfg(unix)]
#[test]
fn participants_with_the_same_calendar_share_one_file() {
    use std::collections::BTreeMap;
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("programme");
    roundtable::generate::generate(&source, 300, 6, 0, 7).expect("generate");
    let out = dir.path().join("out");
    crate::support::invites(&source.join("programme.toml"), &out);
    // Content → the inodes holding it.
    let mut by_content: BTreeMap<Vec<u8>, Vec<u64>> = BTreeMap::new();
    for entry in std::fs::read_dir(out.join("participants")).expect("participants") {
        let path = entry.expect("entry").path();
        let inode = std::fs::metadata(&path).expect("metadata").ino();
        by_content
            .entry(std::fs::read(&path).expect("read"))
            .or_default()
            .push(inode);
    }
    let files: usize = by_content.values().map(Vec::len).sum();
    assert_eq!(files, 300);
    assert!(
        by_content.len() > 1 && by_content.len() < 300,
        "{} distinct calendars: the programme does not test sharing",
        by_content.len()
    );
    let mut seen = std::collections::BTreeSet::new();
    for inodes in by_content.values() {
        assert!(
            inodes.iter().all(|i| *i == inodes[0]),
            "the same calendar in {} files is not one file",
            inodes.len()
        );
        assert!(
            seen.insert(inodes[0]),
            "two different calendars share a file"
        );
    }
}
