//! Printers: the only code that formats. Each takes `impl Write`, so tests
//! render into a `Vec<u8>`.
//!
//! # The JSON contract
//!
//! `search --format json` prints one [`SearchJson`] object; `ndjson` prints
//! one [`HitJson`] per line. `parse --format json` prints the
//! [`crate::report::Report`] as is. Unknown values are `null`, never missing
//! keys. `highlights` are byte offsets into `excerpt`.

pub mod browse;
mod text;

use crate::report::Report;
use crate::search::{Hit, SearchResults};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

pub use text::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Ndjson,
    Csv,
}

/// One hit, as scripts see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HitJson {
    pub rank: usize,
    pub score: f32,
    pub report_id: String,
    pub id: String,
    pub source: String,
    #[serde(rename = "type")]
    pub report_type: String,
    pub authority: Option<String>,
    pub inspection_start: Option<String>,
    pub inspection_end: Option<String>,
    pub published: Option<String>,
    pub section: Vec<String>,
    pub grade: Option<u8>,
    pub grade_label: Option<String>,
    pub para: u32,
    pub numbered: bool,
    pub text: String,
    pub excerpt: String,
    pub highlights: Vec<[usize; 2]>,
    /// With `--explain`: why the hit ranked where it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<crate::search::Explanation>,
}

/// `search --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchJson {
    pub query: String,
    pub total: usize,
    pub hits: Vec<HitJson>,
    /// Query words no paragraph contains, with the nearest indexed words.
    #[serde(default)]
    pub suggestions: Vec<Suggestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub word: String,
    pub did_you_mean: Vec<String>,
}

impl HitJson {
    pub fn of(h: &Hit) -> HitJson {
        let r = &h.report;
        let p = &h.paragraph;
        HitJson {
            rank: h.rank,
            score: (h.score * 1000.0).round() / 1000.0,
            report_id: r.report_id.clone(),
            id: format!("{}#{}", r.report_id, p.para),
            source: r.source.clone(),
            report_type: r.report_type.as_str().to_string(),
            authority: r.authority.clone(),
            inspection_start: r.inspection_start.clone(),
            inspection_end: r.inspection_end.clone(),
            published: r.published.clone(),
            section: p.section.clone(),
            grade: p.grade,
            grade_label: p.grade_label.clone(),
            para: p.para,
            numbered: p.numbered,
            text: p.text.clone(),
            excerpt: h.excerpt.clone(),
            highlights: h.highlights.clone(),
            explain: h.explanation.clone(),
        }
    }
}

pub const CSV_HEADER: [&str; 15] = [
    "rank",
    "score",
    "id",
    "report_id",
    "type",
    "authority",
    "inspection_start",
    "published",
    "section",
    "grade",
    "grade_label",
    "para",
    "numbered",
    "excerpt",
    "source",
];

/// A section path for people: "Safeguarding services › Quality of provision".
pub fn section_label(section: &[String]) -> String {
    if section.is_empty() { "(no section)".to_string() } else { section.join(" › ") }
}

/// A paragraph's number as printed ("24.") or its position in brackets ("(3)").
pub fn para_label(p: &crate::report::Paragraph) -> String {
    if p.numbered { format!("{}.", p.para) } else { format!("({})", p.para) }
}

/// A value as pretty JSON (`json`) or one line (`ndjson`).
pub fn json_value(w: &mut impl Write, value: &impl Serialize, format: Format) -> io::Result<()> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *w, value)?;
    } else {
        serde_json::to_writer(&mut *w, value)?;
    }
    writeln!(w)
}

/// A paragraph's CSV cells: para, numbered, section, grade, grade_label, text.
pub fn paragraph_cells(p: &crate::report::Paragraph) -> Vec<String> {
    vec![
        p.para.to_string(),
        p.numbered.to_string(),
        p.section.join(" > "),
        p.grade.map(|g| g.to_string()).unwrap_or_default(),
        p.grade_label.clone().unwrap_or_default(),
        p.text.clone(),
    ]
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

pub fn csv_row(w: &mut impl Write, fields: &[String]) -> io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    writeln!(w, "{}", line.join(","))
}

fn hit_csv(h: &HitJson) -> Vec<String> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    vec![
        h.rank.to_string(),
        h.score.to_string(),
        h.id.clone(),
        h.report_id.clone(),
        h.report_type.clone(),
        opt(&h.authority),
        opt(&h.inspection_start),
        opt(&h.published),
        h.section.join(" > "),
        h.grade.map(|g| g.to_string()).unwrap_or_default(),
        opt(&h.grade_label),
        h.para.to_string(),
        h.numbered.to_string(),
        h.excerpt.clone(),
        h.source.clone(),
    ]
}

pub fn search_results(w: &mut impl Write, res: &SearchResults, format: Format, style: Style) -> io::Result<()> {
    let hits: Vec<HitJson> = res.hits.iter().map(HitJson::of).collect();
    match format {
        Format::Text => text::search_results(w, res, style),
        Format::Json => {
            let suggestions = res
                .suggestions
                .iter()
                .map(|(word, near)| Suggestion { word: word.clone(), did_you_mean: near.clone() })
                .collect();
            let out = SearchJson { query: res.query.clone(), total: res.total, hits, suggestions };
            serde_json::to_writer_pretty(&mut *w, &out)?;
            writeln!(w)
        }
        Format::Ndjson => {
            for h in &hits {
                serde_json::to_writer(&mut *w, h)?;
                writeln!(w)?;
            }
            Ok(())
        }
        Format::Csv => {
            csv_row(w, &CSV_HEADER.map(String::from))?;
            for h in &hits {
                csv_row(w, &hit_csv(h))?;
            }
            Ok(())
        }
    }
}

/// `parse`: the whole report as understood.
pub fn parsed_report(w: &mut impl Write, report: &Report, format: Format) -> io::Result<()> {
    match format {
        Format::Json | Format::Ndjson => json_value(w, report, format),
        Format::Csv => {
            csv_row(w, &["para", "numbered", "section", "grade", "grade_label", "text"].map(String::from))?;
            for p in &report.paragraphs {
                csv_row(w, &paragraph_cells(p))?;
            }
            Ok(())
        }
        Format::Text => text::parsed_report(w, report),
    }
}

pub use text::index_summary;

/// One line of `parse --lines` in JSON and CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineFateJson {
    pub line: usize,
    /// The paragraph number the line's text went into.
    pub paragraph: Option<u32>,
    /// Why it went into none.
    pub dropped: Option<String>,
    pub text: String,
}

/// `parse --lines`: what became of every non-blank line of the text.
pub fn line_fates(w: &mut impl Write, report: &Report, text: &str, format: Format) -> io::Result<()> {
    let segments = crate::report::segments(text);
    let rows: Vec<LineFateJson> = report
        .lines
        .iter()
        .map(|f| {
            let (paragraph, dropped) = match f.fate {
                crate::report::Fate::Paragraph(p) => (Some(p), None),
                crate::report::Fate::Dropped(why) => (None, Some(why.to_string())),
                crate::report::Fate::Unaccounted => (None, Some("unaccounted (a parser bug: please report it)".into())),
            };
            let text = segments.get(f.segment).map(|(_, s)| s.trim().to_string()).unwrap_or_default();
            LineFateJson { line: f.line, paragraph, dropped, text }
        })
        .collect();
    match format {
        Format::Json | Format::Ndjson => {
            if format == Format::Json {
                json_value(w, &rows, format)
            } else {
                for r in &rows {
                    json_value(w, r, format)?;
                }
                Ok(())
            }
        }
        Format::Csv => {
            csv_row(w, &["line", "paragraph", "dropped", "text"].map(String::from))?;
            for r in &rows {
                let para = r.paragraph.map(|p| p.to_string()).unwrap_or_default();
                csv_row(w, &[r.line.to_string(), para, r.dropped.clone().unwrap_or_default(), r.text.clone()])?;
            }
            Ok(())
        }
        Format::Text => {
            for r in &rows {
                match (&r.paragraph, &r.dropped) {
                    (Some(p), _) => writeln!(w, "{:>6}  ¶{:<5} {}", r.line, p, r.text)?,
                    (None, Some(why)) => writeln!(w, "{:>6}  -      {}  [{}]", r.line, r.text, why)?,
                    (None, None) => {}
                }
            }
            Ok(())
        }
    }
}

/// One batch query's result, as `batch --format json|ndjson` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BatchJson {
    Result { id: String, query: String, total: usize, hits: Vec<HitJson> },
    Error { id: String, line: usize, error: String },
}

/// `batch --format json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct BatchResultsJson {
    pub results: Vec<BatchJson>,
}

/// What one batch line produced, rendered where the format needs it.
pub struct BatchItem {
    pub json: BatchJson,
    /// The text rendering of the hits (text format only).
    pub text: Option<String>,
}

pub fn batch(w: &mut impl Write, items: &[BatchItem], format: Format) -> io::Result<()> {
    match format {
        Format::Ndjson => {
            for item in items {
                serde_json::to_writer(&mut *w, &item.json)?;
                writeln!(w)?;
            }
            Ok(())
        }
        Format::Json => {
            let out = BatchResultsJson { results: items.iter().map(|i| i.json.clone()).collect() };
            serde_json::to_writer_pretty(&mut *w, &out)?;
            writeln!(w)
        }
        Format::Csv => {
            let mut header = vec!["query_id".to_string(), "query".to_string(), "error".to_string()];
            header.extend(CSV_HEADER.map(String::from));
            csv_row(w, &header)?;
            for item in items {
                match &item.json {
                    BatchJson::Error { id, error, .. } => {
                        let mut row = vec![id.clone(), String::new(), error.clone()];
                        row.extend(std::iter::repeat_n(String::new(), CSV_HEADER.len()));
                        csv_row(w, &row)?;
                    }
                    BatchJson::Result { id, query, hits, .. } => {
                        for h in hits {
                            let mut row = vec![id.clone(), query.clone(), String::new()];
                            row.extend(hit_csv(h));
                            csv_row(w, &row)?;
                        }
                    }
                }
            }
            Ok(())
        }
        Format::Text => {
            for item in items {
                match &item.json {
                    BatchJson::Error { id, line, error } => writeln!(w, "== {id} (line {line}): error: {error}\n")?,
                    BatchJson::Result { id, query, .. } => {
                        writeln!(w, "== {id}: {query}")?;
                        w.write_all(item.text.as_deref().unwrap_or("").as_bytes())?;
                        writeln!(w)?;
                    }
                }
            }
            Ok(())
        }
    }
}

/// `facets --format json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct FacetsJson {
    pub query: Option<String>,
    pub total: usize,
    pub facets: std::collections::BTreeMap<String, Vec<crate::search::facets::Bucket>>,
}

pub fn facets(w: &mut impl Write, counts: &crate::search::facets::FacetCounts, format: Format) -> io::Result<()> {
    match format {
        Format::Json => {
            let out = FacetsJson {
                query: counts.query.clone(),
                total: counts.total,
                facets: counts.facets.iter().map(|(f, b)| (f.as_str().to_string(), b.clone())).collect(),
            };
            serde_json::to_writer_pretty(&mut *w, &out)?;
            writeln!(w)
        }
        Format::Ndjson => {
            for (f, buckets) in &counts.facets {
                for b in buckets {
                    serde_json::to_writer(
                        &mut *w,
                        &serde_json::json!({"facet": f.as_str(), "value": b.value, "count": b.count}),
                    )?;
                    writeln!(w)?;
                }
            }
            Ok(())
        }
        Format::Csv => {
            csv_row(w, &["facet", "value", "count"].map(String::from))?;
            for (f, buckets) in &counts.facets {
                for b in buckets {
                    csv_row(w, &[f.as_str().to_string(), b.value.clone(), b.count.to_string()])?;
                }
            }
            Ok(())
        }
        Format::Text => {
            let what = counts.query.as_ref().map_or("paragraphs".to_string(), |q| format!("paragraphs matching {q:?}"));
            writeln!(w, "{} {what}", counts.total)?;
            for (f, buckets) in &counts.facets {
                writeln!(w, "\nby {}", f.as_str())?;
                let width = buckets.iter().map(|b| b.value.chars().count()).max().unwrap_or(0).min(70);
                for b in buckets {
                    writeln!(w, "  {:<width$}  {:>6}", b.value, b.count)?;
                }
            }
            Ok(())
        }
    }
}
