//! Scenario files: bundled scenarios validate and round-trip; a catalogue of
//! bad inputs each gives an error naming the key (or line); nothing panics.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use womsim::graph::generators::GeneratorSpec;
use womsim::models::{EdgeProb, IcParams, ModelSpec, RcParams};
use womsim::population::PopulationSpec;
use womsim::scenario::decl::Declared;
use womsim::scenario::{self, parse_str, NetworkSource, OutputSpec, ScenarioErrors, Ty};
use womsim::seeding::{Band, Budget, Pick, Pool, StrategyKind};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bundled() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        // Fit files (`womsim fit`) live beside the scenarios but are not scenarios.
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("fit_")))
        .collect();
    v.sort();
    v
}

const MINIMAL: &str = r#"
[network]
kind = "erdos_renyi"
nodes = 100

[[strategy]]
kind = "random"
"#;

/// A valid scenario with `extra` inserted into the given table.
fn with(network: &str, model: &str, strategies: &str) -> String {
    format!("name = \"t\"\n[network]\n{network}\n[model]\n{model}\n{strategies}\n")
}

fn err(text: &str) -> ScenarioErrors {
    match parse_str(text, None) {
        Ok(s) => panic!("expected an error, got {s:#?}"),
        Err(e) => e,
    }
}

fn err_text(text: &str) -> String {
    err(text).to_string()
}

fn assert_has(msg: &str, needle: &str) {
    assert!(msg.contains(needle), "expected {needle:?} in:\n{msg}");
}

// ------------------------------------------------------------ bundled

#[test]
fn every_bundled_scenario_validates() {
    let files = bundled();
    let names: Vec<String> = files.iter().map(|p| p.file_stem().unwrap().to_string_lossy().into_owned()).collect();
    for want in ["magic_middle", "bad_news", "lazy_sharing", "karate_ic", "budget_sweep", "trickle_down"] {
        assert!(names.iter().any(|n| n == want), "scenarios/{want}.toml missing");
    }
    for f in &files {
        let s = scenario::load(f).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.name, f.file_stem().unwrap().to_string_lossy(), "name matches file in {}", f.display());
        assert!(!s.strategies.is_empty());
        assert!(!s.description.is_empty(), "{} has a description", f.display());
        // Keep bundled scenarios quick: ≤ ~20k nodes, ≤ 2000 replicates.
        if let NetworkSource::Generated(g) = &s.network {
            let n = match g {
                GeneratorSpec::Follower { nodes, .. } | GeneratorSpec::BarabasiAlbert { nodes, .. } => *nodes,
                other => panic!("unexpected generator {other:?}"),
            };
            assert!(n <= 20_000);
        }
        assert!(s.replicates <= 2000);
    }
}

#[test]
fn bundled_scenarios_round_trip_through_resolved_toml() {
    let mut texts = vec![];
    for f in bundled() {
        let s = scenario::load(&f).unwrap();
        texts.push((s.to_resolved_toml(), s));
    }
    let starter = parse_str(scenario::starter_toml(), None).unwrap();
    texts.push((starter.to_resolved_toml(), starter));
    for (text, s) in texts {
        let back = parse_str(&text, s.source.as_deref()).unwrap_or_else(|e| panic!("{e}\n---\n{text}"));
        assert_eq!(back, s, "round trip of {}", s.name);
        // Resolved output is a fixed point.
        assert_eq!(back.to_resolved_toml(), text);
        // Read back from a different folder: paths were written absolute.
        let elsewhere = parse_str(&text, Some(Path::new("/nonexistent/dir/x.toml"))).unwrap();
        assert_eq!(elsewhere.network, s.network);
    }
}

#[test]
fn magic_middle_demo_is_what_the_issue_asks() {
    let s = scenario::load(&root().join("scenarios/magic_middle.toml")).unwrap();
    assert!(matches!(s.network, NetworkSource::Generated(GeneratorSpec::Follower { nodes: 10000, .. })));
    assert!(matches!(s.model, ModelSpec::RelationshipChain(_)));
    let kinds: Vec<(&str, Option<Pool>)> = s.strategies.iter().map(|x| (x.kind.name(), x.pool)).collect();
    assert_eq!(
        kinds,
        vec![
            ("top_degree", None),
            ("magic_middle", None),
            ("random", Some(Pool::Friends)),
            ("random", Some(Pool::Everyone))
        ]
    );
    assert!(s.strategies.iter().all(|x| x.budget == Budget::People(20)));
    assert_eq!(s.strategies[1].kind, StrategyKind::MagicMiddle { band: Band::Degree(20, 100), pick: Pick::Random });
}

#[test]
fn edge_list_id_mode_is_parsed_and_written_back() {
    use womsim::graph::edgelist::IdMode;
    let karate = root().join("scenarios/data/karate.edges");
    let text = |ids: &str| {
        format!(
            "[network]\nkind = \"edge_list\"\npath = {:?}\n{ids}\n[[strategy]]\nkind = \"random\"\nbudget = 1\n",
            karate.display()
        )
    };
    for (line, want) in [
        ("", IdMode::Auto),
        ("ids = \"auto\"", IdMode::Auto),
        ("ids = \"numeric\"", IdMode::Numeric),
        ("ids = \"names\"", IdMode::Names),
    ] {
        let s = parse_str(&text(line), None).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert!(matches!(s.network, NetworkSource::EdgeList { ids, .. } if ids == want), "{line}");
        // The resolved file repeats the mode (and leaves out the default, so
        // the resolved files of existing scenarios are unchanged).
        let resolved = s.to_resolved_toml();
        assert_eq!(resolved.contains("ids = "), want != IdMode::Auto, "{resolved}");
        assert_eq!(parse_str(&resolved, None).unwrap(), s);
    }
    let e = parse_str(&text("ids = \"text\""), None).unwrap_err().to_string();
    assert!(e.contains("network.ids = \"text\"") && e.contains("\"auto\", \"numeric\", \"names\""), "{e}");
}

#[test]
fn control_characters_never_reach_the_terminal_raw() {
    // A strategy name with ESC (written as a TOML escape) is refused, and the
    // message shows it escaped; so is a C1 character in an unknown key.
    let text = "[network]\nkind = \"ring\"\nnodes = 5\n[[strategy]]\nkind = \"random\"\nbudget = 1\n\
                name = \"x\\u001b[2Jy\"\n\"k\u{85}\" = 1\n";
    let e = parse_str(text, None).unwrap_err();
    let shown = e.to_string();
    assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{shown:?}");
    assert!(
        shown.contains("strategy[1].name = \"x\\u001B[2Jy\": must be a non-empty string of at most 100 characters, without control"),
        "{shown}"
    );
    assert!(shown.contains("k\\u{85}"), "{shown}");
}

#[cfg(unix)]
#[test]
fn scenario_files_must_be_regular_and_bounded() {
    let e = scenario::load(Path::new("/dev/zero")).unwrap_err().to_string();
    assert!(e.contains("cannot read the scenario file: a character device is not a regular file"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.toml");
    std::fs::write(&p, b"name = \"x\"\ndescription = \"\xff\"\n").unwrap();
    let e = scenario::load(&p).unwrap_err().to_string();
    assert!(e.ends_with("cannot read the scenario file: line 2: the text is not valid UTF-8"), "{e}");
    // A seed-id file goes through the same reader.
    let seeds = dir.path().join("seeds.txt");
    std::fs::write(&seeds, b"1 2\n\xfe\n").unwrap();
    let sc = format!(
        "[network]\nkind = \"ring\"\nnodes = 5\n[[strategy]]\nkind = \"explicit\"\nfile = {:?}\nbudget = 1\n",
        seeds.display()
    );
    let e = parse_str(&sc, None).unwrap_err().to_string();
    assert!(e.contains("line 2: the text is not valid UTF-8"), "{e}");
    // A symbolic-link loop is not "file not found".
    let a = dir.path().join("a.edges");
    let b = dir.path().join("b.edges");
    std::os::unix::fs::symlink(&a, &b).unwrap();
    std::os::unix::fs::symlink(&b, &a).unwrap();
    let sc = format!(
        "[network]\nkind = \"edge_list\"\npath = {:?}\n[[strategy]]\nkind = \"random\"\nbudget = 1\n",
        a.display()
    );
    let e = parse_str(&sc, None).unwrap_err().to_string();
    assert!(e.contains(&format!("network.path = {:?}: cannot read {}: ", a.display(), a.display())), "{e}");
    assert!(!e.contains("not found"), "{e}");
}

#[test]
fn karate_edge_list_resolves_against_the_scenario_file() {
    let s = scenario::load(&root().join("scenarios/karate_ic.toml")).unwrap();
    match &s.network {
        NetworkSource::EdgeList { path, directed, .. } => {
            assert!(path.is_absolute() && path.is_file(), "{}", path.display());
            assert!(path.ends_with("scenarios/data/karate.edges"));
            assert!(!directed);
        }
        other => panic!("{other:?}"),
    }
    let lines = std::fs::read_to_string(root().join("scenarios/data/karate.edges")).unwrap();
    assert_eq!(lines.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).count(), 78);
    assert_eq!(s.model, ModelSpec::IndependentCascade(IcParams { prob: EdgeProb::Uniform(0.1) }));
    // degree_discount's p defaults to the model's p.
    assert!(s.strategies.iter().any(|x| x.kind == StrategyKind::DegreeDiscount { p: 0.1 }));
    assert!(s
        .strategies
        .iter()
        .any(|x| x.kind == StrategyKind::Explicit { nodes: vec!["1".into(), "34".into()] }
            && x.budget == Budget::People(2)));
    let edges = root().join("scenarios/data/karate.edges").canonicalize().unwrap();
    assert_eq!(s.inputs, vec![root().join("scenarios/karate_ic.toml"), edges]);
    assert_eq!(
        parse_str("[network]\nkind = \"ring\"\nnodes = 5\n[[strategy]]\nkind = \"random\"\nbudget = 1\n", None)
            .unwrap()
            .inputs,
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn budget_sweep_and_bad_news_pair() {
    let s = scenario::load(&root().join("scenarios/budget_sweep.toml")).unwrap();
    assert_eq!(s.budgets, vec![5.0, 10.0, 20.0, 50.0]);
    let at = s.strategies_at_budget(50.0);
    assert!(at.iter().all(|x| x.budget == Budget::People(50)));
    assert_eq!(
        at.iter().map(|x| &x.name).collect::<Vec<_>>(),
        s.strategies.iter().map(|x| &x.name).collect::<Vec<_>>()
    );
    let a = scenario::load(&root().join("scenarios/bad_news.toml")).unwrap();
    let b = scenario::load(&root().join("scenarios/bad_news_no_defense.toml")).unwrap();
    // The twins differ only in defense (and name/description).
    let (ModelSpec::RelationshipChain(pa), ModelSpec::RelationshipChain(pb)) = (&a.model, &b.model) else { panic!() };
    assert_eq!((pa.defense, pb.defense), (0.9, 0.0));
    assert_eq!(RcParams { defense: 0.0, ..pa.clone() }, *pb);
    assert_eq!((a.network.clone(), a.strategies.clone(), a.seed), (b.network.clone(), b.strategies.clone(), b.seed));
    let t = scenario::load(&root().join("scenarios/trickle_down.toml")).unwrap();
    let ModelSpec::RelationshipChain(pt) = &t.model else { panic!() };
    assert!(pt.trickle.recruit_rate > 0.0 && pt.trickle.recruit_cap > 0);
}

// ------------------------------------------------------------ defaults

#[test]
fn defaults_are_filled_in() {
    let s = parse_str(MINIMAL, None).unwrap();
    assert_eq!(s.name, "scenario");
    assert_eq!((s.seed, s.replicates, s.steps), (1, 100, 30));
    assert_eq!(s.model, ModelSpec::RelationshipChain(RcParams::default()));
    assert_eq!(s.population, PopulationSpec::default());
    assert_eq!(s.output, OutputSpec::default());
    assert!(s.budgets.is_empty());
    let st = &s.strategies[0];
    assert_eq!((st.name.as_str(), st.pool, st.budget), ("random", None, Budget::People(10)));
    assert_eq!(st.cost, womsim::seeding::CostModel::default());
    assert_eq!(s.network, NetworkSource::Generated(GeneratorSpec::ErdosRenyi { nodes: 100, mean_degree: 10.0 }));
}

#[test]
fn name_defaults_to_the_file_stem() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("my experiment.toml");
    std::fs::write(&p, MINIMAL).unwrap();
    let s = scenario::load(&p).unwrap();
    assert_eq!(s.name, "my_experiment");
    assert_eq!(s.source.as_deref(), Some(p.as_path()));
}

/// Every schema default equals what resolution produces (and so the structs'
/// Default impls), for every model kind, checked through the resolved TOML.
#[test]
fn schema_defaults_match_resolution() {
    for kind in scenario::schema::MODEL_KINDS {
        let text = format!("{MINIMAL}\n[model]\nkind = \"{kind}\"\n");
        let s = parse_str(&text, None).unwrap_or_else(|e| panic!("{kind}: {e}"));
        // Not circular: the parameter structs' own Default impls.
        let expected = match *kind {
            "relationship_chain" => ModelSpec::RelationshipChain(RcParams::default()),
            "independent_cascade" => ModelSpec::IndependentCascade(IcParams::default()),
            "ic_n" => ModelSpec::IcN(womsim::models::IcnParams::default()),
            "linear_threshold" => ModelSpec::LinearThreshold(womsim::models::LtParams::default()),
            "bass" => ModelSpec::Bass(womsim::models::BassParams::default()),
            "sir" => ModelSpec::Sir(womsim::models::SirParams::default()),
            other => panic!("new model kind {other}: add it here"),
        };
        assert_eq!(s.model, expected);
        let resolved: toml::Table = s.to_resolved_toml().parse().unwrap();
        let model = resolved["model"].as_table().unwrap();
        let sec = scenario::schema::section("model", Some(kind)).unwrap();
        for k in &sec.keys {
            let Some(default) = &k.default else { continue };
            let mut v: &toml::Value = &resolved["model"];
            for part in k.name.split('.') {
                v = v.as_table().unwrap().get(part).unwrap_or_else(|| panic!("model.{} missing in {model:?}", k.name));
            }
            assert_eq!(v, default, "default of model.{} ({kind})", k.name);
        }
    }
    // Network and strategy kinds.
    fn lookup<'a>(mut v: &'a toml::Value, path: &str) -> &'a toml::Value {
        for part in path.split('.') {
            v = v.as_table().unwrap().get(part).unwrap_or_else(|| panic!("{path} missing"));
        }
        v
    }
    for kind in scenario::schema::kinds("network") {
        if kind == "edge_list" {
            continue;
        }
        let net = if kind == "sbm" { "sizes = [50, 50]".to_string() } else { "nodes = 2000".to_string() };
        let s = parse_str(&format!("[network]\nkind = \"{kind}\"\n{net}\n[[strategy]]\nkind = \"random\"\n"), None)
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        let resolved = toml::Value::Table(s.to_resolved_toml().parse().unwrap());
        for k in &scenario::schema::section("network", Some(kind)).unwrap().keys {
            if let Some(d) = &k.default {
                assert_eq!(lookup(&resolved, &format!("network.{}", k.name)), d, "network.{} ({kind})", k.name);
            }
        }
    }
    for kind in scenario::schema::kinds("strategy") {
        // explicit needs nodes; none has no seeds, so none of the common keys.
        if kind == "explicit" || kind == "none" {
            continue;
        }
        let s = parse_str(&format!("[network]\nkind = \"ring\"\nnodes = 100\n[[strategy]]\nkind = \"{kind}\"\n"), None)
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        let resolved = toml::Value::Table(s.to_resolved_toml().parse().unwrap());
        let strat = &resolved["strategy"].as_array().unwrap()[0];
        let common = scenario::schema::section("strategy", None).unwrap();
        for k in common.keys.iter().chain(&scenario::schema::section("strategy", Some(kind)).unwrap().keys) {
            if let Some(d) = &k.default {
                assert_eq!(lookup(strat, &k.name), d, "strategy.{} ({kind})", k.name);
            }
        }
    }
    // Top level, population, output and strategy defaults.
    let s = parse_str(MINIMAL, None).unwrap();
    let resolved: toml::Table = s.to_resolved_toml().parse().unwrap();
    for (table, kind) in [("", None), ("population", None), ("output", None)] {
        let sec = scenario::schema::section(table, kind).unwrap();
        for k in &sec.keys {
            let Some(default) = &k.default else { continue };
            let mut v: &toml::Value = &toml::Value::Table(resolved.clone());
            for part in table.split('.').filter(|p| !p.is_empty()).chain(k.name.split('.')) {
                v = v.as_table().unwrap().get(part).unwrap_or_else(|| panic!("{table}.{} missing", k.name));
            }
            assert_eq!(v, default, "default of {table}.{}", k.name);
        }
    }
}

#[test]
fn starter_validates_and_is_commented() {
    let s = parse_str(scenario::starter_toml(), None).unwrap();
    assert!(s.strategies.len() >= 3);
    assert!(scenario::starter_toml().lines().filter(|l| l.contains('#')).count() > 10);
    if let NetworkSource::Generated(GeneratorSpec::Follower { nodes, .. }) = s.network {
        assert!(nodes <= 5000, "starter runs quickly");
    } else {
        panic!("starter uses a generated follower network");
    }
}

// ------------------------------------------------------------ catalogue of bad inputs

#[test]
fn malformed_toml_reports_line_and_column() {
    let e = err("name = \"x\"\nseed = = 3\n");
    assert_eq!(e.problems[0].line, Some(2));
    assert!(e.problems[0].column.is_some());
    let msg = e.to_string();
    assert_has(&msg, "<scenario>:2:");
    assert_has(&msg, "TOML syntax error");
    // Unterminated string, duplicate key.
    assert_eq!(err("[network]\nkind = \"ring\nnodes = 5\n").problems[0].line, Some(2));
    let dup = err("seed = 1\nseed = 2\n");
    assert_eq!(dup.problems[0].line, Some(2), "{dup}");
}

#[test]
fn unknown_keys_get_a_hint() {
    let msg = err_text(&with("kind = \"ring\"\nnodes = 10", "share.godo = 0.1", "[[strategy]]\nkind = \"random\""));
    assert_has(&msg, "model.share.godo: unknown key for kind \"relationship_chain\"; did you mean `share.good`?");
    let msg = err_text(&format!("{MINIMAL}\n[modle]\nkind = \"sir\"\n"));
    assert_has(&msg, "modle: unknown table; did you mean `model`?");
    let msg = err_text(&format!("replicate = 5\n{MINIMAL}"));
    assert_has(&msg, "replicate: unknown key; did you mean `replicates`?");
    // Key of another kind: the allowed keys are listed.
    let msg = err_text(
        "[network]\nkind = \"barabasi_albert\"\nnodes = 100\nmean_degree = 4\n[[strategy]]\nkind = \"random\"\n",
    );
    assert_has(&msg, "network.mean_degree: unknown key for kind \"barabasi_albert\"; allowed: kind, nodes, m");
    // Unknown kind with a hint.
    let msg = err_text("[network]\nkind = \"barabasi\"\nnodes = 100\n[[strategy]]\nkind = \"random\"\n");
    assert_has(&msg, "network.kind = \"barabasi\": must be one of");
    assert_has(&msg, "did you mean \"barabasi_albert\"?");
    let msg = err_text(&format!("{MINIMAL}\n[[strategy]]\nname = \"x\"\nkind = \"topdegree\"\n"));
    assert_has(&msg, "strategy[2].kind = \"topdegree\"");
    assert_has(&msg, "did you mean \"top_degree\"?");
}

#[test]
fn probability_out_of_range_names_key_value_and_range() {
    let text = with("kind = \"ring\"\nnodes = 10", "share.bad = 1.4", "[[strategy]]\nkind = \"random\"\nbudget = 2");
    let e = err(&text);
    assert_eq!(e.problems.len(), 1, "{e}");
    assert_eq!(e.problems[0].to_string(), "model.share.bad = 1.4: must be a probability in [0, 1]");
    assert_eq!(e.problems[0].line, Some(6));
    assert_eq!(e.to_string(), "<scenario>:6: model.share.bad = 1.4: must be a probability in [0, 1]");
    // Strings and NaN are not probabilities either.
    assert_has(&err_text(&text.replace("1.4", "\"high\"")), "model.share.bad = \"high\": must be a probability");
    assert_has(&err_text(&text.replace("1.4", "nan")), "model.share.bad = nan: must be a probability");
}

#[test]
fn negative_and_zero_counts() {
    let msg = err_text("[network]\nkind = \"ring\"\nnodes = -5\n[[strategy]]\nkind = \"random\"\n");
    assert_has(&msg, "network.nodes = -5: must be an integer in [3, 50000000]");
    let msg = err_text(&format!("replicates = 0\nsteps = -1\n{MINIMAL}"));
    assert_has(&msg, "replicates = 0: must be an integer in [1, 1000000]");
    assert_has(&msg, "steps = -1: must be an integer in [1, 100000]");
    let msg = err_text(&format!("{MINIMAL}budget = -3\n"));
    assert_has(&msg, "strategy[1].budget = -3: must be a number > 0");
    let msg = err_text(&format!("{MINIMAL}budget = 2.5\n"));
    assert_has(&msg, "strategy[1].budget = 2.5: must be a whole number of people");
    let msg =
        err_text(&with("kind = \"ring\"\nnodes = 10", "talk.bad = 0", "[[strategy]]\nkind = \"random\"\nbudget = 2"));
    assert_has(&msg, "model.talk.bad = 0: must be an integer in [1, 100000]");
}

#[test]
fn budget_exceeding_nodes() {
    let msg = err_text(&format!("{MINIMAL}budget = 101\n"));
    assert_has(&msg, "strategy[1].budget = 101: exceeds the network's 100 nodes");
    let sbm = "[network]\nkind = \"sbm\"\nsizes = [10, 20]\n[[strategy]]\nkind = \"random\"\nbudget = 31\n";
    assert_has(&err_text(sbm), "exceeds the network's 30 nodes");
    let msg = err_text(&format!("budgets = [5, 500]\n{MINIMAL}"));
    assert_has(&msg, "budgets = [5, 500]: 500 exceeds the network's 100 nodes");
    let msg = err_text(&format!("budgets = [5, 7.5]\n{MINIMAL}"));
    assert_has(&msg, "budgets = [5, 7.5]: 7.5 is not a whole number of people");
    let msg = err_text(&format!("budgets = []\n{MINIMAL}"));
    assert_has(&msg, "budgets = []: must list at least one budget");
}

#[test]
fn missing_edge_list_file_and_relative_resolution() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.toml");
    let text = "[network]\nkind = \"edge_list\"\npath = \"nope.edges\"\n[model]\nkind = \"independent_cascade\"\n[[strategy]]\nkind = \"random\"\n";
    std::fs::write(&p, text).unwrap();
    let e = scenario::load(&p).unwrap_err();
    let msg = e.to_string();
    assert_has(&msg, &format!("{}:3: network.path = \"nope.edges\": file not found", p.display()));
    assert_has(&msg, &dir.path().join("nope.edges").display().to_string());
    // Created next to the scenario file: found, stored absolute.
    std::fs::write(dir.path().join("nope.edges"), "1 2\n").unwrap();
    let s = scenario::load(&p).unwrap();
    assert_eq!(
        s.network,
        NetworkSource::EdgeList {
            path: dir.path().join("nope.edges").canonicalize().unwrap(),
            directed: false,
            ids: Default::default(),
            format: None,
            normalize: Default::default()
        }
    );
    // Missing path key.
    let msg = err_text("[network]\nkind = \"edge_list\"\n[[strategy]]\nkind = \"random\"\n");
    assert_has(&msg, "network.path: missing; required");
    // Unreadable scenario file.
    let e = scenario::load(&dir.path().join("absent.toml")).unwrap_err();
    assert_has(&e.to_string(), "cannot read the scenario file");
}

#[test]
fn duplicate_strategy_names() {
    let text = format!("{MINIMAL}\n[[strategy]]\nkind = \"random\"\npool = \"everyone\"\n");
    let e = err(&text);
    assert_has(&e.to_string(), "strategy[2].name = \"random\": duplicate strategy name (also strategy[1])");
    // The name was defaulted, so the line is the `[[strategy]]` header's.
    assert_eq!(e.problems[0].line, Some(9));
}

#[test]
fn missing_or_empty_strategies() {
    let net = "[network]\nkind = \"ring\"\nnodes = 10\n";
    assert_has(&err_text(net), "strategy: no strategies: add at least one [[strategy]]");
    assert_has(&err_text(&format!("strategy = []\n{net}")), "strategy: no strategies");
    assert_has(&err_text(&format!("{net}[strategy]\nkind = \"random\"\n")), "strategy: must be an array of tables");
    assert_has(&err_text(&format!("{net}[[strategy]]\nname = \"x\"\n")), "strategy[1].kind: missing; required: one of");
    assert_has(&err_text("[[strategy]]\nkind = \"random\"\n"), "network: missing; add a [network] table");
}

#[test]
fn mix_must_sum_to_one() {
    let text =
        format!("{MINIMAL}\n[population]\nfriends = 0.3\n[population.mix]\nmild = 0.5\nfan = 0.3\ndetractor = 0.1\n");
    let msg = err_text(&text);
    assert_has(&msg, "population.mix: mild + fan + detractor = 0.5 + 0.3 + 0.1 = 0.9: must sum to 1");
    // Inline table, exact sum within tolerance.
    let ok = format!("{MINIMAL}\n[population]\nmix = {{ mild = 0.7, fan = 0.2, detractor = 0.1 }}\n");
    let s = parse_str(&ok, None).unwrap();
    assert_eq!((s.population.mild, s.population.fan, s.population.detractor), (0.7, 0.2, 0.1));
    // Out-of-range member reported once, not again as a bad sum.
    let e = err(&format!("{MINIMAL}\n[population]\nfriends = 2\nmix.fan = -0.1\n"));
    assert_eq!(e.problems.len(), 2, "{e}");
    assert_has(&e.to_string(), "population.friends = 2: must be a fraction in [0, 1]");
}

#[test]
fn many_problems_are_reported_together_in_line_order() {
    let text = r#"
replicates = 0
[network]
kind = "follower"
nodes = 1000
follows = 2000
[model]
share.bad = 1.4
defence = 0.5
[[strategy]]
name = "a"
kind = "magic_middle"
degree = [100, 20]
[[strategy]]
name = "a"
kind = "explicit"
nodes = []
"#;
    let e = err(text);
    let msg = e.to_string();
    for needle in [
        "<scenario>:2: replicates = 0",
        "<scenario>:6: network.follows = 2000: must be at least 1 and less than nodes = 1000",
        "<scenario>:8: model.share.bad = 1.4",
        "<scenario>:9: model.defence: unknown key for kind \"relationship_chain\"; did you mean `defense`?",
        "<scenario>:13: strategy[1].degree = [100, 20]: must be a pair [lo, hi] of integers",
        "<scenario>:15: strategy[2].name = \"a\": duplicate",
        "<scenario>:17: strategy[2].nodes = []: must list at least one node id",
    ] {
        assert_has(&msg, needle);
    }
    assert_eq!(msg.lines().count(), e.problems.len());
    let lines: Vec<usize> = e.problems.iter().map(|p| p.line.unwrap()).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
}

#[test]
fn network_cross_checks() {
    let strat = "[[strategy]]\nkind = \"random\"\nbudget = 1\n";
    let cases = [
        (
            "kind = \"erdos_renyi\"\nnodes = 10\nmean_degree = 12",
            "network.mean_degree = 12: must be in [0, nodes - 1 = 9]",
        ),
        ("kind = \"watts_strogatz\"\nnodes = 10\nk = 3", "network.k = 3: must be even"),
        ("kind = \"random_regular\"\nnodes = 11\ndegree = 3", "network.degree = 3: nodes × degree must be even"),
        (
            "kind = \"configuration\"\nnodes = 100\nmin_degree = 5\nmax_degree = 3",
            "network.max_degree = 3: must be at least min_degree = 5",
        ),
        ("kind = \"barabasi_albert\"\nnodes = 5\nm = 5", "network.m = 5: must be at least 1 and less than nodes = 5"),
        ("kind = \"complete\"\nnodes = 20000", "network.complete"),
        ("kind = \"sbm\"\nsizes = []", "network.sizes = []: needs at least one block"),
        ("kind = \"sbm\"\nsizes = [10, 0]", "network.sizes = [10, 0]: must be a list of integers in [1, 50000000]"),
        ("kind = \"ring\"", "network.nodes: missing; required: an integer in [3, 50000000]"),
        ("kind = 3\nnodes = 3", "network.kind = 3: must be one of \"erdos_renyi\""),
        ("kind = \"edge_list\"\npath = \"x\"\ndirected = \"yes\"", "network.directed = \"yes\": must be true or false"),
    ];
    for (net, needle) in cases {
        let msg = err_text(&format!("[network]\n{net}\n{strat}"));
        if needle == "network.complete" {
            assert_has(&msg, "network.nodes = 20000: must be an integer in [2, 10000]");
        } else {
            assert_has(&msg, needle);
        }
    }
    let msg = err_text(&format!("network = 5\n{strat}"));
    assert_has(&msg, "network = 5: must be a table");
    // The generator's own checks, reported at validation with the key's line,
    // next to the other problems of the table (all at once).
    let e = err(&format!("[network]\nkind = \"follower\"\nnodes = 1000\nfollows = 2000\nreciprocity = 2\n{strat}"));
    assert_eq!(e.problems.len(), 2, "{e}");
    assert_has(&e.to_string(), "<scenario>:4: network.follows = 2000: must be at least 1 and less than nodes = 1000");
    assert_has(&e.to_string(), "<scenario>:5: network.reciprocity = 2: must be a probability in [0, 1]");
    let odd = "kind = \"configuration\"\nnodes = 101\nmin_degree = 3\nmax_degree = 3";
    assert_has(
        &err_text(&format!("[network]\n{odd}\n{strat}")),
        "network.min_degree = network.max_degree = 3: nodes × degree must be even",
    );
    // An invalid key is reported once, not again by the generator's checks at its default.
    let e = err(&format!("[network]\nkind = \"barabasi_albert\"\nnodes = 3\nm = 0\n{strat}"));
    assert_eq!(e.problems.len(), 1, "{e}");
    // Every generated network that validates is built.
    for kind in scenario::schema::kinds("network").into_iter().filter(|k| *k != "edge_list") {
        let net = match kind {
            "sbm" => "sizes = [30, 30]",
            "configuration" => "nodes = 60\nmax_degree = 20", // the default 1000 needs more nodes
            _ => "nodes = 60",
        };
        let s = parse_str(&format!("[network]\nkind = \"{kind}\"\n{net}\n{strat}"), None).unwrap();
        let NetworkSource::Generated(g) = &s.network else { panic!() };
        womsim::graph::generators::generate(g, 1).unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
}

#[test]
fn strategy_cross_checks() {
    let rc = "[network]\nkind = \"ring\"\nnodes = 50\n";
    let ic = "[network]\nkind = \"ring\"\nnodes = 50\n[model]\nkind = \"independent_cascade\"\n";
    let cases = [
        (
            rc,
            "kind = \"magic_middle\"\ndegree = [5, 10]\npercentile = [10, 20]",
            "strategy[1].percentile = [10, 20]: give either `degree` or `percentile`, not both",
        ),
        (
            rc,
            "kind = \"magic_middle\"\npercentile = [50, 120]",
            "strategy[1].percentile = [50, 120]: must be a pair [lo, hi] of numbers in [0, 100]",
        ),
        (
            rc,
            "kind = \"magic_middle\"\npick = \"best\"",
            "strategy[1].pick = \"best\": must be one of \"random\", \"highest\"",
        ),
        (rc, "kind = \"explicit\"", "strategy[1].nodes: missing: an explicit strategy needs"),
        (rc, "kind = \"explicit\"\nnodes = [1, 1]", "strategy[1].nodes = [1, 1]: node id \"1\" is listed twice"),
        (rc, "kind = \"explicit\"\nnodes = [1, 2]\nbudget = 3", "strategy[1].budget = 3: exceeds the 2 nodes listed"),
        (
            rc,
            "kind = \"explicit\"\nnodes = [1]\nfile = \"f\"",
            "strategy[1].file = \"f\": give either `nodes` or `file`, not both",
        ),
        (
            rc,
            "kind = \"explicit\"\nfile = \"no_such_seeds.txt\"",
            "strategy[1].file = \"no_such_seeds.txt\": file not found",
        ),
        (
            rc,
            "kind = \"random\"\nbudget_unit = \"cost\"",
            "strategy[1].budget: missing: budget_unit = \"cost\" needs a budget",
        ),
        (
            rc,
            "kind = \"random\"\nbudget_unit = \"cost\"\nbudget = 5\ncost.base = 0",
            "strategy[1].cost.base = 0.0: must be > 0 when budget_unit = \"cost\"",
        ),
        (rc, "kind = \"random\"\nname = \"\"", "strategy[1].name = \"\": must be a non-empty string"),
        (
            rc,
            "kind = \"random\"\nbudgets = [1, 2]",
            "strategy[1].budgets: unknown key: `budgets` (a budget sweep) is a top-level key",
        ),
        (rc, "kind = \"pagerank\"\ndamping = 1.5", "strategy[1].damping = 1.5: must be a number in (0, 1)"),
        (rc, "kind = \"ris\"\nepsilon = 1", "strategy[1].epsilon = 1: must be a number in (0, 1)"),
        (rc, "kind = \"greedy\"\nobjective = \"acton\"", "did you mean \"action\"?"),
        (
            ic,
            "kind = \"random\"\npool = \"friends\"",
            "strategy[1].pool = \"friends\": the independent_cascade model has no friends",
        ),
        (rc, "kind = \"random\"\ncost = 3", "strategy[1].cost: must be a table with keys cost.base, cost.per_follower"),
    ];
    for (head, strat, needle) in cases {
        let msg = err_text(&format!("{head}[[strategy]]\n{strat}\n"));
        assert_has(&msg, needle);
    }
}

#[test]
fn explicit_seed_file_is_read_relative_to_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("seeds.txt"), "# hubs\n3, 7\n11 # trailing\n\n").unwrap();
    let p = dir.path().join("s.toml");
    std::fs::write(
        &p,
        "[network]\nkind = \"ring\"\nnodes = 20\n[[strategy]]\nkind = \"explicit\"\nfile = \"seeds.txt\"\n",
    )
    .unwrap();
    let s = scenario::load(&p).unwrap();
    assert_eq!(s.strategies[0].kind, StrategyKind::Explicit { nodes: vec!["3".into(), "7".into(), "11".into()] });
    assert_eq!(s.strategies[0].budget, Budget::People(3));
    // Every file read is an input (for manifest.json), the scenario first.
    let seeds = dir.path().join("seeds.txt").canonicalize().unwrap();
    assert_eq!(s.inputs, vec![p.clone(), seeds]);
    // Resolved form writes the ids inline and reads back the same (equality
    // ignores `inputs`: the read-back form no longer reads the seed file).
    let back = parse_str(&s.to_resolved_toml(), Some(&p)).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.inputs, vec![p.clone()]);
    std::fs::write(dir.path().join("seeds.txt"), "# nothing\n").unwrap();
    assert_has(
        &scenario::load(&p).unwrap_err().to_string(),
        "strategy[1].file = \"seeds.txt\": the file lists no node ids",
    );
}

#[test]
fn model_cross_checks() {
    let net = "kind = \"ring\"\nnodes = 10";
    let st = "[[strategy]]\nkind = \"random\"\nbudget = 1";
    let msg = err_text(&with(net, "kind = \"independent_cascade\"\nweights = \"edge\"", st));
    assert_has(&msg, "model.weights = \"edge\": needs the weight column of an edge list");
    let msg = err_text(&with(net, "kind = \"independent_cascade\"\nweights = \"inverse_in_degree\"\np = 0.2", st));
    assert_has(&msg, "model.p = 0.2: only used with weights = \"uniform\"");
    let msg = err_text(&with(net, "kind = \"linear_threshold\"\nweight = 0.2", st));
    assert_has(&msg, "model.weight = 0.2: only used with weights = \"uniform\" (weights = \"inverse_in_degree\")");
    let msg = err_text(&with(net, "trickle.recruit_rate = 0.1", st));
    assert_has(&msg, "model.trickle.recruit_cap = 0: recruitment is off");
    let msg = err_text(
        &with(net, "kind = \"bass\"\ndt = 0", st)
            .replace("kind = \"random\"", "kind = \"random\"\npool = \"everyone\""),
    );
    assert_has(&msg, "model.dt = 0: must be a number > 0");
    let msg = err_text(&format!("{}\n[population]\nfriends = 0.5\n", with(net, "kind = \"sir\"", st)));
    assert_has(&msg, "population: only the relationship_chain model has friends");
    let msg = err_text(&with(net, "roles.fan.share = -1\nroles.hero.share = 2", st));
    assert_has(&msg, "model.roles.fan.share = -1: must be a number >= 0");
    assert_has(&msg, "model.roles.hero.share: unknown key");
    // Valid classic models resolve to their specs.
    let s =
        parse_str(&with(net, "kind = \"linear_threshold\"\nweights = \"uniform\"\nweight = 0.25", st), None).unwrap();
    assert_eq!(s.model, ModelSpec::LinearThreshold(womsim::models::LtParams { weights: EdgeProb::Uniform(0.25) }));
}

#[test]
fn top_level_and_output_checks() {
    let msg = err_text(&format!("name = \"a/b\"\n{MINIMAL}"));
    assert_has(&msg, "name = \"a/b\": must be a non-empty name");
    let msg = err_text(&format!("seed = -1\n{MINIMAL}"));
    assert_has(&msg, "seed = -1: must be an integer >= 0");
    let msg = err_text(&format!("{MINIMAL}\n[output]\nsize = [100, 100]\ncharts = [\"reach\", \"pie\"]\nreport = 1\n"));
    assert_has(&msg, "output.size = [100, 100]: must be a pair [width, height] of pixels");
    assert_has(&msg, "output.charts = [\"reach\", \"pie\"]: must be a list of names from");
    assert_has(&msg, "output.report = 1: must be true or false");
    let s = parse_str(&format!("{MINIMAL}\n[output]\ndir = \"res/x\"\nsize = [800, 600]\n"), None).unwrap();
    assert_eq!((s.output.dir.clone(), s.output.size), (Some(PathBuf::from("res/x")), (800, 600)));
    assert_eq!(parse_str(&s.to_resolved_toml(), None).unwrap(), s);
}

#[test]
fn errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.toml");
    std::fs::write(&p, format!("{MINIMAL}budget = 0\n")).unwrap();
    let e = scenario::load(&p).unwrap_err();
    assert_eq!(e.to_string(), format!("{}:8: strategy[1].budget = 0: must be a number > 0", p.display()));
    let _: &dyn std::error::Error = &e;
}

// ------------------------------------------------------------ schema, list, README

#[test]
fn list_text_covers_every_kind_and_key() {
    let all = scenario::list_text(None);
    for sec in scenario::schema() {
        if let Some(k) = sec.kind {
            assert_has(&all, &format!("kind = \"{k}\""));
        }
        for key in &sec.keys {
            assert_has(&all, &format!("    {}", key.name));
        }
    }
    let models = scenario::list_text(Some("models"));
    assert_has(&models, "kind = \"bass\"");
    assert_has(&models, "share.bad");
    assert_has(&models, "probability ([0, 1]); default: 0.2 — ");
    assert_has(&models, "p        probability ([0, 1]); default: 0.1 — arc probability");
    assert!(!models.contains("barabasi_albert"));
    assert_has(&scenario::list_text(Some("strategies")), "kind = \"magic_middle\"");
    let networks = scenario::list_text(Some("networks"));
    assert_has(&networks, "kind = \"watts_strogatz\"");
    assert_has(&networks, "nodes  integer (in [3, 50000000]); required — number of nodes");
    for t in scenario::LIST_TOPICS {
        assert!(!scenario::list_text(Some(t)).starts_with("unknown topic"), "{t}");
    }
    assert_has(&scenario::list_text(Some("colours")), "unknown topic `colours`");
}

#[test]
fn readme_holds_the_generated_reference() {
    let readme = std::fs::read_to_string(root().join("scenarios/README.md")).unwrap();
    let reference = scenario::reference_markdown();
    if std::env::var_os("WOMSIM_BLESS").is_some() {
        let start = readme.find("<!-- BEGIN REFERENCE").unwrap();
        let start = start + readme[start..].find('\n').unwrap() + 1;
        let end = readme.find("<!-- END REFERENCE").unwrap();
        let new = format!("{}{}{}", &readme[..start], reference, &readme[end..]);
        std::fs::write(root().join("scenarios/README.md"), new).unwrap();
        return;
    }
    assert!(
        readme.contains(&reference),
        "scenarios/README.md is out of date with the schema: run `WOMSIM_BLESS=1 cargo test --test scenario readme`"
    );
    for sec in scenario::schema() {
        for key in &sec.keys {
            assert_has(&readme, &format!("`{}`", key.name));
        }
    }
}

// ------------------------------------------------------------ robustness

fn bundled_texts() -> Vec<String> {
    bundled().iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn junk_never_panics(s in "\\PC*") {
        let _ = parse_str(&s, None);
    }

    #[test]
    fn tomlish_junk_never_panics(s in "(\\[{1,2}[a-z.]{0,12}\\]{1,2}\n|[a-z_.]{1,10} = (-?[0-9]{1,12}|\"[a-z_]{0,8}\"|[0-9.e+-]{1,8}|\\[[0-9, \"a-z]{0,12}\\]|true|nan|inf)\n){0,12}") {
        let _ = parse_str(&s, None);
    }

    #[test]
    fn mutated_scenarios_never_panic(which in 0usize..64, at in 0usize..4000, len in 0usize..20, junk in "[ -~\n]{0,20}") {
        let texts = bundled_texts();
        let t = &texts[which % texts.len()];
        let mut at = at.min(t.len());
        while !t.is_char_boundary(at) { at -= 1; }
        let mut end = (at + len).min(t.len());
        while !t.is_char_boundary(end) { end -= 1; }
        let mutated = format!("{}{}{}", &t[..at], junk, &t[end..]);
        let _ = parse_str(&mutated, Some(&root().join("scenarios/x.toml")));
    }
}

#[test]
fn cost_budgets_resolve_and_sweep_in_their_unit() {
    let text = format!(
        "budgets = [2.5, 40]\n{MINIMAL}budget_unit = \"cost\"\nbudget = 12.5\ncost = {{ base = 1, per_follower = 0.5 }}\n"
    );
    let s = parse_str(&text, None).unwrap();
    assert_eq!(s.strategies[0].budget, Budget::Cost(12.5));
    assert_eq!(s.strategies[0].cost, womsim::seeding::CostModel { base: 1.0, per_follower: 0.5 });
    assert_eq!(s.strategies_at_budget(2.5)[0].budget, Budget::Cost(2.5));
    assert_eq!(parse_str(&s.to_resolved_toml(), None).unwrap(), s);
}

// ------------------------------------------------------------ honest comparison keys

#[test]
fn reseed_none_and_lift_action_parse_and_round_trip() {
    use womsim::seeding::{Objective, Reseed};
    let net = "kind = \"erdos_renyi\"\nnodes = 100";
    let text = with(
        net,
        "kind = \"independent_cascade\"",
        "[[strategy]]\nname = \"nothing\"\nkind = \"none\"\n\
         [[strategy]]\nname = \"r\"\nkind = \"random\"\nbudget = 3\n\
         [[strategy]]\nname = \"same people\"\nkind = \"random\"\nbudget = 3\nreseed = \"once\"\n\
         [[strategy]]\nname = \"g\"\nkind = \"greedy\"\nbudget = 2\nobjective = \"lift_action\"\n",
    );
    let s = parse_str(&text, None).unwrap();
    assert_eq!(s.strategies[0].kind, StrategyKind::None);
    assert_eq!(s.strategies[0].budget, Budget::People(0));
    assert_eq!(s.strategies[1].reseed, Reseed::PerReplicate, "chance-based kinds redraw by default");
    assert_eq!(s.strategies[2].reseed, Reseed::Once);
    assert_eq!(s.strategies[3].reseed, Reseed::Once, "deterministic kinds draw once");
    assert!(matches!(s.strategies[3].kind, StrategyKind::Greedy { objective: Objective::LiftAction, .. }));
    let again = parse_str(&s.to_resolved_toml(), None).unwrap();
    assert_eq!(again.strategies, s.strategies);
}

#[test]
fn reseed_and_none_misuse_are_errors_naming_the_key() {
    let net = "kind = \"erdos_renyi\"\nnodes = 100";
    let e = err_text(&with(
        net,
        "kind = \"independent_cascade\"",
        "[[strategy]]\nkind = \"top_degree\"\nbudget = 2\nreseed = \"per_replicate\"\n\
         [[strategy]]\nname = \"n\"\nkind = \"none\"\nbudget = 4\n\
         [[strategy]]\nname = \"x\"\nkind = \"random\"\nreseed = \"sometimes\"\n",
    ));
    assert_has(&e, "strategy[1].reseed");
    assert_has(&e, "only random, magic_middle");
    assert_has(&e, "strategy[2].budget");
    assert_has(&e, "no seeds");
    assert_has(&e, "strategy[3].reseed");
    assert_has(&e, "per_replicate");
}

// ------------------------------------------------------------ declarations

/// A small deterministic generator for the declaration tests (splitmix64).
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit(state: &mut u64) -> f64 {
    (next(state) >> 11) as f64 / (1u64 << 53) as f64
}

/// A random valid value of a numeric or choice type, different from `default`.
fn random_value(key: &str, ty: &Ty, default: Option<&toml::Value>, rng: &mut u64) -> toml::Value {
    use toml::Value;
    for _ in 0..100 {
        let v = match ty {
            Ty::Prob | Ty::Frac => Value::Float(unit(rng)),
            Ty::Open01 => Value::Float(0.01 + 0.98 * unit(rng)),
            Ty::Num { min, max, .. } if max.is_finite() => Value::Float(min + (max - min) * (0.01 + 0.98 * unit(rng))),
            Ty::Num { min, .. } => Value::Float(min + 0.01 + 10.0 * unit(rng)),
            Ty::Int { min, max } => Value::Integer(min + (next(rng) % (max - min + 1).min(50) as u64) as i64),
            // `weights`: the variant that has the uniform value's key.
            Ty::Choice(_) if key == "weights" => return Value::String("uniform".into()),
            Ty::Choice(c) => Value::String(c[next(rng) as usize % c.len()].to_string()),
            other => random_any(other, 0, rng),
        };
        if Some(&v) != default {
            return v;
        }
    }
    panic!("{key}: no value other than the default {default:?}")
}

/// Every number in a `Debug` rendering, in order, with the word before it
/// (the field name, or the enum variant).
fn debug_numbers(text: &str) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    let mut last_word = String::new();
    for t in text.split(|c: char| !(c.is_ascii_alphanumeric() || "_.+-".contains(c))).filter(|t| !t.is_empty()) {
        match t.parse::<f64>() {
            Ok(x) if t.starts_with(|c: char| c.is_ascii_digit() || c == '-') => out.push((last_word.clone(), x)),
            _ => last_word = t.to_string(),
        }
    }
    out
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

/// Sets every declared key of `P` to a random valid non-default value (many
/// times) and requires: the parser reads every key into the struct (`get`
/// gives the value back), the struct's `Debug` holds no number that is not a
/// declared value (a field without a declaration would keep its default and
/// show up here), and the resolved file reads back to the same scenario.
fn check_declarations<P>(
    label: &str,
    text: impl Fn(&[(String, toml::Value)]) -> String,
    adjust: impl Fn(&mut Vec<(String, toml::Value)>),
    extract: impl Fn(&scenario::Scenario) -> P,
) where
    P: Declared + std::fmt::Debug + PartialEq,
{
    let default = P::default();
    let params = P::params();
    assert!(!params.is_empty(), "{label}: no declarations");
    for seed in 0..30u64 {
        let mut rng = seed.wrapping_mul(7919).wrapping_add(label.len() as u64);
        let mut values: Vec<(String, toml::Value)> = params
            .iter()
            .map(|d| (d.key.to_string(), random_value(d.key, &d.ty, (d.get)(&default).as_ref(), &mut rng)))
            .collect();
        adjust(&mut values);
        let t = text(&values);
        let s = parse_str(&t, None).unwrap_or_else(|e| panic!("{label}: {e}\n---\n{t}"));
        let p = extract(&s);
        for (d, (key, v)) in params.iter().zip(&values) {
            assert_eq!((d.get)(&p).as_ref(), Some(v), "{label}: key {key} is not read into its field\n---\n{t}");
        }
        fn numbers(v: &toml::Value) -> Vec<f64> {
            match v {
                toml::Value::Float(x) => vec![*x],
                toml::Value::Integer(i) => vec![*i as f64],
                toml::Value::Array(a) => a.iter().flat_map(numbers).collect(),
                _ => Vec::new(),
            }
        }
        let declared: Vec<f64> = values.iter().flat_map(|(_, v)| numbers(v)).collect();
        let leaves = debug_numbers(&format!("{p:?}"));
        let undeclared: Vec<&(String, f64)> = leaves.iter().filter(|(_, x)| !declared.contains(x)).collect();
        assert!(
            undeclared.is_empty(),
            "{label}: {undeclared:?} in {p:?} are not declared scenario keys: declare each field once \
             with `param!` (see docs/CONTRIBUTING.md)"
        );
        assert_eq!(sorted(leaves.iter().map(|l| l.1).collect()), sorted(declared), "{label}: {p:?}");
        assert_eq!(parse_str(&s.to_resolved_toml(), None).unwrap(), s, "{label}: resolved file round trip");
    }
}

fn toml_lines(values: &[(String, toml::Value)]) -> String {
    values.iter().map(|(k, v)| format!("{k} = {}\n", scenario::schema::value_text(v))).collect()
}

#[test]
fn every_declared_parameter_is_read_written_and_every_field_declared() {
    use womsim::models::{BassParams, IcnParams, LtParams, SirParams};
    let net = "[network]\nkind = \"ring\"\nnodes = 20\n[[strategy]]\nkind = \"random\"\nbudget = 2\n";
    let model = |kind: &'static str| {
        move |v: &[(String, toml::Value)]| format!("{net}[model]\nkind = \"{kind}\"\n{}", toml_lines(v))
    };
    let none = |_: &mut Vec<(String, toml::Value)>| {};
    // One model kind: its parameter struct, read back from the scenario's model.
    macro_rules! check_model {
        ($kind:expr, $variant:ident, $params:ty) => {
            check_declarations::<$params>($kind, model($kind), none, |s| match &s.model {
                ModelSpec::$variant(p) => p.clone(),
                m => panic!("{m:?}"),
            })
        };
    }
    for kind in scenario::schema::MODEL_KINDS {
        match *kind {
            "relationship_chain" => check_model!(kind, RelationshipChain, RcParams),
            "independent_cascade" => check_model!(kind, IndependentCascade, IcParams),
            "ic_n" => check_model!(kind, IcN, IcnParams),
            "linear_threshold" => check_model!(kind, LinearThreshold, LtParams),
            "bass" => check_model!(kind, Bass, BassParams),
            "sir" => check_model!(kind, Sir, SirParams),
            other => panic!("new model kind {other}: add it here"),
        }
        // The schema's keys of the kind are exactly the declared ones.
        let sec = scenario::schema::section("model", Some(kind)).unwrap();
        let declared: Vec<String> = match *kind {
            "relationship_chain" => RcParams::keys(),
            "independent_cascade" => IcParams::keys(),
            "ic_n" => IcnParams::keys(),
            "linear_threshold" => LtParams::keys(),
            "bass" => BassParams::keys(),
            _ => SirParams::keys(),
        }
        .into_iter()
        .map(|k| k.name)
        .collect();
        assert_eq!(sec.keys.iter().map(|k| k.name.clone()).collect::<Vec<_>>(), declared, "{kind}");
    }
    // The population: the mix is rescaled to sum to 1.
    check_declarations::<PopulationSpec>(
        "population",
        |v| format!("{net}[population]\n{}", toml_lines(v)),
        |v| {
            // `file` must exist (and is read back absolute); the NPS bins
            // apply only with it.
            let customers = root().join("scenarios/data/nps_customers.csv");
            for (_, x) in v.iter_mut().filter(|(k, _)| k == "file") {
                *x = toml::Value::String(customers.to_str().unwrap().to_string());
            }
            // Passives score at most what promoters do.
            let score = |v: &Vec<(String, toml::Value)>, key: &str| {
                v.iter().find(|(k, _)| k == key).and_then(|(_, x)| x.as_integer()).unwrap()
            };
            let (lo, hi) = (score(v, "nps.passive"), score(v, "nps.promoter"));
            for (k, x) in v.iter_mut() {
                match k.as_str() {
                    "nps.passive" => *x = toml::Value::Integer(lo.min(hi)),
                    "nps.promoter" => *x = toml::Value::Integer(lo.max(hi)),
                    _ => {}
                }
            }
            let sum: f64 = v.iter().filter(|(k, _)| k.starts_with("mix.")).filter_map(|(_, x)| x.as_float()).sum();
            for (k, x) in v.iter_mut().filter(|(k, _)| k.starts_with("mix.")) {
                let share = x.as_float().unwrap() / sum;
                assert!(share > 0.0, "{k}");
                *x = toml::Value::Float(share);
            }
        },
        |s| s.population.clone(),
    );
    check_declarations::<womsim::seeding::CostModel>(
        "strategy cost",
        |v| {
            format!(
                "[network]\nkind = \"ring\"\nnodes = 20\n[[strategy]]\nkind = \"random\"\nbudget = 2\n{}",
                toml_lines(v)
            )
        },
        none,
        |s| s.strategies[0].cost,
    );
    check_declarations::<OutputSpec>(
        "output",
        |v| format!("{net}[output]\n{}", toml_lines(v)),
        // `people` is written only when true (its default, false, leaves
        // resolved files as they were).
        |v| {
            for (_, x) in v.iter_mut().filter(|(k, _)| k == "people") {
                *x = toml::Value::Boolean(true);
            }
        },
        |s| s.output.clone(),
    );
}

/// A random valid value of any schema type (numbers sometimes whole, lists
/// short), for the keys that are not declared parameters.
fn random_any(ty: &Ty, attempt: u32, rng: &mut u64) -> toml::Value {
    use toml::Value;
    let int = |min: i64, max: i64, rng: &mut u64| {
        let span = (max.saturating_sub(min)).saturating_add(1).min(50i64 << attempt.min(30)).max(1);
        min + (next(rng) % span as u64) as i64
    };
    let whole = attempt % 2 == 1;
    let num = |min: f64, max: f64, rng: &mut u64| {
        let x =
            if max.is_finite() { min + (max - min) * (0.01 + 0.98 * unit(rng)) } else { min + 0.01 + 10.0 * unit(rng) };
        if whole && x.round() > min && x.round() <= max {
            Value::Integer(x.round() as i64)
        } else {
            Value::Float(x)
        }
    };
    match ty {
        Ty::Bool => Value::Boolean(next(rng) % 2 == 0),
        Ty::Int { min, max } => Value::Integer(int(*min, *max, rng)),
        Ty::Num { min, max, .. } => num(*min, *max, rng),
        Ty::Prob | Ty::Frac => num(0.0, 1.0, rng),
        Ty::Open01 => Value::Float(0.01 + 0.98 * unit(rng)),
        Ty::Str | Ty::Label => Value::String(format!("text {}", next(rng) % 1000)),
        Ty::Name => Value::String(format!("name_{}", next(rng) % 1000)),
        Ty::Path => Value::String(format!("dir_{}/x", next(rng) % 1000)),
        Ty::Choice(c) => Value::String(c[next(rng) as usize % c.len()].to_string()),
        Ty::IntPair { min, max } => {
            let (a, b) = (int(*min, *max, rng), int(*min, *max, rng));
            Value::Array(vec![Value::Integer(a.min(b)), Value::Integer(a.max(b))])
        }
        Ty::NumPair { min, max } => {
            let (a, b) = (min + (max - min) * unit(rng), min + (max - min) * unit(rng));
            Value::Array(vec![Value::Float(a.min(b)), Value::Float(a.max(b))])
        }
        Ty::Size => Value::Array(vec![
            Value::Integer(int(scenario::schema::MIN_SIZE.0, 4000, rng)),
            Value::Integer(int(scenario::schema::MIN_SIZE.1, 4000, rng)),
        ]),
        Ty::IntList { min, max } => Value::Array((0..2).map(|_| Value::Integer(int(*min, *max, rng))).collect()),
        Ty::NumList { min, .. } => Value::Array((0..2).map(|_| num(*min, f64::INFINITY, rng)).collect()),
        Ty::ChoiceList(c) => {
            Value::Array(c.iter().filter(|_| next(rng) % 2 == 0).map(|x| Value::String(x.to_string())).collect())
        }
        Ty::IdList => Value::Array((1..=2).map(|i| Value::String(format!("{}", i * 10 + next(rng) % 5))).collect()),
    }
}

/// Same value up to the number type (a whole float may be written as an integer).
fn same_value(a: &toml::Value, b: &toml::Value) -> bool {
    use toml::Value;
    match (a, b) {
        (Value::Integer(_) | Value::Float(_), Value::Integer(_) | Value::Float(_)) => {
            let f = |v: &Value| v.as_float().or(v.as_integer().map(|i| i as f64));
            f(a) == f(b)
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b)),
        _ => a == b,
    }
}

/// Every key of the tables that are not declared parameter structs (top
/// level, networks, strategies, output) is read by the parser: set alone to
/// a random valid value, it comes back in the resolved file.
#[test]
fn every_schema_key_is_read_into_the_scenario() {
    let karate = root().join("scenarios/data/karate.edges");
    // Keys this test cannot set alone, and the test that covers each.
    let skip = [
        ("network", "path"),         // written absolute: karate_edge_list_resolves_against_the_scenario_file
        ("strategy", "file"),        // written inline as nodes: explicit_seed_file_is_read_relative_to_the_scenario
        ("strategy", "budget_unit"), // "cost" needs a budget in cost units: cost_budgets_resolve_and_sweep_in_their_unit
        ("output", "people"),        // written only when true: tests/people.rs
    ];
    let mut checked = 0;
    for sec in scenario::schema() {
        if !matches!(sec.table, "" | "network" | "strategy" | "output") {
            continue;
        }
        let kind = sec.kind.unwrap_or(match sec.table {
            "network" => "ring",
            "strategy" => "random",
            _ => "",
        });
        for key in &sec.keys {
            if key.name == "kind" || skip.contains(&(sec.table, key.name.as_str())) {
                continue;
            }
            let mut rng = checked as u64 * 31 + 7;
            let mut found = None;
            for attempt in 0..40 {
                let v = random_any(&key.ty, attempt, &mut rng);
                // An edge list's optional keys are written only when not at
                // their default (so that existing resolved files stay as they were).
                if kind == "edge_list" && key.default.as_ref() == Some(&v) {
                    continue;
                }
                let line = format!("{} = {}\n", key.name, scenario::schema::value_text(&v));
                let network = match (sec.table, kind) {
                    ("network", "sbm") => "sizes = [40, 60]\n".to_string(),
                    ("network", "edge_list") => format!("path = {:?}\n", karate.to_str().unwrap()),
                    _ => "nodes = 2000\n".to_string(),
                };
                let network = if sec.table == "network" {
                    let required = if key.name == "nodes" || key.name == "sizes" { String::new() } else { network };
                    format!("[network]\nkind = \"{kind}\"\n{required}{line}")
                } else {
                    "[network]\nkind = \"ring\"\nnodes = 2000\n".to_string()
                };
                let strategy = match (sec.table, kind) {
                    ("strategy", "explicit") if key.name != "nodes" => {
                        format!("[[strategy]]\nkind = \"explicit\"\nnodes = [\"1\", \"2\"]\n{line}")
                    }
                    ("strategy", _) => format!("[[strategy]]\nkind = \"{kind}\"\n{line}"),
                    _ => "[[strategy]]\nkind = \"random\"\nbudget = 1\n".to_string(),
                };
                let top = if sec.table.is_empty() { line.clone() } else { String::new() };
                let output = if sec.table == "output" { format!("[output]\n{line}") } else { String::new() };
                let text = format!("{top}{network}{strategy}{output}");
                if let Ok(s) = parse_str(&text, Some(&root().join("scenarios/x.toml"))) {
                    found = Some((v, s, text));
                    break;
                }
            }
            let (v, s, text) = found.unwrap_or_else(|| {
                panic!("{}.{} ({kind}): no random valid value found; add a case to this test", sec.table, key.name)
            });
            let resolved = toml::Value::Table(s.to_resolved_toml().parse().unwrap());
            let mut at = match sec.table {
                "" => &resolved,
                "strategy" => &resolved["strategy"].as_array().unwrap()[0],
                t => &resolved[t],
            };
            for part in key.name.split('.') {
                at = at.get(part).unwrap_or_else(|| panic!("{}.{} not written:\n{text}", sec.table, key.name));
            }
            assert!(same_value(at, &v), "{}.{} ({kind}): given {v}, resolved {at}\n---\n{text}", sec.table, key.name);
            assert_eq!(parse_str(&s.to_resolved_toml(), s.source.as_deref()).unwrap(), s);
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked}");
}

#[test]
fn names_and_paths_are_bounded() {
    let long = "x".repeat(101);
    let e = err_text(&format!("name = \"{long}\"\n{MINIMAL}"));
    assert_has(&e, "name = ");
    assert_has(&e, "at most 100");
    let e = err_text(&format!("{MINIMAL}name = \"{long}\"\n"));
    assert_has(&e, "strategy[1].name");
    let e = err_text(&format!("{MINIMAL}\n[output]\ndir = \"a\\u0000b\"\n"));
    assert_has(&e, "output.dir");
    assert_has(&e, "no control characters");
    // A cost that would overflow the results is refused up front.
    let e = err_text(&format!("{MINIMAL}cost = {{ base = 1e308 }}\n"));
    assert_has(&e, "strategy[1].cost.base = 1e308");
    assert!(parse_str(&format!("name = \"{}\"\n{MINIMAL}", "y".repeat(100)), None).is_ok());
}
