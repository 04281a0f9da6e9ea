//! Command-line syntax (clap derive). Only `config.rs` turns these raw values
//! into the settings the commands use; nothing below `cli` sees clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// womsim — word-of-mouth propagation simulator.
///
/// Compares whom to seed as ambassadors (top influencers, the magic middle,
/// random friends, influence maximization, …) on a network, reporting reach
/// and action with 95% confidence intervals.
#[derive(Debug, Parser)]
#[command(name = "womsim", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenarios: simulate, write the results folder and charts, print a summary table.
    Run(RunArgs),
    /// Check scenarios without running them: print the resolved scenario and network statistics.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true, value_name = "SCENARIO")]
        scenarios: Vec<PathBuf>,
    },
    /// List every model, seeding strategy or network kind with its parameters, defaults and ranges.
    List {
        /// What to list (default: everything).
        #[arg(value_enum)]
        category: Option<Category>,
    },
    /// Write a commented starter scenario that validates and runs.
    New {
        /// File to create.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Overwrite FILE if it exists.
        #[arg(long)]
        force: bool,
        /// Write a starter fit file (for `womsim fit`) instead of a scenario.
        #[arg(long)]
        fit: bool,
    },
    /// Re-render charts and the report from a results folder, without simulating.
    Plot {
        /// A folder written by `womsim run`.
        #[arg(value_name = "RESULTS_DIR")]
        dir: PathBuf,
    },
    /// Put several results folders side by side in one report (compare.html, compare.csv).
    Compare {
        /// Results folders written by `womsim run` (the first is the reference).
        #[arg(required = true, num_args = 2.., value_name = "RESULTS_DIR")]
        dirs: Vec<PathBuf>,
        /// Folder for compare.html and compare.csv.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Print a shell completion script (e.g. `womsim completions bash > ~/.local/share/bash-completion/completions/womsim`).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout (e.g. `womsim man > womsim.1`).
    Man,
    /// Fit a model to observed data (a fit file): estimates with 95% intervals, posterior.csv, charts, fit.html.
    Fit(FitArgs),
    /// Combine the partial folders of `womsim run --shard K/N` (all N of them) into the results of the whole run.
    Merge(MergeArgs),
}

/// Arguments of `womsim merge`.
#[derive(Debug, Clone, clap::Args)]
pub struct MergeArgs {
    /// The shards' partial folders, in any order.
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub shards: Vec<PathBuf>,
    /// Results folder to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Worker threads for rebuilding the network and the seeds (results do not depend on it).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Overwrite an existing, non-empty results folder.
    #[arg(long)]
    pub force: bool,
    /// No progress messages.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `womsim fit`.
#[derive(Debug, Clone, clap::Args)]
pub struct FitArgs {
    /// The fit file (TOML; `womsim new --fit FILE` writes a starter).
    #[arg(value_name = "FIT")]
    pub fit: PathBuf,
    /// Output folder (default: [output] dir, else output/fit_<name>/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Override the fit file's seed.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Overwrite an existing, non-empty output folder.
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no progress messages (the estimates are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

/// `K/N`: shard K (1-based) of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: u32,
    pub n: u32,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    let bad = || format!("{s:?} is not a shard K/N with 1 <= K <= N (e.g. 3/8)");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u32, u32) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if k == 0 || k > n {
        return Err(bad());
    }
    Ok(Shard { k, n })
}

/// Arguments of `womsim run`.
#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    /// Scenario files (TOML); each gets its own results folder.
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Override the number of Monte Carlo replicates (1 to 1,000,000, as in a scenario file).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub replicates: Option<u32>,
    /// Override the scenario seed (0 to 2^63 − 1, as in a scenario file, so the resolved file can repeat it).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Results folder (default: [output] dir, else output/<scenario name>/).
    /// With several scenarios, each goes to DIR/<scenario name>/.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Overwrite an existing, non-empty results folder.
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no progress messages (the summary table is still printed).
    #[arg(long, short)]
    pub quiet: bool,
    /// Run only shard K of N (replicates r with r mod N = K − 1, of every strategy) and write a partial folder
    /// for `womsim merge`; one scenario only.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Memory the run may use (e.g. 8G, 512M): overrides the check of the
    /// scenario's estimated memory against what the machine has available.
    #[arg(long, value_name = "SIZE", value_parser = parse_memory)]
    pub max_memory: Option<u64>,
    /// After the run, list the K people whose addition to the first strategy's seeds adds the most (greedy
    /// marginal gains; under a cost budget per unit of cost) and write them to suggestions.csv; one scenario only.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub suggest: Option<u32>,
    /// The strategy --suggest adds to (default: the first).
    #[arg(long, value_name = "NAME", requires = "suggest")]
    pub suggest_for: Option<String>,
    #[command(flatten)]
    pub exports: ExportArgs,
}

fn parse_memory(s: &str) -> Result<u64, String> {
    womsim::resources::parse_size(s).ok_or_else(|| format!("{s:?} is not a memory size such as 8G, 512M or 2.5GB"))
}

/// Machine-readable copies of the summary table (`womsim run`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ExportArgs {
    /// Also write the summary table of every scenario run as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub export_json: Option<PathBuf>,
    /// Also write the summary table as CSV (one row per scenario × strategy) to FILE.
    #[arg(long, value_name = "FILE")]
    pub export_csv: Option<PathBuf>,
    /// Also write the summary table as Markdown to FILE.
    #[arg(long, value_name = "FILE")]
    pub export_markdown: Option<PathBuf>,
    /// What `run` prints on stdout: the text table or its JSON.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Stdout format of `womsim run`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The text table.
    #[default]
    Table,
    /// One JSON document per scenario (as `--export-json` writes).
    Json,
}

/// Categories of `womsim list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Category {
    /// The top-level keys (name, seed, replicates, steps, …).
    Scenario,
    Networks,
    Population,
    Models,
    Strategies,
    Output,
    /// The `[uncertain]` table (priors of parameters nobody measured).
    Uncertain,
    /// The keys of a fit file (`womsim fit`).
    Fit,
}

impl Category {
    /// The name passed to `scenario::list_text`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Scenario => "scenario",
            Category::Networks => "networks",
            Category::Population => "population",
            Category::Models => "models",
            Category::Strategies => "strategies",
            Category::Output => "output",
            Category::Uncertain => "uncertain",
            Category::Fit => "fit",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_flags_parse() {
        let c = Cli::try_parse_from([
            "womsim",
            "run",
            "a.toml",
            "b.toml",
            "--replicates",
            "5",
            "--seed",
            "9",
            "--threads",
            "2",
            "--out",
            "o",
            "--force",
            "--quiet",
        ])
        .unwrap();
        let Command::Run(r) = c.command else { panic!("not run") };
        assert_eq!(r.scenarios.len(), 2);
        assert_eq!((r.replicates, r.seed, r.threads), (Some(5), Some(9), Some(2)));
        assert!(r.force && r.quiet);
    }

    #[test]
    fn zero_replicates_and_threads_are_rejected() {
        assert!(Cli::try_parse_from(["womsim", "run", "a.toml", "--replicates", "0"]).is_err());
        // The schema's ranges hold for flags too.
        assert!(Cli::try_parse_from(["womsim", "run", "a.toml", "--replicates", "1000001"]).is_err());
        assert!(Cli::try_parse_from(["womsim", "run", "a.toml", "--replicates", "4294967295"]).is_err());
        assert!(Cli::try_parse_from(["womsim", "run", "a.toml", "--seed", "9223372036854775808"]).is_err());
        assert!(Cli::try_parse_from(["womsim", "run", "a.toml", "--replicates", "1000000"]).is_ok());
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(Cli::try_parse_from(["womsim", "run", "a.toml", "--shard", bad]).is_err(), "{bad}");
        }
        assert!(Cli::try_parse_from(["womsim", "run", "a.toml", "--shard", "3/3"]).is_ok());
        assert!(Cli::try_parse_from(["womsim", "run", "a.toml", "--threads", "0"]).is_err());
        assert!(Cli::try_parse_from(["womsim", "list", "people"]).is_err());
    }

    #[test]
    fn list_accepts_every_topic_of_the_schema() {
        for topic in womsim::scenario::LIST_TOPICS {
            let c = Cli::try_parse_from(["womsim", "list", topic]).unwrap_or_else(|e| panic!("{topic}: {e}"));
            let Command::List { category: Some(cat) } = c.command else { panic!("not list") };
            assert_eq!(cat.as_str(), *topic);
        }
    }
}
