//! Network files in other formats (issue 24, item 2): Zachary's karate club
//! written by networkx as GraphML, GEXF, GML and Pajek, and as Gephi's CSV
//! edge table (tests/data/formats/, made by its make_fixtures.py), give
//! results byte-identical to the edge-list run; a file whose content
//! disagrees with its name is refused with a message saying what it looks
//! like; every bad input names the file and line; names are kept through
//! to the outputs; count weights are normalised only when asked.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use womsim::graph::edgelist::{self, IdMode, Options};
use womsim::graph::formats::{self, FileOptions, Format, WeightNorm};
use womsim::graph::Graph;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/data/formats").join(name)
}

const FIXTURES: [&str; 6] =
    ["karate.graphml", "karate.graphml.gz", "karate.gexf", "karate.gml", "karate.net", "karate.csv"];

/// A karate scenario reading `network` (plus `extra` [network] lines).
fn scenario(network: &Path, extra: &str, strategies: &str) -> String {
    format!(
        "name = \"k\"\nseed = 7\nreplicates = 60\nsteps = 34\n\n[network]\nkind = \"edge_list\"\npath = {:?}\n{extra}\n\
         [model]\nkind = \"independent_cascade\"\nweights = \"uniform\"\np = 0.1\n\n{strategies}\n\
         [output]\ncharts = []\nreport = false\n",
        network.display().to_string()
    )
}

const STRATEGIES: &str = "[[strategy]]\nname = \"top degree\"\nkind = \"top_degree\"\nbudget = 2\n\n\
    [[strategy]]\nname = \"pair\"\nkind = \"explicit\"\nnodes = [\"1\", \"34\"]\n\n\
    [[strategy]]\nname = \"random\"\nkind = \"random\"\nbudget = 2\n";

/// `womsim run` on scenario text; (exit code, stderr, results folder).
fn run(dir: &Path, name: &str, text: &str) -> (i32, String, PathBuf) {
    let sc = dir.join(format!("{name}.toml"));
    fs::write(&sc, text).unwrap();
    let out = dir.join(name);
    let o = Command::new(env!("CARGO_BIN_EXE_womsim"))
        .args(["run", "--quiet", "--threads", "2", "--out"])
        .arg(&out)
        .arg(&sc)
        .output()
        .unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned(), out)
}

const COMPARED: [&str; 6] =
    ["summary.json", "replicates.csv", "timeseries.csv", "seeds.csv", "degrees.csv", "results.csv"];

#[test]
fn every_format_gives_the_edge_list_results_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let edges = root().join("tests/data/networks/karate.edges");
    let (code, err, want) = run(dir.path(), "edges", &scenario(&edges, "", STRATEGIES));
    assert_eq!(code, 0, "{err}");
    for f in FIXTURES {
        let (code, err, got) = run(dir.path(), &f.replace('.', "_"), &scenario(&fixture(f), "", STRATEGIES));
        assert_eq!(code, 0, "{f}: {err}");
        for file in COMPARED {
            let (a, b) = (fs::read(want.join(file)).unwrap(), fs::read(got.join(file)).unwrap());
            assert!(a == b, "{f}: {file} differs from the edge list's");
        }
    }
}

/// The same graph as the edge list: nodes, labels and arcs (Pajek and the
/// Gephi CSV add weights of 1, as their writers do).
#[test]
fn every_fixture_loads_as_the_edge_list_graph() {
    let want = edgelist::load(&root().join("tests/data/networks/karate.edges"), false).unwrap();
    for f in FIXTURES {
        let (g, info) = formats::load(&fixture(f), &FileOptions::new(Options::new(false))).unwrap();
        assert_eq!((g.n(), g.num_edges(), g.is_directed()), (34, 78, false), "{f}");
        assert_eq!(g.labels(), want.labels(), "{f}");
        for u in 0..g.n() {
            assert_eq!(g.listeners(u), want.listeners(u), "{f}: node {u}");
        }
        let weighted = matches!(f, "karate.net" | "karate.csv");
        assert_eq!(info.weighted, weighted, "{f}");
        if weighted {
            assert!((0..g.n()).all(|u| g.listener_weights(u).unwrap().iter().all(|&w| w == 1.0)), "{f}");
        } else {
            assert_eq!(g, want, "{f}");
        }
    }
}

fn load_text(dir: &Path, name: &str, text: &str, opts: &FileOptions) -> Result<(Graph, PathBuf), String> {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    formats::load(&p, opts).map(|(g, _)| (g, p.clone())).map_err(|e| e.to_string())
}

#[test]
fn content_that_disagrees_with_the_name_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let graphml = fs::read_to_string(fixture("karate.graphml")).unwrap();
    // Issue 24: a GraphML file given as an edge list failed with a weight error.
    let edges = dir.path().join("karate.edges");
    fs::write(&edges, &graphml).unwrap();
    let (code, err, out) = run(dir.path(), "mismatch", &scenario(&edges, "", STRATEGIES));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "{}: this looks like GraphML (starts with <?xml … <graphml), but its name says an edge list; name it \
             .graphml or set format = \"graphml\"",
            edges.display()
        )),
        "{err}"
    );
    assert!(!err.contains("weight"), "{err}");
    assert!(!out.exists(), "a refused run wrote {}", out.display());
    // ... and read when the scenario says its format, kept in the resolved file.
    let (code, err, out) = run(dir.path(), "said", &scenario(&edges, "format = \"graphml\"\n", STRATEGIES));
    assert_eq!(code, 0, "{err}");
    let resolved = fs::read_to_string(out.join("scenario.resolved.toml")).unwrap();
    assert!(resolved.contains("format = \"graphml\""), "{resolved}");
    // Other mismatches, each naming the format and the way out.
    let o = FileOptions::new(Options::new(false));
    let gml = fs::read_to_string(fixture("karate.gml")).unwrap();
    let net = fs::read_to_string(fixture("karate.net")).unwrap();
    let gexf = fs::read_to_string(fixture("karate.gexf")).unwrap();
    for (name, text, want) in [
        ("a.txt", &gml, "this looks like GML (starts with graph [), but its name says an edge list; name it .gml"),
        ("a.csv", &net, "this looks like Pajek (starts with a *Vertices/*Arcs/*Edges line), but its name says CSV"),
        ("a.graphml", &gexf, "this looks like GEXF (starts with <?xml … <gexf), but its name says GraphML"),
        ("a.gml", &"1 2\n2 3\n".to_string(), "its name says GML, but it is text starting \"1 2\""),
        ("a.edges", &"<html><body/></html>\n".to_string(), "this looks like XML (starts with <), but its name says"),
    ] {
        let e = load_text(dir.path(), name, text, &o).unwrap_err();
        let file = dir.path().join(name).display().to_string();
        assert!(e.starts_with(&format!("{file}: {want}")), "{name}: {e}");
    }
    let explicit = FileOptions { format: Some(Format::Gexf), ..o };
    let e = load_text(dir.path(), "b.xml", &graphml, &explicit).unwrap_err();
    assert!(e.contains("this looks like GraphML") && e.contains("but network.format = \"gexf\""), "{e}");
}

#[test]
fn a_header_is_never_an_edge() {
    let dir = tempfile::tempdir().unwrap();
    let o = FileOptions::new(Options::new(false));
    // Issue 24: `source,target` over named ids was read as an edge (6 nodes, not 4).
    let text = "source,target\nann,bob\nbob,cy\ncy,dee\n";
    for name in ["named.txt", "named.edges", "named.csv"] {
        let (g, _) = load_text(dir.path(), name, text, &o).unwrap();
        assert_eq!((g.n(), g.num_edges()), (4, 3), "{name}");
        assert_eq!(g.find_label("source"), None, "{name}");
    }
    // Gephi's header, case-insensitive names, columns found by name.
    let gephi = "Source,Target,Type,Id,Label,Weight\nann,bob,Directed,0,,0.5\nbob,cy,Directed,1,,0.25\n";
    let (g, _) = load_text(dir.path(), "gephi.csv", gephi, &o).unwrap();
    assert!(g.is_directed(), "Type = Directed decides");
    assert_eq!(g.listener_weights(g.find_label("ann").unwrap()).unwrap(), &[0.5]);
    // A .csv without a header is an edge list, as it always was.
    let (g, _) = load_text(dir.path(), "plain.csv", "1,2\n2,3\n", &o).unwrap();
    assert_eq!(g.n(), 3);
    // format = "csv" insists on a header.
    let csv = FileOptions { format: Some(Format::Csv), ..o };
    let e = load_text(dir.path(), "plain2.csv", "1,2\n2,3\n", &csv).unwrap_err();
    let file = dir.path().join("plain2.csv").display().to_string();
    assert!(e.starts_with(&format!("{file}:1: the header must name a source and a target column")), "{e}");
}

#[test]
fn bad_inputs_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let o = FileOptions::new(Options::new(false));
    let cases: [(&str, &str, &str); 10] = [
        (
            "e.graphml",
            "<?xml version=\"1.0\"?>\n<graphml>\n<graph edgedefault=\"undirected\">\n<node id=\"a\"/>\n<edge source=\"a\"/>\n</graph></graphml>\n",
            ":5: an <edge> needs a source and a target",
        ),
        ("f.graphml", "<graphml>\n<graph edgedefault=\"sideways\">\n", ":2: edgedefault must be directed or undirected"),
        ("g.gexf", "<gexf>\n<graph>\n<edges>\n<edge source=\"a\" target=\"b\" weight=\"x\"/>\n", ":4: the weight must be a number in [0, 1], found \"x\""),
        ("h.gexf", "<gexf>\n<graph>\n<nodes>\n<node id=\"a\">\n</nodes>\n", ":5: not well-formed XML"),
        ("i.gml", "graph [\n  node [ id 0 ]\n  edge [ source 0 target 3 ]\n]\n", ":3: the edge names node 3, which no node [ id … ] lists"),
        ("j.gml", "graph [\n  node [ id 0 label \"a\n]\n", ":2: a string is not closed on its line"),
        ("k.net", "*Vertices 2\n*Arcs\n1 5\n", ":3: vertex number \"5\" is not in 1..2"),
        ("l.net", "*Vertices 2\n*Arcs\n1 2 0.5\n2 1\n", ":4: missing weight (line 3 has one, so every edge needs one)"),
        ("m.csv", "source,target\nann,bob\ncy\n", ":3: 1 fields where the header has 2"),
        ("n.csv", "source,target,type\nann,bob,Directed\nbob,cy,Undirected\n", ":3: type Undirected differs from line 2's"),
    ];
    for (name, text, want) in cases {
        let e = load_text(dir.path(), name, text, &o).unwrap_err();
        let file = dir.path().join(name).display().to_string();
        assert!(e.starts_with(&format!("{file}{want}")), "{name}: {e}");
        // And gzip-compressed, the same message.
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut z, text.as_bytes()).unwrap();
        let gz = dir.path().join(format!("{name}.gz"));
        fs::write(&gz, z.finish().unwrap()).unwrap();
        let e = formats::load(&gz, &o).unwrap_err().to_string();
        assert!(e.starts_with(&format!("{}{want}", gz.display())), "{name}.gz: {e}");
    }
    // Lines and elements are bounded as in the edge list.
    let mut small = o;
    small.base.max_line = 64;
    let long = format!("graph [\n node [ id 0 label \"{}\" ]\n]\n", "x".repeat(100));
    let e = load_text(dir.path(), "long.gml", &long, &small).unwrap_err();
    assert!(e.contains("long.gml:2: the line is longer than 64 bytes"), "{e}");
    let long = format!("<graphml>\n<graph>\n<node id=\"{}\"/>\n", "x".repeat(100_000));
    small.base.max_line = 1000;
    let e = load_text(dir.path(), "long.graphml", &long, &small).unwrap_err();
    assert!(e.contains("long.graphml:3: an element or text longer than"), "{e}");
    // Edges are counted against the memory limit as they arrive.
    let many = "*Vertices 3\n*Arcs\n1 2\n2 3\n3 1\n";
    let few = FileOptions { base: Options::new(true).max_edges(2), ..o };
    let e = load_text(dir.path(), "many.net", many, &few).unwrap_err();
    assert!(e.contains("many.net:5: more than 2 edges"), "{e}");
    // A scenario asking directed = true of a file that says undirected.
    let directed = FileOptions::new(Options::new(true));
    let e = formats::load(&fixture("karate.graphml"), &directed).unwrap_err().to_string();
    assert!(e.contains("the file says the network is undirected (edgedefault=\"undirected\")"), "{e}");
    // ids = "numeric" still applies.
    let numeric = FileOptions::new(Options::new(false).ids(IdMode::Numeric));
    let e = load_text(dir.path(), "n.gexf", "<gexf>\n<graph>\n<node id=\"a\"/>\n", &numeric).unwrap_err();
    assert!(e.contains("n.gexf:3: node id \"a\" is not a non-negative integer"), "{e}");
}

#[test]
fn count_weights_are_normalised_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    // Messages between people: 3 + 1 into cy, 2 into bob.
    let text = "source,target,weight\nann,cy,3\nbob,cy,1\nann,bob,2\n";
    let directed = Options::new(true);
    let e = load_text(dir.path(), "msgs.csv", text, &FileOptions::new(directed)).unwrap_err();
    let file = dir.path().join("msgs.csv").display().to_string();
    assert!(e.starts_with(&format!("{file}:2: the weight must be a number in [0, 1]; for counts")), "{e}");
    assert!(e.contains("network.normalize_weights = \"per_target\""), "{e}");
    let per = FileOptions { normalize: WeightNorm::PerTarget, ..FileOptions::new(directed) };
    let (g, _) = load_text(dir.path(), "msgs.csv", text, &per).unwrap();
    let w = |g: &Graph, a: &str, b: &str| {
        let (u, v) = (g.find_label(a).unwrap(), g.find_label(b).unwrap());
        let k = g.listeners(u).iter().position(|&x| x == v).unwrap();
        g.listener_weights(u).unwrap()[k]
    };
    assert_eq!((w(&g, "ann", "cy"), w(&g, "bob", "cy"), w(&g, "ann", "bob")), (0.75, 0.25, 1.0));
    let max = FileOptions { normalize: WeightNorm::Max, ..per };
    let (g, _) = load_text(dir.path(), "msgs.csv", text, &max).unwrap();
    assert_eq!((w(&g, "ann", "cy"), w(&g, "bob", "cy"), w(&g, "ann", "bob")), (1.0, 1.0 / 3.0, 2.0 / 3.0));
    // The edge list too, and through a scenario (the key reaches the loader).
    let edges = dir.path().join("msgs.edges");
    fs::write(&edges, "ann cy 3\nbob cy 1\nann bob 2\n").unwrap();
    let sc = dir.path().join("m.toml");
    let text = scenario(
        &edges,
        "directed = true\nnormalize_weights = \"per_target\"\n",
        "[[strategy]]\nkind = \"random\"\nbudget = 1\n",
    )
    .replace("weights = \"uniform\"\np = 0.1", "weights = \"edge\"");
    fs::write(&sc, &text).unwrap();
    let s = womsim::scenario::load(&sc).unwrap();
    let g = womsim::world::build(&s).unwrap();
    assert_eq!((w(&g, "ann", "cy"), w(&g, "bob", "cy"), w(&g, "ann", "bob")), (0.75, 0.25, 1.0));
    let s = womsim::scenario::load(&{
        fs::write(&sc, text.replace("normalize_weights = \"per_target\"\n", "")).unwrap();
        sc.clone()
    })
    .unwrap();
    let e = format!("{:#}", womsim::world::build(&s).unwrap_err());
    assert!(e.contains("msgs.edges:1: the weight must be a number in [0, 1]; for counts"), "{e}");
}

#[test]
fn names_are_kept_through_to_the_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let net = dir.path().join("club.gexf");
    fs::write(
        &net,
        "<?xml version=\"1.0\"?>\n<gexf version=\"1.2\">\n<graph defaultedgetype=\"directed\">\n<nodes>\n\
         <node id=\"Ann_Lee\"/><node id=\"Bob&amp;Co\"/><node id=\"Cy\"/>\n</nodes>\n<edges>\n\
         <edge source=\"Ann_Lee\" target=\"Bob&amp;Co\"/>\n<edge source=\"Bob&amp;Co\" target=\"Cy\"/>\n\
         <edge source=\"Cy\" target=\"Ann_Lee\"/>\n</edges>\n</graph>\n</gexf>\n",
    )
    .unwrap();
    let strategies = "[[strategy]]\nname = \"ann\"\nkind = \"explicit\"\nnodes = [\"Ann_Lee\"]\n\n\
        [[strategy]]\nname = \"rand\"\nkind = \"random\"\nbudget = 1\n";
    let (code, err, out) = run(dir.path(), "named", &scenario(&net, "", strategies).replace("steps = 34", "steps = 5"));
    assert_eq!(code, 0, "{err}");
    // Redrawn seeds, by name, in seeds.csv (all three are drawn in 60 replicates).
    let seeds = fs::read_to_string(out.join("seeds.csv")).unwrap();
    for name in ["Ann_Lee", "Bob&Co", "Cy"] {
        assert!(seeds.lines().skip(1).any(|l| l.ends_with(&format!(",{name}"))), "{name}: {seeds}");
    }
    let summary = fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(summary.contains("\"Ann_Lee\""), "{summary}");
    assert!(summary.contains("\"directed\": true"), "the file's direction is used: {summary}");
    // An id with a space could not be read back from seeds.csv: refused, with its line.
    let e = load_text(
        dir.path(),
        "sp.csv",
        "source,target\nann,bob\n\"Ann Lee\",bob\n",
        &FileOptions::new(Options::new(false)),
    )
    .unwrap_err();
    assert!(e.contains("sp.csv:3: node id \"Ann Lee\" contains whitespace"), "{e}");
}
