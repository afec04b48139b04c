//! `insp export`, its round trip through `insp index`, completions, man page.

use crate::harness::*;
use insp::index::schema::declarations;

#[test]
fn export_round_trip_gives_the_same_search_results() {
    let env = Env::new();
    let nd = env.ok(&["export"], 0).stdout;
    let docs: Vec<serde_json::Map<String, serde_json::Value>> =
        nd.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(docs.len(), 5 + 437, "a document per report and per paragraph");
    // Every key is a declared field, and ids are stable and unique.
    let names: Vec<String> = declarations().into_iter().map(|d| d.name).collect();
    let mut ids = std::collections::HashSet::new();
    for d in &docs {
        for k in d.keys() {
            assert!(names.contains(k), "{k} is not in index_schema/fields.tsv");
        }
        assert!(ids.insert(d["id"].as_str().unwrap().to_string()), "duplicate id {}", d["id"]);
    }
    assert!(ids.contains("wakefield-2011-01-slac#24"));
    let again = env.ok(&["export"], 0).stdout;
    assert_eq!(nd, again, "the export is deterministic");

    // Into a fresh index: the same answers.
    let file = env.write("export.ndjson", &nd);
    let fresh = env.path("fresh");
    let r = env.ok(&["--index", fresh.to_str().unwrap(), "index", file.to_str().unwrap()], 0);
    assert!(r.stderr.contains("indexed 5 reports (437 paragraphs)"), "{}", r.stderr);
    for q in ["unallocated cases", "IRO capacity", "\"private fostering\"", "supervision"] {
        let a = env.ok(&["search", q, "--format", "json", "-n", "20"], 0).stdout;
        let b = env.ok(&["--index", fresh.to_str().unwrap(), "search", q, "--format", "json", "-n", "20"], 0).stdout;
        assert_eq!(a, b, "{q}");
    }
    let a = env.ok(&["reports", "--format", "json"], 0).stdout;
    let b = env.ok(&["--index", fresh.to_str().unwrap(), "reports", "--format", "json"], 0).stdout;
    assert_eq!(a, b, "judgements survive the round trip");
    // Reading it again changes nothing.
    let r = env.ok(&["--index", fresh.to_str().unwrap(), "index", file.to_str().unwrap()], 0);
    assert!(r.stderr.contains("indexed 0 reports (0 paragraphs), 5 unchanged"), "{}", r.stderr);
}

#[test]
fn quickwit_and_opensearch_mappings_match_the_fields() {
    let env = Env::new();
    let qw: serde_json::Value = env.json(&["export", "--format", "quickwit"]);
    let os: serde_json::Value = env.json(&["export", "--format", "opensearch"]);
    let names: Vec<String> = declarations().into_iter().map(|d| d.name).collect();
    let qw_names: Vec<&str> =
        qw["doc_mapping"]["field_mappings"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(qw_names, names);
    let mut os_names: Vec<&String> = os["mappings"]["properties"].as_object().unwrap().keys().collect();
    os_names.sort();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(os_names, sorted.iter().collect::<Vec<_>>());
    assert_eq!(os["mappings"]["properties"]["text"]["analyzer"], "insp_en");
    assert_eq!(
        os["settings"]["analysis"]["analyzer"]["insp_en"]["filter"],
        serde_json::json!(["lowercase", "asciifolding", "porter_stem"])
    );
    assert_eq!(qw["doc_mapping"]["field_mappings"][5]["tokenizer"], "en_stem");
}

#[test]
fn completions_and_man_page() {
    let env = Env::new();
    let bash = env.ok(&["completions", "bash"], 0).stdout;
    for word in ["insp", "search", "batch", "facets", "--authority"] {
        assert!(bash.contains(word), "bash completions lack {word}");
    }
    let zsh = env.ok(&["completions", "zsh"], 0).stdout;
    assert!(zsh.starts_with("#compdef insp"));
    let man = env.ok(&["man"], 0).stdout;
    assert!(man.contains(".TH insp"), "{}", &man[..200.min(man.len())]);
    // Each command is described by its own line of `insp --help`, though
    // its arguments are built only when it runs.
    assert!(man.contains("Ranked excerpts for a query"), "{man}");
    assert!(man.contains("The indexed reports, one row each"), "{man}");
    assert!(!man.contains("Filters as typed"), "{man}");
    assert!(man.contains("batch"));
}

#[test]
fn a_bad_export_file_is_named() {
    let env = Env::new();
    env.write("bad.ndjson", "{\"kind\": \"paragraph\", \"data\": \"{}\"}\nnot json\n");
    let r = env.ok(&["index", "bad.ndjson"], 2);
    // The first bad line is named: line 1's paragraph lacks its fields.
    assert!(r.stderr.contains("bad.ndjson: line 1: missing field `para`"), "{}", r.stderr);
}
