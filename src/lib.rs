//! roundtable schedules online sessions across time zones.
//!
//! The data flows one way, and the modules are named for its stages:
//!
//! ```text
//! programme.toml (+ participants.csv)
//!   │  programme::raw (serde mirror) → programme::validate → Programme
//!   ▼
//! occurrence::expand  (recurrence in civil time; civil::resolve, one Disambiguation policy)
//!   ▼
//! view (per-participant local times; an instant → local time never fails)
//!   ├─► times (text | json | csv)
//!   └─► invites (ics: text, vtimezone, lock; output: staged folder swapped in at once)
//! ```
//!
//! ```
//! use roundtable::programme::Programme;
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("p.toml");
//! std::fs::write(&path, r#"
//! [programme]
//! id = "demo"
//! title = "Demo"
//! timezone = "Europe/Paris"
//! organizer = { name = "Org", email = "org@example.org" }
//!
//! [[session]]
//! id = "kickoff"
//! title = "Kick-off"
//! start = "2023-11-15T09:00"
//! duration = "2h"
//! audience = "all"
//!
//! [[participant]]
//! name = "Ana"
//! email = "ana@example.org"
//! timezone = "America/Sao_Paulo"
//! "#).unwrap();
//! let loaded = Programme::load(&path).unwrap();
//! let schedule = roundtable::occurrence::expand(&loaded.programme).unwrap();
//! let rows = roundtable::view::participant_rows(&loaded.programme, &schedule, None);
//! assert_eq!(rows[0].start_local.to_rfc3339(), "2023-11-15T05:00:00-03:00");
//! ```

#![warn(missing_docs)]

pub(crate) mod address;
pub mod busy;
pub(crate) mod changes;
pub mod check;
pub mod civil;
#[doc(hidden)]
pub mod cli;
pub(crate) mod comfort;
pub mod duration;
pub mod error;
// The benchmarks' programme generator (`roundtable generate`, hidden from the help too).
#[doc(hidden)]
pub mod generate;
pub(crate) mod hex;
pub mod hours;
pub mod i18n;
pub mod ics;
pub(crate) mod input;
pub mod invites;
pub(crate) mod jobs;
pub(crate) mod mail;
pub(crate) mod neutralise;
pub mod occurrence;
pub(crate) mod output;
pub mod page;
pub mod plan;
pub mod programme;
pub mod recurrence;
#[doc(hidden)]
pub mod run;
pub mod times;
pub mod view;
pub(crate) mod weekend;
pub(crate) mod word_scan;
pub mod zone;

pub use jobs::Jobs;
pub use run::run;
