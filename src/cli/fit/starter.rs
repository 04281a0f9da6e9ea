//! `womsim new --fit FILE`: a commented starter fit file that validates and
//! runs as written (its data are inline, so it needs no other file).

use std::path::Path;

/// The starter text; `NAME` is replaced by the file's stem.
const STARTER: &str = r#"# A womsim fit file: estimate model parameters from observed data.
# Run it with:  womsim fit FILE        (writes output/fit_NAME/: fit.json,
# posterior.csv, charts/, fit.html). Every key is listed by `womsim list fit`.
name = "NAME"
seed = 1                        # posterior draws and simulations come from this seed

# The observed data. This starter fits the aggregate Bass model to Bass's own
# classic series, room air conditioners 1949-1961 (new adopters per year, thousands).
[data]
kind = "curve"                  # "curve" (counts per step) | "cascades" (who adopted when, on a network)
values = [96, 195, 238, 380, 1045, 1230, 1267, 1828, 1586, 1673, 1800, 1580, 1500]
cumulative = false              # true: the values are running totals
# Or read a CSV file (relative to this file) instead of `values`:
# file = "data/bass_yearly_adoptions.csv"
# series = "room_air_conditioners"    # keep the rows whose `series` column says this
# step_column = "t"                   # the period column (default "step"; periods 1, 2, 3, ...)
# value_column = "adoptions"          # the counts column (default "adopters")
#
# Cascades on a scenario's network (method = "ic_likelihood" or "abc"):
# kind = "cascades"
# file = "cascades.csv"               # CSV cascade,node,time (node ids as in the network file)
# format = "csv"                      # or "lines": one cascade per line, `seed u1 t1 u2 t2 ...`
# step_length = 86400                 # time units per simulation step

[fit]
method = "bass_nls"             # "bass_nls" | "bass_ols" | "ic_likelihood" | "abc"
draws = 1000                    # rows of posterior.csv (draws from the fit's normal approximation)
# The Bass fit estimates model.p, model.q and the market size m; to carry it
# into a network run use [model] kind = "bass", p = <model.p>, q = <model.q>.
#
# Approximate Bayesian computation on any simulated model needs a scenario
# (at the top of this file: scenario = "my_scenario.toml") and priors:
# method = "abc"
# particles = 200               # posterior sample size
# max_simulations = 20000       # simulation budget
# min_acceptance = 0.02         # stop when a generation accepts less than this
# generations = 8               # at most this many tolerance steps
# [fit.priors]
# "model.share.bad" = { dist = "uniform", low = 0.0, high = 0.1 }

# [output]
# dir = "output/fit_NAME"       # default: output/fit_<name>/
# size = [1280, 720]            # chart size in pixels
"#;

/// The starter for `file`, named after its stem (safe characters only).
pub fn starter_fit(file: &Path) -> String {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name: String = stem
        .chars()
        .take(64)
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    let name = if name.is_empty() || name.chars().all(|c| c == '.' || c == '_') { "my_fit".to_string() } else { name };
    STARTER.replace("NAME", &name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_validates_and_fits() {
        let text = starter_fit(Path::new("dir/launch fit.toml"));
        let spec = super::super::spec::parse(&text, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec.name, "launch_fit");
        let Ok(super::super::Prepared::Bass(curve)) = super::super::prepare(&spec) else { panic!("not a Bass curve") };
        let o = super::super::bass_outcome(&spec, &curve).unwrap();
        assert_eq!(o.estimates.len(), 3);
        assert_eq!(o.draws.len(), 1000);
    }
}
