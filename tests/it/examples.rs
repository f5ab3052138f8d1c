//! Every example programme in sessions/ loads, expands and has rows for every participant.

use std::path::PathBuf;

#[test]
fn every_example_loads_and_expands() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sessions");
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("sessions/")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        let loaded = roundtable::programme::Programme::load(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let p = &loaded.programme;
        let schedule =
            roundtable::occurrence::expand(p).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!schedule.occurrences.is_empty(), "{}", path.display());
        let rows = roundtable::view::participant_rows(p, &schedule, None);
        for (i, participant) in p.participants.iter().enumerate() {
            assert!(
                p.sessions.iter().any(|s| p.audience_of(s).contains(&i)),
                "{}: {} attends no session",
                path.display(),
                participant.email
            );
        }
        assert!(rows.len() >= p.participants.len(), "{}", path.display());
        seen += 1;
    }
    assert!(seen >= 4, "only {seen} examples");
}

#[test]
fn the_largest_example_has_150_participants_from_50_countries() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sessions/peer-learning-2023-11.toml");
    let loaded = roundtable::programme::Programme::load(&path).expect("loads");
    assert!(loaded.programme.participants.len() >= 150);
    let zones: std::collections::BTreeSet<_> = loaded
        .programme
        .participants
        .iter()
        .map(|p| p.timezone.zone.name())
        .collect();
    // Zones are a lower bound proxy for countries here; the CSV's own comment lists 79 countries.
    assert!(zones.len() >= 50, "{} zones", zones.len());
}

#[test]
fn the_december_training_recurs_on_the_five_published_days() {
    // Seed: "13, 14, 15, 18, and 19 December 2023, 9:00 a.m. to 1:00 p.m. CET" = 08:00–12:00Z.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sessions/city-diplomacy-training-2023-12.toml");
    let loaded = roundtable::programme::Programme::load(&path).expect("loads");
    let schedule = roundtable::occurrence::expand(&loaded.programme).expect("expands");
    let starts: Vec<String> = schedule
        .occurrences
        .iter()
        .map(|o| format!("{}–{}", o.start.format("%d %H:%M"), o.end.format("%H:%M")))
        .collect();
    assert_eq!(
        starts,
        [
            "13 08:00–12:00",
            "14 08:00–12:00",
            "15 08:00–12:00",
            "18 08:00–12:00",
            "19 08:00–12:00"
        ]
    );
}
