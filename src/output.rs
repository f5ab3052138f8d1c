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

/// A safe, readable file name stem from free text (an e-mail): lowercase ASCII letters, digits,
/// `.`, `-` and `_`; `@` becomes `_at_`; anything else a `-`. Never empty, never starting with a
/// dot, at most 80 bytes.
///
/// ```
/// use roundtable::output::slug;
/// assert_eq!(slug("Ana.Souza@Example.org"), "ana.souza_at_example.org");
/// assert_eq!(slug("../../etc/passwd"), "etc-passwd");
/// assert_eq!(slug("李@example.org"), "_at_example.org");
/// assert_eq!(slug("///"), "participant");
/// ```
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().to_lowercase().chars() {
        match c {
            'a'..='z' | '0'..='9' | '_' => out.push(c),
            '.' | '-' if !out.is_empty() && !out.ends_with(['.', '-']) => out.push(c),
            '@' => out.push_str("_at_"),
            _ if !out.is_empty() && !out.ends_with(['.', '-']) => out.push('-'),
            _ => {}
        }
    }
    let mut out = out.trim_matches(|c| c == '.' || c == '-').to_string();
    if out.len() > 80 {
        let mut cut = 80;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out = out.trim_end_matches(['.', '-']).to_string();
    }
    if out.is_empty() {
        "participant".to_string()
    } else {
        out
    }
}
