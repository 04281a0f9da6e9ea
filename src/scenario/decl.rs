//! One declaration per parameter.
//!
//! A parameter struct (a model's parameters, the population, the output
//! options, a strategy's cost model) implements
//! [`Declared`]: a list of [`Param`]s, each naming its scenario key, its type
//! and range ([`Ty`]), its one-line documentation and the field it fills
//! (through `get`/`set`, written by the [`param!`](crate::param) macro from a
//! field path). The default is the struct's own `Default`. Everything else is
//! derived from this list:
//!
//! * the schema ([`super::schema()`]): validation of types and ranges,
//!   unknown-key hints, `womsim list` and the reference in `scenarios/README.md`;
//! * parsing ([`Declared::from_values`]): start from `Default`, apply every
//!   given key with its `set`; nothing is looked up by a string the
//!   declarations do not hold;
//! * the resolved file ([`Declared::values`]): every key with its `get`;
//! * the starter file of `womsim new` ([`Param::starter`]): the keys marked
//!   for it, with their defaults.
//!
//! Tests in `tests/scenario.rs` set every declared key to random valid
//! values and require that the parsed struct holds them, that the resolved
//! file reads back to it, and that every number in the struct's `Debug`
//! output is one of the declared values (so a field without a declaration
//! fails a test instead of being silently left at its default).
//!
//! How to add a parameter: `docs/CONTRIBUTING.md`.

use toml::Value;

use super::schema::{Key, Ty};
use crate::population::PopulationSpec;
use crate::seeding::CostModel;

/// One scenario key of the parameter struct `P`, declared once.
pub struct Param<P> {
    /// Dotted key relative to its table (`share.good`, `roles.fan.act`).
    pub key: &'static str,
    /// Type and allowed range (validation, `list`, README).
    pub ty: Ty,
    /// One-line meaning (`list`, README).
    pub doc: &'static str,
    /// Text shown instead of the default when the key's default depends on
    /// other keys (`p` only with `weights = "uniform"`).
    pub default_doc: Option<&'static str>,
    /// Comment of the key in the starter file of `womsim new`; `None` keeps
    /// the key out of the starter, `Some("")` writes it without a comment.
    pub starter: Option<&'static str>,
    /// The value of the key in `p`, as written to the resolved file; `None`
    /// when the key does not apply (it is then not written).
    pub get: fn(&P) -> Option<Value>,
    /// Store a value (already validated against `ty`) into `p`.
    pub set: fn(&mut P, &Value),
}

impl<P> Param<P> {
    /// A parameter with no context-dependent default and no starter line.
    pub fn new(
        key: &'static str,
        ty: Ty,
        doc: &'static str,
        get: fn(&P) -> Option<Value>,
        set: fn(&mut P, &Value),
    ) -> Self {
        Param { key, ty, doc, default_doc: None, starter: None, get, set }
    }

    /// Show `text` as the default (the default depends on other keys).
    pub fn default_doc(mut self, text: &'static str) -> Self {
        self.default_doc = Some(text);
        self
    }

    /// Write the key, at its default, in the starter file with `comment`.
    pub fn starter(mut self, comment: &'static str) -> Self {
        self.starter = Some(comment);
        self
    }
}

/// A struct whose fields are scenario keys, each declared once in
/// [`Declared::params`]; its `Default` gives the keys' defaults.
pub trait Declared: Default + Sized + 'static {
    /// The declarations, in the order keys are documented and written.
    fn params() -> Vec<Param<Self>>;

    /// The schema keys (defaults from `Self::default()`).
    fn keys() -> Vec<Key> {
        let d = Self::default();
        Self::params()
            .into_iter()
            .map(|p| Key {
                name: p.key.to_string(),
                default: (p.get)(&d),
                default_doc: p.default_doc,
                doc: p.doc,
                ty: p.ty,
            })
            .collect()
    }

    /// `Self::default()` with every key that `value` returns applied, in
    /// declaration order. `value` returns the validated value of a key, or
    /// `None` when the key was not given (or was invalid).
    fn from_values<'v>(value: impl Fn(&str) -> Option<&'v Value>) -> Self {
        let mut p = Self::default();
        for d in Self::params() {
            if let Some(v) = value(d.key) {
                (d.set)(&mut p, v);
            }
        }
        p
    }

    /// Every key that applies, with its value in `self`, in declaration order.
    fn values(&self) -> Vec<(String, Value)> {
        Self::params().into_iter().filter_map(|d| (d.get)(self).map(|v| (d.key.to_string(), v))).collect()
    }
}

/// A field type a scenario key can fill.
pub trait ParamValue {
    /// The value as written to TOML.
    fn to_value(&self) -> Value;
    /// Store a value that passed validation against the key's [`Ty`].
    fn set_value(&mut self, v: &Value);
}

/// A finite number from an integer or a float.
pub(crate) fn as_num(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}

impl ParamValue for f64 {
    fn to_value(&self) -> Value {
        Value::Float(*self)
    }
    fn set_value(&mut self, v: &Value) {
        if let Some(x) = as_num(v) {
            *self = x;
        }
    }
}

impl ParamValue for u32 {
    fn to_value(&self) -> Value {
        Value::Integer((*self).into())
    }
    fn set_value(&mut self, v: &Value) {
        if let Value::Integer(i) = v {
            *self = u32::try_from((*i).max(0)).unwrap_or(u32::MAX);
        }
    }
}

impl ParamValue for bool {
    fn to_value(&self) -> Value {
        Value::Boolean(*self)
    }
    fn set_value(&mut self, v: &Value) {
        if let Value::Boolean(b) = v {
            *self = *b;
        }
    }
}

/// One [`Param`] filling a field of `Self`, for use inside
/// `impl Declared for … { fn params() … }`:
///
/// ```ignore
/// param!("share.good", Ty::Prob, share.good, "probability a talker shares …")
/// ```
///
/// The key, then its type and range, then the field path (any depth), then
/// its documentation. The field's type must implement [`ParamValue`].
#[macro_export]
macro_rules! param {
    ($key:expr, $ty:expr, $($field:ident).+, $doc:expr) => {
        $crate::scenario::decl::Param::new(
            $key,
            $ty,
            $doc,
            |p: &Self| Some($crate::scenario::decl::ParamValue::to_value(&p$(.$field)+)),
            |p: &mut Self, v: &::toml::Value| $crate::scenario::decl::ParamValue::set_value(&mut p$(.$field)+, v),
        )
    };
}

// ---------------------------------------------------------------- population

impl Declared for PopulationSpec {
    fn params() -> Vec<Param<Self>> {
        // The NPS bins apply only with `file` (and are written only then, so
        // resolved files without it stay as they were).
        fn from_file(p: &PopulationSpec, x: u32) -> Option<Value> {
            p.file.is_some().then(|| x.to_value())
        }
        const SCORE: Ty = Ty::Int { min: 0, max: 10 };
        vec![
            param!("friends", Ty::Frac, friends, "fraction of nodes who are friends (followers); ignored with file")
                .starter("fraction of people who are friends (followers)"),
            param!("mix.mild", Ty::Frac, mild, "fraction of friends with mild interest").starter(""),
            param!("mix.fan", Ty::Frac, fan, "fraction of friends who are fans").starter(""),
            param!(
                "mix.detractor",
                Ty::Frac,
                detractor,
                "fraction of friends who are detractors (talk bad from the start); mix must sum to 1"
            )
            .starter("detractors talk bad from the start"),
            Param::new(
                "file",
                Ty::Path,
                "CSV of the organisation's followers (columns id and role or nps, optional cost); everyone else is \
                 community; friends and mix are then ignored",
                |p: &Self| p.file.as_ref().map(|f| Value::String(f.to_string_lossy().into_owned())),
                |p: &mut Self, v| p.file = v.as_str().map(std::path::PathBuf::from),
            )
            .default_doc("none (drawn)"),
            Param::new(
                "nps.promoter",
                SCORE,
                "with file and an nps column: lowest score of a promoter (fan)",
                |p: &Self| from_file(p, p.nps.promoter),
                |p: &mut Self, v| p.nps.promoter.set_value(v),
            )
            .default_doc("9"),
            Param::new(
                "nps.passive",
                SCORE,
                "with file and an nps column: lowest score of a passive (mild); lower scores are detractors",
                |p: &Self| from_file(p, p.nps.passive),
                |p: &mut Self, v| p.nps.passive.set_value(v),
            )
            .default_doc("7"),
        ]
    }
}

// ---------------------------------------------------------------- strategy cost

/// The `cost.*` keys of every `[[strategy]]`.
/// A cost parameter: finite, at most [`super::schema::MAX_COST`].
const COST: Ty = Ty::Num { min: 0.0, min_open: false, max: super::schema::MAX_COST };

impl Declared for CostModel {
    fn params() -> Vec<Param<Self>> {
        vec![
            param!("cost.base", COST, base, "cost of one seed: base + per_follower × followers"),
            param!("cost.per_follower", COST, per_follower, "cost per follower of a seed"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{EdgeProb, IcParams, LtParams, RcParams};

    #[test]
    fn values_are_stored_as_validated() {
        let mut x = 0u32;
        x.set_value(&Value::Integer(-3));
        assert_eq!(x, 0);
        x.set_value(&Value::Integer(1 << 40));
        assert_eq!(x, u32::MAX);
        let mut f = 0.5f64;
        f.set_value(&Value::Integer(2));
        assert_eq!(f, 2.0);
        f.set_value(&Value::String("x".into()));
        assert_eq!(f, 2.0, "a value of another type leaves the field alone");
        assert_eq!(7u32.to_value(), Value::Integer(7));
    }

    #[test]
    fn keys_are_set_in_declaration_order() {
        let p = Value::Float(0.3);
        let uniform = Value::String("uniform".into());
        // `weights` is declared before `p`, so `p` fills the uniform variant.
        let ic = IcParams::from_values(|k| match k {
            "weights" => Some(&uniform),
            "p" => Some(&p),
            _ => None,
        });
        assert_eq!(ic.prob, EdgeProb::Uniform(0.3));
        // `weights = "uniform"` alone: the default uniform weight.
        let lt = LtParams::from_values(|k| (k == "weights").then_some(&uniform));
        assert_eq!(lt.weights, EdgeProb::Uniform(EdgeProb::DEFAULT_UNIFORM));
        assert_eq!(LtParams::from_values(|_| None), LtParams::default());
    }

    #[test]
    fn keys_are_unique_and_defaults_come_from_default() {
        let keys = RcParams::keys();
        let d = RcParams::default();
        for (k, p) in keys.iter().zip(RcParams::params()) {
            assert_eq!(k.default, (p.get)(&d), "{}", k.name);
            assert_eq!(keys.iter().filter(|x| x.name == k.name).count(), 1, "{} declared twice", k.name);
        }
        assert_eq!(RcParams::default().values().len(), keys.len());
    }
}
