//! The `[uncertain]` table: parameters nobody measured, run as draws from
//! their priors, so that a verdict carries what we don't know.
//!
//! ```toml
//! [uncertain]
//! draws = 200                                              # parameter vectors
//! "model.share.bad" = { dist = "beta", a = 2, b = 60 }     # a prior per key
//! "dilution.share" = { dist = "triangular", low = 0, mode = 0.3, high = 0.6 }
//! samples = "posterior.csv"   # optional: joint draws from a file (e.g. `womsim fit`)
//! ```
//!
//! Keys are the `[model]` keys a `[sweep]` accepts, by dotted path
//! (`model.share.bad`). Keys that would need a new network, population or
//! seeds for every draw (`network.*`, `population.*`, `strategy.*`,
//! `steps`) are refused: a world per draw would make the draws' worlds
//! differ in more than the parameters, and seeding by simulation (greedy)
//! per draw would multiply its cost by the draws; put them in a `[sweep]`
//! (one run per value) instead. `[uncertain]` with `[sweep]` or with
//! `budgets` is refused for now.
//!
//! **Draws.** Key `k`'s value in draw `d` (from 0) is its prior's inverse
//! CDF at one uniform from the stream `(seed, "uncertain", [FNV-1a(k), d])`
//! ([`crate::rng::purpose::UNCERTAIN`]): keyed by the key's name, so draws
//! do not depend on the order of the keys in the file, and adding a key
//! leaves the others' draws unchanged. With `samples = "FILE"` (relative to
//! the scenario's folder), draw `d` takes one row of the file, chosen with
//! probability ∝ its `weight` column (uniformly without one) by a uniform
//! from `(seed, "uncertain", [FNV-1a("samples"), d])`; every other column is
//! a key. Keys may come from priors and the file together, not both for
//! one key.
//!
//! **Validation.** Every draw — the scenario's TOML with the draw's values
//! put in — is parsed by the normal parser, so each value meets the key's
//! range and every cross-check, and problems are reported all at once,
//! naming the draw. Before that, each prior's support is checked against
//! the key's range (its endpoints put in and parsed): a prior that *can*
//! draw an invalid value (an untruncated normal on a probability) is an
//! error even if this seed's draws happen to be valid.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::parse::Problem;
use super::schema::{fmt_f64, value_text};
use super::Scenario;
use crate::models::ModelSpec;
use crate::prior::Prior;
use crate::sensitivity::Method;

/// Most draws an `[uncertain]` table may ask for.
pub const MAX_DRAWS: u32 = 10_000;

/// Most rows read from a samples file.
pub const MAX_SAMPLE_ROWS: usize = 1_000_000;

/// Most problems listed from the draws (the rest are counted).
const MAX_DRAW_PROBLEMS: usize = 50;

/// The name hashed for the samples file's row choice.
const SAMPLES_STREAM: &str = "samples";

/// A joint sample file, read whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples {
    /// Absolute path.
    pub path: PathBuf,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Its key columns, in file order.
    pub keys: Vec<String>,
    /// One row of values per sample, aligned with `keys`.
    pub rows: Vec<Vec<f64>>,
    /// Cumulative weights (the last is the total), aligned with `rows`.
    pub cumulative: Vec<f64>,
}

/// A validated `[uncertain]` table with every draw made and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertain {
    pub draws: u32,
    /// Keys in name order (priors' keys and the samples file's together).
    pub keys: Vec<String>,
    /// Each key's prior, aligned with `keys`; `None` for a samples column.
    pub priors: Vec<Option<Prior>>,
    pub samples: Option<Samples>,
    /// `values[d][j]`: key j's value in draw d.
    pub values: Vec<Vec<f64>>,
    /// Draw d's model: the scenario's with the draw's values put in.
    pub models: Vec<ModelSpec>,
    /// `sensitivity = "sobol" | "morris"`: the draws are the design's rows
    /// (see [`Design`]) instead of random draws; `None` without the key.
    pub sensitivity: Option<Design>,
}

/// A sensitivity design replacing `[uncertain]`'s random draws: draw d is
/// design row d, key j's value its prior's quantile at `rows[d][j]`
/// ([`crate::sensitivity`]). Uniforms from the stream `(seed,
/// "sensitivity", …)` ([`crate::rng::purpose::SENSITIVITY`]): Sobol's
/// matrix m (0 = A, 1 = B), base row j, key k at `[m, j, FNV-1a(k)]`
/// (keyed by name, as the draws); Morris trajectory t at `[2, t]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub method: crate::sensitivity::Method,
    /// Sobol: the N base rows (`draws`); Morris: the trajectories.
    pub base: u32,
    /// Morris grid levels (even); 0 for Sobol.
    pub levels: u32,
    /// Each draw's coordinates in (0, 1), aligned with the keys.
    pub rows: Vec<Vec<f64>>,
}

/// Morris grid levels unless `levels` says otherwise.
pub const DEFAULT_LEVELS: u32 = 4;

impl Uncertain {
    /// The `[uncertain]` table, reading back to the same draws.
    pub fn to_toml(&self) -> String {
        let mut out = match &self.sensitivity {
            None => format!("\n[uncertain]\ndraws = {}\n", self.draws),
            Some(d) => match d.method {
                crate::sensitivity::Method::Sobol => {
                    format!("\n[uncertain]\nsensitivity = \"sobol\"\ndraws = {}\n", d.base)
                }
                crate::sensitivity::Method::Morris => format!(
                    "\n[uncertain]\nsensitivity = \"morris\"\ntrajectories = {}\nlevels = {}\n",
                    d.base, d.levels
                ),
            },
        };
        if let Some(s) = &self.samples {
            let path = Value::String(s.path.to_string_lossy().into_owned());
            let _ = writeln!(out, "samples = {}  # sha256 {}", value_text(&path), s.sha256);
        }
        for (k, p) in self.keys.iter().zip(&self.priors) {
            if let Some(p) = p {
                let _ = writeln!(out, "{} = {}", Value::String(k.clone()), p.to_toml());
            }
        }
        out
    }
}

/// `womsim list uncertain`: how to write the table.
pub fn list_text() -> String {
    format!(
        "[uncertain]  parameters nobody measured, run as draws from priors (see README, \"Parameter uncertainty\")\n\
         \x20   draws    integer (in [1, {MAX_DRAWS}]); required — parameter vectors, each run with `replicates`\n\
         \x20   samples  path; optional — CSV of joint draws: a header of dotted keys and an optional `weight` column\n\
         \x20   sensitivity  \"sobol\" | \"morris\"; optional — replace the random draws by a design and write sensitivity.csv:\n\
         \x20            sobol: `draws` = N base rows, N × (keys + 2) draws run; first-order and total indices\n\
         \x20            morris: `trajectories` = r (instead of draws), r × (keys + 1) draws run; mu_star and sigma\n\
         \x20   trajectories  integer (morris only); levels  even integer in [2, 20] (morris only; default {DEFAULT_LEVELS})\n\
         \x20   \"model.<key>\" = {{ dist = ..., ... }}  a prior for any [model] key (as a sweep names it), dist one of:\n\
         \x20     uniform (low, high), loguniform (low, high; 0 < low), beta (a, b),\n\
         \x20     normal (mean, sd; optional low, high truncation), triangular (low, mode, high)\n\
         \x20   not allowed: network.*, population.*, strategy.*, steps (sweep them), seed, replicates; nor with [sweep] or budgets\n"
    )
}

fn problem(key: &str, value: Option<String>, message: impl Into<String>, line: Option<usize>) -> Problem {
    Problem { key: key.to_string(), value, message: message.into(), line, column: None }
}

/// Why `key` cannot be uncertain, or `None` when it can (structurally; the
/// parser checks that it exists and its range).
fn key_problem(key: &str) -> Option<String> {
    let allowed = "uncertain keys are [model] keys by dotted path, e.g. \"model.share.bad\"";
    let (table, rest) = key.split_once('.').unwrap_or((key, ""));
    match table {
        "model" if !rest.is_empty() && !rest.split('.').any(str::is_empty) => None,
        "model" => Some(format!("not a dotted key path; {allowed}")),
        "network" | "population" | "strategy" | "steps" => Some(format!(
            "cannot be uncertain: it would need a new network, population or seeds for every draw; \
             put it in a [sweep] (one run per value) instead ({allowed})"
        )),
        "seed" | "replicates" => Some(format!(
            "not a parameter: every draw runs `replicates` replicates with the scenario's seed ({allowed})"
        )),
        _ => Some(format!("unknown key; {allowed}")),
    }
}

/// Parse a samples file: a header of key columns (and an optional
/// `weight`), then one row of numbers per sample. Errors name file and line.
fn read_samples(path: &Path) -> Result<Samples, Vec<String>> {
    use sha2::{Digest, Sha256};
    let text = crate::inputs::read_text_bounded(path, crate::inputs::MAX_TEXT_BYTES)
        .map_err(|e| vec![format!("cannot read {}: {e}", path.display())])?;
    let sha256 = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let at = |line: usize, msg: String| format!("{}, line {line}: {msg}", path.display());
    let mut errs = Vec::new();
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty());
    let Some((hline, header)) = lines.next() else {
        return Err(vec![format!("{}: the file is empty; it needs a header of key columns", path.display())]);
    };
    let names: Vec<String> = header.split(',').map(|c| c.trim().trim_matches('"').to_string()).collect();
    let weight = names.iter().position(|n| n == "weight");
    let keys: Vec<String> = names.iter().filter(|n| *n != "weight").cloned().collect();
    if keys.is_empty() {
        errs.push(at(hline, "the header names no key column (e.g. model.share.bad)".into()));
    }
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            errs.push(at(hline, format!("column `{n}` is given twice")));
        }
    }
    let mut rows = Vec::new();
    let mut cumulative = Vec::new();
    let mut total = 0.0;
    for (ln, l) in lines {
        if errs.len() >= MAX_DRAW_PROBLEMS {
            break;
        }
        let cells: Vec<&str> = l.split(',').map(str::trim).collect();
        if cells.len() != names.len() {
            errs.push(at(ln, format!("{} values, but the header has {} columns", cells.len(), names.len())));
            continue;
        }
        let mut row = Vec::with_capacity(keys.len());
        let mut w = 1.0;
        let mut ok = true;
        for (j, c) in cells.iter().enumerate() {
            match c.parse::<f64>() {
                Ok(x) if x.is_finite() => {
                    if Some(j) == weight {
                        if x < 0.0 {
                            errs.push(at(ln, format!("weight = {c}: must be ≥ 0")));
                            ok = false;
                        }
                        w = x;
                    } else {
                        row.push(x);
                    }
                }
                _ => {
                    errs.push(at(ln, format!("{} = {c:?}: must be a finite number", names[j])));
                    ok = false;
                }
            }
        }
        if ok {
            total += w;
            rows.push(row);
            cumulative.push(total);
        }
        if rows.len() > MAX_SAMPLE_ROWS {
            errs.push(at(ln, format!("more than {MAX_SAMPLE_ROWS} rows")));
            break;
        }
    }
    if errs.is_empty() && total <= 0.0 {
        errs.push(format!("{}: no row with a positive weight (the file needs at least one sample)", path.display()));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Samples { path: path.to_path_buf(), sha256, keys, rows, cumulative })
}

impl Samples {
    /// The row drawn by a uniform `u` in [0, 1): probability ∝ its weight.
    fn pick(&self, u: f64) -> &[f64] {
        let total = *self.cumulative.last().expect("at least one row");
        let i = self.cumulative.partition_point(|&c| c <= u * total).min(self.rows.len() - 1);
        &self.rows[i]
    }
}

/// Draw `d` of `keys` (values aligned with `keys`).
fn draw(seed: u64, d: u32, keys: &[String], priors: &[Option<Prior>], samples: Option<&Samples>) -> Vec<f64> {
    use crate::rng::{hash_str, purpose, stream, uniform};
    let row = samples.map(|s| {
        let mut rng = stream(seed, purpose::UNCERTAIN, &[hash_str(SAMPLES_STREAM), u64::from(d)]);
        s.pick(uniform(&mut rng))
    });
    keys.iter()
        .zip(priors)
        .map(|(k, p)| match p {
            Some(p) => p.sample(&mut stream(seed, purpose::UNCERTAIN, &[hash_str(k), u64::from(d)])),
            None => {
                let (s, row) = (samples.expect("a samples column"), row.expect("a row"));
                row[s.keys.iter().position(|c| c == k).expect("a samples column")]
            }
        })
        .collect()
}

/// The `sensitivity`, `levels` (and checks of `trajectories`) keys of
/// `[uncertain]`: the method, and Morris's grid levels.
fn sensitivity_keys(
    t: &Table,
    at: &dyn Fn(&str) -> Option<usize>,
    problems: &mut Vec<Problem>,
) -> (Option<Method>, u32) {
    let method = match t.get("sensitivity") {
        None => None,
        Some(Value::String(m)) if m == "sobol" => Some(Method::Sobol),
        Some(Value::String(m)) if m == "morris" => Some(Method::Morris),
        Some(v) => {
            problems.push(problem(
                "uncertain.sensitivity",
                Some(value_text(v)),
                "must be \"sobol\" (first-order and total indices) or \"morris\" (elementary effects)",
                at("sensitivity"),
            ));
            None
        }
    };
    let morris = method == Some(Method::Morris) || (method.is_none() && t.contains_key("sensitivity"));
    let mut levels = DEFAULT_LEVELS;
    match t.get("levels") {
        None => {}
        Some(_) if !morris => problems.push(problem(
            "uncertain.levels",
            None,
            "only for sensitivity = \"morris\" (the grid's levels)",
            at("levels"),
        )),
        Some(v) => match v.as_integer() {
            Some(n) if (2..=20).contains(&n) && n % 2 == 0 => levels = n as u32,
            _ => problems.push(problem(
                "uncertain.levels",
                Some(value_text(v)),
                "the Morris grid's levels: an even whole number in [2, 20]",
                at("levels"),
            )),
        },
    }
    if t.contains_key("trajectories") && !morris {
        problems.push(problem(
            "uncertain.trajectories",
            None,
            "only for sensitivity = \"morris\"; Sobol and plain draws count `draws`",
            at("trajectories"),
        ));
    }
    if method == Some(Method::Morris) && t.contains_key("draws") {
        problems.push(problem(
            "uncertain.draws",
            None,
            "with sensitivity = \"morris\" say `trajectories = r` instead (r × (keys + 1) parameter vectors run)",
            at("draws"),
        ));
    }
    (method, levels)
}

/// The design's rows (coordinates in (0, 1), aligned with `keys`).
fn design_rows(seed: u64, m: Method, base: u32, levels: u32, keys: &[String]) -> Vec<Vec<f64>> {
    use crate::rng::{hash_str, purpose, stream, uniform};
    let hashes: Vec<u64> = keys.iter().map(|k| hash_str(k)).collect();
    match m {
        Method::Sobol => crate::sensitivity::sobol_rows(base as usize, keys.len(), &|mat, j, i| {
            uniform(&mut stream(seed, purpose::SENSITIVITY, &[mat, j as u64, hashes[i]]))
        }),
        Method::Morris => crate::sensitivity::morris_rows(base as usize, keys.len(), levels as usize, &|t| {
            stream(seed, purpose::SENSITIVITY, &[2, t as u64])
        }),
    }
}

/// A key's value as TOML: a float (the parser reads integers where it
/// accepts numbers; a key that must be a whole number says so).
fn float(x: f64) -> Value {
    Value::Float(x)
}

/// Read the `[uncertain]` table `raw` of a scenario whose document without
/// it is `doc` and which resolves to `base`; `folder` resolves a samples
/// path; `resolve` is the normal parser on a document.
pub(crate) fn expand(
    raw: &Value,
    doc: &Table,
    base: &Scenario,
    folder: &Path,
    line: &dyn Fn(&str) -> Option<usize>,
    resolve: &dyn Fn(&Table) -> Result<Scenario, Vec<Problem>>,
) -> Result<Uncertain, Vec<Problem>> {
    let Some(t) = raw.as_table() else {
        return Err(vec![problem(
            "uncertain",
            Some(value_text(raw)),
            "must be a table: write [uncertain] and its keys below it",
            line("uncertain"),
        )]);
    };
    let at = |k: &str| line(&format!("uncertain.{k}")).or_else(|| line("uncertain"));
    let mut problems = Vec::new();
    let (method, levels) = sensitivity_keys(t, &at, &mut problems);
    // Morris counts trajectories; otherwise `draws` counts parameter
    // vectors (Sobol: base rows).
    let count_key = if method == Some(Method::Morris) { "trajectories" } else { "draws" };
    let mut draws = match t.get(count_key).map(Value::as_integer) {
        Some(Some(n)) if (1..=i64::from(MAX_DRAWS)).contains(&n) => n as u32,
        v => {
            problems.push(problem(
                &format!("uncertain.{count_key}"),
                t.get(count_key).map(value_text),
                format!(
                    "{}: the number of {}, a whole number in [1, {MAX_DRAWS}]",
                    if v.is_none() { "missing" } else { "invalid" },
                    match method {
                        Some(Method::Morris) => "Morris trajectories",
                        Some(Method::Sobol) => "Sobol base rows (each runs keys + 2 parameter vectors)",
                        None => "parameter vectors",
                    }
                ),
                at(count_key),
            ));
            0
        }
    };
    if u64::from(draws) * u64::from(base.replicates) > u64::from(u32::MAX) {
        problems.push(problem(
            "uncertain.draws",
            Some(draws.to_string()),
            format!("draws × replicates ({draws} × {}) exceeds {}", base.replicates, u32::MAX),
            at("draws"),
        ));
    }
    if !base.budgets.is_empty() {
        problems.push(problem(
            "budgets",
            None,
            "a budget sweep cannot be combined with [uncertain] yet; run the budgets as separate scenarios",
            line("budgets"),
        ));
    }
    let mut samples = None;
    match t.get("samples") {
        None => {}
        Some(Value::String(rel)) => match super::parse::resolve_file(folder, rel) {
            Ok(p) => match read_samples(&p) {
                Ok(s) => samples = Some(s),
                Err(es) => {
                    problems.extend(es.into_iter().map(|m| problem("uncertain.samples", None, m, at("samples"))))
                }
            },
            Err(e) => problems.push(problem("uncertain.samples", Some(value_text(&t["samples"])), e, at("samples"))),
        },
        Some(v) => problems.push(problem(
            "uncertain.samples",
            Some(value_text(v)),
            "must be a file name (a CSV with one column per key and an optional weight column)",
            at("samples"),
        )),
    }
    // Keys: priors, then the samples file's columns; name order.
    let mut keyed: Vec<(String, Option<Prior>)> = Vec::new();
    for (k, v) in
        t.iter().filter(|(k, _)| !["draws", "samples", "sensitivity", "trajectories", "levels"].contains(&k.as_str()))
    {
        let name = format!("uncertain.\"{k}\"");
        if let Some(why) = key_problem(k) {
            problems.push(problem(&name, None, why, at(k)));
            continue;
        }
        match Prior::parse(v) {
            Ok(p) => keyed.push((k.clone(), Some(p))),
            Err(es) => problems.extend(es.into_iter().map(|m| problem(&name, Some(value_text(v)), m, at(k)))),
        }
    }
    if let Some(s) = &samples {
        for k in &s.keys {
            if let Some(why) = key_problem(k) {
                problems.push(problem(&format!("{}: column `{k}`", s.path.display()), None, why, at("samples")));
            } else if keyed.iter().any(|(n, _)| n == k) {
                problems.push(problem(
                    &format!("uncertain.\"{k}\""),
                    None,
                    format!("is both a prior and a column of {}; keep one", s.path.display()),
                    at(k),
                ));
            } else {
                keyed.push((k.clone(), None));
            }
        }
    }
    if keyed.is_empty() && problems.is_empty() {
        problems.push(problem(
            "uncertain",
            None,
            "makes nothing uncertain: add a key with its prior, e.g. \"model.share.bad\" = { dist = \"uniform\", low = 0.01, high = 0.05 }, or samples = \"posterior.csv\"",
            line("uncertain"),
        ));
    }
    // A prior's whole support must be valid for its key.
    for (k, p) in &keyed {
        let Some(p) = p else { continue };
        let (lo, hi) = p.support();
        for end in [lo, hi] {
            let x = if end.is_finite() { end } else { end.signum() * 1e300 };
            let mut d = doc.clone();
            let res = super::sweep::set_path(&mut d, k, float(x)).map_err(|e| vec![problem(k, None, e, None)]);
            if let Err(ps) = res.and_then(|()| resolve(&d)) {
                let shown =
                    if end.is_finite() { fmt_f64(end) } else { format!("{}∞", if end < 0.0 { "−" } else { "+" }) };
                let why = ps.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
                problems.push(problem(
                    &format!("uncertain.\"{k}\""),
                    Some(p.to_toml()),
                    format!(
                        "the prior's support reaches {shown}, outside what {k} allows ({why}); narrow or truncate the prior (normal: add low/high)"
                    ),
                    at(k),
                ));
                break;
            }
        }
    }
    let base_rows = draws;
    if let Some(m) = method {
        if samples.is_some() {
            problems.push(problem(
                "uncertain.samples",
                None,
                "cannot be combined with `sensitivity`: the design sets each key's value through its prior's quantiles; give every key a prior",
                at("samples"),
            ));
        }
        let total = u64::from(draws) * m.rows_per_base(keyed.len()) as u64;
        if draws > 0 && total > u64::from(MAX_DRAWS) {
            problems.push(problem(
                &format!("uncertain.{count_key}"),
                Some(draws.to_string()),
                format!(
                    "{count_key} × (keys + {}) = {draws} × {} = {total} parameter vectors, more than {MAX_DRAWS}",
                    m.rows_per_base(0),
                    m.rows_per_base(keyed.len())
                ),
                at(count_key),
            ));
        } else if total * u64::from(base.replicates) > u64::from(u32::MAX) {
            problems.push(problem(
                &format!("uncertain.{count_key}"),
                Some(draws.to_string()),
                format!("parameter vectors × replicates ({total} × {}) exceeds {}", base.replicates, u32::MAX),
                at(count_key),
            ));
        }
        draws = total as u32;
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let (keys, priors): (Vec<String>, Vec<Option<Prior>>) = keyed.into_iter().unzip();
    let sensitivity = method.map(|m| {
        let rows = design_rows(base.seed, m, base_rows, levels, &keys);
        Design { method: m, base: base_rows, levels: if m == Method::Morris { levels } else { 0 }, rows }
    });
    let mut out = Uncertain { draws, keys, priors, samples, values: Vec::new(), models: Vec::new(), sensitivity };
    let mut failed = 0usize;
    for d in 0..draws {
        let vals = match &out.sensitivity {
            Some(design) => out
                .priors
                .iter()
                .zip(&design.rows[d as usize])
                .map(|(p, &u)| p.as_ref().map_or(f64::NAN, |p| p.quantile(u)))
                .collect(),
            None => draw(base.seed, d, &out.keys, &out.priors, out.samples.as_ref()),
        };
        let mut doc_d = doc.clone();
        let mut errs = Vec::new();
        for (k, &x) in out.keys.iter().zip(&vals) {
            if let Err(e) = super::sweep::set_path(&mut doc_d, k, float(x)) {
                errs.push(problem(k, Some(fmt_f64(x)), e, None));
            }
        }
        match if errs.is_empty() { resolve(&doc_d) } else { Err(errs) } {
            Ok(s) => out.models.push(s.model),
            Err(ps) => {
                failed += 1;
                let label: Vec<String> =
                    out.keys.iter().zip(&vals).map(|(k, x)| format!("{k} = {}", fmt_f64(*x))).collect();
                for p in ps {
                    if problems.len() < MAX_DRAW_PROBLEMS {
                        let message = format!("uncertain draw {d} ({}): {p}", label.join(", "));
                        problems.push(Problem { key: String::new(), value: None, message, ..p });
                    }
                }
            }
        }
        out.values.push(vals);
    }
    if failed > 0 {
        problems.push(problem("", None, format!("{failed} of the {draws} uncertain draws are invalid"), None));
        return Err(problems);
    }
    Ok(out)
}
