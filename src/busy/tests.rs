//! Unit tests of the busy-calendar reader (whole files are tested in tests/it/busy.rs).

use super::lines::{Line, Name, Prop, parse_content_line};
use super::values::{Dt, digits, parse_dt, parse_duration, parse_offset, trim, unescape_text};
use super::zones::Tref;
use super::*;
use crate::civil::{Disambiguation, resolve};
use crate::zone::ZoneSpec;
use chrono::TimeZone;
use chrono::{NaiveDate, TimeDelta};

fn zone(name: &str) -> Zone {
    name.parse::<ZoneSpec>().unwrap().zone
}

fn window() -> (DateTime<Utc>, DateTime<Utc>) {
    (
        Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap(),
    )
}

fn read_str(text: &str) -> Result<Vec<Busy>, Error> {
    read(Path::new("t.ics"), text.as_bytes(), &zone("UTC"), window())
}

fn messages(e: Error) -> Vec<String> {
    match e {
        Error::Invalid(d) => d.iter().map(ToString::to_string).collect(),
        other => vec![other.to_string()],
    }
}

fn kept(text: &str, line: usize) -> Prop<'_> {
    match parse_content_line(text, line) {
        Ok(Line::Kept(p)) => p,
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn content_lines_with_quoted_parameters() {
    let p = kept(
        "DTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin\";VALUE=DATE-TIME:20240110T090000",
        3,
    );
    assert_eq!(p.name, Name::Dtstart);
    assert_eq!(
        p.param("TZID").as_deref(),
        Some("(UTC+01:00) Amsterdam, Berlin")
    );
    assert_eq!(p.param("VALUE").as_deref(), Some("DATE-TIME"));
    assert_eq!(p.param("value").as_deref(), Some("DATE-TIME"));
    assert_eq!(p.param("RANGE"), None);
    assert_eq!(p.value, "20240110T090000");
    let p = kept("summary;cn=\"A ^'B^'\";x=1,2;Y=\"a:b\",c:mailto:a@b", 1);
    assert_eq!(p.name, Name::Summary);
    assert_eq!(p.param("CN").as_deref(), Some("A \"B\""));
    // The first value of a parameter with several.
    assert_eq!(p.param("X").as_deref(), Some("1"));
    assert_eq!(p.param("Y").as_deref(), Some("a:b"));
    assert_eq!(p.value, "mailto:a@b");
    assert_eq!(kept("UID:x", 1).param("X"), None);
    // A property the reader does not ask for is checked the same way, and skipped.
    assert!(matches!(
        parse_content_line("attendee;cn=\"A ^'B^'\";x=1,2:mailto:a@b", 1),
        Ok(Line::Skipped("attendee"))
    ));
    for bad in [
        "no colon here",
        "X;TZID=\"open:1",
        ":value",
        "X;=1:v",
        "DTSTART;TZID=\"open:1",
        "DTSTART;=1:v",
    ] {
        assert!(parse_content_line(bad, 1).is_err(), "{bad}");
    }
}

#[test]
fn names_read_in_any_case_and_only_those() {
    assert_eq!(Name::ALL.len(), 22);
    for &(text, name) in Name::ALL {
        assert_eq!(Name::of(text), Some(name), "{text}");
        assert_eq!(Name::of(&text.to_ascii_lowercase()), Some(name), "{text}");
        assert_eq!(name.as_str(), text);
        assert_eq!(name.affects_time(), text != "SUMMARY", "{text}");
    }
    for other in [
        "DTSTAMP",
        "ATTENDEE",
        "DESCRIPTION",
        "X-WR-CALNAME",
        "DTSTAR",
        "",
        "ENDX",
    ] {
        assert_eq!(Name::of(other), None, "{other}");
    }
}

#[test]
fn content_lines_name_their_property_in_any_case_and_only_whole() {
    let name_of = |text: &str| match parse_content_line(text, 1) {
        Ok(Line::Kept(p)) => Some(p.name),
        _ => None,
    };
    for &(text, name) in Name::ALL {
        for written in [text.to_string(), text.to_ascii_lowercase()] {
            assert_eq!(name_of(&format!("{written}:x")), Some(name), "{written}");
            assert_eq!(
                name_of(&format!("{written};A=b:x")),
                Some(name),
                "{written}"
            );
            // A longer name that begins with it is another property.
            assert_eq!(name_of(&format!("{written}X:x")), None, "{written}X");
            assert_eq!(name_of(&format!("{written}-2:x")), None, "{written}-2");
        }
        // Cut short, it is another (or none).
        let short = &text[..text.len() - 1];
        assert_ne!(name_of(&format!("{short}:x")), Some(name), "{short}");
    }
    assert_eq!(name_of("DTSTAMP:20240101T000000Z"), None);
    assert!(matches!(
        parse_content_line("DTSTAMP:x", 1),
        Ok(Line::Skipped("DTSTAMP"))
    ));
    assert!(parse_content_line("DTSTART", 1).is_err());
    assert!(parse_content_line("DTSTART x", 1).is_err());
}

#[test]
fn text_unescaping() {
    assert_eq!(
        unescape_text("a\\, b\\; c\\\\d\\ne\\Nf\\:"),
        "a, b; c\\d\ne\nf:"
    );
    assert_eq!(unescape_text("end\\"), "end\\");
}

#[test]
fn durations() {
    let d = |s| parse_duration(s).map(|d| (d.negative, d.days, d.exact.num_seconds()));
    assert_eq!(d("PT1H30M"), Some((false, 0, 5400)));
    assert_eq!(d("P2W"), Some((false, 14, 0)));
    assert_eq!(d("P1DT2H"), Some((false, 1, 7200)));
    assert_eq!(d("-PT15M"), Some((true, 0, 900)));
    assert_eq!(d("+P0D"), Some((false, 0, 0)));
    assert_eq!(d("P"), None);
    assert_eq!(d("PT"), None);
    assert_eq!(d("P1H"), None);
    assert_eq!(d("PT1D"), None);
    assert_eq!(d("P1"), None);
    assert_eq!(d("P9999999999D"), None);
    assert_eq!(d("1H"), None);
}

#[test]
fn dates_and_offsets() {
    assert_eq!(
        parse_dt("20240115"),
        Some(Dt::Date(NaiveDate::from_ymd_opt(2024, 1, 15).unwrap()))
    );
    assert!(matches!(
        parse_dt("20240115T090000Z"),
        Some(Dt::Time(_, true))
    ));
    assert!(matches!(
        parse_dt("20240115T090000"),
        Some(Dt::Time(_, false))
    ));
    for bad in [
        "2024-01-15",
        "20240115T0900",
        "20241315",
        "20240115T250000",
        "2024011ST090000",
        "20240115X090000",
    ] {
        assert_eq!(parse_dt(bad), None, "{bad}");
    }
    let o = |s| parse_offset(s).map(|o| o.local_minus_utc());
    assert_eq!(o("+0100"), Some(3600));
    assert_eq!(o("-0330"), Some(-12600));
    assert_eq!(o("+053000"), Some(19800));
    assert_eq!(o("+05:45"), Some(20700));
    assert_eq!(o("0100"), None);
    assert_eq!(o("+0160"), None);
    assert_eq!(o("+2400"), None);
}

/// `parse_dt` reads what chrono's parser reads with the format RFC 5545 gives, for every byte
/// of a date and a date-time changed to a digit, a letter, a sign, a space or a character
/// beyond ASCII (chrono reads more, which the reader does not: signs and short numbers, where
/// every digit must be an ASCII digit; a leap second).
#[test]
fn date_times_as_chrono_reads_them() {
    let chrono_reads = |text: &str| -> Option<Dt> {
        let t = text.trim();
        let digits_at = |places: &[usize]| {
            places
                .iter()
                .all(|&i| t.as_bytes().get(i).is_some_and(u8::is_ascii_digit))
        };
        match t.len() {
            8 if digits_at(&[0, 1, 2, 3, 4, 5, 6, 7]) => {
                NaiveDate::parse_from_str(t, "%Y%m%d").ok().map(Dt::Date)
            }
            15 | 16 if digits_at(&[0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14]) => {
                let utc = t.len() == 16;
                if !matches!(t.as_bytes()[8], b'T' | b't')
                    || utc && !matches!(t.as_bytes()[15], b'Z' | b'z')
                {
                    return None;
                }
                let plain = format!("{}{}", &t[..8], &t[9..15]);
                chrono::NaiveDateTime::parse_from_str(&plain, "%Y%m%d%H%M%S")
                    .ok()
                    .filter(|c| chrono::Timelike::nanosecond(c) == 0)
                    .map(|c| Dt::Time(c, utc))
            }
            _ => None,
        }
    };
    let mut compared = 0;
    for base in [
        "20240229",
        "20240229T235959",
        "20231031T000000Z",
        "00010101T120000z",
    ] {
        for at in 0..base.len() {
            for with in [
                "0", "1", "3", "5", "9", "a", "T", "Z", "+", "-", " ", "/", ":", "é",
            ] {
                let mut text = base.to_string();
                text.replace_range(at..at + 1, with);
                for text in [text.clone(), format!(" {text}\t"), format!("{text}0")] {
                    assert_eq!(parse_dt(&text), chrono_reads(&text), "{text:?}");
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, (8 + 15 + 16 + 16) * 14 * 3);
    for date in [
        "20230229", "20240230", "20241301", "20240100", "00000101", "99991231",
    ] {
        assert_eq!(parse_dt(date), chrono_reads(date), "{date}");
    }
    for time in [
        "20240101T240000",
        "20240101T236000",
        "20240101T235960",
        "20240101T235959",
    ] {
        assert_eq!(parse_dt(time), chrono_reads(time), "{time}");
    }
}

/// The fast paths of `trim` and `digits` give what the standard library gives: `str::trim`,
/// and `str::parse` of an all-ASCII-digit slice.
#[test]
fn trim_and_digits_agree_with_the_standard_library() {
    let ends = [
        "", " ", "\t", "\r\n", "a", "~", "\u{7f}", "\u{85}", "\u{a0}", "\u{2028}", "\u{3000}",
        "\u{feff}", "é", "\u{1680}",
    ];
    for a in ends {
        for mid in ["", "x", " x y ", "\u{a0}z"] {
            for b in ends {
                let text = format!("{a}{mid}{b}");
                assert_eq!(trim(&text), text.trim(), "{text:?}");
            }
        }
    }
    for text in [
        "",
        "0",
        "7",
        "09",
        "2024",
        "123456789",
        "1234567890",
        "12a4",
        "+12",
        " 1",
        "-1",
        // Ranges that cut a character.
        "1é23",
        "é12",
        "12\u{2028}",
    ] {
        for (from, to) in [(0, text.len()), (0, 2), (1, 3), (2, 2)] {
            let expected = text
                .get(from..to)
                .filter(|t| !t.is_empty() && t.len() <= 9 && t.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|t| t.parse::<u32>().ok());
            assert_eq!(digits(text, from, to), expected, "{text:?} {from}..{to}");
        }
    }
}

const PARIS_VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:My Paris\r\n\
    BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:19810329T020000\r\n\
    RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
    BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19961027T030000\r\n\
    RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// A VTIMEZONE matching the tz database gives what `civil::resolve` gives, gaps and folds
/// included.
#[test]
fn custom_zone_resolves_like_the_tz_database() {
    let text = format!("BEGIN:VCALENDAR\r\n{PARIS_VTIMEZONE}END:VCALENDAR\r\n");
    let file = Path::new("t.ics");
    let mut diags = Diagnostics::capped(file, MAX_DIAGNOSTICS, MAX_NOTES);
    let mut unfolded = Vec::new();
    let top = read_tree(&text, &mut unfolded, &mut diags);
    let mut reader = Reader::new(
        Diagnostics::capped(file, MAX_DIAGNOSTICS, MAX_NOTES),
        zone("UTC"),
        window(),
        &top,
    );
    let Some(Tref::Custom(i)) = reader.tzid("My Paris", 1) else {
        panic!("not a custom zone: {:?}", reader.diags.errors());
    };
    let custom = reader.customs[i].clone();
    let paris = zone("Europe/Paris");
    let mut civil = NaiveDate::from_ymd_opt(2023, 1, 1)
        .unwrap()
        .and_hms_opt(0, 30, 0)
        .unwrap();
    let mut checked = 0;
    while civil.date().year_ce().1 < 2026 {
        let want = resolve(civil, &paris, Disambiguation::Compatible).unwrap();
        assert_eq!(custom.resolve(civil), Some(want), "{civil}");
        assert_eq!(custom.offset_at(want), paris.offset_at(want), "{civil}");
        checked += 1;
        civil += TimeDelta::minutes(30);
        if civil.format("%H").to_string() == "04" {
            // Skip to the next day's small hours, keeping the test quick.
            civil = civil
                .date()
                .succ_opt()
                .unwrap()
                .and_hms_opt(0, 30, 0)
                .unwrap();
        }
    }
    assert!(checked > 7000);
    // The two DST changes of 2024, by hand: 02:30 on 31 March does not exist (read as 03:30
    // CEST = 01:30Z); 02:30 on 27 October happens twice (the first, CEST, 00:30Z).
    let at = |d, h, m| {
        NaiveDate::from_ymd_opt(2024, 3, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    };
    assert_eq!(
        custom.resolve(at(31, 2, 30)),
        Some(Utc.with_ymd_and_hms(2024, 3, 31, 1, 30, 0).unwrap())
    );
    let oct = NaiveDate::from_ymd_opt(2024, 10, 27)
        .unwrap()
        .and_hms_opt(2, 30, 0)
        .unwrap();
    assert_eq!(
        custom.resolve(oct),
        Some(Utc.with_ymd_and_hms(2024, 10, 27, 0, 30, 0).unwrap())
    );
}

use chrono::Datelike;

#[test]
fn unfolding_crlf_lf_tabs() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\r\nUID:x\nSUMMARY:Long\r\n  title\r\n\t, folded\nDTSTART:20240101T100000Z\nDURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR";
    let busy = read_str(text).unwrap();
    assert_eq!(busy[0].summary, "Long title, folded");
}

#[test]
fn tzid_forms() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n\
        DTSTART;TZID=/freeassociation.sourceforge.net/Tzfile/Europe/Berlin:20240110T100000\n\
        DURATION:PT1H\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\n\
        DTSTART;TZID=\"tzone://Microsoft/Utc\":20240110T100000\nDURATION:PT1H\nEND:VEVENT\n\
        BEGIN:VEVENT\nUID:c\nDTSTART;TZID=UTC+3:20240110T100000\nDURATION:PT1H\nEND:VEVENT\n\
        BEGIN:VEVENT\nUID:d\nDTSTART;TZID=\"Romance Standard Time\":20240710T100000\n\
        DURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR\n";
    let got: Vec<(String, DateTime<Utc>)> = read_str(text)
        .unwrap()
        .into_iter()
        .map(|b| (b.uid, b.start))
        .collect();
    let at = |d, h| Utc.with_ymd_and_hms(2024, 1, d, h, 0, 0).unwrap();
    assert_eq!(
        got,
        vec![
            ("c".to_string(), at(10, 7)),  // UTC+3
            ("a".to_string(), at(10, 9)),  // Berlin, CET
            ("b".to_string(), at(10, 10)), // UTC
            // Romance Standard Time → Europe/Paris, CEST in July.
            (
                "d".to_string(),
                Utc.with_ymd_and_hms(2024, 7, 10, 8, 0, 0).unwrap()
            ),
        ]
    );
}

/// A TZID parameter with RFC 6868 escapes names the VTIMEZONE whose TZID is the decoded text,
/// the first time and again (when it is compared as written with the last one); an unknown one
/// is reported once, decoded.
#[test]
fn tzid_parameters_are_decoded_before_they_name_a_zone() {
    let vtimezone = PARIS_VTIMEZONE.replace("TZID:My Paris", "TZID:My \"Paris\"");
    let event = |uid: &str, tzid: &str| {
        format!(
            "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART;TZID=\"{tzid}\":20240110T100000\r\n\
             DURATION:PT1H\r\nEND:VEVENT\r\n"
        )
    };
    let text = format!(
        "BEGIN:VCALENDAR\r\n{vtimezone}{}{}{}END:VCALENDAR\r\n",
        event("a", "My ^'Paris^'"),
        event("b", "My ^'Paris^'"),
        event("c", "Europe/Berlin"),
    );
    let got: Vec<(String, DateTime<Utc>)> = read_str(&text)
        .unwrap()
        .into_iter()
        .map(|b| (b.uid, b.start))
        .collect();
    let nine = Utc.with_ymd_and_hms(2024, 1, 10, 9, 0, 0).unwrap();
    let names: Vec<&str> = got.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert!(got.iter().all(|(_, start)| *start == nine), "{got:?}");
    // Unknown, escaped: the message names the decoded TZID, once for the two events.
    let text = format!(
        "BEGIN:VCALENDAR\r\n{}{}END:VCALENDAR\r\n",
        event("a", "Nowhere ^'x^'"),
        event("b", "Nowhere ^'x^'"),
    );
    let errors = messages(read_str(&text).unwrap_err());
    let unknown: Vec<&String> = errors
        .iter()
        .filter(|m| m.contains("unknown time zone"))
        .collect();
    assert_eq!(unknown.len(), 1, "{errors:?}");
    assert!(unknown[0].contains("Nowhere \"x\""), "{errors:?}");
}

#[test]
fn bare_cr_lines() {
    let text = "BEGIN:VCALENDAR\rBEGIN:VEVENT\rUID:x\rDTSTART:20240101T100000Z\rDURATION:PT1H\rEND:VEVENT\rEND:VCALENDAR\r";
    assert_eq!(read_str(text).unwrap().len(), 1);
}

#[test]
fn not_a_calendar() {
    let m = messages(read_str("<!DOCTYPE html>\n<html>\n").unwrap_err());
    assert_eq!(m.len(), 1);
    assert!(
        m[0].contains("t.ics:1:") && m[0].contains("BEGIN:VCALENDAR"),
        "{m:?}"
    );
}

#[test]
fn mismatched_end() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z\nEND:VTODO\nEND:VEVENT\nEND:VCALENDAR\n";
    let m = messages(read_str(text).unwrap_err());
    assert!(
        m[0].contains("t.ics:5:") && m[0].contains("END:VTODO"),
        "{m:?}"
    );
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z\nEND:VCALENDAR\n";
    let m = messages(read_str(text).unwrap_err());
    assert!(
        m[0].contains("t.ics:2:") && m[0].contains("never closed"),
        "{m:?}"
    );
}

#[test]
fn several_problems_at_once() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:2024-01-01\nEND:VEVENT\n\
                BEGIN:VEVENT\nUID:b\nDTSTART:20240101T100000Z\nDURATION:1 hour\nEND:VEVENT\n\
                BEGIN:VEVENT\nUID:c\nDTSTART:20240101T100000Z\nRRULE:FREQ=FORTNIGHTLY\nEND:VEVENT\nEND:VCALENDAR\n";
    let m = messages(read_str(text).unwrap_err());
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(
        m[0].contains("t.ics:4:") && m[0].contains("DTSTART"),
        "{m:?}"
    );
    assert!(
        m[1].contains("t.ics:9:") && m[1].contains("DURATION"),
        "{m:?}"
    );
    assert!(
        m[2].contains("t.ics:14:") && m[2].contains("RRULE"),
        "{m:?}"
    );
}

#[test]
fn rule_step_limit() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20000101T000000Z\nDURATION:PT1M\nRRULE:FREQ=MINUTELY\nEND:VEVENT\nEND:VCALENDAR\n";
    let m = messages(read_str(text).unwrap_err());
    assert!(
        m[0].contains("t.ics:6:") && m[0].contains("too many"),
        "{m:?}"
    );
}

/// Every prefix of a calendar and odd rules: errors, never a panic.
#[test]
fn no_panic_on_truncated_or_odd_input() {
    let text = format!(
        "BEGIN:VCALENDAR\r\n{PARIS_VTIMEZONE}BEGIN:VEVENT\r\nUID:é\r\nSUMMARY:x\\\r\n y\r\n\
         DTSTART;TZID=\"My Paris\":20240110T090000\r\nDTEND;TZID=My Paris:20240110T100000\r\n\
         RRULE:FREQ=WEEKLY;UNTIL=20240301T000000Z\r\nEXDATE;TZID=My Paris:20240117T090000,20240124\r\n\
         RDATE;VALUE=PERIOD:20240201T100000Z/PT1H\r\nEND:VEVENT\r\nBEGIN:VFREEBUSY\r\n\
         FREEBUSY:20240101T000000Z/20240101T010000Z,20240102T000000Z/P1D\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n"
    );
    assert!(read_str(&text).is_ok(), "{:?}", read_str(&text));
    for end in 0..=text.len() {
        if let Some(prefix) = text.get(..end) {
            let _ = read_str(prefix);
        }
    }
    for rule in [
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=100000",
        "FREQ=YEARLY;BYWEEKNO=60",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=SECONDLY;BYSETPOS=-1;BYSECOND=0;COUNT=20",
        "FREQ=WEEKLY;UNTIL=19990101",
        "FREQ=YEARLY;BYYEARDAY=366;BYMONTH=2",
        "FREQ=MONTHLY;BYDAY=5FR",
    ] {
        for start in ["00010101T000000", "99991231T235959Z", "20240229"] {
            let text = format!(
                "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:{start}\nRRULE:{rule}\nEND:VEVENT\nEND:VCALENDAR\n"
            );
            let _ = read_str(&text);
        }
    }
}

#[test]
fn windows_display_and_legacy_names_without_vtimezone() {
    // Outlook 2007 / Exchange 2010 write the zone's display name as the TZID, with or without its
    // offset, and may leave the VTIMEZONE out. Through the generated display-name table and CLDR:
    // "Kuala Lumpur, Singapore" → Singapore Standard Time → Asia/Singapore (+08 all year):
    // 09:00 = 01:00Z; "(UTC+07:00) Bangkok, Hanoi, Jakarta" → SE Asia Standard Time →
    // Asia/Bangkok (+07): 14:00 = 07:00Z; "(GMT+01:00) Amsterdam, Berlin, …" → W. Europe
    // Standard Time → Europe/Berlin, CEST in June: 10:00 = 08:00Z.
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 12.0 MIMEDIR//EN\r\n\
BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=\"Kuala Lumpur, Singapore\":20240603T090000\r\nDTEND;TZID=\"Kuala Lumpur, Singapore\":20240603T100000\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:b\r\nDTSTART;TZID=\"(UTC+07:00) Bangkok, Hanoi, Jakarta\":20240603T140000\r\nDTEND;TZID=\"(UTC+07:00) Bangkok, Hanoi, Jakarta\":20240603T153000\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:c\r\nDTSTART;TZID=\"(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":20240604T100000\r\nDTEND;TZID=\"(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":20240604T110000\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
    let busy = read_str(text).unwrap();
    let got: Vec<(String, String)> = busy
        .iter()
        .map(|b| (b.start.to_rfc3339(), b.end.to_rfc3339()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "2024-06-03T01:00:00+00:00".to_string(),
                "2024-06-03T02:00:00+00:00".to_string()
            ),
            (
                "2024-06-03T07:00:00+00:00".to_string(),
                "2024-06-03T08:30:00+00:00".to_string()
            ),
            (
                "2024-06-04T08:00:00+00:00".to_string(),
                "2024-06-04T09:00:00+00:00".to_string()
            ),
        ]
    );
}

#[test]
fn properties_outside_the_calendar_are_errors_whether_read_or_skipped() {
    // After END:VCALENDAR: one the reader asks for (UID) and one it skips (X-FOO, lower case).
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240115T080000Z\r\n\
                END:VEVENT\r\nEND:VCALENDAR\r\nUID:b\r\nx-foo;p=1:2\r\n";
    let m = messages(read_str(text).unwrap_err());
    assert!(
        m.iter()
            .any(|m| m.contains(":7:") && m.contains("UID outside BEGIN:VCALENDAR")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.contains(":8:") && m.contains("X-FOO outside BEGIN:VCALENDAR")),
        "{m:?}"
    );
    // Skipped properties inside, in any case, with parameters, change nothing.
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nattendee;cn=\"A, B\":mailto:a@b\r\n\
                uid:a\r\nDtStart;Tzid=Europe/Paris:20240115T090000\r\nDTSTAMP:20240101T000000Z\r\n\
                duration:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let busy = read_str(text).unwrap();
    assert_eq!(busy.len(), 1);
    assert_eq!(busy[0].uid, "a");
    assert_eq!(
        busy[0].start,
        Utc.with_ymd_and_hms(2024, 1, 15, 8, 0, 0).unwrap()
    );
}
