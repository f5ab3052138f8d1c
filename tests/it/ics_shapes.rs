//! The shapes `invites` gives the occurrences readers could take differently (issue 15), worked
//! out by hand from the tz rules and RFC 5545: ends in a fold, occurrences across a change of
//! offset, series that meet a gap or fold, fixed offsets. What real readers make of them is
//! checked in tests/it/ics_parsers.rs, tests/it/sweep.rs and tests/it/clients.rs.

use crate::support::roundtable;
use std::path::Path;

const HEAD: &str = r#"[programme]
id = "shapes"
title = "Shapes"
timezone = "America/New_York"
organizer = { name = "Org", email = "org@example.org" }

[[participant]]
name = "Ana"
email = "ana@example.org"
timezone = "Europe/Paris"
"#;

/// Runs `invites` on HEAD + `sessions` and returns the unfolded lines of
/// `out.private/sessions/<stem>.ics` for each stem asked for (`None` when missing).
fn invites(dir: &Path, sessions: &str) {
    std::fs::write(dir.join("p.toml"), format!("{HEAD}{sessions}")).expect("write");
    roundtable()
        .arg("invites")
        .arg(dir.join("p.toml"))
        .arg("--out")
        .arg(dir.join("out"))
        .assert()
        .success();
}

fn lines(dir: &Path, stem: &str) -> Option<Vec<String>> {
    let text =
        std::fs::read_to_string(dir.join(format!("out.private/sessions/{stem}.ics"))).ok()?;
    let unfolded = text.replace("\r\n ", "");
    Some(unfolded.lines().map(str::to_string).collect())
}

/// The lines of the VEVENTs that carry times or the UID, in order.
fn times(lines: &[String]) -> Vec<&str> {
    let mut inside = false;
    let mut out = Vec::new();
    for l in lines {
        match l.as_str() {
            "BEGIN:VEVENT" => inside = true,
            "END:VEVENT" => inside = false,
            l if inside
                && [
                    "DTSTART",
                    "DTEND",
                    "DURATION",
                    "RRULE",
                    "RECURRENCE-ID",
                    "EXDATE",
                    "UID",
                ]
                .iter()
                .any(|p| l.starts_with(p)) =>
            {
                out.push(l)
            }
            _ => {}
        }
    }
    out
}

fn stems(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join("out.private/sessions"))
        .expect("sessions")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_one_off_ending_in_a_fold_is_written_in_utc() {
    // New York, 2024-11-03: 02:00 EDT becomes 01:00 EST (06:00Z), so 01:00–02:00 happens
    // twice. 00:45 EDT = 04:45Z; +30 min = 05:15Z = 01:15 EDT, the first 01:15. Written as a
    // local 01:15 it would be read as the second one (06:15Z) by ical.js and libical.
    let dir = tempfile::tempdir().expect("tempdir");
    invites(
        dir.path(),
        r#"
[[session]]
id = "late"
title = "Late"
start = "2024-11-03T00:45"
duration = "30m"
audience = "all"
"#,
    );
    let l = lines(dir.path(), "late").expect("late.ics");
    assert_eq!(
        times(&l),
        [
            "UID:late.shapes@example.org",
            "DTSTART:20241103T044500Z",
            "DTEND:20241103T051500Z"
        ]
    );
}

#[test]
fn an_occurrence_across_a_change_is_an_override_in_utc() {
    // Paris, 2024-10-27: 03:00 CEST becomes 02:00 CET (01:00Z). Daily 01:30 for 2 h: on the
    // 27th it runs 01:30 CEST (23:30Z on the 26th) to 01:30Z (02:30 CET) — the offset changes
    // during it, so readers that add the length in local time would end it at 03:30 CET. The
    // others stay inside one offset: 25th, 26th 01:30–03:30 CEST; 28th, 29th CET.
    let dir = tempfile::tempdir().expect("tempdir");
    invites(
        dir.path(),
        r#"
[[session]]
id = "span"
title = "Span"
start = "2024-10-25T01:30"
timezone = "Europe/Paris"
duration = "2h"
repeat = "FREQ=DAILY;COUNT=5"
audience = "all"
"#,
    );
    let l = lines(dir.path(), "span").expect("span.ics");
    assert_eq!(
        times(&l),
        [
            "UID:span.shapes@example.org",
            "DTSTART;TZID=Europe/Paris:20241025T013000",
            "DTEND;TZID=Europe/Paris:20241025T033000",
            "RRULE:FREQ=DAILY;COUNT=5",
            "UID:span.shapes@example.org",
            "RECURRENCE-ID;TZID=Europe/Paris:20241027T013000",
            "DTSTART:20241026T233000Z",
            "DTEND:20241027T013000Z",
        ]
    );
}

#[test]
fn a_series_meeting_a_gap_is_split_there_and_the_parts_cancelled_when_it_moves() {
    // New York, 2024-03-10: 02:00 EST becomes 03:00 EDT (07:00Z); 02:30 does not exist.
    // Daily 02:30 from the 8th, 5 times, `compatible` (03:30 EDT on the 10th = 07:30Z).
    // Parts: 8th–9th (02:30 EST = 07:30Z, UNTIL the 9th's), the 10th alone in UTC, 11th–12th
    // (02:30 EDT = 06:30Z).
    let dir = tempfile::tempdir().expect("tempdir");
    let series = |start: &str| {
        format!(
            r#"
[[session]]
id = "gap"
title = "Gap"
start = "{start}"
duration = "1h"
repeat = "FREQ=DAILY;COUNT=5"
disambiguation = "compatible"
audience = "all"
"#
        )
    };
    invites(dir.path(), &series("2024-03-08T02:30"));
    assert_eq!(
        stems(dir.path()),
        ["gap.ics", "gap~20240310T0230.ics", "gap~20240311T0230.ics"]
    );
    assert_eq!(
        times(&lines(dir.path(), "gap").expect("gap")),
        [
            "UID:gap.shapes@example.org",
            "DTSTART;TZID=America/New_York:20240308T023000",
            "DTEND;TZID=America/New_York:20240308T033000",
            "RRULE:FREQ=DAILY;UNTIL=20240309T073000Z",
        ]
    );
    assert_eq!(
        times(&lines(dir.path(), "gap~20240310T0230").expect("part 2")),
        [
            "UID:gap~20240310T0230.shapes@example.org",
            "DTSTART:20240310T073000Z",
            "DTEND:20240310T083000Z",
        ]
    );
    assert_eq!(
        times(&lines(dir.path(), "gap~20240311T0230").expect("part 3")),
        [
            "UID:gap~20240311T0230.shapes@example.org",
            "DTSTART;TZID=America/New_York:20240311T023000",
            "DTEND;TZID=America/New_York:20240311T033000",
            "RRULE:FREQ=DAILY;UNTIL=20240312T063000Z",
        ]
    );
    // Moved to 10:00, the series meets no gap: one event, a higher SEQUENCE for the session's
    // UID, and a CANCEL for each part that no longer exists.
    invites(dir.path(), &series("2024-03-08T10:00"));
    assert_eq!(
        stems(dir.path()),
        [
            "gap.ics",
            "gap~20240310T0230.cancel.ics",
            "gap~20240311T0230.cancel.ics"
        ]
    );
    let moved = lines(dir.path(), "gap").expect("gap");
    assert!(moved.contains(&"SEQUENCE:1".to_string()), "{moved:?}");
    assert!(
        moved.contains(&"RRULE:FREQ=DAILY;COUNT=5".to_string()),
        "{moved:?}"
    );
    let cancel = lines(dir.path(), "gap~20240310T0230.cancel").expect("cancel");
    assert!(cancel.contains(&"METHOD:CANCEL".to_string()), "{cancel:?}");
    assert!(
        cancel.contains(&"UID:gap~20240310T0230.shapes@example.org".to_string()),
        "{cancel:?}"
    );
}

#[test]
fn whole_hour_fixed_offsets_have_names_the_c_library_reads() {
    // UTC-03:00 is the IANA zone Etc/GMT+3 (POSIX signs): calcurse, which hands a TZID to the
    // C library, reads it right; `UTC-0300` it would read as a POSIX string, 3 hours east.
    // UTC+01:00 is `<+01>-1`, the POSIX string of Etc/GMT-1 (Evolution's data server reads the
    // name Etc/GMT-1 as UTC). 12:00 at -03:00 is 15:00Z; 12:00 at +01:00 is 11:00Z.
    let dir = tempfile::tempdir().expect("tempdir");
    let west = r#"
[[session]]
id = "west"
title = "West"
start = "2024-06-01T12:00"
timezone = "UTC-03:00"
duration = "1h"
audience = "all"
"#;
    let east = r#"
[[session]]
id = "east"
title = "East"
start = "2024-06-01T12:00"
timezone = "UTC+01:00"
duration = "1h"
audience = "all"
"#;
    invites(dir.path(), &format!("{west}{east}"));
    let l = lines(dir.path(), "west").expect("west.ics");
    assert!(l.contains(&"TZID:Etc/GMT+3".to_string()), "{l:?}");
    assert!(l.contains(&"TZOFFSETTO:-0300".to_string()), "{l:?}");
    assert_eq!(
        times(&l),
        [
            "UID:west.shapes@example.org",
            "DTSTART;TZID=Etc/GMT+3:20240601T120000",
            "DTEND;TZID=Etc/GMT+3:20240601T130000",
        ]
    );
    let l = lines(dir.path(), "east").expect("east.ics");
    assert!(l.contains(&"TZID:<+01>-1".to_string()), "{l:?}");
    assert!(l.contains(&"TZOFFSETTO:+0100".to_string()), "{l:?}");
    assert_eq!(
        times(&l),
        [
            "UID:east.shapes@example.org",
            "DTSTART;TZID=<+01>-1:20240601T120000",
            "DTEND;TZID=<+01>-1:20240601T130000",
        ]
    );
    // Removed, the east session is cancelled from what the lock remembers, in its own zone.
    invites(dir.path(), west);
    let c = lines(dir.path(), "east.cancel").expect("east.cancel.ics");
    assert!(c.contains(&"TZOFFSETTO:+0100".to_string()), "{c:?}");
    assert!(
        c.contains(&"DTSTART;TZID=<+01>-1:20240601T120000".to_string()),
        "{c:?}"
    );
}
