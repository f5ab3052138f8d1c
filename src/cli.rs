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
