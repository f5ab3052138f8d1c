//! The floor of the `roundtable invites` benchmark: the cost of writing the same bytes to the
//! same number of files.
//!
//!     rustc -O bench/peers/floor.rs -o target/floor
//!     target/floor RT_OUT OUT_DIR
//!
//! It reads every file under RT_OUT (a folder `roundtable invites` wrote) into memory first,
//! then starts a timer, writes the same bytes to the same relative paths under OUT_DIR
//! (creating the folders, one `fs::write` per file, as roundtable and the peers do), and
//! prints the write time in seconds, alone on one line, to stderr (a summary goes to stdout).
//! No parsing, no time zones, no iCalendar: whatever a program that writes these invitations
//! spends beyond this number is its own work. The benchmark also times the whole process from
//! outside, reading included; the stderr number is the write part alone. Standard library
//! only, so that plain `rustc` builds it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: floor RT_OUT OUT_DIR");
        return ExitCode::from(2);
    }
    let (source, target) = (Path::new(&args[1]), Path::new(&args[2]));
    let mut files = Vec::new();
    if let Err(e) = collect(source, source, &mut files) {
        eprintln!("error: reading {}: {e}", source.display());
        return ExitCode::FAILURE;
    }
    // Folders first (shallowest first), so that the timed loop below is one write per file.
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter_map(|(p, _)| p.parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();

    let timer = Instant::now();
    for folder in std::iter::once(PathBuf::new()).chain(folders) {
        if let Err(e) = fs::create_dir_all(target.join(&folder)) {
            eprintln!("error: creating {}: {e}", target.join(&folder).display());
            return ExitCode::FAILURE;
        }
    }
    for (relative, content) in &files {
        let path = target.join(relative);
        if let Err(e) = fs::write(&path, content) {
            eprintln!("error: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    let seconds = timer.elapsed().as_secs_f64();
    println!("floor: wrote {} files ({bytes} bytes)", files.len());
    eprintln!("{seconds:.6}");
    ExitCode::SUCCESS
}
