//! Errors a person can act on: where (file, line, column), what, and how to fix it.
//!
//! Loading a programme collects every problem it finds into a list of [`Diagnostic`]s, so that a
//! file with five mistakes is fixed in one round trip, not five. Warnings travel the same way but
//! never stop a run.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How bad a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The input cannot be used as it is.
    Error,
    /// The input is used, but probably not as the author meant.
    Warning,
}

/// A place in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user named it (relative paths stay relative). Shared: the rows of one
    /// file all point to one path.
    pub file: Arc<Path>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
}

impl Location {
    /// A location that names only a file.
    pub fn file(file: &Path) -> Self {
        Location {
            file: Arc::from(file),
            line: None,
            column: None,
        }
    }

    /// A location at a byte offset of `text`, the contents of `file`.
    ///
    /// ```
    /// use roundtable::error::Location;
    /// let loc = Location::at_offset(std::path::Path::new("p.toml"), "a = 1\nbé = 2\n", 9);
    /// assert_eq!((loc.line, loc.column), (Some(2), Some(3)));
    /// ```
    pub fn at_offset(file: &Path, text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = text.get(..offset).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before
            .get(line_start..)
            .map_or(1, |s| s.chars().count() + 1);
        Location {
            file: Arc::from(file),
            line: Some(line),
            column: Some(column),
        }
    }

    /// A location at a 1-based line (no column).
    pub fn at_line(file: &Path, line: usize) -> Self {
        Location::in_file(Arc::from(file), line)
    }

    /// A location at a 1-based line of a file already shared.
    pub fn in_file(file: Arc<Path>, line: usize) -> Self {
        Location {
            file,
            line: Some(line),
            column: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// One problem found in the input: where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where the problem is, when it is in a file.
    pub location: Option<Location>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it ("did you mean ...?", the accepted forms, ...).
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `location`.
    pub fn warning(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            location,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{word}: ")?;
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Everything that can stop roundtable.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has one or more problems; each names its place and its fix.
    #[error("{}", render(.0))]
    Invalid(Vec<Diagnostic>),
    /// A file could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A command-line argument, environment variable or output folder roundtable cannot use: a
    /// diagnostic with no place in a file, printed as its message and its help.
    #[error("{}", usage_text(.0))]
    Usage(Diagnostic),
}

/// A usage error as printed: the message, then the help on its own line.
fn usage_text(diagnostic: &Diagnostic) -> String {
    match &diagnostic.help {
        Some(help) => format!("{}\n  help: {help}", diagnostic.message),
        None => diagnostic.message.clone(),
    }
}

impl Error {
    /// An invalid-input error made of one diagnostic.
    pub fn one(diagnostic: Diagnostic) -> Self {
        Error::Invalid(vec![diagnostic])
    }

    /// A usage error: `message` names the argument (or variable) and what is wrong with it.
    ///
    /// ```
    /// use roundtable::error::Error;
    /// let e = Error::usage("--rate `fast`: not a rate").with_help("write it as 30/min");
    /// assert_eq!(e.to_string(), "--rate `fast`: not a rate\n  help: write it as 30/min");
    /// ```
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage(Diagnostic::error(None, message))
    }

    /// Adds how to fix it to a usage error (other errors are returned unchanged).
    pub fn with_help(self, help: impl Into<String>) -> Self {
        match self {
            Error::Usage(diagnostic) => Error::Usage(diagnostic.with_help(help)),
            other => other,
        }
    }

    /// Adds "did you mean `suggestion`?" to a usage error, when there is a suggestion.
    pub fn with_suggestion(self, suggestion: Option<&str>) -> Self {
        match suggestion {
            Some(s) => self.with_help(format!("did you mean `{s}`?")),
            None => self,
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Whether this is standard output closed by its reader (`roundtable times … | head -1`):
    /// the reader has what it wanted, so the run ends quietly with status 0.
    ///
    /// ```
    /// use roundtable::error::Error;
    /// let closed = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
    /// assert!(Error::io(std::path::Path::new(Error::STDOUT), closed).is_closed_stdout());
    /// ```
    pub fn is_closed_stdout(&self) -> bool {
        matches!(self, Error::Io { path, source }
            if source.kind() == std::io::ErrorKind::BrokenPipe && path == Path::new(Error::STDOUT))
    }

    /// The name standing for standard output in [`Error::Io`].
    pub const STDOUT: &'static str = "<stdout>";

    /// The process exit code for this error: always 2 (invalid input or usage).
    pub fn exit_code(&self) -> u8 {
        2
    }
}

/// A reader's findings on one input file, collected as it reads rather than returned at the
/// first: errors (the input is refused) and warnings (it is read, and the organizer told what was
/// done). Every input reader collects into one of these.
///
/// A capped collector keeps at most so many of each and counts the rest, which [`finish`]
/// reports in one last diagnostic ("N more problems in this file are not shown"): a hostile file
/// costs a bounded amount of memory. An uncapped one keeps everything; [`cap_alike`] still keeps
/// what is shown to a screenful.
///
/// ```
/// use roundtable::error::Diagnostics;
/// let mut d = Diagnostics::capped(std::path::Path::new("a.ics"), 2, 1);
/// for line in 1..=5 {
///     d.error_at(line, "bad line", "fix it");
/// }
/// let (errors, warnings) = d.finish();
/// assert_eq!(errors.len(), 3);
/// assert_eq!(errors[2].message, "3 more problems in this file are not shown");
/// assert!(warnings.is_empty());
/// ```
///
/// [`finish`]: Diagnostics::finish
#[derive(Debug)]
pub struct Diagnostics {
    file: Arc<Path>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// The most errors and warnings kept; `None` keeps all.
    cap: Option<(usize, usize)>,
    dropped_errors: usize,
    dropped_warnings: usize,
}

impl Diagnostics {
    /// A collector for `file` that keeps everything.
    pub fn new(file: &Path) -> Self {
        Diagnostics {
            file: Arc::from(file),
            errors: Vec::new(),
            warnings: Vec::new(),
            cap: None,
            dropped_errors: 0,
            dropped_warnings: 0,
        }
    }

    /// A collector for `file` that keeps at most `errors` errors and `warnings` warnings.
    pub fn capped(file: &Path, errors: usize, warnings: usize) -> Self {
        Diagnostics {
            cap: Some((errors, warnings)),
            ..Diagnostics::new(file)
        }
    }

    /// Adds `d` to the errors or the warnings, by its severity (counted only, past the cap).
    pub fn push(&mut self, d: Diagnostic) {
        let (most_errors, most_warnings) = self.cap.unwrap_or((usize::MAX, usize::MAX));
        match d.severity {
            Severity::Error if self.errors.len() >= most_errors => self.dropped_errors += 1,
            Severity::Error => self.errors.push(d),
            Severity::Warning if self.warnings.len() >= most_warnings => self.dropped_warnings += 1,
            Severity::Warning => self.warnings.push(d),
        }
    }

    /// Adds every diagnostic of `all`, each by its severity.
    pub fn extend(&mut self, all: impl IntoIterator<Item = Diagnostic>) {
        for d in all {
            self.push(d);
        }
    }

    /// An error on `line` (1-based) of the file.
    pub fn error_at(&mut self, line: usize, message: impl Into<String>, help: impl Into<String>) {
        let location = Location::in_file(self.file.clone(), line);
        self.push(Diagnostic::error(Some(location), message).with_help(help));
    }

    /// A warning on `line` (1-based) of the file.
    pub fn warning_at(&mut self, line: usize, message: impl Into<String>, help: impl Into<String>) {
        let location = Location::in_file(self.file.clone(), line);
        self.push(Diagnostic::warning(Some(location), message).with_help(help));
    }

    /// Whether any error was found (kept or counted).
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.dropped_errors > 0
    }

    /// The errors kept so far.
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    fn whole_file(&self) -> Location {
        Location {
            file: self.file.clone(),
            line: None,
            column: None,
        }
    }

    /// [`finish`](Diagnostics::finish)'s errors, then its warnings, in one list.
    pub fn into_list(self) -> Vec<Diagnostic> {
        let (mut all, warnings) = self.finish();
        all.extend(warnings);
        all
    }

    /// The errors and the warnings, each followed by the count of those not kept, if any.
    pub fn finish(mut self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        if self.dropped_errors > 0 {
            self.errors.push(
                Diagnostic::error(
                    Some(self.whole_file()),
                    format!(
                        "{} more problems in this file are not shown",
                        self.dropped_errors
                    ),
                )
                .with_help("fix the problems above and run again"),
            );
        }
        if self.dropped_warnings > 0 {
            self.warnings.push(Diagnostic::warning(
                Some(self.whole_file()),
                format!(
                    "{} more notes on this file are not shown",
                    self.dropped_warnings
                ),
            ));
        }
        (self.errors, self.warnings)
    }
}

/// Diagnostics alike (same severity, file and help) shown before the rest are counted.
pub const MAX_ALIKE: usize = 20;

/// `diagnostics` with at most `most` of each kind (same severity, file and help): the rest of a
/// kind are replaced by one "... and N more like this" after its last one shown. A file with a
/// million identical mistakes gives a screenful, not a million lines.
///
/// ```
/// use roundtable::error::{cap_alike, Diagnostic};
/// let many: Vec<Diagnostic> = (0..100)
///     .map(|i| Diagnostic::error(None, format!("unknown column `c{i}`")).with_help("remove it"))
///     .collect();
/// let shown = cap_alike(&many, 3);
/// assert_eq!(shown.len(), 4);
/// assert!(shown[3].message.contains("97 more like this"));
/// ```
pub fn cap_alike(diagnostics: &[Diagnostic], most: usize) -> Vec<Diagnostic> {
    type Key<'a> = (Severity, Option<&'a Path>, Option<&'a str>);
    // Alike: same severity, file and help (or, without a help, the same message).
    fn key(d: &Diagnostic) -> Key<'_> {
        (
            d.severity,
            d.location.as_ref().map(|l| &*l.file),
            // Without a help, only identical messages are alike.
            Some(d.help.as_deref().unwrap_or(&d.message)),
        )
    }
    let mut counts: std::collections::HashMap<Key<'_>, usize> = std::collections::HashMap::new();
    for d in diagnostics {
        *counts.entry(key(d)).or_default() += 1;
    }
    let mut seen: std::collections::HashMap<Key<'_>, usize> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for d in diagnostics {
        let k = key(d);
        let n = seen.entry(k).or_default();
        *n += 1;
        if *n <= most {
            out.push(d.clone());
        }
        let total = counts.get(&k).copied().unwrap_or(0);
        if *n == most && total > most {
            let mut more = d.clone();
            more.location = d.location.as_ref().map(|l| Location::file(&l.file));
            more.message = format!("... and {} more like this", total - most);
            more.help = None;
            out.push(more);
        }
    }
    out
}

fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in cap_alike(diagnostics, MAX_ALIKE).iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&d.to_string());
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 1 {
        out.push_str(&format!("\n{errors} errors"));
    }
    out
}

/// The result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The closest candidate to `wanted`, when one is close enough to be a plausible typo.
///
/// ```
/// let names = ["timezone", "title", "duration"];
/// assert_eq!(roundtable::error::did_you_mean("timzone", names), Some("timezone"));
/// assert_eq!(roundtable::error::did_you_mean("colour", names), None);
/// ```
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}
