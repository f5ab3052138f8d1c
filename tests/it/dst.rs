//! Hand-worked DST cases. Every expected value below was worked out by hand from the offsets
//! written in the comments (and re-checked with Python's zoneinfo, see tests/oracle/), never
//! copied from roundtable's output.

use chrono::{NaiveDate, NaiveDateTime};
use roundtable::civil::{Ambiguity, Disambiguation, resolve};
use roundtable::programme::Programme;
use roundtable::zone::ZoneSpec;

fn civil(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").expect("test literal")
}

fn at(zone: &str, when: &str, policy: Disambiguation) -> Result<String, Ambiguity> {
    let z: ZoneSpec = zone.parse().expect("test zone");
    resolve(civil(when), &z.zone, policy).map(|i| i.format("%Y-%m-%dT%H:%MZ").to_string())
}

use Disambiguation::{Compatible, Earlier, Later, Reject};

#[test]
fn new_york_spring_gap_under_each_policy() {
    // 2024-03-10: 02:00 EST (-05:00) jumps to 03:00 EDT (-04:00); 02:30 does not exist.
    assert!(matches!(
        at("America/New_York", "2024-03-10T02:30", Reject),
        Err(Ambiguity::Gap { .. })
    ));
    // compatible/later: move forward by the gap: 03:30 EDT = 07:30Z.
    assert_eq!(
        at("America/New_York", "2024-03-10T02:30", Compatible).unwrap(),
        "2024-03-10T07:30Z"
    );
    assert_eq!(
        at("America/New_York", "2024-03-10T02:30", Later).unwrap(),
        "2024-03-10T07:30Z"
    );
    // earlier: 02:30 read with the offset after the gap (-4) = 06:30Z = 01:30 EST.
    assert_eq!(
        at("America/New_York", "2024-03-10T02:30", Earlier).unwrap(),
        "2024-03-10T06:30Z"
    );
}

#[test]
fn new_york_autumn_fold_under_each_policy() {
    // 2024-11-03: 02:00 EDT falls back to 01:00 EST; 01:30 happens at -04:00 and again at -05:00.
    assert!(matches!(
        at("America/New_York", "2024-11-03T01:30", Reject),
        Err(Ambiguity::Fold { .. })
    ));
    assert_eq!(
        at("America/New_York", "2024-11-03T01:30", Compatible).unwrap(),
        "2024-11-03T05:30Z"
    );
    assert_eq!(
        at("America/New_York", "2024-11-03T01:30", Earlier).unwrap(),
        "2024-11-03T05:30Z"
    );
    assert_eq!(
        at("America/New_York", "2024-11-03T01:30", Later).unwrap(),
        "2024-11-03T06:30Z"
    );
    // An ordinary time is the same under every policy: 12:00 EDT = 16:00Z.
    for p in [Reject, Compatible, Earlier, Later] {
        assert_eq!(
            at("America/New_York", "2024-07-01T12:00", p).unwrap(),
            "2024-07-01T16:00Z"
        );
    }
}

#[test]
fn paris_2023_fold() {
    // 2023-10-29: 03:00 CEST (+02:00) falls back to 02:00 CET (+01:00).
    assert!(at("Europe/Paris", "2023-10-29T02:30", Reject).is_err());
    assert_eq!(
        at("Europe/Paris", "2023-10-29T02:30", Earlier).unwrap(),
        "2023-10-29T00:30Z"
    );
    assert_eq!(
        at("Europe/Paris", "2023-10-29T02:30", Later).unwrap(),
        "2023-10-29T01:30Z"
    );
    // 01:30 and 03:30 exist once: +02:00 and +01:00.
    assert_eq!(
        at("Europe/Paris", "2023-10-29T01:30", Reject).unwrap(),
        "2023-10-28T23:30Z"
    );
    assert_eq!(
        at("Europe/Paris", "2023-10-29T03:30", Reject).unwrap(),
        "2023-10-29T02:30Z"
    );
}

#[test]
fn santiago_midnight_gap() {
    // 2024-09-08: 00:00 -04 jumps to 01:00 -03 (Chile's spring, at local midnight).
    assert!(matches!(
        at("America/Santiago", "2024-09-08T00:30", Reject),
        Err(Ambiguity::Gap { .. })
    ));
    // forward: 01:30 -03 = 04:30Z; earlier: 00:30 read at -03 = 03:30Z (23:30 -04 on the 7th).
    assert_eq!(
        at("America/Santiago", "2024-09-08T00:30", Compatible).unwrap(),
        "2024-09-08T04:30Z"
    );
    assert_eq!(
        at("America/Santiago", "2024-09-08T00:30", Earlier).unwrap(),
        "2024-09-08T03:30Z"
    );
}

#[test]
fn lord_howe_half_hour_gap_and_fold() {
    // Standard +10:30, summer +11:00. 2023-10-01 02:00 -> 02:30 (gap of 30 minutes).
    assert!(at("Australia/Lord_Howe", "2023-10-01T02:15", Reject).is_err());
    assert_eq!(
        at("Australia/Lord_Howe", "2023-10-01T02:15", Compatible).unwrap(),
        "2023-09-30T15:45Z"
    );
    assert_eq!(
        at("Australia/Lord_Howe", "2023-10-01T02:15", Earlier).unwrap(),
        "2023-09-30T15:15Z"
    );
    // 2024-04-07 02:00 (+11) -> 01:30 (+10:30): 01:45 happens twice, at 14:45Z and 15:15Z.
    assert_eq!(
        at("Australia/Lord_Howe", "2024-04-07T01:45", Earlier).unwrap(),
        "2024-04-06T14:45Z"
    );
    assert_eq!(
        at("Australia/Lord_Howe", "2024-04-07T01:45", Later).unwrap(),
        "2024-04-06T15:15Z"
    );
}

#[test]
fn kathmandu_chatham_and_fixed_offsets() {
    // Kathmandu +05:45, no DST: 09:00 = 03:15Z.
    assert_eq!(
        at("Asia/Kathmandu", "2023-11-15T09:00", Reject).unwrap(),
        "2023-11-15T03:15Z"
    );
    // Chatham +12:45 -> +13:45 on 2023-09-24 at 02:45; 02:50 is in the gap.
    assert!(at("Pacific/Chatham", "2023-09-24T02:50", Reject).is_err());
    assert_eq!(
        at("Pacific/Chatham", "2023-09-24T02:50", Compatible).unwrap(),
        "2023-09-23T14:05Z"
    );
    assert_eq!(
        at("Pacific/Chatham", "2023-09-24T02:50", Earlier).unwrap(),
        "2023-09-23T13:05Z"
    );
    // Summer in Chatham (+13:45): 2024-01-10 10:00 = 2024-01-09 20:15Z.
    assert_eq!(
        at("Pacific/Chatham", "2024-01-10T10:00", Reject).unwrap(),
        "2024-01-09T20:15Z"
    );
    // Rio as the invitation writes it: 16:30 UTC-3 = 19:30Z.
    assert_eq!(
        at("UTC-3", "2023-11-06T16:30", Reject).unwrap(),
        "2023-11-06T19:30Z"
    );
    // GMT+1 as people write it is one hour AHEAD of UTC; Etc/GMT+1 (POSIX) is one hour behind.
    assert_eq!(
        at("GMT+1", "2023-11-06T12:00", Reject).unwrap(),
        "2023-11-06T11:00Z"
    );
    assert_eq!(
        at("Etc/GMT+1", "2023-11-06T12:00", Reject).unwrap(),
        "2023-11-06T13:00Z"
    );
    assert_eq!(
        at("UTC+05:45", "2023-11-06T12:00", Reject).unwrap(),
        "2023-11-06T06:15Z"
    );
    // Links: Asia/Calcutta is Asia/Kolkata (+05:30).
    assert_eq!(
        at("Asia/Calcutta", "2023-11-06T12:00", Reject).unwrap(),
        "2023-11-06T06:30Z"
    );
}

fn programme(dir: &std::path::Path, body: &str) -> std::path::PathBuf {
    let path = dir.join("p.toml");
    let head = "[programme]\nid = \"t\"\ntitle = \"T\"\ntimezone = \"Europe/Paris\"\norganizer = { name = \"O\", email = \"o@example.org\" }\n";
    std::fs::write(&path, format!("{head}{body}")).expect("write test programme");
    path
}

fn local_starts(path: &std::path::Path, email: &str) -> Vec<String> {
    let loaded = Programme::load(path).expect("valid programme");
    let schedule = roundtable::occurrence::expand(&loaded.programme).expect("expands");
    roundtable::view::participant_rows(&loaded.programme, &schedule, None)
        .iter()
        .filter(|r| r.participant.is_some_and(|p| p.email == email))
        .map(|r| r.start_local.format("%Y-%m-%dT%H:%M%:z").to_string())
        .collect()
}

#[test]
fn weekly_paris_series_across_eu_and_us_changes() {
    // Paris 09:00 every Monday: 16 and 23 Oct are CEST (07:00Z); 30 Oct and 6 Nov are CET
    // (08:00Z). New York changes on 5 Nov, a week later than Europe.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = programme(
        dir.path(),
        r#"
[[session]]
id = "weekly"
title = "Weekly"
start = "2023-10-16T09:00"
duration = "1h"
audience = "all"
repeat = "FREQ=WEEKLY;COUNT=4"

[[participant]]
name = "N"
email = "ny@example.org"
timezone = "America/New_York"

[[participant]]
name = "L"
email = "lagos@example.org"
timezone = "Africa/Lagos"

[[participant]]
name = "S"
email = "santiago@example.org"
timezone = "America/Santiago"
"#,
    );
    // New York: EDT (-4) until 5 Nov: 03:00, 03:00, 04:00 (08:00Z at -4), then EST: 03:00.
    assert_eq!(
        local_starts(&path, "ny@example.org"),
        [
            "2023-10-16T03:00-04:00",
            "2023-10-23T03:00-04:00",
            "2023-10-30T04:00-04:00",
            "2023-11-06T03:00-05:00",
        ]
    );
    // Lagos is +01 all year: 08:00, 08:00, 09:00, 09:00.
    assert_eq!(
        local_starts(&path, "lagos@example.org"),
        [
            "2023-10-16T08:00+01:00",
            "2023-10-23T08:00+01:00",
            "2023-10-30T09:00+01:00",
            "2023-11-06T09:00+01:00",
        ]
    );
    // Santiago is on summer time (-03) since 3 Sep 2023: 04:00, 04:00, 05:00, 05:00.
    assert_eq!(
        local_starts(&path, "santiago@example.org"),
        [
            "2023-10-16T04:00-03:00",
            "2023-10-23T04:00-03:00",
            "2023-10-30T05:00-03:00",
            "2023-11-06T05:00-03:00",
        ]
    );
}

#[test]
fn daily_santiago_midnight_series_keeps_the_gap_day() {
    // rrule 0.14 expanding in America/Santiago drops 2024-09-08; expanding in civil time keeps
    // it, and `compatible` moves it to 01:30 -03.
    let dir = tempfile::tempdir().expect("tempdir");
    let body = r#"
[[session]]
id = "late"
title = "Late"
start = "2024-09-06T00:30"
timezone = "America/Santiago"
duration = "30m"
audience = "all"
repeat = "FREQ=DAILY;COUNT=4"
disambiguation = "compatible"

[[participant]]
name = "S"
email = "s@example.org"
timezone = "America/Santiago"
"#;
    let path = programme(dir.path(), body);
    assert_eq!(
        local_starts(&path, "s@example.org"),
        [
            "2024-09-06T00:30-04:00",
            "2024-09-07T00:30-04:00",
            "2024-09-08T01:30-03:00",
            "2024-09-09T00:30-03:00",
        ]
    );
    // Under the default policy the same series is an error that names the date.
    let path = programme(
        dir.path(),
        &body.replace("disambiguation = \"compatible\"\n", ""),
    );
    let loaded = Programme::load(&path).expect("valid programme");
    let err = roundtable::occurrence::expand(&loaded.programme).expect_err("gap is rejected");
    let text = err.to_string();
    assert!(text.contains("2024-09-08"), "{text}");
    assert!(text.contains("does not exist"), "{text}");
    assert!(
        !text.contains("2024-09-07 00:30"),
        "only the gap day is an error: {text}"
    );
}

#[test]
fn recurring_occurrence_in_a_gap_is_named() {
    let d = NaiveDate::from_ymd_opt(2024, 3, 10).expect("date");
    let z: ZoneSpec = "America/New_York".parse().expect("zone");
    let err = resolve(d.and_hms_opt(2, 0, 0).expect("time"), &z.zone, Reject)
        .expect_err("02:00 is in the gap");
    assert!(err.describe(&z.zone).contains("2024-03-10T07:00:00Z"));
}
