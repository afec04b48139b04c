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
}

/// `search --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchJson {
    pub query: String,
    pub total: usize,
    pub hits: Vec<HitJson>,
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
            let out = SearchJson { query: res.query.clone(), total: res.total, hits };
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
        Format::Json => {
            serde_json::to_writer_pretty(&mut *w, report)?;
            writeln!(w)
        }
        Format::Ndjson => {
            serde_json::to_writer(&mut *w, report)?;
            writeln!(w)
        }
        Format::Csv => {
            csv_row(w, &["para", "numbered", "section", "grade", "grade_label", "text"].map(String::from))?;
            for p in &report.paragraphs {
                csv_row(
                    w,
                    &[
                        p.para.to_string(),
                        p.numbered.to_string(),
                        p.section.join(" > "),
                        p.grade.map(|g| g.to_string()).unwrap_or_default(),
                        p.grade_label.clone().unwrap_or_default(),
                        p.text.clone(),
                    ],
                )?;
            }
            Ok(())
        }
        Format::Text => text::parsed_report(w, report),
    }
}

pub use text::index_summary;
