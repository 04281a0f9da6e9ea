//! Observed data for fits: cascades on a known network, and aggregate curves.
//!
//! **Cascades.** A [`Cascade`] is the list of nodes that took part, each with
//! the step at which it did ([`Event`]), sorted by step then node; the events
//! at a cascade's earliest step are its seeds. Two formats are read:
//! * CSV with the header `cascade,node,time` (columns in any order): one row
//!   per participant; `cascade` is any text, `node` an id as written in the
//!   network file, `time` a number ≥ 0 in any unit ([`read_cascades_csv`]);
//! * the line format of public cascade sets (Inf-VAE, DeepDiffuse):
//!   `seed u1 t1 u2 t2 …`, one cascade per line, the seed at time 0 and each
//!   later participant with its time relative to the seed
//!   ([`read_cascades_lines`]); a cascade's id is its 1-based line number.
//!   Blank lines and lines starting with `#` are skipped.
//!
//! Times become steps with `step = floor((time − t₀) / step_length)`, `t₀`
//! the cascade's earliest time among the rows kept. A node listed twice in
//! one cascade keeps its **earliest** time (the first time it took part is
//! what a cascade model explains; a repeat answer is not a new adoption);
//! [`CascadeSet::duplicates`] counts the rows so merged.
//!
//! **Unknown nodes** (ids not in the network) are an error by default,
//! listing each row. With [`UnknownNodes::Skip`] their rows are dropped and
//! counted ([`CascadeSet::skipped_rows`], [`CascadeSet::skipped_ids`]): real
//! data needs it — 13 of the 2,927 Stack Exchange Android users in the
//! Inf-VAE cascades are not in its graph. A cascade left with no row is an
//! error either way.
//!
//! **Curves.** [`read_curve_csv`] reads `kind = "curve"` data: CSV with the
//! header `step,<metric>…`, metrics among [`CURVE_METRICS`], per step or
//! cumulative. The result is always cumulative. A `scale` (observed
//! population as a share of the simulated one) is applied by the caller, not
//! here.
//!
//! **Errors.** Every problem found is collected (the first
//! [`MAX_LISTED_PROBLEMS`] are listed with `file:line`, then a count of the
//! rest) in one [`DataError`]. Files are opened with
//! [`crate::inputs::open_regular`] (no FIFO or device), may be
//! gzip-compressed (recognised by their first bytes) and are read up to
//! [`MAX_DATA_BYTES`] of text after decompression, so memory stays bounded.

use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;

use crate::graph::{Graph, Labels};
use crate::inputs;

/// Most text read from one data file: 256 MiB after decompression (the
/// Stack Exchange Android cascades are 450 KB; a million-row CSV is ~20 MB).
pub const MAX_DATA_BYTES: u64 = 256 << 20;

/// Problems listed in a [`DataError`] before the rest are only counted.
pub const MAX_LISTED_PROBLEMS: usize = 20;

/// The metrics a curve file may hold (the columns of a run's trajectory).
pub const CURVE_METRICS: [&str; 4] = ["reached", "reached_good", "reached_bad", "acted"];

/// One participant of a cascade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Event {
    /// Node index in the graph (not the id in the file).
    pub node: u32,
    /// Step since the cascade's start (0 for its seeds).
    pub step: u32,
    /// 1-based line of the file the event came from.
    pub line: usize,
}

/// One observed cascade: events sorted by step, then node.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cascade {
    pub id: String,
    pub events: Vec<Event>,
}

impl Cascade {
    /// The nodes at the earliest step.
    pub fn seeds(&self) -> impl Iterator<Item = u32> + '_ {
        let first = self.events.first().map_or(0, |e| e.step);
        self.events.iter().take_while(move |e| e.step == first).map(|e| e.node)
    }

    /// The last step with an event (0 for an empty cascade).
    pub fn last_step(&self) -> u32 {
        self.events.last().map_or(0, |e| e.step)
    }

    /// Number of participants.
    pub fn size(&self) -> usize {
        self.events.len()
    }
}

/// What to do with node ids that are not in the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnknownNodes {
    /// Each such row is an error (the default).
    #[default]
    Error,
    /// Drop such rows and count them.
    Skip,
}

/// How cascades are read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CascadeOptions {
    /// Time units per step (> 0, finite).
    pub step_length: f64,
    pub unknown: UnknownNodes,
}

/// Cascades read from a file, with what was dropped or merged.
#[derive(Debug, Clone, PartialEq)]
pub struct CascadeSet {
    pub cascades: Vec<Cascade>,
    /// Rows dropped because their node is not in the network.
    pub skipped_rows: usize,
    /// Distinct node ids among the dropped rows.
    pub skipped_ids: usize,
    /// Rows merged because their node already appeared in the same cascade.
    pub duplicates: usize,
}

/// One problem in a data file; `line` 0 means the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// Everything wrong with a data file. Display prints one `file:line: message`
/// per problem, then how many more were found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: String,
    /// The first [`MAX_LISTED_PROBLEMS`] problems, in line order.
    pub problems: Vec<Problem>,
    /// Problems found beyond those listed.
    pub more: usize,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if p.line == 0 {
                write!(f, "{}: {}", self.file, p.message)?;
            } else {
                write!(f, "{}:{}: {}", self.file, p.line, p.message)?;
            }
        }
        if self.more > 0 {
            write!(f, "\n{}: … and {} more problem{}", self.file, self.more, if self.more == 1 { "" } else { "s" })?;
        }
        Ok(())
    }
}

impl std::error::Error for DataError {}

/// Collects problems, listing the first [`MAX_LISTED_PROBLEMS`].
struct Problems {
    file: String,
    list: Vec<Problem>,
    more: usize,
}

impl Problems {
    fn new(path: &Path) -> Self {
        Problems { file: path.display().to_string(), list: Vec::new(), more: 0 }
    }

    fn push(&mut self, line: usize, message: impl Into<String>) {
        if self.list.len() < MAX_LISTED_PROBLEMS {
            self.list.push(Problem { line, message: message.into() });
        } else {
            self.more += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    fn error(self) -> DataError {
        DataError { file: self.file, problems: self.list, more: self.more }
    }

    /// `Err` with everything collected, or `Ok(value)` when nothing was.
    fn finish<T>(self, value: T) -> Result<T, DataError> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self.error())
        }
    }
}

/// A one-problem error for the file as a whole.
fn file_error(path: &Path, message: impl Into<String>) -> DataError {
    let mut p = Problems::new(path);
    p.push(0, message);
    p.error()
}

/// Read a data file as text: regular files only, gzip recognised by its
/// first bytes, at most [`MAX_DATA_BYTES`] after decompression, UTF-8.
fn read_data_text(path: &Path) -> Result<String, DataError> {
    let file = inputs::open_regular(path).map_err(|e| file_error(path, format!("cannot read the file: {e}")))?;
    let mut reader = BufReader::new(file);
    let head = reader.fill_buf().map_err(|e| file_error(path, format!("cannot read the file: {e}")))?;
    let gz = head.starts_with(&[0x1f, 0x8b]);
    let mut bytes = Vec::new();
    let limit = MAX_DATA_BYTES + 1;
    let read = if gz {
        MultiGzDecoder::new(reader).take(limit).read_to_end(&mut bytes)
    } else {
        reader.take(limit).read_to_end(&mut bytes)
    };
    read.map_err(|e| {
        let what = if gz { "bad gzip data" } else { "cannot read the file" };
        file_error(path, format!("{what}: {e}"))
    })?;
    if bytes.len() as u64 > MAX_DATA_BYTES {
        return Err(file_error(
            path,
            format!("more than {} of text, the limit for a data file", inputs::human_bytes(MAX_DATA_BYTES)),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&c| c == b'\n').count() + 1;
        let mut p = Problems::new(path);
        p.push(line, "the text is not valid UTF-8");
        p.error()
    })
}

/// Text quoted in a message: at most 40 characters, control characters
/// escaped ([`crate::scenario::printable`]) so none reaches a terminal raw.
fn quoted(s: &str) -> String {
    let mut cut: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        cut.push('…');
    }
    format!("\"{}\"", crate::scenario::printable(&cut))
}

/// Original node ids → graph indices, built once per file (the graph's own
/// [`Graph::find_label`] is a linear scan).
enum NodeIndex<'g> {
    Dense(u32),
    Numeric(HashMap<u64, u32>),
    Names(HashMap<&'g str, u32>),
}

impl<'g> NodeIndex<'g> {
    fn new(graph: &'g Graph) -> Self {
        match graph.labels() {
            Labels::Dense => NodeIndex::Dense(graph.n()),
            Labels::Numeric(ids) => NodeIndex::Numeric(ids.iter().enumerate().map(|(i, &x)| (x, i as u32)).collect()),
            Labels::Names(names) => {
                NodeIndex::Names(names.iter().enumerate().map(|(i, s)| (s.as_str(), i as u32)).collect())
            }
        }
    }

    fn get(&self, id: &str) -> Option<u32> {
        match self {
            NodeIndex::Dense(n) => id.parse::<u32>().ok().filter(|u| u < n),
            NodeIndex::Numeric(map) => id.parse::<u64>().ok().and_then(|x| map.get(&x).copied()),
            NodeIndex::Names(map) => map.get(id).copied(),
        }
    }
}

/// A row as read, before grouping: cascade number, node, time, line.
struct Row {
    cascade: usize,
    node: u32,
    time: f64,
    line: usize,
}

/// Resolves node ids, counting or reporting unknown ones.
struct Resolver<'g> {
    index: NodeIndex<'g>,
    unknown: UnknownNodes,
    skipped_rows: usize,
    skipped_ids: std::collections::HashSet<String>,
}

impl<'g> Resolver<'g> {
    fn new(graph: &'g Graph, unknown: UnknownNodes) -> Self {
        Resolver { index: NodeIndex::new(graph), unknown, skipped_rows: 0, skipped_ids: Default::default() }
    }

    fn resolve(&mut self, id: &str, line: usize, problems: &mut Problems) -> Option<u32> {
        if let Some(u) = self.index.get(id) {
            return Some(u);
        }
        match self.unknown {
            UnknownNodes::Error => problems.push(
                line,
                format!("node id {} is not in the network (to drop such rows, skip unknown nodes)", quoted(id)),
            ),
            UnknownNodes::Skip => {
                self.skipped_rows += 1;
                if self.skipped_ids.len() < (1 << 20) {
                    self.skipped_ids.insert(id.to_string());
                }
            }
        }
        None
    }
}

/// A time field: a finite number ≥ 0, or a problem.
fn parse_time(text: &str, line: usize, problems: &mut Problems) -> Option<f64> {
    match text.parse::<f64>() {
        Ok(t) if t.is_finite() && t >= 0.0 => Some(t),
        Ok(t) if t.is_finite() => {
            problems.push(line, format!("time {} is negative; times must be >= 0", quoted(text)));
            None
        }
        _ => {
            problems.push(line, format!("time {} is not a finite number", quoted(text)));
            None
        }
    }
}

fn check_step_length(step_length: f64, path: &Path) -> Result<(), DataError> {
    if step_length.is_finite() && step_length > 0.0 {
        Ok(())
    } else {
        Err(file_error(path, format!("step_length must be a finite number > 0, got {step_length}")))
    }
}

/// Group rows into cascades (steps, earliest time per node, sorted).
/// `first_lines[c]` is the line where cascade `c` starts, for its errors.
fn assemble(
    ids: Vec<String>,
    first_lines: &[usize],
    rows: Vec<Row>,
    step_length: f64,
    problems: &mut Problems,
) -> (Vec<Cascade>, usize) {
    let mut per: Vec<Vec<Row>> = (0..ids.len()).map(|_| Vec::new()).collect();
    for r in rows {
        per[r.cascade].push(r);
    }
    let mut duplicates = 0;
    let mut out = Vec::with_capacity(ids.len());
    for ((id, rows), &first_line) in ids.into_iter().zip(per).zip(first_lines) {
        if rows.is_empty() {
            problems.push(first_line, format!("cascade {} has no node in the network", quoted(&id)));
            continue;
        }
        let t0 = rows.iter().map(|r| r.time).fold(f64::INFINITY, f64::min);
        // Earliest time per node (ties: the first line).
        let mut best: HashMap<u32, (f64, usize)> = HashMap::with_capacity(rows.len());
        for r in &rows {
            match best.get_mut(&r.node) {
                Some(b) => {
                    duplicates += 1;
                    if r.time < b.0 {
                        *b = (r.time, r.line);
                    }
                }
                None => {
                    best.insert(r.node, (r.time, r.line));
                }
            }
        }
        // In line order, so that problems are listed deterministically.
        let mut kept: Vec<(u32, f64, usize)> =
            best.into_iter().map(|(node, (time, line))| (node, time, line)).collect();
        kept.sort_unstable_by_key(|k| (k.2, k.0));
        let mut events = Vec::with_capacity(kept.len());
        for (node, time, line) in kept {
            let step = ((time - t0) / step_length).floor();
            if step >= f64::from(u32::MAX) {
                problems.push(line, format!("time {time} is more than 2^32 steps after the cascade's start"));
                continue;
            }
            events.push(Event { node, step: step as u32, line });
        }
        events.sort_unstable_by_key(|e| (e.step, e.node));
        out.push(Cascade { id, events });
    }
    (out, duplicates)
}

/// Read cascades from CSV `cascade,node,time`, every unknown node an error.
pub fn read_cascades_csv(path: &Path, graph: &Graph, step_length: f64) -> Result<Vec<Cascade>, DataError> {
    read_cascades_csv_with(path, graph, &CascadeOptions { step_length, unknown: UnknownNodes::Error })
        .map(|s| s.cascades)
}

/// The next data row of a CSV file into `record`: `Some(Some(line))` when
/// it has the header's number of fields, `Some(None)` when it does not
/// (reported; skip it), `None` at the end or after malformed CSV (reported).
fn next_row(
    reader: &mut csv::Reader<&[u8]>,
    record: &mut csv::StringRecord,
    fields: usize,
    problems: &mut Problems,
) -> Option<Option<usize>> {
    let line = reader.position().line() as usize;
    match reader.read_record(record) {
        Ok(false) => return None,
        Ok(true) => {}
        Err(e) => {
            problems.push(line, format!("not valid CSV: {e}"));
            return None;
        }
    }
    let line = record.position().map_or(line, |p| p.line() as usize);
    if record.len() != fields {
        problems.push(line, format!("expected {fields} fields as in the header, found {}", record.len()));
        return Some(None);
    }
    Some(Some(line))
}

/// Read cascades from CSV `cascade,node,time` with every option.
pub fn read_cascades_csv_with(path: &Path, graph: &Graph, opts: &CascadeOptions) -> Result<CascadeSet, DataError> {
    check_step_length(opts.step_length, path)?;
    let text = read_data_text(path)?;
    let mut problems = Problems::new(path);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(file_error(path, format!("cannot read the header: {e}"))),
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(c_id), Some(c_node), Some(c_time)) = (col("cascade"), col("node"), col("time")) else {
        return Err(file_error(
            path,
            format!("the header must name the columns cascade, node and time; found {}", quoted(&header.join(","))),
        ));
    };
    for h in header.iter().filter(|h| !["cascade", "node", "time"].contains(&h.as_str())) {
        problems.push(1, format!("unknown column {} (allowed: cascade, node, time)", quoted(h)));
    }
    let mut resolver = Resolver::new(graph, opts.unknown);
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::new();
    let mut first_lines = Vec::new();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(row) = next_row(&mut reader, &mut record, header.len(), &mut problems) {
        let Some(line) = row else { continue };
        let id = &record[c_id];
        if id.is_empty() {
            problems.push(line, "the cascade id is empty");
            continue;
        }
        let node = resolver.resolve(&record[c_node], line, &mut problems);
        let time = parse_time(&record[c_time], line, &mut problems);
        let cascade = *index.entry(id.to_string()).or_insert_with(|| {
            ids.push(id.to_string());
            first_lines.push(line);
            ids.len() - 1
        });
        if let (Some(node), Some(time)) = (node, time) {
            rows.push(Row { cascade, node, time, line });
        }
    }
    if ids.is_empty() && problems.is_empty() {
        problems.push(0, "no cascade: the file has a header but no rows");
    }
    finish_set(ids, &first_lines, rows, opts, resolver, problems)
}

fn finish_set(
    ids: Vec<String>,
    first_lines: &[usize],
    rows: Vec<Row>,
    opts: &CascadeOptions,
    resolver: Resolver<'_>,
    mut problems: Problems,
) -> Result<CascadeSet, DataError> {
    if !problems.is_empty() {
        return Err(problems.error());
    }
    let (cascades, duplicates) = assemble(ids, first_lines, rows, opts.step_length, &mut problems);
    problems.finish(CascadeSet {
        cascades,
        skipped_rows: resolver.skipped_rows,
        skipped_ids: resolver.skipped_ids.len(),
        duplicates,
    })
}

/// Read cascades in the line format `seed u1 t1 u2 t2 …`, every unknown
/// node an error.
pub fn read_cascades_lines(path: &Path, graph: &Graph, step_length: f64) -> Result<Vec<Cascade>, DataError> {
    read_cascades_lines_with(path, graph, &CascadeOptions { step_length, unknown: UnknownNodes::Error })
        .map(|s| s.cascades)
}

/// Read cascades in the line format `seed u1 t1 u2 t2 …` with every option.
pub fn read_cascades_lines_with(path: &Path, graph: &Graph, opts: &CascadeOptions) -> Result<CascadeSet, DataError> {
    check_step_length(opts.step_length, path)?;
    let text = read_data_text(path)?;
    let mut problems = Problems::new(path);
    let mut resolver = Resolver::new(graph, opts.unknown);
    let mut ids = Vec::new();
    let mut first_lines = Vec::new();
    let mut rows = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = t.split_whitespace().collect();
        if fields.len() % 2 == 0 {
            problems.push(line, "expected `seed u1 t1 u2 t2 …`: a node id without its time at the end of the line");
            continue;
        }
        let cascade = ids.len();
        ids.push(line.to_string());
        first_lines.push(line);
        if let Some(seed) = resolver.resolve(fields[0], line, &mut problems) {
            rows.push(Row { cascade, node: seed, time: 0.0, line });
        }
        for pair in fields[1..].chunks_exact(2) {
            let node = resolver.resolve(pair[0], line, &mut problems);
            let time = parse_time(pair[1], line, &mut problems);
            if let (Some(node), Some(time)) = (node, time) {
                rows.push(Row { cascade, node, time, line });
            }
        }
    }
    if ids.is_empty() && problems.is_empty() {
        problems.push(0, "no cascade: the file has no line of the form `seed u1 t1 u2 t2 …`");
    }
    finish_set(ids, &first_lines, rows, opts, resolver, problems)
}

/// Aggregate counts per step, cumulative.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Curve {
    /// Steps, strictly increasing.
    pub steps: Vec<u32>,
    /// `(metric, cumulative count at each step)`, in the file's column order.
    pub metrics: Vec<(String, Vec<f64>)>,
}

/// Read a curve from CSV `step,<metric>…` (metrics among
/// [`CURVE_METRICS`]). `cumulative`: whether the counts are cumulative (then
/// they must not decrease) or per step (then they are summed). Steps are
/// whole numbers ≥ 0, strictly increasing; counts finite and ≥ 0.
pub fn read_curve_csv(path: &Path, cumulative: bool) -> Result<Curve, DataError> {
    let text = read_data_text(path)?;
    let mut problems = Problems::new(path);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(file_error(path, format!("cannot read the header: {e}"))),
    };
    if header.first().map(String::as_str) != Some("step") {
        problems.push(1, "the first column must be `step`");
    }
    if header.len() < 2 {
        problems.push(1, format!("no metric column (allowed: {})", CURVE_METRICS.join(", ")));
    }
    for (i, h) in header.iter().enumerate().skip(1) {
        if !CURVE_METRICS.contains(&h.as_str()) {
            problems.push(1, format!("unknown metric {} (allowed: {})", quoted(h), CURVE_METRICS.join(", ")));
        } else if header[1..i].contains(h) {
            problems.push(1, format!("metric {} appears twice", quoted(h)));
        }
    }
    if !problems.is_empty() {
        return Err(problems.error());
    }
    let k = header.len() - 1;
    let mut steps: Vec<u32> = Vec::new();
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); k];
    let mut running = vec![0.0f64; k];
    let mut record = csv::StringRecord::new();
    while let Some(row) = next_row(&mut reader, &mut record, header.len(), &mut problems) {
        let Some(line) = row else { continue };
        match record[0].parse::<u32>() {
            Ok(s) => {
                if let Some(&prev) = steps.last() {
                    if s <= prev {
                        problems.push(line, format!("step {s} does not follow step {prev}: steps must increase"));
                    }
                }
                steps.push(s);
            }
            Err(_) => {
                problems.push(line, format!("step {} is not a whole number >= 0", quoted(&record[0])));
                continue;
            }
        }
        for j in 0..k {
            let text = &record[j + 1];
            let v = match text.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => v,
                Ok(v) if v.is_finite() => {
                    problems.push(line, format!("{}: count {} is negative", header[j + 1], quoted(text)));
                    continue;
                }
                _ => {
                    problems.push(line, format!("{}: count {} is not a finite number", header[j + 1], quoted(text)));
                    continue;
                }
            };
            let cum = if cumulative {
                if v < running[j] {
                    problems.push(
                        line,
                        format!(
                            "{}: cumulative count {v} is below the previous row's {}; cumulative counts cannot decrease",
                            header[j + 1],
                            running[j]
                        ),
                    );
                }
                v
            } else {
                running[j] + v
            };
            running[j] = cum;
            values[j].push(cum);
        }
    }
    if steps.is_empty() && problems.is_empty() {
        problems.push(0, "the curve has a header but no rows");
    }
    problems.finish(Curve { steps, metrics: header.into_iter().skip(1).zip(values).collect() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn karate_like() -> Graph {
        // Nodes called 10, 20, 30, 40 (sparse numeric ids): a path 10-20-30-40.
        Graph::from_edges(4, false, &[(0, 1), (1, 2), (2, 3)], None, Labels::Numeric(vec![10, 20, 30, 40])).unwrap()
    }

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn csv_cascades_are_binned_sorted_and_deduplicated() {
        let g = karate_like();
        let f = file("cascade,node,time\na,30,7.5\na,10,5\nb,40,0\na,20,6\na,30,9\nb,30,30\n");
        let set =
            read_cascades_csv_with(f.path(), &g, &CascadeOptions { step_length: 1.0, unknown: UnknownNodes::Error })
                .unwrap();
        assert_eq!(set.duplicates, 1);
        let a = &set.cascades[0];
        assert_eq!(a.id, "a");
        let got: Vec<(u32, u32, usize)> = a.events.iter().map(|e| (e.node, e.step, e.line)).collect();
        // 10 at t=5 (step 0), 20 at 6 (step 1), 30 earliest at 7.5 (step 2, line 2).
        assert_eq!(got, vec![(0, 0, 3), (1, 1, 5), (2, 2, 2)]);
        assert_eq!(a.seeds().collect::<Vec<_>>(), vec![0]);
        let b = &set.cascades[1];
        assert_eq!(b.events.iter().map(|e| (e.node, e.step)).collect::<Vec<_>>(), vec![(3, 0), (2, 30)]);
        assert_eq!(b.last_step(), 30);
    }

    #[test]
    fn csv_problems_are_all_listed_with_lines() {
        let g = karate_like();
        let f = file("cascade,node,time,extra\n");
        let e = read_cascades_csv(f.path(), &g, 1.0).unwrap_err();
        assert!(e.to_string().contains(":1: unknown column \"extra\""), "{e}");
        let f = file("cascade,node,time\na,10,-1\na,99,2\n,10,1\na,10,nan\na,10\n");
        let e = read_cascades_csv(f.path(), &g, 1.0).unwrap_err();
        let s = e.to_string();
        for want in [
            ":2: time \"-1\" is negative",
            ":3: node id \"99\" is not in the network",
            ":4: the cascade id is empty",
            ":5: time \"nan\" is not a finite number",
            ":6: expected 3 fields",
        ] {
            assert!(s.contains(want), "missing {want:?} in\n{s}");
        }
        assert_eq!(e.problems.len(), 5);
        // Control characters in quoted input are escaped, not echoed raw.
        let f = file("cascade,node,time\na,\u{1b}[31m,1\n");
        let e = read_cascades_csv(f.path(), &g, 1.0).unwrap_err().to_string();
        assert!(e.contains("node id \"\\u{1b}[31m\" is not in the network") && !e.contains('\u{1b}'), "{e}");
        let e = read_cascades_csv(f.path(), &g, 0.0).unwrap_err();
        assert!(e.to_string().contains("step_length must be a finite number > 0"), "{e}");
    }

    #[test]
    fn problems_are_bounded() {
        let g = karate_like();
        let mut text = String::from("cascade,node,time\n");
        for i in 0..100 {
            text.push_str(&format!("a,{},1\n", 1000 + i));
        }
        let e = read_cascades_csv(file(&text).path(), &g, 1.0).unwrap_err();
        assert_eq!(e.problems.len(), MAX_LISTED_PROBLEMS);
        assert_eq!(e.more, 100 - MAX_LISTED_PROBLEMS);
        assert!(e.to_string().ends_with("… and 80 more problems"), "{e}");
    }

    #[test]
    fn lines_format_with_skipped_unknown_nodes() {
        let g = karate_like();
        let f = file("# comment\n10 20 3.0 99 4.0 30 7.0\n\n40\n");
        let opts = CascadeOptions { step_length: 2.0, unknown: UnknownNodes::Skip };
        let set = read_cascades_lines_with(f.path(), &g, &opts).unwrap();
        assert_eq!((set.skipped_rows, set.skipped_ids), (1, 1));
        assert_eq!(set.cascades.len(), 2);
        assert_eq!(set.cascades[0].id, "2");
        let steps: Vec<(u32, u32)> = set.cascades[0].events.iter().map(|e| (e.node, e.step)).collect();
        assert_eq!(steps, vec![(0, 0), (1, 1), (2, 3)]);
        assert_eq!(set.cascades[1].size(), 1);
        // Without skipping, the unknown node is an error naming the line.
        let e = read_cascades_lines(f.path(), &g, 2.0).unwrap_err();
        assert!(e.to_string().contains(":2: node id \"99\" is not in the network"), "{e}");
        // A node without its time; a cascade of unknown nodes only.
        let f = file("10 20\n99\n");
        let e = read_cascades_lines_with(f.path(), &g, &opts).unwrap_err();
        let s = e.to_string();
        assert!(s.contains(":1: expected `seed u1 t1"), "{s}");
        let f = file("99 98 1.0\n");
        let e = read_cascades_lines_with(f.path(), &g, &opts).unwrap_err();
        assert!(e.to_string().contains(":1: cascade \"1\" has no node in the network"), "{e}");
        let e = read_cascades_lines(file("\n# only\n").path(), &g, 1.0).unwrap_err();
        assert!(e.to_string().contains("no cascade"), "{e}");
    }

    #[test]
    fn gzip_files_are_read() {
        let g = karate_like();
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"10 20 1.0\n").unwrap();
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), enc.finish().unwrap()).unwrap();
        let c = read_cascades_lines(f.path(), &g, 1.0).unwrap();
        assert_eq!(c[0].events.len(), 2);
    }

    #[test]
    fn curves_per_step_and_cumulative() {
        let f = file("step,reached,acted\n0,2,0\n1,3,1\n3,0,2\n");
        let c = read_curve_csv(f.path(), false).unwrap();
        assert_eq!(c.steps, vec![0, 1, 3]);
        assert_eq!(c.metrics[0], ("reached".to_string(), vec![2.0, 5.0, 5.0]));
        assert_eq!(c.metrics[1], ("acted".to_string(), vec![0.0, 1.0, 3.0]));
        let c2 = read_curve_csv(f.path(), true).unwrap_err();
        assert!(c2.to_string().contains(":4: reached: cumulative count 0 is below the previous row's 3"), "{c2}");
        let bad = file("step,reached,likes,reached\n0.5,-1,1,1\n2,1,1\n1,x,1,1\n");
        let e = read_curve_csv(bad.path(), false).unwrap_err();
        let s = e.to_string();
        assert!(s.contains(":1: unknown metric \"likes\" (allowed: reached, reached_good, reached_bad, acted)"), "{s}");
        assert!(s.contains(":1: metric \"reached\" appears twice"), "{s}");
        let bad = file("step,reached\n0.5,1\n2,-1\n1,x\n");
        let s = read_curve_csv(bad.path(), false).unwrap_err().to_string();
        for want in [
            ":2: step \"0.5\" is not a whole number",
            ":3: reached: count \"-1\" is negative",
            ":4: step 1 does not follow step 2",
            ":4: reached: count \"x\" is not a finite number",
        ] {
            assert!(s.contains(want), "missing {want:?} in\n{s}");
        }
    }

    #[test]
    fn not_a_regular_file_is_refused() {
        let g = karate_like();
        let dir = tempfile::tempdir().unwrap();
        let e = read_cascades_csv(dir.path(), &g, 1.0).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
    }
}
