//! What each subcommand does, from parsed arguments to text on standard output.

use std::io::Write;

use crate::cli::{Cli, Command, InvitesArgs, TimesArgs};
use crate::error::{Diagnostic, Error, Result, did_you_mean};
use crate::occurrence;
use crate::programme::Programme;
use crate::times;
use crate::view;
use crate::zone::ZoneSpec;

/// Runs a parsed command line. Output goes to `out`, warnings to `err`. Returns the exit code
/// for success (0) or failed checks (1); errors are returned, and exit with code 2.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    match cli.command {
        Command::Times(args) => times_command(&args, out, err),
        Command::Invites(args) => invites_command(&args, out, err),
    }
}

fn print_warnings(err: &mut dyn Write, warnings: &[Diagnostic]) {
    for w in warnings {
        let _ = writeln!(err, "{w}");
    }
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(std::path::Path::new("<stdout>"), e))
}

fn times_command(args: &TimesArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let loaded = Programme::load(&args.file)?;
    let programme = &loaded.programme;
    print_warnings(err, &loaded.warnings);
    let schedule = occurrence::expand(programme)?;
    print_warnings(err, &schedule.warnings);
    let zone;
    let rows = if let Some(tz) = &args.tz {
        zone = tz.parse::<ZoneSpec>().map_err(|e| {
            Error::Usage(format!(
                "--tz: {}{}",
                e.message,
                e.help.map_or(String::new(), |h| format!("\n  help: {h}"))
            ))
        })?;
        view::zone_rows(programme, &schedule, &zone)
    } else if args.participants.is_empty() {
        view::participant_rows(programme, &schedule, None)
    } else {
        let mut only = Vec::new();
        for wanted in &args.participants {
            match programme
                .participants
                .iter()
                .position(|p| p.email.eq_ignore_ascii_case(wanted))
            {
                Some(i) => only.push(i),
                None => {
                    let hint = did_you_mean(
                        wanted,
                        programme.participants.iter().map(|p| p.email.as_str()),
                    )
                    .map_or(String::new(), |s| format!("\n  help: did you mean `{s}`?"));
                    return Err(Error::Usage(format!(
                        "--participant: no participant has the e-mail `{wanted}` in {}{hint}",
                        args.file.display()
                    )));
                }
            }
        }
        view::participant_rows(programme, &schedule, Some(&only))
    };
    write_out(out, &times::render(programme, &rows, args.format))?;
    Ok(0)
}

fn invites_command(args: &InvitesArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let loaded = Programme::load(&args.file)?;
    print_warnings(err, &loaded.warnings);
    let schedule = occurrence::expand(&loaded.programme)?;
    print_warnings(err, &schedule.warnings);
    let (plan, written) =
        crate::invites::run(&loaded.programme, &schedule, &args.out, args.dry_run)?;
    let mut text = plan.render();
    if args.dry_run {
        text.push_str("dry run: nothing written\n");
    } else {
        text.push_str(&format!(
            "wrote {written} calendars to {}\n",
            args.out.display()
        ));
    }
    write_out(out, &text)?;
    Ok(0)
}
