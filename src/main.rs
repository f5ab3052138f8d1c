//! The `roundtable` binary: parse arguments, run the library, print the error, set the exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = roundtable::cli::Cli::parse();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    match roundtable::run(cli, &mut stdout.lock(), &mut stderr.lock()) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}
