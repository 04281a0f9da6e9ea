//! The resolved scenario as TOML (every default filled in, but `network.ids`
//! only when not `auto`), and the starter
//! scenario of `womsim new`.

use std::fmt::Write as _;
use std::sync::OnceLock;

use toml::Value;

use super::decl::Declared;
use super::schema::value_text;
use super::{NetworkSource, Scenario};
use crate::graph::edgelist::IdMode;
use crate::graph::formats::WeightNorm;
use crate::graph::generators::GeneratorSpec;
use crate::models::{ModelSpec, RcParams};
use crate::population::PopulationSpec;
use crate::seeding::{Band, Budget, Pick, Pool, StrategyKind};

fn f(x: f64) -> Value {
    Value::Float(x)
}

fn i(x: impl Into<i64>) -> Value {
    Value::Integer(x.into())
}

fn s(x: &str) -> Value {
    Value::String(x.into())
}

fn write_keys(out: &mut String, keys: &[(String, Value)]) {
    for (k, v) in keys {
        let _ = writeln!(out, "{k} = {}", value_text(v));
    }
}

fn kv(k: &str, v: Value) -> (String, Value) {
    (k.to_string(), v)
}

/// Keys of the `[network]` table of `src`.
pub(crate) fn network_keys(src: &NetworkSource) -> Vec<(String, Value)> {
    match src {
        NetworkSource::EdgeList { path, directed, ids, format, normalize } => {
            let mut v = vec![
                kv("kind", s("edge_list")),
                kv("path", s(&path.to_string_lossy())),
                kv("directed", Value::Boolean(*directed)),
            ];
            // Written only when not the default, so that the resolved files
            // of existing scenarios stay byte-identical.
            if *ids != IdMode::Auto {
                v.push(kv("ids", s(ids.name())));
            }
            if let Some(format) = format {
                v.push(kv("format", s(format.name())));
            }
            if *normalize != WeightNorm::None {
                v.push(kv("normalize_weights", s(normalize.name())));
            }
            v
        }
        NetworkSource::Generated(g) => {
            let mut v = vec![kv("kind", s(g.kind()))];
            match g {
                GeneratorSpec::ErdosRenyi { nodes, mean_degree } => {
                    v.extend([kv("nodes", i(*nodes)), kv("mean_degree", f(*mean_degree))])
                }
                GeneratorSpec::BarabasiAlbert { nodes, m } => v.extend([kv("nodes", i(*nodes)), kv("m", i(*m))]),
                GeneratorSpec::WattsStrogatz { nodes, k, beta } => {
                    v.extend([kv("nodes", i(*nodes)), kv("k", i(*k)), kv("beta", f(*beta))])
                }
                GeneratorSpec::Sbm { sizes, p_in, p_out } => v.extend([
                    kv("sizes", Value::Array(sizes.iter().map(|&x| i(x)).collect())),
                    kv("p_in", f(*p_in)),
                    kv("p_out", f(*p_out)),
                ]),
                GeneratorSpec::Follower { nodes, follows, reciprocity } => {
                    v.extend([kv("nodes", i(*nodes)), kv("follows", i(*follows)), kv("reciprocity", f(*reciprocity))])
                }
                GeneratorSpec::Configuration { nodes, exponent, min_degree, max_degree } => v.extend([
                    kv("nodes", i(*nodes)),
                    kv("exponent", f(*exponent)),
                    kv("min_degree", i(*min_degree)),
                    kv("max_degree", i(*max_degree)),
                ]),
                GeneratorSpec::RandomRegular { nodes, degree } => {
                    v.extend([kv("nodes", i(*nodes)), kv("degree", i(*degree))])
                }
                GeneratorSpec::Complete { nodes } | GeneratorSpec::Ring { nodes } => v.push(kv("nodes", i(*nodes))),
            }
            v
        }
    }
}

/// Keys of the `[model]` table of `m`: its kind, then its declared parameters.
pub(crate) fn model_keys(m: &ModelSpec) -> Vec<(String, Value)> {
    let mut v = vec![kv("kind", s(m.kind()))];
    v.extend(match m {
        ModelSpec::RelationshipChain(p) => p.values(),
        ModelSpec::IndependentCascade(p) => p.values(),
        ModelSpec::IcN(p) => p.values(),
        ModelSpec::LinearThreshold(p) => p.values(),
        ModelSpec::Bass(p) => p.values(),
        ModelSpec::Sir(p) => p.values(),
    });
    v
}

/// A sub-table name (`None`: the table itself) and its keys.
type SubTable<T> = (Option<String>, Vec<(String, T)>);

/// Keys grouped by table: first the plain keys (`None`), then, in order of
/// first appearance, one group per first part of the dotted keys, with that
/// part removed (`mix.fan` → `(Some("mix"), fan)`).
fn sub_tables<T: Clone>(keys: &[(String, T)]) -> Vec<SubTable<T>> {
    let mut groups: Vec<SubTable<T>> = vec![(None, Vec::new())];
    for (k, v) in keys {
        let (sub, rest) = match k.split_once('.') {
            Some((sub, rest)) => (Some(sub.to_string()), rest.to_string()),
            None => (None, k.clone()),
        };
        match groups.iter_mut().find(|(s, _)| *s == sub) {
            Some((_, items)) => items.push((rest, v.clone())),
            None => groups.push((sub, vec![(rest, v.clone())])),
        }
    }
    groups
}

/// A table of dotted keys written as `[table]` with its plain keys, then one
/// `[table.sub]` per first part of the dotted ones (`[population.mix]`).
fn write_table(out: &mut String, table: &str, keys: &[(String, Value)]) {
    for (sub, items) in sub_tables(keys) {
        match sub {
            None => {
                let _ = writeln!(out, "\n[{table}]");
            }
            Some(sub) => {
                let _ = writeln!(out, "\n[{table}.{sub}]");
            }
        }
        write_keys(out, &items);
    }
}

impl Scenario {
    /// The scenario as TOML with every default filled in, so the run can be
    /// repeated from it alone: `parse_str(&s.to_resolved_toml(), s.source.as_deref())`
    /// gives back `s`. Edge-list paths are written as the resolved absolute
    /// path (so the file still works when copied into a results folder);
    /// explicit seed files are written inline as `nodes = [...]`. The model
    /// table is written with dotted keys (`share.good = 0.1`). Seeds above
    /// `i64::MAX` cannot be represented in TOML and will not read back.
    pub fn to_resolved_toml(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# womsim resolved scenario: every default filled in.");
        let _ = writeln!(out, "# Re-run with: womsim run <this file>\n");
        let mut top = vec![
            kv("name", s(&self.name)),
            kv("description", s(&self.description)),
            (
                "seed".into(),
                // Out-of-range seeds are written as a number too large for
                // TOML so reading back fails loudly instead of changing seed.
                i64::try_from(self.seed).map(Value::Integer).unwrap_or(Value::Float(self.seed as f64)),
            ),
            kv("replicates", i(self.replicates)),
            kv("steps", i(self.steps)),
        ];
        if !self.budgets.is_empty() {
            top.push(kv("budgets", Value::Array(self.budgets.iter().map(|&b| number(b)).collect())));
        }
        write_keys(&mut out, &top);

        out.push_str("\n[network]\n");
        write_keys(&mut out, &network_keys(&self.network));

        if self.model.has_roles() {
            write_table(&mut out, "population", &self.population.values());
        }

        out.push_str("\n[model]\n");
        write_keys(&mut out, &model_keys(&self.model));

        for st in &self.strategies {
            out.push_str("\n[[strategy]]\n");
            let mut v = vec![kv("name", s(&st.name)), kv("kind", s(st.kind.name()))];
            if st.kind == StrategyKind::None {
                // No seeds: no budget, cost or pool to repeat.
                write_keys(&mut out, &v);
                continue;
            }
            match st.budget {
                Budget::People(n) => v.extend([kv("budget", i(n)), kv("budget_unit", s("people"))]),
                Budget::Cost(c) => v.extend([kv("budget", f(c)), kv("budget_unit", s("cost"))]),
            }
            if let Some(pool) = st.pool {
                v.push(kv("pool", s(if pool == Pool::Friends { "friends" } else { "everyone" })));
            }
            v.extend(st.cost.values());
            v.push(kv("reseed", s(st.reseed.name())));
            match &st.kind {
                StrategyKind::MagicMiddle { band, pick } => {
                    match band {
                        Band::Degree(lo, hi) => v.push(kv("degree", Value::Array(vec![i(*lo), i(*hi)]))),
                        Band::Percentile(lo, hi) => v.push(kv("percentile", Value::Array(vec![f(*lo), f(*hi)]))),
                    }
                    v.push(kv("pick", s(if *pick == Pick::Highest { "highest" } else { "random" })));
                }
                StrategyKind::DegreeDiscount { p } => v.push(kv("p", f(*p))),
                StrategyKind::PageRank { damping, tolerance, max_iter } => {
                    v.extend([kv("damping", f(*damping)), kv("tolerance", f(*tolerance)), kv("max_iter", i(*max_iter))])
                }
                StrategyKind::Greedy { objective, replicates } => {
                    v.extend([kv("objective", s(objective.name())), kv("replicates", i(*replicates))])
                }
                StrategyKind::Ris { epsilon, ell } => v.extend([kv("epsilon", f(*epsilon)), kv("ell", f(*ell))]),
                StrategyKind::Explicit { nodes } => {
                    v.push(kv("nodes", Value::Array(nodes.iter().map(|n| s(n)).collect())))
                }
                StrategyKind::None
                | StrategyKind::Random
                | StrategyKind::TopDegree
                | StrategyKind::FriendsOfRandom
                | StrategyKind::KCore => {}
            }
            write_keys(&mut out, &v);
        }

        out.push_str("\n[output]\n");
        write_keys(&mut out, &self.output.values());
        if let Some(u) = &self.uncertain {
            out.push_str(&u.to_toml());
        }
        out
    }
}

/// Whole numbers as integers (people), others as floats (cost units).
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::Integer(x as i64)
    } else {
        Value::Float(x)
    }
}

/// A commented starter scenario for `womsim new`: validates and runs in a
/// few seconds. The `[population]` and `[model]` keys are the declared
/// parameters marked for the starter ([`super::decl::Param::starter`]), at their
/// defaults.
pub fn starter_toml() -> &'static str {
    static STARTER: OnceLock<String> = OnceLock::new();
    STARTER.get_or_init(|| {
        let mut out = String::from(STARTER_HEAD);
        out.push_str("\n# Who follows the organization, and how they feel about it.\n");
        for (sub, items) in sub_tables(&starter_lines::<PopulationSpec>()) {
            match sub.as_deref() {
                None => out.push_str("[population]\n"),
                Some("mix") => out.push_str(&commented("\n[population.mix]", "fractions of friends; must sum to 1")),
                Some(sub) => out.push_str(&format!("\n[population.{sub}]\n")),
            }
            for (key, (value, comment)) in items {
                out.push_str(&commented(&format!("{key} = {value}"), comment));
            }
        }
        out.push_str("\n# The relationship-chain model; leave a key out to use its default.\n[model]\n");
        out.push_str("kind = \"relationship_chain\"\n");
        for (key, (value, comment)) in starter_lines::<RcParams>() {
            out.push_str(&commented(&format!("{key} = {value}"), comment));
        }
        out.push_str(STARTER_TAIL);
        out
    })
}

/// `line`, then `# comment` at the starter's comment column, then a newline.
fn commented(line: &str, comment: &str) -> String {
    if comment.is_empty() {
        format!("{line}\n")
    } else {
        // Width counted from the line's start (after a leading newline).
        let width = 31 + usize::from(line.starts_with('\n'));
        format!("{line:<width$}# {comment}\n")
    }
}

/// `(key, (default as TOML, comment))` for the keys of `P` marked for the starter.
fn starter_lines<P: Declared>() -> Vec<(String, (String, &'static str))> {
    let d = P::default();
    P::params().into_iter().filter_map(|p| Some((p.key.to_string(), (value_text(&(p.get)(&d)?), p.starter?)))).collect()
}

const STARTER_HEAD: &str = r#"# A womsim scenario: one experiment comparing whom to seed as ambassadors.
# Every key is documented in scenarios/README.md and by `womsim list`.
# Validate with `womsim validate <file>`, run with `womsim run <file>`.

name = "my_scenario"           # results go to output/my_scenario/
description = "Top influencers vs the magic middle vs random friends"
seed = 1                       # same seed => same results
replicates = 100               # Monte Carlo runs per strategy
steps = 30                     # one step = one period (e.g. a day)

# The network: generated here; use kind = "edge_list" with path = "..." for your own data.
[network]
kind = "follower"              # directed, heavy-tailed follower counts
nodes = 3000
follows = 10                   # accounts each person follows
reciprocity = 0.0              # chance a follow is returned; follow-backs let hubs hear
                               # everything and make any news viral (try 0.2)
"#;

const STARTER_TAIL: &str = r#"
# One [[strategy]] per way of picking ambassadors, all with the same budget.
[[strategy]]
name = "influencers"
kind = "top_degree"            # most followers first
budget = 10

[[strategy]]
name = "magic middle"
kind = "magic_middle"
degree = [20, 100]             # follower-count band
budget = 10

[[strategy]]
name = "random friends"
kind = "random"
pool = "friends"
budget = 10

[output]
charts = ["reach", "action", "comparison", "sentiment"]
report = true
"#;
