//! `[population] file = "customers.csv"`: the organisation's own followers,
//! read from a file instead of drawn.
//!
//! The file is CSV with a header line naming its columns (in any order):
//!
//! * `id` (required): the person's id as the network names them;
//! * exactly one of `role` (`fan`, `mild`, `detractor`, `community`,
//!   `ambassador`) or `nps` (a Net Promoter survey score, a whole number
//!   0–10, binned as in Reichheld 2003, "The One Number You Need to Grow",
//!   HBR: promoters 9–10 → fan, passives 7–8 → mild, detractors 0–6 →
//!   detractor; the lower edges are `population.nps.promoter` and
//!   `population.nps.passive`);
//! * `cost` (optional): what making this person an ambassador costs; it
//!   replaces the strategy's cost model (`cost.base + cost.per_follower ×
//!   followers`) for this person in cost budgets. An empty cell keeps the
//!   cost model.
//!
//! Everyone in the file is a friend (a real follower) with the given role;
//! everyone else is community. Rows with role `ambassador` are *standing*
//! ambassadors: the ambassador role is theirs in every world, the
//! no-campaign baseline included (they share and ask like ambassadors once
//! they hear, as [`crate::population::Population::from_roles`] ambassadors
//! do in the chain model), but only a strategy's seeds start talking at
//! step 0; they stay in the friends pool, so a strategy may still seed them.
//!
//! No other per-person value is read: the chain model's parameters are per
//! role, not per person, so a per-person share or act probability would be
//! a new model, not a population input.
//!
//! Blank lines and lines starting with `#` are skipped; fields are split at
//! commas and trimmed (no quoting: ids containing commas are not supported).
//! Every problem is reported at once, each with the file and line.

use std::collections::HashMap;
use std::path::Path;

use crate::graph::{Graph, Labels};
use crate::population::{Population, Role};

/// At most this many unknown ids are listed by name in the error.
const SHOWN: usize = 5;

/// Lower edges of the NPS bins: scores `>= promoter` are fans, scores
/// `>= passive` (and below `promoter`) are mild, the rest detractors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NpsBins {
    pub promoter: u32,
    pub passive: u32,
}

impl Default for NpsBins {
    fn default() -> Self {
        NpsBins { promoter: 9, passive: 7 }
    }
}

impl NpsBins {
    /// The role of a score in 0..=10.
    pub fn role(&self, score: u32) -> Role {
        if score >= self.promoter {
            Role::Fan
        } else if score >= self.passive {
            Role::Mild
        } else {
            Role::Detractor
        }
    }
}

/// A map from the network's ids (as written in input files) to dense ids.
pub fn id_lookup(g: &Graph) -> impl Fn(&str) -> Option<u32> + '_ {
    enum Map<'a> {
        Dense(u32),
        Numeric(HashMap<u64, u32>),
        Names(HashMap<&'a str, u32>),
    }
    let map = match g.labels() {
        Labels::Dense => Map::Dense(g.n()),
        Labels::Numeric(ids) => Map::Numeric(ids.iter().enumerate().map(|(i, &x)| (x, i as u32)).collect()),
        Labels::Names(names) => Map::Names(names.iter().enumerate().map(|(i, s)| (s.as_str(), i as u32)).collect()),
    };
    move |s: &str| match &map {
        Map::Dense(n) => s.parse::<u32>().ok().filter(|u| u < n),
        Map::Numeric(m) => s.parse::<u64>().ok().and_then(|x| m.get(&x).copied()),
        Map::Names(m) => m.get(s).copied(),
    }
}

/// Parse the population file's `text` (named `file` in errors) against the
/// network `g`. All problems are returned at once, each `file:line: …`.
/// O(n + rows).
pub fn parse(text: &str, file: &str, g: &Graph, bins: NpsBins) -> Result<Population, Vec<String>> {
    let mut errs = Vec::new();
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let Some((hl, header)) = lines.next() else {
        return Err(vec![format!("{file}: empty: expected a header line `id,role` or `id,nps` (optionally `,cost`)")]);
    };
    let cols: Vec<String> = header.split(',').map(|c| c.trim().to_ascii_lowercase()).collect();
    let col = |name: &str| cols.iter().position(|c| c == name);
    for (i, c) in cols.iter().enumerate() {
        if !["id", "role", "nps", "cost"].contains(&c.as_str()) {
            errs.push(format!("{file}:{}: unknown column {c:?}; allowed: id, role, nps, cost", hl + 1));
        } else if cols[..i].contains(c) {
            errs.push(format!("{file}:{}: column {c:?} given twice", hl + 1));
        }
    }
    let (id_c, role_c, nps_c, cost_c) = (col("id"), col("role"), col("nps"), col("cost"));
    if id_c.is_none() {
        errs.push(format!("{file}:{}: no `id` column (the header must name id and role or nps)", hl + 1));
    }
    match (role_c, nps_c) {
        (None, None) => errs.push(format!("{file}:{}: needs a `role` or an `nps` column", hl + 1)),
        (Some(_), Some(_)) => errs.push(format!("{file}:{}: give `role` or `nps`, not both", hl + 1)),
        _ => {}
    }
    let Some(id_c) = id_c.filter(|_| errs.is_empty()) else { return Err(errs) };
    let lookup = id_lookup(g);
    let mut roles = vec![Role::Community; g.len()];
    let mut costs: Vec<Option<f64>> = Vec::new();
    let mut first_line: HashMap<u32, usize> = HashMap::new();
    let mut unknown: Vec<(String, usize)> = Vec::new();
    for (i, line) in lines {
        let ln = i + 1;
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() != cols.len() {
            errs.push(format!("{file}:{ln}: {} fields, but the header names {}", f.len(), cols.len()));
            continue;
        }
        let role = if let Some(c) = role_c {
            let r = Role::ALL.iter().copied().find(|r| r.name() == f[c].to_ascii_lowercase());
            if r.is_none() {
                errs.push(format!(
                    "{file}:{ln}: role {:?} is not one of fan, mild, detractor, community, ambassador",
                    f[c]
                ));
            }
            r
        } else {
            let c = nps_c.unwrap_or(0);
            match f[c].parse::<u32>() {
                Ok(s) if s <= 10 => Some(bins.role(s)),
                _ => {
                    errs.push(format!("{file}:{ln}: nps {:?} is not a whole number from 0 to 10", f[c]));
                    None
                }
            }
        };
        let cost = match cost_c.map(|c| f[c]).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match s.parse::<f64>() {
                Ok(x) if x.is_finite() && (0.0..=crate::scenario::schema::MAX_COST).contains(&x) => Some(x),
                _ => {
                    errs.push(format!(
                        "{file}:{ln}: cost {s:?} is not a number from 0 to {}",
                        crate::scenario::schema::MAX_COST
                    ));
                    None
                }
            },
        };
        let Some(u) = lookup(f[id_c]) else {
            unknown.push((f[id_c].to_string(), ln));
            continue;
        };
        if let Some(prev) = first_line.insert(u, ln) {
            errs.push(format!("{file}:{ln}: id {:?} already given on line {prev}", f[id_c]));
            first_line.insert(u, prev);
            continue;
        }
        if let Some(r) = role {
            roles[u as usize] = r;
        }
        if let Some(c) = cost {
            if costs.is_empty() {
                costs = vec![None; g.len()];
            }
            costs[u as usize] = Some(c);
        }
    }
    if !unknown.is_empty() {
        let shown: Vec<String> = unknown.iter().take(SHOWN).map(|(id, ln)| format!("{id:?} (line {ln})")).collect();
        let more = if unknown.len() > SHOWN { format!(" and {} more", unknown.len() - SHOWN) } else { String::new() };
        errs.push(format!(
            "{file}:{}: {} ids are not in the network: {}{more}",
            unknown[0].1,
            unknown.len(),
            shown.join(", ")
        ));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Population::from_roles(roles).with_costs((!costs.is_empty()).then_some(costs)))
}

/// Read and [`parse`] the population file at `path` (a regular file of at
/// most [`crate::inputs::MAX_TEXT_BYTES`]).
pub fn load(path: &Path, g: &Graph, bins: NpsBins) -> Result<Population, Vec<String>> {
    let file = path.display().to_string();
    let text = crate::inputs::read_text_bounded(path, crate::inputs::MAX_TEXT_BYTES)
        .map_err(|e| vec![format!("{file}: cannot read the population file: {e}")])?;
    parse(&text, &file, g, bins)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named() -> Graph {
        let names = ["ann", "bob", "cy", "di"].iter().map(|s| s.to_string()).collect();
        Graph::from_edges(4, false, &[(0, 1), (1, 2), (2, 3)], None, Labels::Names(names)).unwrap()
    }

    #[test]
    fn nps_bins_map_scores_to_roles() {
        let g = named();
        let p = parse("id,nps\nann,10\nbob,8\ncy,6\n", "f.csv", &g, NpsBins::default()).unwrap();
        assert_eq!(p.roles(), &[Role::Fan, Role::Mild, Role::Detractor, Role::Community]);
        let p = parse("nps,id\n8,ann\n", "f.csv", &g, NpsBins { promoter: 8, passive: 5 }).unwrap();
        assert_eq!(p.role(0), Role::Fan);
    }

    #[test]
    fn costs_override_only_given_people() {
        let g = named();
        let p = parse("id,role,cost\nann,ambassador,5\nbob,fan,\n", "f.csv", &g, NpsBins::default()).unwrap();
        assert_eq!(p.role(0), Role::Ambassador);
        assert_eq!(p.cost_override(0), Some(5.0));
        assert_eq!(p.cost_override(1), None);
        assert_eq!(p.cost_override(3), None);
    }

    #[test]
    fn every_problem_is_named_with_its_line() {
        let g = named();
        let e =
            parse("id,role\nann,fan\nann,mild\nzed,fan\nbob,boss\nq,x\n", "f.csv", &g, NpsBins::default()).unwrap_err();
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e[0].starts_with("f.csv:3:") && e[0].contains("line 2"), "{e:?}");
        assert!(e[1].starts_with("f.csv:5:") && e[1].contains("boss"), "{e:?}");
        assert!(e[2].starts_with("f.csv:6:") && e[2].contains("\"x\""), "{e:?}");
        assert!(e[3].starts_with("f.csv:4:") && e[3].contains("2 ids") && e[3].contains("\"q\" (line 6)"), "{e:?}");
    }
}
