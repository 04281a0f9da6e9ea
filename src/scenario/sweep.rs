//! The `[sweep]` table: one scenario, many settings.
//!
//! ```toml
//! [sweep]
//! design = "grid"                                    # full factorial (the default), or "lhs" with points = N
//! "model.share.bad" = [0.02, 0.04, 0.08]             # a list of values
//! "model.defense" = { from = 0.0, to = 0.9, step = 0.9 }
//! "network.reciprocity" = { from = 0.01, to = 0.3, points = 4, scale = "log" }
//! ```
//!
//! Each key is a scalar key of the scenario by its dotted path: any key of
//! `[network]`, `[population]` and `[model]`, a strategy's own key as
//! `strategy.<name>.<key>` (e.g. `strategy.magic middle.budget`, the name as
//! resolved), and the top-level `steps`. Not sweepable: `seed` (every point
//! must use the same replicate streams, so points are paired), `replicates`,
//! `name`, `description`, `budgets` and `[output]`. A scenario with
//! `[sweep]` cannot also have `budgets = [...]` (for now).
//!
//! Validation: the scenario without `[sweep]` must be valid on its own; then
//! every point — the scenario's TOML with the point's values put in — is
//! parsed by the normal parser, so every value meets the same schema and
//! cross-checks as a plain scenario. Problems are reported all at once, each
//! naming its point (`sweep point 3 (model.share.bad = 1.5): model.share.bad
//! = 1.5: must be a probability in [0, 1]`). At most [`MAX_POINTS`] points.
//!
//! Points are numbered from 1 in grid order: the first key (in file order)
//! varies slowest, the last fastest.
//!
//! `design = "lhs"` with `points = N` draws a Latin hypercube of N points
//! instead: each key's range is cut into N equal strata and every stratum is
//! used by exactly one point, independently across keys, drawn from the
//! scenario file's seed. A range may then leave out `step` and `points`
//! (`{ from, to }`, `scale` optional): values anywhere in it (whole numbers
//! when `from` and `to` are integers); a list (or a range with `step` or
//! `points`) is cut into N strata of its values.

use std::fmt::Write as _;

use toml::{Table, Value};

use super::decl::as_num;
use super::parse::Problem;
use super::schema::value_text;
use super::Scenario;

/// Most points a sweep may have.
pub const MAX_POINTS: usize = 10_000;

/// Most problems listed from the points (the rest are counted).
const MAX_POINT_PROBLEMS: usize = 50;

/// Top-level keys a sweep may vary.
pub const SWEEPABLE_TOP: &[&str] = &["steps"];

/// Tables whose keys a sweep may vary (`strategy` as `strategy.<name>.<key>`).
pub const SWEEPABLE_TABLES: &[&str] = &["network", "population", "model", "strategy"];

/// How the points are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    /// Every combination of the keys' values (full factorial).
    Grid,
    /// A Latin hypercube of this many points.
    Lhs { points: usize },
}

/// A validated sweep: its keys, each key's values and every point.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    pub design: Design,
    /// Swept keys (dotted paths), in file order.
    pub keys: Vec<String>,
    /// Each key's values, aligned with `keys`: a grid's levels (ranges
    /// expanded); in a Latin hypercube, the key's value at each point.
    pub values: Vec<Vec<Value>>,
    /// Each key's values as `to_toml` writes them: a grid's levels as a
    /// list, a Latin hypercube's as given (list or range table).
    pub specs: Vec<Value>,
    /// Every point, in grid order.
    pub points: Vec<Point>,
}

/// One setting of the swept keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The value of each key, aligned with [`Sweep::keys`].
    pub values: Vec<Value>,
    /// The scenario at this point, as if written as a plain file.
    pub scenario: Scenario,
}

impl Sweep {
    /// `key = value, key = value` of point `i` (0-based).
    pub fn label(&self, i: usize) -> String {
        self.keys
            .iter()
            .zip(&self.points[i].values)
            .map(|(k, v)| format!("{k} = {}", value_text(v)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The `[sweep]` table (a grid's ranges expanded to their lists, a
    /// Latin hypercube's as written; either reads back to the same points),
    /// then one comment line per point.
    pub fn to_toml(&self) -> String {
        let mut out = String::from("\n[sweep]\n");
        match self.design {
            Design::Grid => out.push_str("design = \"grid\"\n"),
            Design::Lhs { points } => {
                let _ = writeln!(out, "design = \"lhs\"\npoints = {points}");
            }
        }
        for (k, v) in self.keys.iter().zip(&self.specs) {
            let key = Value::String(k.clone()).to_string();
            let _ = writeln!(out, "{key} = {}", value_text(v));
        }
        let _ = writeln!(out, "# {} points:", self.points.len());
        for i in 0..self.points.len() {
            let _ = writeln!(out, "# point {}: {}", i + 1, self.label(i));
        }
        out
    }
}

/// A sweep problem (not tied to one point).
fn problem(key: &str, value: Option<&Value>, message: impl Into<String>, line: Option<usize>) -> Problem {
    Problem { key: key.to_string(), value: value.map(value_text), message: message.into(), line, column: None }
}

/// Round to 12 significant digits, so `0.1 + 2 × 0.05` is `0.2`.
fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// What one key takes its values from.
#[derive(Debug, Clone, PartialEq)]
enum Axis {
    /// These values: a list, or a range with `step` or `points`, expanded.
    Levels(Vec<Value>),
    /// Anywhere in `[from, to]` (a range without `step` or `points`; Latin
    /// hypercube only); whole numbers when `int`.
    Span { from: f64, to: f64, log: bool, int: bool },
}

/// The value at `x` in [0, 1) along `axis`.
fn at_fraction(axis: &Axis, x: f64) -> Value {
    match axis {
        Axis::Levels(v) => v[((x * v.len() as f64) as usize).min(v.len() - 1)].clone(),
        Axis::Span { from, to, int: true, .. } => {
            Value::Integer((from + (x * (to - from + 1.0)).floor()).min(*to) as i64)
        }
        Axis::Span { from, to, log: true, .. } => Value::Float(tidy(from * (to / from).powf(x))),
        Axis::Span { from, to, .. } => Value::Float(tidy(from + x * (to - from))),
    }
}

/// Latin hypercube column `j` of `n` points: one point in each of the `n`
/// strata of [0, 1), in a random order, at a random place in its stratum.
fn lhs_column(axis: &Axis, n: usize, seed: u64, j: usize) -> Vec<Value> {
    let mut rng = crate::rng::stream(seed, "sweep", &[j as u64]);
    let mut perm: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let k = crate::rng::below(&mut rng, i as u64 + 1) as usize;
        perm.swap(i, k);
    }
    perm.iter().map(|&s| at_fraction(axis, (s as f64 + crate::rng::uniform(&mut rng)) / n as f64)).collect()
}

/// The values of one key: a list, or a range table.
fn key_values(key: &str, v: &Value, line: Option<usize>) -> Result<Axis, Problem> {
    let bad = |msg: String| problem(&format!("sweep.{key}"), Some(v), msg, line);
    match v {
        Value::Array(a) => {
            if a.is_empty() {
                return Err(bad("must list at least one value".into()));
            }
            if a.iter().any(|x| x.is_array() || x.is_table()) {
                return Err(bad("each value must be a single number, string or boolean".into()));
            }
            if a.len() > MAX_POINTS {
                return Err(bad(format!("{} values exceed the limit of {MAX_POINTS} points", a.len())));
            }
            Ok(Axis::Levels(a.clone()))
        }
        Value::Table(t) => range_values(t).map_err(bad),
        _ => Err(bad(
            "must be a list of values ([0.02, 0.04]) or a range ({ from = 0, to = 1, step = 0.1 } or { from, to, points, scale })"
                .into(),
        )),
    }
}

/// `{ from, to, step }` or `{ from, to, points, scale = "linear" | "log" }`.
fn range_values(t: &Table) -> Result<Axis, String> {
    const KEYS: [&str; 5] = ["from", "to", "step", "points", "scale"];
    if let Some(k) = t.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!("unknown range key `{k}`; a range has from, to and step, or from, to, points and scale"));
    }
    let num = |k: &str| -> Result<f64, String> {
        match t.get(k) {
            None => Err(format!("a range needs `{k}`")),
            Some(x) => as_num(x).ok_or_else(|| format!("`{k}` must be a finite number")),
        }
    };
    let (from, to) = (num("from")?, num("to")?);
    if to < from {
        return Err(format!("`to` ({to}) must not be below `from` ({from})"));
    }
    let scale = match t.get("scale") {
        None => "linear",
        Some(Value::String(s)) if s == "linear" || s == "log" => s.as_str(),
        Some(_) => return Err("`scale` must be \"linear\" or \"log\"".into()),
    };
    let ints = |ks: &[&str]| ks.iter().all(|k| t.get(*k).is_none_or(Value::is_integer));
    if scale == "log" && from <= 0.0 {
        return Err(format!("a log range needs `from` > 0 (got {from})"));
    }
    match (t.get("step"), t.get("points")) {
        (Some(_), Some(_)) => Err("give either `step` or `points`, not both".into()),
        (None, None) => Ok(Axis::Span { from, to, log: scale == "log", int: ints(&["from", "to"]) }),
        (Some(_), None) => {
            if scale != "linear" {
                return Err("`step` makes a linear range; use `points` with scale = \"log\"".into());
            }
            let step = num("step")?;
            if step <= 0.0 {
                return Err(format!("`step` must be > 0 (got {step})"));
            }
            let n = ((to - from) / step * (1.0 + 1e-12)).floor() + 1.0;
            if n > MAX_POINTS as f64 {
                return Err(format!("the range has {n} values, over the limit of {MAX_POINTS} points"));
            }
            let all_int = ints(&["from", "to", "step"]);
            Ok(Axis::Levels(
                (0..n as usize)
                    .map(|i| {
                        let x = tidy(from + i as f64 * step);
                        if all_int {
                            Value::Integer(x as i64)
                        } else {
                            Value::Float(x)
                        }
                    })
                    .collect(),
            ))
        }
        (None, Some(p)) => {
            let n = match p.as_integer() {
                Some(n) if (1..=MAX_POINTS as i64).contains(&n) => n as usize,
                _ => return Err(format!("`points` must be a whole number in [1, {MAX_POINTS}]")),
            };
            let at = |i: usize| -> f64 {
                if n == 1 || i == 0 {
                    return from;
                }
                if i == n - 1 {
                    return to;
                }
                let u = i as f64 / (n - 1) as f64;
                tidy(if scale == "log" { from * (to / from).powf(u) } else { from + u * (to - from) })
            };
            Ok(Axis::Levels((0..n).map(|i| Value::Float(at(i))).collect()))
        }
    }
}

/// Why a key cannot be swept, or `None` when it can (structurally; its
/// values are checked by the parser).
fn key_problem(key: &str, base: &Scenario) -> Option<String> {
    let sweepable =
        "sweepable keys are `steps`, any key of [network], [population] and [model] (\"model.share.bad\"), \
                     and a strategy's own keys as \"strategy.<name>.<key>\"";
    let Some((table, rest)) = key.split_once('.') else {
        return match key {
            k if SWEEPABLE_TOP.contains(&k) => None,
            "seed" => Some(
                "not sweepable: every point uses the same replicate streams (from the scenario's seed), so that \
                 differences between points are paired"
                    .into(),
            ),
            "replicates" | "name" | "description" | "budgets" | "design" => Some(format!("not sweepable: {sweepable}")),
            _ => Some(format!("unknown key; {sweepable}")),
        };
    };
    if !SWEEPABLE_TABLES.contains(&table) {
        return Some(format!("[{table}] keys are not sweepable; {sweepable}"));
    }
    if rest.is_empty() || rest.split('.').any(str::is_empty) {
        return Some(format!("not a dotted key path; {sweepable}"));
    }
    if table == "strategy" && strategy_of(rest, base).is_none() {
        let names: Vec<String> = base.strategies.iter().map(|s| format!("\"{}\"", s.name)).collect();
        return Some(format!(
            "write \"strategy.<name>.<key>\" with one of the strategies' names ({}) and one of its keys",
            names.join(", ")
        ));
    }
    None
}

/// `(index, key)` of `name.key` among the base's strategies (the longest
/// matching name, as names may contain dots).
fn strategy_of<'k>(rest: &'k str, base: &Scenario) -> Option<(usize, &'k str)> {
    base.strategies
        .iter()
        .enumerate()
        .filter_map(|(i, s)| rest.strip_prefix(s.name.as_str())?.strip_prefix('.').map(|k| (i, k)))
        .filter(|(_, k)| !k.is_empty())
        .min_by_key(|(_, k)| k.len())
}

/// Put `value` at the dotted `path` of `t`, creating tables on the way.
pub(crate) fn set_path(t: &mut Table, path: &str, value: Value) -> Result<(), String> {
    let (head, rest) = match path.split_once('.') {
        None => {
            t.insert(path.to_string(), value);
            return Ok(());
        }
        Some(x) => x,
    };
    let sub = t.entry(head.to_string()).or_insert_with(|| Value::Table(Table::new()));
    match sub {
        Value::Table(st) => set_path(st, rest, value),
        _ => Err(format!("`{head}` is not a table in the scenario, so `{rest}` cannot be set in it")),
    }
}

/// The scenario's document with `key = value` put in.
fn apply(doc: &mut Table, base: &Scenario, key: &str, value: &Value) -> Result<(), String> {
    if let Some(rest) = key.strip_prefix("strategy.") {
        let (i, k) = strategy_of(rest, base).ok_or("no such strategy")?;
        let Some(Value::Table(st)) = doc.get_mut("strategy").and_then(Value::as_array_mut).and_then(|a| a.get_mut(i))
        else {
            return Err("no such strategy".into());
        };
        return set_path(st, k, value.clone());
    }
    set_path(doc, key, value.clone())
}

/// Read the `[sweep]` table `raw` of a scenario whose document without it
/// is `doc` and which resolves to `base`: expand every key's values, then
/// validate every point with `resolve` (the normal parser on a document).
/// `line` gives the line of a key path (`sweep.<key>`), when known.
pub(crate) fn expand(
    raw: &Value,
    doc: &Table,
    base: &Scenario,
    line: &dyn Fn(&str) -> Option<usize>,
    resolve: &dyn Fn(&Table) -> Result<Scenario, Vec<Problem>>,
) -> Result<Sweep, Vec<Problem>> {
    let Some(t) = raw.as_table() else {
        return Err(vec![problem(
            "sweep",
            Some(raw),
            "must be a table: write [sweep] and its keys below it",
            line("sweep"),
        )]);
    };
    let mut problems = Vec::new();
    let mut keys: Vec<(String, Value, Axis)> = Vec::new();
    let mut design = Design::Grid;
    let lhs_points = t.get("points");
    for (k, v) in t {
        let at = line(&format!("sweep.{k}"));
        if k == "design" {
            match v.as_str() {
                Some("grid") => {}
                Some("lhs") => match lhs_points.and_then(Value::as_integer) {
                    Some(n) if (1..=MAX_POINTS as i64).contains(&n) => design = Design::Lhs { points: n as usize },
                    _ => problems.push(problem(
                        "sweep.points",
                        lhs_points,
                        format!("design = \"lhs\" needs `points`, a whole number in [1, {MAX_POINTS}]"),
                        line("sweep.points").or(at),
                    )),
                },
                _ => problems.push(problem("sweep.design", Some(v), "must be \"grid\" or \"lhs\"", at)),
            }
            continue;
        }
        if k == "points" {
            if t.get("design").and_then(Value::as_str) != Some("lhs") {
                problems.push(problem(
                    "sweep.points",
                    Some(v),
                    "only with design = \"lhs\" (a grid has every combination)",
                    at,
                ));
            }
            continue;
        }
        if let Some(why) = key_problem(k, base) {
            problems.push(problem(&format!("sweep.\"{k}\""), None, why, at));
            continue;
        }
        match key_values(k, v, at) {
            Ok(axis) => keys.push((k.clone(), v.clone(), axis)),
            Err(p) => problems.push(p),
        }
    }
    if keys.is_empty() && problems.is_empty() {
        problems.push(problem(
            "sweep",
            None,
            "sweeps nothing: add a key, e.g. \"model.share.bad\" = [0.02, 0.04]",
            line("sweep"),
        ));
    }
    if !base.budgets.is_empty() {
        problems.push(problem(
            "budgets",
            None,
            "a budget sweep cannot be combined with [sweep] yet; sweep one strategy's budget as \"strategy.<name>.budget\" instead",
            line("budgets"),
        ));
    }
    // A grid needs every key's values listed.
    let mut levels: Vec<usize> = Vec::new();
    for (k, v, axis) in &keys {
        match axis {
            Axis::Levels(vs) => levels.push(vs.len()),
            Axis::Span { .. } if design == Design::Grid => problems.push(problem(
                &format!("sweep.{k}"),
                Some(v),
                "a range in a grid needs `step` or `points` (a range without them is for design = \"lhs\")",
                line(&format!("sweep.{k}")),
            )),
            Axis::Span { .. } => {}
        }
    }
    let total = match design {
        Design::Lhs { points } => points,
        Design::Grid => match levels.iter().try_fold(1usize, |n, &l| n.checked_mul(l).filter(|&n| n <= MAX_POINTS)) {
            Some(n) => n,
            None => {
                let sizes: Vec<String> = levels.iter().map(usize::to_string).collect();
                problems.push(problem(
                    "sweep",
                    None,
                    format!(
                        "the grid has {} points, over the limit of {MAX_POINTS}; sweep fewer values",
                        sizes.join(" × ")
                    ),
                    line("sweep"),
                ));
                return Err(problems);
            }
        },
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    // File order: the first key varies slowest.
    keys.sort_by_key(|(k, _, _)| line(&format!("sweep.{k}")).unwrap_or(usize::MAX));
    let values: Vec<Vec<Value>> = keys
        .iter()
        .enumerate()
        .map(|(j, (_, _, axis))| match (design, axis) {
            (Design::Grid, Axis::Levels(vs)) => vs.clone(),
            (_, axis) => lhs_column(axis, total, base.seed, j),
        })
        .collect();
    let specs = match design {
        Design::Grid => values.iter().map(|vs| Value::Array(vs.clone())).collect(),
        Design::Lhs { .. } => keys.iter().map(|(_, v, _)| v.clone()).collect(),
    };
    let mut sweep = Sweep {
        design,
        keys: keys.iter().map(|(k, _, _)| k.clone()).collect(),
        values,
        specs,
        points: Vec::with_capacity(total),
    };
    let mut point_problems: Vec<Problem> = Vec::new();
    let mut failed = 0usize;
    for i in 0..total {
        let at: Vec<Value> = match design {
            Design::Lhs { .. } => sweep.values.iter().map(|col| col[i].clone()).collect(),
            Design::Grid => {
                let mut rem = i;
                let mut at = vec![Value::Boolean(false); sweep.keys.len()];
                for (j, vs) in sweep.values.iter().enumerate().rev() {
                    at[j] = vs[rem % vs.len()].clone();
                    rem /= vs.len();
                }
                at
            }
        };
        let label: Vec<String> = sweep.keys.iter().zip(&at).map(|(k, v)| format!("{k} = {}", value_text(v))).collect();
        let label = label.join(", ");
        let mut d = doc.clone();
        let mut errs: Vec<Problem> = Vec::new();
        for (k, v) in sweep.keys.iter().zip(&at) {
            if let Err(e) = apply(&mut d, base, k, v) {
                errs.push(problem(k, Some(v), e, line(&format!("sweep.{k}"))));
            }
        }
        let parsed = if errs.is_empty() { resolve(&d) } else { Err(errs) };
        match parsed {
            Ok(s) => sweep.points.push(Point { values: at, scenario: s }),
            Err(ps) => {
                failed += 1;
                for p in ps {
                    if point_problems.len() < MAX_POINT_PROBLEMS {
                        let message = format!("sweep point {} ({label}): {p}", i + 1);
                        point_problems.push(Problem { key: String::new(), value: None, message, ..p });
                    }
                }
            }
        }
    }
    if failed > 0 {
        point_problems.push(problem("", None, format!("{failed} of the sweep's {total} points are invalid"), None));
        return Err(point_problems);
    }
    Ok(sweep)
}

/// A validated scenario as a document, to put values at sweepable keys and
/// validate the result with the normal parser — what a sweep does for each
/// point, for callers that choose values one at a time (a fit's proposals,
/// `[uncertain]` draws).
#[derive(Debug, Clone)]
pub struct Resolver {
    doc: Table,
    base: Scenario,
}

impl Resolver {
    /// The document of `base` (its resolved TOML, every default filled in).
    pub fn new(base: &Scenario) -> Result<Resolver, String> {
        let doc: Table =
            base.to_resolved_toml().parse().map_err(|e| format!("the resolved scenario does not read back: {e}"))?;
        Ok(Resolver { doc, base: base.clone() })
    }

    /// Why `key` cannot be varied (as in a `[sweep]`), or `None`.
    pub fn key_problem(&self, key: &str) -> Option<String> {
        key_problem(key, &self.base)
    }

    /// The value the scenario has at the dotted `key` (`[model]`,
    /// `[network]`, `[population]` and top-level keys).
    pub fn value(&self, key: &str) -> Option<&Value> {
        let mut t = &self.doc;
        let mut parts = key.split('.').peekable();
        while let Some(p) = parts.next() {
            let v = t.get(p)?;
            if parts.peek().is_none() {
                return Some(v);
            }
            t = v.as_table()?;
        }
        None
    }

    /// The scenario with `keys[i] = values[i]`, validated like a sweep point.
    pub fn at(&self, keys: &[String], values: &[Value]) -> Result<Scenario, Vec<Problem>> {
        let mut d = self.doc.clone();
        for (k, v) in keys.iter().zip(values) {
            apply(&mut d, &self.base, k, v).map_err(|e| vec![problem(k, Some(v), e, None)])?;
        }
        super::parse::resolve_table(&d, self.base.source.as_deref())
    }
}
