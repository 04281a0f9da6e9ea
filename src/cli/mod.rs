//! The `womsim` command line: argument syntax (`args`), resolution of
//! arguments against scenarios (`config`), and the commands. The library
//! never sees clap; everything here sits around the pure engine.

pub mod args;
pub mod commands;
pub mod config;
pub mod exports;
pub mod network;
pub mod run;
pub mod summary;

use std::fmt;
use std::path::{Path, PathBuf};

use womsim::scenario::{self, Scenario};
use womsim::seeding::{Band, SeedingError, StrategyKind, StrategySpec};

use args::{Cli, Command};

/// Exit code: invalid input (scenario, flags, files, existing output).
pub const EXIT_INVALID: i32 = 2;
/// Exit code: failure while running.
pub const EXIT_FAILURE: i32 = 1;

/// An error and the exit code it maps to.
pub struct CliError {
    pub code: i32,
    pub error: anyhow::Error,
}

impl From<anyhow::Error> for CliError {
    /// Anything not explicitly marked as invalid input is a run failure.
    fn from(error: anyhow::Error) -> Self {
        CliError { code: EXIT_FAILURE, error }
    }
}

impl fmt::Debug for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit {}: {:#}", self.code, self.error)
    }
}

/// Mark an error as invalid input (exit 2).
pub fn invalid<E: Into<anyhow::Error>>(e: E) -> CliError {
    CliError { code: EXIT_INVALID, error: e.into() }
}

/// `error: A: caused by B: caused by C` — the whole chain on one line; a
/// multi-line cause (a list of scenario problems) is listed one problem per
/// indented line.
pub fn render_error(e: &anyhow::Error) -> String {
    let mut s = format!("error: {e}");
    for cause in e.chain().skip(1) {
        let text = cause.to_string();
        if text.contains('\n') {
            // A list of problems: one per line, indented under the chain.
            s.push_str(": caused by:");
            for line in text.lines() {
                s.push_str("\n  ");
                s.push_str(line);
            }
        } else {
            s.push_str(": caused by ");
            s.push_str(&text);
        }
    }
    s
}

/// A strategy that cannot pick its seeds, naming the strategy and, where one
/// is to blame, its key like the scenario checks do:
/// `strategy "a" (explicit) cannot pick its seeds: caused by strategy[1].nodes: node id "9" is not in the network`.
pub fn seeding_error(index: usize, spec: &StrategySpec, e: SeedingError) -> anyhow::Error {
    let key = match (&e, &spec.kind) {
        (SeedingError::UnknownNode(_), _) => Some("nodes"),
        (SeedingError::BandTooSmall { .. }, StrategyKind::MagicMiddle { band: Band::Percentile(..), .. }) => {
            Some("percentile")
        }
        (SeedingError::BandTooSmall { .. }, _) => Some("degree"),
        (SeedingError::NotEnough { .. }, _) => Some("budget"),
        (SeedingError::Invalid(_), _) => None,
    };
    let what = format!("strategy {:?} ({}) cannot pick its seeds", spec.name, spec.kind.name());
    match key {
        Some(k) => anyhow::anyhow!("strategy[{}].{k}: {e}", index + 1).context(what),
        None => anyhow::Error::new(e).context(what),
    }
}

/// Load one scenario; its problems (all of them) become one invalid-input error.
pub fn load_scenario(path: &Path) -> anyhow::Result<Scenario> {
    scenario::load(path).map_err(|e| anyhow::anyhow!("{e}").context(format!("invalid scenario {}", path.display())))
}

/// Load every scenario, reporting the problems of all files at once.
pub fn load_all(paths: &[PathBuf]) -> Result<Vec<Scenario>, CliError> {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for p in paths {
        match load_scenario(p) {
            Ok(s) => ok.push(s),
            Err(e) => bad.push(e),
        }
    }
    match bad.len() {
        0 => Ok(ok),
        1 => Err(invalid(bad.pop().expect("one error"))),
        n => {
            // Each file's problems on their own, then the verdict.
            for e in &bad {
                eprintln!("{}", render_error(e));
            }
            Err(invalid(anyhow::anyhow!("{n} of {} scenario files are invalid", paths.len())))
        }
    }
}

/// Run a parsed command line.
pub fn execute(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Run(a) => run::run_command(&a).and_then(|()| exports::after_run(&a)),
        Command::Validate { scenarios } => commands::validate(&scenarios),
        Command::List { category } => commands::list(category),
        Command::New { file, force } => commands::new(&file, force),
        Command::Plot { dir } => commands::plot(&dir),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_chain_renders_on_one_line() {
        let e = anyhow::anyhow!("root").context("middle").context("top");
        assert_eq!(render_error(&e), "error: top: caused by middle: caused by root");
        let list = anyhow::anyhow!("a = 1: bad\nb = 2: worse").context("invalid scenario s.toml");
        assert_eq!(render_error(&list), "error: invalid scenario s.toml: caused by:\n  a = 1: bad\n  b = 2: worse");
        assert_eq!(invalid(e).code, EXIT_INVALID);
        assert_eq!(CliError::from(anyhow::anyhow!("x")).code, EXIT_FAILURE);
    }
}
