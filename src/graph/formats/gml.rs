//! GML (Himsolt's Graph Modelling Language, as networkx, igraph and Gephi
//! write it): `graph [ directed 1 node [ id 0 label "a" ] edge [ source 0
//! target 1 weight 0.5 ] ]`. Hand-parsed: tokens are keys, numbers, quoted
//! strings (on one line; `&amp;`-style entities decoded) and brackets; `#`
//! starts a comment line. A node's name is its `label` when it has one
//! (networkx writes the node's name there), else its `id`; edges name nodes
//! by `id`. Lists not understood (graphics, attributes) are skipped.

use std::collections::HashMap;
use std::io::BufRead;

use super::builder::{self, Builder};
use super::{read_line, Error};
use crate::graph::edgelist::{self, EdgeListInfo, Options};
use crate::graph::Graph;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Key(String),
    /// A number or string value, as text.
    Value(String),
    Open,
    Close,
}

impl Tok {
    /// The token as a message quotes it (control characters escaped).
    fn show(&self) -> String {
        match self {
            Tok::Key(k) => format!("the key {}", edgelist::quote(k.as_bytes())),
            Tok::Value(v) => format!("the value \"{}\"", edgelist::quote(v.as_bytes())),
            Tok::Open => "[".to_string(),
            Tok::Close => "]".to_string(),
        }
    }
}

struct Tokens<'a, R> {
    reader: R,
    file: &'a str,
    max_line: usize,
    buf: Vec<u8>,
    line: String,
    at: usize,
    line_no: u64,
}

impl<'a, R: BufRead> Tokens<'a, R> {
    fn next(&mut self) -> Result<Option<(Tok, u64)>, Error> {
        loop {
            let rest = &self.line[self.at..];
            let trimmed = rest.trim_start();
            self.at += rest.len() - trimmed.len();
            if trimmed.is_empty() || (trimmed.starts_with('#') && self.line[..self.at].trim().is_empty()) {
                if !read_line(&mut self.reader, &mut self.buf, self.file, self.line_no + 1, self.max_line)? {
                    return Ok(None);
                }
                self.line_no += 1;
                let raw = if self.line_no == 1 {
                    self.buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&self.buf)
                } else {
                    &self.buf
                };
                self.line = std::str::from_utf8(raw)
                    .map_err(|_| Error::at(self.file, self.line_no, "the line is not valid UTF-8 text"))?
                    .to_string();
                self.at = 0;
                continue;
            }
            let c = trimmed.chars().next().unwrap_or(' ');
            let tok = if c == '[' {
                self.at += 1;
                Tok::Open
            } else if c == ']' {
                self.at += 1;
                Tok::Close
            } else if c == '"' {
                let Some(end) = trimmed[1..].find('"') else {
                    return Err(Error::at(self.file, self.line_no, "a string is not closed on its line"));
                };
                let s = decode(&trimmed[1..=end]);
                self.at += end + 2;
                Tok::Value(s)
            } else {
                let len = trimmed.find(|c: char| c.is_whitespace() || c == '[' || c == ']').unwrap_or(trimmed.len());
                let word = trimmed[..len].to_string();
                self.at += len;
                // Keys are identifiers and bare values numbers (GML's
                // grammar), so both can be quoted in messages as they are.
                if word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    Tok::Key(word)
                } else if word.parse::<f64>().is_ok() {
                    Tok::Value(word)
                } else {
                    return Err(self.err(format!(
                        "expected a key, a number or a \"string\", found \"{}\"",
                        edgelist::quote(word.as_bytes())
                    )));
                }
            };
            return Ok(Some((tok, self.line_no)));
        }
    }

    fn err(&self, message: impl Into<String>) -> Error {
        Error::at(self.file, self.line_no, message)
    }

    /// The value after a key: a scalar, or `None` for a list (skipped whole).
    fn value(&mut self, key: &str) -> Result<Option<String>, Error> {
        match self.next()? {
            Some((Tok::Value(v), _)) => Ok(Some(v)),
            Some((Tok::Open, _)) => {
                self.skip_list()?;
                Ok(None)
            }
            Some((Tok::Key(k), _)) => {
                Err(self.err(format!("key {key} has no value (found the key {})", edgelist::quote(k.as_bytes()))))
            }
            Some((Tok::Close, _)) => Err(self.err(format!("key {key} has no value (found ])"))),
            None => Err(self.err(format!("the file ends after the key {key}"))),
        }
    }

    /// Skip to the `]` closing a list already opened (counting, not
    /// recursing, so deep nesting cannot overflow the stack).
    fn skip_list(&mut self) -> Result<(), Error> {
        let mut depth = 1u64;
        while depth > 0 {
            match self.next()? {
                Some((Tok::Open, _)) => depth += 1,
                Some((Tok::Close, _)) => depth -= 1,
                Some(_) => {}
                None => return Err(self.err("the file ends inside a list ([ without ])")),
            }
        }
        Ok(())
    }

    /// The scalar keys of a `node [ … ]` or `edge [ … ]` record (after `[`).
    fn record(&mut self, what: &str) -> Result<(HashMap<String, String>, u64), Error> {
        let start = self.line_no;
        let mut keys = HashMap::new();
        loop {
            match self.next()? {
                Some((Tok::Close, _)) => return Ok((keys, start)),
                Some((Tok::Key(k), _)) => {
                    if let Some(v) = self.value(&k)? {
                        keys.entry(k).or_insert(v);
                    }
                }
                Some((t, _)) => {
                    return Err(self.err(format!("expected a key in the {what} record, found {}", t.show())))
                }
                None => return Err(self.err(format!("the file ends inside a {what} record"))),
            }
        }
    }
}

/// Decode the XML-style entities networkx writes in GML strings.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..end];
        let c = match ent {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Read a GML network.
pub(crate) fn read<R: BufRead>(reader: R, file: &str, opts: &Options) -> Result<(Graph, EdgeListInfo), Error> {
    let mut t =
        Tokens { reader, file, max_line: opts.max_line, buf: Vec::new(), line: String::new(), at: 0, line_no: 0 };
    // Find `graph [`; other top-level keys (Creator, Version) are skipped.
    loop {
        match t.next()? {
            Some((Tok::Key(k), _)) if k == "graph" => match t.next()? {
                Some((Tok::Open, _)) => break,
                _ => return Err(t.err("expected [ after graph")),
            },
            Some((Tok::Key(k), _)) => {
                t.value(&k)?;
            }
            Some((tok, _)) => return Err(t.err(format!("expected a key such as graph, found {}", tok.show()))),
            None => return Err(Error::file(file, "no graph [ … ] in the file")),
        }
    }
    let mut b = Builder::new(file, opts);
    let mut directed: Option<bool> = None;
    // GML id → node; edges may name nodes listed later, so they wait.
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut edges: Vec<(String, String, Option<f64>, u64)> = Vec::new();
    loop {
        match t.next()? {
            Some((Tok::Close, _)) => break,
            Some((Tok::Key(k), _)) if k == "node" || k == "edge" => {
                if !matches!(t.next()?, Some((Tok::Open, _))) {
                    return Err(t.err(format!("expected [ after {k}")));
                }
                let (rec, line) = t.record(&k)?;
                if k == "node" {
                    let Some(id) = rec.get("id") else {
                        return Err(Error::at(file, line, "a node has no id"));
                    };
                    let name = rec.get("label").unwrap_or(id);
                    let u = b.node(name, line)?;
                    if ids.insert(id.clone(), u).is_some() {
                        return Err(Error::at(
                            file,
                            line,
                            format!("node id {} is listed twice", edgelist::quote(id.as_bytes())),
                        ));
                    }
                } else {
                    let (Some(s), Some(d)) = (rec.get("source"), rec.get("target")) else {
                        return Err(Error::at(file, line, "an edge needs a source and a target"));
                    };
                    let w = match rec.get("weight") {
                        Some(w) => Some(builder::parse_weight(file, line, w)?),
                        None => None,
                    };
                    if edges.len() as u64 >= opts.max_edges {
                        return Err(crate::graph::edgelist::LoadError::TooManyEdges {
                            file: file.to_string(),
                            line,
                            limit: opts.max_edges,
                        }
                        .into());
                    }
                    edges.push((s.clone(), d.clone(), w, line));
                }
            }
            Some((Tok::Key(k), _)) if k == "directed" => {
                let v = t.value(&k)?;
                directed = match v.as_deref() {
                    Some("1") => Some(true),
                    Some("0") => Some(false),
                    _ => return Err(t.err("directed must be 0 or 1")),
                };
            }
            Some((Tok::Key(k), _)) => {
                t.value(&k)?;
            }
            Some((tok, _)) => return Err(t.err(format!("expected a key in graph [ … ], found {}", tok.show()))),
            None => return Err(t.err("the file ends inside graph [ … ] (a ] is missing)")),
        }
    }
    for (s, d, w, line) in edges {
        let find = |id: &String| {
            ids.get(id).copied().ok_or_else(|| {
                Error::at(
                    file,
                    line,
                    format!("the edge names node {}, which no node [ id … ] lists", edgelist::quote(id.as_bytes())),
                )
            })
        };
        let (u, v) = (find(&s)?, find(&d)?);
        b.edge(u, v, w, line)?;
    }
    let directed = builder::direction(file, opts.directed, directed, "directed 0")?;
    b.finish(directed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(text: &str) -> Result<(Graph, EdgeListInfo), Error> {
        read(text.as_bytes(), "t.gml", &Options::new(false))
    }

    #[test]
    fn networkx_style_gml() {
        let text = "graph [\n  directed 1\n  node [\n    id 0\n    label \"a&amp;b\"\n  ]\n  node [ id 1 label \"c\" graphics [ x 1 y 2 ] ]\n  edge [\n    source 0\n    target 1\n    weight 0.5\n  ]\n]\n";
        let (g, info) = r(text).unwrap();
        assert!(g.is_directed() && info.weighted);
        assert_eq!(g.label(0).to_string(), "a&b");
        assert_eq!(g.listener_weights(0).unwrap(), &[0.5]);
    }

    #[test]
    fn errors_name_file_and_line() {
        for (text, want) in [
            ("graph [\n node [ id 0 ]\n edge [ source 0 target 9 ]\n]\n", "t.gml:3: the edge names node 9"),
            ("graph [\n node [ label \"x\" ]\n]\n", "t.gml:2: a node has no id"),
            ("graph [\n node [ id 0 label \"x ]\n]\n", "t.gml:2: a string is not closed"),
            ("graph [\n node [ id 0 ]\n", "t.gml:2: the file ends inside graph"),
            ("graph [\n directed 2\n]\n", "t.gml:2: directed must be 0 or 1"),
            ("Creator \"x\"\n", "t.gml: no graph [ … ] in the file"),
            ("graph [\n e\0g 1\n]\n", "t.gml:2: expected a key, a number or a \"string\", found \"e\\u{0}g\""),
            (
                "graph [ node [ id 0 ] node [ id 1 ]\n edge [ source 0 target 1 weight 7 ] ]\n",
                "t.gml:2: the weight must be a number in [0, 1]; for counts",
            ),
        ] {
            let e = r(text).unwrap_err().to_string();
            assert!(e.starts_with(want), "{text:?}: {e}");
        }
    }
}
