//! The scenario schema: every table, kind and key with its type, range,
//! default and one-line doc, as data.
//!
//! Validation ([`super::parse_str`]), `womsim list` ([`list_text`]) and the
//! key reference in `scenarios/README.md` ([`reference_markdown`]) all read
//! this one table, so they cannot disagree. The keys of the models, the
//! population and the output are not written here: they come from each
//! struct's declarations ([`super::decl`]), defaults from its `Default`.

use std::fmt::Write as _;
use std::sync::OnceLock;

use toml::Value;

use super::decl::Declared;
use crate::models::{BassParams, IcParams, IcnParams, LtParams, RcParams, SirParams};
use crate::population::PopulationSpec;
use crate::scenario::OutputSpec;
use crate::seeding::CostModel;

/// Largest node count a generated network may ask for.
pub const MAX_NODES: i64 = 50_000_000;
/// Largest `complete` graph (its arcs grow as n²).
pub const MAX_COMPLETE_NODES: i64 = 10_000;
/// Smallest chart size in pixels (width, height).
pub const MIN_SIZE: (i64, i64) = (320, 240);
/// Largest chart side in pixels.
pub const MAX_SIDE: i64 = 10_000;
/// How edge-list ids are read (`network.ids`, see [`crate::graph::edgelist::IdMode`]).
pub const EDGE_LIST_IDS: &[&str] = &["auto", "numeric", "names"];
/// Network file formats (`network.format`, see [`crate::graph::formats::Format`]); `auto` = by extension.
pub const NETWORK_FORMATS: &[&str] = &["auto", "edge_list", "csv", "graphml", "gexf", "gml", "pajek"];
/// Scaling of count weights (`network.normalize_weights`, see [`crate::graph::formats::WeightNorm`]).
pub const WEIGHT_NORMS: &[&str] = &["none", "per_target", "max"];
/// Network kinds.
pub const NETWORK_KINDS: &[&str] = &[
    "erdos_renyi",
    "barabasi_albert",
    "watts_strogatz",
    "sbm",
    "follower",
    "configuration",
    "random_regular",
    "complete",
    "ring",
    "edge_list",
];
/// Model kinds.
pub const MODEL_KINDS: &[&str] =
    &["relationship_chain", "independent_cascade", "ic_n", "linear_threshold", "bass", "sir"];
/// Longest scenario or strategy name, in characters (names appear in folder
/// names, chart legends and table headers).
pub const MAX_NAME_CHARS: usize = 100;
/// Longest path, in bytes (Linux's PATH_MAX).
pub const MAX_PATH_BYTES: usize = 4096;
/// Largest cost parameter: a seed costs at most about 1e12 × followers
/// (< 4.3e21), so a budget's sum stays far from overflow and every cost is
/// finite in the results.
pub const MAX_COST: f64 = 1e12;
/// Most `[[strategy]]` tables in one scenario.
pub const MAX_STRATEGIES: usize = 1000;

/// Strategy kinds.
pub const STRATEGY_KINDS: &[&str] = &[
    "none",
    "random",
    "top_degree",
    "magic_middle",
    "friends_of_random",
    "degree_discount",
    "pagerank",
    "kcore",
    "greedy",
    "ris",
    "explicit",
];
/// Chart stems accepted in `output.charts`.
pub const CHARTS: &[&str] =
    &["reach", "action", "comparison", "distribution", "sentiment", "layers", "network", "budget"];
/// Topics of `womsim list`.
pub const LIST_TOPICS: &[&str] = &["scenario", "networks", "population", "models", "strategies", "output", "uncertain"];

/// The type and allowed range of a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `true` or `false`.
    Bool,
    /// Integer in `[min, max]`.
    Int { min: i64, max: i64 },
    /// Finite number (integer or float) `>= min` (`> min` when `min_open`) and `<= max`.
    Num { min: f64, min_open: bool, max: f64 },
    /// Number strictly between 0 and 1.
    Open01,
    /// Probability in [0, 1].
    Prob,
    /// Fraction in [0, 1].
    Frac,
    /// Any string.
    Str,
    /// A name usable as a folder name: letters, digits, `_`, `-`, `.`.
    Name,
    /// A non-empty string without leading/trailing spaces.
    Label,
    /// One of the listed strings.
    Choice(&'static [&'static str]),
    /// `[lo, hi]`, integers in `[min, max]`.
    IntPair { min: i64, max: i64 },
    /// `[lo, hi]`, numbers in `[min, max]`.
    NumPair { min: f64, max: f64 },
    /// `[width, height]` in pixels, at least `MIN_SIZE`, at most `MAX_SIDE`.
    Size,
    /// List of integers in `[min, max]`.
    IntList { min: i64, max: i64 },
    /// List of finite numbers `> min` (or `>= min`).
    NumList { min: f64, min_open: bool },
    /// List of strings from the given set.
    ChoiceList(&'static [&'static str]),
    /// List of node ids (strings or non-negative integers).
    IdList,
    /// A file path (string), relative to the scenario file.
    Path,
}

fn num(x: f64) -> String {
    if x == f64::INFINITY {
        "∞".into()
    } else {
        format!("{x}")
    }
}

fn int_range(min: i64, max: i64) -> String {
    if max >= i64::from(u32::MAX) {
        format!(">= {min}")
    } else {
        format!("in [{min}, {max}]")
    }
}

fn quoted(list: &[&str]) -> String {
    list.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

impl Ty {
    /// A finite number >= 0.
    pub const NON_NEG: Ty = Ty::Num { min: 0.0, min_open: false, max: f64::INFINITY };
    /// A finite number > 0.
    pub const POS: Ty = Ty::Num { min: 0.0, min_open: true, max: f64::INFINITY };

    /// What is allowed, phrased to follow "must be …" / a value.
    pub fn allowed(&self) -> String {
        match self {
            Ty::Bool => "true or false".into(),
            Ty::Int { min, max } => format!("an integer {}", int_range(*min, *max)),
            Ty::Num { min, min_open, max } => {
                if *max == f64::INFINITY {
                    format!("a number {} {}", if *min_open { ">" } else { ">=" }, num(*min))
                } else {
                    format!("a number in {}{}, {}]", if *min_open { "(" } else { "[" }, num(*min), num(*max))
                }
            }
            Ty::Open01 => "a number in (0, 1)".into(),
            Ty::Prob => "a probability in [0, 1]".into(),
            Ty::Frac => "a fraction in [0, 1]".into(),
            Ty::Str => "a string".into(),
            Ty::Name => format!(
                "a non-empty name of at most {MAX_NAME_CHARS} letters, digits, `_`, `-` or `.` (used as a folder name)"
            ),
            Ty::Label => format!(
                "a non-empty string of at most {MAX_NAME_CHARS} characters, without control characters or leading/trailing spaces"
            ),
            Ty::Choice(c) => format!("one of {}", quoted(c)),
            Ty::IntPair { min, max } => format!("a pair [lo, hi] of integers {}, lo <= hi", int_range(*min, *max)),
            Ty::NumPair { min, max } => {
                format!("a pair [lo, hi] of numbers in [{}, {}], lo <= hi", num(*min), num(*max))
            }
            Ty::Size => format!(
                "a pair [width, height] of pixels, width in [{}, {MAX_SIDE}], height in [{}, {MAX_SIDE}]",
                MIN_SIZE.0, MIN_SIZE.1
            ),
            Ty::IntList { min, max } => format!("a list of integers {}", int_range(*min, *max)),
            Ty::NumList { min, min_open } => {
                format!("a list of numbers {} {}", if *min_open { ">" } else { ">=" }, num(*min))
            }
            Ty::ChoiceList(c) => format!("a list of names from {}", quoted(c)),
            Ty::IdList => "a list of node ids (strings or non-negative integers)".into(),
            Ty::Path => format!(
                "a file path (string, at most {MAX_PATH_BYTES} bytes, no control characters)"
            ),
        }
    }

    /// Short type name for tables.
    pub fn type_name(&self) -> &'static str {
        match self {
            Ty::Bool => "bool",
            Ty::Int { .. } => "integer",
            Ty::Num { .. } | Ty::Open01 => "number",
            Ty::Prob => "probability",
            Ty::Frac => "fraction",
            Ty::Str | Ty::Name | Ty::Label => "string",
            Ty::Choice(_) => "string",
            Ty::IntPair { .. } | Ty::Size => "[int, int]",
            Ty::NumPair { .. } => "[num, num]",
            Ty::IntList { .. } => "[int, ...]",
            Ty::NumList { .. } => "[num, ...]",
            Ty::ChoiceList(_) => "[string, ...]",
            Ty::IdList => "[id, ...]",
            Ty::Path => "path",
        }
    }

    /// Range column for tables (empty when the type says it all).
    pub fn range_text(&self) -> String {
        match self {
            Ty::Bool | Ty::Str | Ty::Path | Ty::IdList => String::new(),
            Ty::Prob | Ty::Frac => "[0, 1]".into(),
            Ty::Open01 => "(0, 1)".into(),
            Ty::Label => "non-empty".into(),
            Ty::Name => "letters, digits, `_`, `-`, `.`".into(),
            Ty::Int { min, max } | Ty::IntPair { min, max } | Ty::IntList { min, max } => int_range(*min, *max),
            Ty::Num { min, min_open, max } => {
                if *max == f64::INFINITY {
                    format!("{} {}", if *min_open { ">" } else { ">=" }, num(*min))
                } else {
                    format!("{}{}, {}]", if *min_open { "(" } else { "[" }, num(*min), num(*max))
                }
            }
            Ty::NumPair { min, max } => format!("[{}, {}], lo <= hi", num(*min), num(*max)),
            Ty::Size => format!("width >= {}, height >= {}, each <= {MAX_SIDE}", MIN_SIZE.0, MIN_SIZE.1),
            Ty::NumList { min, min_open } => format!("each {} {}", if *min_open { ">" } else { ">=" }, num(*min)),
            Ty::Choice(c) | Ty::ChoiceList(c) => quoted(c),
        }
    }
}

/// One key of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// Dotted key relative to its table (`share.good`, `roles.fan.act`).
    pub name: String,
    pub ty: Ty,
    /// Default value; `None` when the default depends on context (see
    /// `default_doc`) or the key is required.
    pub default: Option<Value>,
    /// Text describing a context-dependent default (or absence meaning).
    pub default_doc: Option<&'static str>,
    pub doc: &'static str,
}

impl Key {
    /// Required keys have neither a default nor a default description.
    pub fn required(&self) -> bool {
        self.default.is_none() && self.default_doc.is_none()
    }

    /// Default as shown to users.
    pub fn default_text(&self) -> String {
        match (&self.default_doc, &self.default) {
            (Some(d), _) => (*d).to_string(),
            (None, Some(v)) => value_text(v),
            (None, None) => "required".into(),
        }
    }
}

/// Render a TOML value compactly (as it would appear in a file).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Float(f) => fmt_f64(*f),
        Value::Array(a) => format!("[{}]", a.iter().map(value_text).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

/// Shortest representation of `x` that reads back exactly, valid TOML.
pub fn fmt_f64(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else {
        // `{:?}` is the shortest round-trip form and always has a `.` or an
        // exponent (`1.0`, `0.1`, `1e-6`), all valid TOML floats.
        format!("{x:?}")
    }
}

/// A table (or one kind of a table) and its keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `""` for top-level keys, else `network`, `population`, `model`, `strategy`, `output`.
    pub table: &'static str,
    /// `None` for keys common to every kind of the table.
    pub kind: Option<&'static str>,
    pub doc: &'static str,
    pub keys: Vec<Key>,
}

fn key(name: &str, ty: Ty, default: Option<Value>, doc: &'static str) -> Key {
    Key { name: name.into(), ty, default, default_doc: None, doc }
}

fn key_ctx(name: &str, ty: Ty, default_doc: &'static str, doc: &'static str) -> Key {
    Key { name: name.into(), ty, default: None, default_doc: Some(default_doc), doc }
}

fn f(x: f64) -> Option<Value> {
    Some(Value::Float(x))
}

fn i(x: i64) -> Option<Value> {
    Some(Value::Integer(x))
}

fn s(x: &str) -> Option<Value> {
    Some(Value::String(x.into()))
}

fn b(x: bool) -> Option<Value> {
    Some(Value::Boolean(x))
}

const COUNT1: Ty = Ty::Int { min: 1, max: U32 };
const U32: i64 = u32::MAX as i64;
const NONNEG: Ty = Ty::NON_NEG;
const POS: Ty = Ty::POS;

fn nodes_key(min: i64, max: i64) -> Key {
    key("nodes", Ty::Int { min, max }, None, "number of nodes")
}

fn build() -> Vec<Section> {
    let mut v = Vec::new();

    v.push(Section {
        table: "",
        kind: None,
        doc: "Top-level keys of a scenario file.",
        keys: vec![
            key_ctx("name", Ty::Name, "file name without `.toml`", "scenario name; results go to `output/<name>/`"),
            key("description", Ty::Str, s(""), "free text shown in reports"),
            key("seed", Ty::Int { min: 0, max: i64::MAX }, i(1), "master random seed: same seed, same results"),
            key("replicates", Ty::Int { min: 1, max: 1_000_000 }, i(100), "Monte Carlo replicates per strategy"),
            key("steps", Ty::Int { min: 1, max: 100_000 }, i(30), "time steps per replicate (one step = one period)"),
            key_ctx(
                "budgets",
                Ty::NumList { min: 0.0, min_open: true },
                "none",
                "budget sweep: run every strategy at each budget (people, or cost units for `budget_unit = \"cost\"` strategies)",
            ),
        ],
    });

    // ---- networks
    v.push(Section {
        table: "network",
        kind: None,
        doc: "Where the network comes from: a generator or an edge-list file. Arc u→v means v hears u (v follows u).",
        keys: vec![key("kind", Ty::Choice(NETWORK_KINDS), None, "generator name, or `edge_list` to load a file")],
    });
    let net = |kind, doc, keys| Section { table: "network", kind: Some(kind), doc, keys };
    v.push(net(
        "erdos_renyi",
        "Erdős–Rényi G(n, p) with p = mean_degree / (nodes - 1); undirected.",
        vec![nodes_key(2, MAX_NODES), key("mean_degree", NONNEG, f(10.0), "expected degree; at most nodes - 1")],
    ));
    v.push(net(
        "barabasi_albert",
        "Barabási–Albert preferential attachment; undirected, heavy-tailed degrees.",
        vec![nodes_key(2, MAX_NODES), key("m", COUNT1, i(3), "edges added per new node; less than nodes")],
    ));
    v.push(net(
        "watts_strogatz",
        "Watts–Strogatz small world: ring lattice of degree k, rewired with probability beta; undirected.",
        vec![
            nodes_key(3, MAX_NODES),
            key("k", Ty::Int { min: 2, max: U32 }, i(10), "lattice degree; even, less than nodes"),
            key("beta", Ty::Prob, f(0.1), "rewiring probability"),
        ],
    ));
    v.push(net(
        "sbm",
        "Stochastic block model: a community made of several groups; undirected.",
        vec![
            key("sizes", Ty::IntList { min: 1, max: MAX_NODES }, None, "block sizes (non-empty); nodes = their sum"),
            key("p_in", Ty::Prob, f(0.05), "edge probability inside a block"),
            key("p_out", Ty::Prob, f(0.001), "edge probability between blocks"),
        ],
    ));
    v.push(net(
        "follower",
        "Directed follower graph: each node follows about `follows` accounts chosen by follower count (heavy-tailed follower counts).",
        vec![
            nodes_key(2, MAX_NODES),
            key("follows", COUNT1, i(15), "accounts each node follows; less than nodes"),
            key("reciprocity", Ty::Prob, f(0.2), "probability a followed account follows back"),
        ],
    ));
    v.push(net(
        "configuration",
        "Configuration model with power-law degrees P(k) ∝ k^-exponent on [min_degree, max_degree]; undirected.",
        vec![
            nodes_key(2, MAX_NODES),
            key("exponent", Ty::Num { min: 1.0, min_open: true, max: 10.0 }, f(2.5), "power-law exponent"),
            key("min_degree", COUNT1, i(2), "smallest degree"),
            key("max_degree", COUNT1, i(1000), "largest degree; >= min_degree and less than nodes"),
        ],
    ));
    v.push(net(
        "random_regular",
        "Random regular graph: every node has exactly `degree` neighbours; undirected.",
        vec![
            nodes_key(2, MAX_NODES),
            key("degree", COUNT1, i(4), "degree of every node; less than nodes, nodes × degree even"),
        ],
    ));
    v.push(net("complete", "Complete graph (every pair linked); undirected.", vec![nodes_key(2, MAX_COMPLETE_NODES)]));
    v.push(net("ring", "Ring: each node linked to its two neighbours; undirected.", vec![nodes_key(3, MAX_NODES)]));
    v.push(net(
        "edge_list",
        "Load a network file: an edge list (one `u v [weight]` per line, whitespace or comma separated, `#`/`%` comments), \
         CSV with a header, GraphML, GEXF, GML or Pajek; plain or gzip-compressed. In an edge list a UTF-8 byte order \
         mark is skipped; a first line of column names (`source,target`, `from to`, ...) over any ids, or of two \
         words not starting like numbers over numeric ids, is a header (`validate` says so), never an edge; a first line such as `-1 2` is an edge, so with `ids = \"numeric\"` it is an error. Edges count against the \
         memory limit as they are read.",
        vec![
            key(
                "path",
                Ty::Path,
                None,
                "network file (edge list, CSV, GraphML, GEXF, GML, Pajek; see `format`), relative to the scenario \
                 file (written absolute in resolved files)",
            ),
            key(
                "directed",
                Ty::Bool,
                b(false),
                "read `u v` as u→v only (v follows u); a file that states its direction (GraphML, GEXF, GML, \
                 Pajek, a CSV Type column) decides it, and true on a file that says undirected is an error",
            ),
            key(
                "ids",
                Ty::Choice(EDGE_LIST_IDS),
                s("auto"),
                "node ids: `numeric` (non-negative integers), `names` (any text, even `007`), or `auto` \
                 (numeric if the first edge line is; a later line that does not fit is an error)",
            ),
            key(
                "format",
                Ty::Choice(NETWORK_FORMATS),
                s("auto"),
                "file format; `auto`: by extension (after .gz): .graphml, .gexf, .gml, .net/.paj (Pajek), .csv \
                 (CSV with a source,target[,weight] header), anything else an edge list. A file whose content \
                 says another format is refused",
            ),
            key(
                "normalize_weights",
                Ty::Choice(WEIGHT_NORMS),
                s("none"),
                "weights that are counts (> 1): `per_target` divides each arc's weight by its target's total \
                 (directed networks), `max` by the largest weight; `none`: weights must lie in [0, 1]",
            ),
        ],
    ));

    // ---- population
    v.push(Section {
        table: "population",
        kind: None,
        doc: "Who follows the organization (relationship_chain only). The mix is written as a `[population.mix]` table (or `mix = { … }`).",
        keys: PopulationSpec::keys(),
    });

    // ---- models
    v.push(Section {
        table: "model",
        kind: None,
        doc: "The propagation model. The whole `[model]` table may be left out (relationship_chain with defaults).",
        keys: vec![key("kind", Ty::Choice(MODEL_KINDS), s("relationship_chain"), "model name")],
    });
    let model = |kind, doc, keys| Section { table: "model", kind: Some(kind), doc, keys };
    v.push(model(
        "relationship_chain",
        "Word of mouth by relationship chaining: roles, good/bad experiences, reach vs action, ambassadors, trickle-down.",
        RcParams::keys(),
    ));
    v.push(model(
        "independent_cascade",
        "Independent cascade (Kempe et al. 2003): each new active node gets one chance to activate each listener.",
        IcParams::keys(),
    ));
    v.push(model("ic_n", "IC with negative opinions (Chen et al. 2011).", IcnParams::keys()));
    v.push(model(
        "linear_threshold",
        "Linear threshold: a node activates when the weight of its active sources reaches a uniform random threshold.",
        LtParams::keys(),
    ));
    v.push(model(
        "bass",
        "Network Bass diffusion: adoption hazard p + q × (adopted sources / sources).",
        BassParams::keys(),
    ));
    v.push(model("sir", "Discrete-time SIR epidemic.", SirParams::keys()));

    // ---- strategies
    v.push(Section {
        table: "strategy",
        kind: None,
        doc: "One `[[strategy]]` table per seeding strategy compared (at most 1000); the first is the reference for paired differences.",
        keys: [
            key_ctx("name", Ty::Label, "the kind", "name shown in results; unique"),
            key("kind", Ty::Choice(STRATEGY_KINDS), None, "how seeds (ambassadors) are picked"),
            key_ctx("budget", POS, "10 (explicit: number of nodes listed)", "people to seed (whole number <= nodes), or cost units with budget_unit = \"cost\""),
            key("budget_unit", Ty::Choice(&["people", "cost"]), s("people"), "what `budget` counts"),
            key_ctx("pool", Ty::Choice(&["friends", "everyone"]), "model decides (friends in relationship_chain, everyone otherwise)", "whom seeds are picked from"),
        ]
        .into_iter()
        .chain(CostModel::keys())
        .chain([key_ctx(
            "reseed",
            Ty::Choice(&["per_replicate", "once"]),
            "per_replicate for chance-based picks (random, magic_middle with pick = \"random\", friends_of_random), once otherwise",
            "draw a fresh seed set for every replicate (the CI then includes the luck of the draw) or one set for the whole run (\"these exact people\"); deterministic kinds allow only once",
        )])
        .collect(),
    });
    let strat = |kind, doc, keys| Section { table: "strategy", kind: Some(kind), doc, keys };
    v.push(strat(
        "none",
        "No seeds at all (no budget, cost 0): the no-campaign world as a strategy, e.g. as the reference.",
        vec![],
    ));
    v.push(strat("random", "Uniformly at random from the pool.", vec![]));
    v.push(strat("top_degree", "The \"influencers\": highest follower count first (ties by id).", vec![]));
    v.push(strat(
        "magic_middle",
        "From a follower-count band; give `degree` or `percentile`, not both.",
        vec![
            key_ctx(
                "degree",
                Ty::IntPair { min: 0, max: i64::from(u32::MAX) },
                "[20, 100] unless percentile is given",
                "band of follower counts [lo, hi], inclusive",
            ),
            key_ctx(
                "percentile",
                Ty::NumPair { min: 0.0, max: 100.0 },
                "none",
                "band of follower-count percentiles over the pool [lo, hi]",
            ),
            key(
                "pick",
                Ty::Choice(&["random", "highest"]),
                s("random"),
                "pick randomly within the band or highest first",
            ),
        ],
    ));
    v.push(strat("friends_of_random", "A random neighbour of a random person (friendship paradox).", vec![]));
    v.push(strat(
        "degree_discount",
        "Degree discount heuristic (Chen, Wang & Yang 2009).",
        vec![key_ctx(
            "p",
            Ty::Prob,
            "the model's p (independent_cascade with uniform weights, ic_n), else 0.01",
            "propagation probability assumed by the discount",
        )],
    ));
    v.push(strat(
        "pagerank",
        "Highest PageRank on the who-hears-whom graph.",
        vec![
            key("damping", Ty::Open01, f(0.85), "damping factor"),
            key("tolerance", POS, f(1e-6), "stop when the L1 change is below this"),
            key("max_iter", Ty::Int { min: 1, max: 100_000 }, i(100), "iteration limit"),
        ],
    ));
    v.push(strat("kcore", "Highest k-core number (ties by follower count, then id).", vec![]));
    v.push(strat(
        "greedy",
        "CELF lazy greedy (Leskovec et al. 2007) on the model's own objective, by Monte Carlo; under budget_unit = \"cost\" the better of unit-cost and benefit/cost CELF.",
        vec![
            key(
                "objective",
                Ty::Choice(&["reach", "action", "lift_action"]),
                s("reach"),
                "what to maximize: final reach, final action, or action caused beyond the seeds themselves (acted − seeds)",
            ),
            key("replicates", Ty::Int { min: 1, max: 1_000_000 }, i(100), "Monte Carlo runs per evaluation"),
        ],
    ));
    v.push(strat(
        "ris",
        "Reverse-reachable sets (IMM, Tang et al. 2015) for IC-like spreading.",
        vec![
            key("epsilon", Ty::Open01, f(0.1), "approximation accuracy ε"),
            key("ell", POS, f(1.0), "confidence: success probability 1 - n^-ell"),
        ],
    ));
    v.push(strat(
        "explicit",
        "Given nodes (original ids), inline `nodes` or a `file`, not both; the first `budget` are used.",
        vec![
            key_ctx("nodes", Ty::IdList, "none", "node ids as in the network's original ids"),
            key_ctx(
                "file",
                Ty::Path,
                "none",
                "file of node ids (whitespace/comma separated, `#` comments), relative to the scenario file",
            ),
        ],
    ));

    // ---- output
    v.push(Section { table: "output", kind: None, doc: "Where and what to write.", keys: OutputSpec::keys() });
    v
}

/// The whole schema.
pub fn schema() -> &'static [Section] {
    static SCHEMA: OnceLock<Vec<Section>> = OnceLock::new();
    SCHEMA.get_or_init(build)
}

/// The section for `table` and `kind` (`None` = common keys).
pub fn section(table: &str, kind: Option<&str>) -> Option<&'static Section> {
    schema().iter().find(|s| s.table == table && s.kind == kind)
}

/// Kinds of a table, in schema order.
pub fn kinds(table: &str) -> Vec<&'static str> {
    schema().iter().filter(|s| s.table == table).filter_map(|s| s.kind).collect()
}

fn topic_table(what: &str) -> Option<&'static str> {
    match what.trim().to_ascii_lowercase().as_str() {
        "scenario" | "top" | "top-level" => Some(""),
        "network" | "networks" => Some("network"),
        "population" => Some("population"),
        "model" | "models" => Some("model"),
        "strategy" | "strategies" => Some("strategy"),
        "output" => Some("output"),
        _ => None,
    }
}

fn table_header(table: &str) -> &'static str {
    match table {
        "" => "Top-level keys",
        "network" => "[network]",
        "population" => "[population]",
        "model" => "[model]",
        "strategy" => "[[strategy]]",
        _ => "[output]",
    }
}

/// Plain-text listing of every kind with its keys, types, ranges and
/// defaults, for `womsim list [scenario|networks|population|models|strategies|output|uncertain]`.
/// `None` lists everything. An unknown topic yields one line naming the topics.
pub fn list_text(what: Option<&str>) -> String {
    let tables: Vec<&str> = match what {
        None => vec!["", "network", "population", "model", "strategy", "output"],
        Some(w) if w.trim().eq_ignore_ascii_case("uncertain") => return super::uncertain::list_text(),
        Some(w) => match topic_table(w) {
            Some(t) => vec![t],
            None => return format!("unknown topic `{w}`; choose one of: {}\n", LIST_TOPICS.join(", ")),
        },
    };
    let mut out = String::new();
    for t in tables {
        let _ = writeln!(out, "{}", table_header(t));
        for sec in schema().iter().filter(|s| s.table == t) {
            match sec.kind {
                None => {
                    let _ = writeln!(out, "  {}", sec.doc);
                    if t == "model" || t == "network" || t == "strategy" {
                        let _ = writeln!(out, "  keys of every kind:");
                    }
                }
                Some(k) => {
                    let _ = writeln!(out, "\n  kind = \"{k}\"  {}", sec.doc);
                }
            }
            if sec.keys.is_empty() {
                let _ = writeln!(out, "    (no parameters)");
            }
            let w = sec.keys.iter().map(|k| k.name.len()).max().unwrap_or(0);
            for k in &sec.keys {
                let range = k.ty.range_text();
                let range = if range.is_empty() { String::new() } else { format!(" ({range})") };
                let _ = writeln!(
                    out,
                    "    {:w$}  {}{}; {} — {}",
                    k.name,
                    k.ty.type_name(),
                    range,
                    if k.default.is_none() && k.default_doc.is_none() {
                        "required".to_string()
                    } else {
                        format!("default: {}", k.default_text())
                    },
                    k.doc,
                    w = w
                );
            }
        }
        out.push('\n');
    }
    out
}

/// Markdown reference of every key (the generated part of `scenarios/README.md`).
pub fn reference_markdown() -> String {
    let mut out = String::new();
    for t in ["", "network", "population", "model", "strategy", "output"] {
        let header = if t.is_empty() { table_header(t).to_string() } else { format!("`{}`", table_header(t)) };
        let _ = writeln!(out, "### {header}\n");
        for sec in schema().iter().filter(|s| s.table == t) {
            match sec.kind {
                None => {
                    let _ = writeln!(out, "{}\n", sec.doc);
                }
                Some(k) => {
                    let _ = writeln!(out, "#### `kind = \"{k}\"`\n\n{}\n", sec.doc);
                }
            }
            if sec.keys.is_empty() {
                let _ = writeln!(out, "No parameters.\n");
                continue;
            }
            let _ = writeln!(out, "| key | type | range | default | meaning |\n|---|---|---|---|---|");
            for k in &sec.keys {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {} |",
                    k.name,
                    k.ty.type_name(),
                    k.ty.range_text().replace('|', "\\|"),
                    k.default_text().replace('|', "\\|"),
                    k.doc.replace('|', "\\|")
                );
            }
            out.push('\n');
        }
    }
    out
}
