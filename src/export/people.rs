//! Per-person results files (`[output] people = true`): `people.csv` and
//! `network.gexf`, both from [`crate::people::PeopleCounts`].
//!
//! `network.gexf` is GEXF 1.3 (<https://gexf.net/schema.html>), written
//! here directly (a handful of elements; XML-escaped), with the network's
//! edges and, per node, its role, follower count and every world's
//! probabilities as attributes, so Gephi can colour and size by them.

use std::fmt::Write as _;
use std::path::Path;

use super::{atomic_write, csv_bytes};
use crate::graph::Graph;
use crate::people::PeopleCounts;
use crate::population::Population;

/// `people.csv`
pub const PEOPLE: &str = "people.csv";
/// `network.gexf`
pub const GEXF: &str = "network.gexf";

/// Reads one person's count of one field.
type Count = fn(&PeopleCounts, usize) -> u32;

/// The probability columns, in file order, with the count each reads.
const FIELDS: [(&str, Count); 4] = [
    ("p_heard_good", |c, v| c.good[v]),
    ("p_heard_bad", |c, v| c.bad[v]),
    ("p_acted", |c, v| c.acted[v]),
    ("p_seed", |c, v| c.seeded[v]),
];

/// Write `people.csv`: `world,id,role,degree,p_heard_good,p_heard_bad,
/// p_acted,p_seed`, one row per world (the no-campaign world first, then
/// each strategy) and person, people in node order. `role` is the role
/// before seeding; `degree` is the follower count (who hears the person).
pub fn write_people(dir: &Path, g: &Graph, pop: &Population, counts: &[PeopleCounts]) -> anyhow::Result<()> {
    let mut header = vec!["world".to_string(), "id".to_string(), "role".to_string(), "degree".to_string()];
    header.extend(FIELDS.iter().map(|(n, _)| n.to_string()));
    let rows = counts.iter().flat_map(|c| {
        (0..g.len()).map(move |v| {
            let mut r = vec![
                c.world.clone(),
                g.label(v as u32).to_string(),
                pop.role(v as u32).name().to_string(),
                g.followers(v as u32).to_string(),
            ];
            r.extend(FIELDS.iter().map(|(_, f)| format!("{}", c.p(f(c, v)))));
            r
        })
    });
    atomic_write(&dir.join(PEOPLE), &csv_bytes(&header, rows)?)
}

/// `s` with XML's five special characters escaped, and control characters
/// (not allowed in XML 1.0) replaced by U+FFFD.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The GEXF 1.3 text of the network with the per-person attributes.
pub fn gexf(g: &Graph, pop: &Population, counts: &[PeopleCounts]) -> String {
    let mut x = String::new();
    let kind = if g.is_directed() { "directed" } else { "undirected" };
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n");
    x.push_str("  <meta><creator>womsim</creator></meta>\n");
    let _ = writeln!(x, "  <graph mode=\"static\" defaultedgetype=\"{kind}\">");
    x.push_str("    <attributes class=\"node\">\n");
    x.push_str("      <attribute id=\"role\" title=\"role\" type=\"string\"/>\n");
    x.push_str("      <attribute id=\"degree\" title=\"degree\" type=\"integer\"/>\n");
    for (i, c) in counts.iter().enumerate() {
        for (name, _) in FIELDS {
            let title = xml_escape(&format!("{}: {name}", c.world));
            let _ = writeln!(x, "      <attribute id=\"w{i}_{name}\" title=\"{title}\" type=\"double\"/>");
        }
    }
    x.push_str("    </attributes>\n    <nodes>\n");
    for v in 0..g.len() {
        let u = v as u32;
        let label = xml_escape(&g.label(u).to_string());
        let _ = writeln!(x, "      <node id=\"{v}\" label=\"{label}\">");
        x.push_str("        <attvalues>\n");
        let _ = writeln!(x, "          <attvalue for=\"role\" value=\"{}\"/>", pop.role(u).name());
        let _ = writeln!(x, "          <attvalue for=\"degree\" value=\"{}\"/>", g.followers(u));
        for (i, c) in counts.iter().enumerate() {
            for (name, f) in FIELDS {
                let _ = writeln!(x, "          <attvalue for=\"w{i}_{name}\" value=\"{}\"/>", c.p(f(c, v)));
            }
        }
        x.push_str("        </attvalues>\n      </node>\n");
    }
    x.push_str("    </nodes>\n    <edges>\n");
    let mut e = 0u64;
    for u in 0..g.n() {
        for &w in g.listeners(u) {
            // An undirected graph stores each edge both ways: write it once.
            if g.is_directed() || u <= w {
                let _ = writeln!(x, "      <edge id=\"{e}\" source=\"{u}\" target=\"{w}\"/>");
                e += 1;
            }
        }
    }
    x.push_str("    </edges>\n  </graph>\n</gexf>\n");
    x
}

/// Write `people.csv` and `network.gexf` (each atomically).
pub fn write_all(dir: &Path, g: &Graph, pop: &Population, counts: &[PeopleCounts]) -> anyhow::Result<()> {
    write_people(dir, g, pop, counts)?;
    atomic_write(&dir.join(GEXF), gexf(g, pop, counts).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_special_characters_are_escaped() {
        assert_eq!(xml_escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;\u{FFFD}");
    }
}
