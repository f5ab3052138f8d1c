//! `roundtable generate` writes only programmes roundtable accepts: every combination of
//! participants, sessions, busy events and seed that the benchmarks use (bench/run.sh,
//! benches/hot.rs, bench/peers/README.md) loads, expands, and its busy calendars read.

use roundtable::programme::Programme;

/// (participants, sessions, busy events each, seed), as the benchmarks call the generator.
const BENCHMARKED: &[(usize, usize, usize, u64)] = &[
    // bench/run.sh: P = 1,000, 10,000 and 100,000, 10 sessions, no busy calendars, seed 1 ...
    (1_000, 10, 0, 1),
    (10_000, 10, 0, 1),
    (100_000, 10, 0, 1),
    // ... and with 50 busy events each for P up to 10,000.
    (1_000, 10, 50, 1),
    (10_000, 10, 50, 1),
    // benches/hot.rs: 10,000 participants with 5 busy events; one participant with 50.
    (10_000, 10, 5, 1),
    (1, 10, 50, 1),
];

fn loads(participants: usize, sessions: usize, busy: usize, seed: u64) -> Result<(), String> {
    let what =
        format!("--participants {participants} --sessions {sessions} --busy {busy} --seed {seed}");
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    roundtable::generate::generate(dir.path(), participants, sessions, busy, seed)
        .map_err(|e| format!("{what}: generate: {e}"))?;
    let loaded = Programme::load(&dir.path().join("programme.toml"))
        .map_err(|e| format!("{what}: load: {e}"))?;
    let schedule = roundtable::occurrence::expand(&loaded.programme)
        .map_err(|e| format!("{what}: expand: {e}"))?;
    if busy > 0 {
        roundtable::check::load_busy(
            &loaded.programme,
            &schedule,
            true,
            &roundtable::busy::fetch::Options::default(),
            roundtable::Jobs::ONE,
        )
        .map_err(|e| format!("{what}: busy calendars: {e}"))?;
    }
    Ok(())
}

#[test]
fn every_benchmarked_programme_loads() {
    let failures: Vec<String> = BENCHMARKED
        .iter()
        .filter_map(|&(p, s, b, seed)| loads(p, s, b, seed).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// More sessions than the benchmarks use (40 used to start a weekday series on a Sunday), over
/// several seeds.
#[test]
fn more_sessions_and_other_seeds_load() {
    let mut failures = Vec::new();
    for sessions in [1, 8, 40, 100, 400] {
        for seed in 1..=5 {
            if let Err(e) = loads(30, sessions, 2, seed) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
