//! The floor of the `roundtable invites` benchmark: the cost of writing the same bytes into the
//! same layout, single-threaded, from memory.
//!
//!     rustc -O --edition 2021 bench/peers/floor.rs -o target/floor
//!     target/floor pack BLOB DIR...                    # once: DIR... (what roundtable wrote) into one file
//!     target/floor write BLOB OUT...                   # load BLOB, then time only the writes
//!     target/floor race --runs N BLOB OUT... -- PREPARE -- COMMAND ARGS...
//!
//! `pack` reads every file under each DIR (a folder `roundtable invites` wrote: the public and
//! the private one) into one blob file. `write` reads that blob with one read, builds the file
//! list, creates the folders, and only then starts its clock: it writes every file again under
//! the matching OUT (one `fs::write` per file: open, write, close), stops the clock and prints
//! the seconds to stderr. Reading the inputs is not the floor's cost: a floor that read 10,013
//! files before writing them (as this program did before) was timed at 1.4× its writes.
//!
//! `race` is the fair comparison: it alternates, `N` times after one warm-up, running
//! `PREPARE` (a shell command, untimed: removes the outputs and the lock), timing `COMMAND`
//! as a whole process (spawn to exit, as hyperfine does), removing the OUT folders (untimed)
//! and timing the in-process writes. It prints one line per run and then, as `key=value`
//! lines, the median, minimum and maximum of each and the ratio of the medians (command /
//! floor). Interleaving keeps a noisy neighbour from favouring one side. The floor's process
//! start and blob read are outside its clock; the command's are inside its own: the ratio
//! errs against the command. Each round also times the same writes shared by two threads
//! (`two_threads_*`, and `two_threads_ratio` against the floor): how far below the floor a
//! program could get on two cores if writing were all it did. Standard library only, so that
//! plain `rustc` builds it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

type Files = Vec<(usize, PathBuf, Vec<u8>)>;

fn collect(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(root, &path, out)?;
        } else {
            let relative = path.strip_prefix(root).expect("under root").to_path_buf();
            out.push((relative, fs::read(&path)?));
        }
    }
    Ok(())
}

/// Blob: per file, u32 root index, u32 path length, path, u64 length, bytes (little endian).
fn pack(blob: &Path, dirs: &[String]) -> std::io::Result<usize> {
    let mut out = Vec::new();
    let mut count = 0;
    for (root, dir) in dirs.iter().enumerate() {
        let mut files = Vec::new();
        collect(Path::new(dir), Path::new(dir), &mut files)?;
        files.sort();
        for (path, bytes) in files {
            let name = path.to_string_lossy();
            out.extend_from_slice(&(root as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(&bytes);
            count += 1;
        }
    }
    fs::write(blob, out)?;
    Ok(count)
}

fn load(blob: &Path) -> std::io::Result<Files> {
    let data = fs::read(blob)?;
    let mut files = Vec::new();
    let mut at = 0;
    let bad = || std::io::Error::other("truncated blob");
    let take = |n: usize, at: &mut usize| -> std::io::Result<&[u8]> {
        let s = data.get(*at..*at + n).ok_or_else(bad)?;
        *at += n;
        Ok(s)
    };
    while at < data.len() {
        let root = u32::from_le_bytes(take(4, &mut at)?.try_into().map_err(|_| bad())?) as usize;
        let n = u32::from_le_bytes(take(4, &mut at)?.try_into().map_err(|_| bad())?) as usize;
        let name = String::from_utf8_lossy(take(n, &mut at)?).into_owned();
        let len = u64::from_le_bytes(take(8, &mut at)?.try_into().map_err(|_| bad())?) as usize;
        files.push((root, PathBuf::from(name), take(len, &mut at)?.to_vec()));
    }
    Ok(files)
}

/// Creates the folders (untimed), then times one `fs::write` per file.
fn write(files: &Files, outs: &[PathBuf]) -> std::io::Result<f64> {
    write_on(files, outs, 1)
}

/// As [`write`], with the files shared by `threads` threads that take 256 at a time in turn
/// (as `roundtable --jobs` does): what the writes alone cost on that many cores.
fn write_on(files: &Files, outs: &[PathBuf], threads: usize) -> std::io::Result<f64> {
    let mut folders: Vec<PathBuf> = outs.to_vec();
    for (root, path, _) in files {
        if let Some(parent) = path.parent() {
            folders.push(outs[*root].join(parent));
        }
    }
    folders.sort();
    folders.dedup();
    for folder in &folders {
        fs::create_dir_all(folder)?;
    }
    let paths: Vec<PathBuf> = files.iter().map(|(r, p, _)| outs[*r].join(p)).collect();
    let timer = Instant::now();
    if threads <= 1 {
        for (path, (_, _, bytes)) in paths.iter().zip(files) {
            fs::write(path, bytes)?;
        }
        return Ok(timer.elapsed().as_secs_f64());
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> std::io::Result<()> {
                    loop {
                        let at = next.fetch_add(256, std::sync::atomic::Ordering::Relaxed);
                        if at >= paths.len() {
                            return Ok(());
                        }
                        for i in at..(at + 256).min(paths.len()) {
                            fs::write(&paths[i], &files[i].2)?;
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|_| Err(std::io::Error::other("panic"))))
    })?;
    Ok(timer.elapsed().as_secs_f64())
}

fn stats(v: &[f64]) -> (f64, f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    let median = if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    };
    (median, s[0], s[n - 1])
}

fn race(runs: usize, blob: &Path, outs: &[PathBuf], prepare: &str, command: &[String]) -> std::io::Result<()> {
    let files = load(blob)?;
    let (mut theirs, mut ours, mut two) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..=runs {
        let status = Command::new("sh").arg("-c").arg(prepare).status()?;
        if !status.success() {
            return Err(std::io::Error::other(format!("prepare failed: {status}")));
        }
        let timer = Instant::now();
        let status = Command::new(&command[0])
            .args(&command[1..])
            .stdout(Stdio::null())
            .status()?;
        let t = timer.elapsed().as_secs_f64();
        if !status.success() {
            return Err(std::io::Error::other(format!("command failed: {status}")));
        }
        for out in outs {
            let _ = fs::remove_dir_all(out);
        }
        let f = write(&files, outs)?;
        for out in outs {
            let _ = fs::remove_dir_all(out);
        }
        let f2 = write_on(&files, outs, 2)?;
        for out in outs {
            let _ = fs::remove_dir_all(out);
        }
        if run == 0 {
            continue; // warm-up
        }
        println!("run {run}: command {t:.4} s, floor {f:.4} s, writes alone on two threads {f2:.4} s");
        theirs.push(t);
        ours.push(f);
        two.push(f2);
    }
    let (cm, cmin, cmax) = stats(&theirs);
    let (fm, fmin, fmax) = stats(&ours);
    let (tm, tmin, tmax) = stats(&two);
    println!("command_median={cm:.4}\ncommand_min={cmin:.4}\ncommand_max={cmax:.4}");
    println!("floor_median={fm:.4}\nfloor_min={fmin:.4}\nfloor_max={fmax:.4}");
    println!("two_threads_median={tm:.4}\ntwo_threads_min={tmin:.4}\ntwo_threads_max={tmax:.4}");
    println!("ratio={:.3}", cm / fm);
    println!("two_threads_ratio={:.3}", tm / fm);
    println!("files={}", files.len());
    Ok(())
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: floor pack BLOB DIR... | floor write BLOB OUT... | floor race --runs N BLOB OUT... -- PREPARE -- COMMAND ARGS..."
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("pack") if args.len() >= 3 => pack(Path::new(&args[1]), &args[2..]).map(|n| {
            println!("floor: packed {n} files into {}", args[1]);
        }),
        Some("write") if args.len() >= 3 => {
            let outs: Vec<PathBuf> = args[2..].iter().map(PathBuf::from).collect();
            load(Path::new(&args[1])).and_then(|files| {
                let seconds = write(&files, &outs)?;
                let bytes: usize = files.iter().map(|(_, _, b)| b.len()).sum();
                println!("floor: wrote {} files ({bytes} bytes)", files.len());
                eprintln!("{seconds:.6}");
                Ok(())
            })
        }
        Some("race") if args.len() >= 7 && args[1] == "--runs" => {
            let Ok(runs) = args[2].parse::<usize>() else {
                return usage();
            };
            let rest = &args[3..];
            let Some(first) = rest.iter().position(|a| a == "--") else {
                return usage();
            };
            let Some(second) = rest[first + 1..].iter().position(|a| a == "--") else {
                return usage();
            };
            let second = first + 1 + second;
            if first < 2 || second != first + 2 || second + 1 >= rest.len() || runs == 0 {
                return usage();
            }
            let outs: Vec<PathBuf> = rest[1..first].iter().map(PathBuf::from).collect();
            race(runs, Path::new(&rest[0]), &outs, &rest[first + 1], &rest[second + 1..])
        }
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::FAILURE
        }
    }
}
