//! Network files in the formats tools write: GraphML and GEXF (networkx,
//! Gephi, igraph), GML, Pajek `.net`, CSV with a header (spreadsheets,
//! Gephi's edge table), besides the plain edge list ([`super::edgelist`]).
//!
//! **Which format.** `network.format` when the scenario sets it, else the
//! file's extension after an optional `.gz`: `.graphml`, `.gexf`, `.gml`,
//! `.net`/`.paj` (Pajek), `.csv` (CSV with a header when its first line
//! names a `source` or `target` column, else an edge list as before), any
//! other name an edge list. The first 4 KiB of text are then checked: a
//! file whose content says another format (`<graphml`, `<gexf`, `graph [`,
//! `*Vertices`) is refused with a message naming the format it looks like and
//! how to say so, never read as edges and refused for a "bad weight".
//!
//! **Common rules** (the edge list's, [`super::edgelist`]): gzip recognised by
//! content, only regular files, at most [`edgelist::MAX_EDGE_LIST_BYTES`] of
//! text after decompression, lines of at most [`edgelist::MAX_LINE_BYTES`]
//! (XML: elements), edges counted against [`edgelist::Options::max_edges`] as
//! they arrive; ids are the file's own names ([`edgelist::IdMode`]: in `auto`
//! mode, ids that are all canonical integers number the nodes in ascending
//! order, as an edge list's do, so the same graph gives the same results in
//! any format); self-loops dropped, repeated edges merged (first weight
//! wins); weights, when the file has them, on every edge or none, in [0, 1]
//! unless `network.normalize_weights` scales counts ([`normalize`]).
//!
//! **Direction.** GraphML `edgedefault`, GEXF `defaultedgetype`, GML
//! `directed 1`, Pajek `*Arcs` (vs `*Edges`) and a CSV `Type` column say it.
//! The file wins over the scenario's default `directed = false`; a scenario
//! that sets `directed = true` on a file that says undirected is refused
//! (which is meant cannot be guessed).

mod builder;
mod csv;
mod gml;
pub mod normalize;
mod pajek;
mod xml;

use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;

use super::edgelist::{self, EdgeListInfo, GzipErrors, LoadError};
use super::Graph;
use crate::inputs;
pub use normalize::WeightNorm;

/// How much text is looked at to tell formats apart.
const SNIFF_BYTES: usize = 4096;

/// A network file format (`network.format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `u v [weight]` lines ([`super::edgelist`]).
    EdgeList,
    /// Comma-separated with a header naming `source`, `target` (and
    /// optionally `weight`, `type`) columns.
    Csv,
    /// GraphML (XML).
    GraphMl,
    /// GEXF (XML, Gephi's format).
    Gexf,
    /// GML (`graph [ node [ … ] edge [ … ] ]`).
    Gml,
    /// Pajek `.net` (`*Vertices`, `*Arcs`, `*Edges`).
    Pajek,
}

impl Format {
    /// Every format, in the order the scenario reference lists them.
    pub const ALL: [Format; 6] =
        [Format::EdgeList, Format::Csv, Format::GraphMl, Format::Gexf, Format::Gml, Format::Pajek];

    /// Scenario name (`network.format`).
    pub fn name(self) -> &'static str {
        match self {
            Format::EdgeList => "edge_list",
            Format::Csv => "csv",
            Format::GraphMl => "graphml",
            Format::Gexf => "gexf",
            Format::Gml => "gml",
            Format::Pajek => "pajek",
        }
    }

    /// The format called `name` in scenarios.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Human name for messages.
    fn title(self) -> &'static str {
        match self {
            Format::EdgeList => "an edge list",
            Format::Csv => "CSV with a header",
            Format::GraphMl => "GraphML",
            Format::Gexf => "GEXF",
            Format::Gml => "GML",
            Format::Pajek => "Pajek",
        }
    }

    /// The extension that names the format.
    fn extension(self) -> &'static str {
        match self {
            Format::EdgeList => "edges",
            Format::Csv => "csv",
            Format::GraphMl => "graphml",
            Format::Gexf => "gexf",
            Format::Gml => "gml",
            Format::Pajek => "net",
        }
    }

    /// The format named by `path`'s extension (after an optional `.gz`);
    /// an unknown extension is an edge list.
    pub fn from_path(path: &Path) -> Format {
        let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        match name.rsplit_once('.').map(|(_, ext)| ext) {
            Some("graphml") => Format::GraphMl,
            Some("gexf") => Format::Gexf,
            Some("gml") => Format::Gml,
            Some("net" | "paj") => Format::Pajek,
            Some("csv") => Format::Csv,
            _ => Format::EdgeList,
        }
    }
}

/// What the start of a text says it is, with the evidence for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Xml(Option<Format>),
    Gml,
    Pajek,
    /// Delimited text: an edge list or CSV.
    Text,
}

/// Tell the format from the first bytes of the (decompressed) text.
fn sniff(head: &[u8]) -> Sniffed {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}');
    // Skip comment lines (`#`, `%`) and blank lines.
    let body: String = text
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.is_empty() || t.starts_with('#') || t.starts_with('%'))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let t = body.trim_start();
    if t.starts_with('<') {
        let lower = t.to_ascii_lowercase();
        let f = if lower.contains("<graphml") {
            Some(Format::GraphMl)
        } else if lower.contains("<gexf") {
            Some(Format::Gexf)
        } else {
            None
        };
        return Sniffed::Xml(f);
    }
    if let Some(rest) = t.strip_prefix('*') {
        let word: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>().to_lowercase();
        if ["vertices", "network", "arcs", "edges", "arcslist", "edgeslist", "matrix"].contains(&word.as_str()) {
            return Sniffed::Pajek;
        }
    }
    let mut words = t.split(|c: char| c.is_whitespace() || c == '[');
    let first = words.next().unwrap_or("");
    if first == "graph" && t["graph".len()..].trim_start().starts_with('[') {
        return Sniffed::Gml;
    }
    if (first == "Creator" || first == "Version") && t.contains("graph") && t.contains('[') {
        return Sniffed::Gml;
    }
    Sniffed::Text
}

/// Why a network file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The edge-list reader's errors (and I/O errors of any format).
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A problem at a line of the file.
    #[error("{file}:{line}: {message}")]
    At { file: String, line: u64, message: String },
    /// A problem with the file as a whole (its format, direction, weights).
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

impl Error {
    pub(crate) fn at(file: &str, line: u64, message: impl Into<String>) -> Self {
        Error::At { file: file.to_string(), line, message: message.into() }
    }

    pub(crate) fn file(file: &str, message: impl Into<String>) -> Self {
        Error::File { file: file.to_string(), message: message.into() }
    }
}

/// How to read a network file: the edge list's options plus the format and
/// the weight scaling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileOptions {
    /// Direction, ids and size limits (`directed` is the scenario's).
    pub base: edgelist::Options,
    /// `network.format`; `None` = by extension.
    pub format: Option<Format>,
    /// `network.normalize_weights`.
    pub normalize: WeightNorm,
}

impl FileOptions {
    /// Format by extension, weights as they are.
    pub fn new(base: edgelist::Options) -> Self {
        FileOptions { base, format: None, normalize: WeightNorm::None }
    }
}

/// Load the network file at `path` in its format (see the module docs).
pub fn load(path: &Path, opts: &FileOptions) -> Result<(Graph, EdgeListInfo), Error> {
    let io_err = |source| LoadError::Io { path: path.to_path_buf(), source };
    let file = inputs::open_regular(path).map_err(io_err)?;
    let reader = BufReader::with_capacity(1 << 16, file);
    let (format, text) = open(reader, &path.display().to_string(), Format::from_path(path), opts)?;
    let (g, info) = match format {
        // The edge-list reader as it always was (its own opening, gzip and
        // bounds), so that edge lists load byte for byte as before.
        Format::EdgeList => {
            drop(text);
            edgelist::load_with_options(path, &read_options(opts))?
        }
        _ => read(format, text, &path.display().to_string(), opts)?,
    };
    Ok((normalize::apply(g, opts.normalize, &path.display().to_string())?, info))
}

/// [`load`] from `reader` (plain or gzip), named `source` in messages; the
/// format is `opts.format`, else that of `source`'s extension.
pub fn parse_input<'a, R: BufRead + 'a>(
    reader: R,
    source: &str,
    opts: &FileOptions,
) -> Result<(Graph, EdgeListInfo), Error> {
    let (format, text) = open(reader, source, Format::from_path(Path::new(source)), opts)?;
    let (g, info) = read(format, text, source, opts)?;
    Ok((normalize::apply(g, opts.normalize, source)?, info))
}

/// The edge-list options with counts allowed when they will be normalised.
fn read_options(opts: &FileOptions) -> edgelist::Options {
    edgelist::Options { counts: opts.normalize != WeightNorm::None, ..opts.base }
}

/// The decompressed text of `reader` and the format to read it in, checked
/// against its first bytes.
fn open<'a, R: BufRead + 'a>(
    reader: R,
    source: &str,
    by_extension: Format,
    opts: &FileOptions,
) -> Result<(Format, Box<dyn BufRead + 'a>), Error> {
    let declared = opts.format.unwrap_or(by_extension);
    let (head, text) = open_text(reader, source, opts.base.max_bytes)?;
    let format = check_format(source, declared, opts.format.is_some(), sniff(&head), &head)?;
    Ok((format, text))
}

/// Read `text` in `format`.
fn read(
    format: Format,
    text: Box<dyn BufRead + '_>,
    source: &str,
    opts: &FileOptions,
) -> Result<(Graph, EdgeListInfo), Error> {
    let base = read_options(opts);
    Ok(match format {
        Format::EdgeList => edgelist::parse_with_options(text, source, &base)?,
        Format::Csv => csv::read(text, source, &base)?,
        Format::GraphMl => xml::read(text, source, &base, xml::Dialect::GraphMl)?,
        Format::Gexf => xml::read(text, source, &base, xml::Dialect::Gexf)?,
        Format::Gml => gml::read(text, source, &base)?,
        Format::Pajek => pajek::read(text, source, &base)?,
    })
}

/// The format to read, given what was declared and what the text looks like.
fn check_format(file: &str, declared: Format, explicit: bool, sniffed: Sniffed, head: &[u8]) -> Result<Format, Error> {
    let looks = match sniffed {
        Sniffed::Xml(Some(f)) => Some(f),
        Sniffed::Gml => Some(Format::Gml),
        Sniffed::Pajek => Some(Format::Pajek),
        Sniffed::Xml(None) | Sniffed::Text => None,
    };
    let said = if explicit {
        format!("network.format = \"{}\"", declared.name())
    } else {
        format!("its name says {}", declared.title())
    };
    match (declared, looks) {
        (d, Some(l)) if d == l => Ok(d),
        (_, Some(l)) => {
            let evidence = match l {
                Format::GraphMl => "starts with <?xml … <graphml",
                Format::Gexf => "starts with <?xml … <gexf",
                Format::Gml => "starts with graph [",
                _ => "starts with a *Vertices/*Arcs/*Edges line",
            };
            Err(Error::file(
                file,
                format!(
                    "this looks like {} ({evidence}), but {said}; name it .{} or set format = \"{}\"",
                    l.title(),
                    l.extension(),
                    l.name()
                ),
            ))
        }
        (Format::GraphMl | Format::Gexf | Format::Gml | Format::Pajek, None) => {
            let what = match sniffed {
                Sniffed::Xml(_) => "XML without a <graphml> or <gexf> element in its first 4 KiB".to_string(),
                _ => format!("text starting \"{}\"", edgelist::quote(first_line(head))),
            };
            Err(Error::file(
                file,
                format!(
                    "{said}, but it is {what}; give the format it is in (network.format = \"edge_list\", \"csv\", …)"
                ),
            ))
        }
        (Format::Csv, None) if !explicit && !csv::has_header(head) => Ok(Format::EdgeList),
        (d, None) => {
            if matches!(sniffed, Sniffed::Xml(_)) {
                return Err(Error::file(
                    file,
                    format!("this looks like XML (starts with <), but {said}; womsim reads GraphML and GEXF"),
                ));
            }
            Ok(d)
        }
    }
}

/// The first non-blank line of `head`.
fn first_line(head: &[u8]) -> &[u8] {
    head.split(|&c| c == b'\n').find(|l| l.iter().any(|c| !c.is_ascii_whitespace())).unwrap_or(&[])
}

/// The decompressed text of `reader`: its first [`SNIFF_BYTES`] and a
/// reader of the whole text (those bytes included), bounded to `max_bytes`.
fn open_text<'a, R: BufRead + 'a>(
    mut raw: R,
    source: &str,
    max_bytes: u64,
) -> Result<(Vec<u8>, Box<dyn BufRead + 'a>), Error> {
    let io_err = |e| LoadError::Io { path: PathBuf::from(source), source: e };
    // The first two bytes, read whatever the reader's buffer size, then
    // put back in front.
    let mut magic = Vec::with_capacity(2);
    (&mut raw).take(2).read_to_end(&mut magic).map_err(io_err)?;
    let gz = magic == [0x1f, 0x8b];
    let raw = io::Cursor::new(magic).chain(raw);
    let text: Box<dyn Read + 'a> =
        if gz { Box::new(GzipErrors(MultiGzDecoder::new(BufReader::new(raw)))) } else { Box::new(raw) };
    let mut text = Limit { inner: text, left: max_bytes, max: max_bytes };
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut text).take(SNIFF_BYTES as u64).read_to_end(&mut head).map_err(io_err)?;
    let all = io::Cursor::new(head.clone()).chain(text);
    Ok((head, Box::new(BufReader::with_capacity(1 << 18, all))))
}

/// A reader that fails once more than `max` bytes came through (a gzip
/// bomb, an endless file).
struct Limit<R> {
    inner: R,
    left: u64,
    max: u64,
}

impl<R: Read> Read for Limit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        if k as u64 > self.left {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "more than {} of text (counted after decompression), the limit of the network loader",
                    inputs::human_bytes(self.max)
                ),
            ));
        }
        self.left -= k as u64;
        Ok(k)
    }
}

/// Read one line (newline included) into `buf`, at most `max_line` bytes
/// before the newline; `Ok(false)` at the end of the text. Shared by the
/// line-based formats (CSV, GML, Pajek).
pub(crate) fn read_line<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    file: &str,
    line_no: u64,
    max_line: usize,
) -> Result<bool, Error> {
    buf.clear();
    let got = reader
        .take(max_line as u64 + 2)
        .read_until(b'\n', buf)
        .map_err(|source| LoadError::Io { path: PathBuf::from(file), source })?;
    if got == 0 {
        return Ok(false);
    }
    let body = buf.strip_suffix(b"\n").unwrap_or(buf);
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    if body.len() > max_line || (got as u64 == max_line as u64 + 2 && !buf.ends_with(b"\n")) {
        return Err(LoadError::LineTooLong { file: file.to_string(), line: line_no, limit: max_line }.into());
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        for (name, f) in [
            ("a.graphml", Format::GraphMl),
            ("a.GraphML.gz", Format::GraphMl),
            ("x/b.gexf", Format::Gexf),
            ("c.gml", Format::Gml),
            ("d.net", Format::Pajek),
            ("d.paj.gz", Format::Pajek),
            ("e.csv", Format::Csv),
            ("f.edges", Format::EdgeList),
            ("g.txt.gz", Format::EdgeList),
            ("noext", Format::EdgeList),
        ] {
            assert_eq!(Format::from_path(Path::new(name)), f, "{name}");
        }
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"<?xml version=\"1.0\"?>\n<graphml xmlns=\"x\">"), Sniffed::Xml(Some(Format::GraphMl)));
        assert_eq!(sniff(b"\xef\xbb\xbf<?xml version='1.0'?><gexf version=\"1.2\">"), Sniffed::Xml(Some(Format::Gexf)));
        assert_eq!(sniff(b"<html>"), Sniffed::Xml(None));
        assert_eq!(sniff(b"# c\ngraph [\n  directed 0\n"), Sniffed::Gml);
        assert_eq!(sniff(b"Creator \"me\"\ngraph\n[\n"), Sniffed::Gml);
        assert_eq!(sniff(b"% c\n*Vertices 3\n1 a\n"), Sniffed::Pajek);
        assert_eq!(sniff(b"*arcs\n1 2\n"), Sniffed::Pajek);
        assert_eq!(sniff(b"1 2\n2 3\n"), Sniffed::Text);
        assert_eq!(sniff(b"source,target\na,b\n"), Sniffed::Text);
        assert_eq!(sniff(b"graph_a graph_b\n"), Sniffed::Text);
    }
}
