//! Invariants checked on generated inputs (proptest). Expected instants come from a second,
//! brute-force resolver written here ([`Candidates`]), which uses tz data only in the
//! UTC → local direction, and expected occurrences from date arithmetic on the few rules the
//! programmes are generated with; never from the code under test.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Weekday};
use chrono_tz::Tz;
use proptest::prelude::*;
use roundtable::civil::{Disambiguation, resolve};
use roundtable::ics::text::{escape_text, push_line, unfold};
use roundtable::zone::Zone;

fn zone_strategy() -> impl Strategy<Value = Tz> {
    (0..chrono_tz::TZ_VARIANTS.len()).prop_map(|i| chrono_tz::TZ_VARIANTS[i])
}

/// Seconds east of UTC of `zone` (an IANA name or `UTC-3`) at the UTC time `utc`.
fn offset_at(zone: &str, utc: NaiveDateTime) -> i64 {
    if let Some(hours) = zone
        .strip_prefix("UTC")
        .filter(|h| h.starts_with(['+', '-']))
    {
        return hours.parse::<i64>().expect("UTC±H") * 3600;
    }
    let tz: Tz = zone.parse().expect("IANA zone");
    i64::from(tz.offset_from_utc_datetime(&utc).fix().local_minus_utc())
}

/// The instants (as naive UTC) at which `zone` reads `civil`, and the offsets in force 16 hours
/// either side: no zone is more than 14 hours from UTC, so those are the offsets before and
/// after any change that `civil` meets (tz data since 1970 has no two changes of a zone within
/// 32 hours).
struct Candidates {
    instants: Vec<NaiveDateTime>,
    before: i64,
    after: i64,
}

impl Candidates {
    fn new(zone: &str, civil: NaiveDateTime) -> Candidates {
        let before = offset_at(zone, civil - Duration::hours(16));
        let after = offset_at(zone, civil + Duration::hours(16));
        let mut instants: Vec<NaiveDateTime> = [before, after]
            .into_iter()
            .map(|o| civil - Duration::seconds(o))
            .filter(|u| civil - *u == Duration::seconds(offset_at(zone, *u)))
            .collect();
        instants.sort();
        instants.dedup();
        Candidates {
            instants,
            before,
            after,
        }
    }

    /// What each policy means (RFC 5545 and Temporal): in a gap, `earlier` reads the time with
    /// the offset after it, `later` and `compatible` with the one before; in a fold, `earlier`
    /// and `compatible` take the first instant, `later` the second.
    fn under(&self, civil: NaiveDateTime, policy: Disambiguation) -> Option<NaiveDateTime> {
        match (self.instants.as_slice(), policy) {
            ([one], _) => Some(*one),
            (_, Disambiguation::Reject) => None,
            ([], Disambiguation::Earlier) => Some(civil - Duration::seconds(self.after)),
            ([], _) => Some(civil - Duration::seconds(self.before)),
            ([first, ..], Disambiguation::Earlier | Disambiguation::Compatible) => Some(*first),
            ([.., last], Disambiguation::Later) => Some(*last),
        }
    }
}

fn civil_strategy() -> impl Strategy<Value = NaiveDateTime> {
    // 1970–2037, any minute.
    (0i64..(68 * 366 * 24 * 60)).prop_map(|m| {
        NaiveDate::from_ymd_opt(1970, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("epoch")
            + chrono::Duration::minutes(m)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// For any zone and civil time, under every policy, `resolve` gives the instant the
    /// brute-force resolver gives; with `reject`, an error exactly where the time does not exist
    /// once.
    #[test]
    fn resolve_agrees_with_a_brute_force_search(tz in zone_strategy(), civil in civil_strategy()) {
        let name = tz.name();
        let candidates = Candidates::new(name, civil);
        for policy in [Disambiguation::Reject, Disambiguation::Compatible, Disambiguation::Earlier, Disambiguation::Later] {
            let got = resolve(civil, &Zone::Iana(tz), policy).ok().map(|t| t.naive_utc());
            prop_assert_eq!(got, candidates.under(civil, policy), "{} {} {:?}", name, civil, policy);
        }
    }

    /// For any text, folding then unfolding gives it back, and every physical line is at most
    /// 75 octets; escaped TEXT never carries a raw CR or LF.
    #[test]
    fn folding_round_trips(text in any::<String>(), prefix in "[A-Z]{1,12}") {
        let value = escape_text(&text);
        prop_assert!(!value.contains(['\r', '\n']));
        let line = format!("{prefix}:{value}");
        let mut out = String::new();
        push_line(&mut out, &line);
        prop_assert!(out.ends_with("\r\n"));
        for physical in out.split("\r\n") {
            prop_assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        prop_assert_eq!(unfold(&out), vec![line]);
    }
}

const ZONES: &[&str] = &[
    "Europe/Paris",
    "America/New_York",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Africa/Lagos",
    "UTC-3",
    "America/Sao_Paulo",
    "Asia/Tehran",
];
/// The rules programmes are generated with; [`civil_starts`] expands each by hand.
const RULES: &[&str] = &[
    "",
    "FREQ=DAILY;COUNT=9",
    "FREQ=WEEKLY;COUNT=6",
    "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=10",
    "FREQ=MONTHLY;COUNT=4",
    "FREQ=DAILY;INTERVAL=2;COUNT=7",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// For any programme, each occurrence appears exactly once, at the instant worked out here
    /// (civil dates by hand, instants by the brute-force resolver), when the written programme
    /// calendar is expanded again (RRULE, EXDATE and RECURRENCE-ID overrides) by the
    /// busy-calendar reader. Every generated programme is valid: loading it must succeed.
    #[test]
    fn every_occurrence_appears_once_in_the_invites(
        sessions in proptest::collection::vec((0..ZONES.len(), 0..RULES.len(), 0u32..700, 0u32..96, 15u32..240, any::<bool>()), 1..5)
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut toml = String::from("[programme]\nid = \"prop\"\ntitle = \"P\"\ntimezone = \"Europe/Paris\"\norganizer = { name = \"O\", email = \"o@example.org\" }\ndisambiguation = \"compatible\"\n\n[[participant]]\nname = \"A\"\nemail = \"a@example.org\"\ntimezone = \"Asia/Tokyo\"\n");
        // (id, civil starts) of each session, and (UID, instant) of each occurrence.
        let mut expected_sessions: Vec<(String, Vec<NaiveDateTime>)> = Vec::new();
        let mut expected: Vec<(String, String)> = Vec::new();
        for (i, (z, r, day, quarter, minutes, drop_second)) in sessions.iter().enumerate() {
            let date = synchronised(NaiveDate::from_ymd_opt(2023, 1, 1).expect("date") + Duration::days(i64::from(*day)), RULES[*r]);
            let start = date.and_hms_opt(quarter / 4, (quarter % 4) * 15, 0).expect("time");
            toml.push_str(&format!("\n[[session]]\nid = \"s{i}\"\ntitle = \"S{i}\"\nstart = \"{}\"\ntimezone = \"{}\"\nduration = \"{minutes}m\"\naudience = \"all\"\n", start.format("%Y-%m-%dT%H:%M"), ZONES[*z]));
            let mut civil = civil_starts(start, RULES[*r]);
            if !RULES[*r].is_empty() {
                toml.push_str(&format!("repeat = \"{}\"\n", RULES[*r]));
                if *drop_second {
                    toml.push_str(&format!("except = [\"{}\"]\n", civil[1].format("%Y-%m-%dT%H:%M")));
                    civil.remove(1);
                }
            }
            let uid = format!("s{i}.prop@example.org");
            for c in &civil {
                let at = Candidates::new(ZONES[*z], *c).under(*c, Disambiguation::Compatible).expect("compatible resolves");
                expected.push((uid.clone(), at.and_utc().to_rfc3339()));
            }
            expected_sessions.push((format!("s{i}"), civil));
        }
        let path = dir.path().join("p.toml");
        std::fs::write(&path, &toml).expect("write");
        let loaded = roundtable::programme::Programme::load(&path)
            .unwrap_or_else(|e| panic!("a generated programme does not load: {e}\n{toml}"));
        let schedule = roundtable::occurrence::expand(&loaded.programme)
            .unwrap_or_else(|e| panic!("a generated programme does not expand: {e}\n{toml}"));
        let out = dir.path().join("out");
        let private = dir.path().join("private");
        let key = roundtable::invites::Key::from_text("property-test-key-0123456789abcdef").expect("key");
        let outputs = roundtable::invites::Outputs { public: &out, private: &private };
        roundtable::invites::run(&loaded.programme, &schedule, outputs, roundtable::invites::RunOptions { key: &key, wait: roundtable::invites::Wait::Wait, on_wait: &mut |_| {}, jobs: roundtable::Jobs::ONE }).expect("invites");
        let bytes = std::fs::read(out.join("prop.ics")).expect("programme calendar");
        expected.sort();
        let first: chrono::DateTime<chrono::Utc> = expected.iter().map(|(_, t)| t.parse().expect("rfc3339")).min().expect("some");
        let last: chrono::DateTime<chrono::Utc> = expected.iter().map(|(_, t)| t.parse().expect("rfc3339")).max().expect("some");
        let utc: roundtable::zone::ZoneSpec = "UTC".parse().expect("zone");
        let read = roundtable::busy::read(&out.join("prop.ics"), &bytes, &utc.zone, (first - Duration::days(1), last + Duration::days(2))).expect("readable");
        // A series is cut at an occurrence that fell in a gap or fold (clients disagree on
        // those inside an RRULE): that part's UID is the session's with `~<original start>`
        // added. Each occurrence must still appear once, under its own session's UID, and a
        // cut must be named by the civil start of an occurrence it holds.
        let mut seen: Vec<(String, String)> = Vec::new();
        for b in &read {
            let (head, domain) = b.uid.split_once('.').expect("UIDs are <session>.<programme>@<domain>");
            let (session, stamp) = head.split_once('~').map_or((head, None), |(s, t)| (s, Some(t)));
            if let Some(stamp) = stamp {
                let named = expected_sessions.iter().any(|(id, civil)| {
                    id == session && civil.iter().any(|c| c.format("%Y%m%dT%H%M").to_string() == stamp)
                });
                prop_assert!(named, "UID {} names no occurrence of {}\n{}", b.uid, session, toml);
            }
            seen.push((format!("{session}.{domain}"), b.start.to_rfc3339()));
        }
        seen.sort();
        prop_assert_eq!(seen, expected, "{}", toml);
    }

    /// `split` never scores below `suggest`'s best slot, and K = 1 is exactly that slot.
    #[test]
    fn split_never_scores_below_the_best_slot(
        people in proptest::collection::vec((0..ZONES.len(), 0u16..24, 4u16..14), 1..12),
        minutes in 30i64..240,
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut toml = String::from("[programme]\nid = \"prop\"\ntitle = \"P\"\ntimezone = \"Europe/Paris\"\norganizer = { name = \"O\", email = \"o@example.org\" }\n");
        for (i, (z, start, len)) in people.iter().enumerate() {
            let end = (start + len) % 24;
            toml.push_str(&format!("\n[[participant]]\nname = \"P{i}\"\nemail = \"p{i}@example.org\"\ntimezone = \"{}\"\nworking_hours = \"{start:02}:00-{end:02}:00\"\n", ZONES[*z]));
        }
        let path = dir.path().join("p.toml");
        std::fs::write(&path, &toml).expect("write");
        let loaded = roundtable::programme::Programme::load(&path).expect("valid");
        let p = &loaded.programme;
        let who: Vec<usize> = (0..p.participants.len()).collect();
        let day = NaiveDate::from_ymd_opt(2023, 11, 15).expect("date");
        let slots = roundtable::plan::grid(p, day, day, chrono::Duration::minutes(30));
        let best = roundtable::plan::suggest(p, &who, &slots, minutes)[0].1;
        let one = roundtable::plan::split(p, &who, &slots, minutes, 1).expect("k=1").total_score;
        let two = roundtable::plan::split(p, &who, &slots, minutes, 2).expect("k=2").total_score;
        prop_assert_eq!(one, best);
        prop_assert!(two >= best);
    }
}

/// `date`, moved to where `rule` has an occurrence: the next Monday, Wednesday or Friday for
/// the `BYDAY` rule, at most the 28th for the monthly one (so that every month has that day).
fn synchronised(date: NaiveDate, rule: &str) -> NaiveDate {
    if rule.contains("BYDAY=MO,WE,FR") {
        let mut d = date;
        while !matches!(d.weekday(), Weekday::Mon | Weekday::Wed | Weekday::Fri) {
            d = d.succ_opt().expect("date");
        }
        d
    } else if rule.starts_with("FREQ=MONTHLY") && date.day() > 28 {
        date.with_day(28).expect("28th")
    } else {
        date
    }
}

/// The civil starts of `rule` from `start` (synchronised with it), by date arithmetic.
fn civil_starts(start: NaiveDateTime, rule: &str) -> Vec<NaiveDateTime> {
    let step = |days: i64, count: i64| {
        (0..count)
            .map(|k| start + Duration::days(days * k))
            .collect()
    };
    match rule {
        "" => vec![start],
        "FREQ=DAILY;COUNT=9" => step(1, 9),
        "FREQ=WEEKLY;COUNT=6" => step(7, 6),
        "FREQ=DAILY;INTERVAL=2;COUNT=7" => step(2, 7),
        "FREQ=MONTHLY;COUNT=4" => (0..4)
            .map(|k| {
                start
                    .checked_add_months(chrono::Months::new(k))
                    .expect("month")
            })
            .collect(),
        "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=10" => {
            let mut v = vec![start];
            while v.len() < 10 {
                let mut next = *v.last().expect("one") + Duration::days(1);
                while !matches!(next.weekday(), Weekday::Mon | Weekday::Wed | Weekday::Fri) {
                    next += Duration::days(1);
                }
                v.push(next);
            }
            v
        }
        other => panic!("no hand expansion for {other}"),
    }
}
