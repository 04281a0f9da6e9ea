//! Edge-list loader.
//!
//! **Format.** One edge per line: `u v` or `u v w`. Fields are separated by
//! spaces, tabs or commas (runs count as one separator; CRLF is fine). Lines
//! whose first non-blank character is `#` or `%` are comments, and so is the
//! rest of a line from a field starting with `#`; blank lines are skipped.
//! The optional third field is a weight (e.g. a per-edge independent-cascade
//! probability): an `f32` in [0, 1]; either every edge line has one or none
//! does. A gzip-compressed file (as SNAP distributes them) is recognised by
//! its first bytes, whatever its name, and read as it is decompressed.
//!
//! **Node ids** ([`IdMode`], `network.ids`). `numeric`: every id must be a
//! canonical non-negative decimal integer (no sign, no leading zero) below
//! 2^64; nodes are numbered densely in ascending order of their original id
//! and [`Labels::Numeric`] keeps the originals ([`Labels::Dense`] when the
//! ids are exactly `0..n`, saving the table). `names`: every id is text, even
//! `007` or `42`; nodes are numbered in order of first appearance and
//! [`Labels::Names`] keeps the text. `auto` (the default): numeric if the
//! first edge line has numeric ids, names otherwise — and then a later line
//! that does not fit (a name after numeric lines, typically a typo) is an
//! error naming that line, not a silent switch to names. Either way
//! [`Graph::label`] gives back the id as the user wrote it. Ids must not
//! contain control characters (bytes below 0x20 other than the tab, which
//! separates fields, and 0x7f), and names must be UTF-8 without control
//! characters (C1 included).
//!
//! **Header.** In `auto` and `numeric` mode, a first line whose two ids are
//! both words (neither starts like a number: a digit, or a sign or point
//! then a digit) followed by a line of numeric ids is a column header
//! (`source,target` or `u v weight`) and is skipped
//! ([`EdgeListInfo::header_skipped`]); a first line such as `-1 2` or
//! `18446744073709551616 1` is an edge line, so a bad id there is an error
//! in `numeric` mode, never a silently dropped edge. In
//! `auto` mode a first non-numeric line followed by another, or alone, is an
//! edge between named nodes. In `names` mode every line is an edge (comment a
//! header out with `#`). A first line whose two fields are column names
//! (`source`, `target`, `from`, `to`, …, any case) is a
//! header whatever follows, so `source,target` over named ids is never an
//! edge between nodes called "source" and "target" (issue 24; `names` mode
//! excepted, as above). A node that only appears in a self-loop line still
//! counts as a node (as SNAP counts them); the loop itself is dropped, as are
//! repeated edges (first weight wins).
//!
//! A UTF-8 byte order mark at the start of the text is skipped.
//!
//! **Bounds.** A line longer than [`MAX_LINE_BYTES`] is an error (file and
//! line), so a file without newlines cannot grow a buffer without end, and
//! reading stops with an error after [`MAX_EDGE_LIST_BYTES`] bytes of text
//! (counted after decompression, so a small compressed "bomb" cannot expand
//! past it), and after [`Options::max_edges`] edge lines (counted as they
//! arrive, set from the memory the run may use: the edges a gzip bomb
//! inflates to are refused before they are allocated). The file must be a regular file ([`crate::inputs::open_regular`]):
//! a FIFO or a device is refused.
//!
//! **Cost.** One pass over the bytes with a reused line buffer and hand-rolled
//! integer parsing (no allocation per line), then the id remap — a dense
//! lookup table when the largest id is at most ~8× the number of edge ends,
//! a sort plus hash map otherwise (the only hash maps in the graph code) —
//! then the O(V + E) CSR build.
//!
//! **Errors** name the file and the 1-based line, quoting it:
//! `karate.edges:17: expected two node ids and an optional weight, found "1 x y z"`.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;

use super::{Graph, GraphError, Labels};
use crate::inputs;

/// Longest line read: 1 MiB (an edge line is a few dozen bytes).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Most text read from one edge list: 4 GiB, counted after decompression.
/// Larger than any text edge list whose graph fits the CSR and memory of a
/// workstation comfortably (SNAP's com-Orkut, 117 million edges, is 1.7 GB),
/// small enough that a gzip bomb or an endless file stops early.
pub const MAX_EDGE_LIST_BYTES: u64 = 4 << 30;

/// The message for a weight above 1 (a count, typically): it names the key
/// that scales counts into probabilities.
pub(crate) const WEIGHT_OVER_ONE: &str = "the weight must be a number in [0, 1]; for counts (interactions, \
     messages) set network.normalize_weights = \"per_target\" (each weight over its target's total) or \"max\"";

/// The first two bytes of a gzip stream.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Why an edge list could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A line is not `u v [weight]`.
    #[error("{file}:{line}: {message}, found \"{text}\"")]
    Syntax { file: String, line: u64, message: String, text: String },
    /// A line is longer than the limit ([`MAX_LINE_BYTES`]).
    #[error("{file}:{line}: the line is longer than {} (the limit); is this an edge list?", inputs::human_bytes(*limit as u64))]
    LineTooLong { file: String, line: u64, limit: usize },
    /// The text is longer than the limit ([`MAX_EDGE_LIST_BYTES`]).
    #[error("{file}: more than {} of text (counted after decompression), the limit of the edge-list loader", inputs::human_bytes(*limit))]
    TooLarge { file: String, limit: u64 },
    /// More edge lines than the memory limit allows ([`Options::max_edges`]).
    #[error(
        "{file}:{line}: more than {limit} edges, more than the memory this run may use can hold while the network \
         is built; use a smaller network (or pass --max-memory to womsim run to allow more)"
    )]
    TooManyEdges { file: String, line: u64, limit: u64 },
    /// No edge at all (only comments, blank lines or self-loops).
    #[error("{file}: the network has no edges ({reason})")]
    Empty { file: String, reason: &'static str },
    /// The network does not fit the CSR (too many nodes or arcs).
    #[error("{file}: {source}")]
    Graph {
        file: String,
        #[source]
        source: GraphError,
    },
}

/// How the ids of an edge list are read (`network.ids`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdMode {
    /// Numeric when every id is a non-negative integer, names otherwise.
    #[default]
    Auto,
    /// Every id must be a non-negative integer.
    Numeric,
    /// Ids are names (any token), even when they look like numbers.
    Names,
}

impl IdMode {
    /// Every mode, in the order the scenario reference lists them.
    pub const ALL: [IdMode; 3] = [IdMode::Auto, IdMode::Numeric, IdMode::Names];

    /// The mode called `name` in scenarios (`"auto"`, `"numeric"`, `"names"`).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Scenario name of the mode.
    pub fn name(self) -> &'static str {
        match self {
            IdMode::Auto => "auto",
            IdMode::Numeric => "numeric",
            IdMode::Names => "names",
        }
    }
}

/// What the loader saw besides the graph itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EdgeListInfo {
    /// Edge lines read (comments and blank lines excluded).
    pub edge_lines: u64,
    /// Lines `u u`, dropped from the graph.
    pub self_loops: u64,
    /// Whether the lines carried weights.
    pub weighted: bool,
    /// Whether the first line was taken as a column header and skipped.
    pub header_skipped: bool,
}

/// How to read an edge list: direction, id mode and size limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Read `u v` as the arc u → v only.
    pub directed: bool,
    /// How ids are read.
    pub ids: IdMode,
    /// Longest line accepted, in bytes (newline excluded).
    pub max_line: usize,
    /// Most bytes of text read (after decompression).
    pub max_bytes: u64,
    /// Most edge lines read (self-loops and repeats included), checked as
    /// each arrives; `u64::MAX` for no limit (see
    /// [`crate::resources::max_edge_lines`]).
    pub max_edges: u64,
    /// Accept any finite weight ≥ 0 (counts), not only [0, 1]: set when
    /// `network.normalize_weights` will scale them into [0, 1] after loading.
    pub counts: bool,
}

impl Options {
    /// `directed`, ids read in `auto` mode, the default limits.
    pub fn new(directed: bool) -> Self {
        Options {
            directed,
            ids: IdMode::Auto,
            max_line: MAX_LINE_BYTES,
            max_bytes: MAX_EDGE_LIST_BYTES,
            max_edges: u64::MAX,
            counts: false,
        }
    }

    /// The same options with at most `max_edges` edge lines.
    pub fn max_edges(self, max_edges: u64) -> Self {
        Options { max_edges, ..self }
    }

    /// The same options with id mode `ids`.
    pub fn ids(self, ids: IdMode) -> Self {
        Options { ids, ..self }
    }
}

/// Parse an edge list from `reader`. `source` names it in error messages
/// (usually the file path). Pure: reads only from `reader`.
pub fn parse<R: BufRead>(reader: R, source: &str, directed: bool) -> Result<Graph, LoadError> {
    parse_with_info(reader, source, directed).map(|(g, _)| g)
}

/// [`parse`], also returning what was read (lines, self-loops dropped).
pub fn parse_with_info<R: BufRead>(
    reader: R,
    source: &str,
    directed: bool,
) -> Result<(Graph, EdgeListInfo), LoadError> {
    parse_with_options(reader, source, &Options::new(directed))
}

/// [`parse_with_info`] with every option. The text is read as it is (a
/// gzip stream is not recognised here; [`parse_input`] does that).
pub fn parse_with_options<R: BufRead>(
    reader: R,
    source: &str,
    opts: &Options,
) -> Result<(Graph, EdgeListInfo), LoadError> {
    Parser::new(source, opts).run(reader, opts.directed)
}

/// [`parse_with_options`], decompressing on the fly when the input starts
/// like a gzip stream (whatever its name). An error in the gzip data is a
/// [`LoadError::Io`] saying so.
pub fn parse_input<R: BufRead>(
    mut reader: R,
    source: &str,
    opts: &Options,
) -> Result<(Graph, EdgeListInfo), LoadError> {
    let io_err = |e| LoadError::Io { path: PathBuf::from(source), source: e };
    // Peek at the first two bytes, then put them back in front.
    let mut head = [0u8; 2];
    let mut got = 0;
    while got < 2 {
        match reader.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_err(e)),
        }
    }
    let reader = io::Cursor::new(head).take(got as u64).chain(reader);
    let parser = Parser::new(source, opts);
    if head[..got] == GZIP_MAGIC {
        let decoder = GzipErrors(MultiGzDecoder::new(reader));
        parser.run(BufReader::with_capacity(1 << 18, decoder), opts.directed)
    } else {
        parser.run(reader, opts.directed)
    }
}

/// Load the edge list at `path`.
pub fn load(path: &Path, directed: bool) -> Result<Graph, LoadError> {
    load_with_info(path, directed).map(|(g, _)| g)
}

/// [`load`], also returning what was read (lines, self-loops dropped).
pub fn load_with_info(path: &Path, directed: bool) -> Result<(Graph, EdgeListInfo), LoadError> {
    load_with_options(path, &Options::new(directed))
}

/// [`load_with_info`] with every option. The file must be a regular file;
/// it is decompressed on the fly when it starts like a gzip stream.
pub fn load_with_options(path: &Path, opts: &Options) -> Result<(Graph, EdgeListInfo), LoadError> {
    let file = inputs::open_regular(path).map_err(|source| LoadError::Io { path: path.to_path_buf(), source })?;
    let reader = BufReader::with_capacity(1 << 18, file);
    parse_input(reader, &path.display().to_string(), opts).map_err(|e| match e {
        // The reader was made from `path`: name the path, not the label.
        LoadError::Io { source, .. } => LoadError::Io { path: path.to_path_buf(), source },
        other => other,
    })
}

/// A gzip decoder whose errors say that the gzip data is at fault.
pub(crate) struct GzipErrors<R>(pub(crate) R);

impl<R: io::Read> io::Read for GzipErrors<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|e| io::Error::new(e.kind(), format!("bad gzip data: {e}")))
    }
}

/// Node ids collected so far, in line order.
enum Ids {
    /// Numeric ids all below `u32::MAX` (the common case: 8 bytes per edge).
    Narrow(Vec<(u32, u32)>),
    /// Numeric ids, some of them ≥ `u32::MAX`.
    Wide(Vec<(u64, u64)>),
    /// Names, interned in order of first appearance.
    Names { index: HashMap<Vec<u8>, u32>, edges: Vec<(u32, u32)> },
}

struct Parser<'a> {
    source: &'a str,
    mode: IdMode,
    max_line: usize,
    max_bytes: u64,
    max_edges: u64,
    counts: bool,
    /// Bytes read so far.
    read: u64,
    ids: Ids,
    max_id: u64,
    weights: Option<Vec<f32>>,
    /// Line number of the first edge line (sets whether weights are present).
    first_edge_line: u64,
    /// Whether a non-comment line has been seen.
    seen_first: bool,
    /// A first line with a non-numeric id, held back until the next line
    /// tells whether it is a header (next ids numeric) or an edge of names.
    pending: Option<(Vec<u8>, u64)>,
    info: EdgeListInfo,
}

fn is_sep(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b',' | b'\r' | b'\n')
}

/// Split a line into at most 4 fields (a 4th means the line is malformed),
/// stopping at a field that starts with `#` (a trailing comment).
fn split(line: &[u8]) -> ([&[u8]; 4], usize) {
    let mut fields: [&[u8]; 4] = [&[]; 4];
    let mut count = 0usize;
    let mut i = 0usize;
    let len = line.len();
    while i < len && count < 4 {
        while i < len && is_sep(line[i]) {
            i += 1;
        }
        if i == len {
            break;
        }
        if line[i] == b'#' {
            break; // trailing comment
        }
        let start = i;
        while i < len && !is_sep(line[i]) {
            i += 1;
        }
        fields[count] = &line[start..i];
        count += 1;
    }
    (fields, count)
}

/// Column names a header gives its first two columns (compared without
/// case): a first line of two of them is a header even over named ids,
/// never an edge between nodes called `source` and `target` (issue 24).
pub(crate) const HEADER_WORDS: [&str; 8] = ["source", "target", "from", "to", "src", "dst", "node1", "node2"];

/// Whether the first two fields of `line` are [`HEADER_WORDS`].
fn is_header_line(line: &[u8]) -> bool {
    let (fields, count) = split(line);
    count >= 2 && fields[..2].iter().all(|f| HEADER_WORDS.iter().any(|w| w.as_bytes().eq_ignore_ascii_case(f)))
}

/// A canonical non-negative decimal below 2^64, or `None`.
pub(crate) fn parse_id(t: &[u8]) -> Option<u64> {
    if t.is_empty() || t.len() > 20 || (t.len() > 1 && t[0] == b'0') {
        return None;
    }
    let mut x: u64 = 0;
    for &c in t {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        x = x.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    Some(x)
}

/// Whether a token starts like a number (a digit, or `+`, `-` or `.`
/// followed by a digit): such a first line is a (possibly bad) edge, never a
/// column header.
fn looks_numeric(t: &[u8]) -> bool {
    let t = t.strip_prefix(b"+").or_else(|| t.strip_prefix(b"-")).unwrap_or(t);
    let t = t.strip_prefix(b".").unwrap_or(t);
    t.first().is_some_and(u8::is_ascii_digit)
}

/// A canonical decimal id of 1 to 9 digits starting at `b[i]` (no leading
/// zero, so below `u32::MAX`) and the index after it; `None` otherwise (the
/// general path then decides).
#[inline]
fn fast_id(b: &[u8], i: usize) -> Option<(u32, usize)> {
    let mut j = i;
    let mut x: u64 = 0;
    while j < b.len() && j - i < 10 {
        let d = b[j].wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        x = x * 10 + u64::from(d);
        j += 1;
    }
    let n = j - i;
    // 10+ digits, or a leading zero in a multi-digit id: general path.
    if n == 0 || n > 9 || (n > 1 && b[i] == b'0') {
        return None;
    }
    // The id must end at a separator or the end of the line.
    if j < b.len() && !is_sep(b[j]) {
        return None;
    }
    Some((x as u32, j))
}

/// A control character as refused inside ids: below 0x20 (the tab, CR and
/// LF are separators) or DEL.
pub(crate) fn is_control(c: u8) -> bool {
    c < 0x20 || c == 0x7f
}

/// The line as quoted in an error message (trimmed, at most 80 characters,
/// control characters escaped so that none reaches a terminal raw).
pub(crate) fn quote(line: &[u8]) -> String {
    let s = String::from_utf8_lossy(line);
    let s = s.trim();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == 80 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

impl<'a> Parser<'a> {
    fn new(source: &'a str, opts: &Options) -> Self {
        let ids = match opts.ids {
            IdMode::Names => Ids::Names { index: HashMap::new(), edges: Vec::new() },
            IdMode::Auto | IdMode::Numeric => Ids::Narrow(Vec::new()),
        };
        Parser {
            source,
            mode: opts.ids,
            max_line: opts.max_line,
            max_bytes: opts.max_bytes,
            max_edges: opts.max_edges,
            counts: opts.counts,
            read: 0,
            ids,
            max_id: 0,
            weights: None,
            first_edge_line: 0,
            seen_first: false,
            pending: None,
            info: EdgeListInfo::default(),
        }
    }

    fn syntax(&self, line: u64, message: impl Into<String>, text: &[u8]) -> LoadError {
        LoadError::Syntax { file: self.source.to_string(), line, message: message.into(), text: quote(text) }
    }

    /// Line `line` is `len` bytes long (so far): an error past the limit.
    fn check_len(&self, len: usize, line: u64) -> Result<(), LoadError> {
        if len > self.max_line {
            return Err(LoadError::LineTooLong { file: self.source.to_string(), line, limit: self.max_line });
        }
        Ok(())
    }

    fn run<R: BufRead>(mut self, mut reader: R, directed: bool) -> Result<(Graph, EdgeListInfo), LoadError> {
        // Lines are parsed in place in the reader's buffer; only a line cut
        // by the buffer's end is copied (into `carry`).
        let mut carry: Vec<u8> = Vec::with_capacity(256);
        let mut line_no: u64 = 0;
        loop {
            let buf = match reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(LoadError::Io { path: PathBuf::from(self.source), source: e }),
            };
            if buf.is_empty() {
                break;
            }
            let len = buf.len();
            self.read += len as u64;
            if self.read > self.max_bytes {
                return Err(LoadError::TooLarge { file: self.source.to_string(), limit: self.max_bytes });
            }
            let mut at = 0usize;
            if !carry.is_empty() {
                // Finish the line begun in the previous buffer.
                match buf.iter().position(|&c| c == b'\n') {
                    Some(k) => {
                        self.check_len(carry.len() + k, line_no + 1)?;
                        carry.extend_from_slice(&buf[..=k]);
                        line_no += 1;
                        self.line(&carry, line_no)?;
                        carry.clear();
                        at = k + 1;
                    }
                    None => {
                        self.check_len(carry.len() + len, line_no + 1)?;
                        carry.extend_from_slice(buf);
                        reader.consume(len);
                        continue;
                    }
                }
            }
            while at < len {
                let rest = &buf[at..];
                // The common line `u v\n` of small canonical integers.
                if let Some((u, v, used)) = self.fast_pair(rest) {
                    line_no += 1;
                    self.fast_edge(u, v);
                    self.check_edges(line_no)?;
                    at += used;
                    continue;
                }
                match rest.iter().position(|&c| c == b'\n') {
                    Some(k) => {
                        line_no += 1;
                        self.check_len(k, line_no)?;
                        self.line(&rest[..=k], line_no)?;
                        at += k + 1;
                    }
                    None => {
                        self.check_len(rest.len(), line_no + 1)?;
                        carry.extend_from_slice(rest);
                        at = len;
                    }
                }
            }
            reader.consume(len);
        }
        if !carry.is_empty() {
            line_no += 1;
            self.line(&carry, line_no)?;
        }
        self.finish(directed)
    }

    /// Fast path for a complete line `u<seps>v<blanks>\n` with canonical
    /// decimal ids below `u32::MAX` (at most 9 digits), taken only once the
    /// first edge line has fixed the format as two numeric ids per line (no
    /// weights, no pending header). Returns the ids and the bytes used
    /// (including the newline). Anything else (comments, weights, names,
    /// long ids, a line cut by the buffer end) returns `None` and goes
    /// through [`Parser::line`], so the outcome is always the same.
    #[inline]
    fn fast_pair(&self, b: &[u8]) -> Option<(u32, u32, usize)> {
        if self.info.edge_lines == 0 || self.pending.is_some() || self.weights.is_some() {
            return None;
        }
        if !matches!(self.ids, Ids::Narrow(_)) {
            return None;
        }
        let (u, mut i) = fast_id(b, 0)?;
        let sep_start = i;
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b',') {
            i += 1;
        }
        if i == sep_start {
            return None;
        }
        let (v, mut j) = fast_id(b, i)?;
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r') {
            j += 1;
        }
        // (A line over the length limit, possible with long runs of blanks,
        // takes the general path and its error.)
        if j < b.len() && b[j] == b'\n' && j <= self.max_line {
            Some((u, v, j + 1))
        } else {
            None
        }
    }

    /// Record an edge found by [`Parser::fast_pair`] exactly as
    /// [`Parser::edge`] would.
    #[inline]
    fn fast_edge(&mut self, u: u32, v: u32) {
        self.info.edge_lines += 1;
        if u == v {
            self.info.self_loops += 1;
        }
        self.max_id = self.max_id.max(u64::from(u.max(v)));
        if let Ids::Narrow(e) = &mut self.ids {
            e.push((u, v));
        }
    }

    /// An error once more than `max_edges` edge lines have arrived.
    #[inline]
    fn check_edges(&self, line_no: u64) -> Result<(), LoadError> {
        if self.info.edge_lines > self.max_edges {
            return Err(LoadError::TooManyEdges {
                file: self.source.to_string(),
                line: line_no,
                limit: self.max_edges,
            });
        }
        Ok(())
    }

    fn line(&mut self, line: &[u8], line_no: u64) -> Result<(), LoadError> {
        self.text_line(line, line_no)?;
        self.check_edges(line_no)
    }

    fn text_line(&mut self, line: &[u8], line_no: u64) -> Result<(), LoadError> {
        // A byte order mark (some editors write one) is not part of the text.
        let line = if line_no == 1 { line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line) } else { line };
        let (fields, count) = split(line);
        if count == 0 || fields[0][0] == b'#' || fields[0][0] == b'%' {
            return Ok(());
        }
        if !(2..=3).contains(&count) {
            return Err(self.syntax(line_no, "expected two node ids and an optional weight", line));
        }
        if let Some(&c) = fields[..2].iter().flat_map(|f| f.iter()).find(|&&c| is_control(c)) {
            let msg = format!("a node id contains the control character U+{c:04X}; ids must be printable text");
            return Err(self.syntax(line_no, msg, line));
        }
        let numeric = parse_id(fields[0]).is_some() && parse_id(fields[1]).is_some();
        if !self.seen_first {
            self.seen_first = true;
            // Held back as a possible header only if it reads as words.
            let header_like = !looks_numeric(fields[0]) && !looks_numeric(fields[1]);
            if !numeric && header_like && self.mode != IdMode::Names {
                self.pending = Some((line.to_vec(), line_no));
                return Ok(());
            }
        } else if let Some((first, first_no)) = self.pending.take() {
            // `source,target` over numeric ids is a header; otherwise the
            // first line is an edge between named nodes.
            if numeric || is_header_line(&first) {
                self.info.header_skipped = true;
            } else {
                self.replay(&first, first_no)?;
            }
        }
        self.edge(fields, count, line, line_no)
    }

    /// Process a held-back first line as an edge.
    fn replay(&mut self, line: &[u8], line_no: u64) -> Result<(), LoadError> {
        let (fields, count) = split(line);
        self.edge(fields, count, line, line_no)
    }

    /// Record one edge line of 2 or 3 fields.
    fn edge(&mut self, fields: [&[u8]; 4], count: usize, line: &[u8], line_no: u64) -> Result<(), LoadError> {
        self.info.edge_lines += 1;
        if self.info.edge_lines == 1 {
            self.first_edge_line = line_no;
            if count == 3 {
                self.weights = Some(Vec::new());
                self.info.weighted = true;
            }
        }
        match (&mut self.weights, count) {
            (Some(ws), 3) => {
                let w = std::str::from_utf8(fields[2]).ok().and_then(|s| s.parse::<f32>().ok());
                match w {
                    Some(w) if (0.0..=1.0).contains(&w) => ws.push(w),
                    Some(w) if self.counts && w.is_finite() && w > 1.0 => ws.push(w),
                    Some(w) if w.is_finite() && w > 1.0 => {
                        return Err(self.syntax(line_no, WEIGHT_OVER_ONE, line));
                    }
                    _ => return Err(self.syntax(line_no, "the weight must be a number in [0, 1]", line)),
                }
            }
            (None, 2) => {}
            (Some(_), _) => {
                let msg = format!("missing weight (line {} has one, so every edge needs one)", self.first_edge_line);
                return Err(self.syntax(line_no, msg, line));
            }
            (None, _) => {
                let msg =
                    format!("unexpected weight (line {} has none, so no edge may have one)", self.first_edge_line);
                return Err(self.syntax(line_no, msg, line));
            }
        }
        let (a, b) = (fields[0], fields[1]);
        if a == b {
            self.info.self_loops += 1;
        }
        if !matches!(self.ids, Ids::Names { .. }) {
            if let (Some(u), Some(v)) = (parse_id(a), parse_id(b)) {
                self.max_id = self.max_id.max(u).max(v);
                match &mut self.ids {
                    Ids::Narrow(e) if u < u64::from(u32::MAX) && v < u64::from(u32::MAX) => {
                        e.push((u as u32, v as u32))
                    }
                    Ids::Narrow(e) => {
                        let mut wide: Vec<(u64, u64)> = e.iter().map(|&(x, y)| (u64::from(x), u64::from(y))).collect();
                        wide.push((u, v));
                        self.ids = Ids::Wide(wide);
                    }
                    Ids::Wide(e) => e.push((u, v)),
                    Ids::Names { .. } => unreachable!(),
                }
                return Ok(());
            }
            self.switch_to_names(fields, line_no, line)?;
        }
        for id in [a, b] {
            let Ok(text) = std::str::from_utf8(id) else {
                return Err(self.syntax(line_no, "a node id is not valid UTF-8 text", line));
            };
            // (C0 and DEL were refused by `line`; this finds C1, e.g. U+0085.)
            if let Some(c) = text.chars().find(|c| c.is_control()) {
                let msg =
                    format!("a node id contains the control character U+{:04X}; ids must be printable text", c as u32);
                return Err(self.syntax(line_no, msg, line));
            }
        }
        let Ids::Names { index, edges } = &mut self.ids else { unreachable!("switched to names above") };
        match (intern(index, a), intern(index, b)) {
            (Some(u), Some(v)) => {
                edges.push((u, v));
                Ok(())
            }
            _ => Err(self.syntax(line_no, "too many distinct node ids (at most 4,294,967,294)", line)),
        }
    }

    /// A non-numeric id while the ids are not names: names from now on in
    /// `auto` mode if this is the first edge line, an error otherwise.
    fn switch_to_names(&mut self, fields: [&[u8]; 4], line_no: u64, line: &[u8]) -> Result<(), LoadError> {
        let odd = if parse_id(fields[0]).is_none() { fields[0] } else { fields[1] };
        let odd = quote(odd);
        if self.mode == IdMode::Numeric {
            let msg = format!(
                "node id \"{odd}\" is not a non-negative integer (no sign, no leading zero, below 2^64), \
                 as network.ids = \"numeric\" requires; for text ids set ids = \"names\""
            );
            return Err(self.syntax(line_no, msg, line));
        }
        if self.info.edge_lines > 1 {
            // Numeric edges were read: a typo, or a file of names whose first
            // lines happen to look like numbers.
            let msg = format!(
                "node id \"{odd}\" is not a number, but the edge lines from line {} on have numeric ids; \
                 fix the line, or set network.ids = \"names\" if the ids are names",
                self.first_edge_line
            );
            return Err(self.syntax(line_no, msg, line));
        }
        self.ids = Ids::Names { index: HashMap::new(), edges: Vec::new() };
        Ok(())
    }

    fn finish(mut self, directed: bool) -> Result<(Graph, EdgeListInfo), LoadError> {
        // A lone non-numeric line is an edge, not a header of nothing (and
        // an error in `numeric` mode).
        if let Some((first, first_no)) = self.pending.take() {
            if is_header_line(&first) {
                self.info.header_skipped = true;
            } else {
                self.replay(&first, first_no)?;
            }
        }
        let file = self.source.to_string();
        if self.info.edge_lines == 0 {
            return Err(LoadError::Empty { file, reason: "no edge lines, only comments or blank lines" });
        }
        let graph_err = |source| LoadError::Graph { file: self.source.to_string(), source };
        let (n, mut edges, labels) = match self.ids {
            Ids::Names { index, edges } => {
                let mut names = vec![String::new(); index.len()];
                for (k, i) in index {
                    names[i as usize] = String::from_utf8_lossy(&k).into_owned();
                }
                (names.len(), edges, Labels::Names(names))
            }
            Ids::Narrow(mut edges) => {
                let ids = remap_narrow(&mut edges, self.max_id);
                // Ids exactly 0..n: node i is called i, no table needed.
                let n = ids.len();
                let labels = if ids.last() == Some(&(n as u64 - 1)) { Labels::Dense } else { Labels::Numeric(ids) };
                (n, edges, labels)
            }
            Ids::Wide(wide) => {
                let (ids, edges) = remap_wide(&wide).map_err(graph_err)?;
                (ids.len(), edges, Labels::Numeric(ids))
            }
        };
        // Return the growth slack before the CSR build allocates.
        edges.shrink_to_fit();
        let g = Graph::from_edges(n, directed, &edges, self.weights.as_deref(), labels).map_err(graph_err)?;
        if g.num_arcs() == 0 {
            return Err(LoadError::Empty { file, reason: "every edge line is a self-loop" });
        }
        Ok((g, self.info))
    }
}

/// Index of `name`, adding it if new; `None` when ids would overflow `u32`.
fn intern(index: &mut HashMap<Vec<u8>, u32>, name: &[u8]) -> Option<u32> {
    if let Some(&i) = index.get(name) {
        return Some(i);
    }
    let i = index.len();
    if i >= u32::MAX as usize - 1 {
        return None;
    }
    index.insert(name.to_vec(), i as u32);
    Some(i as u32)
}

/// Renumber ids `< u32::MAX` densely in ascending order, in place; returns
/// the original id of each new node.
fn remap_narrow(edges: &mut [(u32, u32)], max_id: u64) -> Vec<u64> {
    let ends = 2 * edges.len() as u64;
    if max_id <= 8 * ends + 4096 {
        // Dense table: slot = u32::MAX if absent, then the new id.
        let mut map = vec![u32::MAX; max_id as usize + 1];
        for &(u, v) in edges.iter() {
            map[u as usize] = 0;
            map[v as usize] = 0;
        }
        let mut ids = Vec::new();
        for (id, slot) in map.iter_mut().enumerate() {
            if *slot == 0 {
                *slot = ids.len() as u32;
                ids.push(id as u64);
            }
        }
        for e in edges.iter_mut() {
            *e = (map[e.0 as usize], map[e.1 as usize]);
        }
        ids
    } else {
        let mut ids: Vec<u64> = edges.iter().flat_map(|&(u, v)| [u64::from(u), u64::from(v)]).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.shrink_to_fit();
        let index: HashMap<u32, u32> = ids.iter().enumerate().map(|(i, &id)| (id as u32, i as u32)).collect();
        for e in edges.iter_mut() {
            *e = (index[&e.0], index[&e.1]);
        }
        ids
    }
}

/// Original ids (ascending) and the renumbered edges.
type Remapped = (Vec<u64>, Vec<(u32, u32)>);

/// Renumber arbitrary `u64` ids densely in ascending order.
fn remap_wide(edges: &[(u64, u64)]) -> Result<Remapped, GraphError> {
    let mut ids: Vec<u64> = edges.iter().flat_map(|&(u, v)| [u, v]).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() >= u32::MAX as usize {
        return Err(GraphError::TooManyNodes(ids.len() as u64));
    }
    let index: HashMap<u64, u32> = ids.iter().enumerate().map(|(i, &id)| (id, i as u32)).collect();
    let out = edges.iter().map(|(u, v)| (index[u], index[v])).collect();
    Ok((ids, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str, directed: bool) -> Result<Graph, LoadError> {
        parse(text.as_bytes(), "t.edges", directed)
    }

    #[test]
    fn fast_path_and_buffer_cuts_do_not_change_the_result() {
        // Every buffer size cuts lines at different places, so each line is
        // read by the fast path, the general path, or across a boundary.
        let texts = [
            "source,target\n0 1\n1\t2\r\n3,4\n5 5\n# c\n6 7 # x\n10   0\n  8 9\n2 3 \n1 2",
            "0 1\n1 2\n2 0\n3 999999999\n",
            "0 1\n1 2\n1000000000 3\n4294967296 5\n",
            "01 2\n0 1\n",
            "0 1 0.5\n1 2 0.25\n",
            "a b\n0 1\n",
        ];
        for text in texts {
            let big = parse_with_info(BufReader::with_capacity(1 << 16, text.as_bytes()), "t", false).unwrap();
            for cap in 1..=24 {
                let small = parse_with_info(BufReader::with_capacity(cap, text.as_bytes()), "t", false).unwrap();
                assert_eq!(small, big, "capacity {cap}: {text:?}");
            }
        }
        // Errors keep their line numbers on both paths.
        for cap in [3, 5, 64] {
            let e = parse(BufReader::with_capacity(cap, "0 1\n1 2\n2 x y z\n".as_bytes()), "f", false).unwrap_err();
            assert!(e.to_string().starts_with("f:3:"), "{e}");
        }
    }

    #[test]
    fn separators_comments_and_crlf() {
        let g = p("# c\n% c\n\n  1 2\r\n2,3 # trailing\n3\t 4\n  # indented comment\n4 , 1\n", false).unwrap();
        assert_eq!((g.n(), g.num_edges()), (4, 4));
        assert_eq!(g.label(0).to_string(), "1");
        assert_eq!(g.listeners(0), &[1, 3]);
    }

    #[test]
    fn no_final_newline_and_duplicates() {
        let g = p("0 1\n1 0\n0 1\n2 2", false).unwrap();
        assert_eq!((g.n(), g.num_edges()), (3, 1));
        let g = p("0 1\n1 0\n0 1", true).unwrap();
        assert_eq!(g.num_edges(), 2);
    }

    #[test]
    fn sparse_numeric_ids_are_sorted_and_kept() {
        // Dense-table path and hash-map path (max id ≫ edge count).
        for text in ["30 10\n10 20\n", "3000000000 10\n10 20\n", "18446744073709551615 10\n10 20\n"] {
            let g = p(text, true).unwrap();
            assert_eq!(g.n(), 3);
            let labels: Vec<String> = (0..3).map(|u| g.label(u).to_string()).collect();
            let mut want: Vec<&str> = text.split_whitespace().collect();
            want.sort_by_key(|s| s.parse::<u64>().unwrap());
            want.dedup();
            assert_eq!(labels, want, "{text:?}");
            // 10 → 20 and (big) → 10.
            assert_eq!(g.listeners(0), &[1]);
            assert_eq!(g.sources(0), &[2]);
            assert_eq!(g.find_label(want[2]), Some(2));
        }
    }

    #[test]
    fn names_in_order_of_first_appearance() {
        let g = p("5 alice\nbob 5\n007 bob\n", true).unwrap();
        let labels: Vec<String> = (0..g.n()).map(|u| g.label(u).to_string()).collect();
        assert_eq!(labels, ["5", "alice", "bob", "007"]);
        assert_eq!(g.listeners(2), &[0]);
        assert!(matches!(g.labels(), Labels::Names(_)));
    }

    #[test]
    fn weights() {
        let g = p("a b 0.5\nb c 1\nc a 0\n", true).unwrap();
        assert_eq!(g.listener_weights(0).unwrap(), &[0.5]);
        assert_eq!(g.source_weights(0).unwrap(), &[0.0]);
        let e = p("1 2 0.5\n1 3\n", true).unwrap_err().to_string();
        assert_eq!(e, "t.edges:2: missing weight (line 1 has one, so every edge needs one), found \"1 3\"");
        let e = p("# h\n1 2\n1 3 0.1\n", true).unwrap_err().to_string();
        assert!(e.starts_with("t.edges:3: unexpected weight (line 2 has none"), "{e}");
        let e = p("1 2 1.5\n", true).unwrap_err().to_string();
        assert_eq!(e, format!("t.edges:1: {WEIGHT_OVER_ONE}, found \"1 2 1.5\""));
        assert!(e.contains("network.normalize_weights"), "{e}");
        // Counts are read as they are when they will be normalised.
        let o = Options { counts: true, ..Options::new(true) };
        let (g, _) = parse_with_options("1 2 3\n2 3 0.5\n".as_bytes(), "t", &o).unwrap();
        assert_eq!(g.listener_weights(0).unwrap(), &[3.0]);
        for bad in ["1 2 -1\n", "1 2 inf\n", "1 2 NaN\n"] {
            assert!(parse_with_options(bad.as_bytes(), "t", &o).is_err(), "{bad}");
        }
        assert!(p("1 2 x\n", true).is_err());
        assert!(p("1 2 NaN\n", true).is_err());
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let e = p("1 2\n# c\n1 x y z\n", false).unwrap_err().to_string();
        assert_eq!(e, "t.edges:3: expected two node ids and an optional weight, found \"1 x y z\"");
        let e = p("1 2\n7\n", false).unwrap_err();
        assert!(matches!(e, LoadError::Syntax { line: 2, .. }), "{e}");
    }

    #[test]
    fn empty_inputs_are_errors() {
        for text in ["", "# only\n\n", "3 3\n"] {
            let e = p(text, false).unwrap_err();
            assert!(matches!(e, LoadError::Empty { .. }), "{text:?}: {e}");
            assert!(e.to_string().starts_with("t.edges: the network has no edges"), "{e}");
        }
    }

    #[test]
    fn info_counts_lines_and_loops() {
        let (g, info) = parse_with_info("1 1\n1 2\n2 3\n3 3\n".as_bytes(), "t", true).unwrap();
        assert_eq!(info, EdgeListInfo { edge_lines: 4, self_loops: 2, weighted: false, header_skipped: false });
        assert_eq!((g.n(), g.num_edges()), (3, 2));
    }

    #[test]
    fn header_line_is_skipped_only_above_numeric_ids() {
        let (g, info) = parse_with_info("source,target\n10,20\n20,30\n".as_bytes(), "t", false).unwrap();
        assert!(info.header_skipped);
        assert_eq!((g.n(), g.num_edges(), info.edge_lines), (3, 2, 2));
        assert_eq!(g.label(0).to_string(), "10");
        let (g, info) = parse_with_info("# c\nu v weight\n1 2 0.25\n".as_bytes(), "t", true).unwrap();
        assert!(info.header_skipped && info.weighted);
        assert_eq!(g.listener_weights(0).unwrap(), &[0.25]);
        // Header words over named ids: a header, never an edge (issue 24).
        for first in ["source,target", "Source Target", "from,to,weight"] {
            let text = format!("{first}\nalice,bob\nbob,carol\n");
            let (g, info) = parse_with_info(text.as_bytes(), "t", false).unwrap();
            assert!(info.header_skipped, "{first}");
            assert_eq!(labels(&g), ["alice", "bob", "carol"], "{first}");
        }
        // Alone, it is a header of an empty list.
        assert!(matches!(p("source target\n", false), Err(LoadError::Empty { .. })));
        // Names: the first line is an edge.
        let (g, info) = parse_with_info("a b\nb c\n".as_bytes(), "t", false).unwrap();
        assert!(!info.header_skipped);
        assert_eq!((g.n(), g.num_edges()), (3, 2));
        assert_eq!(g.label(0).to_string(), "a");
        let g = p("a b\n", false).unwrap();
        assert_eq!((g.n(), g.num_edges()), (2, 1));
        // A held-back first line is still checked when it turns out to be an edge.
        let e = p("a b c\nb c\n", false).unwrap_err().to_string();
        assert_eq!(e, "t.edges:1: the weight must be a number in [0, 1], found \"a b c\"");
    }

    #[test]
    fn a_numeric_looking_first_line_is_an_edge_never_a_header() {
        // Issue 27: `-1 2` or a 20-digit id over 2^64 was dropped as a header.
        for first in ["-1 2", "18446744073709551616 1", "+3 1", "1 .5"] {
            let text = format!("{first}\n2 3\n3 4\n");
            let e = p_ids(&text, IdMode::Numeric).unwrap_err().to_string();
            assert!(e.starts_with("t.edges:1: node id"), "{first}: {e}");
            // auto: an edge of names (the first edge line decides).
            let (g, info) = p_ids(&text, IdMode::Auto).unwrap();
            assert!(!info.header_skipped && matches!(g.labels(), Labels::Names(_)), "{first}");
            assert_eq!(info.edge_lines, 3);
        }
        // A header of words is still one.
        let (g, info) = p_ids("from to\n2 3\n", IdMode::Numeric).unwrap();
        assert!(info.header_skipped);
        assert_eq!(g.n(), 2);
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let (g, info) = p_ids("\u{feff}1 2\n2 3\n", IdMode::Auto).unwrap();
        assert!(!info.header_skipped);
        assert_eq!((g.n(), g.num_edges()), (3, 2));
        assert_eq!(g.label(0).to_string(), "1");
        let (g, _) = p_ids("\u{feff}a b\n", IdMode::Auto).unwrap();
        assert_eq!(labels(&g), ["a", "b"]);
        // Only at the start of the text.
        assert!(p_ids("1 2\n\u{feff}2 3\n", IdMode::Numeric).is_err());
    }

    #[test]
    fn edge_lines_are_counted_against_the_limit_as_they_arrive() {
        let text = "1 2\n".repeat(1000);
        let o = Options::new(false).max_edges(999);
        let e = parse_with_options(text.as_bytes(), "t.edges", &o).unwrap_err().to_string();
        assert!(e.starts_with("t.edges:1000: more than 999 edges"), "{e}");
        // Also through the general path (names) and with a gzip stream.
        let named = "a b\n".repeat(1000);
        let e = parse_with_options(named.as_bytes(), "t.edges", &o).unwrap_err().to_string();
        assert!(e.starts_with("t.edges:1000: more than 999 edges"), "{e}");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, text.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        assert!(matches!(parse_input(&gz[..], "t.gz", &o), Err(LoadError::TooManyEdges { line: 1000, .. })));
        let o = o.max_edges(1000);
        assert_eq!(parse_input(&gz[..], "t.gz", &o).unwrap().1.edge_lines, 1000);
    }

    fn opts(ids: IdMode) -> Options {
        Options::new(true).ids(ids)
    }

    fn p_ids(text: &str, ids: IdMode) -> Result<(Graph, EdgeListInfo), LoadError> {
        parse_with_options(text.as_bytes(), "t.edges", &opts(ids))
    }

    fn labels(g: &Graph) -> Vec<String> {
        (0..g.n()).map(|u| g.label(u).to_string()).collect()
    }

    #[test]
    fn id_modes() {
        // names: numbers are text, in order of first appearance, no header.
        let (g, info) = p_ids("u v\n10 2\n2 007\n", IdMode::Names).unwrap();
        assert_eq!(labels(&g), ["u", "v", "10", "2", "007"]);
        assert!(matches!(g.labels(), Labels::Names(_)) && !info.header_skipped);
        // numeric: a header is still skipped; a non-numeric id is an error.
        let (g, info) = p_ids("source,target\n10,2\n", IdMode::Numeric).unwrap();
        assert!(info.header_skipped);
        assert_eq!(labels(&g), ["2", "10"]);
        let e = p_ids("1 2\n2 -3\n", IdMode::Numeric).unwrap_err().to_string();
        assert_eq!(
            e,
            "t.edges:2: node id \"-3\" is not a non-negative integer (no sign, no leading zero, below 2^64), as \
             network.ids = \"numeric\" requires; for text ids set ids = \"names\", found \"2 -3\""
        );
        for text in ["a b\nc d\n1 2\n", "a b\n"] {
            let e = p_ids(text, IdMode::Numeric).unwrap_err();
            assert!(matches!(e, LoadError::Syntax { line: 1, .. }), "{e}");
        }
        assert_eq!(IdMode::from_name("names"), Some(IdMode::Names));
        assert_eq!(IdMode::from_name("Names"), None);
    }

    #[test]
    fn auto_mode_refuses_a_name_after_numeric_lines() {
        let e = p_ids("# c\n1 2\n2 3\n3 x4\n4 5\n", IdMode::Auto).unwrap_err();
        assert!(matches!(e, LoadError::Syntax { line: 4, .. }), "{e}");
        assert_eq!(
            e.to_string(),
            "t.edges:4: node id \"x4\" is not a number, but the edge lines from line 2 on have numeric ids; fix \
             the line, or set network.ids = \"names\" if the ids are names, found \"3 x4\""
        );
        // After a header too; a leading zero is not a canonical number.
        let e = p_ids("from to\n1 2\n01 3\n", IdMode::Auto).unwrap_err();
        assert!(matches!(e, LoadError::Syntax { line: 3, .. }), "{e}");
        // The same file reads as names when asked.
        let (g, _) = p_ids("1 2\n2 3\n3 x4\n", IdMode::Names).unwrap();
        assert_eq!(labels(&g), ["1", "2", "3", "x4"]);
        // Names first, numbers later: all names, as before.
        let (g, _) = p_ids("a b\nb c\n1 2\n", IdMode::Auto).unwrap();
        assert_eq!(labels(&g), ["a", "b", "c", "1", "2"]);
    }

    #[test]
    fn control_characters_in_ids_are_refused() {
        for (text, line) in [("a b\nb c\x1b[31m\n", 2), ("1 2\x00\n", 1), ("x\x7f y\n", 1), ("1 2\n2 3\x0b4\n", 2)] {
            for mode in IdMode::ALL {
                let e = p_ids(text, mode).unwrap_err();
                assert!(matches!(e, LoadError::Syntax { line: l, .. } if l == line), "{mode:?} {text:?}: {e}");
                let msg = e.to_string();
                assert!(msg.contains("control character U+00"), "{msg}");
                assert!(!msg.bytes().any(is_control), "raw control character in {msg:?}");
            }
        }
        let e = p_ids("a b\nb c\u{85}\n", IdMode::Auto).unwrap_err().to_string();
        assert!(e.starts_with("t.edges:2: a node id contains the control character U+0085"), "{e}");
        // Tabs separate fields; control characters in comments are harmless.
        assert!(p_ids("1\t2\n# \x07 bell\n", IdMode::Auto).is_ok());
        // Names must be UTF-8 (labels are text).
        let e = p_ids("a b\n\u{e9} c\n", IdMode::Auto)
            .map(|_| ())
            .and(parse_with_options(&b"a b\n\xff c\n"[..], "t.edges", &opts(IdMode::Auto)).map(|_| ()));
        assert!(e.unwrap_err().to_string().starts_with("t.edges:2: a node id is not valid UTF-8"));
    }

    #[test]
    fn long_lines_and_large_inputs_stop_with_an_error() {
        let mut o = opts(IdMode::Auto);
        o.max_line = 10;
        // Exactly at the limit is fine, in any buffer size.
        for cap in [1, 3, 7, 64] {
            let ok = "0 1\n12345678 9\n";
            assert!(parse_with_options(BufReader::with_capacity(cap, ok.as_bytes()), "f", &o).is_ok());
            for bad in ["0 1\n123456789 0\n", "0 1\n1         2\n", "0 1\n12345678 90", "0 1\n# a long comment\n"] {
                let e = parse_with_options(BufReader::with_capacity(cap, bad.as_bytes()), "f", &o).unwrap_err();
                assert_eq!(e.to_string(), "f:2: the line is longer than 10 bytes (the limit); is this an edge list?");
            }
        }
        // A default-limit line of 1 MiB + 1 byte.
        let long = format!("0 1\n{}\n", "7".repeat(MAX_LINE_BYTES + 1));
        let e = parse(long.as_bytes(), "f", false).unwrap_err();
        assert_eq!(e.to_string(), "f:2: the line is longer than 1 MiB (the limit); is this an edge list?");
        let mut o = opts(IdMode::Auto);
        o.max_bytes = 8;
        let e = parse_with_options(BufReader::with_capacity(4, "0 1\n1 2\n2 3\n".as_bytes()), "f", &o).unwrap_err();
        assert!(matches!(e, LoadError::TooLarge { limit: 8, .. }), "{e}");
        assert_eq!(
            e.to_string(),
            "f: more than 8 bytes of text (counted after decompression), the limit of the edge-list loader"
        );
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn gzip_files_are_recognised_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let text = "# c\n1 2\n2 3\n3 1\n";
        let plain = load(&write(&dir, "plain.edges", text.as_bytes()), false).unwrap();
        // Any name; two gzip members back to back are one stream (as `cat a.gz b.gz`).
        for name in ["net.edges", "net.gz", "net.txt.gz"] {
            let g = load(&write(&dir, name, &gzip(text.as_bytes())), false).unwrap();
            assert_eq!(g, plain, "{name}");
        }
        let mut two = gzip(b"# c\n1 2\n2 3\n");
        two.extend(gzip(b"3 1\n"));
        assert_eq!(load(&write(&dir, "two.gz", &two), false).unwrap(), plain);
        // Bad data after a gzip header: an I/O error naming the file.
        let mut broken = gzip(text.as_bytes());
        broken.truncate(12);
        let path = write(&dir, "broken.gz", &broken);
        let e = load(&path, false).unwrap_err();
        assert!(matches!(e, LoadError::Io { .. }), "{e}");
        assert!(e.to_string().starts_with(&format!("cannot read {}: bad gzip data", path.display())), "{e}");
        // Limits apply to the decompressed text (a small "bomb").
        let bomb = gzip("1 2\n".repeat(1 << 20).as_bytes());
        assert!(bomb.len() < 10_000);
        let path = write(&dir, "bomb.gz", &bomb);
        let o = Options { max_bytes: 1 << 20, ..Options::new(false) };
        let e = load_with_options(&path, &o).unwrap_err();
        assert!(matches!(e, LoadError::TooLarge { .. }), "{e}");
        let gz_line = gzip(&vec![b'9'; MAX_LINE_BYTES + 10]);
        let e = load(&write(&dir, "line.gz", &gz_line), false).unwrap_err();
        assert!(matches!(e, LoadError::LineTooLong { line: 1, .. }), "{e}");
    }

    fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused() {
        for path in ["/dev/zero", "/dev/null"] {
            let e = load(Path::new(path), false).unwrap_err();
            assert!(matches!(e, LoadError::Io { .. }), "{e}");
            assert_eq!(
                e.to_string(),
                format!("cannot read {path}: a character device is not a regular file; womsim reads inputs only from regular files")
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let e = load(dir.path(), false).unwrap_err();
        assert!(e.to_string().contains("a directory is not a regular file"), "{e}");
    }

    #[test]
    fn missing_file_names_the_path() {
        let e = load(Path::new("/nonexistent/dir/net.edges"), false).unwrap_err();
        assert!(matches!(e, LoadError::Io { .. }));
        assert!(e.to_string().starts_with("cannot read /nonexistent/dir/net.edges: "), "{e}");
    }
}
