//! CSV with a header (RFC 4180 quoting, one record per line): the columns
//! are found by name, without case — `source` (or `from`, `src`, `node1`),
//! `target` (`to`, `dst`, `node2`), optionally `weight` and `type` — and any
//! other column is ignored, so Gephi's edge table
//! (`Source,Target,Type,Id,Label,timeset,Weight`) reads as it is. `type`
//! (`Directed`/`Undirected`, as Gephi writes it) says the direction; every
//! row must agree. The separator is `,`, or `;` or a tab when the header has
//! one of those and no comma. Ids are text (kept as the user's names); the
//! header is never an edge. Blank lines are skipped.

use std::io::BufRead;

use super::builder::{self, Builder};
use super::{read_line, Error};
use crate::graph::edgelist::{self, EdgeListInfo, Options, HEADER_WORDS};
use crate::graph::Graph;

const SOURCE: [&str; 4] = ["source", "from", "src", "node1"];
const TARGET: [&str; 4] = ["target", "to", "dst", "node2"];

/// Whether the first non-blank line of `head` is a header naming a source or
/// target column (a `.csv` file without one is read as an edge list).
pub(crate) fn has_header(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let Some(line) = head.split(|&c| c == b'\n').find(|l| l.iter().any(|c| !c.is_ascii_whitespace())) else {
        return false;
    };
    let text = String::from_utf8_lossy(line);
    let sep = separator(&text);
    fields(&text, sep).is_some_and(|f| f.iter().any(|c| HEADER_WORDS.contains(&c.trim().to_lowercase().as_str())))
}

fn separator(header: &str) -> char {
    if header.contains(',') {
        ','
    } else if header.contains(';') {
        ';'
    } else if header.contains('\t') {
        '\t'
    } else {
        ','
    }
}

/// The fields of one record; `None` if a quote is left open.
fn fields(line: &str, sep: char) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && cur.trim().is_empty() {
            cur.clear();
            quoted = true;
        } else if c == sep {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    if quoted {
        return None;
    }
    out.push(cur);
    Some(out)
}

/// The columns the header names: source, target, weight and type, the
/// separator and the number of fields.
#[derive(Clone, Copy)]
struct Header {
    s: usize,
    t: usize,
    w: Option<usize>,
    ty: Option<usize>,
    sep: char,
    width: usize,
}

/// Read a CSV network.
pub(crate) fn read<R: BufRead>(mut reader: R, file: &str, opts: &Options) -> Result<(Graph, EdgeListInfo), Error> {
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut b = Builder::new(file, opts);
    let mut header: Option<Header> = None;
    // (line of the first row with a type, whether it said directed)
    let mut typed: Option<(u64, bool)> = None;
    while read_line(&mut reader, &mut buf, file, line_no + 1, opts.max_line)? {
        line_no += 1;
        let raw = if line_no == 1 { buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&buf) } else { &buf[..] };
        let Ok(text) = std::str::from_utf8(raw) else {
            return Err(Error::at(file, line_no, "the line is not valid UTF-8 text"));
        };
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        let Some(Header { s, t, w, ty, sep, width }) = header else {
            let sep = separator(text);
            let cols: Vec<String> = fields(text, sep)
                .ok_or_else(|| Error::at(file, line_no, "a quoted field is not closed"))?
                .iter()
                .map(|c| c.trim().to_lowercase())
                .collect();
            let find = |names: &[&str]| cols.iter().position(|c| names.contains(&c.as_str()));
            let (Some(s), Some(t)) = (find(&SOURCE), find(&TARGET)) else {
                return Err(Error::at(
                    file,
                    line_no,
                    format!(
                        "the header must name a source and a target column (source,target[,weight]; Gephi's \
                         Source,Target,Type,…,Weight), found \"{}\"",
                        edgelist::quote(text.as_bytes())
                    ),
                ));
            };
            header = Some(Header { s, t, w: find(&["weight"]), ty: find(&["type"]), sep, width: cols.len() });
            continue;
        };
        let row = fields(text, sep).ok_or_else(|| Error::at(file, line_no, "a quoted field is not closed"))?;
        if row.len() != width {
            return Err(Error::at(
                file,
                line_no,
                format!(
                    "{} fields where the header has {width}, found \"{}\"",
                    row.len(),
                    edgelist::quote(text.as_bytes())
                ),
            ));
        }
        if let Some(k) = ty {
            let d = match row[k].trim().to_lowercase().as_str() {
                "directed" => true,
                "undirected" => false,
                other => {
                    return Err(Error::at(
                        file,
                        line_no,
                        format!("type must be Directed or Undirected, found \"{}\"", edgelist::quote(other.as_bytes())),
                    ))
                }
            };
            match typed {
                None => typed = Some((line_no, d)),
                Some((first, fd)) if fd != d => {
                    return Err(Error::at(
                        file,
                        line_no,
                        format!(
                            "type {} differs from line {first}'s; womsim reads a network that is all directed or \
                             all undirected",
                            row[k].trim()
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
        let weight = match w {
            Some(k) => Some(builder::parse_weight(file, line_no, &row[k])?),
            None => None,
        };
        let u = b.node(row[s].trim(), line_no)?;
        let v = b.node(row[t].trim(), line_no)?;
        b.edge(u, v, weight, line_no)?;
    }
    if header.is_none() {
        return Err(Error::file(file, "the file is empty (no header, no edges)"));
    }
    let directed = builder::direction(file, opts.directed, typed.map(|t| t.1), "its Type column")?;
    b.finish(directed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(text: &str, directed: bool) -> Result<(Graph, EdgeListInfo), Error> {
        read(text.as_bytes(), "t.csv", &Options::new(directed))
    }

    fn labels(g: &Graph) -> Vec<String> {
        (0..g.n()).map(|u| g.label(u).to_string()).collect()
    }

    #[test]
    fn header_by_name_and_gephi_tables() {
        let (g, _) = r("source,target\nalice,bob\nbob,carol\n", false).unwrap();
        assert_eq!(labels(&g), ["alice", "bob", "carol"]);
        assert_eq!(g.num_edges(), 2);
        let gephi =
            "Source,Target,Type,Id,Label,timeset,Weight\n\"a,b\",c,Directed,0,,,0.5\nc,\"a,b\",Directed,1,,,1\n";
        let (g, info) = r(gephi, false).unwrap();
        assert!(g.is_directed() && info.weighted);
        assert_eq!(labels(&g), ["a,b", "c"]);
        assert_eq!(g.listener_weights(0).unwrap(), &[0.5]);
        // Columns in any order, `;` separated.
        let (g, _) = r("Weight;Target;Source\n0.25;2;1\n", true).unwrap();
        assert_eq!(labels(&g), ["1", "2"]);
        assert_eq!(g.listeners(0), &[1]);
        assert!(has_header(b"\xef\xbb\xbfSource,Target\n") && !has_header(b"1,2\n"));
    }

    #[test]
    fn bad_rows_name_file_and_line() {
        for (text, want) in [
            ("a,b\nc,d\n", "t.csv:1: the header must name a source and a target column"),
            ("source,target\na,b\n\nc\n", "t.csv:4: 1 fields where the header has 2"),
            ("source,target,weight\na,b,x\n", "t.csv:2: the weight must be a number in [0, 1], found \"x\""),
            ("source,target,weight\na,b,2\n", "t.csv:2: the weight must be a number in [0, 1]; for counts"),
            ("source,target,type\na,b,Directed\nb,c,Undirected\n", "t.csv:3: type Undirected differs from line 2's"),
            ("source,target,type\na,b,sideways\n", "t.csv:2: type must be Directed or Undirected"),
            ("source,target\n\"a,b\n", "t.csv:2: a quoted field is not closed"),
            ("source,target,type\na,b,Undirected\n", "t.csv: the file says the network is undirected"),
        ] {
            let e = r(text, text.contains("Undirected\n") && !text.contains("Directed\nb")).unwrap_err().to_string();
            assert!(e.starts_with(want), "{text:?}: {e}");
        }
    }
}
