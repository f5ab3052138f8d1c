//! `roundtable check`: who is hurt, when, and how badly. Here: the report's types, reading the
//! busy calendars, running the checks over every participant and sorting what they find; the
//! checks themselves, one function per conflict kind, and the burden (minutes outside working
//! hours and in the night) in `kinds`; what reports lead with and how they group their rows in
//! [`summary`]; report formats in [`report`].

mod kinds;
use kinds::{Found, Sentences, check_participants};
mod pretty;
pub mod public;
pub mod report;
pub mod summary;
mod words;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDateTime, Timelike, Utc};

use crate::busy::{self, Busy};
use crate::error::{Diagnostic, Error, Result};
use crate::occurrence::{Occurrence, Schedule};
use crate::programme::{BusySource, Participant, Programme};
use crate::zone::Zone;

/// How bad a conflict is (the `--fail-on` threshold is [`crate::cli::FailOn`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConflictSeverity {
    /// Must be fixed: night, overlap, busy.
    Error,
    /// Should be looked at: outside hours, weekend, DST shift.
    Warning,
    /// Good to know: the local date differs.
    Info,
}

/// How many conflicts of each severity a [`Report`] holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeverityCounts {
    /// Conflicts that must be fixed.
    pub errors: usize,
    /// Conflicts that should be looked at.
    pub warnings: usize,
    /// Conflicts that are good to know.
    pub info: usize,
}

impl SeverityCounts {
    /// Counts one more conflict of `severity`.
    pub fn add(&mut self, severity: ConflictSeverity) {
        match severity {
            ConflictSeverity::Error => self.errors += 1,
            ConflictSeverity::Warning => self.warnings += 1,
            ConflictSeverity::Info => self.info += 1,
        }
    }

    /// The count of `severity`.
    pub fn of(self, severity: ConflictSeverity) -> usize {
        match severity {
            ConflictSeverity::Error => self.errors,
            ConflictSeverity::Warning => self.warnings,
            ConflictSeverity::Info => self.info,
        }
    }
}

impl ConflictSeverity {
    /// `error`, `warning`, `info`.
    pub fn word(self) -> &'static str {
        match self {
            ConflictSeverity::Error => "error",
            ConflictSeverity::Warning => "warning",
            ConflictSeverity::Info => "info",
        }
    }
}

/// The kinds of conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Part of the session is in the participant's night.
    Night,
    /// Part of it is outside their working hours (but not in the night).
    OutsideHours,
    /// Two of their sessions overlap.
    Overlap,
    /// It clashes with their existing calendar.
    Busy,
    /// It starts on their local weekend.
    Weekend,
    /// Their local start time changes across a series.
    DstShift,
    /// Their local date differs from the session's.
    DateShift,
    /// The session is held (or interpreted) in none of their languages.
    Language,
}

impl Kind {
    /// The name used in reports and JSON.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Night => "night",
            Kind::OutsideHours => "outside-hours",
            Kind::Overlap => "overlap",
            Kind::Busy => "busy",
            Kind::Weekend => "weekend",
            Kind::DstShift => "dst-shift",
            Kind::DateShift => "date-shift",
            Kind::Language => "language",
        }
    }

    /// How bad a conflict of this kind is: night, overlaps and busy clashes are errors.
    pub fn severity(self) -> ConflictSeverity {
        match self {
            Kind::Night | Kind::Overlap | Kind::Busy => ConflictSeverity::Error,
            Kind::OutsideHours | Kind::Weekend | Kind::DstShift | Kind::Language => {
                ConflictSeverity::Warning
            }
            Kind::DateShift => ConflictSeverity::Info,
        }
    }
}

/// One conflict of one participant with one occurrence.
///
/// Small on purpose (40 bytes): a report of 100,000 participants holds about 400,000 of them.
/// The local times are the occurrence's instants on the participant's clock, kept as the two
/// UTC offsets: [`Conflict::start_local`] and [`Conflict::end_local`] rebuild them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// What kind; its severity is [`Kind::severity`].
    pub kind: Kind,
    participant: u32,
    occurrence: u32,
    start_offset: FixedOffset,
    end_offset: FixedOffset,
    /// What exactly, in a sentence. Shared: thousands of participants in one zone get the
    /// same sentence for one occurrence, and a report holds it once per thread that checked
    /// them (about 40 MB less at 100,000 participants).
    pub detail: std::sync::Arc<str>,
}

impl Conflict {
    /// Index into [`Programme::participants`].
    pub fn participant(&self) -> usize {
        self.participant as usize
    }

    /// Index into [`Schedule::occurrences`].
    pub fn occurrence(&self) -> usize {
        self.occurrence as usize
    }

    /// The occurrence's start on the participant's clock (their zone's offset at that instant).
    pub fn start_local(&self, schedule: &Schedule) -> DateTime<FixedOffset> {
        schedule.occurrences[self.occurrence()]
            .start
            .with_timezone(&self.start_offset)
    }

    /// The occurrence's end on the participant's clock (the offset may differ from the start's
    /// when DST changes during it).
    pub fn end_local(&self, schedule: &Schedule) -> DateTime<FixedOffset> {
        schedule.occurrences[self.occurrence()]
            .end
            .with_timezone(&self.end_offset)
    }
}

/// Minutes of a participant's sessions outside their working hours (not in the night) and in
/// their night.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Burden {
    /// Outside working hours, not in the night.
    pub outside_hours_minutes: i64,
    /// In the night.
    pub night_minutes: i64,
}

impl Burden {
    /// One number to rank by: a night minute weighs twice an outside-hours one (as in the
    /// planning score).
    pub fn weight(&self) -> i64 {
        self.outside_hours_minutes + 2 * self.night_minutes
    }
}

/// The whole result of a check.
#[derive(Debug, Clone)]
pub struct Report {
    /// Conflicts, sorted by severity, participant e-mail, start, session id, kind.
    pub conflicts: Vec<Conflict>,
    /// Burden per participant (index into [`Programme::participants`]) who attends anything.
    pub burden: Vec<(usize, Burden)>,
    /// The busy calendars with something to say (unreadable, or read with notes), by
    /// participant e-mail. For the organizer only: never in the public summary.
    pub busy_calendars: Vec<BusyStatus>,
}

/// What became of one participant's busy calendar, when it was not simply read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusyStatus {
    /// Index into [`Programme::participants`].
    pub participant: usize,
    /// The file (as the programme names it).
    pub file: PathBuf,
    /// Why it could not be read (empty when it was read): its clashes are then not checked.
    pub problems: Vec<Diagnostic>,
    /// What was tolerated while reading it.
    pub notes: Vec<Diagnostic>,
}

impl BusyStatus {
    /// Whether the calendar could not be read.
    pub fn unreadable(&self) -> bool {
        !self.problems.is_empty()
    }
}

/// One diagnostic in one line, for a report: `FILE:LINE: what — fix`.
pub fn one_line(d: &Diagnostic) -> String {
    let mut out = String::new();
    if let Some(l) = &d.location {
        out.push_str(&format!("{l}: "));
    }
    out.push_str(&d.message);
    if let Some(h) = &d.help {
        out.push_str(" — ");
        out.push_str(h);
    }
    out
}

/// The busy calendars of a programme: per participant, the intervals that may clash, and the
/// calendars with problems or notes.
#[derive(Debug, Clone, Default)]
pub struct BusyCalendars {
    /// Per participant (index into [`Programme::participants`]); empty for those without a
    /// calendar or whose calendar could not be read.
    pub busy: Vec<Vec<Busy>>,
    /// As [`Report::busy_calendars`].
    pub status: Vec<BusyStatus>,
}

impl Report {
    /// The conflicts of one severity, in report order.
    pub fn of_severity(&self, severity: ConflictSeverity) -> Vec<&Conflict> {
        self.conflicts
            .iter()
            .filter(|c| c.kind.severity() == severity)
            .collect()
    }

    /// Counts by severity.
    pub fn counts(&self) -> SeverityCounts {
        let mut c = SeverityCounts::default();
        for x in &self.conflicts {
            c.add(x.kind.severity());
        }
        c
    }

    /// The `n` most burdened participants with any burden, most burdened first.
    pub fn most_burdened(&self, n: usize) -> Vec<&(usize, Burden)> {
        self.burden
            .iter()
            .filter(|(_, b)| b.weight() > 0)
            .take(n)
            .collect()
    }

    /// The exit code for `--fail-on`: 1 when any conflict is at or above `threshold` (`None`:
    /// never).
    pub fn exit_code(&self, threshold: Option<ConflictSeverity>) -> u8 {
        let failing =
            threshold.is_some_and(|t| self.conflicts.iter().any(|c| c.kind.severity() <= t));
        u8::from(failing)
    }
}

/// The busy calendar of each participant: their `busy` file, else `<busy_dir>/<email>.ics` when it
/// exists. Only events that overlap one of the participant's own occurrences are kept: the
/// others cannot clash, and 10,000 calendars of 50 events would otherwise all be held at once.
///
/// A calendar that cannot be read (missing, not a regular file, too large, not iCalendar,
/// invalid content, an e-mail that cannot name a file in `busy_dir`) is that participant's
/// problem: it is listed in [`BusyCalendars::status`] and the others are read. With `strict`,
/// any such problem is an error (exit 2), as it was before. A `busy_dir` that is not a folder is
/// always an error: it is the programme's, not one participant's.
///
/// A `busy` that is a web address (`https://`, `webcal://`; `env:NAME` for one kept in the
/// environment; or the participant's entry in the programme's `busy_urls` file) is fetched
/// through [`busy::fetch`] with `fetch` (at most 8 at once, cached): a failed fetch is that
/// participant's problem as an unreadable file is, named by the address's scheme and host only.
///
/// The calendar files are read on `jobs` threads; the result is the same at any number.
pub fn load_busy(
    programme: &Programme,
    schedule: &Schedule,
    strict: bool,
    fetch: &busy::fetch::Options,
    jobs: crate::jobs::Jobs,
) -> Result<BusyCalendars> {
    load_busy_keeping(programme, &Keep::Attended(schedule), strict, fetch, jobs)
}

/// As [`load_busy`] for the participants `who` only (indices; the others' calendars are neither
/// read nor fetched and stay empty), keeping every event that overlaps `[from, to)` (planning:
/// any busy time in the window may rule a start time out).
pub fn load_busy_between(
    programme: &Programme,
    who: &[usize],
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    strict: bool,
    fetch: &busy::fetch::Options,
) -> Result<BusyCalendars> {
    let mut wanted = vec![false; programme.participants.len()];
    for &i in who {
        if let Some(w) = wanted.get_mut(i) {
            *w = true;
        }
    }
    load_busy_keeping(
        programme,
        &Keep::Span(from, to, &wanted),
        strict,
        fetch,
        crate::jobs::Jobs::ONE,
    )
}

/// Whose busy calendars are read, and which of their events are kept.
enum Keep<'a> {
    /// Everyone's; the events that overlap one of the participant's own occurrences.
    Attended(&'a Schedule),
    /// Those of the participants marked `true`; the events that overlap this span.
    Span(DateTime<Utc>, DateTime<Utc>, &'a [bool]),
}

impl Keep<'_> {
    /// Whether participant `pi`'s calendar is read.
    fn reads(&self, pi: usize) -> bool {
        match self {
            Keep::Attended(_) => true,
            Keep::Span(_, _, wanted) => wanted.get(pi).copied().unwrap_or(false),
        }
    }

    /// The span the kept events may overlap at all: `None` when there is nothing to keep (no
    /// occurrence).
    fn window(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        match self {
            Keep::Attended(schedule) => Some((
                schedule.occurrences.iter().map(|o| o.start).min()?,
                schedule.occurrences.iter().map(|o| o.end).max()?,
            )),
            Keep::Span(from, to, _) => Some((*from, *to)),
        }
    }
}

/// A participant's web address to fetch, or why there is none.
type Address = std::result::Result<String, Diagnostic>;

fn load_busy_keeping(
    programme: &Programme,
    keep: &Keep<'_>,
    strict: bool,
    fetch: &busy::fetch::Options,
    jobs: crate::jobs::Jobs,
) -> Result<BusyCalendars> {
    let Some(window) = keep.window() else {
        return Ok(BusyCalendars {
            busy: vec![Vec::new(); programme.participants.len()],
            status: Vec::new(),
        });
    };
    check_busy_dir(programme)?;
    let urls_file = match &programme.busy_urls {
        Some(file) => busy_urls(&programme.source, file)?,
        None => BTreeMap::new(),
    };
    // The addresses to fetch (or why there is none), per participant.
    let mut addresses = web_addresses(programme, keep, &urls_file);
    let wanted: Vec<(usize, String)> = addresses
        .iter()
        .filter_map(|(&pi, a)| a.as_ref().ok().map(|u| (pi, u.clone())))
        .collect();
    let mut reading = Reading {
        programme,
        keep,
        window,
        fetcher: Fetcher {
            batches: wanted.chunks(FETCH_BATCH),
            fetched: BTreeMap::new(),
            options: fetch,
        },
        // The folder itself, resolved once: every file taken from it must resolve inside it.
        busy_dir: programme
            .busy_dir
            .as_ref()
            .and_then(|d| d.canonicalize().ok().map(|c| (d.clone(), c))),
    };
    let from_files = reading.files_ahead(jobs, &addresses);
    let (all, mut status) = reading.everyone(&mut addresses, from_files)?;
    if strict && status.iter().any(BusyStatus::unreadable) {
        return Err(Error::Invalid(
            status.into_iter().flat_map(|s| s.problems).collect(),
        ));
    }
    status.sort_by(|a, b| {
        programme.participants[a.participant]
            .email
            .cmp(&programme.participants[b.participant].email)
    });
    Ok(BusyCalendars { busy: all, status })
}

/// A `busy_dir` that is not a folder: the programme's error, not one participant's.
fn check_busy_dir(programme: &Programme) -> Result<()> {
    if let Some(dir) = &programme.busy_dir
        && !dir.is_dir()
    {
        return Err(Error::one(
            Diagnostic::error(
                Some(crate::error::Location::file(&programme.source)),
                format!("`busy_dir` {} is not a folder", dir.display()),
            )
            .with_help(
                "busy_dir is relative to the programme file's folder and holds <email>.ics files",
            ),
        ));
    }
    Ok(())
}

/// The web address of each participant read whose busy calendar is one (`busy` as a URL or an
/// environment variable, or an entry of the `busy_urls` file), or why there is none.
fn web_addresses(
    programme: &Programme,
    keep: &Keep<'_>,
    urls_file: &BTreeMap<String, String>,
) -> BTreeMap<usize, Address> {
    let mut addresses = BTreeMap::new();
    for (pi, p) in programme.participants.iter().enumerate() {
        if !keep.reads(pi) {
            continue;
        }
        let place = p.busy.as_deref().map(|(_, l)| l.clone());
        let address = match p.busy.as_deref().map(|(s, _)| s) {
            Some(BusySource::Url(u)) => Ok(u.clone()),
            Some(BusySource::Env(name)) => env_address(name, p, place),
            Some(BusySource::File(_)) => continue,
            None => match urls_file.get(&crate::programme::email::normalise(&p.email)) {
                Some(u) => Ok(u.clone()),
                None => continue,
            },
        };
        addresses.insert(pi, address);
    }
    addresses
}

/// The web address held by the environment variable `name` (participant `p`'s `busy`).
fn env_address(
    name: &str,
    p: &Participant,
    place: Option<crate::error::Location>,
) -> std::result::Result<String, Diagnostic> {
    match std::env::var(name) {
        Ok(v) if busy::fetch::is_address(&v) => Ok(v.trim().to_string()),
        Ok(_) => Err(Diagnostic::error(
            place,
            format!(
                "the environment variable {name} named by the busy calendar of {} does not hold a web address",
                p.email
            ),
        )
        .with_help("set it to the calendar's https:// (or webcal://) address")),
        Err(_) => Err(Diagnostic::error(
            place,
            format!(
                "the environment variable {name} named by the busy calendar of {} is not set",
                p.email
            ),
        )
        .with_help("set it to the calendar's https:// (or webcal://) address before running roundtable")),
    }
}

/// Web calendars fetched a batch at a time, in participant order, so that at most one batch of
/// bodies is held at once (each is read, and its events kept, before the next batch is fetched).
struct Fetcher<'a> {
    batches: std::slice::Chunks<'a, (usize, String)>,
    fetched: BTreeMap<usize, std::result::Result<busy::fetch::Fetched, String>>,
    options: &'a busy::fetch::Options,
}

impl Fetcher<'_> {
    /// Participant `pi`'s calendar, fetching the next batch when it is not among those held.
    fn take(&mut self, pi: usize) -> std::result::Result<busy::fetch::Fetched, String> {
        if !self.fetched.contains_key(&pi)
            && let Some(batch) = self.batches.next()
        {
            let urls: Vec<String> = batch.iter().map(|(_, u)| u.clone()).collect();
            self.fetched = batch
                .iter()
                .map(|(i, _)| *i)
                .zip(busy::fetch::fetch_all(&urls, self.options))
                .collect();
        }
        self.fetched
            .remove(&pi)
            .unwrap_or_else(|| Err("it was not fetched".into()))
    }
}

/// What reading every participant's busy calendar shares.
struct Reading<'a> {
    programme: &'a Programme,
    keep: &'a Keep<'a>,
    window: (DateTime<Utc>, DateTime<Utc>),
    fetcher: Fetcher<'a>,
    /// `busy_dir` as written and canonicalised.
    busy_dir: Option<(PathBuf, PathBuf)>,
}

/// A participant's kept events, and the status of their calendar when there is one to report.
type Read = (Vec<Busy>, Option<BusyStatus>);

/// A participant's calendar that could not be read: no events, and why.
fn unreadable(participant: usize, file: PathBuf, problems: Vec<Diagnostic>) -> Read {
    let status = BusyStatus {
        participant,
        file,
        problems,
        notes: Vec::new(),
    };
    (Vec::new(), Some(status))
}

impl Reading<'_> {
    /// Every calendar in a file (not `addresses`) among those read, read on `jobs` threads
    /// ahead of the rest: they are independent of each other.
    fn files_ahead(
        &self,
        jobs: crate::jobs::Jobs,
        addresses: &BTreeMap<usize, Address>,
    ) -> Vec<Option<Result<Read>>> {
        let programme = self.programme;
        crate::jobs::map(jobs, programme.participants.len(), 64, |pi| {
            if !self.keep.reads(pi) || addresses.contains_key(&pi) {
                return None;
            }
            let place = programme.participants[pi]
                .busy
                .as_deref()
                .map(|(_, l)| l.clone());
            Some(self.file(pi, place))
        })
    }

    /// Every participant's kept events (none for those not read) and the statuses to report:
    /// each web calendar fetched and read in its turn, each file's taken from `from_files`.
    fn everyone(
        &mut self,
        addresses: &mut BTreeMap<usize, Address>,
        mut from_files: Vec<Option<Result<Read>>>,
    ) -> Result<(Vec<Vec<Busy>>, Vec<BusyStatus>)> {
        let programme = self.programme;
        let mut all = Vec::with_capacity(programme.participants.len());
        let mut status: Vec<BusyStatus> = Vec::new();
        for (pi, p) in programme.participants.iter().enumerate() {
            if !self.keep.reads(pi) {
                all.push(Vec::new());
                continue;
            }
            // A participant's address from the busy_urls file is placed in that file.
            let place = p.busy.as_deref().map(|(_, l)| l.clone()).or_else(|| {
                programme
                    .busy_urls
                    .as_deref()
                    .filter(|_| addresses.contains_key(&pi))
                    .map(crate::error::Location::file)
            });
            let (list, st) = match addresses.remove(&pi) {
                Some(address) => self.web(pi, address, place)?,
                None => match from_files.get_mut(pi).and_then(Option::take) {
                    Some(read) => read?,
                    None => (Vec::new(), None),
                },
            };
            all.push(list);
            status.extend(st);
        }
        Ok((all, status))
    }

    /// Reads participant `pi`'s calendar from the web (`address`, or why there is none).
    fn web(
        &mut self,
        pi: usize,
        address: Address,
        place: Option<crate::error::Location>,
    ) -> Result<Read> {
        let p = &self.programme.participants[pi];
        let url = match address {
            Ok(url) => url,
            Err(d) => return Ok(unreadable(pi, PathBuf::from("(environment)"), vec![d])),
        };
        let shown = PathBuf::from(busy::fetch::redact(&url));
        match self.fetcher.take(pi) {
            Ok(f) => {
                let fetch_note = f
                    .note
                    .map(|n| Diagnostic::warning(place.clone(), format!("{n} (for {})", p.email)));
                match read_one(self.programme, self.keep, pi, &shown, &f.bytes, self.window) {
                    Ok((list, mut notes)) => {
                        notes.extend(fetch_note);
                        Ok((list, with_notes(pi, shown, notes)))
                    }
                    Err(Error::Invalid(d)) => {
                        let status = BusyStatus {
                            participant: pi,
                            file: shown,
                            problems: d,
                            notes: fetch_note.into_iter().collect(),
                        };
                        Ok((Vec::new(), Some(status)))
                    }
                    Err(e) => Err(e),
                }
            }
            Err(why) => {
                let d = Diagnostic::error(
                    place,
                    format!(
                        "cannot fetch the busy calendar {} of {}: {why}",
                        shown.display(),
                        p.email
                    ),
                )
                .with_help(
                    "check the address (a calendar's secret iCal address, https://), that it is reachable from here, and that it gives an .ics file; or export the calendar to a file",
                );
                Ok(unreadable(pi, shown, vec![d]))
            }
        }
    }

    /// Reads participant `pi`'s calendar from a file: their `busy` path, or theirs in
    /// `busy_dir`.
    fn file(&self, pi: usize, place: Option<crate::error::Location>) -> Result<Read> {
        let programme = self.programme;
        let p = &programme.participants[pi];
        let path: Option<PathBuf> = match (p.busy.as_deref(), &self.busy_dir) {
            (Some((BusySource::File(path), _)), _) => Some(path.clone()),
            (Some(_), _) => None,
            (None, Some((dir, resolved))) => match busy_dir_file(dir, resolved, &p.email) {
                Ok(found) => found,
                Err(message) => {
                    let d = Diagnostic::error(
                        Some(crate::error::Location::file(&programme.source)),
                        message,
                    )
                    .with_help(
                        "busy_dir holds files named <e-mail>.ics, regular files inside the folder; give this participant a `busy` path instead, or fix the e-mail",
                    );
                    return Ok(unreadable(pi, dir.clone(), vec![d]));
                }
            },
            (None, None) => None,
        };
        let Some(path) = path else {
            return Ok((Vec::new(), None));
        };
        BUFFER.with_borrow_mut(|buffer| {
            let read = crate::input::read_into(&path, busy::MAX_BYTES as u64, buffer);
            let result = match read {
                Ok(len) => {
                    let bytes = buffer.get(..len).unwrap_or_default();
                    match read_one(programme, self.keep, pi, &path, bytes, self.window) {
                        Ok((list, notes)) => Ok((list, with_notes(pi, path, notes))),
                        Err(Error::Invalid(d)) => Ok(unreadable(pi, path, d)),
                        Err(e) => Err(e),
                    }
                }
                Err(e) => {
                    let d = read_error(&e, &path, place, p);
                    Ok(unreadable(pi, path, vec![d]))
                }
            };
            // A large calendar's buffer is not kept for the rest of the run.
            if buffer.len() > KEPT_BUFFER {
                *buffer = Vec::new();
            }
            result
        })
    }
}

thread_local! {
    /// The bytes of the last busy calendar file this thread read ([`crate::input::read_into`]):
    /// one buffer per thread for every file, instead of a new one, zeroed, per file.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The largest buffer kept between busy calendar files (a calendar of 1 MiB is about 4,000
/// events; larger ones are rare, and their buffer is freed once read).
const KEPT_BUFFER: usize = 1 << 20;

/// The status of a calendar read with `notes`, when there are any.
fn with_notes(participant: usize, file: PathBuf, notes: Vec<Diagnostic>) -> Option<BusyStatus> {
    (!notes.is_empty()).then(|| BusyStatus {
        participant,
        file,
        problems: Vec::new(),
        notes,
    })
}

/// Why participant `p`'s busy calendar file `path` could not be read.
fn read_error(
    e: &crate::input::ReadError,
    path: &std::path::Path,
    place: Option<crate::error::Location>,
    p: &Participant,
) -> Diagnostic {
    let d = match e {
        crate::input::ReadError::TooLarge {
            reported: Some(size),
            ..
        } => busy::too_large(path, *size),
        crate::input::ReadError::TooLarge { reported: None, .. } => {
            busy::too_large(path, busy::MAX_BYTES as u64 + 1)
        }
        _ => None,
    };
    d.unwrap_or_else(|| {
        let why = match e {
            crate::input::ReadError::NotRegular(kind) => {
                format!("it is {}, not a regular file", kind.describe())
            }
            crate::input::ReadError::Io(io) => io.to_string(),
            crate::input::ReadError::TooLarge { .. } => "it is too large".into(),
        };
        let help = if e.is_not_found() {
            "busy paths are relative to the programme file's folder"
        } else {
            e.help()
        };
        Diagnostic::error(
            place.or_else(|| Some(crate::error::Location::file(path))),
            format!(
                "cannot read the busy calendar {} of {}: {why}",
                path.display(),
                p.email
            ),
        )
        .with_help(help)
    })
}

/// Reads one participant's calendar (`bytes`, from `path`) and keeps the events that overlap
/// one of their own occurrences; returns them and the notes of the reader.
fn read_one(
    programme: &Programme,
    keep: &Keep<'_>,
    pi: usize,
    path: &std::path::Path,
    bytes: &[u8],
    window: (DateTime<Utc>, DateTime<Utc>),
) -> Result<(Vec<Busy>, Vec<Diagnostic>)> {
    let p = &programme.participants[pi];
    let attended: Vec<(DateTime<Utc>, DateTime<Utc>)> = match keep {
        Keep::Attended(schedule) => {
            // Room for all: most participants attend most sessions.
            let mut attended = Vec::with_capacity(schedule.occurrences.len());
            attended.extend(
                schedule
                    .occurrences
                    .iter()
                    .filter(|o| programme.sessions[o.session].audience.includes(p))
                    .map(|o| (o.start, o.end)),
            );
            attended
        }
        Keep::Span(from, to, _) => vec![(*from, *to)],
    };
    // The same positive overlap as the clash test, tested as each interval is read.
    let busy::Calendar {
        busy: mut list,
        notes,
    } = busy::read_calendar_overlapping(path, bytes, &p.timezone.zone, window, &attended)?;
    list.shrink_to_fit();
    Ok((list, notes))
}

/// Web calendars fetched before they are read (8 at a time within a batch).
const FETCH_BATCH: usize = 32;

/// The most bytes of a `busy_urls` file.
const MAX_BUSY_URLS_BYTES: u64 = 16 * 1024 * 1024;

/// The `busy_urls` file: a TOML table `"e-mail" = "https://…"`, keyed by the normalised
/// e-mail. Its problems are the programme's (exit 2), and never quote its content.
fn busy_urls(
    programme: &std::path::Path,
    file: &std::path::Path,
) -> Result<BTreeMap<String, String>> {
    let place = Some(crate::error::Location::file(programme));
    let fail = |why: String| {
        Error::one(
            Diagnostic::error(
                place.clone(),
                format!("cannot read busy_urls {}: {why}", file.display()),
            )
            .with_help(
                "busy_urls is relative to the programme file's folder: a TOML file of lines \"e-mail\" = \"https://…\", kept out of version control",
            ),
        )
    };
    let bytes = crate::input::read(file, MAX_BUSY_URLS_BYTES).map_err(|e| {
        fail(match e {
            crate::input::ReadError::NotRegular(kind) => {
                format!("it is {}, not a regular file", kind.describe())
            }
            crate::input::ReadError::Io(io) => io.to_string(),
            crate::input::ReadError::TooLarge { .. } => {
                format!("it is over {MAX_BUSY_URLS_BYTES} bytes")
            }
        })
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|_| fail("it is not UTF-8".into()))?;
    // toml's messages quote the line: say only where.
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        fail(match line {
            Some(l) => format!("line {l} is not valid TOML"),
            None => "it is not valid TOML".into(),
        })
    })?;
    let mut out = BTreeMap::new();
    for (email, value) in table {
        match value {
            toml::Value::String(u) if busy::fetch::is_address(&u) => {
                out.insert(
                    crate::programme::email::normalise(&email),
                    u.trim().to_string(),
                );
            }
            _ => {
                return Err(fail(format!(
                    "the entry of {} is not an https:// (or webcal://) address",
                    email.escape_debug()
                )));
            }
        }
    }
    Ok(out)
}

/// The busy calendar of the participant `email` in `dir` (`resolved` is `dir` canonicalised):
/// `<e-mail>.ics` with the e-mail normalised (NFC, lower case) as in every comparison of
/// e-mails, else as written; `None` when there is none. An e-mail that would name a path (a
/// separator, `..`) or a file that resolves outside the folder (a symbolic link) is refused.
fn busy_dir_file(
    dir: &std::path::Path,
    resolved: &std::path::Path,
    email: &str,
) -> std::result::Result<Option<PathBuf>, String> {
    let normalised = crate::programme::email::normalise(email);
    let mut names = vec![normalised];
    if names[0] != email.trim() {
        names.push(email.trim().to_string());
    }
    for name in &names {
        if name.contains(['/', '\\', '\0']) || name.contains("..") {
            return Err(format!(
                "the e-mail `{}` cannot name a file in busy_dir {}: it contains a path separator or `..`",
                email.escape_debug(),
                dir.display()
            ));
        }
        let candidate = dir.join(format!("{name}.ics"));
        if std::fs::symlink_metadata(&candidate).is_err() {
            continue;
        }
        return match candidate.canonicalize() {
            Ok(real) if real.starts_with(resolved) => Ok(Some(candidate)),
            Ok(_) => Err(format!(
                "the busy calendar {} of {} resolves outside busy_dir {} (a symbolic link)",
                candidate.display(),
                email.escape_debug(),
                dir.display()
            )),
            // A dangling link: nothing to read, and nothing outside the folder was touched.
            Err(_) => Err(format!(
                "the busy calendar {} of {} is a link to nothing",
                candidate.display(),
                email.escape_debug()
            )),
        };
    }
    Ok(None)
}

/// Gives the pages freed while checking back to the system: each chunk's list of conflicts is
/// freed once appended to the report, the sets of shared sentences once the check is done, and
/// the holes they leave in the heap would otherwise count in the process's memory for the rest
/// of a `build` (about 20 MB at 100,000 participants, measured when each sentence was first
/// made as a `String`; not measured again since sentences are shared as they are made).
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of the allocator to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Runs every check over every participant and occurrence; the busy calendars' problems and
/// notes are carried into the report. The participants are spread over `jobs` threads; the
/// report is the same at any number.
pub fn check(
    programme: &Programme,
    schedule: &Schedule,
    calendars: &BusyCalendars,
    jobs: crate::jobs::Jobs,
) -> Report {
    let busy = &calendars.busy;
    // Participants are independent: checked a chunk at a time on `jobs` threads, each chunk's
    // findings appended (in participant order) as soon as its window of chunks is done, so
    // that only a few chunks are held beside the report. Each thread shares the sentences its
    // chunks repeat as it writes them (see [`Found`]), so that this thread only appends.
    let mut conflicts = Vec::new();
    let mut burden = Vec::new();
    let sentences = Sentences::default();
    let consume = |(c, b): (Vec<Conflict>, Vec<(usize, Burden)>)| {
        conflicts.extend(c);
        burden.extend(b);
    };
    crate::jobs::for_each_in_order(jobs, programme.participants.len(), 256, consume, |range| {
        let mut found = Found::new(sentences.take());
        let burden = check_participants(&mut found, programme, schedule, busy, range);
        sentences.put(found.seen);
        (found.conflicts, burden)
    });
    drop(sentences);
    conflicts.shrink_to_fit();
    release_freed_memory();
    sort_conflicts(&mut conflicts, programme, schedule, jobs);
    // The sort's ranks, freed, would leave holes counted for the rest of a `build`.
    release_freed_memory();
    let email = |i: usize| programme.participants[i].email.as_str();
    burden.sort_by(|a, b| {
        b.1.weight()
            .cmp(&a.1.weight())
            .then_with(|| email(a.0).cmp(email(b.0)))
    });
    Report {
        conflicts,
        burden,
        busy_calendars: calendars.status.clone(),
    }
}

/// Sorts the conflicts by severity, participant, start, session and kind, in place, without a
/// buffer of half the conflicts beside them (17 MB at 100,000 participants): two conflicts
/// equal in every key are equal in every field written. E-mails and session ids are compared
/// through their ranks ([`ranks`]), which order exactly as they do. The keys are sorted on up
/// to two threads ([`crate::jobs::sort_distinct`]).
fn sort_conflicts(
    conflicts: &mut [Conflict],
    programme: &Programme,
    schedule: &Schedule,
    jobs: crate::jobs::Jobs,
) {
    let email = ranks(&programme.participants, |p| p.email.as_str());
    let session = ranks(&programme.sessions, |s| s.id.as_str());
    // Per occurrence, the rank of (start, session id): equal pairs, equal ranks.
    let occurrences = &schedule.occurrences;
    let occurrence = ranks_by(occurrences.len(), |o| {
        (occurrences[o].start, session[occurrences[o].session])
    });
    // (severity, e-mail, start, session id, kind) as one number, each field in its own bits:
    // the kind's 3 (eight kinds), the occurrence's rank 32, the e-mail's rank 20 (at most
    // a million participants, `programme::validate`), the severity's 2; the enums' declaration
    // order is their order. Computed once per conflict instead of twice per comparison (issue
    // 19: 134,500 conflicts at 10,000 participants).
    const _: () = assert!(crate::programme::validate::MAX_PARTICIPANTS <= 1 << 20);
    let key = |c: &Conflict| {
        (u64::from(c.kind.severity() as u8) << 55)
            | (u64::from(email[c.participant()]) << 35)
            | (u64::from(occurrence[c.occurrence()]) << 3)
            | u64::from(c.kind as u8)
    };
    // Each key with its conflict's index (below 2³²: fewer conflicts than participants ×
    // occurrences × kinds ever fit in memory), so that every pair is distinct.
    let keyed: Vec<(u64, u32)> = conflicts
        .iter()
        .enumerate()
        .map(|(i, c)| (key(c), u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    let order = crate::jobs::sort_distinct(jobs, keyed);
    // Moves each conflict to its place by following the permutation's cycles (as
    // `slice::sort_by_cached_key` does): `order[k]` is where the conflict for place k was
    // first; a place already filled sends to where its conflict went.
    let mut from: Vec<u32> = order.iter().map(|&(_, i)| i).collect();
    drop(order);
    for k in 0..from.len() {
        let mut index = from[k];
        while (index as usize) < k {
            index = from[index as usize];
        }
        from[k] = index;
        conflicts.swap(k, index as usize);
    }
    drop(from);
    // Equal keys, by detail (a participant's busy events clashing with one occurrence).
    for run in conflicts.chunk_by_mut(|a, b| key(a) == key(b)) {
        if run.len() > 1 {
            run.sort_unstable_by(|a, b| a.detail.cmp(&b.detail));
        }
    }
}

/// The rank of each item's text among all the items' texts: equal texts have the same rank, a
/// smaller text a smaller rank. Comparing ranks is comparing the texts, without reading them
/// (a sort of 134,500 conflicts compares their e-mails millions of times: issue 19).
/// Indices and ranks are `u32` (`programme::validate` allows at most a million participants).
fn ranks<T>(items: &[T], text: impl Fn(&T) -> &str) -> Vec<u32> {
    ranks_by(items.len(), |i| text(&items[i]))
}

/// [`ranks`] of the keys `key(0)`, …, `key(n - 1)`.
fn ranks_by<K: Ord>(n: usize, key: impl Fn(usize) -> K) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by_key(|&i| key(i as usize));
    let mut ranks = vec![0u32; n];
    let mut rank = 0u32;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 && key(order[k - 1] as usize) != key(i as usize) {
            rank += 1;
        }
        ranks[i as usize] = rank;
    }
    ranks
}
