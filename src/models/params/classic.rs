//! Parameters of the classic models (independent cascade, IC-N, linear
//! threshold, Bass, SIR); each model's rules are in its own module.
//!
//! Each field is declared once as a scenario key (key, range, meaning) in
//! the `Declared` impls at the end of this file; its default is the struct's
//! `Default`. See `docs/CONTRIBUTING.md` to add one.

/// Where an arc's activation probability comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EdgeProb {
    /// The same probability on every arc, in [0, 1].
    Uniform(f64),
    /// The graph's per-arc weights (third column of the edge list). A graph
    /// without weights counts as weight 1 on every arc.
    Weights,
    /// Weighted cascade: arc u→v has probability 1 / in_degree(v).
    InverseInDegree,
}

impl EdgeProb {
    /// The uniform probability (weight) used when `weights = "uniform"` is
    /// given without `p` (`weight`).
    pub const DEFAULT_UNIFORM: f64 = 0.1;
}

/// Parameters of `independent_cascade`.
#[derive(Debug, Clone, PartialEq)]
pub struct IcParams {
    /// Arc probabilities.
    pub prob: EdgeProb,
}

impl Default for IcParams {
    fn default() -> Self {
        IcParams { prob: EdgeProb::Uniform(EdgeProb::DEFAULT_UNIFORM) }
    }
}

/// Parameters of `ic_n`.
#[derive(Debug, Clone, PartialEq)]
pub struct IcnParams {
    /// Uniform arc probability.
    pub p: f64,
    /// Quality: probability that a node activated by a positive node (or a
    /// seed) turns positive.
    pub quality: f64,
}

impl Default for IcnParams {
    fn default() -> Self {
        IcnParams { p: 0.1, quality: 0.8 }
    }
}

/// Parameters of `linear_threshold`.
#[derive(Debug, Clone, PartialEq)]
pub struct LtParams {
    /// Arc weights b(u,v); each node's incoming weights must sum to <= 1.
    /// `Uniform(w)` gives every arc weight w.
    pub weights: EdgeProb,
}

impl Default for LtParams {
    fn default() -> Self {
        LtParams { weights: EdgeProb::InverseInDegree }
    }
}

/// Parameters of `bass`: adoption hazard `p + q * (adopted sources / sources)`
/// per unit time, integrated over steps of length `dt`.
#[derive(Debug, Clone, PartialEq)]
pub struct BassParams {
    /// Innovation (external influence) rate.
    pub p: f64,
    /// Imitation (word-of-mouth) rate.
    pub q: f64,
    /// Length of one step in model time units.
    pub dt: f64,
}

impl Default for BassParams {
    fn default() -> Self {
        BassParams { p: 0.03, q: 0.38, dt: 1.0 }
    }
}

/// Parameters of `sir`.
#[derive(Debug, Clone, PartialEq)]
pub struct SirParams {
    /// Transmission probability per infected–susceptible arc per step.
    pub beta: f64,
    /// Recovery probability per step.
    pub gamma: f64,
}

impl Default for SirParams {
    fn default() -> Self {
        SirParams { beta: 0.1, gamma: 0.2 }
    }
}

// ---------------------------------------------------------------- declarations

use toml::Value;

use crate::param;
use crate::scenario::decl::{Declared, Param, ParamValue};
use crate::scenario::schema::Ty;

/// Values of the `weights` key.
const WEIGHTS: &[&str] = &["uniform", "edge", "inverse_in_degree"];

/// `weights`: which [`EdgeProb`] variant.
fn weights_value(w: &EdgeProb) -> Option<Value> {
    Some(Value::String(
        match w {
            EdgeProb::Uniform(_) => "uniform",
            EdgeProb::Weights => "edge",
            EdgeProb::InverseInDegree => "inverse_in_degree",
        }
        .into(),
    ))
}

fn set_weights(w: &mut EdgeProb, v: &Value) {
    *w = match v.as_str() {
        Some("edge") => EdgeProb::Weights,
        Some("inverse_in_degree") => EdgeProb::InverseInDegree,
        _ => match *w {
            EdgeProb::Uniform(p) => EdgeProb::Uniform(p),
            _ => EdgeProb::Uniform(EdgeProb::DEFAULT_UNIFORM),
        },
    };
}

/// The uniform probability, a key only with `weights = "uniform"` (declared
/// after `weights`, so it is set after the variant is chosen).
fn uniform_value(w: &EdgeProb) -> Option<Value> {
    match w {
        EdgeProb::Uniform(p) => Some(p.to_value()),
        _ => None,
    }
}

fn set_uniform(w: &mut EdgeProb, v: &Value) {
    if let EdgeProb::Uniform(p) = w {
        p.set_value(v);
    }
}

/// Shown as the default of `p` / `weight`.
const UNIFORM_DEFAULT_DOC: &str = "0.1 (only with weights = \"uniform\")";

/// The `weights` key and the key of the uniform value (`p`, `weight`) of
/// the [`EdgeProb`] field `$field`.
macro_rules! edge_prob_params {
    ($field:ident, $pkey:literal, $weights_doc:literal, $pdoc:literal) => {
        vec![
            Param::new(
                "weights",
                Ty::Choice(WEIGHTS),
                $weights_doc,
                |p: &Self| weights_value(&p.$field),
                |p: &mut Self, v| set_weights(&mut p.$field, v),
            ),
            Param::new(
                $pkey,
                Ty::Prob,
                $pdoc,
                |p: &Self| uniform_value(&p.$field),
                |p: &mut Self, v| set_uniform(&mut p.$field, v),
            )
            .default_doc(UNIFORM_DEFAULT_DOC),
        ]
    };
}

/// The `[model] kind = "independent_cascade"` keys.
impl Declared for IcParams {
    fn params() -> Vec<Param<Self>> {
        edge_prob_params!(
            prob,
            "p",
            "arc probabilities: uniform `p`, the edge list's weight column, or 1/in-degree",
            "arc probability"
        )
    }
}

/// The `[model] kind = "ic_n"` keys.
impl Declared for IcnParams {
    fn params() -> Vec<Param<Self>> {
        vec![
            param!("p", Ty::Prob, p, "arc probability"),
            param!("quality", Ty::Prob, quality, "probability a node activated by a positive node turns positive"),
        ]
    }
}

/// The `[model] kind = "linear_threshold"` keys.
impl Declared for LtParams {
    fn params() -> Vec<Param<Self>> {
        edge_prob_params!(
            weights,
            "weight",
            "arc weights: uniform `weight`, the edge list's weight column, or 1/in-degree",
            "weight of every arc; incoming weights should sum to <= 1"
        )
    }
}

/// The `[model] kind = "bass"` keys.
impl Declared for BassParams {
    fn params() -> Vec<Param<Self>> {
        vec![
            param!("p", Ty::NON_NEG, p, "innovation (external influence) rate"),
            param!("q", Ty::NON_NEG, q, "imitation (word-of-mouth) rate"),
            param!("dt", Ty::POS, dt, "length of one step in model time units"),
        ]
    }
}

/// The `[model] kind = "sir"` keys.
impl Declared for SirParams {
    fn params() -> Vec<Param<Self>> {
        vec![
            param!("beta", Ty::Prob, beta, "transmission probability per infected–susceptible arc per step"),
            param!("gamma", Ty::Prob, gamma, "recovery probability per step"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_default_doc_names_the_default() {
        assert!(UNIFORM_DEFAULT_DOC.starts_with(&format!("{} ", EdgeProb::DEFAULT_UNIFORM)));
    }
}
