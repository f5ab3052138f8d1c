//! Times `check`'s reading of the busy calendars alone, in process, on one thread: what the
//! reader costs without the start of a process, the report, or a second thread's noise.
//!
//! ```text
//! target/release/roundtable generate --out /dev/shm/c10k --participants 10000 --sessions 20 --busy 50 --seed 1
//! cargo build --release --example busy_load
//! target/release/examples/busy_load /dev/shm/c10k/programme.toml 7
//! ```
//!
//! Prints the fastest and the median of the runs (7 unless given), in seconds. Under
//! `valgrind --tool=cachegrind` with 1 run it gives the instruction counts BENCHMARKS.md quotes.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = std::path::PathBuf::from(args.next().ok_or("usage: busy_load PROGRAMME [RUNS]")?);
    let runs: usize = args.next().map_or(Ok(7), |s| s.parse())?;
    let programme = roundtable::programme::Programme::load(&path)?.programme;
    let schedule = roundtable::occurrence::expand(&programme)?;
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let busy = roundtable::check::load_busy(
            &programme,
            &schedule,
            true,
            &Default::default(),
            roundtable::Jobs::ONE,
        )?;
        times.push(start.elapsed().as_secs_f64());
        std::hint::black_box(busy);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "min {:.4} s, median {:.4} s ({} runs)",
        times[0],
        times[times.len() / 2],
        times.len()
    );
    Ok(())
}
