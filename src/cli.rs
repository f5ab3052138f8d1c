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
    /// Writes OUT/<programme-id>.ics, OUT/participants/<slug>.ics (+ index.csv),
    /// OUT/sessions/<session-id>.ics and, for sessions removed since the last run,
    /// OUT/sessions/<session-id>.cancel.ics. SEQUENCE numbers are kept in <FILE>.lock,
    /// which is meant to be committed. Set SOURCE_DATE_EPOCH for byte-identical output.
    ///
    /// Examples:
    ///   roundtable invites sessions/peer-learning-2023-11.toml --out public/
    ///   roundtable invites programme.toml --out public/ --dry-run
    #[command(verbatim_doc_comment)]
    Invites(InvitesArgs),
    /// Conflicts: night and out-of-hours sessions, double bookings, busy calendars, weekends,
    /// series that shift by an hour, local dates that differ.
    ///
    /// Exit status: 1 when any conflict is at or above --fail-on (default: error), else 0;
    /// 2 for invalid input.
    ///
    /// Examples:
    ///   roundtable check sessions/peer-learning-2023-11.toml
    ///   roundtable check programme.toml --format markdown --fail-on never > report.md
    ///   roundtable check programme.toml --format json --fail-on warning
    #[command(verbatim_doc_comment)]
    Check(CheckArgs),
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
    #[arg(long, value_enum, default_value_t = crate::check::Severity::Error)]
    pub fail_on: crate::check::Severity,
}

/// Arguments of `roundtable invites`.
#[derive(Debug, clap::Args)]
pub struct InvitesArgs {
    /// The programme file (TOML).
    pub file: PathBuf,
    /// The output folder (created if needed; replaced as a whole).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Print what would change (new / changed / unchanged / cancelled) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
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
    #[arg(long, value_name = "ZONE", conflicts_with = "participants")]
    pub tz: Option<String>,
}
