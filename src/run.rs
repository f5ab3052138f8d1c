//! What each subcommand does, from parsed arguments to text on standard output.

use std::io::Write;

use crate::cli::{
    BuildArgs, CheckArgs, Cli, Command, InvitesArgs, PlanArgs, SendArgs, SplitArgs, SuggestArgs,
    TimesArgs,
};
use crate::error::{Diagnostic, Error, Result, did_you_mean};
use crate::occurrence;
use crate::programme::Programme;
use crate::times;
use crate::view;

/// Where output goes, and whether it may be coloured (a terminal, and `NO_COLOR` unset).
pub struct Console<'a> {
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error: warnings.
    pub err: &'a mut dyn Write,
    /// Colour text reports.
    pub colour: bool,
}

/// Runs a parsed command line. Returns the exit code for success (0) or failed checks (1);
/// errors are returned, and exit with code 2.
pub fn run(cli: Cli, console: &mut Console<'_>) -> Result<u8> {
    let (out, err) = (&mut *console.out, &mut *console.err);
    match cli.command {
        Command::Times(args) => times_command(&args, out, err),
        Command::Invites(args) => invites_command(&args, out, err),
        Command::Check(args) => check_command(&args, out, err, console.colour),
        Command::Send(args) => send_command(&args, out, err),
        Command::Replies(args) => replies_command(&args, out, err),
        Command::Suggest(args) => suggest_command(&args, out, err),
        Command::Split(args) => split_command(&args, out, err),
        Command::Build(args) => build_command(&args, out, err),
        Command::Generate {
            out: dir,
            participants,
            sessions,
            busy,
            seed,
        } => {
            crate::generate::generate(&dir, participants, sessions, busy, seed)?;
            Ok(0)
        }
        Command::Completions { shell } => {
            // Rendered first, then written: clap_complete panics when its writes fail (a
            // closed pipe), and write_out reports that as a closed stdout instead.
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "roundtable", &mut script);
            write_out(out, &String::from_utf8_lossy(&script))?;
            Ok(0)
        }
    }
}

fn print_warnings(err: &mut dyn Write, warnings: &[Diagnostic]) {
    for w in crate::error::cap_alike(warnings, crate::error::MAX_ALIKE) {
        let _ = writeln!(err, "{w}");
    }
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(std::path::Path::new(Error::STDOUT), e))
}

fn times_command(args: &TimesArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let loaded = Programme::load(&args.file)?;
    let programme = &loaded.programme;
    print_warnings(err, &loaded.warnings);
    let schedule = occurrence::expand(programme)?;
    print_warnings(err, &schedule.warnings);
    let stream = |out: &mut dyn Write, rows: &mut dyn Iterator<Item = view::LocalRow<'_>>| {
        times::write(out, programme, rows, args.format)
            .map_err(|e| Error::io(std::path::Path::new(Error::STDOUT), e))
    };
    if let Some(zone) = &args.tz {
        stream(
            out,
            &mut view::zone_rows(programme, &schedule, zone).into_iter(),
        )?;
    } else if args.participants.is_empty() {
        stream(
            out,
            &mut view::participant_rows_iter(programme, &schedule, None),
        )?;
    } else {
        let mut only = Vec::new();
        for wanted in &args.participants {
            let key = crate::programme::email::normalise(wanted);
            match programme
                .participants
                .iter()
                .position(|p| crate::programme::email::normalise(&p.email) == key)
            {
                Some(i) => only.push(i),
                None => {
                    let emails = programme.participants.iter().map(|p| p.email.as_str());
                    return Err(Error::usage(format!(
                        "--participant: no participant has the e-mail `{wanted}` in {}",
                        args.file.display()
                    ))
                    .with_suggestion(did_you_mean(wanted, emails)));
                }
            }
        }
        stream(
            out,
            &mut view::participant_rows_iter(programme, &schedule, Some(&only)),
        )?;
    }
    Ok(0)
}

/// How a writing run waits for another, from `--no-wait`; waiting is said on standard error.
fn wait_policy(private: &crate::cli::PrivateArgs) -> crate::output::Wait {
    if private.no_wait {
        crate::output::Wait::NoWait
    } else {
        crate::output::Wait::Wait
    }
}

fn waiting_notice(err: &mut dyn Write) -> impl FnMut(&std::path::Path) + '_ {
    |path: &std::path::Path| {
        let _ = writeln!(
            err,
            "waiting for another roundtable run to finish (it holds {}) ...",
            path.display()
        );
    }
}

/// The two output folders and the calendar-address key of a writing run (`invites`, `build`).
fn outputs_and_key(
    programme: &Programme,
    out: &std::path::Path,
    private: &crate::cli::PrivateArgs,
    err: &mut dyn Write,
) -> Result<(std::path::PathBuf, crate::address::Key)> {
    let private_dir = match &private.private {
        Some(p) => p.clone(),
        None => crate::output::private_beside(out)?,
    };
    let mut notices = Vec::new();
    let key = crate::address::find_key(
        private.key_file.as_deref(),
        &crate::address::KeyEnv::from_process(),
        &programme.id,
        &mut notices,
    )?;
    print_warnings(err, &notices);
    Ok((private_dir, key))
}

fn written_line(
    what: &str,
    written: crate::invites::Written,
    out: &std::path::Path,
    private: &std::path::Path,
) -> String {
    format!(
        "wrote {} files to {} ({what}; public: safe to publish) and {} to {} (organizer only: e-mails, names, invitations, reports; never publish it)\n",
        written.public,
        out.display(),
        written.private,
        private.display()
    )
}

fn invites_command(args: &InvitesArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let loaded = Programme::load_with(&args.file, args.jobs)?;
    print_warnings(err, &loaded.warnings);
    let schedule = occurrence::expand(&loaded.programme)?;
    print_warnings(err, &schedule.warnings);
    if args.dry_run {
        let programme = &loaded.programme;
        let lock = crate::ics::lock::read(&crate::ics::lock::path_for(&programme.source))?;
        // The key names attendees added and removed; a dry run never generates one.
        let key = crate::address::find_existing_key(
            args.private.key_file.as_deref(),
            &crate::address::KeyEnv::from_process(),
            &programme.id,
        )?;
        let prepared =
            crate::invites::prepare(programme, &schedule, &lock, key.as_ref(), args.jobs)?;
        print_warnings(err, &prepared.plan.warnings(programme));
        let text = match args.format {
            crate::cli::PlanFormat::Text => {
                let mut text = prepared
                    .plan
                    .render(programme, crate::changes::render::Show::Emails);
                text.push_str("dry run: nothing written\n");
                text
            }
            crate::cli::PlanFormat::Json => crate::changes::render::json(&prepared.plan, programme),
        };
        return write_out(out, &text).map(|()| 0);
    }
    let (private, key) = outputs_and_key(&loaded.programme, &args.out, &args.private, err)?;
    let outputs = crate::invites::Outputs {
        public: &args.out,
        private: &private,
    };
    let mut notice = waiting_notice(err);
    let options = crate::invites::RunOptions {
        key: &key,
        wait: wait_policy(&args.private),
        on_wait: &mut notice,
        jobs: args.jobs,
    };
    let (plan, written) = crate::invites::run(&loaded.programme, &schedule, outputs, options)?;
    drop(notice);
    print_warnings(err, &plan.warnings(&loaded.programme));
    // Counts of attendees, not e-mails: this summary lands in CI logs (`--dry-run` names them).
    let mut text = plan.render(&loaded.programme, crate::changes::render::Show::Counts);
    text.push_str(&written_line("calendars", written, &args.out, &private));
    write_out(out, &text)?;
    Ok(0)
}

fn check_command(
    args: &CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    colour: bool,
) -> Result<u8> {
    let loaded = Programme::load_with(&args.file, args.jobs)?;
    print_warnings(err, &loaded.warnings);
    let schedule = occurrence::expand(&loaded.programme)?;
    print_warnings(err, &schedule.warnings);
    let busy = crate::check::load_busy(
        &loaded.programme,
        &schedule,
        args.strict_busy,
        &args.fetch.options(),
        args.jobs,
    )?;
    let report = crate::check::check(&loaded.programme, &schedule, &busy, args.jobs);
    // Freed while the report is written.
    crate::jobs::drop_beside(args.jobs, busy);
    if args.public {
        // Which participant's calendar, and why, is private: the public output says nothing
        // of it, and the log only how many.
        let unreadable = report
            .busy_calendars
            .iter()
            .filter(|s| s.unreadable())
            .count();
        if unreadable > 0 {
            let _ = writeln!(
                err,
                "warning: {unreadable} busy calendar(s) could not be read; their clashes are not checked\n  help: run `roundtable check` without --public (privately) to see which, or add --strict-busy to stop instead"
            );
        }
        let summary = crate::check::public::summary(&loaded.programme, &schedule, &report);
        write_out(
            out,
            &crate::check::public::render(&loaded.programme, &summary, args.format),
        )?;
        return Ok(report.exit_code(args.fail_on.threshold()));
    }
    let colour = colour && args.format == crate::check::report::Format::Text;
    crate::check::report::write(
        out,
        (&loaded.programme, &schedule, &report),
        args.format,
        colour,
        args.jobs,
    )
    .and_then(|()| out.flush())
    .map_err(|e| Error::io(std::path::Path::new(Error::STDOUT), e))?;
    let code = report.exit_code(args.fail_on.threshold());
    // The process may exit while they are freed.
    crate::jobs::drop_beside(args.jobs, (report, schedule, loaded));
    Ok(code)
}

/// What `suggest` and `split` share, from their arguments.
struct PlanSetup {
    programme: Programme,
    /// The audience (participant indices).
    who: Vec<usize>,
    /// Required participants (indices): marked `required`, or in a `--required` group.
    required: Vec<usize>,
    minutes: i64,
    step: chrono::Duration,
    /// `--session`, as an index.
    session: Option<usize>,
}

impl PlanSetup {
    /// What the planner is asked, with everyone's commitments.
    fn request<'a>(
        &'a self,
        availability: &'a crate::plan::Availability,
        allow_overlap: bool,
    ) -> crate::plan::Request<'a> {
        crate::plan::Request {
            programme: &self.programme,
            who: &self.who,
            required: &self.required,
            minutes: self.minutes,
            availability,
            allow_overlap,
        }
    }
}

/// The group indices of `--audience`/`--required` ids, or a usage error naming `flag`.
fn group_indices(
    programme: &Programme,
    file: &std::path::Path,
    flag: &str,
    ids: &[String],
) -> Result<Vec<usize>> {
    ids.iter()
        .map(|wanted| {
            programme
                .groups
                .iter()
                .position(|g| &g.id == wanted)
                .ok_or_else(|| {
                    let ids = programme.groups.iter().map(|g| g.id.as_str());
                    Error::usage(format!("{flag}: no group `{wanted}` in {}", file.display()))
                        .with_suggestion(did_you_mean(wanted, ids))
                })
        })
        .collect()
}

fn plan_inputs(args: &PlanArgs, err: &mut dyn Write) -> Result<PlanSetup> {
    let loaded = Programme::load(&args.file)?;
    print_warnings(err, &loaded.warnings);
    let programme = loaded.programme;
    let session = match &args.session {
        None => None,
        Some(id) => Some(
            programme
                .sessions
                .iter()
                .position(|s| &s.id == id)
                .ok_or_else(|| {
                    let ids = programme.sessions.iter().map(|s| s.id.as_str());
                    Error::usage(format!(
                        "--session: no session `{id}` in {}",
                        args.file.display()
                    ))
                    .with_suggestion(did_you_mean(id, ids))
                })?,
        ),
    };
    let who: Vec<usize> = if !args.audience.is_empty() {
        let groups = group_indices(&programme, &args.file, "--audience", &args.audience)?;
        programme.audience_of_groups(&groups)
    } else if let Some(s) = session {
        programme.audience_of(&programme.sessions[s])
    } else {
        (0..programme.participants.len()).collect()
    };
    if who.is_empty() {
        return Err(Error::usage(
            "the audience has no participants; add participants or choose other groups",
        ));
    }
    let required_groups = group_indices(&programme, &args.file, "--required", &args.required)?;
    let required: Vec<usize> = programme
        .participants
        .iter()
        .enumerate()
        .filter(|(_, p)| p.required || p.groups.iter().any(|g| required_groups.contains(g)))
        .map(|(i, _)| i)
        .collect();
    Ok(PlanSetup {
        programme,
        who,
        required,
        minutes: args.duration.num_minutes(),
        step: args.step,
        session,
    })
}

/// Everyone's commitments while `slots` run: the programme's other sessions and busy calendars.
fn plan_availability(
    setup: &PlanSetup,
    args: &PlanArgs,
    slots: &[chrono::DateTime<chrono::Utc>],
    err: &mut dyn Write,
) -> Result<crate::plan::Availability> {
    let programme = &setup.programme;
    let (Some(&first), Some(&last)) = (slots.first(), slots.last()) else {
        return Ok(crate::plan::Availability::none(
            programme.participants.len(),
        ));
    };
    let window = (first, last + chrono::Duration::minutes(setup.minutes));
    let schedule = occurrence::expand(programme)?;
    // Only the calendars of those planned for: the audience and the required participants.
    let planned: Vec<usize> = setup.who.iter().chain(&setup.required).copied().collect();
    let calendars = crate::check::load_busy_between(
        programme,
        &planned,
        window,
        args.strict_busy,
        &args.fetch.options(),
    )?;
    for status in calendars.status.iter().filter(|s| s.unreadable()) {
        let p = &programme.participants[status.participant];
        let _ = writeln!(
            err,
            "warning: the busy calendar of {} cannot be read: they are planned as if free (--strict-busy stops instead)",
            crate::neutralise::terminal(&p.email)
        );
        print_warnings(err, &status.problems);
    }
    Ok(crate::plan::Availability::new(
        programme,
        &schedule,
        setup.session,
        &calendars.busy,
        window,
    ))
}

fn suggest_command(args: &SuggestArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let setup = plan_inputs(&args.plan, err)?;
    if args.to < args.from {
        return Err(Error::usage(format!(
            "--to {} is before --from {}",
            args.to, args.from
        )));
    }
    if (args.to - args.from).num_days() > 31 {
        return Err(Error::usage(
            "the window is longer than 31 days; choose a shorter one",
        ));
    }
    let slots = crate::plan::grid(&setup.programme, args.from, args.to, setup.step);
    let availability = plan_availability(&setup, &args.plan, &slots, err)?;
    let request = setup.request(&availability, args.plan.allow_overlap);
    let found = crate::plan::suggest_with(&request, &slots, args.top, !args.every_start);
    write_out(
        out,
        &crate::plan::report::suggestions(&setup.programme, &found, args.format),
    )?;
    Ok(u8::from(found.outcome != crate::plan::Outcome::Satisfied))
}

fn split_command(args: &SplitArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let setup = plan_inputs(&args.plan, err)?;
    let slots = crate::plan::grid(&setup.programme, args.date, args.date, setup.step);
    let availability = plan_availability(&setup, &args.plan, &slots, err)?;
    let request = setup.request(&availability, args.plan.allow_overlap);
    let planner = crate::plan::Planner::new(request, &slots);
    // The gain report (text) and `auto` need the optimum for K = 1..4; JSON and TOML do not.
    let needs_totals = args.editions == crate::cli::Editions::Auto
        || args.format == crate::plan::report::SplitFormat::Text;
    let totals: Vec<i64> = if needs_totals {
        (1..=4)
            .filter_map(|k| planner.split(k).ok())
            .map(|s| s.total_score)
            .collect()
    } else {
        Vec::new()
    };
    let k = match args.editions {
        crate::cli::Editions::Auto => {
            crate::plan::auto_editions(&totals, setup.who.len(), setup.minutes)
        }
        crate::cli::Editions::Count(k) => k,
    };
    let plan = planner.split(k).map_err(|problem| match problem {
        crate::plan::SplitProblem::TooFewStarts { starts } => Error::usage(format!(
            "cannot choose {k} editions from {starts} start times; use a smaller --step"
        )),
        crate::plan::SplitProblem::TooFewFree { free } => Error::usage(format!(
            "only {free} start time{} on {} {} free for the whole audience (the others overlap a session they attend or their busy calendars); use --allow-overlap to plan over them, or another --date",
            if free == 1 { "" } else { "s" },
            args.date,
            if free == 1 { "is" } else { "are" }
        )),
    })?;
    let naming = crate::plan::report::Naming::new(
        &setup.programme,
        setup.session,
        args.id_prefix.as_deref(),
        args.title.as_deref(),
        args.date,
        k,
    )
    .map_err(Error::usage)?;
    write_out(
        out,
        &crate::plan::report::split(
            &setup.programme,
            &plan,
            args.format,
            &totals,
            &crate::duration::format_minutes(setup.minutes),
            &naming,
        ),
    )?;
    Ok(u8::from(plan.required_miss > 0))
}

fn build_command(args: &BuildArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let loaded = Programme::load_with(&args.file, args.jobs)?;
    let programme = &loaded.programme;
    print_warnings(err, &loaded.warnings);
    let schedule = occurrence::expand(programme)?;
    print_warnings(err, &schedule.warnings);
    let fetch = args.fetch.options();
    if let Some(cache) = &fetch.cache {
        // The cache holds other people's calendars: never publish it.
        crate::output::check_apart(&args.out, cache).map_err(|_| {
            crate::error::Error::usage(format!(
                "--busy-cache {} and --out {} overlap: the cache of busy calendars must not be inside the published folder, nor hold it",
                cache.display(),
                args.out.display()
            )).with_help("choose another --busy-cache")
        })?;
    }
    let busy = crate::check::load_busy(programme, &schedule, args.strict_busy, &fetch, args.jobs)?;
    let report = crate::check::check(programme, &schedule, &busy, args.jobs);
    crate::jobs::drop_beside(args.jobs, busy);
    // Answers are matched against the SEQUENCEs this run publishes.
    let attendance = match &args.mailbox {
        Some(mailbox) => {
            let lock = crate::ics::lock::read(&crate::ics::lock::path_for(&programme.source))?;
            Some(crate::mail::replies::run(
                programme, &schedule, &lock, mailbox,
            )?)
        }
        None => None,
    };
    let answers = attendance
        .as_ref()
        .map(crate::mail::replies::Report::counts);
    let (private, key) = outputs_and_key(programme, &args.out, &args.private, err)?;
    let outputs = crate::invites::Outputs {
        public: &args.out,
        private: &private,
    };
    let mut notice = waiting_notice(err);
    let options = crate::invites::RunOptions {
        key: &key,
        wait: wait_policy(&args.private),
        on_wait: &mut notice,
        jobs: args.jobs,
    };
    let (plan, written) = crate::invites::run_with(
        programme,
        &schedule,
        outputs,
        options,
        |public, private, stems| {
            let private_files =
                write_private_reports(private, programme, &schedule, &report, attendance.as_ref())?;
            let page = crate::page::render(programme, &schedule, &report, stems, answers.as_ref());
            public.write("index.html", page.as_bytes())?;
            Ok(crate::invites::Written {
                public: 1,
                private: private_files,
            })
        },
    )?;
    drop(notice);
    print_warnings(err, &plan.warnings(programme));
    // Counts of attendees, not e-mails: this summary lands in CI logs (`--dry-run` names them).
    let mut text = plan.render(programme, crate::changes::render::Show::Counts);
    text.push_str(&written_line(
        "index.html, calendars",
        written,
        &args.out,
        &private,
    ));
    text.push_str(&conflict_counts(&report, &private));
    write_out(out, &text)?;
    Ok(args.fail_on.map_or(0, |f| report.exit_code(f.threshold())))
}

/// `build`'s private reports: the conflict report (markdown and JSON) and, when a mailbox was
/// read, the attendance; returns how many files it wrote. The JSON is written on one thread,
/// straight to its file: rendering its arrays a window of chunks at a time on the jobs threads
/// (as `check` does) held megabytes of text beside `build`'s peak at 100,000 participants
/// (issue 19's memory target), for a file nobody waits for on a terminal.
fn write_private_reports(
    private: &crate::output::Staging,
    programme: &crate::programme::Programme,
    schedule: &occurrence::Schedule,
    report: &crate::check::Report,
    attendance: Option<&crate::mail::replies::Report>,
) -> Result<usize> {
    use crate::check::report::{Format, render};
    private.write(
        "report.md",
        render(programme, schedule, report, Format::Markdown, false).as_bytes(),
    )?;
    let (path, mut json) = private.create("report.json")?;
    let parts = (programme, schedule, report);
    crate::check::report::write(
        &mut json,
        parts,
        Format::Json,
        false,
        crate::jobs::Jobs::ONE,
    )
    .and_then(|()| json.flush())
    .map_err(|e| Error::io(&path, e))?;
    let Some(a) = attendance else {
        return Ok(2);
    };
    use crate::mail::replies::Format as AFormat;
    private.write(
        "attendance.md",
        a.render(programme, AFormat::Markdown).as_bytes(),
    )?;
    private.write(
        "attendance.json",
        a.render(programme, AFormat::Json).as_bytes(),
    )?;
    Ok(4)
}

/// The lines of `build`'s summary on the conflicts and the busy calendars: counts only, as this
/// summary lands in CI logs; the report says whose and why.
fn conflict_counts(report: &crate::check::Report, private: &std::path::Path) -> String {
    let crate::check::SeverityCounts {
        errors: e,
        warnings: w,
        info: i,
    } = report.counts();
    let mut text = format!(
        "conflicts: {e} errors, {w} warnings, {i} info (the report is in {})\n",
        private.display()
    );
    let unreadable = report
        .busy_calendars
        .iter()
        .filter(|s| s.unreadable())
        .count();
    let noted = report.busy_calendars.len() - unreadable;
    if unreadable + noted > 0 {
        text.push_str(&format!(
            "busy calendars: {unreadable} unreadable (their clashes are not checked), {noted} read with notes (see the report)\n"
        ));
    }
    text
}

/// `--rate`: `N/min`, `N/s`, `N/h` or `N` (per minute) as messages per minute.
fn parse_rate(rate: &str) -> Result<u32> {
    let (n, per) = rate.trim().split_once('/').unwrap_or((rate.trim(), "min"));
    let factor = match per.trim() {
        "min" | "m" => Some(1.0),
        "s" | "sec" => Some(60.0),
        "h" | "hour" => Some(1.0 / 60.0),
        _ => None,
    };
    match (n.trim().parse::<u32>(), factor) {
        (Ok(n), Some(f)) => {
            let per_minute = (f64::from(n) * f).ceil();
            Ok(if per_minute > f64::from(u32::MAX) {
                u32::MAX
            } else {
                per_minute as u32
            })
        }
        _ => Err(
            Error::usage(format!("--rate `{}`: not a rate", rate.escape_debug()))
                .with_help("write it as 30/min, 2/s or 600/h (0 for no limit)"),
        ),
    }
}

fn send_command(args: &SendArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let per_minute = parse_rate(&args.rate)?;
    let loaded = Programme::load(&args.file)?;
    print_warnings(err, &loaded.warnings);
    let schedule = occurrence::expand(&loaded.programme)?;
    print_warnings(err, &schedule.warnings);
    let private = match &args.private {
        Some(p) => p.clone(),
        None => crate::output::private_beside(&args.out)?,
    };
    let mut smtp = None;
    if args.send {
        let config = crate::mail::smtp::Config::from_env(|k| std::env::var(k).ok())?;
        let _ = writeln!(err, "sending through {}", config.describe());
        smtp = Some(crate::mail::smtp::Smtp::new(&config)?);
    }
    let mode = match smtp.as_mut() {
        Some(s) => crate::mail::Mode::Send(s),
        None => crate::mail::Mode::DryRun(
            args.eml_dir
                .clone()
                .unwrap_or_else(|| private.join(crate::mail::OUTBOX)),
        ),
    };
    let mut notice = waiting_notice(err);
    let options = crate::mail::Options {
        private: &private,
        mode,
        to_only: args.to_only.as_deref(),
        sender: args.sender.as_deref(),
        per_minute,
        retries: args.retries,
        retry_wait: std::time::Duration::from_millis(args.retry_wait_ms),
        wait: if args.no_wait {
            crate::output::Wait::NoWait
        } else {
            crate::output::Wait::Wait
        },
        on_wait: &mut notice,
    };
    let report = crate::mail::run(&loaded.programme, &schedule, options)?;
    write_out(out, &report.render())?;
    Ok(report.exit_code())
}

fn replies_command(
    args: &crate::cli::RepliesArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8> {
    let loaded = Programme::load(&args.file)?;
    print_warnings(err, &loaded.warnings);
    let schedule = occurrence::expand(&loaded.programme)?;
    print_warnings(err, &schedule.warnings);
    let lock_path = crate::ics::lock::path_for(&loaded.programme.source);
    let lock = crate::ics::lock::read(&lock_path)?;
    if lock.events.is_empty() {
        let _ = writeln!(
            err,
            "warning: {} holds no published event; run `roundtable invites` first",
            lock_path.display()
        );
    }
    let report = crate::mail::replies::run(&loaded.programme, &schedule, &lock, &args.mailbox)?;
    write_out(out, &report.render(&loaded.programme, args.format))?;
    Ok(0)
}
