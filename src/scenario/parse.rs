//! Two-step validation: raw TOML (syntax, unknown keys, types and ranges
//! from the [schema](super::schema)) then resolved (defaults, cross-checks,
//! files). Every problem is collected; nothing is returned until the whole
//! scenario is valid. Nothing here panics on any input.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::{Table, Value};

use super::decl::{as_num, Declared};
use super::schema::{self, value_text, Key, Section, Ty};
use super::sweep::{self, Sweep};
use super::{NetworkSource, OutputSpec, Scenario};
use crate::graph::edgelist::IdMode;
use crate::graph::formats::{Format, WeightNorm};
use crate::graph::generators::GeneratorSpec;
use crate::graph::GraphError;
use crate::models::{EdgeProb, IcParams, ModelSpec, RcParams};
use crate::population::PopulationSpec;
use crate::seeding::{Band, Budget, CostModel, Objective, Pick, Pool, Reseed, StrategyKind, StrategySpec};

/// Tolerance on the interest mix summing to 1.
pub const MIX_TOLERANCE: f64 = 1e-9;

/// One problem found in a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Key path (`model.share.bad`, `strategy[2].budget`); empty for whole-file problems.
    pub key: String,
    /// The value given, as written in TOML; `None` when missing or not applicable.
    pub value: Option<String>,
    /// What is wrong / what is allowed.
    pub message: String,
    /// 1-based line in the scenario file, when known.
    pub line: Option<usize>,
    /// 1-based column (syntax errors only).
    pub column: Option<usize>,
}

impl fmt::Display for Problem {
    /// `key = value: message`, control characters escaped (`\u{1b}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match (&self.key.is_empty(), &self.value) {
            (true, _) => self.message.clone(),
            (false, Some(v)) => format!("{} = {}: {}", self.key, v, self.message),
            (false, None) => format!("{}: {}", self.key, self.message),
        };
        f.write_str(&printable(&text))
    }
}

/// `s` with every control character (C0, DEL, C1) escaped as Rust does
/// (`\n`, `\u{1b}`), so that none from a scenario reaches a terminal raw.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Every problem of a scenario, reported together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioErrors {
    /// The scenario file, when there is one.
    pub file: Option<PathBuf>,
    /// In file order (line), whole-file problems first.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ScenarioErrors {
    /// One problem per line: `file:line: key = value: what is allowed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "<scenario>".into());
        let file = printable(&file);
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match (p.line, p.column) {
                (Some(l), Some(c)) => write!(f, "{file}:{l}:{c}: {p}")?,
                (Some(l), None) => write!(f, "{file}:{l}: {p}")?,
                _ => write!(f, "{file}: {p}")?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

impl ScenarioErrors {
    fn single(file: Option<&Path>, message: String) -> Self {
        ScenarioErrors {
            file: file.map(Path::to_path_buf),
            problems: vec![Problem { key: String::new(), value: None, message, line: None, column: None }],
        }
    }
}

/// Read and validate a scenario file. Only a regular file of at most
/// [`MAX_TEXT_BYTES`](crate::inputs::MAX_TEXT_BYTES) of UTF-8 is read (a FIFO
/// or a device is refused at once).
pub fn load(path: &Path) -> Result<super::Scenario, ScenarioErrors> {
    load_with_sweep(path).map(|(s, _)| s)
}

/// [`load`], plus the scenario's `[sweep]` when it has one ([`parse_with_sweep`]).
pub fn load_with_sweep(path: &Path) -> Result<(super::Scenario, Option<Sweep>), ScenarioErrors> {
    match crate::inputs::read_text_bounded(path, crate::inputs::MAX_TEXT_BYTES) {
        Ok(text) => parse_with_sweep(&text, Some(path)),
        Err(e) => Err(ScenarioErrors::single(Some(path), format!("cannot read the scenario file: {e}"))),
    }
}

// ------------------------------------------------------------------ helpers

/// 1-based line and column of byte offset `pos`.
fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let before = text.get(..pos).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

/// 1-based line of byte offset `pos`, given the offsets of every newline
/// (a binary search: linear in the document overall, where counting from
/// the start for every key made 100,000 tables take minutes).
fn line_at(newlines: &[usize], pos: usize) -> usize {
    newlines.partition_point(|&nl| nl < pos) + 1
}

/// Key path → line, for every key and table of the document (also used by
/// the fit file's checks, so its problems carry lines like a scenario's).
pub fn span_lines(text: &str) -> HashMap<String, usize> {
    fn walk(newlines: &[usize], prefix: &str, t: &DeTable<'_>, out: &mut HashMap<String, usize>) {
        for (k, v) in t.iter() {
            let name = if prefix.is_empty() { k.get_ref().to_string() } else { format!("{prefix}.{}", k.get_ref()) };
            out.insert(name.clone(), line_at(newlines, k.span().start));
            match v.get_ref() {
                DeValue::Table(sub) => walk(newlines, &name, sub, out),
                DeValue::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if let DeValue::Table(sub) = item.get_ref() {
                            let p = format!("{name}[{}]", i + 1);
                            out.insert(p.clone(), line_at(newlines, item.span().start));
                            walk(newlines, &p, sub, out);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = HashMap::new();
    if let Ok(doc) = DeTable::parse(text) {
        let newlines: Vec<usize> = text.bytes().enumerate().filter(|&(_, c)| c == b'\n').map(|(i, _)| i).collect();
        walk(&newlines, "", doc.get_ref(), &mut out);
    }
    out
}

/// Levenshtein distance (for "did you mean").
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate within a third of the word's length (at least 2 edits).
/// A candidate that extends the word (`barabasi` → `barabasi_albert`) also counts.
pub(crate) fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let word = word.to_ascii_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| {
            let d = if word.chars().count() >= 3 && c.starts_with(&word) { 1 } else { edit_distance(&word, c) };
            (d, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn num_in(x: f64, min: f64, min_open: bool, max: f64) -> bool {
    x.is_finite() && (if min_open { x > min } else { x >= min }) && x <= max
}

/// Whether `v` is allowed by `ty`.
fn valid(ty: &Ty, v: &Value) -> bool {
    match ty {
        Ty::Bool => v.is_bool(),
        Ty::Int { min, max } => matches!(v, Value::Integer(i) if i >= min && i <= max),
        Ty::Num { min, min_open, max } => as_num(v).is_some_and(|x| num_in(x, *min, *min_open, *max)),
        Ty::Open01 => as_num(v).is_some_and(|x| x > 0.0 && x < 1.0),
        Ty::Prob | Ty::Frac => as_num(v).is_some_and(|x| (0.0..=1.0).contains(&x)),
        Ty::Str => v.is_str(),
        Ty::Name => v.as_str().is_some_and(|s| valid_name(s) && s.chars().count() <= schema::MAX_NAME_CHARS),
        Ty::Label => v.as_str().is_some_and(|s| {
            !s.trim().is_empty()
                && s.trim() == s
                && !s.chars().any(char::is_control)
                && s.chars().count() <= schema::MAX_NAME_CHARS
        }),
        Ty::Choice(c) => v.as_str().is_some_and(|s| c.contains(&s)),
        Ty::IntPair { min, max } => match v.as_array() {
            Some(a) if a.len() == 2 => match (&a[0], &a[1]) {
                (Value::Integer(lo), Value::Integer(hi)) => lo >= min && hi <= max && lo <= hi,
                _ => false,
            },
            _ => false,
        },
        Ty::NumPair { min, max } => match v.as_array() {
            Some(a) if a.len() == 2 => match (as_num(&a[0]), as_num(&a[1])) {
                (Some(lo), Some(hi)) => lo >= *min && hi <= *max && lo <= hi,
                _ => false,
            },
            _ => false,
        },
        Ty::Size => match v.as_array() {
            Some(a) if a.len() == 2 => match (&a[0], &a[1]) {
                (Value::Integer(w), Value::Integer(h)) => {
                    (schema::MIN_SIZE.0..=schema::MAX_SIDE).contains(w)
                        && (schema::MIN_SIZE.1..=schema::MAX_SIDE).contains(h)
                }
                _ => false,
            },
            _ => false,
        },
        Ty::IntList { min, max } => {
            v.as_array().is_some_and(|a| a.iter().all(|x| matches!(x, Value::Integer(i) if i >= min && i <= max)))
        }
        Ty::NumList { min, min_open } => v
            .as_array()
            .is_some_and(|a| a.iter().all(|x| as_num(x).is_some_and(|x| num_in(x, *min, *min_open, f64::INFINITY)))),
        Ty::ChoiceList(c) => v.as_array().is_some_and(|a| a.iter().all(|x| x.as_str().is_some_and(|s| c.contains(&s)))),
        Ty::IdList => v.as_array().is_some_and(|a| {
            a.iter().all(|x| match x {
                Value::String(s) => !s.trim().is_empty(),
                Value::Integer(i) => *i >= 0,
                _ => false,
            })
        }),
        Ty::Path => v.as_str().is_some_and(|s| {
            !s.trim().is_empty() && !s.chars().any(char::is_control) && s.len() <= schema::MAX_PATH_BYTES
        }),
    }
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// Sanitize a file stem into a valid scenario name.
fn name_from_stem(stem: &str) -> String {
    let s: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect();
    if valid_name(&s) {
        s
    } else {
        "scenario".into()
    }
}

/// Collects problems, attaching line numbers from the span map.
struct Errs<'a> {
    problems: Vec<Problem>,
    lines: &'a HashMap<String, usize>,
}

impl Errs<'_> {
    fn line_of(&self, key: &str) -> Option<usize> {
        let mut k = key;
        loop {
            if let Some(l) = self.lines.get(k) {
                return Some(*l);
            }
            match k.rfind(['.', '[']) {
                Some(i) => k = &k[..i],
                None => return None,
            }
        }
    }

    /// A problem given as one line `key = value: message` (or `key: message`),
    /// the form of the graph generators' parameter checks.
    fn bad_line(&mut self, line: &str) {
        let (key, value, message) = split_problem_line(line);
        let line = self.line_of(key);
        self.problems.push(Problem {
            key: key.to_string(),
            value: value.map(String::from),
            message: message.to_string(),
            line,
            column: None,
        });
    }

    fn bad(&mut self, key: &str, value: Option<&Value>, message: impl Into<String>) {
        let line = self.line_of(key);
        self.problems.push(Problem {
            key: key.to_string(),
            value: value.map(value_text),
            message: message.into(),
            line,
            column: None,
        });
    }
}

fn join(prefix: &str, k: &str) -> String {
    if prefix.is_empty() {
        k.to_string()
    } else {
        format!("{prefix}.{k}")
    }
}

fn flatten<'v>(prefix: &str, t: &'v Table, out: &mut Vec<(String, &'v Value)>) {
    for (k, v) in t {
        let name = join(prefix, k);
        match v {
            Value::Table(sub) => flatten(&name, sub, out),
            _ => out.push((name, v)),
        }
    }
}

/// `(key, value, message)` of a problem line `key = value: message` (or `key: message`).
fn split_problem_line(line: &str) -> (&str, Option<&str>, &str) {
    let (head, message) = line.split_once(": ").unwrap_or(("", line));
    match head.split_once(" = ") {
        Some((k, v)) => (k, Some(v), message),
        None => (head, None, message),
    }
}

/// One table (or array element) checked against its schema keys.
struct Sec<'v> {
    path: String,
    keys: Vec<&'static Key>,
    given: HashMap<String, &'v Value>,
    valid: HashMap<String, &'v Value>,
}

impl<'v> Sec<'v> {
    /// Check `entries` against the keys of `sections`: unknown keys (with a
    /// hint), types and ranges, missing required keys. With `lenient`
    /// (the kind is unknown) unknown keys are not reported.
    fn new(
        path: &str,
        entries: Vec<(String, &'v Value)>,
        sections: &[&'static Section],
        kind_label: Option<&str>,
        lenient: bool,
        errs: &mut Errs<'_>,
    ) -> Self {
        let keys: Vec<&'static Key> = sections.iter().flat_map(|s| s.keys.iter()).collect();
        let mut sec = Sec { path: path.to_string(), keys, given: HashMap::new(), valid: HashMap::new() };
        for (name, v) in entries {
            let full = join(path, &name);
            match sec.keys.iter().find(|k| k.name == name) {
                None => {
                    if lenient {
                        continue;
                    }
                    let names: Vec<&str> = sec.keys.iter().map(|k| k.name.as_str()).collect();
                    let msg = unknown_key_message(&name, &names, kind_label);
                    errs.bad(&full, None, msg);
                }
                Some(k) => {
                    sec.given.insert(name.clone(), v);
                    if valid(&k.ty, v) {
                        sec.valid.insert(name, v);
                    } else {
                        let mut msg = format!("must be {}", k.ty.allowed());
                        if let (Ty::Choice(c), Some(s)) = (&k.ty, v.as_str()) {
                            if let Some(h) = closest(s, c.iter().copied()) {
                                msg.push_str(&format!("; did you mean \"{h}\"?"));
                            }
                        }
                        errs.bad(&full, Some(v), msg);
                    }
                }
            }
        }
        for k in &sec.keys {
            if k.required() && !sec.given.contains_key(&k.name) {
                errs.bad(&join(path, &k.name), None, format!("missing; required: {}", k.ty.allowed()));
            }
        }
        sec
    }

    fn full(&self, k: &str) -> String {
        join(&self.path, k)
    }

    /// Every required key is given and valid.
    fn required_valid(&self) -> bool {
        self.keys.iter().filter(|k| k.required()).all(|k| self.valid.contains_key(&k.name))
    }

    /// `k` was given with a value that failed validation (already reported).
    fn invalid(&self, k: &str) -> bool {
        self.given.contains_key(k) && !self.valid.contains_key(k)
    }

    fn given(&self, k: &str) -> bool {
        self.check_declared(k);
        self.given.contains_key(k)
    }

    fn raw(&self, k: &str) -> Option<&'v Value> {
        self.check_declared(k);
        self.valid.get(k).copied()
    }

    /// Reading a key the section's schema does not declare is a bug (it
    /// would silently read as absent): caught by the tests, which exercise
    /// every kind.
    fn check_declared(&self, k: &str) {
        debug_assert!(self.keys.iter().any(|x| x.name == k), "`{}` reads the undeclared key `{k}`", self.path);
    }

    /// The parameter struct `P` from this section's valid keys (see [`decl`]).
    fn declared<P: Declared>(&self) -> P {
        P::from_values(|k| self.raw(k))
    }

    /// The valid value of `k`, else its schema default.
    fn value(&self, k: &str) -> Option<Value> {
        self.check_declared(k);
        if let Some(v) = self.valid.get(k) {
            return Some((*v).clone());
        }
        self.keys.iter().find(|x| x.name == k).and_then(|x| x.default.clone())
    }

    fn num(&self, k: &str) -> f64 {
        self.value(k).as_ref().and_then(as_num).unwrap_or(0.0)
    }

    fn int(&self, k: &str) -> i64 {
        match self.value(k) {
            Some(Value::Integer(i)) => i,
            _ => 0,
        }
    }

    fn u32(&self, k: &str) -> u32 {
        u32::try_from(self.int(k).max(0)).unwrap_or(u32::MAX)
    }

    fn string(&self, k: &str) -> String {
        match self.value(k) {
            Some(Value::String(s)) => s,
            _ => String::new(),
        }
    }

    fn boolean(&self, k: &str) -> bool {
        matches!(self.value(k), Some(Value::Boolean(true)))
    }
}

fn unknown_key_message(name: &str, names: &[&str], kind_label: Option<&str>) -> String {
    let prefix = format!("{name}.");
    let children: Vec<&str> = names.iter().copied().filter(|n| n.starts_with(&prefix)).collect();
    if !children.is_empty() {
        return format!("must be a table with keys {}", children.join(", "));
    }
    if name == "budgets" && names.contains(&"budget") {
        return "unknown key: `budgets` (a budget sweep) is a top-level key and applies to every strategy".into();
    }
    let mut msg = match kind_label {
        Some(k) => format!("unknown key for kind \"{k}\""),
        None => "unknown key".to_string(),
    };
    if let Some(h) = closest(name, names.iter().copied()) {
        msg.push_str(&format!("; did you mean `{h}`?"));
    } else if kind_label.is_some() && names.len() <= 12 {
        msg.push_str(&format!("; allowed: {}", names.join(", ")));
    }
    msg
}

/// Check a table with a `kind` key. Returns the kind (when valid) and the checked section.
fn kinded<'v>(
    path: &str,
    table: &'v Table,
    tname: &'static str,
    default_kind: Option<&'static str>,
    errs: &mut Errs<'_>,
) -> (Option<&'static str>, Sec<'v>) {
    let kinds = schema::kinds(tname);
    let kind = match table.get("kind") {
        None => default_kind,
        Some(Value::String(s)) => kinds.iter().copied().find(|k| k == s),
        Some(_) => None,
    };
    let mut entries = Vec::new();
    flatten("", table, &mut entries);
    let mut sections = Vec::new();
    if let Some(common) = schema::section(tname, None) {
        sections.push(common);
    }
    if let Some(k) = kind {
        if let Some(s) = schema::section(tname, Some(k)) {
            sections.push(s);
        }
    }
    let sec = Sec::new(path, entries, &sections, kind, kind.is_none(), errs);
    (kind, sec)
}

/// Resolve a file path against the scenario file's folder; must exist.
pub(super) fn resolve_file(base: &Path, rel: &str) -> Result<PathBuf, String> {
    let p = base.join(rel);
    match std::fs::canonicalize(&p) {
        // Opened (without blocking) to check that it is a readable regular file.
        Ok(abs) => match crate::inputs::open_regular(&abs) {
            Ok(_) => Ok(abs),
            Err(e) => Err(format!("cannot read {}: {e}", abs.display())),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("file not found (looked for {})", p.display()))
        }
        // A symbolic-link loop, a folder that may not be searched, …
        Err(e) => Err(format!("cannot read {}: {e}", p.display())),
    }
}

// ------------------------------------------------------------------ parse

const TABLES: &[&str] = &["network", "population", "model", "strategy", "output"];

/// Validate a scenario given as text. `source` is the file it came from:
/// relative paths inside are resolved against its folder (the working
/// directory when `None`), and it names the file in error messages. A
/// `[sweep]` table is validated too (every point) and left out of the
/// result; [`parse_with_sweep`] returns it.
pub fn parse_str(text: &str, source: Option<&Path>) -> Result<Scenario, ScenarioErrors> {
    parse_with_sweep(text, source).map(|(s, _)| s)
}

/// [`parse_str`], plus the scenario's `[sweep]` ([`super::sweep`]) with
/// every point validated, when it has one.
pub fn parse_with_sweep(text: &str, source: Option<&Path>) -> Result<(Scenario, Option<Sweep>), ScenarioErrors> {
    let file = source.map(Path::to_path_buf);
    let mut doc: Table = match text.parse::<Table>() {
        Ok(t) => t,
        Err(first) => {
            let (_, all) = DeTable::parse_recoverable(text);
            let errors = if all.is_empty() { vec![first] } else { all };
            let problems = errors
                .iter()
                .map(|e| {
                    let (line, column) = match e.span() {
                        Some(s) => {
                            let (l, c) = line_col(text, s.start);
                            (Some(l), Some(c))
                        }
                        None => (None, None),
                    };
                    Problem {
                        key: String::new(),
                        value: None,
                        message: format!("TOML syntax error: {}", e.message().trim().replace('\n', "; ")),
                        line,
                        column,
                    }
                })
                .collect();
            return Err(ScenarioErrors { file, problems });
        }
    };
    let lines = span_lines(text);
    let base: PathBuf = match source.and_then(Path::parent) {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let raw_sweep = doc.remove("sweep");
    let raw_uncertain = doc.remove("uncertain");
    let resolve_doc = |doc: &Table| resolve_lines(doc, source, &base, &lines);
    let mut scenario = resolve_doc(&doc).map_err(|problems| ScenarioErrors { file: file.clone(), problems })?;
    let errs = Errs { problems: Vec::new(), lines: &lines };
    let line = |k: &str| errs.line_of(k);
    if let Some(raw) = raw_uncertain {
        if raw_sweep.is_some() {
            let message = "[uncertain] cannot be combined with [sweep] yet: run each sweep point as its own \
                           scenario with [uncertain], or sweep without it"
                .to_string();
            let problem =
                Problem { key: "uncertain".into(), value: None, message, line: line("uncertain"), column: None };
            return Err(ScenarioErrors { file, problems: vec![problem] });
        }
        let u =
            super::uncertain::expand(&raw, &doc, &scenario, &base, &line, &resolve_doc).map_err(|mut problems| {
                problems.sort_by_key(|p| p.line.unwrap_or(0));
                ScenarioErrors { file: file.clone(), problems }
            })?;
        if let Some(s) = &u.samples {
            if !scenario.inputs.contains(&s.path) {
                scenario.inputs.push(s.path.clone());
            }
        }
        scenario.uncertain = Some(u);
        return Ok((scenario, None));
    }
    let Some(raw) = raw_sweep else { return Ok((scenario, None)) };
    match sweep::expand(&raw, &doc, &scenario, &line, &resolve_doc) {
        Ok(sw) => Ok((scenario, Some(sw))),
        Err(mut problems) => {
            problems.sort_by_key(|p| p.line.unwrap_or(0));
            Err(ScenarioErrors { file, problems })
        }
    }
}

/// Resolve a scenario document (its key lines in `lines`), every problem
/// sorted by line.
fn resolve_lines(
    doc: &Table,
    source: Option<&Path>,
    base: &Path,
    lines: &HashMap<String, usize>,
) -> Result<Scenario, Vec<Problem>> {
    let mut errs = Errs { problems: Vec::new(), lines };
    let scenario = resolve(doc, source, base, &mut errs);
    let mut problems = errs.problems;
    problems.sort_by_key(|p| p.line.unwrap_or(0));
    match scenario {
        Some(s) if problems.is_empty() => Ok(s),
        _ => {
            if problems.is_empty() {
                problems.push(Problem {
                    key: String::new(),
                    value: None,
                    message: "invalid scenario".into(),
                    line: None,
                    column: None,
                });
            }
            Err(problems)
        }
    }
}

/// Resolve a document built in code (no source text, so no line numbers);
/// relative paths are taken from the working directory (a resolved
/// scenario's paths are already absolute).
pub(crate) fn resolve_table(doc: &Table, source: Option<&Path>) -> Result<Scenario, Vec<Problem>> {
    resolve_lines(doc, source, Path::new("."), &HashMap::new())
}

fn sub_table<'v>(doc: &'v Table, name: &str, errs: &mut Errs<'_>) -> Option<&'v Table> {
    match doc.get(name) {
        None => None,
        Some(Value::Table(t)) => Some(t),
        Some(v) => {
            errs.bad(name, Some(v), format!("must be a table: write [{name}] and its keys below it"));
            None
        }
    }
}

fn resolve(doc: &Table, source: Option<&Path>, base: &Path, errs: &mut Errs<'_>) -> Option<Scenario> {
    // ---- top level
    let top_sec = schema::section("", None)?;
    let mut entries = Vec::new();
    for (k, v) in doc {
        if TABLES.contains(&k.as_str()) {
            continue;
        }
        if v.is_table() || matches!(v, Value::Array(a) if a.first().is_some_and(Value::is_table)) {
            // an unknown table: hint among the table names too
            let mut msg = "unknown table".to_string();
            let cands = TABLES.iter().copied().chain(top_sec.keys.iter().map(|k| k.name.as_str()));
            if let Some(h) = closest(k, cands) {
                msg.push_str(&format!("; did you mean `{h}`?"));
            } else {
                msg.push_str(&format!("; tables are {}", TABLES.join(", ")));
            }
            errs.bad(k, None, msg);
            continue;
        }
        entries.push((k.clone(), v));
    }
    let top = Sec::new("", entries, &[top_sec], None, false, errs);
    let name = match top.raw("name") {
        Some(Value::String(s)) => s.clone(),
        _ => source
            .and_then(|p| p.file_stem())
            .map(|s| name_from_stem(&s.to_string_lossy()))
            .unwrap_or_else(|| "scenario".into()),
    };
    let description = top.string("description");
    let seed = u64::try_from(top.int("seed")).unwrap_or(0);
    let replicates = top.u32("replicates");
    let steps = top.u32("steps");
    let budgets: Vec<f64> = match top.raw("budgets") {
        Some(Value::Array(a)) => a.iter().filter_map(as_num).collect(),
        _ => Vec::new(),
    };

    // ---- network
    let (network, nodes_known) = match sub_table(doc, "network", errs) {
        None => {
            if !doc.contains_key("network") {
                errs.bad(
                    "network",
                    None,
                    format!("missing; add a [network] table with kind = one of {}", quote_list(schema::NETWORK_KINDS)),
                );
            }
            (None, None)
        }
        Some(t) => resolve_network(t, base, errs),
    };
    let edge_list = matches!(network, Some(NetworkSource::EdgeList { .. }));

    // ---- model
    let model = match sub_table(doc, "model", errs) {
        None => Some(ModelSpec::RelationshipChain(RcParams::default())),
        Some(t) => resolve_model(t, edge_list, errs),
    };
    let has_roles = model.as_ref().is_none_or(ModelSpec::has_roles);

    // ---- population
    let population = match sub_table(doc, "population", errs) {
        None => PopulationSpec::default(),
        Some(t) => {
            if !has_roles {
                errs.bad(
                    "population",
                    None,
                    format!(
                        "only the relationship_chain model has friends; remove [population] for model.kind = \"{}\"",
                        model.as_ref().map(ModelSpec::kind).unwrap_or("?")
                    ),
                );
            }
            resolve_population(t, base, errs)
        }
    };

    // ---- strategies
    let mut seed_files = Vec::new();
    let strategies = resolve_strategies(doc, base, nodes_known, model.as_ref(), &mut seed_files, errs);

    // ---- budget sweep cross-checks
    if let Some(Value::Array(arr)) = top.raw("budgets") {
        let v = top.raw("budgets");
        if arr.is_empty() {
            errs.bad("budgets", v, "must list at least one budget (or leave `budgets` out)");
        }
        let people = strategies.iter().any(|s| matches!(s.budget, Budget::People(_)));
        if people {
            if let Some(b) = budgets.iter().find(|b| b.fract() != 0.0 || **b > f64::from(u32::MAX)) {
                errs.bad(
                    "budgets",
                    v,
                    format!("{b} is not a whole number of people (strategies with budget_unit = \"people\")"),
                );
            }
            if let Some(n) = nodes_known {
                if let Some(b) = budgets.iter().find(|b| **b > n as f64) {
                    errs.bad("budgets", v, format!("{b} exceeds the network's {n} nodes"));
                }
            }
        }
        for (i, s) in strategies.iter().enumerate() {
            if let StrategyKind::Explicit { nodes } = &s.kind {
                if let Some(b) = budgets.iter().find(|b| **b > nodes.len() as f64) {
                    errs.bad(
                        &format!("strategy[{}].nodes", i + 1),
                        None,
                        format!("the sweep asks for {b} seeds but only {} nodes are listed", nodes.len()),
                    );
                }
            }
        }
    }

    // ---- output
    let output = match sub_table(doc, "output", errs) {
        None => OutputSpec::default(),
        Some(t) => {
            let mut entries = Vec::new();
            flatten("", t, &mut entries);
            let sec = Sec::new("output", entries, &[schema::section("output", None)?], None, false, errs);
            sec.declared::<OutputSpec>()
        }
    };

    let mut inputs: Vec<PathBuf> = source.map(Path::to_path_buf).into_iter().collect();
    if let Some(NetworkSource::EdgeList { path, .. }) = &network {
        inputs.push(path.clone());
    }
    if let Some(f) = &population.file {
        inputs.push(f.clone());
    }
    for f in seed_files {
        if !inputs.contains(&f) {
            inputs.push(f);
        }
    }

    Some(Scenario {
        name,
        description,
        seed,
        replicates,
        steps,
        network: network?,
        population,
        model: model?,
        strategies,
        budgets,
        output,
        source: source.map(Path::to_path_buf),
        inputs,
        uncertain: None,
    })
}

fn quote_list(l: &[&str]) -> String {
    l.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

fn resolve_network(t: &Table, base: &Path, errs: &mut Errs<'_>) -> (Option<NetworkSource>, Option<u64>) {
    let (kind, sec) = kinded("network", t, "network", None, errs);
    let Some(kind) = kind else { return (None, None) };
    let nodes = || sec.u32("nodes");
    let spec = match kind {
        "erdos_renyi" => GeneratorSpec::ErdosRenyi { nodes: nodes(), mean_degree: sec.num("mean_degree") },
        "barabasi_albert" => GeneratorSpec::BarabasiAlbert { nodes: nodes(), m: sec.u32("m") },
        "watts_strogatz" => GeneratorSpec::WattsStrogatz { nodes: nodes(), k: sec.u32("k"), beta: sec.num("beta") },
        "sbm" => {
            let sizes: Vec<u32> = match sec.raw("sizes") {
                Some(Value::Array(a)) => {
                    a.iter().filter_map(|x| x.as_integer()).map(|x| u32::try_from(x).unwrap_or(0)).collect()
                }
                _ => Vec::new(),
            };
            let total: u64 = sizes.iter().map(|&s| u64::from(s)).sum();
            if total > schema::MAX_NODES as u64 {
                errs.bad(
                    &sec.full("sizes"),
                    sec.raw("sizes"),
                    format!("total {total} exceeds {} nodes", schema::MAX_NODES),
                );
            }
            GeneratorSpec::Sbm { sizes, p_in: sec.num("p_in"), p_out: sec.num("p_out") }
        }
        "follower" => {
            GeneratorSpec::Follower { nodes: nodes(), follows: sec.u32("follows"), reciprocity: sec.num("reciprocity") }
        }
        "configuration" => GeneratorSpec::Configuration {
            nodes: nodes(),
            exponent: sec.num("exponent"),
            min_degree: sec.u32("min_degree"),
            max_degree: sec.u32("max_degree"),
        },
        "random_regular" => GeneratorSpec::RandomRegular { nodes: nodes(), degree: sec.u32("degree") },
        "complete" => GeneratorSpec::Complete { nodes: nodes() },
        "ring" => GeneratorSpec::Ring { nodes: nodes() },
        _ => {
            // edge_list
            let directed = sec.boolean("directed");
            let path = match sec.raw("path") {
                Some(Value::String(p)) => match resolve_file(base, p) {
                    Ok(abs) => Some(abs),
                    Err(e) => {
                        errs.bad(&sec.full("path"), sec.raw("path"), e);
                        None
                    }
                },
                _ => None,
            };
            let ids = IdMode::from_name(&sec.string("ids")).unwrap_or_default();
            // "auto" (or an invalid value, reported already): by extension.
            let format = Format::from_name(&sec.string("format"));
            let normalize = WeightNorm::from_name(&sec.string("normalize_weights")).unwrap_or_default();
            return (path.map(|path| NetworkSource::EdgeList { path, directed, ids, format, normalize }), None);
        }
    };
    // The checks between keys (m < nodes, k even, ...) are the generator's
    // own, the ones `generate` applies: written once, in `GeneratorSpec::validate`.
    // Invalid keys were reported already and stand at their defaults here:
    // nothing more is said about them.
    if sec.required_valid() {
        if let Err(GraphError::InvalidParameter(lines)) = spec.validate() {
            for line in lines.lines() {
                let key = split_problem_line(line).0;
                let key = key.strip_prefix("network.").unwrap_or(key);
                if !sec.invalid(key.split('[').next().unwrap_or(key)) {
                    errs.bad_line(line);
                }
            }
        }
    }
    let known = match &spec {
        GeneratorSpec::Sbm { sizes, .. } => sizes.iter().map(|&s| u64::from(s)).sum(),
        GeneratorSpec::ErdosRenyi { nodes, .. }
        | GeneratorSpec::BarabasiAlbert { nodes, .. }
        | GeneratorSpec::WattsStrogatz { nodes, .. }
        | GeneratorSpec::Follower { nodes, .. }
        | GeneratorSpec::Configuration { nodes, .. }
        | GeneratorSpec::RandomRegular { nodes, .. }
        | GeneratorSpec::Complete { nodes }
        | GeneratorSpec::Ring { nodes } => u64::from(*nodes),
    };
    // With an invalid size key the count is unknown: checking budgets
    // against it would only add a spurious second complaint.
    let size_valid = !sec.invalid("nodes") && !sec.invalid("sizes");
    (Some(NetworkSource::Generated(spec)), size_valid.then_some(known))
}

fn resolve_model(t: &Table, edge_list: bool, errs: &mut Errs<'_>) -> Option<ModelSpec> {
    let (kind, sec) = kinded("model", t, "model", Some("relationship_chain"), errs);
    let kind = kind?;
    // Cross-check of the `weights` keys (independent_cascade, linear_threshold).
    let check_weights = |errs: &mut Errs<'_>, pkey: &str| {
        let w = sec.string("weights");
        if w != "uniform" && sec.given(pkey) {
            errs.bad(
                &sec.full(pkey),
                sec.raw(pkey),
                format!("only used with weights = \"uniform\" (weights = \"{w}\")"),
            );
        }
        if w == "edge" && !edge_list {
            errs.bad(
                &sec.full("weights"),
                sec.raw("weights"),
                "needs the weight column of an edge list (network.kind = \"edge_list\")",
            );
        }
    };
    Some(match kind {
        "relationship_chain" => {
            let p: RcParams = sec.declared();
            if p.trickle.recruit_rate > 0.0 && p.trickle.recruit_cap == 0 {
                errs.bad(
                    &sec.full("trickle.recruit_cap"),
                    Some(&Value::Integer(0)),
                    format!(
                        "recruitment is off although trickle.recruit_rate = {}; set recruit_cap >= 1 or recruit_rate = 0",
                        schema::fmt_f64(p.trickle.recruit_rate)
                    ),
                );
            }
            ModelSpec::RelationshipChain(p)
        }
        "independent_cascade" => {
            check_weights(errs, "p");
            ModelSpec::IndependentCascade(sec.declared())
        }
        "ic_n" => ModelSpec::IcN(sec.declared()),
        "linear_threshold" => {
            check_weights(errs, "weight");
            ModelSpec::LinearThreshold(sec.declared())
        }
        "bass" => ModelSpec::Bass(sec.declared()),
        _ => ModelSpec::Sir(sec.declared()),
    })
}

fn resolve_population(t: &Table, base: &Path, errs: &mut Errs<'_>) -> PopulationSpec {
    let mut entries = Vec::new();
    flatten("", t, &mut entries);
    let Some(s) = schema::section("population", None) else { return PopulationSpec::default() };
    let sec = Sec::new("population", entries, &[s], None, false, errs);
    let mut p: PopulationSpec = sec.declared();
    if let Some(f) = p.file.take() {
        let path = base.join(f);
        if !path.is_file() {
            errs.bad("population.file", sec.raw("file"), format!("no such file: {}", path.display()));
        }
        p.file = Some(path);
    } else {
        for k in ["nps.promoter", "nps.passive"] {
            if sec.given(k) {
                errs.bad(&format!("population.{k}"), sec.raw(k), "applies only with population.file; remove it");
            }
        }
    }
    if p.nps.passive > p.nps.promoter {
        errs.bad(
            "population.nps.passive",
            sec.raw("nps.passive"),
            format!("must be at most nps.promoter = {} (passives score below promoters)", p.nps.promoter),
        );
    }
    let all_valid = ["mix.mild", "mix.fan", "mix.detractor"].iter().all(|k| !sec.given(k) || sec.raw(k).is_some());
    let sum = p.mild + p.fan + p.detractor;
    if all_valid && (sum - 1.0).abs() > MIX_TOLERANCE {
        errs.bad(
            "population.mix",
            None,
            format!(
                "mild + fan + detractor = {} + {} + {} = {}: must sum to 1 (defaults {} / {} / {})",
                schema::fmt_f64(p.mild),
                schema::fmt_f64(p.fan),
                schema::fmt_f64(p.detractor),
                schema::fmt_f64(sum),
                PopulationSpec::default().mild,
                PopulationSpec::default().fan,
                PopulationSpec::default().detractor
            ),
        );
    }
    p
}

/// Node ids from an explicit seed file: whitespace/comma separated, `#` comments.
fn read_ids(path: &Path) -> Result<Vec<String>, String> {
    let text = crate::inputs::read_text_bounded(path, crate::inputs::MAX_TEXT_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(|l| l.split(|c: char| c.is_whitespace() || c == ','))
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect())
}

fn resolve_strategies(
    doc: &Table,
    base: &Path,
    nodes_known: Option<u64>,
    model: Option<&ModelSpec>,
    seed_files: &mut Vec<PathBuf>,
    errs: &mut Errs<'_>,
) -> Vec<StrategySpec> {
    let arr = match doc.get("strategy") {
        None => {
            errs.bad("strategy", None, "no strategies: add at least one [[strategy]] table with a kind");
            return Vec::new();
        }
        Some(Value::Array(a)) => a,
        Some(Value::Table(_)) => {
            errs.bad(
                "strategy",
                None,
                "must be an array of tables: write [[strategy]] (double brackets), once per strategy",
            );
            return Vec::new();
        }
        Some(v) => {
            errs.bad(
                "strategy",
                Some(v),
                "must be an array of tables: write [[strategy]] (double brackets), once per strategy",
            );
            return Vec::new();
        }
    };
    if arr.is_empty() {
        errs.bad("strategy", None, "no strategies: add at least one [[strategy]] table with a kind");
    }
    // Checked before any strategy is: each problem of 100,000 tables would
    // cost a search of the text, and no run needs anywhere near that many.
    if arr.len() > super::schema::MAX_STRATEGIES {
        errs.bad(
            "strategy",
            None,
            format!(
                "{} [[strategy]] tables; at most {} (each is simulated replicates times)",
                arr.len(),
                super::schema::MAX_STRATEGIES
            ),
        );
        return Vec::new();
    }
    let mut out: Vec<StrategySpec> = Vec::new();
    let mut names: Vec<(String, usize)> = Vec::new();
    for (i, item) in arr.iter().enumerate() {
        let path = format!("strategy[{}]", i + 1);
        let Value::Table(t) = item else {
            errs.bad(&path, Some(item), "must be a table: write [[strategy]] and its keys below it");
            continue;
        };
        let (kind, sec) = kinded(&path, t, "strategy", None, errs);
        let name = match sec.raw("name") {
            Some(Value::String(s)) => s.clone(),
            _ => kind.unwrap_or("").to_string(),
        };
        if let Some((_, j)) = names.iter().find(|(n, _)| *n == name) {
            if !name.is_empty() {
                errs.bad(
                    &sec.full("name"),
                    Some(&Value::String(name.clone())),
                    format!("duplicate strategy name (also strategy[{j}]); give each strategy its own `name`"),
                );
            }
        }
        names.push((name.clone(), i + 1));
        let Some(kind) = kind else { continue };

        let pool = match sec.raw("pool").and_then(Value::as_str) {
            Some("friends") => Some(Pool::Friends),
            Some("everyone") => Some(Pool::Everyone),
            _ => None,
        };
        if pool == Some(Pool::Friends) {
            if let Some(m) = model.filter(|m| !m.has_roles()) {
                errs.bad(
                    &sec.full("pool"),
                    sec.raw("pool"),
                    format!("the {} model has no friends; use pool = \"everyone\"", m.kind()),
                );
            }
        }
        let cost: CostModel = sec.declared();

        let strategy_kind = match kind {
            "none" => StrategyKind::None,
            "random" => StrategyKind::Random,
            "top_degree" => StrategyKind::TopDegree,
            "friends_of_random" => StrategyKind::FriendsOfRandom,
            "kcore" => StrategyKind::KCore,
            "magic_middle" => {
                let band = match (sec.raw("degree"), sec.raw("percentile")) {
                    (_, Some(Value::Array(p))) => {
                        if sec.given("degree") {
                            errs.bad(
                                &sec.full("percentile"),
                                sec.raw("percentile"),
                                "give either `degree` or `percentile`, not both",
                            );
                        }
                        Band::Percentile(
                            p.first().and_then(as_num).unwrap_or(0.0),
                            p.get(1).and_then(as_num).unwrap_or(0.0),
                        )
                    }
                    (Some(Value::Array(d)), _) => Band::Degree(
                        d.first().and_then(Value::as_integer).and_then(|x| u32::try_from(x).ok()).unwrap_or(0),
                        d.get(1).and_then(Value::as_integer).and_then(|x| u32::try_from(x).ok()).unwrap_or(0),
                    ),
                    _ => Band::Degree(20, 100),
                };
                let pick = if sec.string("pick") == "highest" { Pick::Highest } else { Pick::Random };
                StrategyKind::MagicMiddle { band, pick }
            }
            "degree_discount" => {
                let p = match sec.raw("p") {
                    Some(v) => as_num(v).unwrap_or(0.0),
                    None => match model {
                        Some(ModelSpec::IndependentCascade(IcParams { prob: EdgeProb::Uniform(p) })) => *p,
                        Some(ModelSpec::IcN(ic)) => ic.p,
                        _ => 0.01,
                    },
                };
                StrategyKind::DegreeDiscount { p }
            }
            "pagerank" => StrategyKind::PageRank {
                damping: sec.num("damping"),
                tolerance: sec.num("tolerance"),
                max_iter: sec.u32("max_iter"),
            },
            "greedy" => StrategyKind::Greedy {
                objective: match sec.string("objective").as_str() {
                    "action" => Objective::Action,
                    "lift_action" => Objective::LiftAction,
                    _ => Objective::Reach,
                },
                replicates: sec.u32("replicates"),
            },
            "ris" => StrategyKind::Ris { epsilon: sec.num("epsilon"), ell: sec.num("ell") },
            _ => {
                // explicit
                let nodes: Vec<String> = match (sec.raw("nodes"), sec.raw("file")) {
                    (Some(_), Some(_)) => {
                        errs.bad(&sec.full("file"), sec.raw("file"), "give either `nodes` or `file`, not both");
                        Vec::new()
                    }
                    (Some(Value::Array(a)), None) => a
                        .iter()
                        .filter_map(|x| match x {
                            Value::String(s) => Some(s.trim().to_string()),
                            Value::Integer(i) => Some(i.to_string()),
                            _ => None,
                        })
                        .collect(),
                    (None, Some(Value::String(f))) => match resolve_file(base, f).and_then(|p| {
                        let ids = read_ids(&p)?;
                        seed_files.push(p);
                        Ok(ids)
                    }) {
                        Ok(ids) => {
                            if ids.is_empty() {
                                errs.bad(&sec.full("file"), sec.raw("file"), "the file lists no node ids");
                            }
                            ids
                        }
                        Err(e) => {
                            errs.bad(&sec.full("file"), sec.raw("file"), e);
                            Vec::new()
                        }
                    },
                    _ => {
                        if !sec.given("nodes") && !sec.given("file") {
                            errs.bad(
                                &sec.full("nodes"),
                                None,
                                "missing: an explicit strategy needs `nodes = [...]` or `file = \"...\"`",
                            );
                        }
                        Vec::new()
                    }
                };
                if sec.raw("nodes").is_some() && nodes.is_empty() && !sec.given("file") {
                    errs.bad(&sec.full("nodes"), sec.raw("nodes"), "must list at least one node id");
                }
                let mut seen = std::collections::HashSet::new();
                if let Some(d) = nodes.iter().find(|n| !seen.insert(n.as_str())) {
                    let key = if sec.raw("nodes").is_some() { "nodes" } else { "file" };
                    errs.bad(&sec.full(key), sec.raw(key), format!("node id \"{d}\" is listed twice"));
                }
                StrategyKind::Explicit { nodes }
            }
        };

        // budget
        let unit_cost = sec.string("budget_unit") == "cost";
        let explicit_len = match &strategy_kind {
            StrategyKind::Explicit { nodes } => Some(nodes.len()),
            _ => None,
        };
        let budget = if unit_cost {
            if cost.base <= 0.0 {
                errs.bad(
                    &sec.full("cost.base"),
                    Some(&Value::Float(cost.base)),
                    "must be > 0 when budget_unit = \"cost\" (otherwise seeds without followers are free)",
                );
            }
            if !sec.given("budget") {
                errs.bad(&sec.full("budget"), None, "missing: budget_unit = \"cost\" needs a budget in cost units");
            }
            Budget::Cost(sec.raw("budget").and_then(as_num).unwrap_or(0.0))
        } else {
            let b = match sec.raw("budget") {
                Some(v) => as_num(v).unwrap_or(0.0),
                None => explicit_len.map(|n| n as f64).unwrap_or(10.0),
            };
            if sec.raw("budget").is_some() && (b.fract() != 0.0 || b > f64::from(u32::MAX)) {
                errs.bad(
                    &sec.full("budget"),
                    sec.raw("budget"),
                    "must be a whole number of people >= 1 (or set budget_unit = \"cost\")",
                );
            }
            let people = b.clamp(0.0, f64::from(u32::MAX)) as u32;
            if let Some(n) = nodes_known {
                if u64::from(people) > n {
                    errs.bad(
                        &sec.full("budget"),
                        Some(&Value::Integer(people.into())),
                        format!("exceeds the network's {n} nodes"),
                    );
                }
            }
            if let Some(len) = explicit_len {
                if people as usize > len && len > 0 {
                    errs.bad(
                        &sec.full("budget"),
                        Some(&Value::Integer(people.into())),
                        format!("exceeds the {len} nodes listed"),
                    );
                }
            }
            Budget::People(people)
        };
        let reseed = match sec.raw("reseed").and_then(Value::as_str) {
            Some("once") => Reseed::Once,
            Some("per_replicate") => {
                if !strategy_kind.is_chance_based() {
                    errs.bad(
                        &sec.full("reseed"),
                        sec.raw("reseed"),
                        format!(
                            "a {} strategy picks the same seeds every time; only random, magic_middle with \
                             pick = \"random\" and friends_of_random can be redrawn per replicate (use \"once\")",
                            strategy_kind.name()
                        ),
                    );
                }
                Reseed::PerReplicate
            }
            _ => strategy_kind.default_reseed(),
        };
        if strategy_kind == StrategyKind::None {
            for k in ["budget", "budget_unit", "pool", "cost.base", "cost.per_follower"] {
                if sec.given(k) {
                    errs.bad(&sec.full(k), sec.raw(k), "a `none` strategy has no seeds: remove this key");
                }
            }
            out.push(StrategySpec {
                name,
                kind: strategy_kind,
                pool,
                budget: Budget::People(0),
                cost: CostModel { base: 0.0, per_follower: 0.0 },
                reseed: Reseed::Once,
            });
            continue;
        }
        out.push(StrategySpec { name, kind: strategy_kind, pool, budget, cost, reseed });
    }
    out
}
