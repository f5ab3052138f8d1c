//! Busy calendars as Google, Outlook and Apple export them, read by `roundtable::busy`.
//!
//! Every expected interval is worked out by hand from the fixture (tests/data/busy/): the local
//! time, the offset in force that day, and the UTC result are written next to it. Offsets used:
//! America/Sao_Paulo −03:00 all year (no DST since 2019); Europe/Paris, Amsterdam, Berlin
//! +01:00, +02:00 from the last Sunday of March 01:00Z (2024-03-31) to the last Sunday of
//! October 01:00Z (2024-10-27); America/Los_Angeles −07:00 from 2024-03-10 (second Sunday of
//! March); America/New_York −04:00 until 2024-11-03, then −05:00.

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use roundtable::busy::{self, Busy, MAX_BYTES, MAX_OCCURRENCES_PER_EVENT};
use roundtable::error::{Diagnostic, Error};
use roundtable::zone::{Zone, ZoneSpec};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn zone(name: &str) -> Zone {
    name.parse::<ZoneSpec>().unwrap().zone
}

fn fixture(name: &str) -> (PathBuf, Vec<u8>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/busy")
        .join(name);
    let bytes = std::fs::read(&path).unwrap();
    (path, bytes)
}

fn read_fixture(name: &str, local: &str, window: (DateTime<Utc>, DateTime<Utc>)) -> Vec<Busy> {
    let (path, bytes) = fixture(name);
    match busy::read(&path, &bytes, &zone(local), window) {
        Ok(list) => list,
        Err(e) => panic!("{name}: {e}"),
    }
}

fn read_text(
    text: &str,
    local: &str,
    window: (DateTime<Utc>, DateTime<Utc>),
) -> Result<Vec<Busy>, Error> {
    busy::read(
        Path::new("inline.ics"),
        text.as_bytes(),
        &zone(local),
        window,
    )
}

fn diagnostics(result: Result<Vec<Busy>, Error>) -> Vec<Diagnostic> {
    match result {
        Ok(list) => panic!("expected an error, got {list:?}"),
        Err(Error::Invalid(d)) => d,
        Err(other) => panic!("expected Error::Invalid, got {other}"),
    }
}

fn b(start: DateTime<Utc>, end: DateTime<Utc>, summary: &str, uid: &str) -> Busy {
    Busy {
        start,
        end,
        summary: summary.to_string(),
        uid: uid.to_string(),
    }
}

/// Wraps VEVENT lines in a calendar (LF line ends).
fn calendar(body: &str) -> String {
    format!("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{body}END:VCALENDAR\n")
}

// ---------------------------------------------------------------------------------------------
// Google Calendar export

const SYNC: &str = "7kukuqrfedlm2f9t4vn0ob3p5h@google.com";
const SYNC_TITLE: &str = "Weekly team sync — produto, dados e engenharia";

#[test]
fn google_export() {
    // Ana, in São Paulo, checked from Wed 10 Jan to Sat 24 Feb 2024.
    let got = read_fixture(
        "google.ics",
        "America/Sao_Paulo",
        (utc(2024, 1, 10, 0, 0), utc(2024, 2, 24, 0, 0)),
    );
    let want = vec![
        // Mondays 09:00–10:00 São Paulo (−03) = 12:00–13:00Z. Mon 8 Jan is before the window.
        b(
            utc(2024, 1, 15, 12, 0),
            utc(2024, 1, 15, 13, 0),
            SYNC_TITLE,
            SYNC,
        ),
        // UTC times as written; STATUS:TENTATIVE is busy; `\,` and `\;` unescaped.
        b(
            utc(2024, 1, 15, 15, 0),
            utc(2024, 1, 15, 16, 30),
            "Call with Lagos office, Q1 planning; bring numbers",
            "2q8m1v3k9c0t5b7n4x6z8w0e2r@google.com",
        ),
        // Mon 22 Jan 09:00 is replaced by its override (RECURRENCE-ID 20240122T090000): Tue 23
        // Jan 14:00–15:00 −03 = 17:00–18:00Z. Nothing on the 22nd.
        b(
            utc(2024, 1, 23, 17, 0),
            utc(2024, 1, 23, 18, 0),
            "Weekly team sync (moved to Tuesday)",
            SYNC,
        ),
        b(
            utc(2024, 1, 29, 12, 0),
            utc(2024, 1, 29, 13, 0),
            SYNC_TITLE,
            SYNC,
        ),
        // All-day 31 Jan – 1 Feb (DTEND 2 Feb): 00:00 −03 on the 31st to 00:00 −03 on 2 Feb.
        b(
            utc(2024, 1, 31, 3, 0),
            utc(2024, 2, 2, 3, 0),
            "Férias (Florianópolis)",
            "0a1b2c3d4e5f6g7h8i9j0k1l2m@google.com",
        ),
        b(
            utc(2024, 2, 5, 12, 0),
            utc(2024, 2, 5, 13, 0),
            SYNC_TITLE,
            SYNC,
        ),
        // TZID=Europe/Paris 10:00–11:00 CET (+01) = 09:00–10:00Z.
        b(
            utc(2024, 2, 7, 9, 0),
            utc(2024, 2, 7, 10, 0),
            "Steering committee (Paris time)",
            "5h7j9k1l3m5n7p9q1r3s5t7u9v@google.com",
        ),
        // Mon 12 Feb is EXDATE'd. Mon 19 Feb:
        b(
            utc(2024, 2, 19, 12, 0),
            utc(2024, 2, 19, 13, 0),
            SYNC_TITLE,
            SYNC,
        ),
        // Mon 26 Feb is after the window. The transparent holiday (25 Jan) and the cancelled
        // demo (14 Feb) are absent.
    ];
    assert_eq!(got, want);
}

#[test]
fn google_series_ends_at_its_until() {
    // UNTIL=20240227T025959Z is Mon 26 Feb 23:59:59 −03: the last Monday is the 26th.
    let got: Vec<_> = read_fixture(
        "google.ics",
        "America/Sao_Paulo",
        (utc(2024, 1, 1, 0, 0), utc(2024, 6, 1, 0, 0)),
    )
    .into_iter()
    .filter(|x| x.uid == SYNC)
    .map(|x| x.start)
    .collect();
    assert_eq!(
        got,
        vec![
            utc(2024, 1, 8, 12, 0),
            utc(2024, 1, 15, 12, 0),
            utc(2024, 1, 23, 17, 0), // the override
            utc(2024, 1, 29, 12, 0),
            utc(2024, 2, 5, 12, 0),
            utc(2024, 2, 19, 12, 0),
            utc(2024, 2, 26, 12, 0),
        ]
    );
}

#[test]
fn window_is_half_open_and_partial_overlaps_count() {
    // [12:30Z, 15:00Z) on 15 Jan: the sync (12:00–13:00Z) overlaps it partly; the Lagos call
    // starts at 15:00Z, the window's (excluded) end.
    let got = read_fixture(
        "google.ics",
        "America/Sao_Paulo",
        (utc(2024, 1, 15, 12, 30), utc(2024, 1, 15, 15, 0)),
    );
    assert_eq!(
        got,
        vec![b(
            utc(2024, 1, 15, 12, 0),
            utc(2024, 1, 15, 13, 0),
            SYNC_TITLE,
            SYNC
        )]
    );
    // A window ending when the sync starts (12:00Z) sees nothing that day.
    let got = read_fixture(
        "google.ics",
        "America/Sao_Paulo",
        (utc(2024, 1, 15, 0, 0), utc(2024, 1, 15, 12, 0)),
    );
    assert_eq!(got, vec![]);
}

// ---------------------------------------------------------------------------------------------
// Outlook export

const STANDUP: &str = concat!(
    "040000008200E00074C5B7101A82E0080000000010A1B2C3D4E5DA0100000000000000",
    "0010000000AB12CD34EF56AB12CD34EF56AB12CD34"
);
const SANTIAGO: &str = concat!(
    "040000008200E00074C5B7101A82E00800000000FACADE00FACADE0100000000000000",
    "0010000000FACADE00FACADE00FACADE00FACADE00"
);

#[test]
fn outlook_export() {
    // Jan, in Amsterdam, checked from Mon 18 Mar to Sat 20 Apr 2024.
    let got = read_fixture(
        "outlook.ics",
        "Europe/Amsterdam",
        (utc(2024, 3, 18, 0, 0), utc(2024, 4, 20, 0, 0)),
    );
    let want = vec![
        // TZID="W. Europe Standard Time" → Europe/Berlin (CLDR). Mon 18 Mar 10:00–10:30 CET
        // (+01) = 09:00–09:30Z.
        b(
            utc(2024, 3, 18, 9, 0),
            utc(2024, 3, 18, 9, 30),
            "Standup",
            STANDUP,
        ),
        // The exception for Mon 25 Mar (RECURRENCE-ID 10:00): 11:00–11:30 CET = 10:00–10:30Z,
        // STATUS:TENTATIVE.
        b(
            utc(2024, 3, 25, 10, 0),
            utc(2024, 3, 25, 10, 30),
            "Standup (later today)",
            STANDUP,
        ),
        // TZID=Pacific Standard Time (unquoted) → America/Los_Angeles: Tue 26 Mar 08:00–09:00
        // PDT (−07, since 10 Mar) = 15:00–16:00Z.
        b(
            utc(2024, 3, 26, 15, 0),
            utc(2024, 3, 26, 16, 0),
            "Review with the Seattle team",
            "040000008200E00074C5B7101A82E00800000000DEADBEEFDEADBE01000000000000000010000000DEADBEEFDEADBEEFDEADBEEFDEADBEEF",
        ),
        // TZID="Customized Time Zone", known only from its VTIMEZONE: −03 (DAYLIGHT since the
        // first Sunday of September) until the first Sunday of April, 00:00 local, then −04.
        // Fri 29 Mar 10:00–11:00 −03 = 13:00–14:00Z.
        b(
            utc(2024, 3, 29, 13, 0),
            utc(2024, 3, 29, 14, 0),
            "Call with the Santiago office",
            SANTIAGO,
        ),
        // All-day Sat 30 – Sun 31 Mar (DTEND 1 Apr), in Amsterdam: 00:00 CET (+01) on the 30th
        // = 29 Mar 23:00Z, to 00:00 CEST (+02) on 1 Apr = 31 Mar 22:00Z (a 47-hour weekend: the
        // clocks went forward on the 31st). X-MICROSOFT-CDO-BUSYSTATUS:OOF is busy.
        b(
            utc(2024, 3, 29, 23, 0),
            utc(2024, 3, 31, 22, 0),
            "Weekend weg",
            "040000008200E00074C5B7101A82E00800000000A11DA7A11DA701000000000000000010000000A11DA7A11DA7A11DA7A11DA7A11DA7",
        ),
        // Fri 5 Apr 10:00 −03 (the custom zone changes on Sun 7 Apr) = 13:00Z.
        b(
            utc(2024, 4, 5, 13, 0),
            utc(2024, 4, 5, 14, 0),
            "Call with the Santiago office",
            SANTIAGO,
        ),
        // Mon 1 Apr is EXDATE'd (Easter Monday). Mon 8 Apr 10:00 CEST (+02) = 08:00Z.
        b(
            utc(2024, 4, 8, 8, 0),
            utc(2024, 4, 8, 8, 30),
            "Standup",
            STANDUP,
        ),
        // Fri 12 Apr 10:00 −04 = 14:00Z (third and last, COUNT=3).
        b(
            utc(2024, 4, 12, 14, 0),
            utc(2024, 4, 12, 15, 0),
            "Call with the Santiago office",
            SANTIAGO,
        ),
        // Mon 15 Apr 10:00 CEST = 08:00Z, exactly UNTIL=20240415T080000Z: included, the last.
        b(
            utc(2024, 4, 15, 8, 0),
            utc(2024, 4, 15, 8, 30),
            "Standup",
            STANDUP,
        ),
        // The Lunch on 20 Mar is TRANSP:TRANSPARENT (BUSYSTATUS FREE): absent.
    ];
    assert_eq!(got, want);
}

// ---------------------------------------------------------------------------------------------
// Apple Calendar export

const POINT: &str = "5F3A2C1E-8B7D-4E6F-9A1B-2C3D4E5F6A7B";

#[test]
fn apple_export() {
    // Claire, in Paris, checked from Mon 14 Oct to Sun 10 Nov 2024.
    let got = read_fixture(
        "apple.ics",
        "Europe/Paris",
        (utc(2024, 10, 14, 0, 0), utc(2024, 11, 10, 0, 0)),
    );
    let want = vec![
        // Tuesdays 09:00–09:30 Europe/Paris, COUNT=4 (15, 22, 29 Oct, 5 Nov).
        // Tue 15 Oct, CEST (+02): 07:00–07:30Z.
        b(
            utc(2024, 10, 15, 7, 0),
            utc(2024, 10, 15, 7, 30),
            "Point hebdo",
            POINT,
        ),
        // Tue 22 Oct moved to Wed 23 Oct 16:00–16:30 CEST = 14:00–14:30Z.
        b(
            utc(2024, 10, 23, 14, 0),
            utc(2024, 10, 23, 14, 30),
            "Point hebdo (déplacé au mercredi)",
            POINT,
        ),
        // Tue 29 Oct: its override is STATUS:CANCELLED, so nothing.
        // All-day Fri 1 Nov in Paris, CET (+01) since 27 Oct: 31 Oct 23:00Z – 1 Nov 23:00Z.
        b(
            utc(2024, 10, 31, 23, 0),
            utc(2024, 11, 1, 23, 0),
            "Toussaint — pont",
            "B2E7D7A4-1C0F-4B8E-9E51-6C1D2F3A4B5C",
        ),
        // Floating 18:00–19:00 on Mon 4 Nov, read in Paris (CET): 17:00–18:00Z.
        b(
            utc(2024, 11, 4, 17, 0),
            utc(2024, 11, 4, 18, 0),
            "Yoga",
            "D4A9F9C6-3E21-4DA0-B073-8E3F4A5B6C7D",
        ),
        // Tue 5 Nov 09:00 CET (+01) = 08:00Z.
        b(
            utc(2024, 11, 5, 8, 0),
            utc(2024, 11, 5, 8, 30),
            "Point hebdo",
            POINT,
        ),
        // The Armistice holiday (11 Nov) is TRANSP:TRANSPARENT, and after the window anyway.
    ];
    assert_eq!(got, want);
}

#[test]
fn all_day_and_floating_follow_the_participant() {
    // The same Apple file, for someone in New York: TZID times do not move; the all-day event
    // is read in New York; the floating time in the calendar's X-WR-TIMEZONE (Europe/Paris).
    let got = read_fixture(
        "apple.ics",
        "America/New_York",
        (utc(2024, 10, 31, 0, 0), utc(2024, 11, 6, 0, 0)),
    );
    let want = vec![
        // Fri 1 Nov 00:00 EDT (−04) = 04:00Z, to Sat 2 Nov 00:00 EDT = 04:00Z.
        b(
            utc(2024, 11, 1, 4, 0),
            utc(2024, 11, 2, 4, 0),
            "Toussaint — pont",
            "B2E7D7A4-1C0F-4B8E-9E51-6C1D2F3A4B5C",
        ),
        // Floating Mon 4 Nov 18:00–19:00 in X-WR-TIMEZONE:Europe/Paris, CET (+01 since 27 Oct)
        // = 17:00Z – 18:00Z (Python's x_wr_timezone, which recurring_ical_events uses, agrees).
        // Before X-WR-TIMEZONE was read: 18:00 EST in New York, 23:00Z.
        b(
            utc(2024, 11, 4, 17, 0),
            utc(2024, 11, 4, 18, 0),
            "Yoga",
            "D4A9F9C6-3E21-4DA0-B073-8E3F4A5B6C7D",
        ),
        // Still 09:00 Paris = 08:00Z.
        b(
            utc(2024, 11, 5, 8, 0),
            utc(2024, 11, 5, 8, 30),
            "Point hebdo",
            POINT,
        ),
    ];
    assert_eq!(got, want);

    // Google's all-day event (31 Jan – 1 Feb) for a participant in São Paulo is 03:00Z to 03:00Z.
    let got: Vec<_> = read_fixture(
        "google.ics",
        "America/Sao_Paulo",
        (utc(2024, 1, 30, 0, 0), utc(2024, 2, 3, 0, 0)),
    )
    .into_iter()
    .filter(|x| x.summary.starts_with("Férias"))
    .map(|x| (x.start, x.end))
    .collect();
    assert_eq!(got, vec![(utc(2024, 1, 31, 3, 0), utc(2024, 2, 2, 3, 0))]);
}

// ---------------------------------------------------------------------------------------------
// VFREEBUSY

#[test]
fn freebusy_periods() {
    let fb = "fb-ana-2024-w03@example.org";
    let s = "busy (free/busy)";
    let got = read_fixture(
        "freebusy.ics",
        "UTC",
        (utc(2024, 1, 15, 0, 0), utc(2024, 1, 20, 0, 0)),
    );
    let want = vec![
        // FBTYPE=BUSY start/end, then start/PT3H on the same line.
        b(utc(2024, 1, 15, 13, 30), utc(2024, 1, 15, 17, 0), s, fb),
        b(utc(2024, 1, 16, 9, 0), utc(2024, 1, 16, 12, 0), s, fb),
        // FBTYPE=X-OUT-OF-OFFICE (unknown: busy, RFC 5545), in a VFREEBUSY without UID.
        b(utc(2024, 1, 17, 15, 0), utc(2024, 1, 17, 16, 0), s, ""),
        // BUSY-TENTATIVE /PT30M.
        b(utc(2024, 1, 18, 14, 0), utc(2024, 1, 18, 14, 30), s, fb),
        // BUSY-UNAVAILABLE /P1D.
        b(utc(2024, 1, 19, 0, 0), utc(2024, 1, 20, 0, 0), s, fb),
        // No FBTYPE: BUSY.
        b(utc(2024, 1, 19, 16, 0), utc(2024, 1, 19, 16, 30), s, fb),
        // FBTYPE=FREE (17 Jan 09:00–12:00) is skipped; 25 Jan is after the window.
    ];
    assert_eq!(got, want);
}

// ---------------------------------------------------------------------------------------------
// Zones: VTIMEZONE-only names, IANA over the file, Windows names, gaps and folds

#[test]
fn custom_tzid_iana_and_windows_names() {
    let got = read_fixture(
        "custom-tzid.ics",
        "UTC",
        (utc(2024, 1, 1, 0, 0), utc(2025, 1, 1, 0, 0)),
    );
    let want = vec![
        // "(UTC+01:00) Amsterdam, Berlin, …" exists only as a VTIMEZONE whose onsets are RDATEs
        // (2024: +02 from 31 Mar 01:00Z, +01 from 27 Oct 01:00Z). Sat 30 Mar 10:00 +01 = 09:00Z.
        b(
            utc(2024, 3, 30, 9, 0),
            utc(2024, 3, 30, 10, 0),
            "Daily check-in",
            "daily-around-dst@example.org",
        ),
        // Sun 31 Mar 02:30 does not exist there (02:00 → 03:00): read with the offset before
        // the gap (+01, RFC 5545), 01:30Z, i.e. 03:30 CEST; 30 minutes.
        b(
            utc(2024, 3, 31, 1, 30),
            utc(2024, 3, 31, 2, 0),
            "Starts at a time that does not exist",
            "in-the-gap@example.org",
        ),
        // Sun 31 Mar 10:00 +02 = 08:00Z.
        b(
            utc(2024, 3, 31, 8, 0),
            utc(2024, 3, 31, 9, 0),
            "Daily check-in",
            "daily-around-dst@example.org",
        ),
        // TZID=Europe/Paris is an IANA name: the tz database (CEST, +02) wins over the file's
        // VTIMEZONE that claims +05:00 — 12:00 = 10:00Z, not 07:00Z.
        b(
            utc(2024, 7, 1, 10, 0),
            utc(2024, 7, 1, 11, 0),
            "Paris by the tz database, not by the file",
            "iana-wins@example.org",
        ),
        // E. South America Standard Time, no VTIMEZONE: CLDR → America/Sao_Paulo, 09:00 −03.
        b(
            utc(2024, 7, 15, 12, 0),
            utc(2024, 7, 15, 13, 0),
            "Windows name without a VTIMEZONE",
            "windows-without-vtimezone@example.org",
        ),
        // Sun 27 Oct 02:30 happens twice (03:00 CEST → 02:00 CET): the first, +02 = 00:30Z.
        b(
            utc(2024, 10, 27, 0, 30),
            utc(2024, 10, 27, 1, 30),
            "Starts at a time that happens twice",
            "in-the-fold@example.org",
        ),
    ];
    assert_eq!(got, want);
}

/// Exchange escapes the TZID property of its VTIMEZONEs as TEXT (`TZID:Kuala Lumpur\,
/// Singapore`) and refers to them quoted, unescaped (`DTSTART;TZID="Kuala Lumpur,
/// Singapore":…`). None of these names is IANA or Windows: each is read from the file's
/// observances. Worked by hand, and the same from Python icalendar 6.3.2 +
/// recurring_ical_events 3.8.2 on this file:
#[test]
fn exchange_escaped_tzids_match_their_vtimezone() {
    let got = read_fixture(
        "exchange-escaped-tzid.ics",
        "UTC",
        (utc(2024, 3, 1, 0, 0), utc(2024, 7, 1, 0, 0)),
    );
    let uid = |n: &str| match n {
        "1" => "040000008200E00074C5B7101A82E0080000000010A1B2C3D4E5F60100000000000000001000000011",
        "2" => "040000008200E00074C5B7101A82E0080000000020A1B2C3D4E5F60100000000000000001000000022",
        _ => "040000008200E00074C5B7101A82E0080000000030A1B2C3D4E5F60100000000000000001000000033",
    };
    let want = vec![
        // (UTC+01:00) Amsterdam, …: +01 until the last Sunday of March (31 Mar 2024, 02:00 →
        // +02). Thu 28 Mar 10:00 +01 = 09:00Z; Thu 4 Apr 10:00 +02 = 08:00Z.
        b(
            utc(2024, 3, 28, 9, 0),
            utc(2024, 3, 28, 10, 0),
            "Weekly review Berlin",
            uid("3"),
        ),
        b(
            utc(2024, 4, 4, 8, 0),
            utc(2024, 4, 4, 9, 0),
            "Weekly review Berlin",
            uid("3"),
        ),
        // Kuala Lumpur, Singapore: +08 all year. Mon 3 Jun 09:00–10:00 = 01:00Z–02:00Z.
        b(
            utc(2024, 6, 3, 1, 0),
            utc(2024, 6, 3, 2, 0),
            "Standup Kuala Lumpur",
            uid("1"),
        ),
        // (UTC+07:00) Bangkok, Hanoi, Jakarta: +07. Tue 4 Jun 14:00–15:30 = 07:00Z–08:30Z.
        b(
            utc(2024, 6, 4, 7, 0),
            utc(2024, 6, 4, 8, 30),
            "Vendor call Bangkok",
            uid("2"),
        ),
    ];
    assert_eq!(got, want);
}

// ---------------------------------------------------------------------------------------------
// Recurrence details, inline

#[test]
fn expansion_is_bounded_by_the_window() {
    // A daily 08:00 Paris meeting since 2015 with no end: only the window's days are expanded.
    let text = calendar(
        "BEGIN:VEVENT\nUID:daily\nSUMMARY:Daily\nDTSTART;TZID=Europe/Paris:20150105T080000\n\
         DURATION:PT30M\nRRULE:FREQ=DAILY\nEND:VEVENT\n",
    );
    let got: Vec<_> = read_text(
        &text,
        "UTC",
        (utc(2024, 3, 29, 0, 0), utc(2024, 4, 2, 0, 0)),
    )
    .unwrap()
    .into_iter()
    .map(|x| (x.start, x.end))
    .collect();
    assert_eq!(
        got,
        vec![
            // 08:00 CET (+01) = 07:00Z on 29 and 30 Mar; 08:00 CEST (+02) = 06:00Z after.
            (utc(2024, 3, 29, 7, 0), utc(2024, 3, 29, 7, 30)),
            (utc(2024, 3, 30, 7, 0), utc(2024, 3, 30, 7, 30)),
            (utc(2024, 3, 31, 6, 0), utc(2024, 3, 31, 6, 30)),
            (utc(2024, 4, 1, 6, 0), utc(2024, 4, 1, 6, 30)),
        ]
    );
}

#[test]
fn overrides_move_occurrences_across_the_window_edge() {
    // Weekly Wednesdays 10:00Z from 3 Jan 2024; window [10 Jan, 24 Jan).
    // - 3 Jan (before the window) is moved into it, to Thu 11 Jan 15:00Z.
    // - 17 Jan is moved out of it, to 1 Feb.
    // - 10 Jan is excluded by a DATE EXDATE, 24 Jan by a comma list (it is outside anyway).
    // - an RDATE adds Fri 19 Jan 08:00Z (with the series' 1-hour length).
    let text = calendar(
        "BEGIN:VEVENT\nUID:w\nSUMMARY:Weekly\nDTSTART:20240103T100000Z\nDTEND:20240103T110000Z\n\
         RRULE:FREQ=WEEKLY\nEXDATE;VALUE=DATE:20240110\nEXDATE:20240124T100000Z,20240131T100000Z\n\
         RDATE:20240119T080000Z\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:w\nRECURRENCE-ID:20240103T100000Z\nDTSTART:20240111T150000Z\n\
         DTEND:20240111T153000Z\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:w\nRECURRENCE-ID:20240117T100000Z\nSUMMARY:Weekly (moved)\n\
         DTSTART:20240201T100000Z\nEND:VEVENT\n",
    );
    let got = read_text(
        &text,
        "UTC",
        (utc(2024, 1, 10, 0, 0), utc(2024, 1, 24, 0, 0)),
    )
    .unwrap();
    assert_eq!(
        got,
        vec![
            // The override without SUMMARY takes the master's.
            b(
                utc(2024, 1, 11, 15, 0),
                utc(2024, 1, 11, 15, 30),
                "Weekly",
                "w"
            ),
            b(
                utc(2024, 1, 19, 8, 0),
                utc(2024, 1, 19, 9, 0),
                "Weekly",
                "w"
            ),
        ]
    );
    // Later: 24 and 31 Jan are EXDATE'd; the moved 17 Jan occurrence on 1 Feb, with the
    // master's length (it has no DTEND); then 7 Feb as the rule gives it.
    let got = read_text(
        &text,
        "UTC",
        (utc(2024, 1, 24, 0, 0), utc(2024, 2, 8, 0, 0)),
    )
    .unwrap();
    assert_eq!(
        got,
        vec![
            b(
                utc(2024, 2, 1, 10, 0),
                utc(2024, 2, 1, 11, 0),
                "Weekly (moved)",
                "w"
            ),
            b(
                utc(2024, 2, 7, 10, 0),
                utc(2024, 2, 7, 11, 0),
                "Weekly",
                "w"
            ),
        ]
    );
}

#[test]
fn merged_exports_duplicate_nothing() {
    // The same one-off event twice, and the 10 Jan occurrence overridden twice: SEQUENCE 2
    // (13:00Z) wins over SEQUENCE 1 (12:00Z), wherever it stands in the file.
    let one_off = "BEGIN:VEVENT\nUID:o\nSUMMARY:Dentist\nDTSTART:20240111T080000Z\n\
                   DTEND:20240111T090000Z\nEND:VEVENT\n";
    let text = calendar(&format!(
        "{one_off}BEGIN:VEVENT\nUID:w\nSUMMARY:Weekly\nDTSTART:20240103T100000Z\n\
         DURATION:PT1H\nRRULE:FREQ=WEEKLY;COUNT=2\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:w\nSEQUENCE:2\nRECURRENCE-ID:20240110T100000Z\n\
         DTSTART:20240110T130000Z\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:w\nSEQUENCE:1\nRECURRENCE-ID:20240110T100000Z\n\
         DTSTART:20240110T120000Z\nEND:VEVENT\n{one_off}"
    ));
    let got = read_text(&text, "UTC", (utc(2024, 1, 1, 0, 0), utc(2024, 2, 1, 0, 0))).unwrap();
    assert_eq!(
        got,
        vec![
            b(
                utc(2024, 1, 3, 10, 0),
                utc(2024, 1, 3, 11, 0),
                "Weekly",
                "w"
            ),
            b(
                utc(2024, 1, 10, 13, 0),
                utc(2024, 1, 10, 14, 0),
                "Weekly",
                "w"
            ),
            b(
                utc(2024, 1, 11, 8, 0),
                utc(2024, 1, 11, 9, 0),
                "Dentist",
                "o"
            ),
        ]
    );
}

#[test]
fn dtstart_alone() {
    let text = calendar(
        "BEGIN:VEVENT\nUID:day\nSUMMARY:Day off\nDTSTART;VALUE=DATE:20240312\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:point\nSUMMARY:Reminder\nDTSTART:20240312T150000Z\nEND:VEVENT\n",
    );
    let got = read_text(
        &text,
        "Asia/Kolkata",
        (utc(2024, 3, 1, 0, 0), utc(2024, 4, 1, 0, 0)),
    )
    .unwrap();
    assert_eq!(
        got,
        vec![
            // A date alone is that one day, in Kolkata (+05:30): 11 Mar 18:30Z – 12 Mar 18:30Z.
            b(
                utc(2024, 3, 11, 18, 30),
                utc(2024, 3, 12, 18, 30),
                "Day off",
                "day"
            ),
            // A date-time alone lasts no time: returned (it is in the window), never clashes.
            b(
                utc(2024, 3, 12, 15, 0),
                utc(2024, 3, 12, 15, 0),
                "Reminder",
                "point"
            ),
        ]
    );
    // At the window's excluded end, the zero-length event is not returned.
    let got = read_text(
        &text,
        "Asia/Kolkata",
        (utc(2024, 3, 1, 0, 0), utc(2024, 3, 12, 15, 0)),
    )
    .unwrap();
    assert_eq!(
        got,
        vec![b(
            utc(2024, 3, 11, 18, 30),
            utc(2024, 3, 12, 18, 30),
            "Day off",
            "day"
        )]
    );
    // An empty window holds nothing.
    let got = read_text(
        &text,
        "Asia/Kolkata",
        (utc(2024, 3, 12, 15, 0), utc(2024, 3, 12, 15, 0)),
    )
    .unwrap();
    assert_eq!(got, vec![]);
}

#[test]
fn too_many_occurrences_in_the_window() {
    // Hourly for a year: 8784 occurrences in 2024, over the limit.
    let text = calendar(
        "BEGIN:VEVENT\nUID:h\nSUMMARY:Hourly\nDTSTART:20240101T000000Z\nDURATION:PT10M\n\
         RRULE:FREQ=HOURLY\nEND:VEVENT\n",
    );
    let d = diagnostics(read_text(
        &text,
        "UTC",
        (utc(2024, 1, 1, 0, 0), utc(2025, 1, 1, 0, 0)),
    ));
    assert_eq!(d.len(), 1, "{d:?}");
    let loc = d[0].location.as_ref().unwrap();
    assert_eq!(loc.line, Some(4)); // BEGIN:VEVENT
    assert!(
        d[0].message
            .contains(&MAX_OCCURRENCES_PER_EVENT.to_string()),
        "{}",
        d[0]
    );
    // A week of it is fine: 168 occurrences.
    let got = read_text(&text, "UTC", (utc(2024, 1, 1, 0, 0), utc(2024, 1, 8, 0, 0))).unwrap();
    assert_eq!(got.len(), 168);
}

// ---------------------------------------------------------------------------------------------
// Errors

fn text_of(d: &[Diagnostic]) -> String {
    d.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn truncated_file_names_the_unclosed_begin() {
    let (path, bytes) = fixture("truncated.ics");
    let d = diagnostics(busy::read(
        &path,
        &bytes,
        &zone("UTC"),
        (utc(2024, 1, 1, 0, 0), utc(2024, 2, 1, 0, 0)),
    ));
    let all = text_of(&d);
    // The second VEVENT begins on line 12 and the file stops at line 16, mid-SUMMARY.
    let vevent = d
        .iter()
        .find(|x| x.message.contains("BEGIN:VEVENT"))
        .unwrap_or_else(|| panic!("{all}"));
    let loc = vevent.location.as_ref().unwrap();
    assert_eq!(&*loc.file, path.as_path());
    assert_eq!(loc.line, Some(12), "{all}");
    assert!(
        vevent.message.contains("never closed") && vevent.message.contains("line 16"),
        "{all}"
    );
    assert!(
        vevent.help.as_deref().unwrap().contains("END:VEVENT"),
        "{all}"
    );
    // And the calendar itself, from line 1.
    assert!(
        d.iter().any(|x| x.message.contains("BEGIN:VCALENDAR")
            && x.location.as_ref().unwrap().line == Some(1)),
        "{all}"
    );
    assert!(all.contains("truncated.ics:12: "), "{all}");
}

#[test]
fn unknown_tzid_is_named_with_its_line() {
    let (path, bytes) = fixture("unknown-tzid.ics");
    let d = diagnostics(busy::read(
        &path,
        &bytes,
        &zone("UTC"),
        (utc(2024, 1, 1, 0, 0), utc(2024, 2, 1, 0, 0)),
    ));
    let all = text_of(&d);
    // One diagnostic per unknown TZID, at its first use (DTSTART), not again for DTEND.
    assert_eq!(d.len(), 2, "{all}");
    assert_eq!(d[0].location.as_ref().unwrap().line, Some(6), "{all}");
    assert!(d[0].message.contains("Brasilia Time"), "{all}");
    assert!(d[0].help.as_deref().unwrap().contains("VTIMEZONE"), "{all}");
    assert_eq!(d[1].location.as_ref().unwrap().line, Some(20), "{all}");
    assert!(d[1].message.contains("America/Sao_Paolo"), "{all}");
    assert!(
        d[1].help.as_deref().unwrap().contains("America/Sao_Paulo"),
        "{all}"
    );
    assert!(all.contains("unknown-tzid.ics:6: "), "{all}");
}

#[test]
fn over_max_bytes() {
    let mut bytes = b"BEGIN:VCALENDAR\r\n".to_vec();
    bytes.resize(MAX_BYTES + 1, b' ');
    let d = diagnostics(busy::read(
        Path::new("huge.ics"),
        &bytes,
        &zone("UTC"),
        (utc(2024, 1, 1, 0, 0), utc(2024, 2, 1, 0, 0)),
    ));
    assert_eq!(d.len(), 1);
    let all = text_of(&d);
    assert!(all.contains("huge.ics") && all.contains("20 MiB"), "{all}");
    // Exactly at the limit is read (and here fails for another reason: no END).
    bytes.truncate(MAX_BYTES);
    let d = diagnostics(busy::read(
        Path::new("huge.ics"),
        &bytes,
        &zone("UTC"),
        (utc(2024, 1, 1, 0, 0), utc(2024, 2, 1, 0, 0)),
    ));
    assert!(!text_of(&d).contains("20 MiB"));
}

#[test]
fn not_utf8_names_the_line() {
    // "Réunion" in Latin-1 (é = 0xE9) on line 5.
    let mut bytes =
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:R".to_vec();
    bytes.push(0xE9);
    bytes
        .extend_from_slice(b"union\r\nDTSTART:20240110T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    let d = diagnostics(busy::read(
        Path::new("latin1.ics"),
        &bytes,
        &zone("UTC"),
        (utc(2024, 1, 1, 0, 0), utc(2024, 2, 1, 0, 0)),
    ));
    let all = text_of(&d);
    assert_eq!(d.len(), 1, "{all}");
    assert!(
        all.contains("latin1.ics:5: ") && all.contains("UTF-8") && all.contains("0xE9"),
        "{all}"
    );
}

#[test]
fn empty_file() {
    for text in ["", "\r\n  \r\n", "\u{feff}"] {
        let d = diagnostics(read_text(
            text,
            "UTC",
            (utc(2024, 1, 1, 0, 0), utc(2024, 2, 1, 0, 0)),
        ));
        let all = text_of(&d);
        assert!(all.contains("inline.ics") && all.contains("empty"), "{all}");
    }
}

#[test]
fn other_errors_name_line_and_fix() {
    let text = calendar(
        "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Paris:20240110T100000\n\
         DTEND;TZID=Europe/Paris:20240110T090000\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:b\nSUMMARY:no start\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:c\nDTSTART;VALUE=DATE:20240110\nDTEND:20240111T000000\nEND:VEVENT\n\
         this line lost its leading space\n",
    );
    let d = diagnostics(read_text(
        &text,
        "UTC",
        (utc(2024, 1, 1, 0, 0), utc(2024, 2, 1, 0, 0)),
    ));
    let all = text_of(&d);
    // A line that is not a content line stops the reading before the events are looked at.
    assert_eq!(d.len(), 1, "{all}");
    assert!(
        all.contains("inline.ics:18: ") && all.contains("not an iCalendar content line"),
        "{all}"
    );
    let text = text.replace("this line lost its leading space\n", "");
    let d = diagnostics(read_text(
        &text,
        "UTC",
        (utc(2024, 1, 1, 0, 0), utc(2024, 2, 1, 0, 0)),
    ));
    let all = text_of(&d);
    assert_eq!(d.len(), 3, "{all}");
    assert!(
        all.contains("inline.ics:7: ") && all.contains("DTEND") && all.contains("before DTSTART"),
        "{all}"
    );
    assert!(
        all.contains("inline.ics:9: ") && all.contains("without DTSTART"),
        "{all}"
    );
    assert!(
        all.contains("inline.ics:16: ") && all.contains("both be dates"),
        "{all}"
    );
    assert!(d.iter().all(|x| x.help.is_some()), "{all}");
}

// ---------------------------------------------------------------------------------------------
// Tolerance: what does not affect time is not a reason to refuse a file

fn read_calendar_fixture(
    name: &str,
    local: &str,
    window: (DateTime<Utc>, DateTime<Utc>),
) -> busy::Calendar {
    let (path, bytes) = fixture(name);
    match busy::read_calendar(&path, &bytes, &zone(local), window) {
        Ok(c) => c,
        Err(e) => panic!("{name}: {e}"),
    }
}

/// iOS 26 writes `X-APPLE-STRUCTURED-LOCATION;…;X-TITLE=Hauptstraße 1-5\; 4041 Linz;…` with
/// an unquoted `;` in a parameter value (RFC 5545 wants it quoted), and a CN with quotes inside
/// it is as malformed. Neither property changes when anyone is busy: both lines are skipped,
/// each with a note naming its line, and the events are read. By hand: Vienna is +02 (CEST) in
/// June; Mon 10 Jun 10:00–11:00 = 08:00Z–09:00Z, Tue 11 Jun 14:30–15:30 = 12:30Z–13:30Z.
#[test]
fn ios_malformed_parameters_of_properties_that_do_not_affect_time_are_notes() {
    let got = read_calendar_fixture(
        "ios-26-structured-location.ics",
        "Europe/Vienna",
        (utc(2024, 6, 1, 0, 0), utc(2024, 7, 1, 0, 0)),
    );
    assert_eq!(
        got.busy,
        vec![
            b(
                utc(2024, 6, 10, 8, 0),
                utc(2024, 6, 10, 9, 0),
                "Termin Linz",
                "6E0C6F0B-4F2A-4C1B-9B43-2D3C0A7E5F11",
            ),
            b(
                utc(2024, 6, 11, 12, 30),
                utc(2024, 6, 11, 13, 30),
                "Jour fixe",
                "9A1D2E3F-5B6C-4D7E-8F90-A1B2C3D4E5F6",
            ),
        ]
    );
    let notes: Vec<String> = got.notes.iter().map(|d| d.to_string()).collect();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert!(notes[0].starts_with("warning: "), "{notes:#?}");
    assert!(
        notes[0].contains("ios-26-structured-location.ics:28: X-APPLE-STRUCTURED-LOCATION"),
        "{notes:#?}"
    );
    assert!(
        notes[1].contains("ios-26-structured-location.ics:43: ATTENDEE"),
        "{notes:#?}"
    );
    assert!(notes.iter().all(|n| n.contains("ignored")), "{notes:#?}");
}

/// The same malformed parameter on a property that does affect time stays an error.
#[test]
fn malformed_parameters_of_time_properties_stay_errors() {
    for line in [
        "DTSTART;TZID=Europe/Vienna;X-TITLE=a\\; b:20240610T100000",
        "RRULE;X-TITLE=a\\; b:FREQ=DAILY;COUNT=2",
        "STATUS;X-TITLE=a\\; b:CANCELLED",
        "TRANSP;X-TITLE=\"open:TRANSPARENT",
    ] {
        let text = calendar(&format!(
            "BEGIN:VEVENT\nUID:x\nDTSTART;TZID=Europe/Vienna:20240610T100000\nDURATION:PT1H\n{line}\nEND:VEVENT\n"
        ));
        let d = diagnostics(read_text(
            &text,
            "UTC",
            (utc(2024, 6, 1, 0, 0), utc(2024, 7, 1, 0, 0)),
        ));
        let all = text_of(&d);
        assert!(all.contains("inline.ics:8"), "{line}: {all}");
    }
}

/// A file whose last line is `END:VCALENDARD` (a typo) is read, with a note at that line, when
/// everything before it was read. By hand: 09:00–10:00 UTC.
#[test]
fn a_misspelt_last_end_vcalendar_is_a_note() {
    let window = (utc(2024, 6, 1, 0, 0), utc(2024, 7, 1, 0, 0));
    let body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:t\r\n\
                SUMMARY:Typo\r\nDTSTART:20240610T090000Z\r\nDTEND:20240610T100000Z\r\n\
                END:VEVENT\r\n";
    let text = format!("{body}END:VCALENDARD\r\n\r\n");
    let got = busy::read_calendar(Path::new("typo.ics"), text.as_bytes(), &zone("UTC"), window)
        .expect("read");
    assert_eq!(
        got.busy,
        vec![b(
            utc(2024, 6, 10, 9, 0),
            utc(2024, 6, 10, 10, 0),
            "Typo",
            "t"
        )]
    );
    assert_eq!(got.notes.len(), 1);
    let note = got.notes[0].to_string();
    assert!(
        note.starts_with("warning: typo.ics:10: END:VCALENDARD"),
        "{note}"
    );
    // Not the last line, or something else wrong before it: errors as before.
    for text in [
        format!("{body}END:VCALENDARD\r\nEND:VCALENDAR\r\n"),
        format!("{body}END:VCALENDARD\r\nX-AFTER:1\r\n"),
        format!("{body}not a content line\r\nEND:VCALENDARD\r\n"),
        format!("{}END:VCALENDARD\r\n", body.replace("END:VEVENT\r\n", "")),
        format!("{body}END:VEVENTS\r\n"),
    ] {
        let d = diagnostics(busy::read(
            Path::new("typo.ics"),
            text.as_bytes(),
            &zone("UTC"),
            window,
        ));
        assert!(!d.is_empty(), "{text}");
    }
}

// ---------------------------------------------------------------------------------------------
// EXRULE, X-WR-TIMEZONE

/// EXRULE (RFC 2445; still written by older Outlook and Lotus exports) excludes the starts it
/// generates from the same DTSTART. Mon/Wed/Fri 09:00 Paris (CEST, +02), 9 occurrences from Mon
/// 3 Jun 2024, without the Wednesdays: 3, 7, 10, 14, 17, 21 June at 07:00Z. By hand, and the same
/// from Python dateutil's rruleset (rrule + exrule) read in zoneinfo's Europe/Paris
/// (recurring_ical_events ignores EXRULE, so it cannot serve).
#[test]
fn exrule_excludes_what_it_generates() {
    let text = calendar(
        "BEGIN:VEVENT\nUID:exrule\nSUMMARY:Office hours\n\
         DTSTART;TZID=Europe/Paris:20240603T090000\nDTEND;TZID=Europe/Paris:20240603T100000\n\
         RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=9\nEXRULE:FREQ=WEEKLY;BYDAY=WE\nEND:VEVENT\n",
    );
    let got =
        read_text(&text, "UTC", (utc(2024, 6, 1, 0, 0), utc(2024, 7, 1, 0, 0))).expect("read");
    let want: Vec<Busy> = [3, 7, 10, 14, 17, 21]
        .into_iter()
        .map(|d| {
            b(
                utc(2024, 6, d, 7, 0),
                utc(2024, 6, d, 8, 0),
                "Office hours",
                "exrule",
            )
        })
        .collect();
    assert_eq!(got, want);
    // A broken EXRULE is an error at its line, as a broken RRULE is.
    let bad = text.replace("EXRULE:FREQ=WEEKLY;BYDAY=WE", "EXRULE:FREQ=SOMETIMES");
    let d = diagnostics(read_text(
        &bad,
        "UTC",
        (utc(2024, 6, 1, 0, 0), utc(2024, 7, 1, 0, 0)),
    ));
    let all = text_of(&d);
    assert!(
        all.contains("inline.ics:10") && all.contains("EXRULE"),
        "{all}"
    );
}

/// Floating date-times are read in the calendar's X-WR-TIMEZONE (as Google and Apple mean
/// them); dates (all-day) stay on the participant's days; an X-WR-TIMEZONE that names no zone is
/// a note, and floating times are then read in the participant's zone. By hand, for a
/// participant in Europe/Paris (CEST, +02): 09:00 Tokyo (+09) = 00:00Z; the all-day 11 June is
/// 00:00 CEST = 10 Jun 22:00Z to 11 Jun 22:00Z; with `X-WR-TIMEZONE:Mars/Olympus`, 09:00 Paris =
/// 07:00Z. The Tokyo reading is also Python x_wr_timezone's.
#[test]
fn x_wr_timezone_is_the_zone_of_floating_times() {
    let body = |zone: &str| {
        format!(
            "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\n\
             X-WR-TIMEZONE:{zone}\nBEGIN:VEVENT\nUID:floating\nSUMMARY:Floating\n\
             DTSTART:20240610T090000\nDTEND:20240610T100000\nEND:VEVENT\nBEGIN:VEVENT\n\
             UID:day\nSUMMARY:Day off\nDTSTART;VALUE=DATE:20240611\n\
             DTEND;VALUE=DATE:20240612\nEND:VEVENT\nEND:VCALENDAR\n"
        )
    };
    let window = (utc(2024, 6, 1, 0, 0), utc(2024, 7, 1, 0, 0));
    let day = b(
        utc(2024, 6, 10, 22, 0),
        utc(2024, 6, 11, 22, 0),
        "Day off",
        "day",
    );
    let tokyo = busy::read_calendar(
        Path::new("google.ics"),
        body("Asia/Tokyo").as_bytes(),
        &zone("Europe/Paris"),
        window,
    )
    .expect("read");
    assert_eq!(
        tokyo.busy,
        vec![
            b(
                utc(2024, 6, 10, 0, 0),
                utc(2024, 6, 10, 1, 0),
                "Floating",
                "floating"
            ),
            day.clone(),
        ]
    );
    assert!(tokyo.notes.is_empty(), "{:?}", tokyo.notes);
    let unknown = busy::read_calendar(
        Path::new("google.ics"),
        body("Mars/Olympus").as_bytes(),
        &zone("Europe/Paris"),
        window,
    )
    .expect("read");
    assert_eq!(
        unknown.busy,
        vec![
            b(
                utc(2024, 6, 10, 7, 0),
                utc(2024, 6, 10, 8, 0),
                "Floating",
                "floating"
            ),
            day,
        ]
    );
    assert_eq!(unknown.notes.len(), 1);
    let note = unknown.notes[0].to_string();
    assert!(
        note.contains("google.ics:4: X-WR-TIMEZONE `Mars/Olympus`"),
        "{note}"
    );
}

/// RANGE=THISANDFUTURE: the override moves (in the series' local time), re-times and renames
/// every later occurrence too, or frees them when it is cancelled. By hand: a weekly Monday
/// 10:00–11:00 Berlin series from 4 Mar 2024 (6 times), moved from 18 Mar on to 14:00–14:30:
/// 4 and 11 Mar 09:00Z (CET); 18 and 25 Mar 13:00Z (still CET); 1 and 8 Apr 12:00Z (CEST since
/// 31 Mar). A daily 08:00Z series (4–8 Mar) cancelled from 6 Mar on: 4 and 5 Mar only. Python
/// recurring_ical_events 3.8.2 gives the same on this file (it marks 6–8 Mar CANCELLED).
#[test]
fn range_thisandfuture_moves_or_frees_every_later_occurrence() {
    let got = read_fixture(
        "this-and-future.ics",
        "UTC",
        (utc(2024, 3, 1, 0, 0), utc(2024, 5, 1, 0, 0)),
    );
    let want = vec![
        b(
            utc(2024, 3, 4, 8, 0),
            utc(2024, 3, 4, 9, 0),
            "Daily",
            "daily",
        ),
        b(
            utc(2024, 3, 4, 9, 0),
            utc(2024, 3, 4, 10, 0),
            "Weekly",
            "weekly",
        ),
        b(
            utc(2024, 3, 5, 8, 0),
            utc(2024, 3, 5, 9, 0),
            "Daily",
            "daily",
        ),
        b(
            utc(2024, 3, 11, 9, 0),
            utc(2024, 3, 11, 10, 0),
            "Weekly",
            "weekly",
        ),
        b(
            utc(2024, 3, 18, 13, 0),
            utc(2024, 3, 18, 13, 30),
            "Weekly (moved)",
            "weekly",
        ),
        b(
            utc(2024, 3, 25, 13, 0),
            utc(2024, 3, 25, 13, 30),
            "Weekly (moved)",
            "weekly",
        ),
        b(
            utc(2024, 4, 1, 12, 0),
            utc(2024, 4, 1, 12, 30),
            "Weekly (moved)",
            "weekly",
        ),
        b(
            utc(2024, 4, 8, 12, 0),
            utc(2024, 4, 8, 12, 30),
            "Weekly (moved)",
            "weekly",
        ),
    ];
    assert_eq!(got, want);
    // A window after the move sees only moved occurrences; one that ends before it, none moved.
    let late = read_fixture(
        "this-and-future.ics",
        "UTC",
        (utc(2024, 4, 2, 0, 0), utc(2024, 5, 1, 0, 0)),
    );
    assert_eq!(late, want[7..].to_vec());
    // Moved three days earlier from 11 Mar on (Mondays → Fridays, 10:00Z): in a window ending
    // 23 Mar, 4, 8, 15 and 22 Mar; the last one comes from 25 Mar, past the window.
    let text = calendar(
        "BEGIN:VEVENT\nUID:m\nSUMMARY:M\nDTSTART:20240304T100000Z\nDURATION:PT1H\n\
         RRULE:FREQ=WEEKLY;COUNT=6\nEND:VEVENT\nBEGIN:VEVENT\nUID:m\nSUMMARY:F\n\
         RECURRENCE-ID;RANGE=THISANDFUTURE:20240311T100000Z\nDTSTART:20240308T100000Z\n\
         END:VEVENT\n",
    );
    let got = read_text(
        &text,
        "UTC",
        (utc(2024, 3, 1, 0, 0), utc(2024, 3, 23, 0, 0)),
    )
    .expect("read");
    let want: Vec<Busy> = [(4, "M"), (8, "F"), (15, "F"), (22, "F")]
        .into_iter()
        .map(|(d, s)| b(utc(2024, 3, d, 10, 0), utc(2024, 3, d, 11, 0), s, "m"))
        .collect();
    assert_eq!(got, want);
}
