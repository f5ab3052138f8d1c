//! `roundtable send`: the published invitations as iMIP mail (RFC 6047), one message per
//! attendee and event, each sent exactly once per SEQUENCE.
//!
//! **One message per attendee per event**, not one per session to all attendees: the text
//! part opens with *that* attendee's local time; the calendar names the organizer and that
//! attendee only, so no city official learns another's address (no Bcc needed, nothing for a
//! "reply all" to leak); a bounce or a rejected address concerns one person and one event; and
//! the journal records exactly what was delivered to whom, so that an attendee added to a
//! session gets the invitation alone, and one removed gets a CANCEL alone (RFC 5546 §3.2.5).
//!
//! **What is sent** is what `invites` (or `build`) last published: `send` reads the lock file
//! and refuses to run while the programme holds changes not yet published there, so a message
//! never carries a SEQUENCE the private folder does not hold. The messages still to send are
//! those the journal does not hold ([`outbox::plan`]).
//!
//! **Exactly once**: see [`journal`]. **Safe by default**: without `--send` nothing is sent
//! (the messages are written as `.eml` files instead); the server and its credentials come
//! from the environment only ([`smtp`]).

pub mod journal;
pub mod message;
pub mod outbox;
pub mod replies;
pub mod smtp;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::invites::Change;
use crate::occurrence::Schedule;
use crate::output::failpoint;
use crate::programme::Programme;
use journal::{Journal, Method, Record};

/// Where the messages go.
pub enum Mode<'a> {
    /// Written as `.eml` files into this folder (its earlier `.eml` files removed); nothing
    /// sent, nothing recorded.
    DryRun(PathBuf),
    /// Delivered; each delivery recorded in the journal (unless `to_only`).
    Send(&'a mut dyn smtp::Deliver),
}

/// How a run behaves.
pub struct Options<'a> {
    /// The private folder `invites` or `build` wrote.
    pub private: &'a Path,
    /// Dry run or real sending.
    pub mode: Mode<'a>,
    /// Deliver everything to this address instead (nothing recorded).
    pub to_only: Option<&'a str>,
    /// `Sender:` and envelope sender, when not the organizer.
    pub sender: Option<&'a str>,
    /// At most this many messages per minute (0: no limit).
    pub per_minute: u32,
    /// Attempts after the first on a temporary failure (4xx, no connection).
    pub retries: u32,
    /// Wait before the first retry; doubled before each next one.
    pub retry_wait: Duration,
    /// Whether to wait for another run on the same folder or lock file.
    pub wait: crate::output::Wait,
    /// Told once when another run holds a lock this one waits for.
    pub on_wait: &'a mut dyn FnMut(&Path),
}

/// One message that was not delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// The event's file stem (session id).
    pub event: String,
    /// The SEQUENCE of the event the message carried.
    pub sequence: u32,
    /// Its iTIP method (a request or a cancellation).
    pub method: Method,
    /// The attendee's e-mail.
    pub attendee: String,
    /// A 5xx answer or a message that cannot be built (else: temporary, sent by a later run).
    pub permanent: bool,
    /// What happened.
    pub text: String,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Messages recorded in the journal before this run.
    pub recorded_before: usize,
    /// Per event stem, SEQUENCE and method: how many messages were due.
    pub due: BTreeMap<(String, u32, Method), usize>,
    /// Delivered (or written, in a dry run).
    pub done: usize,
    /// Not delivered.
    pub failed: Vec<Failed>,
    /// Due but not attempted: the run stopped after the server could not be reached.
    pub not_attempted: usize,
    /// The dry run's folder, or the journal.
    pub place: PathBuf,
    /// Whether this was a dry run.
    pub dry_run: bool,
}

impl Report {
    /// The exit code: 1 when any message was not delivered, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.failed.is_empty() || self.not_attempted > 0)
    }

    /// A readable summary; failures name the attendee (the organizer's terminal or CI log).
    pub fn render(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let width = self.due.keys().map(|k| k.0.len()).max().unwrap_or(0);
        for ((stem, seq, method), n) in &self.due {
            let _ = writeln!(
                out,
                "{:<7} {stem:<width$}  SEQUENCE {seq}  {n} message(s)",
                method.word()
            );
        }
        if self.due.is_empty() {
            let _ = writeln!(
                out,
                "nothing to send: every attendee has the current SEQUENCE of every event ({} message(s) recorded in {})",
                self.recorded_before,
                self.place.display()
            );
            return out;
        }
        if self.dry_run {
            let _ = writeln!(
                out,
                "dry run: wrote {} message(s) to {}; nothing sent (add --send to send them)",
                self.done,
                self.place.display()
            );
        } else {
            let _ = writeln!(
                out,
                "sent {} message(s), recorded in {}",
                self.done,
                self.place.display()
            );
        }
        for f in &self.failed {
            let _ = writeln!(
                out,
                "{}: {} {} SEQUENCE {} to {}: {}",
                if f.permanent {
                    "failed"
                } else {
                    "not sent (temporary; the next run retries)"
                },
                f.method.word(),
                f.event,
                f.sequence,
                crate::neutralise::terminal(&f.attendee),
                f.text
            );
        }
        if self.not_attempted > 0 {
            let _ = writeln!(
                out,
                "stopped: the server could not be reached; {} message(s) not attempted (the next run sends them)",
                self.not_attempted
            );
        }
        let permanent = self.failed.iter().filter(|f| f.permanent).count();
        if !self.failed.is_empty() {
            let _ = writeln!(
                out,
                "{permanent} message(s) failed permanently, {} temporarily",
                self.failed.len() - permanent
            );
        }
        out
    }
}

/// The default folder of a dry run's `.eml` files, inside the private folder.
pub const OUTBOX: &str = "mail/outbox";

/// Sends (or writes) every message still due. Holds the run lock of the private folder and the
/// lock file for the whole run, so no `invites` or `build` replaces the folder meanwhile.
pub fn run(programme: &Programme, schedule: &Schedule, options: Options<'_>) -> Result<Report> {
    let Options {
        private,
        mode,
        to_only,
        sender,
        per_minute,
        retries,
        retry_wait,
        wait,
        on_wait,
    } = options;
    let private = crate::output::resolve_out(private)?;
    let lock_path = crate::ics::lock::path_for(&programme.source);
    let _running = crate::output::RunLock::acquire(&[&private, &lock_path], wait, on_wait)?;
    require_private_folder(&private)?;
    let lock = crate::ics::lock::read(&lock_path)?;
    let prepared =
        crate::invites::prepare(programme, schedule, &lock, None, crate::jobs::Jobs::ONE)?;
    all_published(programme, &prepared, &lock_path)?;
    let dry_run = matches!(mode, Mode::DryRun(_));
    let record = !dry_run && to_only.is_none();
    let journal = Journal::open(&private, record)?;
    let due = outbox::plan(programme, &prepared, &journal);
    let stamp = crate::invites::dtstamp()?;
    let timezones = crate::ics::Timezones::for_events(&prepared.events, crate::jobs::Jobs::ONE);
    let ctx = crate::invites::context(programme, &timezones, stamp);
    let shared = message::Shared {
        programme,
        schedule,
        events: &prepared.events,
        ctx: &ctx,
        sender,
        to_only,
    };
    let mut report = Report {
        recorded_before: journal.len(),
        due: due_per_event(&prepared, &due),
        dry_run,
        place: match &mode {
            Mode::DryRun(dir) => dir.clone(),
            Mode::Send(_) => private.join(journal::FILE),
        },
        ..Report::default()
    };
    if let Mode::DryRun(dir) = &mode {
        clear_eml(dir)?;
    }
    let mut delivery = Delivery {
        mode,
        journal,
        record,
        pacer: Pacer::new(per_minute),
        retries,
        retry_wait,
        unreachable: 0,
    };
    for (n, o) in due.iter().enumerate() {
        delivery.one(&shared, o, &mut report)?;
        // Three messages in a row without any answer: the server is down or misconfigured.
        if delivery.unreachable >= 3 {
            report.not_attempted = due.len() - n - 1;
            break;
        }
    }
    Ok(report)
}

/// Per event stem, SEQUENCE and method: how many messages are due.
fn due_per_event(
    prepared: &crate::invites::Prepared,
    due: &[outbox::Outgoing],
) -> BTreeMap<(String, u32, Method), usize> {
    let mut out = BTreeMap::new();
    for o in due {
        let e = &prepared.events[o.event];
        *out.entry((e.stem().to_string(), e.sequence, o.method))
            .or_default() += 1;
    }
    out
}

/// Where the messages of a run go, and how many in a row found no server.
struct Delivery<'a> {
    mode: Mode<'a>,
    journal: Journal,
    /// Whether deliveries are recorded in the journal.
    record: bool,
    pacer: Pacer,
    retries: u32,
    retry_wait: Duration,
    unreachable: usize,
}

impl Delivery<'_> {
    /// Builds the message of `o` and writes it (a dry run) or delivers and records it; a
    /// message not delivered is added to `report.failed`.
    fn one(
        &mut self,
        shared: &message::Shared<'_>,
        o: &outbox::Outgoing,
        report: &mut Report,
    ) -> Result<()> {
        let event = &shared.events[o.event];
        let (_, email, _) = o.who(shared.programme);
        let fail = |permanent: bool, text: String| Failed {
            event: event.stem().to_string(),
            sequence: event.sequence,
            method: o.method,
            attendee: email.to_string(),
            permanent,
            text,
        };
        let built = match message::build(shared, o) {
            Ok(b) => b,
            Err(e) => {
                report.failed.push(fail(true, e.0));
                return Ok(());
            }
        };
        let bytes = built.message.formatted();
        let deliver = match &mut self.mode {
            Mode::DryRun(dir) => {
                write_eml(&dir.join(message::file_name(event, o, email)), bytes)?;
                report.done += 1;
                return Ok(());
            }
            Mode::Send(d) => &mut **d,
        };
        let delivered = deliver_retrying(
            deliver,
            &built.envelope,
            &bytes,
            &mut self.pacer,
            self.retries,
            self.retry_wait,
        );
        match delivered {
            Ok(response) => {
                failpoint("mail-accepted");
                self.record_delivery(shared.programme, event, o, &built.message_id, response)?;
                failpoint("mail-recorded");
                report.done += 1;
                self.unreachable = 0;
            }
            Err(f) if f.permanent => {
                report.failed.push(fail(true, f.text));
                self.unreachable = 0;
            }
            Err(f) => {
                if f.connection {
                    self.unreachable += 1;
                }
                report.failed.push(fail(false, f.text));
            }
        }
        Ok(())
    }

    /// Records a delivery in the journal, unless this run records none.
    fn record_delivery(
        &mut self,
        programme: &Programme,
        event: &crate::ics::Event,
        o: &outbox::Outgoing,
        message_id: &str,
        response: String,
    ) -> Result<()> {
        if !self.record {
            return Ok(());
        }
        let (name, email, zone) = o.who(programme);
        self.journal.append(&Record {
            uid: event.uid.clone(),
            sequence: event.sequence,
            method: o.method,
            attendee: email.to_string(),
            name: name.to_string(),
            timezone: zone.to_string(),
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            message_id: message_id.to_string(),
            response,
        })
    }
}

/// Refuses a folder that is not the private folder of a roundtable run.
fn require_private_folder(private: &Path) -> Result<()> {
    if !private.join(crate::output::MARKER).exists() {
        return Err(Error::usage(format!(
            "{} is not a private folder written by roundtable",
            private.display()
        ))
        .with_help("run `roundtable invites` (or `build`) first: `send` sends what it published"));
    }
    Ok(())
}

/// Writes a message as a server stores it: SMTP's end of data adds the last line break.
fn write_eml(path: &Path, mut bytes: Vec<u8>) -> Result<()> {
    bytes.extend_from_slice(b"\r\n");
    std::fs::write(path, &bytes).map_err(|e| Error::io(path, e))
}

/// Refuses to send while the programme holds changes the lock file does not record yet.
fn all_published(
    programme: &Programme,
    prepared: &crate::invites::Prepared,
    lock_path: &Path,
) -> Result<()> {
    let unpublished: Vec<&str> = prepared
        .plan
        .entries
        .iter()
        .filter(|e| matches!(e.change, Change::New | Change::Changed | Change::Cancelled))
        .map(|e| e.session.as_str())
        .collect();
    if !unpublished.is_empty() {
        return Err(Error::usage(format!(
            "{} has changes not yet published (sessions: {})",
            programme.source.display(),
            unpublished.join(", "),
        ))
        .with_help(format!(
            "run `roundtable invites` or `roundtable build` first; `send` sends the SEQUENCE numbers they recorded in {}",
            lock_path.display()
        )));
    }
    Ok(())
}

/// Spaces messages `--rate` apart.
struct Pacer {
    interval: Duration,
    next_slot: Instant,
}

impl Pacer {
    fn new(per_minute: u32) -> Pacer {
        let interval = if per_minute == 0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(60.0 / f64::from(per_minute))
        };
        Pacer {
            interval,
            next_slot: Instant::now(),
        }
    }

    /// Sleeps until the next message may go.
    fn wait(&mut self) {
        let now = Instant::now();
        if self.next_slot > now {
            std::thread::sleep(self.next_slot - now);
        }
        self.next_slot = Instant::now() + self.interval;
    }
}

/// Delivers one message, paced; a temporary failure is tried again `retries` times, after
/// `retry_wait`, then twice that, and so on. The server's answer, or the last failure.
fn deliver_retrying(
    deliver: &mut dyn smtp::Deliver,
    envelope: &lettre::address::Envelope,
    bytes: &[u8],
    pacer: &mut Pacer,
    retries: u32,
    retry_wait: Duration,
) -> std::result::Result<String, smtp::Failure> {
    let mut attempt = 0;
    loop {
        pacer.wait();
        match deliver.deliver(envelope, bytes) {
            Ok(response) => return Ok(response),
            Err(f) if f.permanent => return Err(f),
            Err(f) => {
                attempt += 1;
                if attempt > retries {
                    return Err(f);
                }
                std::thread::sleep(retry_wait.saturating_mul(1 << (attempt - 1).min(16)));
            }
        }
    }
}

/// Creates `dir` and removes the `.eml` files an earlier dry run left in it (nothing else).
fn clear_eml(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.extension().is_some_and(|x| x == "eml") && path.is_file() {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}
