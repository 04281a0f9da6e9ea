//! The `womsim` command line: argument syntax (`args`), resolution of
//! arguments against scenarios (`config`), and the commands. The library
//! never sees clap; everything here sits around the pure engine.

pub mod args;
pub mod commands;
pub mod compare;
pub mod config;
pub mod exports;
pub mod fit;
pub mod lock;
pub mod network;
pub mod resources;
pub mod run;
pub mod shard;
pub mod suggest;
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

/// A point of the budget sweep at which a strategy cannot pick its seeds:
/// the key to blame is `budgets`, not the strategy's own budget.
pub fn sweep_error(index: usize, spec: &StrategySpec, budget: f64, e: SeedingError) -> anyhow::Error {
    anyhow::anyhow!(
        "budgets: the point {budget} does not work for strategy[{}] {:?} ({}): {e}",
        index + 1,
        spec.name,
        spec.kind.name()
    )
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

/// Load one scenario; its problems (all of them) become one invalid-input
/// error. The path `-` reads the scenario from stdin (once per process;
/// relative paths inside it are resolved against the working directory).
pub fn load_scenario(path: &Path) -> anyhow::Result<Scenario> {
    if path == Path::new("-") {
        return scenario::parse_str(&stdin_text()?, None)
            .map_err(|e| anyhow::anyhow!("{e}").context("invalid scenario on stdin"));
    }
    scenario::load(path).map_err(|e| anyhow::anyhow!("{e}").context(format!("invalid scenario {}", path.display())))
}

/// The scenario text on stdin, read once (bounded like a scenario file) and
/// kept, so every command that loads `-` sees the same text.
fn stdin_text() -> anyhow::Result<String> {
    use std::io::Read as _;
    static TEXT: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
    let r = TEXT.get_or_init(|| {
        let max = womsim::inputs::MAX_TEXT_BYTES;
        let mut buf = Vec::new();
        match std::io::stdin().lock().take(max + 1).read_to_end(&mut buf) {
            Err(e) => Err(format!("cannot read the scenario from stdin: {e}")),
            Ok(n) if n as u64 > max => Err(format!("the scenario on stdin is larger than {max} bytes")),
            Ok(_) => String::from_utf8(buf).map_err(|_| "the scenario on stdin is not UTF-8 text".to_string()),
        }
    });
    r.clone().map_err(|e| anyhow::anyhow!(e))
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
        Command::Run(a) => run::run_command(&a),
        Command::Validate { scenarios } => commands::validate(&scenarios),
        Command::List { category } => commands::list(category),
        Command::New { file, force, fit } => commands::new(&file, force, fit),
        Command::Fit(a) => fit::fit_command(&a),
        Command::Plot { dir } => commands::plot(&dir),
        Command::Merge(a) => shard::merge(&a),
        Command::Completions { shell } => commands::completions(shell),
        Command::Man => commands::man(),
        Command::Compare { dirs, out } => compare::compare(&dirs, &out),
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
