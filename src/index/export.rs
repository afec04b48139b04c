//! Exports for users who outgrow one machine: every document as NDJSON (and
//! read back by `insp index FILE.ndjson`), and the Quickwit index config and
//! OpenSearch mapping that load it with the same fields and analysis, all
//! generated from `index_schema/fields.tsv`.

use super::codec::{Codec, ExportDoc, FieldMap, StoredParagraph};
use super::schema::{EN, FieldDecl, PLAIN, build_schema, declarations};
use crate::report::{Report, ReportInfo};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;

/// Is this file an `insp export` (NDJSON of documents)?
pub fn is_export(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("ndjson") || e.eq_ignore_ascii_case("jsonl"))
}

/// The reports of an `insp export` file, each with its own source and
/// content hash, as they were indexed.
pub fn read_export(path: &Path) -> Result<Vec<(Report, String)>, String> {
    use std::io::BufRead;
    let codec = Codec::new(&build_schema()).map_err(|e| e.to_string())?;
    // Line by line: an export can be larger than the memory it would take whole.
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read it: {e}"))?;
    let mut infos: Vec<(ReportInfo, String)> = Vec::new();
    let mut paragraphs: HashMap<String, Vec<StoredParagraph>> = HashMap::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("line {}: cannot read it: {e}", i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let doc: FieldMap =
            serde_json::from_str(&line).map_err(|e| format!("line {}: not an insp export line: {e}", i + 1))?;
        match codec.export_doc(&doc).map_err(|e| format!("line {}: {e}", i + 1))? {
            ExportDoc::Report { info, content_hash } => infos.push((info, content_hash)),
            ExportDoc::Paragraph { report_id, paragraph } => paragraphs.entry(report_id).or_default().push(paragraph),
        }
    }
    if infos.is_empty() {
        return Err("no reports in it (is it an `insp export`?)".to_string());
    }
    Ok(infos
        .into_iter()
        .map(|(info, hash)| {
            let mut ps = paragraphs.remove(&info.report_id).unwrap_or_default();
            ps.sort_by_key(|p| p.pos);
            (Report::from_parts(info, ps.into_iter().map(|p| p.paragraph).collect()), hash)
        })
        .collect())
}

/// Quickwit's tokenizer for one of ours: `en_stem` is lower case plus
/// English stemming, as `insp_en` is (ours also folds accents).
fn quickwit_tokenizer(t: &str) -> &'static str {
    match t {
        EN => "en_stem",
        PLAIN => "default",
        _ => "raw",
    }
}

fn quickwit_field(d: &FieldDecl) -> Value {
    let mut f = match d.kind.as_str() {
        "string" => json!({"type": "text", "tokenizer": "raw", "stored": d.stored, "fast": d.fast}),
        "text" => json!({
            "type": "text",
            "tokenizer": quickwit_tokenizer(d.tokenizer.as_deref().unwrap_or(EN)),
            "record": "position",
            "stored": d.stored,
        }),
        "u64" => json!({"type": "u64", "indexed": true, "stored": d.stored, "fast": d.fast}),
        // Quickwit has no tokenizer of word pairs; the export leaves the
        // field out of its documents, and phrases there read positions.
        "pairs" => json!({"type": "text", "indexed": false, "stored": false}),
        _ => json!({"type": "text", "indexed": false, "stored": true}),
    };
    f["name"] = json!(d.name);
    f["description"] = json!(d.description);
    if d.name == "section" {
        // Quickwit wants a list type for a field with several values.
        f["type"] = json!("array<text>");
    }
    f
}

/// The Quickwit index config (JSON, which Quickwit also reads as YAML).
pub fn quickwit_config() -> Value {
    let decls = declarations();
    json!({
        "version": "0.8",
        "index_id": "insp",
        "doc_mapping": {
            "mode": "strict",
            "field_mappings": decls.iter().map(quickwit_field).collect::<Vec<_>>(),
            "timestamp_field": null,
        },
        "search_settings": {"default_search_fields": ["text"]},
        "indexing_settings": {"commit_timeout_secs": 30},
    })
}

/// The OpenSearch index body: an English analyzer matching ours (standard
/// words, lower case, ASCII folding, Porter stemming, no stop words) and
/// BM25 with Lucene's defaults, which tantivy's BM25 also uses (k1 1.2, b 0.75).
pub fn opensearch_mapping() -> Value {
    let mut properties = serde_json::Map::new();
    for d in declarations() {
        let p = match d.kind.as_str() {
            "string" => json!({"type": "keyword"}),
            "text" if d.tokenizer.as_deref() == Some(PLAIN) => json!({"type": "text", "analyzer": "insp_plain"}),
            // The export leaves the pairs out; OpenSearch makes them from
            // the text (copy_to) with a shingle filter.
            "text" if d.name == "text" => json!({"type": "text", "analyzer": "insp_en", "copy_to": "text_pairs"}),
            "text" => json!({"type": "text", "analyzer": "insp_en"}),
            "pairs" => json!({"type": "text", "analyzer": "insp_pairs", "index_options": "freqs", "norms": false}),
            "u64" => json!({"type": "unsigned_long"}),
            _ => json!({"type": "keyword", "index": false, "doc_values": false}),
        };
        properties.insert(d.name.clone(), p);
    }
    json!({
        "settings": {
            "index": {"similarity": {"default": {"type": "BM25", "k1": 1.2, "b": 0.75}}},
            "analysis": {
                "analyzer": {
                    "insp_en": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding", "porter_stem"]},
                    "insp_plain": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
                    "insp_pairs": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding", "porter_stem", "insp_pair"]},
                },
                "filter": {
                    "insp_pair": {"type": "shingle", "min_shingle_size": 2, "max_shingle_size": 2, "output_unigrams": false},
                }
            }
        },
        "mappings": {"dynamic": "strict", "properties": properties},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three descriptions of the index name the same fields with
    /// matching types.
    #[test]
    fn exports_follow_the_declarations() {
        let decls = declarations();
        let qw = quickwit_config();
        let qw_fields = qw["doc_mapping"]["field_mappings"].as_array().unwrap();
        let os = opensearch_mapping();
        let os_fields = os["mappings"]["properties"].as_object().unwrap();
        assert_eq!(qw_fields.len(), decls.len());
        assert_eq!(os_fields.len(), decls.len());
        for (d, q) in decls.iter().zip(qw_fields) {
            assert_eq!(q["name"], d.name.as_str());
            let o = &os_fields[&d.name];
            match d.kind.as_str() {
                "string" => {
                    assert_eq!(
                        (q["tokenizer"].as_str(), o["type"].as_str()),
                        (Some("raw"), Some("keyword")),
                        "{}",
                        d.name
                    )
                }
                "text" => {
                    assert_eq!(q["record"], "position", "{}", d.name);
                    assert_eq!(o["type"], "text", "{}", d.name);
                }
                "u64" => assert_eq!((q["type"].as_str(), o["type"].as_str()), (Some("u64"), Some("unsigned_long"))),
                "pairs" => assert_eq!((&q["indexed"], &o["analyzer"]), (&json!(false), &json!("insp_pairs"))),
                _ => assert_eq!(o["index"], false),
            }
        }
    }
}
