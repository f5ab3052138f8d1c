//! The `roundtable` binary: parse arguments, run the library, print the error, set the exit code.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = roundtable::cli::Cli::parse();
    let stdout = std::io::stdout();
    let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let stderr = std::io::stderr();
    let mut console = roundtable::run::Console {
        out: &mut stdout.lock(),
        err: &mut stderr.lock(),
        colour,
    };
    match roundtable::run(cli, &mut console) {
        Ok(code) => ExitCode::from(code),
        // `roundtable times … | head -1`: the reader closed the pipe, having what it wanted.
        Err(e) if e.is_closed_stdout() => ExitCode::SUCCESS,
        Err(e) => {
            use std::io::Write as _;
            // Never a panic, even when standard error is closed too.
            let _ = writeln!(std::io::stderr(), "{e}");
            ExitCode::from(e.exit_code())
        }
    }
}
