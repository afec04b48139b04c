//! `insp index`: incremental, safe updates and clear messages for bad input.

use crate::harness::*;
use insp::output::SearchJson;

fn copy_corpus(env: &Env, folder: &str, names: &[&str]) {
    for n in names {
        env.write(&format!("{folder}/{n}"), std::fs::read(corpus(n)).unwrap());
    }
}

fn hits(env: &Env, q: &str) -> SearchJson {
    env.json(&["search", q, "--format", "json", "--limit", "100"])
}

#[test]
fn a_folder_is_indexed_then_updated_incrementally() {
    let env = Env::new();
    copy_corpus(&env, "reports", &[WAKEFIELD_SLAC, KIRKLEES]);
    let r = env.ok(&["index", "reports"], 0);
    assert!(r.stderr.contains("indexed 2 reports (229 paragraphs), 0 unchanged, 0 removed, 0 skipped"), "{}", r.stderr);

    // Unchanged files are not read again.
    let r = env.ok(&["index", "reports"], 0);
    assert!(r.stderr.contains("indexed 0 reports (0 paragraphs), 2 unchanged, 0 removed, 0 skipped"), "{}", r.stderr);

    // A changed file replaces its report: old text gone, new text found.
    let path = env.path(&format!("reports/{KIRKLEES}"));
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("The KSCB provides good oversight", "The KSCB provides zebracrossing oversight");
    std::fs::write(&path, text).unwrap();
    let r = env.ok(&["index", "reports"], 0);
    assert!(r.stderr.contains("indexed 1 report (143 paragraphs), 1 unchanged"), "{}", r.stderr);
    let found = hits(&env, "zebracrossing");
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].report_id, "kirklees-2011-11-slac", "the report keeps its id");
    let total_kirklees = hits(&env, "oversight").hits.iter().filter(|h| h.report_id.starts_with("kirklees")).count();
    assert!(total_kirklees > 0);

    // A file that disappeared from the folder is removed.
    std::fs::remove_file(&path).unwrap();
    let r = env.ok(&["index", "reports"], 0);
    assert!(r.stderr.contains("1 removed"), "{}", r.stderr);
    assert!(hits(&env, "zebracrossing").hits.is_empty());
    assert!(!hits(&env, "thresholds").hits.is_empty());
    // Each run leaves its index in one segment (one term dictionary per
    // field to read at search time), whatever it added or removed.
    let segments = std::fs::read_dir(env.index_dir())
        .unwrap()
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "idx")));
    assert_eq!(segments.count(), 1, "one segment after an update");
}

#[test]
fn bad_files_are_skipped_with_their_reason_and_the_rest_indexed() {
    let env = Env::new();
    copy_corpus(&env, "mixed", &[WAKEFIELD_FV]);
    env.write("mixed/empty.txt", "");
    env.write("mixed/noise.txt", [0u8, 159, 146, 150, 0, 1, 2, 3, 0, 7]);
    env.write("mixed/download.pdf", "<!DOCTYPE html><html><body>Report not found</body></html>");
    env.write("mixed/notes.md", "1234 5678");
    env.write("mixed/ignored.docx", "not read");
    let r = env.ok(&["index", "mixed"], 0);
    assert!(r.stderr.contains("indexed 1 report"), "{}", r.stderr);
    assert!(r.stderr.contains("empty.txt: empty file"), "{}", r.stderr);
    assert!(r.stderr.contains("noise.txt: binary data, not text"), "{}", r.stderr);
    assert!(r.stderr.contains("download.pdf: an HTML page, not a report (a failed download?)"), "{}", r.stderr);
    assert!(r.stderr.contains("notes.md: no text in it"), "{}", r.stderr);
    assert!(!r.stderr.contains("ignored.docx"));
    assert!(!hits(&env, "vulnerability tracker").hits.is_empty());
}

#[test]
fn nothing_indexable_is_an_error() {
    let env = Env::new();
    let r = env.ok(&["index", "missing-folder"], 2);
    assert!(r.stderr.contains("cannot index missing-folder: no such file or directory"), "{}", r.stderr);
    std::fs::create_dir_all(env.path("empty")).unwrap();
    env.write("empty/readme.docx", "x");
    let r = env.ok(&["index", "empty"], 2);
    assert!(r.stderr.contains("no reports under empty (insp reads .pdf, .txt and .md files)"), "{}", r.stderr);
    env.write("only-bad.txt", "");
    let r = env.ok(&["index", "only-bad.txt"], 2);
    assert!(r.stderr.contains("none of the 1 file(s) could be indexed"), "{}", r.stderr);
}

#[test]
fn a_foreign_or_old_index_is_refused_with_a_rebuild_hint() {
    let env = Env::new();
    // A directory that is not an index.
    env.write("data/insp/index/notes.txt", "my notes");
    let r = env.ok(&["search", "thresholds"], 2);
    assert!(r.stderr.contains("is not an insp index"), "{}", r.stderr);
    let r = env.ok(&["index", "--rebuild"], 2);
    assert!(r.stderr.contains("refusing to replace it"), "{}", r.stderr);
    assert!(env.path("data/insp/index/notes.txt").exists(), "the user's file is untouched");

    // An index from another schema version.
    let env = Env::new();
    env.ok(&["index"], 0);
    let version_file = env.index_dir().join("insp-version.json");
    std::fs::write(&version_file, r#"{"schema_version": "0-old"}"#).unwrap();
    let r = env.ok(&["search", "thresholds"], 2);
    assert!(r.stderr.contains("was built by another version of insp (schema 0-old"), "{}", r.stderr);
    assert!(r.stderr.contains("rebuild it with `insp index --rebuild`"), "{}", r.stderr);
    env.ok(&["index", "--rebuild"], 0);
    env.ok(&["search", "thresholds"], 0);
}

#[test]
fn report_ids_stay_unique() {
    let env = Env::new();
    copy_corpus(&env, "a", &[WAKEFIELD_FV]);
    copy_corpus(&env, "b", &[WAKEFIELD_FV]);
    env.ok(&["index", "a", "b"], 0);
    let res = hits(&env, "vulnerability tracker");
    let mut reports: Vec<String> = res.hits.iter().map(|h| h.report_id.clone()).collect();
    reports.sort();
    reports.dedup();
    assert_eq!(reports, vec!["wakefield-2020-12-focused-visit", "wakefield-2020-12-focused-visit-2"]);
}

/// Found in review: a renamed file's new report was deleted in the same run
/// because the vanished file's delete came after the add.
#[test]
fn a_renamed_file_keeps_its_report() {
    let env = Env::new();
    copy_corpus(&env, "docs", &[WAKEFIELD_FV]);
    env.ok(&["index", "docs"], 0);
    std::fs::rename(env.path(&format!("docs/{WAKEFIELD_FV}")), env.path("docs/renamed.txt")).unwrap();
    let r = env.ok(&["index", "docs"], 0);
    assert!(r.stderr.contains("indexed 1 report (40 paragraphs), 0 unchanged, 1 removed"), "{}", r.stderr);
    let found = hits(&env, "\"multi-agency vulnerability tracker\"");
    assert_eq!(found.hits.len(), 2, "the two paragraphs that name it");
    for h in &found.hits {
        assert_eq!(h.report_id, "wakefield-2020-12-focused-visit");
        assert!(h.source.ends_with("renamed.txt"), "{}", h.source);
    }
}

/// Found in review: --rebuild must never replace a folder insp did not make,
/// nor swap in an empty index when no file could be read.
#[test]
fn rebuild_keeps_what_it_should() {
    let env = Env::new();
    // A folder with a meta.json of its own is not an insp index.
    env.write("project/meta.json", "{}");
    env.write("project/thesis.tex", "my work");
    let project = env.path("project");
    let r = env.ok(&["--index", project.to_str().unwrap(), "index", "--rebuild"], 2);
    assert!(r.stderr.contains("is not an insp index and not empty; refusing to replace it"), "{}", r.stderr);
    assert!(env.path("project/thesis.tex").exists());

    // A rebuild from files that all fail keeps the old index.
    env.ok(&["index"], 0);
    env.write("bad/noise.txt", [0u8, 1, 2, 3, 0, 0]);
    let r = env.ok(&["index", "--rebuild", "bad"], 2);
    assert!(r.stderr.contains("the old index is kept"), "{}", r.stderr);
    assert!(!hits(&env, "thresholds").hits.is_empty(), "the old index still answers");
    assert!(!env.dir.path().join("index.insp-new").exists(), "no half-built index left behind");

    // --index . works (the swap happens beside the folder, not inside it).
    let here = env.path("here");
    std::fs::create_dir_all(&here).unwrap();
    let r = env.cmd().current_dir(&here).args(["--index", ".", "index", "--rebuild"]).output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(here.join("meta.json").exists());
}
