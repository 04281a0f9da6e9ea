//! GraphML (graphml.graphdrawing.org, the GraphML Primer) and GEXF
//! (gexf.net, GEXF 1.2/1.3 schema), read with `quick-xml` (a streaming,
//! well-kept XML parser: no tree is built, so memory stays that of the graph).
//!
//! * GraphML: `<graph edgedefault="directed|undirected">`, `<node id>`,
//!   `<edge source target>`; the weight is the `<data>` of the edge key whose
//!   `attr.name` is `weight` (its `<default>` applies to edges without one).
//! * GEXF: `<graph defaultedgetype="directed|undirected|mutual">` (mutual
//!   reads as undirected), `<node id>`, `<edge source target [weight]>`.
//!
//! Nodes are named by their `id` (the name edges use; networkx writes the
//! node's name there); an edge may name a node not declared (yet). An edge
//! whose own `directed`/`type` differs from the graph's default, nested
//! graphs and hyperedges are refused: womsim's networks are all directed or
//! all undirected. Lines in messages are counted from the newlines in the
//! events read; one element or text may be at most `max_line` bytes.

use std::borrow::Cow;
use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::path::PathBuf;
use std::rc::Rc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::builder::{self, Builder};
use super::Error;
use crate::graph::edgelist::{self, EdgeListInfo, LoadError, Options};
use crate::graph::Graph;
use crate::scenario::printable;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    GraphMl,
    Gexf,
}

/// A reader that fails once one event has consumed more than `limit` bytes
/// (the count is reset between events), so no element or text can make the
/// parser's buffer grow without end.
struct Bounded<R> {
    inner: R,
    since: Rc<Cell<u64>>,
    limit: u64,
}

impl<R: BufRead> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = {
            let have = self.fill_buf()?;
            let k = have.len().min(buf.len());
            buf[..k].copy_from_slice(&have[..k]);
            k
        };
        self.consume(k);
        Ok(k)
    }
}

impl<R: BufRead> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.since.get() > self.limit {
            return Err(io::Error::new(io::ErrorKind::InvalidData, ElementTooLong));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.since.set(self.since.get() + amt as u64);
        self.inner.consume(amt);
    }
}

/// The marker error of [`Bounded`].
#[derive(Debug)]
struct ElementTooLong;

impl std::fmt::Display for ElementTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an element longer than the limit")
    }
}

impl std::error::Error for ElementTooLong {}

/// An edge being read (GraphML `<data>` may follow its start tag).
struct PendingEdge {
    source: String,
    target: String,
    weight: Option<String>,
    line: u64,
}

/// Read a GraphML or GEXF network.
pub(crate) fn read<R: BufRead>(
    reader: R,
    file: &str,
    opts: &Options,
    dialect: Dialect,
) -> Result<(Graph, EdgeListInfo), Error> {
    let since = Rc::new(Cell::new(0u64));
    let bounded = Bounded { inner: reader, since: since.clone(), limit: opts.max_line as u64 };
    let mut xml = Reader::from_reader(bounded);
    let mut buf = Vec::new();
    let mut line = 1u64;
    let mut b = Builder::new(file, opts);
    let root: &[u8] = if dialect == Dialect::GraphMl { b"graphml" } else { b"gexf" };
    let mut seen_root = false;
    // GraphML: the edge weight key, its default, and whether <default> or
    // <data> text is being read.
    let mut weight_key: Option<String> = None;
    let mut weight_default: Option<String> = None;
    let mut in_key_is_weight = false;
    let mut in_default = false;
    let mut in_weight_data = false;
    let mut graphs = 0u32;
    let mut directed: Option<bool> = None;
    let mut edge: Option<PendingEdge> = None;
    loop {
        since.set(0);
        buf.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => return Err(xml_error(file, line, e, opts.max_line)),
        };
        let here = line;
        let newlines = |bytes: &[u8]| bytes.iter().filter(|&&c| c == b'\n').count() as u64;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name();
                let name = name.as_ref();
                if !seen_root {
                    if name != root {
                        return Err(Error::at(
                            file,
                            here,
                            format!(
                                "the root element is <{}>, not <{}>",
                                edgelist::quote(name),
                                String::from_utf8_lossy(root)
                            ),
                        ));
                    }
                    seen_root = true;
                }
                match name {
                    b"key" if dialect == Dialect::GraphMl => {
                        let for_ = attr(e, b"for", file, here)?;
                        let aname = attr(e, b"attr.name", file, here)?;
                        let is_weight = matches!(for_.as_deref(), Some("edge" | "all"))
                            && aname.is_some_and(|n| n.eq_ignore_ascii_case("weight"));
                        if is_weight {
                            weight_key = attr(e, b"id", file, here)?.map(Cow::into_owned);
                        }
                        in_key_is_weight = is_weight && !empty;
                    }
                    b"default" if in_key_is_weight => in_default = !empty,
                    b"graph" => {
                        graphs += 1;
                        if graphs > 1 {
                            return Err(Error::at(file, here, "nested or several graphs are not supported"));
                        }
                        let (key, how): (&[u8], _) = if dialect == Dialect::GraphMl {
                            (b"edgedefault", "edgedefault")
                        } else {
                            (b"defaultedgetype", "defaultedgetype")
                        };
                        directed = match attr(e, key, file, here)?.as_deref() {
                            Some("directed") => Some(true),
                            Some("undirected" | "mutual") => Some(false),
                            None if dialect == Dialect::Gexf => Some(false), // the GEXF default
                            None => None,
                            Some(other) => {
                                return Err(Error::at(
                                    file,
                                    here,
                                    format!(
                                        "{how} must be directed or undirected, found \"{}\"",
                                        edgelist::quote(other.as_bytes())
                                    ),
                                ))
                            }
                        };
                    }
                    b"node" => {
                        let Some(id) = attr(e, b"id", file, here)? else {
                            return Err(Error::at(file, here, "a <node> has no id"));
                        };
                        b.node(&id, here)?;
                    }
                    b"edge" => {
                        let (Some(source), Some(target)) =
                            (attr(e, b"source", file, here)?, attr(e, b"target", file, here)?)
                        else {
                            return Err(Error::at(file, here, "an <edge> needs a source and a target"));
                        };
                        let own = if dialect == Dialect::GraphMl { b"directed" as &[u8] } else { b"type" };
                        if let Some(d) = attr(e, own, file, here)? {
                            let d = matches!(&*d, "true" | "directed");
                            if directed.is_some_and(|g| g != d) {
                                return Err(Error::at(
                                    file,
                                    here,
                                    "an edge's direction differs from the graph's default; womsim reads networks \
                                     that are all directed or all undirected",
                                ));
                            }
                        }
                        let weight = if dialect == Dialect::Gexf { attr(e, b"weight", file, here)? } else { None };
                        if empty {
                            // The common case: ids used where they lie in the buffer.
                            let w = weight.as_deref().or(weight_default.as_deref());
                            add_edge(&mut b, &source, &target, w, here, file)?;
                        } else {
                            edge = Some(PendingEdge {
                                source: source.into_owned(),
                                target: target.into_owned(),
                                weight: weight.map(Cow::into_owned),
                                line: here,
                            });
                        }
                    }
                    b"data" if edge.is_some() && weight_key.is_some() => {
                        in_weight_data = attr(e, b"key", file, here)?.as_deref() == weight_key.as_deref() && !empty;
                    }
                    b"hyperedge" => return Err(Error::at(file, here, "hyperedges are not supported")),
                    _ => {}
                }
                line += newlines(e);
            }
            Event::End(e) => {
                match e.local_name().as_ref() {
                    b"edge" => {
                        if let Some(p) = edge.take() {
                            let w = p.weight.as_deref().or(weight_default.as_deref());
                            add_edge(&mut b, &p.source, &p.target, w, p.line, file)?;
                        }
                    }
                    b"key" => in_key_is_weight = false,
                    b"default" => in_default = false,
                    b"data" => in_weight_data = false,
                    _ => {}
                }
                line += newlines(e);
            }
            Event::Text(t) => {
                if in_default || in_weight_data {
                    let text = t.decode().map_err(|_| Error::at(file, here, "text is not valid UTF-8"))?;
                    if in_default {
                        weight_default.get_or_insert_with(String::new).push_str(&text);
                    } else if let Some(p) = edge.as_mut() {
                        p.weight.get_or_insert_with(String::new).push_str(&text);
                    }
                }
                line += newlines(t);
            }
            Event::CData(t) => line += newlines(t),
            Event::Comment(t) | Event::DocType(t) => line += newlines(t),
            Event::Decl(d) => line += newlines(d),
            Event::PI(p) => line += newlines(p),
            Event::GeneralRef(_) => {}
            Event::Eof => break,
        }
    }
    if !seen_root {
        return Err(Error::file(file, format!("no <{}> element", String::from_utf8_lossy(root))));
    }
    let how = if dialect == Dialect::GraphMl { "edgedefault=\"undirected\"" } else { "defaultedgetype" };
    let directed = builder::direction(file, opts.directed, directed, how)?;
    b.finish(directed)
}

/// Add the edge `source → target` of `line` (`weight`: its own or the
/// key's default).
fn add_edge(
    b: &mut Builder<'_>,
    source: &str,
    target: &str,
    weight: Option<&str>,
    line: u64,
    file: &str,
) -> Result<(), Error> {
    let u = b.node(source, line)?;
    let v = b.node(target, line)?;
    let w = match weight {
        Some(w) => Some(builder::parse_weight(file, line, w)?),
        None => None,
    };
    b.edge(u, v, w, line)
}

/// The value of attribute `name` of `e`, entities decoded.
fn attr<'b>(e: &'b BytesStart<'_>, name: &[u8], file: &str, line: u64) -> Result<Option<Cow<'b, str>>, Error> {
    for a in e.attributes() {
        let a =
            a.map_err(|err| Error::at(file, line, format!("bad XML attribute: {}", printable(&err.to_string()))))?;
        if a.key.as_ref() == name || a.key.local_name().as_ref() == name {
            let v = a.normalized_value(XmlVersion::Implicit1_0).map_err(|err| {
                Error::at(file, line, format!("bad XML attribute value: {}", printable(&err.to_string())))
            })?;
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// An XML error (or the read error under it) at `line`.
fn xml_error(file: &str, line: u64, e: quick_xml::Error, max_line: usize) -> Error {
    if let quick_xml::Error::Io(io) = &e {
        if io.get_ref().is_some_and(|inner| inner.is::<ElementTooLong>()) {
            return Error::at(
                file,
                line,
                format!("an element or text longer than {} (the limit)", crate::inputs::human_bytes(max_line as u64)),
            );
        }
        return LoadError::Io { path: PathBuf::from(file), source: io::Error::new(io.kind(), io.to_string()) }.into();
    }
    Error::at(file, line, format!("not well-formed XML: {}", printable(&e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(text: &str, d: Dialect) -> Result<(Graph, EdgeListInfo), Error> {
        read(text.as_bytes(), "t.xml", &Options::new(false), d)
    }

    #[test]
    fn graphml_with_weights_and_defaults() {
        let text = r#"<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="edge" attr.name="weight" attr.type="double"><default>0.25</default></key>
  <graph edgedefault="directed">
    <node id="a&amp;b"/>
    <node id="c"/>
    <edge source="a&amp;b" target="c"><data key="d0">0.5</data></edge>
    <edge source="c" target="d"/>
  </graph>
</graphml>"#;
        let (g, info) = r(text, Dialect::GraphMl).unwrap();
        assert!(g.is_directed() && info.weighted);
        assert_eq!(g.label(0).to_string(), "a&b");
        assert_eq!(g.listener_weights(0).unwrap(), &[0.5]);
        assert_eq!(g.listener_weights(1).unwrap(), &[0.25]);
        assert_eq!(g.n(), 3);
    }

    #[test]
    fn gexf_edges() {
        let text = "<gexf version=\"1.2\"><graph defaultedgetype=\"undirected\"><nodes><node id=\"1\" label=\"x\"/>\
                    <node id=\"2\"/></nodes><edges><edge id=\"0\" source=\"1\" target=\"2\" weight=\"0.3\"/></edges>\
                    </graph></gexf>";
        let (g, _) = r(text, Dialect::Gexf).unwrap();
        assert!(!g.is_directed());
        assert_eq!(g.label(1).to_string(), "2");
        assert_eq!(g.listener_weights(0).unwrap(), &[0.3]);
    }

    #[test]
    fn errors_name_file_and_line() {
        for (text, d, want) in [
            (
                "<graphml>\n<graph edgedefault=\"directed\">\n<edge source=\"a\"/>\n",
                Dialect::GraphMl,
                "t.xml:3: an <edge> needs a source and a target",
            ),
            ("<graphml>\n<graph>\n<node id=\"a\">\n</graph>\n", Dialect::GraphMl, "t.xml:4: not well-formed XML"),
            (
                "<gexf>\n<graph>\n<edges>\n<edge source=\"a\" target=\"b\" weight=\"9\"/>\n",
                Dialect::Gexf,
                "t.xml:4: the weight must be a number in [0, 1]; for counts",
            ),
            ("<gexf>\n<graph>\n<graph>\n", Dialect::Gexf, "t.xml:3: nested or several graphs"),
            (
                "<graphml>\n<graph edgedefault=\"directed\">\n<edge source=\"a\" target=\"b\" directed=\"false\"/>\n",
                Dialect::GraphMl,
                "t.xml:3: an edge's direction differs",
            ),
            ("\n<html/>", Dialect::GraphMl, "t.xml:2: the root element is <html>, not <graphml>"),
            ("<graphml>\n<hyperedge/>\n", Dialect::GraphMl, "t.xml:2: hyperedges are not supported"),
        ] {
            let e = r(text, d).unwrap_err().to_string();
            assert!(e.starts_with(want), "{text:?}: {e}");
        }
        // One element longer than the limit.
        let mut o = Options::new(false);
        o.max_line = 100;
        let long = format!("<graphml>\n<graph>\n<node id=\"{}\"/>\n</graph></graphml>", "x".repeat(500));
        let e =
            read(std::io::BufReader::with_capacity(16, long.as_bytes()), "t.xml", &o, Dialect::GraphMl).unwrap_err();
        assert!(e.to_string().starts_with("t.xml:3: an element or text longer than 100 bytes"), "{e}");
    }
}
