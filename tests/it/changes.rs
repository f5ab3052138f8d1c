//! What changed since the last run: `invites --dry-run` (text and JSON) and the summary of a
//! writing run, each after a real run and an edit of the programme. Every expected line is
//! worked out by hand from the edit (times in the programme's zone, Europe/Madrid: CET, UTC+1,
//! all of November and December 2023), never copied from roundtable's output.

use crate::support::{roundtable, write};
use predicates::prelude::*;
use std::path::PathBuf;

/// `opening`: 15:00–16:00 Madrid on Wed 15 Nov 2023, everyone. `clinic`: 09:00 New York (EST,
/// UTC-5) = 14:00Z = 15:00 Madrid, Thursdays 16, 23 and 30 Nov, for `east` (zones Asia/*: Ana
/// in Tokyo and Chen in Shanghai; Bo is in Lagos). Line 12 is the `[[session]]` of `opening`.
const BASE: &str = r#"[programme]
id = "changes"
title = "Changes"
timezone = "Europe/Madrid"
organizer = { name = "Org", email = "org@example.org" }

[[group]]
id = "east"
title = "East"
zones = ["Asia/*"]

[[session]]
id = "opening"
title = "Opening"
start = "2023-11-15T15:00"
duration = "1h"
audience = "all"
join_url = "https://example.org/room-1"

[[session]]
id = "clinic"
title = "Clinic"
start = "2023-11-16T09:00"
timezone = "America/New_York"
duration = "1h"
audience = ["east"]
repeat = "FREQ=WEEKLY;BYDAY=TH;COUNT=3"

[[participant]]
name = "Ana"
email = "ana@example.org"
timezone = "Asia/Tokyo"

[[participant]]
name = "Bo"
email = "bo@example.org"
timezone = "Africa/Lagos"

[[participant]]
name = "Chen"
email = "chen@example.org"
timezone = "Asia/Shanghai"
"#;

/// A folder with the programme written by a first real run (so that its lock exists).
struct Setup {
    dir: tempfile::TempDir,
    programme: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().expect("tempdir");
        let programme = write(dir.path(), "changes.toml", BASE);
        let s = Setup { dir, programme };
        s.invites(&[]).success();
        s
    }

    fn edit(&self, text: &str) {
        write(self.dir.path(), "changes.toml", text);
    }

    fn invites(&self, extra: &[&str]) -> assert_cmd::assert::Assert {
        roundtable()
            .arg("invites")
            .arg(&self.programme)
            .arg("--out")
            .arg(self.dir.path().join("out"))
            .args(extra)
            .assert()
    }

    fn dry_run(&self) -> (String, String) {
        let out = self.invites(&["--dry-run"]).success().get_output().clone();
        (
            String::from_utf8(out.stdout).expect("utf8"),
            String::from_utf8(out.stderr).expect("utf8"),
        )
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(path)).expect(path)
    }
}

#[test]
fn a_moved_session_and_a_longer_series_say_old_and_new_times_in_the_programme_zone() {
    let s = Setup::new();
    s.edit(
        &BASE
            .replace("2023-11-15T15:00", "2023-11-15T14:00")
            .replace("COUNT=3", "COUNT=4"),
    );
    let (stdout, stderr) = s.dry_run();
    // The fourth Thursday is 7 Dec, still 09:00 EST = 15:00 CET. The opening moves an hour
    // earlier and keeps its hour's length.
    assert_eq!(
        stdout,
        "changed           clinic   SEQUENCE 1  clinic.changes@example.org
                  last start 2023-11-30 15:00 → 2023-12-07 15:00 (Europe/Madrid)
                  repeat weekly on Thu, 3 times → weekly on Thu, 4 times
changed           opening  SEQUENCE 1  opening.changes@example.org
                  start 2023-11-15 15:00 → 14:00 (Europe/Madrid)
                  end 2023-11-15 16:00 → 15:00 (Europe/Madrid)
dry run: nothing written
"
    );
    assert_eq!(stderr, "");
    // The writing run says the same, and writes what it said.
    let out = s.invites(&[]).success().get_output().stdout.clone();
    let text = String::from_utf8(out).expect("utf8");
    assert!(text.starts_with(stdout.trim_end_matches("dry run: nothing written\n")));
    assert!(
        s.read("out.private/sessions/opening.ics")
            .contains("SEQUENCE:1\r\n")
    );
    // Nothing changed since: nothing to say.
    let (again, _) = s.dry_run();
    assert_eq!(
        again,
        "unchanged         clinic   SEQUENCE 1  clinic.changes@example.org
unchanged         opening  SEQUENCE 1  opening.changes@example.org
dry run: nothing written
"
    );
}

#[test]
fn the_json_of_a_dry_run_has_the_documented_shape() {
    let s = Setup::new();
    s.edit(
        &BASE
            .replace("2023-11-15T15:00", "2023-11-15T14:00")
            .replace("COUNT=3", "COUNT=4")
            .replace("room-1", "room-2")
            .replace(
                "name = \"Bo\"\nemail = \"bo@example.org\"\ntimezone = \"Africa/Lagos\"",
                "name = \"Dan\"\nemail = \"dan@example.org\"\ntimezone = \"Africa/Lagos\"",
            ),
    );
    let out = s
        .invites(&["--dry-run", "--format", "json"])
        .success()
        .get_output()
        .stdout
        .clone();
    let got: serde_json::Value = serde_json::from_slice(&out).expect("json");
    // Instants in UTC: 14:00 CET = 13:00Z; the clinic's last start 15:00 CET = 14:00Z. Bo left
    // the programme (not named: the lock keeps no e-mails), Dan joined (everyone's session).
    let expected = serde_json::json!({
        "programme": "changes",
        "timezone": "Europe/Madrid",
        "events": [
            {
                "session": "clinic",
                "uid": "clinic.changes@example.org",
                "change": "changed",
                "sequence": 1,
                "series": true,
                "changes": [
                    {"what": "last_start", "from": "2023-11-30T14:00:00Z", "to": "2023-12-07T14:00:00Z"},
                    {"what": "repeat", "from": "FREQ=WEEKLY;BYDAY=TH;COUNT=3", "to": "FREQ=WEEKLY;BYDAY=TH;COUNT=4"},
                ],
            },
            {
                "session": "opening",
                "uid": "opening.changes@example.org",
                "change": "changed",
                "sequence": 1,
                "series": false,
                "changes": [
                    {"what": "start", "from": "2023-11-15T14:00:00Z", "to": "2023-11-15T13:00:00Z"},
                    {"what": "end", "from": "2023-11-15T15:00:00Z", "to": "2023-11-15T14:00:00Z"},
                    {"what": "join_url", "from": "https://example.org/room-1", "to": "https://example.org/room-2"},
                    {
                        "what": "attendees",
                        "before": 3,
                        "after": 3,
                        "added": ["dan@example.org"],
                        "removed": [],
                        "removed_unnamed": 1,
                        "names_changed": false,
                        "unlisted": null,
                    },
                ],
            },
        ],
        "warnings": [],
    });
    assert_eq!(got, expected);
    // Keys are sorted, so the text is stable too.
    let text = String::from_utf8(out).expect("utf8");
    assert!(text.starts_with("{\n  \"events\": ["), "{text}");
}

#[test]
fn participants_added_and_removed_are_named_in_a_dry_run_and_counted_in_a_writing_run() {
    let s = Setup::new();
    // Bo leaves the programme; Chen moves to Berlin (out of `east`, still a participant);
    // Dan joins in Seoul (in `east`).
    let edited = BASE
        .replace(
            "\n[[participant]]\nname = \"Bo\"\nemail = \"bo@example.org\"\ntimezone = \"Africa/Lagos\"\n",
            "",
        )
        .replace("Asia/Shanghai", "Europe/Berlin")
        + "\n[[participant]]\nname = \"Dan\"\nemail = \"dan@example.org\"\ntimezone = \"Asia/Seoul\"\n";
    s.edit(&edited);
    let (stdout, _) = s.dry_run();
    assert_eq!(
        stdout,
        "changed           clinic   SEQUENCE 1  clinic.changes@example.org
                  attendees added (1): dan@example.org
                  attendees removed (1): chen@example.org
changed           opening  SEQUENCE 1  opening.changes@example.org
                  attendees added (1): dan@example.org
                  attendees removed (1): 1 no longer in the programme (the lock keeps no e-mails)
dry run: nothing written
"
    );
    // Without the calendar-address key (a dry run in CI without the secret): counts only.
    let keyless = roundtable()
        .env_remove("ROUNDTABLE_KEY")
        .env("CI", "true")
        .env("XDG_CONFIG_HOME", s.dir.path().join("no-config"))
        .arg("invites")
        .arg(&s.programme)
        .args(["--out", "out", "--dry-run"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let keyless = String::from_utf8(keyless).expect("utf8");
    assert!(keyless.contains(
        "changed           clinic   SEQUENCE 1  clinic.changes@example.org
                  attendees 2 → 2: who changed needs the calendar-address key (--key-file or ROUNDTABLE_KEY)
"
    ));
    assert!(!keyless.contains("dan@"), "{keyless}");
    // The writing run's summary lands in CI logs: how many, never who.
    let written = s.invites(&[]).success().get_output().stdout.clone();
    let written = String::from_utf8(written).expect("utf8");
    assert!(written.starts_with(
        "changed           clinic   SEQUENCE 1  clinic.changes@example.org
                  attendees: 1 added, 1 removed
changed           opening  SEQUENCE 1  opening.changes@example.org
                  attendees: 1 added, 1 removed
"
    ));
    for who in ["ana@", "bo@", "chen@", "dan@", "Dan", "Chen"] {
        assert!(!written.contains(who), "{who} in {written}");
    }
    // The lock, meant to be committed, holds no e-mail and no name ('@' and '"' are not base64).
    let lock = s.read("changes.toml.lock");
    for who in [
        "ana@", "bo@", "chen@", "dan@", "\"Ana\"", "\"Dan\"", "\"Chen\"",
    ] {
        assert!(!lock.contains(who), "{who} in the lock");
    }
}

#[test]
fn many_attendees_added_are_listed_ten_then_counted() {
    let s = Setup::new();
    let mut edited = BASE.to_string();
    for n in 1..=13 {
        edited.push_str(&format!(
            "\n[[participant]]\nname = \"P{n:02}\"\nemail = \"p{n:02}@example.org\"\ntimezone = \"Asia/Tokyo\"\n"
        ));
    }
    s.edit(&edited);
    let (stdout, _) = s.dry_run();
    let line = "attendees added (13): p01@example.org, p02@example.org, p03@example.org, p04@example.org, p05@example.org, p06@example.org, p07@example.org, p08@example.org, p09@example.org, p10@example.org, +3 more\n";
    assert_eq!(stdout.matches(line).count(), 2, "{stdout}");
}

#[test]
fn a_renamed_session_is_found_and_previous_id_keeps_its_uid_and_sequence() {
    let s = Setup::new();
    let renamed = BASE.replace("id = \"opening\"", "id = \"welcome\"");
    s.edit(&renamed);
    let (stdout, stderr) = s.dry_run();
    assert_eq!(
        stdout,
        "unchanged         clinic   SEQUENCE 0  clinic.changes@example.org
cancelled         opening  SEQUENCE 1  opening.changes@example.org
new               welcome  SEQUENCE 0  welcome.changes@example.org
                  same times and audience as opening, cancelled in this run: renamed? (see the warning)
dry run: nothing written
"
    );
    assert!(stderr.contains("changes.toml:12:1"), "{stderr}");
    assert!(stderr.contains("session `welcome` is new and has the same times and audience as `opening`, which this run cancels"));
    assert!(stderr.contains("add previous_id = \"opening\" to session `welcome`"));
    // The fix: the event keeps its UID, its SEQUENCE and its invitation file's new name.
    let fixed = renamed.replace(
        "id = \"welcome\"\n",
        "id = \"welcome\"\nprevious_id = \"opening\"\n",
    );
    s.edit(&fixed);
    let (stdout, stderr) = s.dry_run();
    assert_eq!(
        stdout,
        "unchanged         clinic   SEQUENCE 0  clinic.changes@example.org
unchanged         welcome  SEQUENCE 0  opening.changes@example.org
                  renamed from opening (the UID is kept: previous_id)
dry run: nothing written
"
    );
    assert_eq!(stderr, "");
    s.invites(&[]).success();
    s.edit(&fixed.replace("title = \"Opening\"", "title = \"Welcome\""));
    s.invites(&[])
        .success()
        .stdout(predicates::str::starts_with(
            "unchanged         clinic   SEQUENCE 0  clinic.changes@example.org
changed           welcome  SEQUENCE 1  opening.changes@example.org
                  title \"Opening\" → \"Welcome\"
",
        ));
    let request = s.read("out.private/sessions/welcome.ics");
    assert!(request.contains("UID:opening.changes@example.org\r\n"));
    assert!(request.contains("SEQUENCE:1\r\n"));
    assert!(
        !s.dir
            .path()
            .join("out.private/sessions/opening.cancel.ics")
            .exists()
    );
    assert!(
        !s.dir
            .path()
            .join("out.private/sessions/opening.ics")
            .exists()
    );
    let lock = s.read("changes.toml.lock");
    assert!(
        lock.contains(
            "session = \"welcome\"\nuid = \"opening.changes@example.org\"\nsequence = 1\n"
        )
    );
}

#[test]
fn a_new_organizer_domain_is_found_and_uid_domain_keeps_every_uid() {
    let s = Setup::new();
    let moved = BASE.replace("org@example.org", "org@example.net");
    s.edit(&moved);
    let (stdout, stderr) = s.dry_run();
    // Sorted by session, then UID: `…@example.net` before `…@example.org`.
    assert_eq!(
        stdout,
        "new               clinic   SEQUENCE 0  clinic.changes@example.net
                  same session as clinic.changes@example.org, cancelled in this run: the UID's domain changed (see the warning)
cancelled         clinic   SEQUENCE 1  clinic.changes@example.org
new               opening  SEQUENCE 0  opening.changes@example.net
                  same session as opening.changes@example.org, cancelled in this run: the UID's domain changed (see the warning)
cancelled         opening  SEQUENCE 1  opening.changes@example.org
dry run: nothing written
"
    );
    // At the organizer's e-mail: line 5, after `organizer = { name = "Org", email = `.
    assert!(stderr.contains("changes.toml:5:37: "), "{stderr}");
    assert!(stderr.contains("the UIDs' domain changed from example.org to example.net (the organizer's e-mail changed): 2 events are cancelled and added again"), "{stderr}");
    assert!(stderr.contains("add uid_domain = \"example.org\" to [programme]"));
    assert!(!stderr.contains("previous_id"));
    let fixed = moved.replace(
        "organizer = { name = \"Org\", email = \"org@example.net\" }\n",
        "organizer = { name = \"Org\", email = \"org@example.net\" }\nuid_domain = \"example.org\"\n",
    );
    s.edit(&fixed);
    let (stdout, stderr) = s.dry_run();
    assert_eq!(
        stdout,
        "unchanged         clinic   SEQUENCE 0  clinic.changes@example.org
unchanged         opening  SEQUENCE 0  opening.changes@example.org
dry run: nothing written
"
    );
    assert_eq!(stderr, "");
    // A change after it: SEQUENCE goes on from the lock, in every file, with the old UIDs.
    s.edit(&fixed.replace("2023-11-15T15:00", "2023-11-15T16:00"));
    s.invites(&[]).success();
    let uids = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("UID:"))
            .map(String::from)
            .collect()
    };
    for file in [
        "out/changes.ics",
        "out.private/sessions/opening.ics",
        "out.private/sessions/clinic.ics",
    ] {
        let text = s.read(file);
        let found = uids(&text);
        assert!(!found.is_empty(), "{file}");
        assert!(
            found.iter().all(|u| u.ends_with(".changes@example.org")),
            "{file}: {found:?}"
        );
        assert!(text.contains("mailto:org@example.net"), "{file}");
    }
    let request = s.read("out.private/sessions/opening.ics");
    assert!(request.contains("UID:opening.changes@example.org\r\nDTSTAMP:20231114T221320Z\r\nDTSTART;TZID=Europe/Madrid:20231115T160000\r\n"));
    assert!(request.contains("SEQUENCE:1\r\n"));
    let participants: Vec<_> = std::fs::read_dir(s.dir.path().join("out/participants"))
        .expect("participants")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read"))
        .collect();
    assert_eq!(participants.len(), 3);
    for p in participants {
        assert!(p.contains("UID:opening.changes@example.org\r\n"));
        assert!(uids(&p).iter().all(|u| u.ends_with(".changes@example.org")));
    }
}

#[test]
fn a_version_1_lock_is_read_and_says_what_it_can() {
    let dir = tempfile::tempdir().expect("tempdir");
    let programme = write(dir.path(), "changes.toml", BASE);
    // As roundtable wrote it before details were kept: the opening then at 16:00 Madrid
    // (15:00Z), the clinic as now (09:00 New York = 14:00Z) but with another hash.
    write(
        dir.path(),
        "changes.toml.lock",
        r#"version = 1

[[event]]
session = "clinic"
uid = "clinic.changes@example.org"
sequence = 0
hash = "fedcba9876543210"
title = "Clinic"
tzid = "America/New_York"
dtstart = "20231116T090000"
dtend = "20231116T100000"
rrule = "FREQ=WEEKLY;BYDAY=TH;COUNT=3"
first_utc = "2023-11-16T14:00:00+00:00"
last_utc = "2023-11-30T14:00:00+00:00"
audience = ["east"]

[[event]]
session = "opening"
uid = "opening.changes@example.org"
sequence = 2
hash = "0123456789abcdef"
title = "Opening"
tzid = "Europe/Madrid"
dtstart = "20231115T160000"
dtend = "20231115T170000"
first_utc = "2023-11-15T15:00:00+00:00"
last_utc = "2023-11-15T15:00:00+00:00"
audience = ["all"]
"#,
    );
    let run = |extra: &[&str]| {
        roundtable()
            .arg("invites")
            .arg(&programme)
            .arg("--out")
            .arg(dir.path().join("out"))
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let stdout = String::from_utf8(run(&["--dry-run"])).expect("utf8");
    assert_eq!(
        stdout,
        "changed           clinic   SEQUENCE 1  clinic.changes@example.org
                  details unknown: the lock was written by an earlier roundtable, which kept only times and titles
changed           opening  SEQUENCE 3  opening.changes@example.org
                  start 2023-11-15 16:00 → 15:00 (Europe/Madrid)
                  end 2023-11-15 17:00 → 16:00 (Europe/Madrid)
                  other details unknown: the lock was written by an earlier roundtable
dry run: nothing written
"
    );
    run(&[]);
    let lock = std::fs::read_to_string(dir.path().join("changes.toml.lock")).expect("lock");
    assert!(lock.contains("\nversion = 2\n"));
    assert_eq!(lock.matches("[event.details]").count(), 2);
}

#[test]
fn previous_id_may_not_be_the_sessions_own_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(
        dir.path(),
        "changes.toml",
        &BASE.replace(
            "id = \"opening\"\n",
            "id = \"opening\"\nprevious_id = \"opening\"\n",
        ),
    );
    roundtable()
        .arg("times")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "changes.toml:14:15: previous_id `opening` is the session's own id",
        ))
        .stderr(predicates::str::contains(
            "remove it: a session keeps its own UID without it",
        ));
}

#[test]
fn format_json_is_for_dry_runs() {
    let s = Setup::new();
    s.invites(&["--format", "json"])
        .code(2)
        .stderr(predicates::str::contains("--dry-run"));
}

#[test]
fn a_lock_of_a_later_version_is_not_supported_rather_than_damaged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "changes.toml", BASE);
    write(
        dir.path(),
        "changes.toml.lock",
        "version = 3\nsomething_new = true\n",
    );
    roundtable()
        .arg("invites")
        .arg(&p)
        .args(["--out", "out", "--dry-run"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "lock file version 3 is not supported (this roundtable reads versions 1 to 2",
        ))
        .stderr(predicates::str::contains("damaged").not());
}

#[test]
fn a_moved_occurrence_says_which_and_where_it_went() {
    let s = Setup::new();
    // The second clinic, Thu 23 Nov 09:00 New York (EST) = 15:00 Madrid, moves to 11:00 New
    // York = 17:00 Madrid, for its hour. Its RECURRENCE-ID is the series' civil start.
    let moved = |start: &str| {
        BASE.replace(
            "repeat = \"FREQ=WEEKLY;BYDAY=TH;COUNT=3\"\n",
            &format!(
                "repeat = \"FREQ=WEEKLY;BYDAY=TH;COUNT=3\"\n\n[[session.occurrence]]\ndate = \"2023-11-23\"\nstart = \"{start}\"\n"
            ),
        )
    };
    s.edit(&moved("2023-11-23T11:00"));
    let (stdout, _) = s.dry_run();
    assert!(
        stdout.contains(
            "changed           clinic   SEQUENCE 1  clinic.changes@example.org
                  occurrence 20231123T090000: now 2023-11-23 17:00–18:00 (Europe/Madrid)
"
        ),
        "{stdout}"
    );
    s.invites(&[]).success();
    // An hour later still: from 17:00 to 18:00 Madrid.
    s.edit(&moved("2023-11-23T12:00"));
    let (stdout, _) = s.dry_run();
    assert!(
        stdout.contains("occurrence 20231123T090000: 2023-11-23 17:00–18:00 → 2023-11-23 18:00–19:00 (Europe/Madrid)"),
        "{stdout}"
    );
    s.invites(&[]).success();
    // Back to the series: the override is gone.
    s.edit(BASE);
    let (stdout, _) = s.dry_run();
    assert!(
        stdout.contains("occurrence 20231123T090000: back at its series time (was 2023-11-23 18:00–19:00) (Europe/Madrid)"),
        "{stdout}"
    );
}
