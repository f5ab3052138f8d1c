//! VTIMEZONE blocks checked against the tz rules, worked out by hand from the tz database source
//! (the rule lines are quoted in the comments).

use chrono::{TimeZone, Utc};
use roundtable::ics::vtimezone::write_vtimezone;
use roundtable::zone::ZoneSpec;

fn block(zone: &str, first: (i32, u32, u32), last: (i32, u32, u32)) -> String {
    let z: ZoneSpec = zone.parse().expect("zone");
    let f = Utc
        .with_ymd_and_hms(first.0, first.1, first.2, 12, 0, 0)
        .single()
        .expect("date");
    let l = Utc
        .with_ymd_and_hms(last.0, last.1, last.2, 12, 0, 0)
        .single()
        .expect("date");
    let mut out = String::new();
    write_vtimezone(&mut out, zone, &z.zone, f, l);
    out.replace("\r\n", "\n")
}

#[test]
fn santiago_is_written_as_explicit_observances() {
    // Chile: "Rule Chile 2023 max - Apr Sun>=2 3:00u 0 -" and "Sep Sun>=2 4:00u 1:00 -".
    // 2024-04-07 03:00Z is 00:00 at -03; 2024-09-08 04:00Z is 00:00 at -04. "Sun>=2" is the
    // first Sunday in some years and the second in others (8 Sep 2024), so no RRULE fits.
    assert_eq!(
        block("America/Santiago", (2024, 9, 6), (2024, 9, 9)),
        "BEGIN:VTIMEZONE
TZID:America/Santiago
BEGIN:STANDARD
DTSTART:20240407T000000
TZOFFSETFROM:-0300
TZOFFSETTO:-0400
TZNAME:UTC-0400
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:20240908T000000
TZOFFSETFROM:-0400
TZOFFSETTO:-0300
TZNAME:UTC-0300
END:DAYLIGHT
END:VTIMEZONE
"
    );
}

#[test]
fn zones_without_dst_get_one_standard() {
    // Kathmandu: +05:45 since 1986. Tehran: no DST since 2022 (last change 2022-09-21, more
    // than 400 days before the event).
    assert_eq!(
        block("Asia/Kathmandu", (2023, 11, 15), (2023, 11, 15)),
        "BEGIN:VTIMEZONE\nTZID:Asia/Kathmandu\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0545\nTZOFFSETTO:+0545\nTZNAME:UTC+0545\nEND:STANDARD\nEND:VTIMEZONE\n"
    );
    assert!(
        block("Asia/Tehran", (2024, 6, 1), (2024, 6, 1))
            .contains("TZOFFSETFROM:+0330\nTZOFFSETTO:+0330\n")
    );
    assert_eq!(
        block("UTC-3", (2023, 11, 6), (2023, 11, 6)),
        "BEGIN:VTIMEZONE\nTZID:UTC-3\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:-0300\nTZOFFSETTO:-0300\nTZNAME:UTC-0300\nEND:STANDARD\nEND:VTIMEZONE\n"
    );
}

#[test]
fn regular_rules_use_rrule_in_both_hemispheres() {
    // US: "Rule US 2007 max - Mar Sun>=8 2:00 1:00 D" (second Sunday) and
    // "Nov Sun>=1 2:00 0 S" (first Sunday), local time in the offset before. The block starts
    // with the first of each in the 400 days before the event: 12 Mar and 5 Nov 2023.
    let ny = block("America/New_York", (2024, 3, 1), (2024, 12, 1));
    assert!(ny.contains("BEGIN:DAYLIGHT\nDTSTART:20230312T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nTZNAME:EDT\n"), "{ny}");
    assert!(ny.contains("BEGIN:STANDARD\nDTSTART:20231105T020000\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nTZNAME:EST\n"), "{ny}");
    // Lord Howe: "Rule LH 2008 max - Apr Sun>=1 2:00 0 -" and "Oct Sun>=1 2:00 0:30 -":
    // a 30-minute DST, +10:30 / +11:00.
    let lh = block("Australia/Lord_Howe", (2023, 9, 24), (2023, 10, 8));
    assert!(
        lh.contains(
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU\nTZOFFSETFROM:+1030\nTZOFFSETTO:+1100\n"
        ),
        "{lh}"
    );
    assert!(
        lh.contains(
            "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU\nTZOFFSETFROM:+1100\nTZOFFSETTO:+1030\n"
        ),
        "{lh}"
    );
}
