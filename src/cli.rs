//! Command-line arguments. Parsing only: no file is touched here.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::times;

/// Schedule online sessions across time zones: local times for every participant, invites that
/// every calendar imports at the right time, conflict reports, and plans.
#[derive(Debug, Parser)]
#[command(name = "roundtable", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every occurrence of every session, in each participant's local time.
    ///
    /// Examples:
    ///   roundtable times sessions/peer-learning-2023-11.toml
    ///   roundtable times programme.toml --format json > times.json
    ///   roundtable times programme.toml --participant ana@example.org
    ///   roundtable times programme.toml --tz Asia/Kolkata
    #[command(verbatim_doc_comment)]
    Times(TimesArgs),
    /// iCalendar invites: the programme, one calendar per participant, one REQUEST per session.
    ///
    /// Public (OUT): OUT/PROGRAMME-ID.ics and OUT/participants/KEYED-NAME.ics, one per
    /// participant, its name derived from their e-mail with a secret key (see --key-file).
    /// Private (PRIVATE, default OUT.private): participants/index.csv (e-mail -> file, for
    /// mail merge), sessions/SESSION-ID.ics (REQUEST) and, for sessions removed since the last
    /// run, sessions/SESSION-ID.cancel.ics. SEQUENCE numbers are kept in FILE.lock, which is
    /// meant to be committed. Set SOURCE_DATE_EPOCH for byte-identical output.
    ///
    /// Examples:
    ///   roundtable invites sessions/peer-learning-2023-11.toml --out public/
    ///   roundtable invites programme.toml --out public/ --dry-run
    #[command(verbatim_doc_comment)]
    Invites(InvitesArgs),
    /// Mail the published invitations: one iMIP message per attendee and event, exactly once
    /// per SEQUENCE.
    ///
    /// Sends what `invites` or `build` last published (run one of them first): a REQUEST to
    /// every attendee of a new or changed event, a CANCEL for a removed session and to an
    /// attendee removed from one. Without --send nothing is sent: the messages are written as
    /// .eml files (default: PRIVATE/mail/outbox). With --send, each delivery is recorded in
    /// PRIVATE/mail/journal.jsonl and never sent again; a run killed or stopped is simply run
    /// again. The server comes from the environment only: ROUNDTABLE_SMTP_HOST, _PORT, _TLS
    /// (starttls, tls, none), _USER, _PASSWORD. Exit status 1 when a message was not delivered.
    ///
    /// Examples:
    ///   roundtable send sessions/peer-learning-2023-11.toml --out public/
    ///   roundtable send programme.toml --out public/ --send --to-only me@example.org
    ///   roundtable send programme.toml --out public/ --send --rate 30/min
    #[command(verbatim_doc_comment)]
    Send(SendArgs),
    /// Attendance from the attendees' answers: the iMIP REPLY and COUNTER mails in the
    /// organizer's mailbox, matched to the published events.
    ///
    /// Reads a Maildir (cur/, new/), an mbox file, or a folder of .eml and .ics files. A reply
    /// counts when its UID is a live event of the programme, its attendee is invited to it and
    /// its SEQUENCE is the lock file's current one (older: listed as stale); the newest reply
    /// of each attendee wins. Counts per session and per occurrence (accepted, tentative,
    /// declined, no answer) with names, and COUNTER proposals in the proposer's and the
    /// programme's time. The output names people: keep it private.
    ///
    /// Examples:
    ///   roundtable replies sessions/peer-learning-2023-11.toml --mailbox ~/Maildir/.Replies
    ///   roundtable replies programme.toml --mailbox replies.mbox --format json
    #[command(verbatim_doc_comment)]
    Replies(RepliesArgs),
    /// Conflicts: night and out-of-hours sessions, double bookings, busy calendars, weekends,
    /// series that shift by an hour, local dates that differ.
    ///
    /// Exit status: 1 when any conflict is at or above --fail-on (default: error), else 0;
    /// 2 for invalid input. A participant's busy calendar that cannot be read is reported on
    /// that participant (their clashes are not checked) and the others are checked; with
    /// --strict-busy it is an exit 2.
    ///
    /// Examples:
    ///   roundtable check sessions/peer-learning-2023-11.toml
    ///   roundtable check programme.toml --format markdown --fail-on never > report.md
    ///   roundtable check programme.toml --public --format markdown > public-comment.md
    ///   roundtable check programme.toml --format json --fail-on warning
    ///   roundtable check programme.toml --strict-busy
    #[command(verbatim_doc_comment)]
    Check(CheckArgs),
    /// Propose the best distinct start times in a window for the audience.
    ///
    /// Score per participant: +1 per minute inside their working hours, 0 per minute outside
    /// them but not in their night, -2 per minute in their night, -60 when it starts on their
    /// weekend; -3 per minute - 60 when they cannot attend (with --allow-overlap); summed over
    /// the audience. Ties: the earlier start first. A start time at which someone in the
    /// audience attends another session of the programme or is busy in their calendar is not
    /// proposed (unless --allow-overlap), nor one at which a required participant is busy or
    /// outside their hours (when none is left, the best compromise is shown and the exit
    /// status is 1). Proposals never overlap: each stands for the run of neighbouring start
    /// times with the same score.
    ///
    /// Examples:
    ///   roundtable suggest sessions/peer-learning-2023-11.toml --duration 2h --from 2023-11-14 --to 2023-11-16
    ///   roundtable suggest programme.toml --duration 90m --from 2023-11-14 --to 2023-11-14 --audience east --format json
    #[command(verbatim_doc_comment)]
    Suggest(SuggestArgs),
    /// Split one session into K regional editions on one day, optimally for the same score.
    ///
    /// Every participant attends the edition that suits them best; required participants
    /// attend every edition, inside their hours when possible (else the best compromise is
    /// shown and the exit status is 1). Start times at which someone in the audience attends
    /// another session or is busy are left out unless --allow-overlap. `--editions auto` picks
    /// the smallest K whose next edition would add less than 5% of the ideal score (everyone
    /// inside their hours for the whole session).
    ///
    /// Examples:
    ///   roundtable split sessions/peer-learning-2023-11.toml --editions 2 --duration 2h --date 2023-11-15
    ///   roundtable split programme.toml --editions auto --duration 2h --date 2023-11-15 --format toml
    ///   roundtable split programme.toml --editions 2 --duration 2h --date 2023-11-15 --required hosts --session day-2 --format toml
    #[command(verbatim_doc_comment)]
    Split(SplitArgs),
    /// The whole job: invites, the conflict report and the overview page.
    ///
    /// Public (OUT, safe to publish): index.html and the calendars of `invites`. Private
    /// (PRIVATE, default OUT.private): report.md, report.json and the private files of
    /// `invites`. Each folder is written all at once (staged, then swapped in), then the lock
    /// file. Exits 0 when everything was written, whatever conflicts the report lists, unless
    /// --fail-on is given. An unreadable busy calendar is listed in the private report (exit 2
    /// with --strict-busy).
    ///
    /// Examples:
    ///   roundtable build sessions/peer-learning-2023-11.toml --out public/
    ///   roundtable build programme.toml --out public/ --fail-on error
    #[command(verbatim_doc_comment)]
    Build(BuildArgs),
    /// Generate a large programme for benchmarks (hidden).
    #[command(hide = true)]
    Generate {
        /// Folder to write programme.toml, participants.csv and busy/ into.
        #[arg(long)]
        out: PathBuf,
        /// Participants.
        #[arg(long, default_value_t = 1000)]
        participants: usize,
        /// Sessions (a quarter recurring).
        #[arg(long, default_value_t = 10)]
        sessions: usize,
        /// Busy events per participant (0: no busy calendars).
        #[arg(long, default_value_t = 0)]
        busy: usize,
        /// Seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Shell completions: roundtable completions bash > /etc/bash_completion.d/roundtable
    Completions {
        /// The shell to write the completion script for.
        shell: clap_complete::Shell,
    },
}

/// Arguments of `roundtable build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The programme file (TOML).
    pub file: PathBuf,
    /// The public output folder: the page and calendars, safe to publish (created if needed;
    /// replaced as a whole).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub private: PrivateArgs,
    /// Exit with 1 when a conflict of this severity or worse is found (as `check`).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Stop with exit 2 when any participant's busy calendar cannot be read (as `check`).
    /// Without it, an unreadable calendar is listed in the private report and the others are
    /// checked.
    #[arg(long)]
    pub strict_busy: bool,
    #[command(flatten)]
    pub fetch: FetchArgs,
    /// How many threads may work at once (the rows of a participants list of 1,024 or more,
    /// participants' calendars, busy calendars, the check). The output is the same whatever
    /// the number. Default: the number of cores.
    #[arg(long, value_name = "N", default_value_t = crate::jobs::Jobs::available())]
    pub jobs: crate::jobs::Jobs,
    /// The organizer's mailbox (Maildir, mbox or a folder of .eml/.ics files) with the
    /// answers to the invitations, as `roundtable replies` reads it: the private folder gets
    /// attendance.md and attendance.json (names), the page counts per session (no names).
    #[arg(long, value_name = "PATH")]
    pub mailbox: Option<PathBuf>,
}

/// Where the organizer-only output goes, and the key of participants' calendar addresses
/// (`build` and `invites`).
#[derive(Debug, clap::Args)]
pub struct PrivateArgs {
    /// The organizer's private folder: e-mail index, invitations with attendee lists, conflict
    /// reports. Never inside --out. Default: OUT.private beside OUT.
    #[arg(long, value_name = "DIR")]
    pub private: Option<PathBuf>,
    /// The secret key participants' calendar file names are derived from. Default: the
    /// ROUNDTABLE_KEY environment variable, ROUNDTABLE_KEY_FILE, then
    /// ~/.config/roundtable/keys/PROGRAMME-ID.key (generated there on first use, except in CI).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Fail at once, instead of waiting, when another roundtable run is writing the same
    /// output folders or lock file.
    #[arg(long)]
    pub no_wait: bool,
}

/// What `suggest` and `split` share.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// The programme file (TOML).
    pub file: PathBuf,
    /// Length of the session: 90m, 2h, 1h30m or PT1H30M.
    #[arg(long, value_parser = crate::duration::parse_duration)]
    pub duration: chrono::Duration,
    /// Only participants in these groups (repeatable); default: everyone.
    #[arg(long = "audience", value_name = "GROUP")]
    pub audience: Vec<String>,
    /// Distance between candidate start times.
    #[arg(long, default_value = "15m", value_parser = crate::duration::parse_duration)]
    pub step: chrono::Duration,
    /// The session being planned again (or split): its own occurrences do not count as a
    /// commitment, its audience is the default audience, and `split` names editions after it.
    #[arg(long, value_name = "SESSION")]
    pub session: Option<String>,
    /// Members of this group must attend every proposal and edition inside their working hours
    /// (repeatable), as well as participants and groups marked `required = true`.
    #[arg(long = "required", value_name = "GROUP")]
    pub required: Vec<String>,
    /// Also propose start times at which someone in the audience already attends another
    /// session or is busy in their calendar (each proposal lists them; they score as absent).
    #[arg(long)]
    pub allow_overlap: bool,
    /// Stop with exit 2 when a busy calendar cannot be read (as `check`); without it, the
    /// participant is planned as if free and a warning says so.
    #[arg(long)]
    pub strict_busy: bool,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

/// Arguments of `roundtable suggest`.
#[derive(Debug, clap::Args)]
pub struct SuggestArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// First day of the window (in the programme's zone), YYYY-MM-DD.
    #[arg(long)]
    pub from: chrono::NaiveDate,
    /// Last day of the window (included).
    #[arg(long)]
    pub to: chrono::NaiveDate,
    /// How many proposals to show.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// List every start time on its own, best first, instead of distinct proposals (each
    /// standing for its run of equal neighbours, none closer than the session's length).
    #[arg(long)]
    pub every_start: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::plan::report::SuggestFormat::Text)]
    pub format: crate::plan::report::SuggestFormat,
}

/// A zone argument (`--tz`): an IANA name, `UTC` or a fixed offset, with suggestions for a typo.
fn parse_zone(text: &str) -> Result<crate::zone::ZoneSpec, String> {
    text.parse::<crate::zone::ZoneSpec>().map_err(|e| {
        format!(
            "{}{}",
            e.message,
            e.help.map_or(String::new(), |h| format!("\n  help: {h}"))
        )
    })
}

/// How many editions `split` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editions {
    /// The smallest K whose next edition would add less than 5% of the ideal score.
    Auto,
    /// Exactly this many (1 to 6).
    Count(usize),
}

impl Editions {
    /// `auto` or a number from 1 to 6.
    ///
    /// ```
    /// use roundtable::cli::Editions;
    /// assert_eq!(Editions::parse("auto"), Ok(Editions::Auto));
    /// assert_eq!(Editions::parse("3"), Ok(Editions::Count(3)));
    /// assert!(Editions::parse("7").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim() {
            "auto" => Ok(Editions::Auto),
            n => match n.parse::<usize>() {
                Ok(k) if (1..=6).contains(&k) => Ok(Editions::Count(k)),
                _ => Err(format!("`{text}`: give a number from 1 to 6, or auto")),
            },
        }
    }
}

/// Arguments of `roundtable split`.
#[derive(Debug, clap::Args)]
pub struct SplitArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Number of editions (1 to 6), or `auto`.
    #[arg(long, value_parser = Editions::parse)]
    pub editions: Editions,
    /// The day (in the programme's zone), YYYY-MM-DD.
    #[arg(long)]
    pub date: chrono::NaiveDate,
    /// Ids of the editions' groups and sessions (`--format toml`): PREFIX-1, PREFIX-2, ...
    /// Default: the --session's id, else `edition`; made unique against the programme's ids.
    #[arg(long, value_name = "PREFIX")]
    pub id_prefix: Option<String>,
    /// Title of the editions (`--format toml`), followed by " — edition N". Default: the
    /// --session's title, else the programme's.
    #[arg(long)]
    pub title: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::plan::report::SplitFormat::Text)]
    pub format: crate::plan::report::SplitFormat,
}

/// `--fail-on`: the least severe conflict that makes the exit status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Errors (night, overlap, busy).
    Error,
    /// Warnings and errors.
    Warning,
    /// Any conflict.
    Info,
    /// Never: exit 0 whatever the report lists.
    Never,
}

impl FailOn {
    /// The severity threshold; `None` for `never`.
    pub fn threshold(self) -> Option<crate::check::ConflictSeverity> {
        use crate::check::ConflictSeverity;
        match self {
            FailOn::Error => Some(ConflictSeverity::Error),
            FailOn::Warning => Some(ConflictSeverity::Warning),
            FailOn::Info => Some(ConflictSeverity::Info),
            FailOn::Never => None,
        }
    }
}

/// Arguments of `roundtable check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The programme file (TOML).
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::check::report::Format::Text)]
    pub format: crate::check::report::Format,
    /// Exit with 1 when a conflict of this severity or worse is found.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// A report safe to publish (a pull-request comment on a public repository): counts per
    /// session, zone and local time, burden by region; no names, no e-mails, nothing from busy
    /// calendars.
    #[arg(long)]
    pub public: bool,
    /// Stop with exit 2 when any participant's busy calendar cannot be read. Without it, an
    /// unreadable calendar is reported on that participant (their clashes are not checked) and
    /// everyone else is checked; the exit code depends on the conflicts only.
    #[arg(long)]
    pub strict_busy: bool,
    #[command(flatten)]
    pub fetch: FetchArgs,
    /// How many threads may work at once (the rows of a participants list of 1,024 or more,
    /// participants' calendars, busy calendars, the check). The output is the same whatever
    /// the number. Default: the number of cores.
    #[arg(long, value_name = "N", default_value_t = crate::jobs::Jobs::available())]
    pub jobs: crate::jobs::Jobs,
}

/// How busy calendars given as web addresses are fetched (`check` and `build`).
#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// The cache of busy calendars fetched from web addresses (one file per address, named by
    /// a hash of it). Default: $XDG_CACHE_HOME/roundtable/busy, else ~/.cache/roundtable/busy.
    /// Never inside --out.
    #[arg(long, value_name = "DIR")]
    pub busy_cache: Option<PathBuf>,
    /// Give up fetching one busy calendar after this many seconds (connecting at most 10).
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub busy_timeout: u64,
}

impl FetchArgs {
    /// The fetch options these arguments ask for.
    pub fn options(&self) -> crate::busy::fetch::Options {
        crate::busy::fetch::Options {
            cache: self
                .busy_cache
                .clone()
                .or_else(crate::busy::fetch::default_cache_dir),
            timeout: std::time::Duration::from_secs(self.busy_timeout),
        }
    }
}

/// Arguments of `roundtable invites`.
#[derive(Debug, clap::Args)]
pub struct InvitesArgs {
    /// The programme file (TOML).
    pub file: PathBuf,
    /// The public output folder: the programme calendar and each participant's calendar, safe
    /// to publish (created if needed; replaced as a whole).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub private: PrivateArgs,
    /// Print what would change (new / changed / unchanged / cancelled, and what changed in
    /// each event: times, title, link, attendees added and removed by e-mail) and write
    /// nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Output format of --dry-run: a table, or JSON for tools and CI.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text, requires = "dry_run")]
    pub format: PlanFormat,
    /// How many threads may work at once (the rows of a participants list of 1,024 or more,
    /// participants' calendars, busy calendars, the check). The output is the same whatever
    /// the number. Default: the number of cores.
    #[arg(long, value_name = "N", default_value_t = crate::jobs::Jobs::available())]
    pub jobs: crate::jobs::Jobs,
}

/// Output format of `invites --dry-run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    /// A readable table.
    Text,
    /// JSON (see README, "What changed").
    Json,
}

/// Arguments of `roundtable send`.
#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// The programme file (TOML).
    pub file: PathBuf,
    /// The public output folder `invites` or `build` wrote (locates the private folder).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The organizer's private folder `invites` or `build` wrote. Default: OUT.private.
    #[arg(long, value_name = "DIR")]
    pub private: Option<PathBuf>,
    /// Write the messages as .eml files and send nothing (the default without --send).
    #[arg(long, conflicts_with = "send")]
    pub dry_run: bool,
    /// Folder of a dry run's .eml files (its earlier .eml files are removed). Default:
    /// PRIVATE/mail/outbox.
    #[arg(long, value_name = "DIR")]
    pub eml_dir: Option<PathBuf>,
    /// Really send, through the SMTP server named by ROUNDTABLE_SMTP_HOST.
    #[arg(long)]
    pub send: bool,
    /// Deliver every message to this address instead of the attendees (the organizer's test;
    /// the messages are unchanged, nothing is recorded in the journal).
    #[arg(long, value_name = "EMAIL")]
    pub to_only: Option<String>,
    /// The mail account's address, when it is not the organizer's: written as `Sender:` and
    /// used as the envelope sender (`From:` stays the organizer, as calendars require).
    #[arg(long, value_name = "EMAIL")]
    pub sender: Option<String>,
    /// At most this many messages per minute (`30/min`, `2/s`; `0` for no limit).
    #[arg(long, value_name = "N/min", default_value = "60/min")]
    pub rate: String,
    /// Retries of one message after a temporary failure (4xx answer, no connection), waiting
    /// 2 s, then 4 s, 8 s, ...
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,
    /// Wait before the first retry, in milliseconds.
    #[arg(long, default_value_t = 2000, hide = true)]
    pub retry_wait_ms: u64,
    /// Fail at once, instead of waiting, when another roundtable run is writing the same
    /// private folder or lock file.
    #[arg(long)]
    pub no_wait: bool,
}

/// Arguments of `roundtable replies`.
#[derive(Debug, clap::Args)]
pub struct RepliesArgs {
    /// The programme file (TOML).
    pub file: PathBuf,
    /// The organizer's mailbox: a Maildir, an mbox file, or a folder of .eml/.ics files.
    #[arg(long, value_name = "PATH")]
    pub mailbox: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::mail::replies::Format::Text)]
    pub format: crate::mail::replies::Format,
}

/// Arguments of `roundtable times`.
#[derive(Debug, clap::Args)]
pub struct TimesArgs {
    /// The programme file (TOML).
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = times::Format::Text)]
    pub format: times::Format,
    /// Only this participant (by e-mail); repeat for several.
    #[arg(long = "participant", value_name = "EMAIL")]
    pub participants: Vec<String>,
    /// Show the sessions in this one zone instead of per participant ("when is this for me?").
    #[arg(long, value_name = "ZONE", conflicts_with = "participants", value_parser = parse_zone)]
    pub tz: Option<crate::zone::ZoneSpec>,
}
