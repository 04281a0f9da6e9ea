//! `womsim` binary: parse, execute, map errors to exit codes
//! (0 ok, 2 invalid input, 1 failure while running).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A closed stdout (`womsim list | head`) ends the program quietly, as it
    // does every other command-line tool, instead of a panic in `println!`:
    // Rust starts with SIGPIPE ignored, so restore the default action. Results
    // files are written before the table is printed, each atomically.
    #[cfg(target_os = "linux")]
    // SAFETY: called first, before any thread exists; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let parsed = match cli::args::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version go to stdout with exit 0; usage errors exit 2.
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(cli::EXIT_INVALID as u8) } else { ExitCode::SUCCESS };
        }
    };
    match cli::execute(parsed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", cli::render_error(&e.error));
            ExitCode::from(e.code as u8)
        }
    }
}
