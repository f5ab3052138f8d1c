//! Invariants checked on generated inputs (proptest).

use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use roundtable::civil::{Disambiguation, resolve};
use roundtable::ics::text::{escape_text, push_line, unfold};
use roundtable::zone::Zone;

fn zone_strategy() -> impl Strategy<Value = Zone> {
    (0..chrono_tz::TZ_VARIANTS.len()).prop_map(|i| Zone::Iana(chrono_tz::TZ_VARIANTS[i]))
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

    /// For any zone and civil time that exists exactly once, local → UTC → local is the identity;
    /// and under every policy the instant found reads back as a time of that day in that zone.
    #[test]
    fn local_utc_local_is_the_identity(zone in zone_strategy(), civil in civil_strategy()) {
        match resolve(civil, &zone, Disambiguation::Reject) {
            Ok(instant) => prop_assert_eq!(zone.local(instant).naive_local(), civil),
            Err(_) => {
                for policy in [Disambiguation::Compatible, Disambiguation::Earlier, Disambiguation::Later] {
                    let instant = resolve(civil, &zone, policy).expect("a policy always resolves");
                    let back = zone.local(instant).naive_local();
                    prop_assert!((back - civil).num_hours().abs() <= 3, "{civil} -> {back}");
                }
            }
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

    /// For any programme, each occurrence `times` lists appears exactly once when the written
    /// programme calendar is expanded again (RRULE, EXDATE and RECURRENCE-ID overrides), read
    /// by the busy-calendar reader, an expansion written separately from `occurrence`.
    #[test]
    fn every_occurrence_appears_once_in_the_invites(
        sessions in proptest::collection::vec((0..ZONES.len(), 0..RULES.len(), 0u32..700, 0u32..96, 15u32..240, any::<bool>()), 1..5)
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut toml = String::from("[programme]\nid = \"prop\"\ntitle = \"P\"\ntimezone = \"Europe/Paris\"\norganizer = { name = \"O\", email = \"o@example.org\" }\ndisambiguation = \"compatible\"\n\n[[participant]]\nname = \"A\"\nemail = \"a@example.org\"\ntimezone = \"Asia/Tokyo\"\n");
        for (i, (z, r, day, quarter, minutes, drop_second)) in sessions.iter().enumerate() {
            let start = NaiveDate::from_ymd_opt(2023, 1, 1).expect("date") + chrono::Duration::days(i64::from(*day));
            let start = start.and_hms_opt(quarter / 4, (quarter % 4) * 15, 0).expect("time");
            toml.push_str(&format!("\n[[session]]\nid = \"s{i}\"\ntitle = \"S{i}\"\nstart = \"{}\"\ntimezone = \"{}\"\nduration = \"{minutes}m\"\naudience = \"all\"\n", start.format("%Y-%m-%dT%H:%M"), ZONES[*z]));
            if !RULES[*r].is_empty() {
                toml.push_str(&format!("repeat = \"{}\"\n", RULES[*r]));
            }
            if *drop_second && !RULES[*r].is_empty() {
                // Drop the second occurrence, whatever it is.
                let p = dir.path().join("probe.toml");
                std::fs::write(&p, &toml).expect("write");
                let second = roundtable::programme::Programme::load(&p).ok().and_then(|l| {
                    let session = &l.programme.sessions[i];
                    let rule = session.repeat.as_ref()?;
                    rule.expand(start, &session.timezone.zone).ok()?.starts.get(1).copied()
                });
                if let Some(second) = second {
                    toml.push_str(&format!("except = [\"{}\"]\n", second.format("%Y-%m-%dT%H:%M")));
                }
            }
        }
        let path = dir.path().join("p.toml");
        std::fs::write(&path, &toml).expect("write");
        let loaded = roundtable::programme::Programme::load(&path);
        prop_assume!(loaded.is_ok());
        let loaded = loaded.expect("checked");
        let schedule = roundtable::occurrence::expand(&loaded.programme);
        prop_assume!(schedule.is_ok());
        let schedule = schedule.expect("checked");
        let out = dir.path().join("out");
        let private = dir.path().join("private");
        let key = roundtable::address::Key::from_text("property-test-key-0123456789abcdef").expect("key");
        let outputs = roundtable::invites::Outputs { public: &out, private: &private };
        roundtable::invites::run(&loaded.programme, &schedule, outputs, roundtable::invites::RunOptions { key: &key, wait: roundtable::output::Wait::Wait, on_wait: &mut |_| {}, jobs: roundtable::jobs::Jobs::ONE }).expect("invites");
        let bytes = std::fs::read(out.join("prop.ics")).expect("programme calendar");
        let first = schedule.occurrences.iter().map(|o| o.start).min().expect("some");
        let last = schedule.occurrences.iter().map(|o| o.end).max().expect("some");
        let utc: roundtable::zone::ZoneSpec = "UTC".parse().expect("zone");
        let read = roundtable::busy::read(&out.join("prop.ics"), &bytes, &utc.zone, (first - chrono::Duration::days(1), last + chrono::Duration::days(1))).expect("readable");
        // A series is cut at an occurrence that fell in a gap or fold (clients disagree on
        // those inside an RRULE): that part's UID is the session's with `~<original start>`
        // added. Each occurrence must still appear once, under its own session's UID, and a
        // cut must be named by the original start of an occurrence it holds.
        let mut seen: Vec<(String, String)> = Vec::new();
        for b in &read {
            let (head, domain) = b.uid.split_once('.').expect("UIDs are <session>.<programme>@<domain>");
            let (session, stamp) = head.split_once('~').map_or((head, None), |(s, t)| (s, Some(t)));
            if let Some(stamp) = stamp {
                let named = schedule.occurrences.iter().any(|o| {
                    loaded.programme.sessions[o.session].id == session
                        && o.original.format("%Y%m%dT%H%M").to_string() == stamp
                });
                prop_assert!(named, "UID {} names no occurrence of {}\n{}", b.uid, session, toml);
            }
            seen.push((format!("{session}.{domain}"), b.start.to_rfc3339()));
        }
        seen.sort();
        let mut expected: Vec<(String, String)> = schedule.occurrences.iter().map(|o| {
            (roundtable::ics::uid(&loaded.programme.sessions[o.session].id, "prop", "o@example.org"), o.start.to_rfc3339())
        }).collect();
        expected.sort();
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
