//! Writing an output folder all at once: every file is written into a staging folder beside the
//! destination, which is then swapped in with one rename. A run killed at any moment leaves either
//! the previous complete folder or the new complete one. Paths never leave the folder.
//!
//! One run at a time: [`RunLock`] holds an advisory lock (`flock`) on a file beside each output
//! folder and beside the programme's lock file for the whole run, so two runs (a push and a
//! scheduled build) never write one folder or one lock file at once.
//!
//! For the kill tests, the environment variable `ROUNDTABLE_FAILPOINT=<step>` makes the process
//! kill itself (SIGKILL) at a named step of a run ([`failpoint`]); nothing else reads it.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// The file that marks a folder as written by roundtable (and so safe to replace).
pub const MARKER: &str = ".roundtable";

/// An output folder being written. Dropped without [`Staging::commit`] (a failed run), its
/// staging folder is removed.
#[derive(Debug)]
pub struct Staging {
    dest: PathBuf,
    dir: PathBuf,
    /// `public` or `private`: names the run's steps for [`failpoint`].
    label: &'static str,
    committed: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Kills the process at the named step when `ROUNDTABLE_FAILPOINT` names it: the kill tests'
/// way to stop a run exactly between two steps. Steps of `invites` and `build`: `staged`,
/// `lock-written`, `private-swapped`, `private-committed`, `public-swapped`,
/// `public-committed`.
pub fn failpoint(step: &str) {
    if std::env::var_os("ROUNDTABLE_FAILPOINT").is_some_and(|v| v == step) {
        #[cfg(unix)]
        // SAFETY: raise only sends a signal to this process.
        unsafe {
            libc::raise(libc::SIGKILL);
        }
        std::process::abort();
    }
}

/// The folder an output path names: a symbolic link is followed, so that `--out` linked to a
/// web root updates the folder the web server serves (the link itself is kept).
pub fn resolve_out(path: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::canonicalize(path).map_err(|e| Error::io(path, e))
        }
        _ => Ok(path.to_path_buf()),
    }
}

fn sibling(dest: &Path, tag: &str) -> Result<PathBuf> {
    let name = dest.file_name().ok_or_else(|| {
        Error::usage(format!(
            "--out {}: name a folder, not `..` or `/`",
            dest.display()
        ))
    })?;
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.roundtable-{tag}", name.to_string_lossy())))
}

impl Staging {
    /// Starts writing `dest`. Leftovers of an interrupted run are removed first. `dest` must be
    /// new, empty, or a folder roundtable wrote before (it has a `.roundtable` marker).
    pub fn new(dest: &Path, label: &'static str) -> Result<Self> {
        if dest.exists() {
            if !dest.is_dir() {
                return Err(Error::usage(format!(
                    "--out {}: this is a file, not a folder",
                    dest.display()
                )));
            }
            let empty = fs::read_dir(dest)
                .map_err(|e| Error::io(dest, e))?
                .next()
                .is_none();
            if !empty && !dest.join(MARKER).exists() {
                return Err(Error::usage(format!(
                    "--out {}: the folder exists and was not written by roundtable; roundtable replaces its output folder as a whole",
                    dest.display()
                )).with_help("choose a new or empty folder"));
            }
        }
        let parent = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        for tag in ["new", "old"] {
            let leftover = sibling(dest, tag)?;
            if leftover.exists() {
                fs::remove_dir_all(&leftover).map_err(|e| Error::io(&leftover, e))?;
            }
        }
        let dir = sibling(dest, "new")?;
        fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            dest: dest.to_path_buf(),
            dir,
            label,
            committed: false,
        })
    }

    /// Writes `bytes` at `relative` (forward slashes, no `..`) inside the staged folder.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path_of(relative)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let mut file = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        file.write_all(bytes).map_err(|e| Error::io(&path, e))
    }

    /// Opens a file at `relative` inside the staged folder for writing piece by piece.
    pub fn create(&self, relative: &str) -> Result<(PathBuf, std::io::BufWriter<fs::File>)> {
        let path = self.path_of(relative)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let file = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        Ok((path, std::io::BufWriter::new(file)))
    }

    /// Creates the folder `relative` inside the staged folder (once) for writing many files
    /// into it: `Folder::write` then opens, writes and closes each file, with no folder
    /// checks per file (10,000 participants' calendars go into one folder).
    pub fn folder(&self, relative: &str) -> Result<Folder> {
        let dir = self.path_of(relative)?;
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Folder::open(dir)
    }

    fn path_of(&self, relative: &str) -> Result<PathBuf> {
        let rel = Path::new(relative);
        let safe =
            !relative.is_empty() && rel.components().all(|c| matches!(c, Component::Normal(_)));
        if !safe {
            return Err(Error::usage(format!(
                "refusing to write `{relative}` outside the output folder"
            )));
        }
        Ok(self.dir.join(rel))
    }

    /// Swaps the staged folder in place of the destination, at once; then removes the
    /// previous output.
    pub fn commit(mut self) -> Result<()> {
        self.write(
            MARKER,
            b"This folder is written by roundtable and replaced as a whole on every run.\n",
        )?;
        sync_dir(&self.dir);
        // From here on the staging path is the new output or, after an exchange, the old one:
        // either way not ours to remove on failure (the next run clears leftovers).
        self.committed = true;
        if !self.dest.exists() {
            fs::rename(&self.dir, &self.dest).map_err(|e| Error::io(&self.dest, e))?;
            failpoint(&format!("{}-swapped", self.label));
        } else if !exchange(&self.dir, &self.dest) {
            // No atomic exchange here: two renames, the old folder kept until the new is in place.
            let old = sibling(&self.dest, "old")?;
            fs::rename(&self.dest, &old).map_err(|e| Error::io(&self.dest, e))?;
            fs::rename(&self.dir, &self.dest).map_err(|e| Error::io(&self.dest, e))?;
            failpoint(&format!("{}-swapped", self.label));
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
            return Ok(());
        } else {
            failpoint(&format!("{}-swapped", self.label));
        }
        if self.dir.exists() {
            // After an exchange, the staging path holds the previous output.
            fs::remove_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        }
        if let Some(parent) = self.dest.parent() {
            sync_dir(parent);
        }
        Ok(())
    }
}

/// A folder inside a [`Staging`] folder ([`Staging::folder`]); it may be shared by threads.
#[derive(Debug)]
pub struct Folder {
    dir: PathBuf,
    /// The folder, open: each file is created relative to it (`openat`), instead of walking
    /// its whole path again for each of 10,000 files (issue 19).
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
    /// Whether [`Folder::write_or_link`] still tries hard links: cleared at the first refusal
    /// (a file system without them, a file with as many links as it may have), after which
    /// every file is written.
    links: AtomicBool,
}

impl Folder {
    fn open(dir: PathBuf) -> Result<Folder> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            let fd = rustix::fs::open(&dir, flags, Mode::empty())
                .map_err(|e| Error::io(&dir, e.into()))?;
            Ok(Folder {
                dir,
                fd,
                links: AtomicBool::new(true),
            })
        }
        #[cfg(not(unix))]
        Ok(Folder {
            dir,
            links: AtomicBool::new(true),
        })
    }

    /// Writes `bytes` to the file `name` (one name, no `/`) in this folder: one open, one
    /// write, one close.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        self.write_parts(name, &mut [std::io::IoSlice::new(bytes)])
    }

    /// Writes `parts`, one after the other, to the file `name` (one name, no `/`) in this
    /// folder: one open, one gathering write (`writev`) for as many parts as the system takes
    /// at once, one close. A file made of pieces held elsewhere is written without first
    /// copying them together.
    pub fn write_parts(&self, name: &str, mut parts: &mut [std::io::IoSlice<'_>]) -> Result<()> {
        check_name(name)?;
        let path = || self.dir.join(name);
        let mut file = self.create(name).map_err(|e| Error::io(&path(), e))?;
        while !parts.is_empty() {
            match file.write_vectored(parts) {
                Ok(0) => {
                    let e = std::io::Error::from(std::io::ErrorKind::WriteZero);
                    return Err(Error::io(&path(), e));
                }
                Ok(n) => std::io::IoSlice::advance_slices(&mut parts, n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::io(&path(), e)),
            }
        }
        Ok(())
    }

    /// Makes `name` a second name (a hard link) of `same`, a file of this folder already
    /// written with exactly the bytes of `parts`; where the file system refuses (it has no
    /// hard links, or `same` has as many as it may have), writes `parts` to `name` instead
    /// ([`Folder::write_parts`]), and so every file after it. The file's content is the same
    /// either way; a link costs no page of memory and no copy.
    pub fn write_or_link(
        &self,
        name: &str,
        same: &str,
        parts: &mut [std::io::IoSlice<'_>],
    ) -> Result<()> {
        check_name(name)?;
        check_name(same)?;
        if self.links.load(Ordering::Relaxed) {
            if self.link(same, name).is_ok() {
                return Ok(());
            }
            self.links.store(false, Ordering::Relaxed);
        }
        self.write_parts(name, parts)
    }

    fn link(&self, same: &str, name: &str) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            use rustix::fs::AtFlags;
            rustix::fs::linkat(&self.fd, same, &self.fd, name, AtFlags::empty())?;
            Ok(())
        }
        #[cfg(not(unix))]
        fs::hard_link(self.dir.join(same), self.dir.join(name))
    }

    /// Creates (or truncates) `name` in this folder, for writing.
    fn create(&self, name: &str) -> std::io::Result<fs::File> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
            let fd = rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o666))?;
            Ok(fs::File::from(fd))
        }
        #[cfg(not(unix))]
        fs::File::create(self.dir.join(name))
    }
}

/// `name` is one file name of a folder: not empty, not `.` or `..`, no `/`.
fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || name == "." || name == ".." || name.contains('/') {
        return Err(Error::usage(format!(
            "refusing to write `{name}` outside the output folder"
        )));
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(ca), Ok(cb)) = (
        CString::new(a.as_os_str().as_bytes()),
        CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both are valid NUL-terminated paths; renameat2 only reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

fn sync_dir(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Writes one file atomically: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.roundtable-tmp"));
    {
        let mut f = fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        f.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
        f.sync_all().map_err(|e| Error::io(&tmp, e))?;
    }
    fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
    // The rename itself is durable before anything that relies on it (the swap) happens.
    sync_dir(
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    );
    Ok(())
}

/// Whether a second run waits for the first or gives up at once (`--no-wait`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Wait, saying so once.
    Wait,
    /// Fail with a clear error.
    NoWait,
}

/// Advisory locks held for a whole writing run: one on a file beside each output folder
/// (`.<name>.roundtable-run`) and one beside the programme's lock file
/// (`.<programme file>.roundtable-run`). Released when dropped (or when the process ends,
/// however it ends).
#[derive(Debug)]
pub struct RunLock {
    _files: Vec<fs::File>,
}

/// The run-lock file of `path`: `.<name>.roundtable-run` beside it.
fn run_lock_path(path: &Path) -> Result<PathBuf> {
    sibling(path, "run")
}

impl RunLock {
    /// Locks every path's run-lock file, in one order (so two runs cannot each hold one and
    /// wait for the other). `on_wait` is told once when another run holds one of them.
    pub fn acquire(paths: &[&Path], wait: Wait, on_wait: &mut dyn FnMut(&Path)) -> Result<Self> {
        let mut files: Vec<PathBuf> = paths
            .iter()
            .map(|p| lexical_absolute(p).and_then(|a| run_lock_path(&a)))
            .collect::<Result<_>>()?;
        files.sort();
        files.dedup();
        let mut held = Vec::with_capacity(files.len());
        for path in files {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|e| Error::io(&path, e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if wait == Wait::NoWait {
                        return Err(Error::one(
                            crate::error::Diagnostic::error(
                                Some(crate::error::Location::file(&path)),
                                "another roundtable run is writing the same output or lock file",
                            )
                            .with_help(
                                "run again when it has finished, or leave out --no-wait to wait for it",
                            ),
                        ));
                    }
                    on_wait(&path);
                    file.lock().map_err(|e| Error::io(&path, e))?;
                }
                Err(fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
            held.push(file);
        }
        Ok(RunLock { _files: held })
    }
}

/// The organizer's private folder when `--private` is not given: beside `public`, named
/// `<public>.private` (`public` → `public.private`), so that publishing `public` never
/// publishes it.
pub fn private_beside(public: &Path) -> Result<PathBuf> {
    let name = public.file_name().ok_or_else(|| {
        Error::usage(format!(
            "--out {}: name a folder, not `..` or `/`",
            public.display()
        ))
    })?;
    Ok(public.with_file_name(format!("{}.private", name.to_string_lossy())))
}

/// `path` made absolute and with `.` and `..` resolved by name (the folders may not exist yet).
pub(crate) fn lexical_absolute(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Ok(out)
}

/// Refuses a private folder that is, holds, or sits inside the public one: publishing the
/// public folder must never publish a private file.
pub fn check_apart(public: &Path, private: &Path) -> Result<()> {
    let (a, b) = (lexical_absolute(public)?, lexical_absolute(private)?);
    if a.starts_with(&b) || b.starts_with(&a) {
        return Err(Error::usage(format!(
            "--private {} and --out {} overlap: the private folder (e-mails, names, invitations, reports) must not be inside the published one, nor hold it",
            private.display(),
            public.display()
        )).with_help("choose two separate folders, e.g. --out public --private public.private (the default)"));
    }
    Ok(())
}

/// The examples that were this module's doctests: a doctest cannot reach a crate-private
/// module, so they run here.
#[cfg(test)]
mod examples {
    /// Where a link is refused (here: the file to link to is missing), the file is written
    /// instead, and so is every later one, which takes no link either.
    #[test]
    fn a_refused_link_writes_the_file_and_links_no_more() {
        use std::io::IoSlice;
        let dir = tempfile::tempdir().unwrap();
        let staging = crate::output::Staging::new(&dir.path().join("out"), "public").unwrap();
        let folder = staging.folder("f").unwrap();
        folder.write("a", b"same").unwrap();
        folder
            .write_or_link(
                "b",
                "missing",
                &mut [IoSlice::new(b"sa"), IoSlice::new(b"me")],
            )
            .unwrap();
        folder
            .write_or_link("c", "a", &mut [IoSlice::new(b"same")])
            .unwrap();
        let at = dir.path().join(".out.roundtable-new/f");
        for name in ["a", "b", "c"] {
            assert_eq!(std::fs::read(at.join(name)).unwrap(), b"same", "{name}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let links = |name: &str| std::fs::metadata(at.join(name)).unwrap().nlink();
            assert_eq!([links("a"), links("b"), links("c")], [1, 1, 1]);
        }
        // Names stay inside the folder, both of them.
        let parts = &mut [IoSlice::new(b"x")];
        assert!(folder.write_or_link("../x", "a", parts).is_err());
        assert!(folder.write_or_link("x", "../a", parts).is_err());
    }

    #[test]
    fn private_beside() {
        use crate::output::private_beside;
        use std::path::Path;
        assert_eq!(
            private_beside(Path::new("site/public")).unwrap(),
            Path::new("site/public.private")
        );
    }
}
