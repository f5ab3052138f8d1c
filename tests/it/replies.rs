//! `roundtable replies` on hand-written answers (tests/data/replies/): the same eleven mails as
//! a plain folder (`folder/`), a Maildir (`maildir/`) and an mbox (`replies.mbox`), shaped as
//! Outlook/Exchange (multipart/alternative, base64 text/calendar, X-MICROSOFT-CDO, a COUNTER
//! with a Windows zone name), Google Calendar (text/calendar plus an `invite.ics` copy, a
//! RECURRENCE-ID in UTC), Apple Mail (quoted-printable `.ics` attachment, DECLINED) and a bare
//! `.ics` file write them.
//!
//! The programme (tests/data/replies/programme.toml) is published, then its kick-off moved,
//! so that the kick-off is at SEQUENCE 1 and the weekly call at 0. Expected counts worked by
//! hand from the fixtures:
//!
//! - kickoff (ana, ben, chloe, dev invited): ana ACCEPTED (Outlook, SEQUENCE 1), chloe
//!   DECLINED (Apple, SEQUENCE 1), dev ACCEPTED SEQUENCE 0 (stale), ben nothing: accepted 1,
//!   tentative 0, declined 1, no answer 2. Ana's COUNTER proposes 16:00-17:00 in
//!   "E. South America Standard Time" (read in her zone, America/Sao_Paulo, UTC-3): 19:00Z,
//!   20:00-21:00 in Berlin (CET, +1, before the switch on 31 March).
//! - weekly (ana, ben, chloe; dev is not in `core`): ben ACCEPTED the series (Gmail) and
//!   DECLINED the occurrence of 2024-03-20 (RECURRENCE-ID 20240320T090000Z = 10:00 Berlin);
//!   ana ACCEPTED (DTSTAMP 5 March) and TENTATIVE (DTSTAMP 4 March, later in file order): the
//!   newer DTSTAMP wins; chloe nothing. Series: accepted 2, no answer 1. 13 and 27 March:
//!   accepted 2, no answer 1; 20 March: accepted 1, declined 1, no answer 1.
//! - ignored: one reply to another programme's UID, one from dev to the weekly call.

use std::path::{Path, PathBuf};

use crate::support::{ok, root, roundtable_process, run};
use serde_json::Value;

fn data() -> PathBuf {
    root().join("tests/data/replies")
}

/// The programme, published, then its kick-off moved and published again (SEQUENCE 1).
fn published(dir: &Path) -> PathBuf {
    let file = dir.join("programme.toml");
    let text = std::fs::read_to_string(data().join("programme.toml")).expect("programme");
    std::fs::write(&file, &text).expect("write");
    let invites = |file: &Path| crate::support::invites(file, &dir.join("out"));
    invites(&file);
    let moved = text
        .replace(
            "start = \"2024-03-12T15:00\"",
            "start = \"2024-03-12T15:30\"",
        )
        .replace("end = \"2024-03-12T16:00\"", "end = \"2024-03-12T16:30\"");
    assert_ne!(moved, text);
    std::fs::write(&file, moved).expect("write");
    let out = invites(&file);
    assert!(out.contains("kickoff  SEQUENCE 1"), "{out}");
    file
}

fn replies(file: &Path, mailbox: &Path, format: &str) -> String {
    ok(
        roundtable_process()
            .arg("replies")
            .arg(file)
            .arg("--mailbox")
            .arg(mailbox)
            .arg("--format")
            .arg(format),
        "replies",
    )
}

fn json(file: &Path, mailbox: &Path) -> Value {
    serde_json::from_str(&replies(file, mailbox, "json")).expect("json")
}

fn event<'a>(v: &'a Value, session: &str) -> &'a Value {
    v["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["session"] == session)
        .unwrap_or_else(|| panic!("no event {session}"))
}

fn counts(v: &Value) -> [u64; 4] {
    let c = &v["counts"];
    ["accepted", "tentative", "declined", "no_answer"].map(|k| c[k].as_u64().expect(k))
}

fn answer_of(v: &Value, email: &str) -> String {
    v["attendees"]
        .as_array()
        .expect("attendees")
        .iter()
        .find(|a| {
            a["email"]
                .as_str()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        })
        .map(|a| a["answer"].as_str().unwrap_or_default().to_string())
        .unwrap_or_else(|| panic!("{email} not listed"))
}

fn check_expected(v: &Value) {
    let kickoff = event(v, "kickoff");
    assert_eq!(kickoff["sequence"], 1);
    assert_eq!(counts(kickoff), [1, 0, 1, 2]);
    assert_eq!(answer_of(kickoff, "ana@example.org"), "accepted");
    assert_eq!(answer_of(kickoff, "chloe@example.com"), "declined");
    assert_eq!(answer_of(kickoff, "ben@example.net"), "no_answer");
    assert_eq!(answer_of(kickoff, "dev@example.in"), "no_answer");
    assert_eq!(kickoff["occurrences"].as_array().map(Vec::len), Some(0));

    let weekly = event(v, "weekly");
    assert_eq!(weekly["sequence"], 0);
    assert_eq!(counts(weekly), [2, 0, 0, 1]);
    assert_eq!(answer_of(weekly, "ana@example.org"), "accepted");
    let occ = weekly["occurrences"].as_array().expect("occurrences");
    let ids: Vec<&str> = occ
        .iter()
        .map(|o| o["recurrence_id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        ids,
        ["20240313T100000", "20240320T100000", "20240327T100000"]
    );
    assert_eq!(occ[0]["start_utc"], "2024-03-13T09:00:00Z");
    assert_eq!(counts(&occ[0]), [2, 0, 0, 1]);
    assert_eq!(counts(&occ[1]), [1, 0, 1, 1]);
    assert_eq!(answer_of(&occ[1], "ben@example.net"), "declined");
    assert_eq!(counts(&occ[2]), [2, 0, 0, 1]);

    let counters = v["counters"].as_array().expect("counters");
    assert_eq!(counters.len(), 1);
    let c = &counters[0];
    assert_eq!(c["session"], "kickoff");
    assert_eq!(c["email"], "ana@example.org");
    assert_eq!(c["start_utc"], "2024-03-12T19:00:00Z");
    assert_eq!(c["end_utc"], "2024-03-12T20:00:00Z");
    assert_eq!(c["participant_start"], "2024-03-12 16:00");
    assert_eq!(c["programme_start"], "2024-03-12 20:00");
    assert_eq!(c["programme_end"], "2024-03-12 21:00");

    let stale = v["stale"].as_array().expect("stale");
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["email"], "dev@example.in");
    assert_eq!(stale[0]["sequence"], 0);
    assert_eq!(stale[0]["current"], 1);

    assert_eq!(v["ignored"]["unknown_event"], 1);
    assert_eq!(v["ignored"]["not_attendee"], 1);
    assert_eq!(v["ignored"].as_object().map(|m| m.len()), Some(2));
    // Ten calendars in eleven mails: Gmail's inline calendar and its invite.ics count once.
    assert_eq!(v["messages"], 11);
    assert_eq!(v["calendars"], 10);
}

#[test]
fn folder_maildir_and_mbox_give_the_hand_worked_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = published(dir.path());
    let mut seen = Vec::new();
    for mailbox in ["folder", "maildir", "replies.mbox"] {
        let v = json(&file, &data().join(mailbox));
        check_expected(&v);
        let mut v = v;
        if let Some(m) = v.as_object_mut() {
            m.remove("ignored_sources");
        }
        seen.push(v);
    }
    assert_eq!(seen[0], seen[1], "folder and Maildir differ");
    assert_eq!(seen[0], seen[2], "folder and mbox differ");
}

#[test]
fn text_and_markdown_name_who_and_echo_no_foreign_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = published(dir.path());
    let text = replies(&file, &data().join("folder"), "text");
    assert!(
        text.contains(
            "kickoff  Kick-off  SEQUENCE 1\n  accepted 1, tentative 0, declined 1, no answer 2\n"
        ),
        "{text}"
    );
    assert!(text.contains("    declined: Chloé Martin\n"), "{text}");
    assert!(
        text.contains("  2024-03-20 10:00: accepted 1, tentative 0, declined 1, no answer 1\n"),
        "{text}"
    );
    assert!(
        text.contains("kickoff: Ana Souza proposes 2024-03-12 16:00 to 2024-03-12 17:00 America/Sao_Paulo = 2024-03-12 20:00 to 2024-03-12 21:00 Europe/Berlin"),
        "{text}"
    );
    assert!(
        text.contains("kickoff: Dev Patel answered SEQUENCE 0 (now 1)"),
        "{text}"
    );
    assert!(
        text.contains("ignored: 2 (unknown event (UID) 1, not an attendee 1)"),
        "{text}"
    );
    let md = replies(&file, &data().join("folder"), "markdown");
    assert!(md.contains("### kickoff — Kick-off (SEQUENCE 1)"), "{md}");
    for out in [&text, &md] {
        // The reply to another programme names someone who is none of ours: never shown.
        assert!(
            !out.contains("Secret Name") && !out.contains("secret@"),
            "{out}"
        );
        assert!(!out.contains("other-event"), "{out}");
    }
}

#[test]
fn the_newest_dtstamp_wins_within_a_sequence() {
    // Chloé declines the kick-off at SEQUENCE 1 (Apple, DTSTAMP 4 March); an accept at the
    // same SEQUENCE with an older DTSTAMP loses to the decline (though later in file order),
    // one with a newer DTSTAMP wins. Her e-mail is matched case-insensitively (MAILTO:).
    let dir = tempfile::tempdir().expect("tempdir");
    let file = published(dir.path());
    let mailbox = dir.path().join("box");
    std::fs::create_dir(&mailbox).expect("mkdir");
    std::fs::copy(
        data().join("folder/04-apple-decline.eml"),
        mailbox.join("a.eml"),
    )
    .expect("copy");
    let accept = |stamp: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:kickoff.replies-2024-03@example.org\r\nSEQUENCE:1\r\nDTSTAMP:{stamp}\r\nATTENDEE;PARTSTAT=ACCEPTED:MAILTO:Chloe@Example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    std::fs::write(mailbox.join("b.ics"), accept("20240301T000000Z")).expect("write");
    let v = json(&file, &mailbox);
    assert_eq!(
        answer_of(event(&v, "kickoff"), "chloe@example.com"),
        "declined"
    );
    std::fs::write(mailbox.join("b.ics"), accept("20240310T000000Z")).expect("write");
    let v = json(&file, &mailbox);
    assert_eq!(
        answer_of(event(&v, "kickoff"), "chloe@example.com"),
        "accepted"
    );
}

#[test]
fn unreadable_entries_are_counted_not_quoted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = published(dir.path());
    let mailbox = dir.path().join("box");
    std::fs::create_dir(&mailbox).expect("mkdir");
    std::fs::copy(
        data().join("folder/01-outlook-accept.eml"),
        mailbox.join("1.eml"),
    )
    .expect("copy");
    // A symbolic link (not a regular file) and a folder named like a mail.
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        data().join("folder/04-apple-decline.eml"),
        mailbox.join("2.eml"),
    )
    .expect("symlink");
    std::fs::create_dir(mailbox.join("3.eml")).expect("mkdir");
    // Not a mail at all: binary noise.
    std::fs::write(mailbox.join("4.eml"), b"\x00\xffSECRET-CONTENT\x00").expect("write");
    let v = json(&file, &mailbox);
    assert_eq!(
        answer_of(event(&v, "kickoff"), "ana@example.org"),
        "accepted"
    );
    assert_eq!(
        answer_of(event(&v, "kickoff"), "chloe@example.com"),
        "no_answer"
    );
    let unreadable = v["ignored"]["unreadable"].as_u64().unwrap_or(0);
    assert!(unreadable >= 2, "{v}");
    assert!(!v.to_string().contains("SECRET-CONTENT"));

    let (code, out, err) = run(roundtable_process()
        .arg("replies")
        .arg(&file)
        .arg("--mailbox")
        .arg(dir.path().join("missing")));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("missing"), "{err}");
}

#[test]
fn build_with_a_mailbox_writes_attendance_privately_and_counts_on_the_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = published(dir.path());
    ok(
        roundtable_process()
            .arg("build")
            .arg(&file)
            .arg("--out")
            .arg(dir.path().join("out"))
            .arg("--mailbox")
            .arg(data().join("folder")),
        "build",
    );
    let page = std::fs::read_to_string(dir.path().join("out/index.html")).expect("page");
    // The page's text without its markup (its words are marked for the language selector).
    let text: String = page
        .split('<')
        .map(|part| part.split_once('>').map_or(part, |(_, t)| t))
        .collect();
    // Counts from the header of this file: kickoff 1/0/1/2, weekly 2/0/0/1.
    assert!(
        text.contains(
            "Answers to the invitation: 1 accepted · 0 tentative · 1 declined · 2 no answer"
        ),
        "kickoff counts"
    );
    assert!(
        text.contains(
            "Answers to the invitation: 2 accepted · 0 tentative · 0 declined · 1 no answer"
        ),
        "weekly counts"
    );
    // Nobody's answer is named on the public page; the private files name them.
    assert!(
        !page.contains("declined: ") && !page.contains("@example"),
        "names on the page"
    );
    let private = dir.path().join("out.private");
    let md = std::fs::read_to_string(private.join("attendance.md")).expect("attendance.md");
    assert!(md.contains("kickoff"), "{md}");
    let j: Value = serde_json::from_str(
        &std::fs::read_to_string(private.join("attendance.json")).expect("attendance.json"),
    )
    .expect("json");
    assert_eq!(counts(event(&j, "kickoff")), [1, 0, 1, 2]);
}
