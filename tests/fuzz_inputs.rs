//! Fuzzing the readers of untrusted text: the scenario parser
//! ([`womsim::scenario::parse_str`]), the edge-list reader
//! ([`womsim::graph::edgelist::parse_input`], plain or gzip), the other
//! network formats ([`womsim::graph::formats::parse_input`]: GraphML, GEXF,
//! GML, Pajek, CSV with a header, each named by its extension), and what
//! `plot` and `merge` read back: a results folder
//! ([`womsim::export::read_results`], then the charts and report drawn from
//! it) and a shard's folder ([`womsim::export::shard::read`]), one file of
//! a real folder mutated per case (issue 27).
//!
//! Inputs are arbitrary bytes, or — mostly — valid inputs (the bundled
//! scenarios, small edge lists) mutated by a few edits: random bytes,
//! tokens of the format (keys and values of the schema, table headers, big
//! and odd numbers, separators, control characters), deletions, copies,
//! truncation. Each case asserts that the reader does not panic, answers in
//! bounded time, and either succeeds with a consistent result (a scenario
//! that reads back identically from its resolved TOML; a graph whose labels
//! are unique and found again) or fails with a well-formed error: the file
//! named, a 1-based line within the text, no raw control character.
//!
//! `cargo test` runs a small number of cases. `WOMSIM_FUZZ_SECONDS=300 cargo
//! test --release --test fuzz_inputs -- --nocapture` runs a campaign of about
//! that many seconds per reader (the two run in parallel) and prints the
//! number of cases; `.ci/run` runs one. A failure prints the smallest input
//! found (shrunk by proptest).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseResult, TestRunner};
use womsim::graph::edgelist::{self, IdMode, LoadError, Options};
use womsim::graph::Labels;
use womsim::scenario::{self, Ty};

/// Cases per reader in a plain `cargo test`.
const QUICK_CASES: u32 = 300;
/// Cases per batch in a timed campaign (the clock is checked between batches).
const BATCH_CASES: u32 = 2000;
/// Longest time one case may take (a hang or a quadratic blow-up fails).
const CASE_LIMIT: Duration = Duration::from_secs(10);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Bytes shown as (lossy) text when a failing case is printed.
#[derive(Clone)]
struct Input(Vec<u8>);

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes: {:?}", self.0.len(), String::from_utf8_lossy(&self.0))
    }
}

/// One edit of a seed input. Positions are taken modulo the length.
#[derive(Debug, Clone)]
enum Edit {
    Bytes {
        at: usize,
        bytes: Vec<u8>,
    },
    /// A token of the dictionary, at a line start when `line_start`.
    Token {
        at: usize,
        token: usize,
        line_start: bool,
    },
    Delete {
        at: usize,
        len: usize,
    },
    Set {
        at: usize,
        byte: u8,
    },
    Copy {
        from: usize,
        len: usize,
        to: usize,
    },
    Truncate {
        at: usize,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        2 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8)).prop_map(|(at, bytes)| Edit::Bytes { at, bytes }),
        5 => (any::<usize>(), any::<usize>(), any::<bool>())
            .prop_map(|(at, token, line_start)| Edit::Token { at, token, line_start }),
        2 => (any::<usize>(), 1usize..64).prop_map(|(at, len)| Edit::Delete { at, len }),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::Set { at, byte }),
        1 => (any::<usize>(), 1usize..200, any::<usize>()).prop_map(|(from, len, to)| Edit::Copy { from, len, to }),
        1 => any::<usize>().prop_map(|at| Edit::Truncate { at }),
    ]
}

fn apply(seed: &[u8], edits: &[Edit], dict: &[Vec<u8>]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for e in edits {
        let pos = |at: usize, v: &Vec<u8>| at % (v.len() + 1);
        match e {
            Edit::Bytes { at, bytes } => {
                let p = pos(*at, &v);
                v.splice(p..p, bytes.iter().copied());
            }
            Edit::Token { at, token, line_start } => {
                let mut p = pos(*at, &v);
                if *line_start {
                    p = v[..p].iter().rposition(|&c| c == b'\n').map_or(0, |k| k + 1);
                }
                v.splice(p..p, dict[token % dict.len()].iter().copied());
            }
            Edit::Delete { at, len } => {
                let p = pos(*at, &v);
                let end = (p + len).min(v.len());
                v.drain(p..end);
            }
            Edit::Set { at, byte } => {
                if !v.is_empty() {
                    let p = at % v.len();
                    v[p] = *byte;
                }
            }
            Edit::Copy { from, len, to } => {
                let p = pos(*from, &v);
                let piece: Vec<u8> = v[p..(p + len).min(v.len())].to_vec();
                let q = pos(*to, &v);
                v.splice(q..q, piece);
            }
            Edit::Truncate { at } => {
                let p = pos(*at, &v);
                v.truncate(p);
            }
        }
    }
    v
}

/// Arbitrary bytes now and then; mostly a seed with up to `max_edits` edits.
fn input(seeds: Vec<Vec<u8>>, dict: Vec<Vec<u8>>, max_edits: usize) -> impl Strategy<Value = Input> {
    let n = seeds.len();
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..400).prop_map(Input),
        9 => (0..n, prop::collection::vec(edit(), 0..=max_edits))
            .prop_map(move |(i, edits)| Input(apply(&seeds[i], &edits, &dict))),
    ]
}

/// How many cases ended each way (printed after a campaign).
#[derive(Default)]
struct Tally(RefCell<BTreeMap<&'static str, u64>>);

impl Tally {
    fn add(&self, outcome: &'static str) {
        *self.0.borrow_mut().entry(outcome).or_default() += 1;
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.borrow().iter().map(|(k, v)| format!("{k} {v}")).collect();
        write!(f, "{}", parts.join(", "))
    }
}

/// Run `test` on cases of `strategy`: a few hundred, or batches until
/// `WOMSIM_FUZZ_SECONDS` have passed. Returns the number of cases.
fn campaign<S: Strategy>(name: &str, strategy: S, tally: &Tally, test: impl Fn(S::Value) -> TestCaseResult) -> u64 {
    campaign_of(name, QUICK_CASES, strategy, tally, test)
}

/// [`campaign`] with `quick` cases in a plain `cargo test`.
fn campaign_of<S: Strategy>(
    name: &str,
    quick: u32,
    strategy: S,
    tally: &Tally,
    test: impl Fn(S::Value) -> TestCaseResult,
) -> u64 {
    let seconds: Option<f64> = std::env::var("WOMSIM_FUZZ_SECONDS").ok().map(|s| {
        s.trim().parse().unwrap_or_else(|_| panic!("WOMSIM_FUZZ_SECONDS = {s:?}: expected a number of seconds"))
    });
    let cases = if seconds.is_some() { BATCH_CASES } else { quick };
    let start = Instant::now();
    let mut total = 0u64;
    loop {
        let config = Config { cases, failure_persistence: None, ..Config::default() };
        let mut runner = TestRunner::new(config);
        if let Err(e) = runner.run(&strategy, &test) {
            panic!("fuzz {name}: {e}");
        }
        total += u64::from(cases);
        if seconds.is_none_or(|s| start.elapsed().as_secs_f64() >= s) {
            break;
        }
    }
    println!("fuzz {name}: {total} cases in {:.1} s, no failure", start.elapsed().as_secs_f64());
    println!("fuzz {name}: outcomes (shrinking excluded) {tally}");
    total
}

/// The first control character in `text` other than those in `allowed`.
fn control_char(text: &str, allowed: &[char]) -> Option<char> {
    text.chars().find(|c| c.is_control() && !allowed.contains(c))
}

// ------------------------------------------------------------------ scenarios

fn scenario_seeds() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = root().join("scenarios");
    let mut seeds: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let text = std::fs::read(&p).unwrap();
            (p, text)
        })
        .collect();
    seeds.sort();
    seeds.push((dir.join("starter.toml"), scenario::starter_toml().as_bytes().to_vec()));
    seeds
}

fn scenario_dict() -> Vec<Vec<u8>> {
    let mut d: Vec<String> = [
        "[network]\n",
        "[model]\n",
        "[population]\n",
        "[population.mix]\n",
        "[output]\n",
        "[[strategy]]\n",
        "[strategy]\n",
        "kind = \"edge_list\"\npath = \"data/karate.edges\"\n",
        "file = \"data/karate.edges\"\n",
        "budgets = [1, 2, 5]\n",
        " = ",
        "=",
        "\"",
        "'",
        "'''",
        "\"\"\"",
        "[",
        "]",
        "{",
        "}",
        ",",
        ".",
        "#",
        "\n",
        "\r\n",
        "\t",
        "0",
        "1",
        "-1",
        "0.5",
        "1.0000000001",
        "1e308",
        "-1e308",
        "5e-324",
        "nan",
        "inf",
        "-inf",
        "4294967295",
        "4294967296",
        "9223372036854775807",
        "-9223372036854775808",
        "99999999999999999999",
        "true",
        "false",
        "[]",
        "[1, 2]",
        "[2, 1]",
        "{ base = 1.0 }",
        "\"\"",
        "\"x\\u001b[31m\"",
        "\"\\u0000\"",
        "\u{7}",
        "\u{1b}",
        "\u{0}",
        "\u{7f}",
        "\u{85}",
        "é",
        "\u{202e}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for sec in scenario::schema() {
        if !sec.table.is_empty() {
            d.push(format!("[{}]\n", sec.table));
        }
        if let Some(k) = sec.kind {
            d.push(format!("kind = \"{k}\"\n"));
        }
        for key in &sec.keys {
            d.push(format!("{} = ", key.name));
            // A whole line with the default, to land in other tables too.
            if let Some(v) = &key.default {
                d.push(format!("{} = {}\n", key.name, scenario::schema::value_text(v)));
            }
            d.push(key.name.clone());
            if let Ty::Choice(c) | Ty::ChoiceList(c) = key.ty {
                d.extend(c.iter().map(|v| format!("\"{v}\"")));
            }
        }
    }
    d.sort();
    d.dedup();
    d.into_iter().map(String::into_bytes).collect()
}

/// No panic; an error lists problems with sane lines and printable text; a
/// scenario reads back identically from its resolved TOML.
fn check_scenario(source: &Path, bytes: &[u8], tally: &Tally) -> TestCaseResult {
    let text = String::from_utf8_lossy(bytes);
    let start = Instant::now();
    let result = scenario::parse_str(&text, Some(source));
    prop_assert!(start.elapsed() < CASE_LIMIT, "took {:?}", start.elapsed());
    match result {
        Err(e) => {
            tally.add(if e.problems.iter().any(|p| p.column.is_some()) { "TOML syntax error" } else { "invalid" });
            prop_assert!(!e.problems.is_empty(), "an error without problems");
            let lines = text.split('\n').count();
            for p in &e.problems {
                prop_assert!(!p.message.trim().is_empty(), "empty message: {p:?}");
                prop_assert!(p.line.is_none_or(|l| (1..=lines).contains(&l)), "line out of range: {p:?}");
                prop_assert!(p.column.is_none_or(|c| c >= 1) && (p.column.is_none() || p.line.is_some()), "{p:?}");
            }
            let shown = e.to_string();
            prop_assert!(control_char(&shown, &['\n']).is_none(), "raw control character in {shown:?}");
            // One problem per line, each naming the file.
            let file = source.display().to_string();
            prop_assert_eq!(shown.lines().count(), e.problems.len(), "{}", shown);
            prop_assert!(shown.lines().all(|l| l.starts_with(&file)), "{}", shown);
        }
        Ok(s) => {
            tally.add("valid");
            let resolved = s.to_resolved_toml();
            match scenario::parse_str(&resolved, Some(source)) {
                Ok(back) => prop_assert!(back == s, "the resolved TOML reads back differently:\n{resolved}"),
                Err(e) => prop_assert!(false, "the resolved TOML is invalid: {e}\n{resolved}"),
            }
        }
    }
    Ok(())
}

#[test]
fn fuzz_scenario_parser() {
    let seeds = scenario_seeds();
    // Relative paths in a seed resolve against its own folder (scenarios/).
    let source = seeds[0].0.clone();
    let texts: Vec<Vec<u8>> = seeds.into_iter().map(|(_, t)| t).collect();
    let tally = Tally::default();
    for t in &texts {
        check_scenario(&source, t, &tally).unwrap();
    }
    campaign("scenario parser", input(texts, scenario_dict(), 4), &tally, |i| check_scenario(&source, &i.0, &tally));
}

// ------------------------------------------------------------------ edge lists

fn edge_seeds() -> Vec<Vec<u8>> {
    let karate = std::fs::read(root().join("tests/data/networks/karate.edges")).unwrap();
    let mut seeds = vec![karate];
    seeds.extend(
        [
            "0 1\n1 2\n2 0\n",
            "source,target\n10,20\n20,30\n30,10\n",
            "# c\n% c\n\n  1 2\r\n2,3 # trailing\n3\t 4\n4 , 1\n",
            "u v weight\n1 2 0.5\n2 3 0.25\n3 1 1\n",
            "a b 0.5\nb c 1\nc a 0\n",
            "alice,bob\nbob,carol\ncarol,alice\ndave,alice\n",
            "1000000 7\n7 42\n42 1000000\n99999999999 7\n",
            "18446744073709551615 0\n0 4294967295\n4294967294 1\n",
            "5 alice\nbob 5\n007 bob\n",
            "0 0\n1 1\n0 1\n1 0\n0 1\n",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec()),
    );
    seeds
}

fn edge_dict() -> Vec<Vec<u8>> {
    [
        "0",
        "1",
        "7",
        "007",
        "-1",
        "+1",
        "4294967294",
        "4294967295",
        "4294967296",
        "18446744073709551615",
        "18446744073709551616",
        "999999999999999999999999999999",
        "0.5",
        "1.5",
        "-0",
        "nan",
        "inf",
        "1e-45",
        "0x1",
        " ",
        "\t",
        ",",
        ", ,",
        "\r",
        "\r\n",
        "\n",
        "\n\n",
        "#",
        "%",
        " # c",
        "source,target\n",
        "u v weight\n",
        "a",
        "alice",
        "é",
        "\u{0}",
        "\u{7}",
        "\u{1b}[2J",
        "\u{7f}",
        "\u{b}",
        "\u{c}",
        "\u{85}",
        "\u{ff}",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

#[derive(Debug, Clone)]
struct EdgeCase {
    text: Input,
    directed: bool,
    ids: IdMode,
    max_line: usize,
    /// Capacity of the reader's buffer (cuts lines at different places).
    capacity: usize,
    /// 0: plain; 1: gzip; 2: gzip with one byte of the stream changed.
    gzip: u8,
    corrupt: (usize, u8),
}

fn edge_case() -> impl Strategy<Value = EdgeCase> {
    (
        input(edge_seeds(), edge_dict(), 10),
        any::<bool>(),
        prop::sample::select(IdMode::ALL.to_vec()),
        prop_oneof![1 => Just(8usize), 1 => Just(40), 1 => Just(4096), 5 => Just(edgelist::MAX_LINE_BYTES)],
        1usize..80,
        prop_oneof![6 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
        (any::<usize>(), any::<u8>()),
    )
        .prop_map(|(text, directed, ids, max_line, capacity, gzip, corrupt)| EdgeCase {
            text,
            directed,
            ids,
            max_line,
            capacity,
            gzip,
            corrupt,
        })
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

const SOURCE: &str = "fuzz.edges";
/// Plain text that starts like this is read as gzip.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// No panic; a graph whose labels are unique and found again, or an error
/// naming the source (and a line within the text), printable.
fn check_edges(c: &EdgeCase, tally: &Tally) -> TestCaseResult {
    let text = &c.text.0;
    // Now and then an edge-line limit (as the memory limit sets one).
    let max_edges = if c.capacity % 4 == 0 { c.capacity as u64 } else { u64::MAX };
    let opts = Options { max_line: c.max_line, max_edges, ..Options::new(c.directed).ids(c.ids) };
    let bytes = match c.gzip {
        0 => text.clone(),
        _ => {
            let mut z = gzip(text);
            if c.gzip == 2 {
                let at = c.corrupt.0 % z.len();
                z[at] = c.corrupt.1;
            }
            z
        }
    };
    let start = Instant::now();
    let result = edgelist::parse_input(BufReader::with_capacity(c.capacity, &bytes[..]), SOURCE, &opts);
    prop_assert!(start.elapsed() < CASE_LIMIT, "took {:?}", start.elapsed());
    match &result {
        Err(e) => {
            tally.add(match e {
                LoadError::Io { .. } => "I/O (gzip) error",
                LoadError::Syntax { .. } => "syntax error",
                LoadError::LineTooLong { .. } => "line too long",
                LoadError::TooLarge { .. } => "too large",
                LoadError::TooManyEdges { .. } => "too many edges",
                LoadError::Empty { .. } => "no edges",
                LoadError::Graph { .. } => "graph error",
            });
            let shown = e.to_string();
            prop_assert!(
                shown.starts_with(&format!("{SOURCE}:")) || shown.starts_with(&format!("cannot read {SOURCE}: ")),
                "{}",
                shown
            );
            prop_assert!(control_char(&shown, &[]).is_none(), "raw control character in {shown:?}");
            if c.gzip == 0 && !text.starts_with(&GZIP_MAGIC) {
                let lines = text.split(|&b| b == b'\n').count() as u64;
                if let LoadError::Syntax { line, .. }
                | LoadError::LineTooLong { line, .. }
                | LoadError::TooManyEdges { line, .. } = e
                {
                    prop_assert!((1..=lines).contains(line), "line {line} of {lines}: {shown}");
                }
                prop_assert!(!matches!(e, LoadError::Io { .. }), "an I/O error from a byte slice: {shown}");
            }
        }
        Ok((g, info)) => {
            tally.add(if c.gzip > 0 { "graph (gzip)" } else { "graph" });
            prop_assert!(g.n() >= 2 && g.num_arcs() > 0, "a graph with no arc");
            prop_assert!(u64::from(g.n()) <= 2 * info.edge_lines);
            prop_assert!(info.edge_lines <= max_edges);
            prop_assert_eq!(g.is_directed(), c.directed);
            if c.ids == IdMode::Names {
                prop_assert!(matches!(g.labels(), Labels::Names(_)));
            }
            if c.ids == IdMode::Numeric {
                prop_assert!(!matches!(g.labels(), Labels::Names(_)));
            }
            for u in 0..g.n() {
                let label = g.label(u).to_string();
                prop_assert!(!label.is_empty() && control_char(&label, &[]).is_none(), "label {label:?}");
                prop_assert_eq!(g.find_label(&label), Some(u), "label {:?} is not unique", label);
            }
        }
    }
    // The buffer size does not change the outcome (fast path, cut lines).
    if c.gzip == 0 && !text.starts_with(&GZIP_MAGIC) {
        let whole = edgelist::parse_with_options(&text[..], SOURCE, &opts);
        match (&result, &whole) {
            (Ok(a), Ok(b)) => prop_assert!(a == b, "capacity {} changes the graph", c.capacity),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string(), "capacity {}", c.capacity),
            _ => prop_assert!(false, "capacity {}: {:?} vs {:?}", c.capacity, result.is_ok(), whole.is_ok()),
        }
    }
    Ok(())
}

#[test]
fn fuzz_edge_list_reader() {
    let tally = Tally::default();
    for seed in edge_seeds() {
        for ids in IdMode::ALL {
            let c = EdgeCase {
                text: Input(seed.clone()),
                directed: false,
                ids,
                max_line: edgelist::MAX_LINE_BYTES,
                capacity: 7,
                gzip: 0,
                corrupt: (0, 0),
            };
            check_edges(&c, &tally).unwrap();
        }
    }
    campaign("edge-list reader", edge_case(), &tally, |c| check_edges(&c, &tally));
}

// ------------------------------------------------------------ network formats

/// The other formats' fixtures (karate as networkx writes it) and small
/// texts of each, as (extension, bytes).
fn format_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let dir = root().join("tests/data/formats");
    let mut seeds: Vec<(&str, Vec<u8>)> = ["graphml", "gexf", "gml", "net", "csv"]
        .into_iter()
        .map(|ext| (ext, std::fs::read(dir.join(format!("karate.{ext}"))).unwrap()))
        .collect();
    seeds.extend(
        [
            ("graphml", "<graphml><key id=\"w\" for=\"edge\" attr.name=\"weight\"><default>0.5</default></key><graph edgedefault=\"directed\"><node id=\"a\"/><edge source=\"a\" target=\"b\"><data key=\"w\">0.25</data></edge><edge source=\"b\" target=\"a\"/></graph></graphml>"),
            ("gexf", "<gexf><graph defaultedgetype=\"directed\"><nodes><node id=\"1\"/></nodes><edges><edge source=\"1\" target=\"2\" weight=\"0.5\"/></edges></graph></gexf>"),
            ("gml", "Creator \"x\"\ngraph [\n directed 1\n node [ id 1 label \"a&amp;b\" ]\n node [ id 2 ]\n edge [ source 1 target 2 weight 3 ]\n]\n"),
            ("net", "% c\n*Vertices 3\n1 \"a\"\n*Arcs\n1 2 2\n*Edges\n2 3 1\n"),
            ("csv", "Source;Target;Type;Weight\n\"a\";b;Directed;4\nb;c;Directed;1\n"),
        ]
        .map(|(e, t)| (e, t.as_bytes().to_vec())),
    );
    seeds
}

fn format_dict() -> Vec<Vec<u8>> {
    let mut d: Vec<Vec<u8>> = [
        "<",
        ">",
        "/>",
        "</",
        "<?xml version=\"1.0\"?>",
        "<graphml>",
        "</graphml>",
        "<gexf>",
        "<graph>",
        "<graph edgedefault=\"undirected\">",
        "<graph defaultedgetype=\"directed\">",
        "</graph>",
        "<node id=\"",
        "<node id=\"x\"/>",
        "<edge source=\"1\" target=\"2\"/>",
        " weight=\"",
        "<data key=\"d0\">",
        "</data>",
        "<key id=\"d0\" for=\"edge\" attr.name=\"weight\"/>",
        " directed=\"true\"",
        "<hyperedge/>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "&amp;",
        "&#0;",
        "&#x1b;",
        "&bogus;",
        "\"",
        "graph [",
        "node [",
        "edge [",
        "[",
        "]",
        "id ",
        "label ",
        "source ",
        "target ",
        "weight ",
        "directed 1",
        "*Vertices ",
        "*Vertices 4000000000",
        "*Arcs",
        "*Edges",
        "*Arcslist",
        "*Network x",
        "Source,Target",
        ",Type,Weight",
        "Directed",
        "Undirected",
        ";",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    d.extend(edge_dict());
    d
}

#[derive(Debug, Clone)]
struct FormatCase {
    /// Index into [`format_seeds`]' extensions, so the name says the format.
    ext: usize,
    text: Input,
    directed: bool,
    normalize: usize,
    max_line: usize,
    capacity: usize,
    gzip: bool,
}

const EXTENSIONS: [&str; 5] = ["graphml", "gexf", "gml", "net", "csv"];

fn format_case() -> impl Strategy<Value = FormatCase> {
    let seeds = format_seeds();
    let texts: Vec<Vec<u8>> = seeds.iter().map(|(_, t)| t.clone()).collect();
    (
        0..EXTENSIONS.len(),
        input(texts, format_dict(), 10),
        any::<bool>(),
        0usize..3,
        prop_oneof![1 => Just(40usize), 1 => Just(4096), 4 => Just(edgelist::MAX_LINE_BYTES)],
        1usize..80,
        prop_oneof![6 => Just(false), 1 => Just(true)],
    )
        .prop_map(|(ext, text, directed, normalize, max_line, capacity, gzip)| FormatCase {
            ext,
            text,
            directed,
            normalize,
            max_line,
            capacity,
            gzip,
        })
}

/// No panic, bounded time; a graph whose labels are unique, printable and
/// found again, with weights in [0, 1], or an error naming the source
/// (and a line within the text), printable.
fn check_format(c: &FormatCase, tally: &Tally) -> TestCaseResult {
    use womsim::graph::formats::{self, FileOptions, WeightNorm};
    let source = format!("fuzz.{}", EXTENSIONS[c.ext]);
    let max_edges = if c.capacity % 4 == 0 { c.capacity as u64 } else { u64::MAX };
    let base = Options { max_line: c.max_line, max_edges, ..Options::new(c.directed) };
    let opts = FileOptions { normalize: WeightNorm::ALL[c.normalize], ..FileOptions::new(base) };
    let bytes = if c.gzip { gzip(&c.text.0) } else { c.text.0.clone() };
    let start = Instant::now();
    let result = formats::parse_input(BufReader::with_capacity(c.capacity, &bytes[..]), &source, &opts);
    prop_assert!(start.elapsed() < CASE_LIMIT, "took {:?}", start.elapsed());
    match &result {
        Err(e) => {
            tally.add(if matches!(e, formats::Error::At { .. }) { "error at a line" } else { "other error" });
            let shown = e.to_string();
            prop_assert!(
                shown.starts_with(&format!("{source}:")) || shown.starts_with(&format!("cannot read {source}: ")),
                "{}",
                shown
            );
            prop_assert!(control_char(&shown, &[]).is_none(), "raw control character in {shown:?}");
            if let formats::Error::At { line, .. } = e {
                let lines = c.text.0.split(|&b| b == b'\n').count() as u64;
                prop_assert!((1..=lines).contains(line), "line {line} of {lines}: {shown}");
            }
        }
        Ok((g, info)) => {
            tally.add("graph");
            prop_assert!(g.num_arcs() > 0, "a graph with no arc");
            prop_assert!(info.edge_lines <= max_edges);
            for u in 0..g.n() {
                let label = g.label(u).to_string();
                prop_assert!(!label.is_empty() && control_char(&label, &[]).is_none(), "label {label:?}");
                prop_assert!(!label.contains(char::is_whitespace), "label {label:?}");
                prop_assert_eq!(g.find_label(&label), Some(u), "label {:?} is not unique", label);
                if let Some(ws) = g.listener_weights(u) {
                    prop_assert!(ws.iter().all(|w| (0.0..=1.0).contains(w)), "weights {ws:?}");
                }
            }
        }
    }
    Ok(())
}

#[test]
fn fuzz_network_format_readers() {
    let tally = Tally::default();
    for (ext, text) in format_seeds() {
        let c = FormatCase {
            ext: EXTENSIONS.iter().position(|&e| e == ext).unwrap(),
            text: Input(text),
            directed: false,
            normalize: 0,
            max_line: edgelist::MAX_LINE_BYTES,
            capacity: 7,
            gzip: false,
        };
        check_format(&c, &tally).unwrap();
    }
    campaign("network format readers", format_case(), &tally, |c| check_format(&c, &tally));
}

// ------------------------------------------------------ results and shard folders

/// Cases of the folder targets in a plain `cargo test` (each writes files).
const QUICK_FOLDER_CASES: u32 = 60;

const FOLDER_SCENARIO: &str = "name = \"fz\"\nseed = 5\nreplicates = 6\nsteps = 8\nbudgets = [2, 3]\n\
    [network]\nkind = \"barabasi_albert\"\nnodes = 120\nm = 2\n\
    [[strategy]]\nname = \"top\"\nkind = \"top_degree\"\nbudget = 2\n\
    [[strategy]]\nname = \"rand\"\nkind = \"random\"\nbudget = 2\n\
    [output]\ncharts = [\"reach\", \"comparison\"]\n";

/// `womsim ARGS` in `dir`, which must succeed.
fn womsim_ok(args: &[&str], dir: &Path) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_womsim")).args(args).current_dir(dir).output().unwrap();
    assert!(o.status.success(), "womsim {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

/// The files of a folder written by the binary: (name, bytes).
fn folder_files(dir: &Path, names: &[&str]) -> Vec<(String, Vec<u8>)> {
    names.iter().map(|n| (n.to_string(), std::fs::read(dir.join(n)).unwrap())).collect()
}

fn folder_dict() -> Vec<Vec<u8>> {
    [
        "0",
        "1",
        "-1",
        "2.5",
        "1e308",
        "-1e308",
        "NaN",
        "nan",
        "inf",
        "-0",
        "18446744073709551616",
        "9007199254740993",
        "4294967296",
        "null",
        "true",
        "\"\"",
        "\"x\"",
        "[]",
        "{}",
        ",",
        ":",
        "\n",
        "\r\n",
        "\"",
        "(no campaign)",
        "top",
        "rand",
        "ghost",
        "baseline",
        "complete",
        "false",
        "steps",
        "replicates",
        "nodes",
        "\u{0}",
        "\u{1b}[2J",
        "é",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

/// One file of a folder (by index) mutated.
fn folder_case(files: usize) -> impl Strategy<Value = (usize, Vec<Edit>)> {
    (0..files, prop::collection::vec(edit(), 1..=4))
}

/// Write `files` into a fresh folder under `root` with file `which` mutated.
fn mutated_folder(root: &Path, files: &[(String, Vec<u8>)], which: usize, edits: &[Edit]) -> (PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir_in(root).unwrap().keep();
    let mut changed = Vec::new();
    for (i, (name, bytes)) in files.iter().enumerate() {
        let b = if i == which { apply(bytes, edits, &folder_dict()) } else { bytes.clone() };
        if i == which {
            changed = b.clone();
        }
        std::fs::write(dir.join(name), &b).unwrap();
    }
    (dir, changed)
}

/// An error names a file of the folder and has no raw control character.
fn well_formed(e: &anyhow::Error, names: &[String]) -> TestCaseResult {
    let shown = format!("{e:#}");
    prop_assert!(names.iter().any(|n| shown.contains(n.as_str())), "names no file: {shown}");
    prop_assert!(control_char(&shown, &[]).is_none(), "raw control character in {shown:?}");
    Ok(())
}

/// `plot`'s reading: no panic; an error naming a file; or results whose
/// series all span the horizon, drawn (charts and report) without error.
fn check_results_folder(
    root: &Path,
    files: &[(String, Vec<u8>)],
    which: usize,
    edits: &[Edit],
    tally: &Tally,
) -> TestCaseResult {
    let (dir, _) = mutated_folder(root, files, which, edits);
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let start = Instant::now();
    let result = womsim::export::read_results(&dir);
    match &result {
        Err(e) => {
            tally.add("refused");
            well_formed(e, &names)?;
        }
        Ok(r) => {
            let rows = r.summary.steps as usize + 1;
            prop_assert_eq!(r.baseline.mean.len(), rows);
            prop_assert_eq!(r.series.len(), r.summary.strategies.len());
            for (s, st) in r.series.iter().zip(&r.summary.strategies) {
                prop_assert_eq!(&s.strategy, &st.name);
                prop_assert_eq!(s.mean.len(), rows);
            }
            match womsim::charts::output_spec_from_toml(&r.resolved_toml) {
                Ok(out) if womsim::charts::check_size(out.size).is_ok() => {
                    let drawn = womsim::charts::render_all(r, &dir.join("charts"), &out);
                    prop_assert!(drawn.is_ok(), "charts: {:#}", drawn.unwrap_err());
                    let notes = womsim::report::ReportNotes::default();
                    let report = womsim::report::write_report_with(r, &notes, &dir.join("report.html"));
                    prop_assert!(report.is_ok(), "report: {:#}", report.unwrap_err());
                    tally.add("read and drawn");
                }
                _ => tally.add("read, output table refused"),
            }
        }
    }
    prop_assert!(start.elapsed() < CASE_LIMIT, "took {:?}", start.elapsed());
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[test]
fn fuzz_plot_reader() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("s.toml"), FOLDER_SCENARIO).unwrap();
    womsim_ok(&["run", "s.toml", "--quiet", "--out", "res"], t.path());
    let e = womsim::export::MANIFEST;
    let names = ["summary.json", "timeseries.csv", "degrees.csv", "budgets.csv", "scenario.resolved.toml", e];
    let files = folder_files(&t.path().join("res"), &names);
    let tally = Tally::default();
    let cases = t.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    // The unmutated folder reads and draws.
    check_results_folder(&cases, &files, 0, &[], &tally).unwrap();
    campaign_of("plot reader", QUICK_FOLDER_CASES, folder_case(files.len()), &tally, |(which, edits)| {
        check_results_folder(&cases, &files, which, &edits, &tally)
    });
}

/// `merge`'s reading: no panic; an error naming a file; and a changed data
/// file or scenario text never reads back (its digest no longer matches).
fn check_shard_folder(
    root: &Path,
    files: &[(String, Vec<u8>)],
    which: usize,
    edits: &[Edit],
    tally: &Tally,
) -> TestCaseResult {
    let (dir, changed) = mutated_folder(root, files, which, edits);
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let start = Instant::now();
    let result = womsim::export::shard::read(&dir);
    match &result {
        Err(e) => {
            tally.add("refused");
            well_formed(e, &names)?;
        }
        Ok(p) => {
            let data_changed = names[which] != womsim::export::shard::SHARD_MANIFEST && changed != files[which].1;
            prop_assert!(!data_changed, "an edited {} was accepted", names[which]);
            prop_assert_eq!(p.data.baseline.len(), p.data.replicates.len());
            tally.add(if changed == files[which].1 { "unchanged" } else { "manifest edit accepted" });
        }
    }
    prop_assert!(start.elapsed() < CASE_LIMIT, "took {:?}", start.elapsed());
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[test]
fn fuzz_merge_reader() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("s.toml"), FOLDER_SCENARIO).unwrap();
    womsim_ok(&["run", "s.toml", "--quiet", "--shard", "2/3", "--out", "part"], t.path());
    let sh = womsim::export::shard::SHARD_MANIFEST;
    let names = [sh, "scenario.resolved.toml", "trajectories.csv", "seeds_acted.csv"];
    let files = folder_files(&t.path().join("part"), &names);
    let tally = Tally::default();
    let cases = t.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    check_shard_folder(&cases, &files, 0, &[], &tally).unwrap();
    campaign_of("merge reader", QUICK_FOLDER_CASES, folder_case(files.len()), &tally, |(which, edits)| {
        check_shard_folder(&cases, &files, which, &edits, &tally)
    });
}
