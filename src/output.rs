//! Writing an output folder all at once: every file is written into a staging folder beside the
//! destination, which is then swapped in with one rename. A run killed at any moment leaves either
//! the previous complete folder or the new complete one. Paths never leave the folder.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// The file that marks a folder as written by roundtable (and so safe to replace).
pub const MARKER: &str = ".roundtable";

/// An output folder being written.
#[derive(Debug)]
pub struct Staging {
    dest: PathBuf,
    dir: PathBuf,
}

fn sibling(dest: &Path, tag: &str) -> Result<PathBuf> {
    let name = dest.file_name().ok_or_else(|| {
        Error::Usage(format!(
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
    pub fn new(dest: &Path) -> Result<Self> {
        if dest.exists() {
            if !dest.is_dir() {
                return Err(Error::Usage(format!(
                    "--out {}: this is a file, not a folder",
                    dest.display()
                )));
            }
            let empty = fs::read_dir(dest)
                .map_err(|e| Error::io(dest, e))?
                .next()
                .is_none();
            if !empty && !dest.join(MARKER).exists() {
                return Err(Error::Usage(format!(
                    "--out {}: the folder exists and was not written by roundtable; roundtable replaces its output folder as a whole\n  help: choose a new or empty folder",
                    dest.display()
                )));
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

    fn path_of(&self, relative: &str) -> Result<PathBuf> {
        let rel = Path::new(relative);
        let safe =
            !relative.is_empty() && rel.components().all(|c| matches!(c, Component::Normal(_)));
        if !safe {
            return Err(Error::Usage(format!(
                "refusing to write `{relative}` outside the output folder"
            )));
        }
        Ok(self.dir.join(rel))
    }

    /// Swaps the staged folder in place of the destination, at once.
    pub fn commit(self) -> Result<()> {
        self.write(
            MARKER,
            b"This folder is written by roundtable and replaced as a whole on every run.\n",
        )?;
        sync_dir(&self.dir);
        if !self.dest.exists() {
            fs::rename(&self.dir, &self.dest).map_err(|e| Error::io(&self.dest, e))?;
        } else if !exchange(&self.dir, &self.dest) {
            // No atomic exchange here: two renames, the old folder kept until the new is in place.
            let old = sibling(&self.dest, "old")?;
            fs::rename(&self.dest, &old).map_err(|e| Error::io(&self.dest, e))?;
            fs::rename(&self.dir, &self.dest).map_err(|e| Error::io(&self.dest, e))?;
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
            return Ok(());
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
    fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// The organizer's private folder when `--private` is not given: beside `public`, named
/// `<public>.private` (`public` → `public.private`), so that publishing `public` never
/// publishes it.
///
/// ```
/// use std::path::Path;
/// use roundtable::output::private_beside;
/// assert_eq!(private_beside(Path::new("site/public")).unwrap(), Path::new("site/public.private"));
/// ```
pub fn private_beside(public: &Path) -> Result<PathBuf> {
    let name = public.file_name().ok_or_else(|| {
        Error::Usage(format!(
            "--out {}: name a folder, not `..` or `/`",
            public.display()
        ))
    })?;
    Ok(public.with_file_name(format!("{}.private", name.to_string_lossy())))
}

/// `path` made absolute and with `.` and `..` resolved by name (the folders may not exist yet).
fn lexical_absolute(path: &Path) -> Result<PathBuf> {
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
        return Err(Error::Usage(format!(
            "--private {} and --out {} overlap: the private folder (e-mails, names, invitations, reports) must not be inside the published one, nor hold it\n  help: choose two separate folders, e.g. --out public --private public.private (the default)",
            private.display(),
            public.display()
        )));
    }
    Ok(())
}
