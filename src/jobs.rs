//! Work spread over threads (`--jobs N`): the per-participant work of `invites`, `build` and
//! `check` is independent from one participant to the next, so it is cut into chunks that
//! scoped threads take in turn. Results come back in input order, whatever thread made them,
//! so output never depends on the number of jobs; with one job nothing is spawned.
//!
//! Plain `std::thread::scope` rather than a pool crate: a run spawns its threads once
//! (about 30 µs each), which is nothing next to the 1,000-participant example's milliseconds,
//! and a work counter is all the balancing these even-sized chunks need.

use std::num::NonZeroUsize;
use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads a command may use. Parsed by clap from `--jobs N` (N ≥ 1); the default is
/// the number of cores the process may run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jobs(NonZeroUsize);

impl Jobs {
    /// One thread: everything on the calling thread.
    pub const ONE: Jobs = Jobs(NonZeroUsize::MIN);

    /// As many as [`std::thread::available_parallelism`] says (1 when it cannot tell), asked
    /// once per process: it reads the cgroup's files each time, and every subcommand's
    /// `--jobs` default asks for it when the arguments are parsed.
    pub fn available() -> Self {
        static AVAILABLE: std::sync::OnceLock<Jobs> = std::sync::OnceLock::new();
        *AVAILABLE
            .get_or_init(|| Jobs(std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)))
    }

    /// `n` threads.
    pub fn new(n: NonZeroUsize) -> Self {
        Jobs(n)
    }

    /// The number of threads.
    pub fn get(self) -> usize {
        self.0.get()
    }
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs::available()
    }
}

impl std::str::FromStr for Jobs {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.parse::<NonZeroUsize>().map(Jobs).map_err(|_| {
            format!("`{s}` is not a number of threads: give a whole number from 1 (e.g. --jobs 2)")
        })
    }
}

impl std::fmt::Display for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Drops `value` on a thread of its own when `jobs` allows more than one, so that the caller
/// goes on (or the process exits) without waiting for it: freeing the busy calendars and the
/// report of `check` at 10,000 participants takes about 20 ms of one core (issue 19). With one
/// job, or when no thread can be started, it is dropped here.
pub fn drop_beside<T: Send + 'static>(jobs: Jobs, value: T) {
    if jobs.get() == 1 {
        drop(value);
        return;
    }
    // When the thread cannot be spawned, the closure, and `value` with it, is dropped here.
    let _ = std::thread::Builder::new()
        .name("drop".to_string())
        .spawn(move || drop(value));
}

/// `(a(), b())`, `b` on a thread of its own when `jobs` allows more than one (else after `a`,
/// here). For two independent tasks of a run's serial tail, such as the report's summary and
/// its groups. A panic in either is resumed here.
pub fn join<A, B, RA, RB>(jobs: Jobs, a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    if jobs.get() == 1 {
        let ra = a();
        return (ra, b());
    }
    std::thread::scope(|scope| {
        let other = scope.spawn(b);
        let ra = a();
        match other.join() {
            Ok(rb) => (ra, rb),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Fewer items than this are sorted or grouped on the calling thread: starting a thread for
/// them costs about what it saves.
pub(crate) const ALONE: usize = 1 << 14;

/// Sorts `items` (whose elements are all distinct, so that any sort gives the same order) on
/// up to two threads when `jobs` allows: each half is sorted on its own thread and the halves
/// are merged. Returns the sorted list; below [`ALONE`] items it is sorted here.
pub fn sort_distinct<T: Ord + Copy + Send>(jobs: Jobs, mut items: Vec<T>) -> Vec<T> {
    if jobs.get() == 1 || items.len() < ALONE {
        items.sort_unstable();
        return items;
    }
    let half = items.len() / 2;
    let (left, right) = items.split_at_mut(half);
    join(jobs, || left.sort_unstable(), || right.sort_unstable());
    let (left, right) = items.split_at(half);
    let mut out = Vec::with_capacity(items.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(&a), Some(&b)) = (left.get(i), right.get(j)) {
        if b < a {
            out.push(b);
            j += 1;
        } else {
            out.push(a);
            i += 1;
        }
    }
    out.extend_from_slice(left.get(i..).unwrap_or_default());
    out.extend_from_slice(right.get(j..).unwrap_or_default());
    out
}

/// The chunks `0..n` is cut into: `chunk` items each (the last may be shorter).
pub(crate) fn chunks(n: usize, chunk: usize) -> impl Iterator<Item = Range<usize>> {
    let chunk = chunk.max(1);
    (0..n.div_ceil(chunk)).map(move |c| c * chunk..((c + 1) * chunk).min(n))
}

/// Calls `work` on every chunk of `0..n` (`chunk` items each) on up to `jobs` threads, and
/// returns the results in chunk order. `work` is told its chunk's range.
pub fn map_chunks<T, F>(jobs: Jobs, n: usize, chunk: usize, work: F) -> Vec<T>
where
    T: Send,
    F: Fn(Range<usize>) -> T + Sync,
{
    map_chunks_beside(jobs, || (), n, chunk, work).1
}

/// [`map_chunks`], with one more task `side` done by the first thread to come free (one that
/// is not chunk-sized, such as a file of every attendee) before it takes chunks too. With
/// one job, `side` runs after the chunks.
pub fn map_chunks_beside<S, T, G, F>(
    jobs: Jobs,
    side: G,
    n: usize,
    chunk: usize,
    work: F,
) -> (S, Vec<T>)
where
    S: Send,
    T: Send,
    G: FnOnce() -> S + Send,
    F: Fn(Range<usize>) -> T + Sync,
{
    let ranges: Vec<Range<usize>> = chunks(n, chunk).collect();
    let threads = jobs.get().min(ranges.len() + 1);
    if threads <= 1 {
        let results = ranges.into_iter().map(work).collect();
        return (side(), results);
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<T>>> = ranges.iter().map(|_| Mutex::new(None)).collect();
    let drain = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(range) = ranges.get(i) else { break };
            let result = work(range.clone());
            if let Ok(mut slot) = slots[i].lock() {
                *slot = Some(result);
            }
        }
    };
    let side = std::thread::scope(|scope| {
        let side = scope.spawn(|| {
            let s = side();
            drain();
            s
        });
        for _ in 2..threads {
            scope.spawn(drain);
        }
        drain();
        side.join()
    });
    let side = match side {
        Ok(s) => s,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let results = slots
        .into_iter()
        .filter_map(|s| s.into_inner().ok().flatten())
        .collect();
    (side, results)
}

/// Calls `work` on every chunk of `0..n` on up to `jobs` threads and hands each result to
/// `consume` in chunk order, on the calling thread. At most a few chunks per thread are
/// computed and not yet consumed at any time: what is held beside the consumer's own data is
/// that window, not every chunk's result.
///
/// The threads are started once for the whole range, and the calling thread computes chunks
/// too whenever the next result to consume is not ready. (This used to start them afresh for
/// each window of chunks and wait for the window's slowest chunk: 279 rounds for the JSON
/// report's groups at 10,000 participants, issue 19.) A panic in `work` or `consume` stops the
/// other threads and is resumed on the calling thread.
pub fn for_each_in_order<T, C, F>(jobs: Jobs, n: usize, chunk: usize, mut consume: C, work: F)
where
    T: Send,
    C: FnMut(T),
    F: Fn(Range<usize>) -> T + Sync,
{
    let ranges: Vec<Range<usize>> = chunks(n, chunk).collect();
    let threads = jobs.get().min(ranges.len());
    if threads <= 1 {
        for range in ranges {
            consume(work(range));
        }
        return;
    }
    let ahead = threads * 4;
    let order = InOrder {
        state: Mutex::new(Window {
            claimed: 0,
            consumed: 0,
            done: std::collections::BTreeMap::new(),
            panic: None,
            stop: false,
        }),
        changed: std::sync::Condvar::new(),
        count: ranges.len(),
        ahead,
    };
    let run = |i: usize| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(ranges[i].clone())))
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|| {
                while let Some(i) = order.claim(true) {
                    order.finish(i, run(i));
                }
            });
        }
        // Whatever happens on this thread, the others stop waiting when it leaves.
        let _stop = StopOnDrop(&order);
        loop {
            let mut w = order.lock();
            if let Some(payload) = w.panic.take() {
                w.stop = true;
                drop(w);
                std::panic::resume_unwind(payload);
            }
            if w.consumed == order.count {
                break;
            }
            let next = w.consumed;
            if let Some(result) = w.done.remove(&next) {
                w.consumed += 1;
                drop(w);
                order.changed.notify_all();
                consume(result);
                continue;
            }
            drop(w);
            // The next result is not ready: compute a chunk here if one may be started,
            // else wait for another thread's.
            match order.claim(false) {
                Some(i) => order.finish(i, run(i)),
                None => {
                    let w = order.lock();
                    if !w.done.contains_key(&next) && w.panic.is_none() {
                        drop(order.wait(w));
                    }
                }
            }
        }
    });
}

/// The chunks of a [`for_each_in_order`] between the threads.
struct InOrder<T> {
    state: Mutex<Window<T>>,
    changed: std::sync::Condvar,
    count: usize,
    /// At most this many chunks are claimed and not yet consumed.
    ahead: usize,
}

struct Window<T> {
    /// Chunks `0..claimed` have been started.
    claimed: usize,
    /// Chunks `0..consumed` have been handed to the consumer.
    consumed: usize,
    /// Finished chunks not yet consumed.
    done: std::collections::BTreeMap<usize, T>,
    /// A panic of a chunk's work, for the consumer to resume.
    panic: Option<Box<dyn std::any::Any + Send>>,
    /// Set when the consumer leaves: no more chunks are started.
    stop: bool,
}

impl<T> InOrder<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Window<T>> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn wait<'a>(
        &self,
        w: std::sync::MutexGuard<'a, Window<T>>,
    ) -> std::sync::MutexGuard<'a, Window<T>> {
        self.changed
            .wait(w)
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The next chunk to compute, if one may start; `None` when none is left or the run
    /// stopped. With `block`, waits while the window is full; without, returns `None` then.
    fn claim(&self, block: bool) -> Option<usize> {
        let mut w = self.lock();
        loop {
            if w.stop || w.panic.is_some() || w.claimed == self.count {
                return None;
            }
            if w.claimed < w.consumed + self.ahead {
                w.claimed += 1;
                return Some(w.claimed - 1);
            }
            if !block {
                return None;
            }
            w = self.wait(w);
        }
    }

    /// Records chunk `i`'s result (or its panic) and wakes the other threads.
    fn finish(&self, i: usize, result: std::thread::Result<T>) {
        let mut w = self.lock();
        match result {
            Ok(t) => {
                w.done.insert(i, t);
            }
            Err(payload) => {
                if w.panic.is_none() {
                    w.panic = Some(payload);
                }
            }
        }
        drop(w);
        self.changed.notify_all();
    }
}

/// Stops an [`InOrder`] run when dropped (the consumer is done, or unwinding).
struct StopOnDrop<'a, T>(&'a InOrder<T>);

impl<T> Drop for StopOnDrop<'_, T> {
    fn drop(&mut self) {
        self.0.lock().stop = true;
        self.0.changed.notify_all();
    }
}

/// `work(i)` for every `i` in `0..n`, in order, on up to `jobs` threads (`chunk` items at a
/// time).
pub fn map<T, F>(jobs: Jobs, n: usize, chunk: usize, work: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize) -> T + Sync,
{
    let mut out = Vec::with_capacity(n);
    for part in map_chunks(jobs, n, chunk, |range| range.map(&work).collect::<Vec<T>>()) {
        out.extend(part);
    }
    out
}

/// Calls `work` on every chunk of `0..n` on up to `jobs` threads, and `side` beside them
/// ([`map_chunks_beside`]); the error of the first failing chunk (in chunk order, not in time)
/// is returned, then `side`'s, so the error does not depend on the number of jobs. Chunks after
/// a failed one that have not started yet are skipped.
pub fn try_chunks_beside<S, E, G, F>(
    jobs: Jobs,
    side: G,
    n: usize,
    chunk: usize,
    work: F,
) -> Result<S, E>
where
    S: Send,
    E: Send,
    G: FnOnce() -> Result<S, E> + Send,
    F: Fn(Range<usize>) -> Result<(), E> + Sync,
{
    // The first failing chunk so far, by position: chunks after it are skipped, those before
    // it still run (one of them may fail too, and its error comes first).
    let failed = AtomicUsize::new(usize::MAX);
    let (side, results) = map_chunks_beside(jobs, side, n, chunk, |range| {
        if range.start > failed.load(Ordering::Relaxed) {
            return Ok(());
        }
        let start = range.start;
        let r = work(range);
        if r.is_err() {
            failed.fetch_min(start, Ordering::Relaxed);
        }
        r
    });
    results.into_iter().collect::<Result<(), E>>()?;
    side
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_distinct_sorts_at_any_jobs() {
        // A permutation of 0..n: distinct, in a scrambled order.
        for n in [0, 1, 2, 100, 40_000, 40_001] {
            let items: Vec<u64> = (0..n).map(|i| (i * 7919) % n.max(1)).collect();
            let expected: Vec<u64> = (0..n).collect();
            for jobs in [1, 2, 3] {
                let jobs = Jobs::new(NonZeroUsize::new(jobs).unwrap());
                assert_eq!(sort_distinct(jobs, items.clone()), expected, "n = {n}");
            }
        }
    }

    #[test]
    fn join_runs_both_at_any_jobs() {
        for jobs in [1, 2] {
            let jobs = Jobs::new(NonZeroUsize::new(jobs).unwrap());
            let mut a = 0;
            let (x, y) = join(
                jobs,
                || {
                    a += 1;
                    "a"
                },
                || 2 + 2,
            );
            assert_eq!((a, x, y), (1, "a", 4));
        }
    }

    #[test]
    fn results_come_back_in_input_order_whatever_the_jobs() {
        let expected: Vec<usize> = (0..1000).map(|i| i * i).collect();
        for jobs in [1, 2, 3, 8] {
            let jobs = Jobs::new(NonZeroUsize::new(jobs).unwrap());
            assert_eq!(map(jobs, 1000, 7, |i| i * i), expected);
        }
    }

    #[test]
    fn chunks_are_consumed_in_order_within_a_window() {
        use std::sync::atomic::AtomicUsize;
        for jobs in [1, 2, 3, 8] {
            for (n, chunk) in [(0, 4), (1, 4), (5, 1), (1000, 7), (333, 100)] {
                let started = AtomicUsize::new(0);
                let mut seen = Vec::new();
                let mut consumed = 0;
                for_each_in_order(
                    Jobs::new(NonZeroUsize::new(jobs).unwrap()),
                    n,
                    chunk,
                    |range: Range<usize>| {
                        // Never more than the window's chunks started after this one.
                        let ahead = started.load(Ordering::SeqCst) - consumed - 1;
                        assert!(ahead <= 4 * jobs, "{ahead} chunks ahead at {jobs} jobs");
                        consumed += 1;
                        seen.extend(range);
                    },
                    |range| {
                        started.fetch_add(1, Ordering::SeqCst);
                        // Uneven work, so that chunks finish out of order.
                        if range.start % 3 == 0 {
                            std::thread::sleep(std::time::Duration::from_micros(200));
                        }
                        range
                    },
                );
                assert_eq!(
                    seen,
                    (0..n).collect::<Vec<_>>(),
                    "{jobs} jobs, {n} by {chunk}"
                );
            }
        }
    }

    #[test]
    #[should_panic(expected = "chunk 40")]
    fn a_panicking_chunk_reaches_the_caller() {
        let jobs = Jobs::new(NonZeroUsize::new(3).unwrap());
        for_each_in_order(
            jobs,
            100,
            10,
            |_: ()| {},
            |range| {
                assert!(range.start != 40, "chunk {}", range.start);
            },
        );
    }

    #[test]
    #[should_panic(expected = "consumer")]
    fn a_panicking_consumer_stops_the_threads() {
        let jobs = Jobs::new(NonZeroUsize::new(3).unwrap());
        let mut n = 0;
        for_each_in_order(
            jobs,
            1000,
            1,
            |_: ()| {
                n += 1;
                assert!(n < 5, "consumer");
            },
            |_| std::thread::sleep(std::time::Duration::from_micros(50)),
        );
    }

    #[test]
    fn chunks_cover_the_range_once() {
        let all: Vec<usize> = chunks(10, 3).flatten().collect();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_eq!(chunks(0, 3).count(), 0);
    }

    #[test]
    fn the_first_failing_chunk_in_order_is_reported() {
        let jobs = Jobs::new(NonZeroUsize::new(2).unwrap());
        // Chunks 3 and 5 fail; which finishes first varies, the error does not.
        let r = try_chunks_beside(
            jobs,
            || Ok(()),
            60,
            10,
            |range| {
                if range.start == 30 || range.start == 50 {
                    Err(range.start)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err(30));
    }

    #[test]
    fn the_side_task_runs_once_beside_the_chunks() {
        for jobs in [1, 2, 3] {
            let jobs = Jobs::new(NonZeroUsize::new(jobs).unwrap());
            let (side, parts) = map_chunks_beside(jobs, || "side", 10, 4, |r| r.len());
            assert_eq!((side, parts), ("side", vec![4, 4, 2]));
            let r: Result<u8, &str> =
                try_chunks_beside(jobs, || Err("side"), 10, 4, |_| Err("chunk"));
            assert_eq!(r, Err("chunk"));
        }
    }

    #[test]
    fn jobs_parse_from_the_command_line() {
        assert_eq!("2".parse::<Jobs>().map(Jobs::get), Ok(2));
        assert!("0".parse::<Jobs>().is_err());
        assert!("many".parse::<Jobs>().is_err());
    }
}
