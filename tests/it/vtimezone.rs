//! VTIMEZONE blocks checked against the tz rules, worked out by hand from the tz database source
//! (the rule lines are quoted in the comments). What independent readers make of the blocks, in
//! every zone through 2037, is checked by tests/it/sweep.rs.

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

/// The observances of a block without TZNAME, one string each.
fn observances(block: &str) -> Vec<String> {
    block
        .split("BEGIN:")
        .filter(|s| s.starts_with("STANDARD") || s.starts_with("DAYLIGHT"))
        .map(|s| {
            s.lines()
                .filter(|l| !l.starts_with("TZNAME") && !l.starts_with("END:"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn santiago_follows_its_sunday_on_or_after_rules() {
    // Chile: "Rule Chile 2019 max - Apr Sun>=2 3:00u 0 -" and, after the one-off 2022 date
    // ("2022 only - Sep Sun>=9 4:00u 1:00 -"), "Rule Chile 2023 max - Sep Sun>=2 4:00u 1:00 -".
    // 3:00 UT is 00:00 at -03; 4:00 UT is 00:00 at -04. "Sun>=2" is the first Sunday in some
    // years and the second in others, so it is written as BYDAY=SU;BYMONTHDAY=2..8 (vzic's
    // form). An event in September 2024: the block starts on 2023-12-31 with the change in force
    // then (2023-09-03, explicit), and each rule from its first change after that (2024-04-07,
    // 2024-09-08).
    assert_eq!(
        observances(&block("America/Santiago", (2024, 9, 6), (2024, 9, 9))),
        [
            "DAYLIGHT DTSTART:20230903T000000 TZOFFSETFROM:-0400 TZOFFSETTO:-0300",
            "STANDARD DTSTART:20240407T000000 RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=SU;BYMONTHDAY=2,3,4,5,6,7,8 TZOFFSETFROM:-0300 TZOFFSETTO:-0400",
            "DAYLIGHT DTSTART:20240908T000000 RRULE:FREQ=YEARLY;BYMONTH=9;BYDAY=SU;BYMONTHDAY=2,3,4,5,6,7,8 TZOFFSETFROM:-0400 TZOFFSETTO:-0300",
        ]
    );
}

#[test]
fn zones_without_changes_get_the_offset_in_force() {
    // Kathmandu: "5:30 - +0530 1986" then "5:45 - +0545": the one change since 1970, on
    // 1986-01-01 00:00 local, is the observance in force.
    assert_eq!(
        observances(&block("Asia/Kathmandu", (2023, 11, 15), (2023, 11, 15))),
        ["STANDARD DTSTART:19860101T000000 TZOFFSETFROM:+0530 TZOFFSETTO:+0545"]
    );
    // A fixed offset: one STANDARD.
    assert_eq!(
        observances(&block("UTC-3", (2023, 11, 6), (2023, 11, 6))),
        ["STANDARD DTSTART:19700101T000000 TZOFFSETFROM:-0300 TZOFFSETTO:-0300"]
    );
}

#[test]
fn tehran_ended_dst_so_nothing_repeats() {
    // Iran: "Rule Iran 2008 2022 ..." DST from 21/22 March 00:00 to 21/22 September 00:00
    // (24:00 at +04:30), none since 2022. An event in 2024: the block starts with the last
    // change before it (2022-09-21 24:00 +04:30 = 2022-09-22 00:00 local? no: the change is at
    // 2022-09-21 19:30 UT, 24:00 at +04:30, written as 2022-09-22T00:00:00 in the offset before)
    // and no RRULE claims a change that will not come.
    let b = block("Asia/Tehran", (2024, 6, 1), (2024, 6, 1));
    assert_eq!(
        observances(&b),
        ["STANDARD DTSTART:20220922T000000 TZOFFSETFROM:+0430 TZOFFSETTO:+0330"],
        "{b}"
    );
    // 2006–07 (the case): no DST in 2006 or 2007, DST again from 2008 to 2022, each a
    // change of its own (21 or 22 March, as Iran's calendar falls), never an RRULE.
    let b = block("Asia/Tehran", (2006, 3, 1), (2007, 12, 1));
    assert!(!b.contains("RRULE"), "{b}");
    let o = observances(&b);
    assert_eq!(o.len(), 1 + 2 * 15, "{b}");
    assert_eq!(
        o[1],
        "DAYLIGHT DTSTART:20080321T000000 TZOFFSETFROM:+0330 TZOFFSETTO:+0430"
    );
    assert_eq!(
        o[30],
        "STANDARD DTSTART:20220922T000000 TZOFFSETFROM:+0430 TZOFFSETTO:+0330"
    );
}

#[test]
fn guayaquil_has_its_one_summer_and_no_rule() {
    // Ecuador: "Rule Ecuador 1992 only - Nov 28 0:00 1:00 -" and "1993 only - Feb 5 0:00 0 -":
    // one summer only. The series (monthly from 1992-11-01, 14 times) got a DAYLIGHT
    // RRULE "last Saturday of November" forever; now both changes are explicit and the block
    // ends at -05.
    assert_eq!(
        observances(&block("America/Guayaquil", (1992, 11, 1), (1993, 12, 1))),
        [
            // No change from 1970 to 1992: -05 from 1970-01-01 00:00 UT.
            "STANDARD DTSTART:19691231T190000 TZOFFSETFROM:-0500 TZOFFSETTO:-0500",
            "DAYLIGHT DTSTART:19921128T000000 TZOFFSETFROM:-0500 TZOFFSETTO:-0400",
            "STANDARD DTSTART:19930205T000000 TZOFFSETFROM:-0400 TZOFFSETTO:-0500",
        ]
    );
}

#[test]
fn new_york_from_1990_keeps_each_rule_in_its_years() {
    // US: "Rule US 1987 2006 - Apr Sun>=1 2:00 1:00 D", "1967 2006 - Oct lastSun 2:00 0 S",
    // then "2007 max - Mar Sun>=8 2:00 1:00 D" (second Sunday) and "2007 max - Nov Sun>=1 2:00
    // 0 S" (first Sunday). A series from 1990: 1990–2006 explicit (the old rule has ended), the
    // current rule as RRULEs from 2007, which hold through 2037 (and, by the tz data, beyond).
    let b = block("America/New_York", (1990, 1, 1), (1990, 12, 31));
    let o = observances(&b);
    assert_eq!(o.len(), 1 + 2 * 17 + 2, "{b}");
    assert_eq!(
        o[0],
        "STANDARD DTSTART:19891029T020000 TZOFFSETFROM:-0400 TZOFFSETTO:-0500"
    );
    assert_eq!(
        o[1],
        "DAYLIGHT DTSTART:19900401T020000 TZOFFSETFROM:-0500 TZOFFSETTO:-0400"
    );
    assert_eq!(
        o[34],
        "STANDARD DTSTART:20061029T020000 TZOFFSETFROM:-0400 TZOFFSETTO:-0500"
    );
    assert_eq!(
        o[35],
        "DAYLIGHT DTSTART:20070311T020000 RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU TZOFFSETFROM:-0500 TZOFFSETTO:-0400"
    );
    assert_eq!(
        o[36],
        "STANDARD DTSTART:20071104T020000 RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU TZOFFSETFROM:-0400 TZOFFSETTO:-0500"
    );
}

#[test]
fn lord_howe_half_hour_dst_is_a_rule() {
    // Lord Howe: "Rule LH 2008 max - Apr Sun>=1 2:00 0 -" and "Oct Sun>=1 2:00 0:30 -":
    // a 30-minute DST, +10:30 / +11:00, local time in the offset before. Events in 2023: the
    // change in force on 2022-12-31 (2 Oct 2022), then each rule from its first change in 2023
    // (2 Apr, 1 Oct).
    let lh = block("Australia/Lord_Howe", (2023, 9, 24), (2023, 10, 8));
    assert_eq!(
        observances(&lh),
        [
            "DAYLIGHT DTSTART:20221002T020000 TZOFFSETFROM:+1030 TZOFFSETTO:+1100",
            "STANDARD DTSTART:20230402T020000 RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU TZOFFSETFROM:+1100 TZOFFSETTO:+1030",
            "DAYLIGHT DTSTART:20231001T020000 RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU TZOFFSETFROM:+1030 TZOFFSETTO:+1100",
        ]
    );
}
