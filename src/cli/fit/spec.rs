//! The fit file (`womsim fit FIT.toml`): what to fit, to which data, by which
//! method. Every key is checked and every problem reported at once, in the
//! scenario's style (`file:line: key = value: what is allowed`), so a user
//! fixes a fit file in one pass. The data themselves are read later (their
//! problems name the data file and line).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use womsim::prior::Prior;
use womsim::scenario::{self, Problem, Scenario, ScenarioErrors};

/// Fitting methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Aggregate Bass curve, nonlinear least squares (Srinivasan & Mason 1986).
    BassNls,
    /// Aggregate Bass curve, the Bass (1969) regression.
    BassOls,
    /// Exact maximum likelihood of a uniform independent-cascade p.
    IcLikelihood,
    /// Approximate Bayesian computation (population Monte Carlo) on any simulated model.
    Abc,
}

/// The `method` names, in documentation order.
pub const METHODS: &[&str] = &["bass_nls", "bass_ols", "ic_likelihood", "abc"];

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::BassNls => "bass_nls",
            Method::BassOls => "bass_ols",
            Method::IcLikelihood => "ic_likelihood",
            Method::Abc => "abc",
        }
    }
    fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "bass_nls" => Method::BassNls,
            "bass_ols" => Method::BassOls,
            "ic_likelihood" => Method::IcLikelihood,
            "abc" => Method::Abc,
            _ => return None,
        })
    }
    pub fn is_bass(self) -> bool {
        matches!(self, Method::BassNls | Method::BassOls)
    }
}

/// What the observed data are.
#[derive(Debug, Clone, PartialEq)]
pub enum DataKind {
    /// Counts per step (per period or cumulative).
    Curve,
    /// Who adopted when, on the scenario's network.
    Cascades,
}

/// Where the observed values come from.
#[derive(Debug, Clone, PartialEq)]
pub enum DataSource {
    /// A data file (relative paths are relative to the fit file).
    File(PathBuf),
    /// `values = [...]`: a curve written in the fit file (periods 1, 2, …).
    Inline(Vec<f64>),
}

/// The `[data]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSpec {
    pub kind: DataKind,
    pub source: DataSource,
    /// Curve counts are cumulative (else per step).
    pub cumulative: bool,
    /// observed = scale × simulated (abc on a curve).
    pub scale: f64,
    /// Bass curve files: keep only rows whose `series` column equals this.
    pub series: Option<String>,
    /// Bass curve files: the column of the period number.
    pub step_column: String,
    /// Bass curve files: the column of the counts.
    pub value_column: String,
    /// Cascade files: `csv` (cascade,node,time) or `lines` (seed u1 t1 …).
    pub format: CascadeFormat,
    /// Cascade files: time units per step.
    pub step_length: f64,
    /// Cascade files: drop rows whose node is not in the network (`unknown = "skip"`), counted in fit.json.
    pub skip_unknown: bool,
    /// Cascade files, `ic_likelihood`: the common observation window in
    /// steps since each cascade's first step (`None`: each cascade's last
    /// observed step, which counts a dead cascade's last chances as censored
    /// rather than failed — biased upwards; docs/FIT_VALIDATION.md).
    pub observed_until: Option<u32>,
}

/// Cascade file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CascadeFormat {
    Csv,
    Lines,
}

/// ABC settings (`[fit]` keys used by `method = "abc"`).
#[derive(Debug, Clone, PartialEq)]
pub struct AbcSettings {
    pub particles: usize,
    pub max_simulations: u64,
    pub min_acceptance: f64,
    pub tolerance: Option<f64>,
    pub quantile: f64,
    pub generations: u32,
}

impl Default for AbcSettings {
    fn default() -> Self {
        AbcSettings {
            particles: 200,
            max_simulations: 20_000,
            min_acceptance: 0.02,
            tolerance: None,
            quantile: 0.5,
            generations: 8,
        }
    }
}

/// A validated fit file.
#[derive(Debug, Clone)]
pub struct FitSpec {
    /// The fit file's text, for the report's appendix.
    pub text: String,
    pub name: String,
    pub description: Option<String>,
    pub seed: u64,
    /// The scenario to simulate (abc, ic_likelihood); `None` for Bass.
    pub scenario: Option<Scenario>,
    pub data: DataSpec,
    pub method: Method,
    pub abc: AbcSettings,
    /// Keys to estimate by abc, with their priors, in file order.
    pub priors: Vec<(String, Prior)>,
    /// Posterior draws written for likelihood and Bass fits.
    pub draws: usize,
    /// abc on a curve: the strategy whose seeds start every simulation (default: the first).
    pub strategy: Option<String>,
    /// `[output] dir`.
    pub out_dir: Option<PathBuf>,
    /// `[output] size`: chart width and height in pixels.
    pub size: (u32, u32),
}

/// Default chart size: the run's charts are 1920×1080; fit charts are
/// viewed several at a time in fit.html, so half that.
pub const DEFAULT_SIZE: (u32, u32) = (1280, 720);

/// Keys allowed in each table (anything else is a problem: a typo must not
/// silently fall back to a default).
const TOP_KEYS: &[&str] = &["name", "description", "seed", "scenario", "data", "fit", "output"];
const DATA_KEYS: &[&str] = &[
    "kind",
    "file",
    "values",
    "cumulative",
    "scale",
    "series",
    "step_column",
    "value_column",
    "format",
    "step_length",
    "unknown",
    "observed_until",
];
const FIT_KEYS: &[&str] = &[
    "method",
    "draws",
    "strategy",
    "particles",
    "max_simulations",
    "min_acceptance",
    "tolerance",
    "quantile",
    "generations",
    "priors",
];
const OUTPUT_KEYS: &[&str] = &["dir", "size"];

/// `womsim list fit`: every key of a fit file, in the style of the
/// scenario's listing.
pub fn list_text() -> String {
    let rows: &[(&str, &[(&str, &str)])] = &[
        (
            "Fit file (womsim fit FIT.toml): estimate parameters from observed data.",
            &[
                ("name", "string; default: the file name — output goes to output/fit_<name>/"),
                ("description", "string; optional"),
                ("seed", "int >= 0; default: 1 — posterior draws and simulations come from it"),
                ("scenario", "path (relative to the fit file) or an inline [scenario] table — the model to simulate (ic_likelihood, abc)"),
            ],
        ),
        (
            "[data] The observed data.",
            &[
                ("kind", "\"curve\" | \"cascades\" — counts per step, or who adopted when on the scenario's network"),
                ("file", "path (relative to the fit file); .gz read transparently for cascades"),
                ("values", "[number, ...] — a curve written inline (periods 1, 2, …), instead of file (Bass fits)"),
                ("cumulative", "bool; default: false — curve counts are running totals (they must never fall)"),
                ("scale", "number > 0; default: 1 — abc on a curve: observed = scale × simulated"),
                ("series", "string — Bass: keep rows whose `series` column equals it"),
                ("step_column", "string; default: \"step\" — Bass: the period column (1, 2, 3, … without gaps)"),
                ("value_column", "string; default: \"adopters\" — Bass: the column of new adopters per period"),
                ("format", "\"csv\" | \"lines\"; default: \"csv\" — cascades: CSV cascade,node,time or `seed u1 t1 u2 t2 …`"),
                ("step_length", "number > 0; default: 1 — cascades: time units per step"),
                ("unknown", "\"error\" | \"skip\"; default: \"error\" — cascades: node ids not in the network"),
                (
                    "observed_until",
                    "whole number ≥ 1; default: each cascade's last step — cascades, ic_likelihood: how many steps \
                     after its first step every cascade was watched (give it when known: the default treats a dead \
                     cascade's last chances as unobserved, which biases p upwards)",
                ),
            ],
        ),
        (
            "[fit] The method.",
            &[
                ("method", "\"bass_nls\" | \"bass_ols\" | \"ic_likelihood\" | \"abc\" (required)"),
                ("draws", "int 1..100000; default: 1000 — posterior.csv rows for bass_* and ic_likelihood"),
                ("strategy", "string — abc on a curve: the scenario strategy whose seeds start each simulation (default: the first)"),
                ("particles", "int 10..100000; default: 200 — abc: posterior sample size"),
                ("max_simulations", "int; default: 20000 — abc: simulation budget"),
                ("min_acceptance", "number in [0, 1]; default: 0.02 — abc: stop when a generation accepts less"),
                ("tolerance", "number >= 0; optional — abc: stop when the tolerance reaches it"),
                ("quantile", "number in (0, 0.99]; default: 0.5 — abc: next tolerance = this quantile of accepted distances"),
                ("generations", "int 1..1000; default: 8 — abc: most generations"),
                ("priors", "table \"model.<key>\" = { dist = \"uniform\" | \"loguniform\" | \"beta\" | \"normal\" | \"triangular\", … } — abc: the keys to estimate"),
            ],
        ),
        (
            "[output] Where to write.",
            &[
                ("dir", "path; default: output/fit_<name>/ — relative to the working directory"),
                ("size", "[int, int] (each 200..8000); default: [1280, 720] — chart size in pixels"),
            ],
        ),
    ];
    let mut out = String::new();
    for (head, keys) in rows {
        out.push_str(head);
        out.push('\n');
        let w = keys.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (k, d) in *keys {
            out.push_str(&format!("    {k:<w$}  {d}\n"));
        }
        out.push('\n');
    }
    out
}

/// Collects problems with the line of their key.
struct Checker<'a> {
    lines: &'a HashMap<String, usize>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn bad(&mut self, key: &str, value: Option<&toml::Value>, message: impl Into<String>) {
        let line = self.lines.get(key).copied().or_else(|| {
            // A missing key: blame its table.
            key.rsplit_once('.').and_then(|(t, _)| self.lines.get(t).copied())
        });
        self.problems.push(Problem {
            key: key.to_string(),
            value: value.map(|v| v.to_string()),
            message: message.into(),
            line,
            column: None,
        });
    }

    fn unknown_keys(&mut self, table: &toml::Table, prefix: &str, allowed: &[&str]) {
        for (k, v) in table {
            if !allowed.contains(&k.as_str()) {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                self.bad(&key, Some(v), format!("unknown key; allowed: {}", allowed.join(", ")));
            }
        }
    }

    fn string(&mut self, t: &toml::Table, prefix: &str, k: &str) -> Option<String> {
        let v = t.get(k)?;
        match v.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.bad(&format!("{prefix}{k}"), Some(v), "must be a string");
                None
            }
        }
    }

    fn boolean(&mut self, t: &toml::Table, prefix: &str, k: &str, default: bool) -> bool {
        match t.get(k) {
            None => default,
            Some(toml::Value::Boolean(b)) => *b,
            Some(v) => {
                self.bad(&format!("{prefix}{k}"), Some(v), "must be true or false");
                default
            }
        }
    }

    /// A number in `[lo, hi]` (`open_lo`: strictly above `lo`).
    fn number(&mut self, t: &toml::Table, prefix: &str, k: &str, range: (f64, f64, bool)) -> Option<f64> {
        let v = t.get(k)?;
        let (lo, hi, open_lo) = range;
        let x = match v {
            toml::Value::Float(f) => *f,
            toml::Value::Integer(i) => *i as f64,
            _ => f64::NAN,
        };
        let ok = x.is_finite() && (if open_lo { x > lo } else { x >= lo }) && x <= hi;
        if ok {
            Some(x)
        } else {
            let low = if open_lo { format!("> {lo}") } else { format!(">= {lo}") };
            let high = if hi.is_finite() { format!(" and <= {hi}") } else { String::new() };
            self.bad(&format!("{prefix}{k}"), Some(v), format!("must be a number {low}{high}"));
            None
        }
    }

    fn integer(&mut self, t: &toml::Table, prefix: &str, k: &str, lo: i64, hi: i64) -> Option<i64> {
        let v = t.get(k)?;
        match v.as_integer() {
            Some(i) if (lo..=hi).contains(&i) => Some(i),
            _ => {
                self.bad(&format!("{prefix}{k}"), Some(v), format!("must be a whole number from {lo} to {hi}"));
                None
            }
        }
    }

    fn choice<'c>(&mut self, t: &toml::Table, prefix: &str, k: &str, allowed: &[&'c str]) -> Option<&'c str> {
        let v = t.get(k)?;
        match v.as_str().and_then(|s| allowed.iter().find(|a| **a == s)) {
            Some(a) => Some(*a),
            None => {
                let list = allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
                self.bad(&format!("{prefix}{k}"), Some(v), format!("must be one of {list}"));
                None
            }
        }
    }

    fn table<'t>(&mut self, t: &'t toml::Table, k: &str) -> Option<&'t toml::Table> {
        let v = t.get(k)?;
        match v.as_table() {
            Some(t) => Some(t),
            None => {
                self.bad(k, Some(v), "must be a table");
                None
            }
        }
    }
}

/// The fit name from the file name (like `womsim new` names a scenario).
fn name_from_path(path: Option<&Path>) -> String {
    path.and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "fit".into())
}

/// Resolve `p` against the fit file's folder.
fn relative_to(base: Option<&Path>, p: &str) -> PathBuf {
    let p = PathBuf::from(p);
    match base.and_then(Path::parent) {
        Some(dir) if p.is_relative() => dir.join(p),
        _ => p,
    }
}

/// Read and check a fit file.
pub fn load(path: &Path) -> Result<FitSpec, ScenarioErrors> {
    match womsim::inputs::read_text_bounded(path, womsim::inputs::MAX_TEXT_BYTES) {
        Ok(text) => parse(&text, Some(path)),
        Err(e) => Err(ScenarioErrors {
            file: Some(path.to_path_buf()),
            problems: vec![Problem {
                key: String::new(),
                value: None,
                message: format!("cannot read the fit file: {e}"),
                line: None,
                column: None,
            }],
        }),
    }
}

/// Check a fit file's text (`path`: where it lives, for relative paths and messages).
pub fn parse(text: &str, path: Option<&Path>) -> Result<FitSpec, ScenarioErrors> {
    let errors = |problems: Vec<Problem>| ScenarioErrors { file: path.map(Path::to_path_buf), problems };
    let doc: toml::Table = match text.parse() {
        Ok(d) => d,
        Err(e) => {
            let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let message = e.message().to_string();
            return Err(errors(vec![Problem { key: String::new(), value: None, message, line, column: None }]));
        }
    };
    let lines = scenario::span_lines(text);
    let mut c = Checker { lines: &lines, problems: Vec::new() };
    c.unknown_keys(&doc, "", TOP_KEYS);

    let name = c.string(&doc, "", "name").unwrap_or_else(|| name_from_path(path));
    if name.trim().is_empty() {
        c.bad("name", doc.get("name"), "must not be empty");
    }
    let description = c.string(&doc, "", "description");
    let seed = c.integer(&doc, "", "seed", 0, i64::MAX).map_or(1, |s| s as u64);

    // [fit]
    let empty = toml::Table::new();
    let fit = c.table(&doc, "fit").unwrap_or(&empty);
    c.unknown_keys(fit, "fit", FIT_KEYS);
    if !fit.contains_key("method") {
        c.bad("fit.method", None, format!("missing; one of \"{}\"", METHODS.join("\", \"")));
    }
    let method = c.choice(fit, "fit.", "method", METHODS).and_then(Method::parse);
    let draws = c.integer(fit, "fit.", "draws", 1, 100_000).map_or(1000, |d| d as usize);
    let strategy = c.string(fit, "fit.", "strategy");
    let mut abc = AbcSettings::default();
    if let Some(p) = c.integer(fit, "fit.", "particles", 10, 100_000) {
        abc.particles = p as usize;
    }
    if let Some(m) = c.integer(fit, "fit.", "max_simulations", 1, 100_000_000) {
        abc.max_simulations = m as u64;
    }
    if let Some(a) = c.number(fit, "fit.", "min_acceptance", (0.0, 1.0, false)) {
        abc.min_acceptance = a;
    }
    abc.tolerance = c.number(fit, "fit.", "tolerance", (0.0, f64::INFINITY, false));
    if let Some(q) = c.number(fit, "fit.", "quantile", (0.0, 0.99, true)) {
        abc.quantile = q;
    }
    if let Some(g) = c.integer(fit, "fit.", "generations", 1, 1000) {
        abc.generations = g as u32;
    }
    let mut priors = Vec::new();
    if let Some(v) = fit.get("priors") {
        match v.as_table() {
            None => c.bad("fit.priors", Some(v), "must be a table of key = { dist = ..., ... }"),
            Some(t) => {
                for (k, pv) in t {
                    let key = format!("fit.priors.{k}");
                    if !k.starts_with("model.") {
                        c.bad(&key, Some(pv), "only model keys (model.<name>) can be estimated");
                    }
                    match Prior::parse(pv) {
                        Ok(p) => priors.push((k.clone(), p)),
                        Err(msgs) => {
                            for m in msgs {
                                c.bad(&key, Some(pv), m);
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(m) = method {
        if m == Method::Abc && fit.get("priors").is_none() {
            c.bad("fit.priors", None, "method = \"abc\" needs the keys to estimate with their priors");
        }
        if m != Method::Abc {
            for k in [
                "priors",
                "strategy",
                "particles",
                "max_simulations",
                "min_acceptance",
                "tolerance",
                "quantile",
                "generations",
            ] {
                if let Some(v) = fit.get(k) {
                    c.bad(
                        &format!("fit.{k}"),
                        Some(v),
                        format!("only method = \"abc\" uses it (method is {:?})", m.name()),
                    );
                }
            }
        }
        if m == Method::Abc && fit.get("draws").is_some() {
            c.bad(
                "fit.draws",
                fit.get("draws"),
                "method = \"abc\" writes its particles; draws is for the other methods",
            );
        }
    }

    // [data]
    let data_t = match c.table(&doc, "data") {
        Some(t) => t,
        None => {
            if !doc.contains_key("data") {
                c.bad("data", None, "missing: the observed data ([data] kind = \"curve\" | \"cascades\", file = ...)");
            }
            &empty
        }
    };
    c.unknown_keys(data_t, "data", DATA_KEYS);
    let kind = match c.choice(data_t, "data.", "kind", &["curve", "cascades"]) {
        Some("cascades") => Some(DataKind::Cascades),
        Some(_) => Some(DataKind::Curve),
        None => {
            if !data_t.contains_key("kind") && doc.contains_key("data") {
                c.bad("data.kind", None, "missing; one of \"curve\", \"cascades\"");
            }
            None
        }
    };
    let file = c.string(data_t, "data.", "file");
    let values = match data_t.get("values") {
        None => None,
        Some(v) => match v
            .as_array()
            .map(|a| a.iter().map(|x| x.as_float().or(x.as_integer().map(|i| i as f64))).collect::<Option<Vec<f64>>>())
        {
            Some(Some(xs)) if !xs.is_empty() && xs.iter().all(|x| x.is_finite() && *x >= 0.0) => Some(xs),
            _ => {
                c.bad("data.values", Some(v), "must be a non-empty list of counts >= 0 (periods 1, 2, …)");
                None
            }
        },
    };
    let source = match (file, values) {
        (Some(f), None) => Some(DataSource::File(relative_to(path, &f))),
        (None, Some(v)) => Some(DataSource::Inline(v)),
        (Some(_), Some(_)) => {
            c.bad("data.values", data_t.get("values"), "give either file or values, not both");
            None
        }
        (None, None) => {
            if data_t.contains_key("values") {
                None
            } else {
                if doc.contains_key("data") {
                    c.bad("data.file", None, "missing: the data file (relative to the fit file)");
                }
                None
            }
        }
    };
    let cumulative = c.boolean(data_t, "data.", "cumulative", false);
    let scale = c.number(data_t, "data.", "scale", (0.0, f64::INFINITY, true)).unwrap_or(1.0);
    let series = c.string(data_t, "data.", "series");
    let step_column = c.string(data_t, "data.", "step_column").unwrap_or_else(|| "step".into());
    let value_column = c.string(data_t, "data.", "value_column").unwrap_or_else(|| "adopters".into());
    let format = match c.choice(data_t, "data.", "format", &["csv", "lines"]) {
        Some("lines") => CascadeFormat::Lines,
        _ => CascadeFormat::Csv,
    };
    let step_length = c.number(data_t, "data.", "step_length", (0.0, f64::INFINITY, true)).unwrap_or(1.0);
    let skip_unknown = c.choice(data_t, "data.", "unknown", &["error", "skip"]) == Some("skip");
    let observed_until = c.integer(data_t, "data.", "observed_until", 1, i64::from(u32::MAX)).map(|v| v as u32);
    if let Some(k) = &kind {
        let only = |c: &mut Checker, keys: &[&str], what: &str| {
            for key in keys {
                if let Some(v) = data_t.get(*key) {
                    c.bad(&format!("data.{key}"), Some(v), format!("only {what} use it"));
                }
            }
        };
        match k {
            DataKind::Curve => only(
                &mut c,
                &["format", "step_length", "unknown", "observed_until"],
                "cascade data (kind = \"cascades\")",
            ),
            DataKind::Cascades => {
                only(
                    &mut c,
                    &["cumulative", "scale", "series", "step_column", "value_column"],
                    "curves (kind = \"curve\")",
                );
                if let Some(v) = data_t.get("values") {
                    c.bad("data.values", Some(v), "cascades are read from a file (data.file)");
                }
            }
        }
    }
    if let (Some(m), Some(k)) = (method, &kind) {
        match (m, k) {
            (Method::BassNls | Method::BassOls, DataKind::Cascades) | (Method::IcLikelihood, DataKind::Curve) => {
                let want = if m.is_bass() { "curve" } else { "cascades" };
                c.bad("data.kind", data_t.get("kind"), format!("method = {:?} fits kind = {want:?} data", m.name()));
            }
            _ => {}
        }
        if m != Method::IcLikelihood {
            if let Some(v) = data_t.get("observed_until") {
                // ABC simulates each cascade for as long as it was observed;
                // only the likelihood needs the window said.
                c.bad("data.observed_until", Some(v), "only method = \"ic_likelihood\" uses it");
            }
        }
        if m.is_bass() {
            for key in ["scale"] {
                if let Some(v) = data_t.get(key) {
                    c.bad(&format!("data.{key}"), Some(v), "a Bass fit estimates the market size m itself; no scale");
                }
            }
        } else {
            for key in ["series", "step_column", "value_column"] {
                if let Some(v) = data_t.get(key) {
                    c.bad(&format!("data.{key}"), Some(v), "only Bass fits read a single-column curve");
                }
            }
        }
    }

    // scenario
    let scenario = match doc.get("scenario") {
        None => {
            if method.is_some_and(|m| !m.is_bass()) {
                c.bad("scenario", None, "missing: the scenario to simulate (a path, or an inline [scenario] table)");
            }
            None
        }
        Some(v) => {
            if method.is_some_and(Method::is_bass) {
                c.bad("scenario", Some(v), "an aggregate Bass fit simulates no scenario; remove it");
                None
            } else {
                load_scenario(v, path, &mut c)
            }
        }
    };
    if let (Some(s), Some(m)) = (&scenario, method) {
        let uniform_ic = matches!(
            s.model,
            womsim::models::ModelSpec::IndependentCascade(womsim::models::IcParams {
                prob: womsim::models::EdgeProb::Uniform(_)
            })
        );
        if m == Method::IcLikelihood && s.model.kind() == "independent_cascade" && !uniform_ic {
            c.bad(
                "scenario",
                doc.get("scenario"),
                "method = \"ic_likelihood\" fits one uniform p: the scenario's model needs weights = \"uniform\"",
            );
        }
        if m == Method::IcLikelihood && s.model.kind() != "independent_cascade" {
            c.bad(
                "scenario",
                doc.get("scenario"),
                format!("method = \"ic_likelihood\" fits an independent_cascade scenario, not {}", s.model.kind()),
            );
        }
    }

    // [output]
    let out = c.table(&doc, "output").unwrap_or(&empty);
    c.unknown_keys(out, "output", OUTPUT_KEYS);
    let out_dir = c.string(out, "output.", "dir").map(PathBuf::from);
    let size = match out.get("size") {
        None => DEFAULT_SIZE,
        Some(v) => match v.as_array().map(|a| a.iter().map(toml::Value::as_integer).collect::<Vec<_>>()).as_deref() {
            Some([Some(w), Some(h)]) if (200..=8000).contains(w) && (200..=8000).contains(h) => (*w as u32, *h as u32),
            _ => {
                c.bad("output.size", Some(v), "must be [width, height] in pixels, each from 200 to 8000");
                DEFAULT_SIZE
            }
        },
    };

    if !c.problems.is_empty() {
        let mut problems = c.problems;
        problems.sort_by_key(|p| p.line.unwrap_or(0));
        return Err(errors(problems));
    }
    Ok(FitSpec {
        text: text.to_string(),
        name,
        description,
        seed,
        scenario,
        data: DataSpec {
            kind: kind.expect("checked"),
            source: source.expect("checked"),
            cumulative,
            scale,
            series,
            step_column,
            value_column,
            format,
            step_length,
            skip_unknown,
            observed_until,
        },
        method: method.expect("checked"),
        abc,
        priors,
        draws,
        strategy,
        out_dir,
        size,
    })
}

/// `scenario = "path.toml"` (relative to the fit file) or an inline
/// `[scenario]` table; its problems become the fit file's, prefixed.
fn load_scenario(v: &toml::Value, path: Option<&Path>, c: &mut Checker) -> Option<Scenario> {
    let result = match v {
        toml::Value::String(p) => scenario::load(&relative_to(path, p)),
        toml::Value::Table(t) => match toml::to_string(t) {
            // Relative paths inside resolve against the fit file's folder.
            Ok(text) => scenario::parse_str(&text, path),
            Err(e) => {
                c.bad("scenario", Some(v), format!("cannot be read back as a scenario: {e}"));
                return None;
            }
        },
        _ => {
            c.bad("scenario", Some(v), "must be a scenario file path or a [scenario] table");
            return None;
        }
    };
    match result {
        Ok(s) => Some(s),
        Err(e) => {
            for line in e.to_string().lines() {
                c.bad("scenario", None, format!("invalid scenario: {line}"));
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_text_documents_every_key_the_checker_accepts() {
        let text = list_text();
        for k in TOP_KEYS.iter().chain(DATA_KEYS).chain(FIT_KEYS).chain(OUTPUT_KEYS) {
            if !["data", "fit", "output"].contains(k) {
                assert!(text.contains(&format!("    {k} ")), "{k} is not listed");
            }
        }
        let d = AbcSettings::default();
        for fact in [
            format!("default: {}", d.particles),
            format!("default: {}", d.max_simulations),
            format!("default: {}", d.generations),
        ] {
            assert!(text.contains(&fact), "{fact}");
        }
    }

    #[test]
    fn problems_carry_their_lines_and_all_are_reported() {
        let text = "seed = \"x\"\n[data]\nkind = \"curve\"\nvalues = [1, -2]\nscale = 2\n[fit]\nmethod = \"bass_ols\"\nquantile = 0.5\n";
        let e = parse(text, Some(Path::new("f.toml"))).unwrap_err();
        let lines: Vec<Option<usize>> = e.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![Some(1), Some(4), Some(5), Some(8)], "{e}");
        let ok = parse("[data]\nkind = \"curve\"\nvalues = [1, 2, 3]\n[fit]\nmethod = \"bass_nls\"\n", None).unwrap();
        assert_eq!((ok.name.as_str(), ok.seed, ok.draws), ("fit", 1, 1000));
    }
}
