//! Pajek `.net` (Batagelj & Mrvar's Pajek manual, "Network"): `*Vertices n`
//! then up to n lines `k "label" [x y …]` (a vertex without a line is
//! called by its number k), then `*Arcs` (directed) and/or `*Edges`
//! (undirected) sections of `u v [weight]` lines with 1-based vertex
//! numbers. A file with any `*Arcs` section is directed, and its `*Edges`
//! become arcs both ways; `*Arcslist`, `*Edgeslist` and `*Matrix` are
//! refused. `%` starts a comment line. Hand-parsed, line by line.

use std::collections::HashMap;
use std::io::BufRead;

use super::builder::{self, Builder};
use super::{read_line, Error};
use crate::graph::edgelist::{self, EdgeListInfo, LoadError, Options};
use crate::graph::Graph;

/// Most vertices a `*Vertices` line may declare (the largest network
/// womsim generates).
const MAX_VERTICES: u32 = crate::scenario::schema::MAX_NODES as u32;

/// Most vertices declared per byte of the file (unlisted vertices are
/// isolated nodes named by their number).
const VERTICES_PER_BYTE: u64 = 64;

/// Split a line into tokens, a `"quoted label"` being one.
fn tokens(line: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"')?;
            out.push(&r[..end]);
            rest = r[end + 1..].trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(&rest[..end]);
            rest = rest[end..].trim_start();
        }
    }
    Some(out)
}

#[derive(PartialEq)]
enum Section {
    None,
    Vertices,
    Arcs,
    Edges,
}

/// Read a Pajek network.
pub(crate) fn read<R: BufRead>(mut reader: R, file: &str, opts: &Options) -> Result<(Graph, EdgeListInfo), Error> {
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut n: Option<u32> = None;
    // Labels given, by vertex number (a map: the count is only a claim).
    let mut labels: HashMap<u32, String> = HashMap::new();
    let mut text_bytes = 0u64;
    let mut section = Section::None;
    // (u, v, weight, from *Arcs, line); vertex numbers are 1-based.
    let mut lines: Vec<(u32, u32, Option<f64>, bool, u64)> = Vec::new();
    while read_line(&mut reader, &mut buf, file, line_no + 1, opts.max_line)? {
        line_no += 1;
        text_bytes += buf.len() as u64;
        let raw = if line_no == 1 { buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&buf) } else { &buf[..] };
        let text =
            std::str::from_utf8(raw).map_err(|_| Error::at(file, line_no, "the line is not valid UTF-8 text"))?;
        let text = text.trim();
        if text.is_empty() || text.starts_with('%') {
            continue;
        }
        let quoted = || edgelist::quote(text.as_bytes());
        if let Some(head) = text.strip_prefix('*') {
            let word: String = head.chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>().to_lowercase();
            section = match word.as_str() {
                "vertices" => {
                    if n.is_some() {
                        return Err(Error::at(file, line_no, "a second *Vertices line (one network per file)"));
                    }
                    let count = head[word.len()..].split_whitespace().next().and_then(|c| c.parse::<u32>().ok());
                    match count {
                        Some(c) if u64::from(c) <= opts.max_edges.saturating_add(1) && c <= MAX_VERTICES => {
                            n = Some(c);
                        }
                        _ => {
                            return Err(Error::at(
                                file,
                                line_no,
                                format!(
                                "*Vertices needs the number of vertices (at most what this run can hold), found \"{}\"",
                                quoted()
                            ),
                            ))
                        }
                    }
                    Section::Vertices
                }
                "arcs" => Section::Arcs,
                "edges" => Section::Edges,
                "network" => Section::None,
                _ => {
                    return Err(Error::at(
                        file,
                        line_no,
                        format!("section \"{}\" is not supported (womsim reads *Vertices, *Arcs and *Edges)", quoted()),
                    ))
                }
            };
            continue;
        }
        let Some(count) = n else {
            return Err(Error::at(file, line_no, format!("a line before *Vertices, found \"{}\"", quoted())));
        };
        let toks = tokens(text).ok_or_else(|| Error::at(file, line_no, "a quoted label is not closed"))?;
        let vertex = |t: &str| -> Result<u32, Error> {
            match t.parse::<u32>() {
                Ok(k) if (1..=count).contains(&k) => Ok(k),
                _ => Err(Error::at(
                    file,
                    line_no,
                    format!(
                        "vertex number \"{}\" is not in 1..{count} (the *Vertices count)",
                        edgelist::quote(t.as_bytes())
                    ),
                )),
            }
        };
        match section {
            Section::Vertices => {
                let k = vertex(toks[0])?;
                let Some(label) = toks.get(1) else {
                    return Err(Error::at(
                        file,
                        line_no,
                        format!("a vertex line needs a label, found \"{}\"", quoted()),
                    ));
                };
                if labels.insert(k, label.to_string()).is_some() {
                    return Err(Error::at(file, line_no, format!("vertex {k} is listed twice")));
                }
            }
            Section::Arcs | Section::Edges => {
                if !(2..=3).contains(&toks.len()) {
                    return Err(Error::at(
                        file,
                        line_no,
                        format!("expected two vertex numbers and an optional weight, found \"{}\"", quoted()),
                    ));
                }
                let (u, v) = (vertex(toks[0])?, vertex(toks[1])?);
                let w = match toks.get(2) {
                    Some(w) => Some(builder::parse_weight(file, line_no, w)?),
                    None => None,
                };
                if lines.len() as u64 >= opts.max_edges {
                    return Err(LoadError::TooManyEdges {
                        file: file.to_string(),
                        line: line_no,
                        limit: opts.max_edges,
                    }
                    .into());
                }
                lines.push((u, v, w, section == Section::Arcs, line_no));
            }
            Section::None => {
                return Err(Error::at(
                    file,
                    line_no,
                    format!("a line outside *Vertices, *Arcs and *Edges, found \"{}\"", quoted()),
                ))
            }
        }
    }
    let Some(count) = n else {
        return Err(Error::file(file, "no *Vertices line: this is not a Pajek network"));
    };
    // Vertices without a line cost memory too: a few bytes of file may not
    // declare millions of them.
    if u64::from(count) > VERTICES_PER_BYTE * text_bytes {
        return Err(Error::file(
            file,
            format!(
                "*Vertices declares {count} vertices in a file of {text_bytes} bytes; womsim reads at most \
                 {VERTICES_PER_BYTE} per byte of file (list the vertices)"
            ),
        ));
    }
    let has_arcs = lines.iter().any(|l| l.3);
    let has_edges = lines.iter().any(|l| !l.3);
    let said = match (has_arcs, has_edges) {
        (true, _) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    let directed = builder::direction(file, opts.directed, said, "only *Edges sections")?;
    let mut b = Builder::new(file, opts);
    for k in 1..=count {
        // Vertex numbers are names when no label is given.
        let name = labels.remove(&k).unwrap_or_else(|| k.to_string());
        let i = b.node(&name, 1)?;
        if i != k - 1 {
            return Err(Error::file(
                file,
                format!("two vertices are labelled \"{}\"", edgelist::quote(name.as_bytes())),
            ));
        }
    }
    for (u, v, w, arc, line) in lines {
        b.edge(u - 1, v - 1, w, line)?;
        if directed && !arc {
            b.edge(v - 1, u - 1, w, line)?;
        }
    }
    b.finish(directed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(text: &str, directed: bool) -> Result<(Graph, EdgeListInfo), Error> {
        read(text.as_bytes(), "t.net", &Options::new(directed))
    }

    #[test]
    fn vertices_arcs_and_edges() {
        let (g, _) = r("*Vertices 3\n1 \"ann_lee\" 0.1 0.2\n2 bob\n*Edges\n1 2\n2 3\n", false).unwrap();
        assert!(!g.is_directed());
        let names: Vec<String> = (0..3).map(|u| g.label(u).to_string()).collect();
        assert_eq!(names, ["ann_lee", "bob", "3"]);
        let (g, info) = r("% c\n*Vertices 3\n*Arcs\n1 2 0.5\n*Edges\n2 3 1\n", false).unwrap();
        assert!(g.is_directed() && info.weighted);
        assert_eq!(g.listeners(1), &[2]);
        assert_eq!(g.listeners(2), &[1]);
        assert_eq!(g.label(0).to_string(), "1");
    }

    #[test]
    fn errors_name_file_and_line() {
        for (text, want) in [
            ("*Vertices 2\n*Arcs\n1 3\n", "t.net:3: vertex number \"3\" is not in 1..2"),
            ("*Vertices x\n", "t.net:1: *Vertices needs the number"),
            ("*Vertices 3\n*Arcs\n1 3\n*Vertices 2\n", "t.net:4: a second *Vertices line"),
            ("*Vertices 4000000000\n", "t.net:1: *Vertices needs the number"),
            ("*Vertices 2000\n*Arcs\n1 2\n", "t.net: *Vertices declares 2000 vertices in a file of 25 bytes"),
            ("1 2\n", "t.net:1: a line before *Vertices"),
            ("*Vertices 2\n*Arcslist\n1 2\n", "t.net:2: section \"*Arcslist\" is not supported"),
            ("*Vertices 2\n*Arcs\n1 2 x\n", "t.net:3: the weight must be a number in [0, 1], found \"x\""),
            ("*Vertices 2\n1 \"a\n", "t.net:2: a quoted label is not closed"),
            ("*Vertices 2\n*Arcs\n1 2 1 4\n", "t.net:3: expected two vertex numbers"),
        ] {
            let e = r(text, false).unwrap_err().to_string();
            assert!(e.starts_with(want), "{text:?}: {e}");
        }
        let e = r("*Vertices 2\n*Edges\n1 2\n", true).unwrap_err().to_string();
        assert!(e.starts_with("t.net: the file says the network is undirected (only *Edges"), "{e}");
    }
}
