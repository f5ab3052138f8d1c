//! Criterion benchmarks of the hot parts, on a generated programme (roundtable generate):
//! zone resolution, occurrence expansion, per-participant conversion, ICS writing, reading a
//! busy calendar, conflict detection and split. Run: `cargo bench --bench hot`.

use std::hint::black_box;
use std::path::PathBuf;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use roundtable::civil::{Disambiguation, resolve};
use roundtable::programme::Programme;
use roundtable::zone::ZoneSpec;

fn programme(participants: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    roundtable::generate::generate(dir.path(), participants, 10, 5, 1).expect("generate");
    let path = dir.path().join("programme.toml");
    (dir, path)
}

fn benches(c: &mut Criterion) {
    let zones: Vec<ZoneSpec> = [
        "Europe/Paris",
        "America/Santiago",
        "Australia/Lord_Howe",
        "Asia/Kathmandu",
        "UTC-3",
    ]
    .iter()
    .map(|z| z.parse().expect("zone"))
    .collect();
    let civil = NaiveDate::from_ymd_opt(2023, 10, 29)
        .and_then(|d| d.and_hms_opt(2, 30, 0))
        .expect("civil");
    c.bench_function("zone resolution (civil -> instant, 5 zones)", |b| {
        b.iter(|| {
            for z in &zones {
                black_box(resolve(black_box(civil), &z.zone, Disambiguation::Compatible).ok());
            }
        })
    });

    let (_dir, path) = programme(10_000);
    let loaded = Programme::load(&path).expect("load");
    let p = &loaded.programme;
    c.bench_function("occurrence expansion (10 sessions)", |b| {
        b.iter(|| black_box(roundtable::occurrence::expand(p).ok()))
    });
    let schedule = roundtable::occurrence::expand(p).expect("expand");
    c.bench_function("per-participant conversion (10k participants)", |b| {
        b.iter(|| black_box(roundtable::view::participant_rows_iter(p, &schedule, None).count()))
    });
    let prepared = roundtable::invites::prepare(
        p,
        &schedule,
        &Default::default(),
        None,
        roundtable::Jobs::ONE,
    )
    .expect("prepare");
    let timezones = roundtable::ics::Timezones::for_events(&prepared.events, roundtable::Jobs::ONE);
    let ctx = roundtable::ics::Context {
        organizer: ("Bench", "bench@example.org"),
        dtstamp: chrono::DateTime::UNIX_EPOCH,
        timezones: &timezones,
    };
    let items: Vec<roundtable::ics::Item<'_>> = prepared
        .events
        .iter()
        .map(|e| roundtable::ics::Item {
            event: e,
            description: None,
        })
        .collect();
    c.bench_function("ICS writing (programme calendar)", |b| {
        b.iter(|| {
            let mut out = String::new();
            roundtable::ics::calendar(
                &mut out,
                &ctx,
                roundtable::ics::Method::Publish,
                Some("x"),
                &items,
                &roundtable::ics::Recipients::Nobody,
            );
            black_box(out.len())
        })
    });
    // One participant's calendar of 50 events (TZID, a weekly RRULE), as `check` reads 10,000.
    let one = tempfile::tempdir().expect("tempdir");
    roundtable::generate::generate(one.path(), 1, 10, 50, 1).expect("generate");
    let file = std::fs::read_dir(one.path().join("busy"))
        .expect("busy dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .next()
        .expect("a busy file");
    let bytes = std::fs::read(&file).expect("read");
    let local: ZoneSpec = "Europe/Athens".parse().expect("zone");
    let window = (
        chrono::DateTime::UNIX_EPOCH,
        chrono::DateTime::UNIX_EPOCH + chrono::Duration::days(365 * 60),
    );
    c.bench_function("busy calendar reading (one file, 50 events)", |b| {
        b.iter(|| {
            black_box(
                roundtable::busy::read(&file, black_box(&bytes), &local.zone, window)
                    .map(|v| v.len())
                    .ok(),
            )
        })
    });
    let busy = roundtable::check::load_busy(
        p,
        &schedule,
        true,
        &roundtable::busy::fetch::Options::default(),
        roundtable::Jobs::ONE,
    )
    .expect("busy");
    c.bench_function("conflict detection (10k participants, 5 busy each)", |b| {
        b.iter(|| {
            black_box(
                roundtable::check::check(p, &schedule, &busy, roundtable::Jobs::ONE)
                    .conflicts
                    .len(),
            )
        })
    });
    let who: Vec<usize> = (0..p.participants.len()).collect();
    let day = NaiveDate::from_ymd_opt(2023, 10, 25).expect("date");
    let slots = roundtable::plan::grid(p, day, day, chrono::Duration::minutes(15));
    c.bench_function("split K=3 (10k participants, 96 slots)", |b| {
        b.iter(|| {
            black_box(roundtable::plan::split(p, &who, &slots, 120, 3).map(|s| s.total_score))
        })
    });
}

criterion_group! {
    name = hot;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(hot);
