//! Nodes and edges collected by the format readers, numbered and built into a
//! [`Graph`] by the edge list's rules: names interned in order of first
//! appearance, renumbered in ascending order when every id is a canonical
//! integer (`ids = "auto"` or `"numeric"`), so that a graph written in any
//! format gets the node numbering — and therefore the results — of the same
//! graph as an edge list.

use std::collections::HashMap;

use super::Error;
use crate::graph::edgelist::{self, EdgeListInfo, IdMode, LoadError, Options};
use crate::graph::{Graph, Labels};

/// Integer ids below this are looked up in a table (at most 4 × 2^24 bytes
/// = 64 MiB, grown only as far as the largest such id seen).
const DENSE_IDS: u64 = 1 << 24;

pub(crate) struct Builder<'a> {
    file: &'a str,
    opts: Options,
    index: HashMap<String, u32>,
    /// Canonical integer ids below [`DENSE_IDS`] → node + 1 (0: absent): the
    /// common case of integer ids found without hashing a string. The other
    /// ids are in `index`; a name is in one of the two, never both.
    dense: Vec<u32>,
    names: Vec<String>,
    edges: Vec<(u32, u32)>,
    weights: Option<Vec<f32>>,
    /// Line of the first edge (which fixed whether edges carry weights).
    first_edge_line: u64,
    info: EdgeListInfo,
}

impl<'a> Builder<'a> {
    pub(crate) fn new(file: &'a str, opts: &Options) -> Self {
        Builder {
            file,
            opts: *opts,
            index: HashMap::new(),
            dense: Vec::new(),
            names: Vec::new(),
            edges: Vec::new(),
            weights: None,
            first_edge_line: 0,
            info: EdgeListInfo::default(),
        }
    }

    /// The node called `name`, added if new. Ids must be printable text, and
    /// integers when `ids = "numeric"`.
    pub(crate) fn node(&mut self, name: &str, line: u64) -> Result<u32, Error> {
        let small = edgelist::parse_id(name.as_bytes()).filter(|&id| id < DENSE_IDS).map(|id| id as usize);
        if let Some(id) = small {
            if let Some(&k) = self.dense.get(id).filter(|&&k| k > 0) {
                return Ok(k - 1);
            }
        } else if let Some(&i) = self.index.get(name) {
            return Ok(i);
        }
        if name.is_empty() {
            return Err(Error::at(self.file, line, "a node id is empty"));
        }
        if let Some(c) = name.chars().find(|c| c.is_control()) {
            return Err(Error::at(
                self.file,
                line,
                format!(
                    "node id \"{}\" contains the control character U+{:04X}; ids must be printable text",
                    edgelist::quote(name.as_bytes()),
                    c as u32
                ),
            ));
        }
        if name.chars().any(char::is_whitespace) {
            // seeds.csv and seed files separate ids by spaces: an id with
            // one could not be read back unambiguously.
            return Err(Error::at(
                self.file,
                line,
                format!(
                    "node id \"{}\" contains whitespace; womsim writes seed ids separated by spaces (seeds.csv, \
                     seed files), so ids must not contain any (write e.g. Ann_Lee)",
                    edgelist::quote(name.as_bytes())
                ),
            ));
        }
        if self.opts.ids == IdMode::Numeric && edgelist::parse_id(name.as_bytes()).is_none() {
            return Err(Error::at(
                self.file,
                line,
                format!(
                    "node id \"{}\" is not a non-negative integer (no sign, no leading zero, below 2^64), as \
                     network.ids = \"numeric\" requires; for text ids set ids = \"names\"",
                    edgelist::quote(name.as_bytes())
                ),
            ));
        }
        let i = self.names.len();
        // Nodes cost less than edges: bounding them by the edge limit keeps
        // a file of nodes only within the memory the run may use.
        if i >= u32::MAX as usize - 1 || i as u64 >= self.opts.max_edges.saturating_add(1) {
            return Err(Error::at(self.file, line, format!("more than {i} nodes, more than this run can hold")));
        }
        match small {
            Some(id) => {
                if id >= self.dense.len() {
                    self.dense.resize(id + 1, 0);
                }
                self.dense[id] = i as u32 + 1;
            }
            None => {
                self.index.insert(name.to_string(), i as u32);
            }
        }
        self.names.push(name.to_string());
        Ok(i as u32)
    }

    /// An edge `u → v` (or `u — v`) at `line`, with its weight if the file
    /// gives one: every edge has a weight or none does, as in an edge list.
    pub(crate) fn edge(&mut self, u: u32, v: u32, weight: Option<f64>, line: u64) -> Result<(), Error> {
        self.info.edge_lines += 1;
        if self.info.edge_lines > self.opts.max_edges {
            return Err(
                LoadError::TooManyEdges { file: self.file.to_string(), line, limit: self.opts.max_edges }.into()
            );
        }
        if self.info.edge_lines == 1 {
            self.first_edge_line = line;
            if weight.is_some() {
                self.weights = Some(Vec::new());
                self.info.weighted = true;
            }
        }
        match (&mut self.weights, weight) {
            (Some(ws), Some(w)) => {
                let w32 = w as f32;
                if w.is_finite() && w32.is_finite() && (0.0..=1.0).contains(&w) {
                    ws.push(w32);
                } else if w.is_finite() && w32.is_finite() && w > 1.0 {
                    if !self.opts.counts {
                        return Err(Error::at(self.file, line, format!("{} (found {w})", edgelist::WEIGHT_OVER_ONE)));
                    }
                    ws.push(w32);
                } else {
                    return Err(Error::at(
                        self.file,
                        line,
                        format!("the weight must be a number in [0, 1], found {w}"),
                    ));
                }
            }
            (None, None) => {}
            (Some(_), None) => {
                let msg = format!("missing weight (line {} has one, so every edge needs one)", self.first_edge_line);
                return Err(Error::at(self.file, line, msg));
            }
            (None, Some(_)) => {
                let msg =
                    format!("unexpected weight (line {} has none, so no edge may have one)", self.first_edge_line);
                return Err(Error::at(self.file, line, msg));
            }
        }
        if u == v {
            self.info.self_loops += 1;
        }
        self.edges.push((u, v));
        Ok(())
    }

    /// The graph, numbered as an edge list of the same ids would be.
    pub(crate) fn finish(self, directed: bool) -> Result<(Graph, EdgeListInfo), Error> {
        let file = self.file.to_string();
        if self.info.edge_lines == 0 {
            return Err(LoadError::Empty { file, reason: "the file lists no edges" }.into());
        }
        let numeric: Option<Vec<u64>> = if self.opts.ids == IdMode::Names {
            None
        } else {
            self.names.iter().map(|s| edgelist::parse_id(s.as_bytes())).collect()
        };
        let n = self.names.len();
        let (edges, labels) = match numeric {
            Some(ids) => {
                // Ascending order of the integer ids, as the edge list numbers them.
                let mut order: Vec<u32> = (0..n as u32).collect();
                order.sort_unstable_by_key(|&i| ids[i as usize]);
                let mut new_of = vec![0u32; n];
                for (k, &i) in order.iter().enumerate() {
                    new_of[i as usize] = k as u32;
                }
                let edges: Vec<(u32, u32)> =
                    self.edges.iter().map(|&(u, v)| (new_of[u as usize], new_of[v as usize])).collect();
                let sorted: Vec<u64> = order.iter().map(|&i| ids[i as usize]).collect();
                let dense = sorted.iter().enumerate().all(|(k, &id)| id == k as u64);
                (edges, if dense { Labels::Dense } else { Labels::Numeric(sorted) })
            }
            None => (self.edges, Labels::Names(self.names)),
        };
        let g = Graph::from_edges(n, directed, &edges, self.weights.as_deref(), labels)
            .map_err(|source| LoadError::Graph { file: file.clone(), source })?;
        if g.num_arcs() == 0 {
            return Err(LoadError::Empty { file, reason: "every edge is a self-loop" }.into());
        }
        Ok((g, self.info))
    }
}

/// The direction to build with: the file's when it says one, else the
/// scenario's; a scenario asking for `directed = true` on a file that says
/// undirected is refused.
pub(crate) fn direction(file: &str, scenario: bool, in_file: Option<bool>, how: &str) -> Result<bool, Error> {
    match in_file {
        Some(false) if scenario => Err(Error::file(
            file,
            format!(
                "the file says the network is undirected ({how}) but the scenario sets directed = true; remove \
                 directed = true (the file's direction is used), or change the file"
            ),
        )),
        Some(d) => Ok(d),
        None => Ok(scenario),
    }
}

/// A weight given as text.
pub(crate) fn parse_weight(file: &str, line: u64, text: &str) -> Result<f64, Error> {
    match text.trim().parse::<f64>() {
        Ok(w) if w.is_finite() => Ok(w),
        _ => Err(Error::at(
            file,
            line,
            format!("the weight must be a number in [0, 1], found \"{}\"", edgelist::quote(text.as_bytes())),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_follows_the_edge_list() {
        let o = Options::new(false);
        let mut b = Builder::new("f", &o);
        let (x, y, z) = (b.node("10", 1).unwrap(), b.node("2", 1).unwrap(), b.node("7", 2).unwrap());
        b.edge(x, y, None, 3).unwrap();
        b.edge(y, z, None, 4).unwrap();
        let (g, _) = b.finish(false).unwrap();
        let e = edgelist::parse("10 2\n2 7\n".as_bytes(), "f", false).unwrap();
        assert_eq!(g, e);
        // Names keep their order of first appearance.
        let o = Options::new(true).ids(IdMode::Names);
        let mut b = Builder::new("f", &o);
        let (a, c) = (b.node("10", 1).unwrap(), b.node("2", 1).unwrap());
        b.edge(a, c, Some(0.5), 2).unwrap();
        let (g, _) = b.finish(true).unwrap();
        assert!(matches!(g.labels(), Labels::Names(v) if v == &["10", "2"]));
    }

    #[test]
    fn weights_and_ids_are_checked_with_the_line() {
        let o = Options::new(true);
        let mut b = Builder::new("f.gml", &o);
        let (a, c) = (b.node("a", 1).unwrap(), b.node("c", 1).unwrap());
        b.edge(a, c, Some(0.5), 7).unwrap();
        let e = b.edge(a, c, Some(3.0), 8).unwrap_err().to_string();
        assert!(e.starts_with("f.gml:8: the weight must be a number in [0, 1]; for counts"), "{e}");
        let e = b.edge(c, a, None, 9).unwrap_err().to_string();
        assert_eq!(e, "f.gml:9: missing weight (line 7 has one, so every edge needs one)");
        let e = b.node("ann lee", 10).unwrap_err().to_string();
        assert!(e.starts_with("f.gml:10: node id \"ann lee\" contains whitespace"), "{e}");
        let e = b.node("x\u{1b}", 10).unwrap_err().to_string();
        assert!(e.starts_with("f.gml:10: node id") && e.contains("U+001B"), "{e}");
        let o = Options::new(true).ids(IdMode::Numeric);
        let e = Builder::new("f", &o).node("ab", 3).unwrap_err().to_string();
        assert!(e.starts_with("f:3: node id \"ab\" is not a non-negative integer"), "{e}");
        let e = direction("f", true, Some(false), "edgedefault=\"undirected\"").unwrap_err().to_string();
        assert!(e.starts_with("f: the file says the network is undirected (edgedefault"), "{e}");
        assert!(direction("f", false, Some(true), "").unwrap());
    }
}
