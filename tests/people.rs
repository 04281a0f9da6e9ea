//! Issue 24: the organisation's own people in (`[population] file`), results
//! per person out (`[output] people = true`: people.csv, network.gexf) and
//! `--suggest`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use womsim::metrics::{Metric, Trajectory};
use womsim::models::{self, ReplicateInput, Scratch};
use womsim::population::Role;

/// A small named network: a hub `h` with five spokes, a tail `a-b-c-d`.
const EDGES: &str = "h s1\nh s2\nh s3\nh s4\nh s5\ns1 a\na b\nb c\nc d\n";

fn womsim(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_womsim")).args(args).current_dir(dir).output().expect("womsim starts")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Write the network, the customer file and a scenario around them.
fn setup(dir: &Path, customers: &str, population_extra: &str, model: &str, strategies: &str) -> PathBuf {
    fs::write(dir.join("net.edges"), EDGES).unwrap();
    fs::write(dir.join("customers.csv"), customers).unwrap();
    let sc = format!(
        "name = \"ppl\"\nseed = 5\nreplicates = 300\nsteps = 12\n\n[network]\nkind = \"edge_list\"\n\
         path = \"net.edges\"\ndirected = false\nids = \"names\"\n\n[population]\nfile = \"customers.csv\"\n\
         {population_extra}\n[model]\nkind = \"relationship_chain\"\n{model}\n{strategies}\n\
         [output]\npeople = true\ncharts = []\nreport = false\n"
    );
    let p = dir.join("s.toml");
    fs::write(&p, sc).unwrap();
    p
}

const TWO_STRATEGIES: &str = "[[strategy]]\nname = \"tail\"\nkind = \"explicit\"\nnodes = [\"b\"]\n\n\
    [[strategy]]\nname = \"random\"\nkind = \"random\"\npool = \"everyone\"\nbudget = 1\n";

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let h = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
    (h, rows)
}

#[test]
fn people_csv_counts_equal_a_plain_resimulation() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let sc = setup(d, "id,nps\nh,10\na,3\nc,8\n", "", "share.good = 0.3\nshare.bad = 0.2\n", TWO_STRATEGIES);
    let o = womsim(&["run", "--quiet", "--out", "out", sc.to_str().unwrap()], d);
    assert!(o.status.success(), "{}", stderr(&o));
    let (h, rows) = read_csv(&d.join("out/people.csv"));
    assert_eq!(h, ["world", "id", "role", "degree", "p_heard_good", "p_heard_bad", "p_acted", "p_seed"]);
    assert_eq!(rows.len(), 3 * 10);

    // The same worlds re-simulated here, replicate by replicate, one thread.
    let s = womsim::scenario::load(&sc).unwrap();
    let g = womsim::world::build(&s).unwrap();
    let pop = womsim::world::population(&s, &g).unwrap();
    let id = |v: u32| g.label(v).to_string();
    let (_, seed_rows) = read_csv(&d.join("out/seeds.csv"));
    let node = |name: &str| (0..g.n()).find(|&v| id(v) == name).unwrap();
    let random_seeds: Vec<Vec<u32>> =
        seed_rows.iter().filter(|r| r[0] == "random").map(|r| vec![node(&r[3])]).collect();
    assert_eq!(random_seeds.len(), 300);
    let (fh, finals) = read_csv(&d.join("out/replicates.csv"));
    let col = |name: &str| fh.iter().position(|c| c == name).unwrap();
    for (world, seeds_of) in [
        ("(no campaign)", Box::new(|_: u32| Vec::new()) as Box<dyn Fn(u32) -> Vec<u32>>),
        ("tail", Box::new(|_| vec![node("b")])),
        ("random", Box::new(|r| random_seeds[r as usize].clone())),
    ] {
        let mut acted = vec![0u32; g.len()];
        let mut seeded = vec![0u32; g.len()];
        let (mut good, mut bad, mut act) = (0.0, 0.0, 0.0);
        let mut scratch = Scratch::default();
        let mut traj = Trajectory::new(s.steps);
        for r in 0..s.replicates {
            let seeds = seeds_of(r);
            let input = ReplicateInput {
                graph: &g,
                population: &pop,
                seeds: &seeds,
                dynamics_key: womsim::runner::dynamics_key(s.seed, r),
            };
            models::simulate(&s.model, &input, &mut scratch, &mut traj);
            for v in 0..g.n() {
                acted[v as usize] += u32::from(models::has_acted(&s.model, &scratch, v));
            }
            for &u in &seeds {
                seeded[u as usize] += 1;
            }
            let last = traj.last();
            good += last[Metric::ReachedGood.idx()];
            bad += last[Metric::ReachedBad.idx()];
            act += last[Metric::Acted.idx()];
        }
        let mine: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == world).collect();
        assert_eq!(mine.len(), g.len());
        let (mut pg, mut pb, mut pa) = (0.0, 0.0, 0.0);
        for (v, row) in mine.iter().enumerate() {
            assert_eq!(row[1], id(v as u32));
            let p = |i: usize| row[i].parse::<f64>().unwrap();
            assert_eq!(p(6), f64::from(acted[v]) / 300.0, "{world} {} p_acted", row[1]);
            assert_eq!(p(7), f64::from(seeded[v]) / 300.0, "{world} {} p_seed", row[1]);
            assert!(p(4) + p(5) <= 1.0);
            pg += p(4);
            pb += p(5);
            pa += p(6);
        }
        // Summed over people, the per-person probabilities are the mean
        // final reached_good / reached_bad / acted, replicate by replicate.
        assert!((pg * 300.0 - good).abs() < 1e-6, "{world}: {pg} vs {good}");
        assert!((pb * 300.0 - bad).abs() < 1e-6, "{world}: {pb} vs {bad}");
        assert!((pa * 300.0 - act).abs() < 1e-6, "{world}: {pa} vs {act}");
        let from_file: f64 =
            finals.iter().filter(|r| r[0] == world).map(|r| r[col("reached_good")].parse::<f64>().unwrap()).sum();
        assert!((from_file - good).abs() < 1e-6, "{world}: replicates.csv disagrees with the re-simulation");
        assert!(bad > 0.0 && (good > 0.0 || world == "(no campaign)"), "{world}: the test needs both valences");
    }

    // The GEXF file holds every node with its attributes and every edge once.
    let gexf = fs::read_to_string(d.join("out/network.gexf")).unwrap();
    assert!(gexf.contains("<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">"));
    assert_eq!(gexf.matches("<node ").count(), 10);
    assert_eq!(gexf.matches("<edge ").count(), 9);
    assert!(gexf.contains("title=\"random: p_seed\""));
}

#[test]
fn roles_from_the_file_are_what_the_model_sees() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // Bins moved: 8 is already a promoter, 4 already a passive.
    let sc = setup(
        d,
        "# our followers\nid,nps\nh,8\na,4\nc,3\nd,0\n",
        "nps.promoter = 8\nnps.passive = 4\n",
        "share.good = 0.0\nshare.bad = 0.0\n",
        "[[strategy]]\nname = \"none\"\nkind = \"explicit\"\nnodes = [\"s3\"]\n",
    );
    let o = womsim(&["run", "--quiet", "--out", "out", sc.to_str().unwrap()], d);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, rows) = read_csv(&d.join("out/people.csv"));
    let role = |id: &str| rows.iter().find(|r| r[0] == "(no campaign)" && r[1] == id).unwrap()[2].clone();
    assert_eq!(
        [role("h"), role("a"), role("c"), role("d"), role("b")],
        ["fan", "mild", "detractor", "detractor", "community"]
    );
    // Nobody shares: exactly the two detractors are reached (bad) in every
    // replicate of the no-campaign world, and nobody else.
    let s = womsim::scenario::load(&sc).unwrap();
    let g = womsim::world::build(&s).unwrap();
    let pop = womsim::world::population(&s, &g).unwrap();
    assert_eq!(pop.roles().iter().filter(|r| **r == Role::Detractor).count(), 2);
    for r in rows.iter().filter(|r| r[0] == "(no campaign)") {
        let want = if r[1] == "c" || r[1] == "d" { "1" } else { "0" };
        assert_eq!(r[5], want, "{r:?}");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("out/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["baseline"]["final"]["reached"]["mean"], 2.0);
}

#[test]
fn a_persons_cost_from_the_file_replaces_the_cost_model() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // The hub is the top-degree friend but costs 100: a budget of 3 skips it.
    let sc = setup(
        d,
        "id,role,cost\nh,fan,100\na,ambassador,1\nb,mild,\nc,mild,1\n",
        "",
        "",
        "[[strategy]]\nname = \"top\"\nkind = \"top_degree\"\nbudget = 3\nbudget_unit = \"cost\"\n\
         cost = { base = 2.0 }\n",
    );
    let o = womsim(&["run", "--quiet", "--out", "out", sc.to_str().unwrap()], d);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("out/summary.json")).unwrap()).unwrap();
    let st = &summary["strategies"][0];
    // Friends by followers: h (100, too dear), a and b (2 followers; a at 1,
    // b at the model's 2), c (1 left: c at 1 fits, nothing else would).
    assert_eq!(st["seeds"], serde_json::json!(["a", "b"]), "{st}");
    assert_eq!(st["cost"], 3.0);
    let (_, rows) = read_csv(&d.join("out/people.csv"));
    assert!(rows.iter().any(|r| r[1] == "a" && r[2] == "ambassador"));
}

/// Run a scenario whose customer file is `customers`; it must fail with
/// exit 2, write nothing, and its message must hold every `want`.
fn refused(customers: &str, population_extra: &str, want: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let sc = setup(d, customers, population_extra, "", TWO_STRATEGIES);
    let o = womsim(&["run", "--quiet", "--out", "out", sc.to_str().unwrap()], d);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{customers:?}: {err}");
    for w in want {
        assert!(err.contains(w), "{customers:?}: {w:?} not in {err}");
    }
    let written: Vec<_> = fs::read_dir(d.join("out")).map(|r| r.filter_map(Result::ok).collect()).unwrap_or_default();
    assert!(written.iter().all(|e| e.file_name().to_string_lossy().starts_with('.')), "{written:?}");
}

#[test]
fn every_bad_customer_file_is_refused_naming_file_and_line() {
    refused(
        "id,role\nh,fan\nzz,fan\nyy,mild\n",
        "",
        &["customers.csv:3:", "2 ids are not in the network", "\"yy\" (line 4)"],
    );
    refused("id,role\nh,fan\na,mild\nh,mild\n", "", &["customers.csv:4:", "already given on line 2"]);
    refused("id,nps\nh,11\n", "", &["customers.csv:2:", "nps \"11\"", "0 to 10"]);
    refused("id,nps\nh,-1\na,7.5\n", "", &["customers.csv:2:", "customers.csv:3:", "7.5"]);
    refused("id,role\nh,boss\n", "", &["customers.csv:2:", "\"boss\"", "ambassador"]);
    refused("id,role,cost\nh,fan,-3\n", "", &["customers.csv:2:", "cost \"-3\""]);
    refused("id,role\nh,fan,1\n", "", &["customers.csv:2:", "3 fields"]);
    refused("id,score\nh,3\n", "", &["customers.csv:1:", "unknown column \"score\"", "role"]);
    refused("id,role,nps\nh,fan,9\n", "", &["customers.csv:1:", "not both"]);
    refused("# nothing\n", "", &["customers.csv", "empty"]);
    // All problems at once.
    refused("id,nps\nh,12\nzz,3\nh,4\n", "", &["customers.csv:2:", "customers.csv:3:", "customers.csv:4:"]);
    // Scenario-level: bins out of order; drawn-population keys with a file.
    refused("id,nps\nh,9\n", "nps.passive = 9\nnps.promoter = 8\n", &["population.nps.passive", "at most"]);
}

#[test]
fn people_with_shard_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let sc = setup(d, "id,role\nh,fan\n", "", "", TWO_STRATEGIES);
    let o = womsim(&["run", "--quiet", "--shard", "1/2", "--out", "out", sc.to_str().unwrap()], d);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("output.people = true is not supported with --shard"), "{}", stderr(&o));
}

#[test]
fn suggest_first_pick_is_greedys_next_seed() {
    let strategy = |budget: u32| {
        format!(
            "[[strategy]]\nname = \"g\"\nkind = \"greedy\"\nobjective = \"reach\"\nreplicates = 60\n\
             pool = \"everyone\"\nbudget = {budget}\n"
        )
    };
    let model = "share.good = 0.2\nshare.bad = 0.1\n";
    let customers = "id,nps\nh,6\na,9\nc,8\n";
    let two = tempfile::tempdir().unwrap();
    let sc = setup(two.path(), customers, "", model, &strategy(2));
    let o = womsim(&["run", "--quiet", "--out", "out", sc.to_str().unwrap()], two.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(two.path().join("out/summary.json")).unwrap()).unwrap();
    let greedy = summary["strategies"][0]["seeds"].as_array().unwrap().clone();

    let one = tempfile::tempdir().unwrap();
    let sc = setup(one.path(), customers, "", model, &strategy(1));
    let o = womsim(&["run", "--quiet", "--suggest", "3", "--out", "out", sc.to_str().unwrap()], one.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("who to recruit next for \"g\""));
    let (h, rows) = read_csv(&one.path().join("out/suggestions.csv"));
    assert_eq!(h, ["id", "rank", "marginal_lift", "marginal_lift_se", "cost"]);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], greedy[1].as_str().unwrap(), "greedy picked {greedy:?}");
    assert_ne!(rows[0][0], greedy[0].as_str().unwrap());
    assert_eq!(rows.iter().map(|r| r[1].as_str()).collect::<Vec<_>>(), ["1", "2", "3"]);
    // Greedy's marginal gains shrink (up to Monte Carlo error) and the
    // default cost model prices everyone at 1.
    let lift = |i: usize| rows[i][2].parse::<f64>().unwrap();
    assert!(lift(0) > 0.0 && lift(0) + 1e-9 >= lift(1), "{rows:?}");
    assert!(rows.iter().all(|r| r[4] == "1"));

    // A strategy whose seeds are redrawn has no one set to add to; an
    // unknown name is named. Both exit 2 before anything is written.
    let bad = tempfile::tempdir().unwrap();
    let sc = setup(bad.path(), customers, "", model, TWO_STRATEGIES);
    let o = womsim(
        &["run", "--quiet", "--suggest", "1", "--suggest-for", "random", "--out", "out", sc.to_str().unwrap()],
        bad.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("draws new seeds every replicate"), "{}", stderr(&o));
    let o = womsim(
        &["run", "--quiet", "--suggest", "1", "--suggest-for", "nope", "--out", "out", sc.to_str().unwrap()],
        bad.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\"nope\": no such strategy"), "{}", stderr(&o));
    assert!(!bad.path().join("out/summary.json").exists());
}
