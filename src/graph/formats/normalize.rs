//! Weights that are counts (messages, interactions, co-authored papers)
//! scaled into probabilities (`network.normalize_weights`).
//!
//! * `per_target`: each arc's weight over the total weight into its target,
//!   w(u→v) / Σ_x w(x→v) — the weighted form of 1/in-degree (Kempe,
//!   Kleinberg & Tardos 2003's weighted cascade; the linear-threshold
//!   condition Σ ≤ 1 holds by construction). Directed networks only: an
//!   undirected edge has one weight for both directions.
//! * `max`: every weight over the largest, keeping their ratios.
//!
//! Applied after loading, so to the edges kept (self-loops dropped, repeats
//! merged, first weight wins). A target whose in-weights are all 0 keeps 0s.

use super::Error;
use crate::graph::Graph;

/// How weights are scaled after loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeightNorm {
    /// As in the file; they must lie in [0, 1].
    #[default]
    None,
    /// Over the target's total in-weight.
    PerTarget,
    /// Over the largest weight.
    Max,
}

impl WeightNorm {
    /// Every choice, in the order the scenario reference lists them.
    pub const ALL: [WeightNorm; 3] = [WeightNorm::None, WeightNorm::PerTarget, WeightNorm::Max];

    /// Scenario name.
    pub fn name(self) -> &'static str {
        match self {
            WeightNorm::None => "none",
            WeightNorm::PerTarget => "per_target",
            WeightNorm::Max => "max",
        }
    }

    /// The choice called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.name() == name)
    }
}

/// `g` with its weights scaled by `how` (`file` names it in errors).
pub fn apply(g: Graph, how: WeightNorm, file: &str) -> Result<Graph, Error> {
    if how == WeightNorm::None {
        return Ok(g);
    }
    if g.listener_weights(0).is_none() && g.n() > 0 {
        return Err(Error::file(
            file,
            format!("network.normalize_weights = \"{}\" needs weights, but the file has none", how.name()),
        ));
    }
    if how == WeightNorm::PerTarget && !g.is_directed() {
        return Err(Error::file(
            file,
            "network.normalize_weights = \"per_target\" needs a directed network (an undirected edge has one \
             weight for both directions); use \"max\", or a directed file",
        ));
    }
    let n = g.n();
    let mut total = vec![0f64; if how == WeightNorm::PerTarget { n as usize } else { 0 }];
    let mut max = 0f64;
    for u in 0..n {
        let ws = g.listener_weights(u).unwrap_or(&[]);
        for (&v, &w) in g.listeners(u).iter().zip(ws) {
            match how {
                WeightNorm::PerTarget => total[v as usize] += f64::from(w),
                _ => max = max.max(f64::from(w)),
            }
        }
    }
    let mut edges = Vec::with_capacity(g.num_arcs());
    let mut weights = Vec::with_capacity(g.num_arcs());
    for u in 0..n {
        let ws = g.listener_weights(u).unwrap_or(&[]);
        for (&v, &w) in g.listeners(u).iter().zip(ws) {
            // Each undirected edge once (its two arcs carry one weight).
            if !g.is_directed() && v < u {
                continue;
            }
            let d = if how == WeightNorm::PerTarget { total[v as usize] } else { max };
            edges.push((u, v));
            weights.push(if d > 0.0 { (f64::from(w) / d).min(1.0) as f32 } else { 0.0 });
        }
    }
    let labels = g.labels().clone();
    Graph::from_edges(n as usize, g.is_directed(), &edges, Some(&weights), labels)
        .map_err(|e| Error::file(file, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Labels;

    #[test]
    fn per_target_divides_by_the_in_weight() {
        // 0→2 (3), 1→2 (1), 0→1 (5): into 2 the total is 4, into 1 it is 5.
        let g = Graph::from_edges(3, true, &[(0, 2), (1, 2), (0, 1)], Some(&[3.0, 1.0, 5.0]), Labels::Dense).unwrap();
        let h = apply(g.clone(), WeightNorm::PerTarget, "f").unwrap();
        assert_eq!(h.listeners(0), &[1, 2]);
        assert_eq!(h.listener_weights(0).unwrap(), &[1.0, 0.75]);
        assert_eq!(h.listener_weights(1).unwrap(), &[0.25]);
        let m = apply(g, WeightNorm::Max, "f").unwrap();
        assert_eq!(m.listener_weights(0).unwrap(), &[1.0, 0.6]);
        assert_eq!(m.listener_weights(1).unwrap(), &[0.2]);
    }

    #[test]
    fn max_on_undirected_and_refusals() {
        let g = Graph::from_edges(3, false, &[(0, 1), (1, 2)], Some(&[2.0, 4.0]), Labels::Dense).unwrap();
        let m = apply(g.clone(), WeightNorm::Max, "f").unwrap();
        assert_eq!(m.listener_weights(1).unwrap(), &[0.5, 1.0]);
        let e = apply(g, WeightNorm::PerTarget, "f").unwrap_err().to_string();
        assert!(e.starts_with("f: network.normalize_weights = \"per_target\" needs a directed network"), "{e}");
        let g = Graph::from_edges(2, true, &[(0, 1)], None, Labels::Dense).unwrap();
        assert!(apply(g, WeightNorm::Max, "f").unwrap_err().to_string().contains("the file has none"));
    }
}
