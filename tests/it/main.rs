//! The integration tests, one crate (one link of the binary's library, one run), a module per
//! topic; `support` holds the helpers they share. `cargo test --test it MODULE::` runs one topic.

mod support;

mod busy;
mod busy_corpus;
mod busy_fetch;
mod busy_unreadable;
mod catalogue;
mod changes;
mod check;
mod cli;
mod clients;
mod dst;
mod examples;
mod forms;
mod fuzz_regressions;
mod generate;
mod i18n;
mod ics_parsers;
mod ics_shapes;
mod invites;
mod jobs;
mod kill;
mod occurrence_overrides;
mod oracle;
mod page;
mod page_i18n;
mod plan;
mod properties;
mod publish;
mod replies;
mod report_summary;
mod send;
mod sweep;
mod vtimezone;
