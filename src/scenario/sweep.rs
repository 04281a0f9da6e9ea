//! The `[sweep]` table: one scenario, many settings.
//!
//! ```toml
//! [sweep]
//! design = "grid"                                    # full factorial (the default, and for now the only design)
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

/// A validated sweep: its keys, each key's values and every point.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// Swept keys (dotted paths), in file order.
    pub keys: Vec<String>,
    /// Each key's values, ranges expanded, aligned with `keys`.
    pub values: Vec<Vec<Value>>,
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

    /// The `[sweep]` table with every range expanded to its list (it reads
    /// back to the same points), then one comment line per point.
    pub fn to_toml(&self) -> String {
        let mut out = String::from("\n[sweep]\ndesign = \"grid\"\n");
        for (k, vs) in self.keys.iter().zip(&self.values) {
            let key = Value::String(k.clone()).to_string();
            let _ = writeln!(out, "{key} = {}", value_text(&Value::Array(vs.clone())));
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

/// The values of one key: a list, or a range table expanded.
fn key_values(key: &str, v: &Value, line: Option<usize>) -> Result<Vec<Value>, Problem> {
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
            Ok(a.clone())
        }
        Value::Table(t) => range_values(t).map_err(bad),
        _ => Err(bad(
            "must be a list of values ([0.02, 0.04]) or a range ({ from = 0, to = 1, step = 0.1 } or { from, to, points, scale })"
                .into(),
        )),
    }
}

/// `{ from, to, step }` or `{ from, to, points, scale = "linear" | "log" }`.
fn range_values(t: &Table) -> Result<Vec<Value>, String> {
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
    match (t.get("step"), t.get("points")) {
        (Some(_), Some(_)) => Err("give either `step` or `points`, not both".into()),
        (None, None) => Err("a range needs `step` or `points`".into()),
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
            Ok((0..n as usize)
                .map(|i| {
                    let x = tidy(from + i as f64 * step);
                    if all_int {
                        Value::Integer(x as i64)
                    } else {
                        Value::Float(x)
                    }
                })
                .collect())
        }
        (None, Some(p)) => {
            let n = match p.as_integer() {
                Some(n) if (1..=MAX_POINTS as i64).contains(&n) => n as usize,
                _ => return Err(format!("`points` must be a whole number in [1, {MAX_POINTS}]")),
            };
            if scale == "log" && from <= 0.0 {
                return Err(format!("a log range needs `from` > 0 (got {from})"));
            }
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
            Ok((0..n).map(|i| Value::Float(at(i))).collect())
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
fn set_path(t: &mut Table, path: &str, value: Value) -> Result<(), String> {
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
    let mut keys: Vec<(String, Vec<Value>)> = Vec::new();
    for (k, v) in t {
        let at = line(&format!("sweep.{k}"));
        if k == "design" {
            match v.as_str() {
                Some("grid") => {}
                Some("lhs") => problems.push(problem(
                    "sweep.design",
                    Some(v),
                    "Latin hypercube designs are not supported yet; use design = \"grid\"",
                    at,
                )),
                _ => problems.push(problem("sweep.design", Some(v), "must be \"grid\"", at)),
            }
            continue;
        }
        if let Some(why) = key_problem(k, base) {
            problems.push(problem(&format!("sweep.\"{k}\""), None, why, at));
            continue;
        }
        match key_values(k, v, at) {
            Ok(vs) => keys.push((k.clone(), vs)),
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
    let total = keys.iter().try_fold(1usize, |n, (_, vs)| n.checked_mul(vs.len()).filter(|&n| n <= MAX_POINTS));
    let Some(total) = total else {
        let sizes: Vec<String> = keys.iter().map(|(_, vs)| vs.len().to_string()).collect();
        problems.push(problem(
            "sweep",
            None,
            format!("the grid has {} points, over the limit of {MAX_POINTS}; sweep fewer values", sizes.join(" × ")),
            line("sweep"),
        ));
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    // File order: the first key varies slowest.
    keys.sort_by_key(|(k, _)| line(&format!("sweep.{k}")).unwrap_or(usize::MAX));
    let (names, values): (Vec<String>, Vec<Vec<Value>>) = keys.into_iter().unzip();
    let mut sweep = Sweep { keys: names, values, points: Vec::with_capacity(total) };
    let mut point_problems: Vec<Problem> = Vec::new();
    let mut failed = 0usize;
    for i in 0..total {
        let mut rem = i;
        let mut at = vec![Value::Boolean(false); sweep.keys.len()];
        for (j, vs) in sweep.values.iter().enumerate().rev() {
            at[j] = vs[rem % vs.len()].clone();
            rem /= vs.len();
        }
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
