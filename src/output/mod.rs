//! Printers: the only code that formats. One file per format (`text`,
//! `json`, `ndjson`, `csv`, `xlsx`), each a [`Printer`] (CSV and xlsx write
//! the same tables, built in `table`); they write to any
//! `io::Write`, so tests render into a `Vec<u8>`.
//!
//! # The JSON contract
//!
//! `search --format json` prints one [`SearchJson`] object; `ndjson` prints
//! one [`HitJson`] per line, then one [`SummaryLine`] of [`TotalsJson`]
//! (`batch`: of [`BatchSummary`]); `search --count` prints a [`TotalsJson`]. `parse --format json` prints the
//! [`crate::report::Report`] as is. Unknown values are `null`, never missing
//! keys. `highlights` are byte offsets into `excerpt`; `highlight_chars`
//! the same spans in characters, and `highlighted` the text of each.

pub mod browse;
pub mod chart;
mod csv;
mod glyphs;
mod json;
mod ndjson;
pub mod plot;
mod table;
mod text;
mod xlsx;

use crate::index::Summary;
use crate::report::{Report, ReportInfo};
use crate::search::browse::Stats;
use crate::search::facets::FacetCounts;
use crate::search::trend::Trend;
use crate::search::{Filters, Hit, SearchResults};
use browse::{ShowParagraphJson, ShowReportJson};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::sync::Arc;

pub use text::{Style, citations};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Ndjson,
    Csv,
    /// An Excel workbook (binary: redirect it to a file).
    Xlsx,
}

/// What every format prints. Adding a format: a file with a type that
/// implements this, a `Format` variant, and its arm in [`printer`].
pub trait Printer {
    /// `search`.
    fn search_results(&self, w: &mut dyn Write, res: &SearchResults) -> io::Result<()>;
    /// `search --count`: the totals only (by default one JSON line).
    fn search_count(&self, w: &mut dyn Write, res: &SearchResults) -> io::Result<()> {
        json_line(w, &TotalsJson::of(res))
    }
    /// `parse`: the whole report as understood.
    fn parsed_report(&self, w: &mut dyn Write, report: &Report) -> io::Result<()>;
    /// `parse --lines`: what became of every non-blank line of the text.
    fn line_fates(&self, w: &mut dyn Write, rows: &[LineFateJson]) -> io::Result<()>;
    /// `batch`: each line's result or error, in input order.
    fn batch(&self, w: &mut dyn Write, items: &[BatchItem]) -> io::Result<()>;
    /// `facets`.
    fn facets(&self, w: &mut dyn Write, counts: &FacetCounts) -> io::Result<()>;
    /// `reports`.
    fn reports(&self, w: &mut dyn Write, reports: &[Arc<ReportInfo>]) -> io::Result<()>;
    /// `show REPORT#PARA`.
    fn show_paragraph(&self, w: &mut dyn Write, s: &ShowParagraphJson) -> io::Result<()>;
    /// `show REPORT`.
    fn show_report(&self, w: &mut dyn Write, s: &ShowReportJson) -> io::Result<()>;
    /// `stats`.
    fn stats(&self, w: &mut dyn Write, s: &Stats) -> io::Result<()>;
    /// `trend`: text draws the bar chart; the others print [`TrendRow`]s.
    fn trend(&self, w: &mut dyn Write, t: &Trend) -> io::Result<()>;
}

/// The printer of a format (`style` matters to text only).
pub fn printer(format: Format, style: Style) -> Box<dyn Printer> {
    match format {
        Format::Text => Box::new(text::TextPrinter { style }),
        Format::Json => Box::new(json::JsonPrinter),
        Format::Ndjson => Box::new(ndjson::NdjsonPrinter),
        Format::Csv => Box::new(table::TablePrinter(csv::Csv)),
        Format::Xlsx => Box::new(table::TablePrinter(xlsx::Xlsx)),
    }
}

/// A value as pretty JSON and a line end (`--format json`).
fn json_pretty(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    writeln!(w)
}

/// A value as one line of JSON (`--format ndjson`).
fn json_line(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value)?;
    writeln!(w)
}

/// What `insp index` did, for people (on standard error).
pub fn index_summary(w: &mut dyn Write, s: &Summary, dir: &str) -> io::Result<()> {
    text::index_summary(w, s, dir)
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
    /// The authority's DfE LA code, ONS code and region.
    #[serde(default)]
    pub la_code: Option<u16>,
    #[serde(default)]
    pub ons_code: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    pub inspection_start: Option<String>,
    pub inspection_end: Option<String>,
    pub published: Option<String>,
    pub section: Vec<String>,
    pub grade: Option<u8>,
    pub grade_label: Option<String>,
    /// The canonical key of the judgement `grade` belongs to.
    pub judgement: Option<String>,
    pub kind: crate::report::ParagraphKind,
    pub page_start: Option<u32>,
    pub page_end: Option<u32>,
    pub para: u32,
    pub numbered: bool,
    pub text: String,
    pub excerpt: String,
    /// A ready citation: authority, type, dates, page and paragraph.
    #[serde(default)]
    pub cite: String,
    pub highlights: Vec<[usize; 2]>,
    /// The same spans as character offsets (Unicode scalar values, as Python
    /// and most languages index strings), and the text each covers.
    #[serde(default)]
    pub highlight_chars: Vec<[usize; 2]>,
    #[serde(default)]
    pub highlighted: Vec<String>,
    /// With `--explain`: why the hit ranked where it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<crate::search::Explanation>,
    /// With `--mode hybrid` or `semantic`: the hit's places in the lexical
    /// and the semantic rankings (null: not among the first 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranks: Option<crate::search::ModeRanks>,
    /// With `-C N`: up to N paragraphs of the report before and after.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<crate::report::Paragraph>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<crate::report::Paragraph>,
}

/// The totals of a search: `search --count`, and (with `shown`) the last
/// line of `search --format ndjson`, as `{"summary": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalsJson {
    pub query: String,
    /// Matching paragraphs in all.
    pub total: usize,
    /// Of those, how many contain every query word.
    pub total_all_words: usize,
    /// Hits printed (in the NDJSON summary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown: Option<usize>,
    #[serde(default)]
    pub suggestions: Vec<Suggestion>,
    #[serde(default)]
    pub showing_results_for: Option<String>,
}

impl TotalsJson {
    /// `search --count`.
    pub fn of(res: &SearchResults) -> TotalsJson {
        TotalsJson {
            query: res.query.clone(),
            total: res.total,
            total_all_words: res.total_all_words,
            shown: None,
            suggestions: suggestions(res),
            showing_results_for: res.corrected.clone(),
        }
    }

    /// The NDJSON summary: the totals and the hits shown.
    pub fn summary(res: &SearchResults) -> TotalsJson {
        TotalsJson { shown: Some(res.hits.len()), ..TotalsJson::of(res) }
    }
}

/// The last line of NDJSON from `search` and `batch`: `{"summary": ...}`
/// (a hit or result line never has that key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryLine<T> {
    pub summary: T,
}

/// The summary of `batch --format ndjson`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    /// Lines answered (errors included).
    pub queries: usize,
    /// Lines that were errors.
    pub failed: usize,
    /// Hits printed, over all lines.
    pub hits: usize,
}

/// `search --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchJson {
    pub query: String,
    /// Matching paragraphs: with every word that carries meaning, or some.
    pub total: usize,
    /// Of those, the paragraphs with every word that carries meaning (or
    /// one of its forms): the first tier, ranked first.
    #[serde(default)]
    pub total_all_words: usize,
    /// The query words as searched, each with the other forms it matched
    /// ("IRO = independent reviewing officer", "lockdown ~ pandemic").
    #[serde(default)]
    pub words: Vec<WordJson>,
    pub hits: Vec<HitJson>,
    /// Query words no paragraph contains, with the nearest indexed words.
    #[serde(default)]
    pub suggestions: Vec<Suggestion>,
    /// The query searched for instead, when a word matched nothing and a
    /// close word did (`null` when the words were searched as typed).
    #[serde(default)]
    pub showing_results_for: Option<String>,
    /// What the reader should know about how the query was read (a quote
    /// not closed, a common word not required).
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordJson {
    pub word: String,
    pub forms: Vec<String>,
    /// In so many paragraphs (over 30%) that the first tier need not have
    /// it ("children"); `+word` requires it.
    #[serde(default)]
    pub common: bool,
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
            la_code: r.la_code,
            ons_code: r.ons_code.clone(),
            region: r.region.clone(),
            inspection_start: r.inspection_start.clone(),
            inspection_end: r.inspection_end.clone(),
            published: r.published.clone(),
            section: p.section.clone(),
            grade: p.grade,
            grade_label: p.grade_label.clone(),
            judgement: p.judgement.clone(),
            kind: p.kind,
            page_start: p.page_start,
            page_end: p.page_end,
            para: p.para,
            numbered: p.numbered,
            text: p.text.clone(),
            excerpt: h.excerpt.clone(),
            cite: citation(r, p),
            highlights: h.highlights.clone(),
            highlight_chars: char_spans(&h.excerpt, &h.highlights),
            highlighted: h.highlights.iter().filter_map(|[a, b]| h.excerpt.get(*a..*b)).map(str::to_string).collect(),
            explain: h.explanation.clone(),
            ranks: h.ranks,
            before: h.before.clone(),
            after: h.after.clone(),
        }
    }
}

/// "14 January 2019" from "2019-01-14" (as given when it is not a date).
fn long_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    let month = parts.get(1).and_then(|m| m.parse::<usize>().ok()).and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    match (parts.as_slice(), month) {
        ([y, _, d], Some(m)) => format!("{} {m} {y}", d.trim_start_matches('0')),
        ([y, _], Some(m)) => format!("{m} {y}"),
        _ => iso.to_string(),
    }
}

/// A report's dates for a citation: "14–25 January 2019", "published 3 May 2012".
fn cite_dates(r: &crate::report::ReportMeta) -> Option<String> {
    match (r.inspection_start.as_deref(), r.inspection_end.as_deref()) {
        (Some(a), Some(b)) if a != b && a.len() == 10 && a[..7] == b[..7] => {
            Some(format!("{}–{}", a[8..].trim_start_matches('0'), long_date(b)))
        }
        (Some(a), Some(b)) if a != b && a.len() == 10 && a[..4] == b[..4] => {
            let without_year = long_date(a).trim_end_matches(&a[..4]).trim_end().to_string();
            Some(format!("{without_year} – {}", long_date(b)))
        }
        (Some(a), Some(b)) if a != b => Some(format!("{} to {}", long_date(a), long_date(b))),
        (Some(a), _) => Some(long_date(a)),
        _ => r.published.as_deref().map(|p| format!("published {}", long_date(p))),
    }
}

/// A ready citation of a paragraph: "Ofsted, Leeds: ILACS inspection,
/// 14–25 January 2019, p. 7, para. 24". An unnumbered paragraph is cited by
/// its opening words.
pub fn citation(r: &crate::report::ReportMeta, p: &crate::report::Paragraph) -> String {
    let what = r.report_type.describe();
    let what = what[..1].to_uppercase() + &what[1..];
    let mut parts = vec![format!("Ofsted, {}: {what}", r.authority.as_deref().unwrap_or("unknown authority"))];
    parts.extend(cite_dates(r));
    match (p.page_start, p.page_end) {
        (Some(a), Some(b)) if b > a => parts.push(format!("pp. {a}–{b}")),
        (Some(a), _) => parts.push(format!("p. {a}")),
        _ => {}
    }
    if p.numbered {
        parts.push(format!("para. {}", p.para));
    } else {
        let words: Vec<&str> = p.text.split_whitespace().collect();
        let more = if words.len() > 6 { "…" } else { "" };
        parts.push(format!("paragraph beginning “{}{more}”", words[..words.len().min(6)].join(" ")));
    }
    parts.join(", ")
}

/// Byte spans of `text` as character spans.
fn char_spans(text: &str, spans: &[[usize; 2]]) -> Vec<[usize; 2]> {
    let chars_before = |byte: usize| text.get(..byte).map_or(0, |t| t.chars().count());
    spans.iter().map(|[a, b]| [chars_before(*a), chars_before(*b)]).collect()
}

/// Absent words with the nearest indexed words.
pub fn suggestions(res: &SearchResults) -> Vec<Suggestion> {
    res.suggestions.iter().map(|(word, near)| Suggestion { word: word.clone(), did_you_mean: near.clone() }).collect()
}

/// The JSON of `search --format json`.
fn search_json(res: &SearchResults) -> SearchJson {
    SearchJson {
        query: res.query.clone(),
        total: res.total,
        total_all_words: res.total_all_words,
        words: res
            .words
            .iter()
            .map(|w| WordJson { word: w.label.clone(), forms: w.forms.clone(), common: w.common })
            .collect(),
        notes: res.notes.clone(),
        hits: res.hits.iter().map(HitJson::of).collect(),
        suggestions: suggestions(res),
        showing_results_for: res.corrected.clone(),
    }
}

/// A section path for people: "Safeguarding services › Quality of provision".
pub fn section_label(section: &[String]) -> String {
    if section.is_empty() { "(no section)".to_string() } else { section.join(" › ") }
}

/// A paragraph's number as printed ("24.") or its position in brackets ("(3)").
pub fn para_label(p: &crate::report::Paragraph) -> String {
    if p.numbered { format!("{}.", p.para) } else { format!("({})", p.para) }
}

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

/// The rows of `parse --lines`: each non-blank line of `text` with the
/// paragraph it went into or why it went into none.
pub fn line_fate_rows(report: &Report, text: &str) -> Vec<LineFateJson> {
    let segments = crate::report::segments(text);
    report
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
        .collect()
}

/// One batch query's result, as `batch --format json|ndjson` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BatchJson {
    Result {
        id: String,
        query: String,
        total: usize,
        hits: Vec<HitJson>,
        /// The query searched for instead, when a word matched nothing.
        #[serde(default)]
        showing_results_for: Option<String>,
        /// Query words no paragraph contains, with the nearest indexed words.
        #[serde(default)]
        suggestions: Vec<Suggestion>,
    },
    Error {
        id: String,
        line: usize,
        error: String,
    },
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

/// `facets --format json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct FacetsJson {
    pub query: Option<String>,
    /// The paragraphs the buckets count: with every query word that
    /// carries meaning (all paragraphs without a query).
    pub total: usize,
    /// Paragraphs with any of the query's words (search's `total`).
    #[serde(default)]
    pub total_any_words: usize,
    pub facets: std::collections::BTreeMap<String, Vec<crate::search::facets::Bucket>>,
}

impl FacetsJson {
    fn of(counts: &FacetCounts) -> FacetsJson {
        FacetsJson {
            query: counts.query.clone(),
            total: counts.total,
            total_any_words: counts.total_any_words,
            facets: counts.facets.iter().map(|(f, b)| (f.as_str().to_string(), b.clone())).collect(),
        }
    }
}

/// One bucket and query of `trend`: a row of CSV, a line of NDJSON, an
/// element of the JSON's `rows` (and a row of any other table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendRow {
    /// What the buckets are: year, overall, grade, type, authority.
    pub by: String,
    pub bucket: String,
    pub query: String,
    /// The bucket's reports with a paragraph that has every word of the query.
    pub reports_mentioning: usize,
    /// The bucket's reports (that pass the filters).
    pub reports: usize,
    pub paragraphs_matching: usize,
    pub paragraphs: usize,
    /// The share's denominator: "reports" or "paragraphs".
    pub per: String,
    /// reports_mentioning / reports, or paragraphs_matching / paragraphs (0 to 1, four places).
    pub share: f64,
    /// Fewer than `small_below` reports: too few for a trend.
    pub small: bool,
}

/// The column names of a trend table, in order.
pub const TREND_COLUMNS: [&str; 10] = [
    "by",
    "bucket",
    "query",
    "reports_mentioning",
    "reports",
    "paragraphs_matching",
    "paragraphs",
    "per",
    "share",
    "small",
];

/// `trend --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendJson {
    pub queries: Vec<String>,
    pub by: String,
    pub per: String,
    /// The filters as a phrase ("" for none).
    pub filters: String,
    /// Buckets with fewer reports than this are `small`.
    pub small_below: usize,
    /// Reports and paragraphs that pass the filters, in all.
    pub reports: usize,
    pub paragraphs: usize,
    /// Per query, in order: its words that no indexed paragraph has.
    pub absent: Vec<Vec<String>>,
    /// Bucket by bucket, each query in order.
    pub rows: Vec<TrendRow>,
}

/// A trend's rows: bucket by bucket, each query in the order given.
pub fn trend_rows(t: &Trend) -> Vec<TrendRow> {
    let mut rows = Vec::new();
    for b in &t.buckets {
        for (query, m) in t.queries.iter().zip(&b.mentions) {
            rows.push(TrendRow {
                by: t.by.as_str().to_string(),
                bucket: b.value.clone(),
                query: query.clone(),
                reports_mentioning: m.reports,
                reports: b.reports,
                paragraphs_matching: m.paragraphs,
                paragraphs: b.paragraphs,
                per: t.per.as_str().to_string(),
                share: (m.share * 10_000.0).round() / 10_000.0,
                small: b.small,
            });
        }
    }
    rows
}

impl TrendJson {
    fn of(t: &Trend) -> TrendJson {
        TrendJson {
            queries: t.queries.clone(),
            by: t.by.as_str().to_string(),
            per: t.per.as_str().to_string(),
            filters: filters_label(&t.filters),
            small_below: crate::search::trend::SMALL_BUCKET,
            reports: t.reports,
            paragraphs: t.paragraphs,
            absent: t.absent.clone(),
            rows: trend_rows(t),
        }
    }
}

/// Filters as a phrase for titles: "type focused_visit; since 2018-01-01"
/// ("" for none; boilerplate left out is the default and goes unsaid).
pub fn filters_label(f: &Filters) -> String {
    let date = |d: u64| format!("{:04}-{:02}-{:02}", d / 10_000, d / 100 % 100, d % 100);
    let list = |name: &str, values: Vec<String>| (!values.is_empty()).then(|| format!("{name} {}", values.join(", ")));
    let parts = [
        list("authority", f.authorities.clone()),
        list("grade", f.grades.iter().map(u8::to_string).collect()),
        list("section", f.sections.iter().map(|s| format!("\"{s}\"")).collect()),
        list("type", f.types.iter().map(|t| t.as_str().to_string()).collect()),
        f.since.map(|d| format!("since {}", date(d))),
        f.until.map(|d| format!("until {}", date(d))),
        list("kind", f.kinds.iter().map(|k| k.as_str().to_string()).collect()),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join("; ")
}

/// Each printer rendered into a `Vec<u8>`: what a user sees.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Paragraph, ReportMeta, ReportType};
    use crate::search::facets::{Bucket, Facet};
    use crate::search::{QueryWord, SearchResults};

    fn report() -> Arc<ReportInfo> {
        Arc::new(ReportInfo {
            meta: ReportMeta {
                report_id: "leeds-2019-01-ilacs".into(),
                source: "/r/leeds.pdf".into(),
                report_type: ReportType::Ilacs,
                title: None,
                authority: Some("Leeds".into()),
                provider: None,
                la_code: Some(383),
                ons_code: Some("E08000035".into()),
                region: Some("Yorkshire and the Humber".into()),
                inspection_start: Some("2019-01-14".into()),
                inspection_end: Some("2019-01-25".into()),
                published: None,
                inspectors: vec![],
                judgements: vec![],
            },
            n_paragraphs: 40,
            warnings: vec![],
        })
    }

    fn results() -> SearchResults {
        let paragraph = Paragraph {
            para: 24,
            numbered: true,
            section: vec!["Findings".into(), "Help and protection".into()],
            grade: Some(2),
            grade_label: Some("good".into()),
            judgement: Some("help_and_protection".into()),
            kind: Default::default(),
            page_start: Some(7),
            page_end: Some(7),
            text: "Caseloads are manageable, so workers know the children well.".into(),
        };
        let hit = Hit {
            rank: 1,
            score: 1.23456,
            report: report(),
            excerpt: paragraph.text.clone(),
            highlights: vec![[0, 9]],
            paragraph,
            all_words: true,
            explanation: None,
            before: vec![],
            after: vec![],
            ranks: None,
        };
        SearchResults {
            query: "caseloads".into(),
            total: 3,
            total_all_words: 1,
            hits: vec![hit],
            words: vec![QueryWord { label: "caseloads".into(), forms: vec![], common: false }],
            absent: vec![],
            suggestions: vec![],
            notes: vec![],
            corrected: None,
        }
    }

    fn render(format: Format, f: impl Fn(&dyn Printer, &mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&*printer(format, Style::plain()), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn search_as_text() {
        let text = render(Format::Text, |p, w| p.search_results(w, &results()));
        assert_eq!(
            text,
            "leeds-2019-01-ilacs#24 · Leeds · ILACS · 2019-01-14 · grade 2 (good) · ¶24 · p. 7\n  \
             Findings › Help and protection\n  \
             Caseloads are manageable, so workers know the children well.\n\n\
             1 of 3 matching paragraphs shown; 1 contains every word\n"
        );
    }

    /// At a width: the header in short forms on one line, the text wrapped
    /// at word boundaries under the indent, highlights kept across lines.
    #[test]
    fn search_as_text_at_a_width() {
        let mut res = results();
        res.hits[0].highlights = vec![[29, 45]];
        let mut out = Vec::new();
        let style = Style { color: true, width: Some(40) };
        printer(Format::Text, style).search_results(&mut out, &res).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "\x1b[1mleeds-2019-01-ilacs#24\x1b[0m \x1b[2m· Leeds · ILACS · 2019-01-14 · grade 2 · ¶24 · p. 7\x1b[0m"
        );
        assert_eq!(lines[2], "  Caseloads are manageable, so \x1b[1;31mworkers\x1b[0m");
        assert_eq!(lines[3], "  \x1b[1;31mknow the\x1b[0m children well.");
        let plain = render(Format::Text, |p, w| p.search_results(w, &res));
        assert!(plain.contains("so workers know the children well.\n"), "no width: not wrapped: {plain}");
    }

    /// A header that cannot fit even in short forms cuts the authority short.
    #[test]
    fn a_long_header_stays_on_one_line() {
        let mut res = results();
        let mut info = (*res.hits[0].report).clone();
        info.meta.authority = Some("Bournemouth, Christchurch and Poole".into());
        res.hits[0].report = Arc::new(info);
        let header = |width: usize| {
            let mut out = Vec::new();
            printer(Format::Text, Style { color: false, width: Some(width) }).search_results(&mut out, &res).unwrap();
            String::from_utf8(out).unwrap().lines().next().unwrap().to_string()
        };
        assert_eq!(header(80), "leeds-2019-01-ilacs#24 · Bournemout… · ILACS · 2019-01-14 · grade 2 · ¶24 · p. 7");
        assert_eq!(header(80).chars().count(), 80);
        assert_eq!(header(40), "leeds-2019-01-ilacs#24 · Bournem… · ILACS · 2019-01-14 · grade 2 · ¶24 · p. 7");
    }

    #[test]
    fn search_as_text_in_colour_marks_the_highlights() {
        let mut out = Vec::new();
        printer(Format::Text, Style { color: true, width: None }).search_results(&mut out, &results()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\x1b[1;31mCaseloads\x1b[0m are manageable"), "{text}");
    }

    #[test]
    fn search_as_json_ndjson_and_csv() {
        let json: SearchJson =
            serde_json::from_str(&render(Format::Json, |p, w| p.search_results(w, &results()))).unwrap();
        assert_eq!((json.total, json.hits.len()), (3, 1));
        assert_eq!(json.hits[0].id, "leeds-2019-01-ilacs#24");
        assert_eq!(json.hits[0].score, 1.235, "scores are rounded to three places");
        let ndjson = render(Format::Ndjson, |p, w| p.search_results(w, &results()));
        let lines: Vec<&str> = ndjson.lines().collect();
        assert_eq!(lines.len(), 2, "a hit, then the summary");
        let hit: HitJson = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(hit, json.hits[0]);
        let summary: SummaryLine<TotalsJson> = serde_json::from_str(lines[1]).unwrap();
        assert_eq!((summary.summary.total, summary.summary.total_all_words, summary.summary.shown), (3, 1, Some(1)));
        let csv = render(Format::Csv, |p, w| p.search_results(w, &results()));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], table::HIT_COLUMNS);
        assert_eq!(
            lines[1],
            "1,1.235,leeds-2019-01-ilacs#24,leeds-2019-01-ilacs,ilacs,Leeds,383,Yorkshire and the Humber,2019-01-14,,\
             Findings > Help and protection,2,good,24,true,7,7,\"Caseloads are manageable, so workers know the children well.\",\
             \"Ofsted, Leeds: ILACS inspection, 14–25 January 2019, p. 7, para. 24\",/r/leeds.pdf"
        );
    }

    #[test]
    fn citations() {
        let r = report();
        let mut p = results().hits[0].paragraph.clone();
        assert_eq!(citation(&r, &p), "Ofsted, Leeds: ILACS inspection, 14–25 January 2019, p. 7, para. 24");
        p.page_end = Some(8);
        p.numbered = false;
        assert_eq!(
            citation(&r, &p),
            "Ofsted, Leeds: ILACS inspection, 14–25 January 2019, pp. 7–8, paragraph beginning “Caseloads are manageable, so workers know…”"
        );
        let mut r = (*r).clone();
        r.meta.inspection_end = Some("2019-02-01".into());
        (p.page_start, p.page_end, p.numbered) = (None, None, true);
        assert_eq!(citation(&r, &p), "Ofsted, Leeds: ILACS inspection, 14 January – 1 February 2019, para. 24");
        r.meta.inspection_end = Some("2020-01-03".into());
        assert_eq!(citation(&r, &p), "Ofsted, Leeds: ILACS inspection, 14 January 2019 to 3 January 2020, para. 24");
    }

    #[test]
    fn facets_in_every_format() {
        let counts = FacetCounts {
            query: Some("IRO".into()),
            total: 15,
            total_any_words: 15,
            facets: vec![(
                Facet::Type,
                vec![Bucket { value: "slac".into(), count: 12 }, Bucket { value: "ilacs".into(), count: 3 }],
            )],
        };
        assert_eq!(
            render(Format::Text, |p, w| p.facets(w, &counts)),
            "15 paragraphs with every word of \"IRO\" (15 with any)\n\nby type\n  slac       12\n  ilacs       3\n"
        );
        assert_eq!(render(Format::Csv, |p, w| p.facets(w, &counts)), "facet,value,count\ntype,slac,12\ntype,ilacs,3\n");
        assert_eq!(
            render(Format::Ndjson, |p, w| p.facets(w, &counts)).lines().next(),
            Some(r#"{"count":12,"facet":"type","value":"slac"}"#)
        );
        let json: FacetsJson = serde_json::from_str(&render(Format::Json, |p, w| p.facets(w, &counts))).unwrap();
        assert_eq!(json.facets["type"][1], Bucket { value: "ilacs".into(), count: 3 });
    }

    #[test]
    fn reports_as_text_and_csv() {
        let reports = vec![report()];
        assert_eq!(
            render(Format::Text, |p, w| p.reports(w, &reports)),
            "leeds-2019-01-ilacs  Leeds (LA 383, Yorkshire and the Humber) · ILACS inspection · inspected 2019-01-14 to 2019-01-25 · 40 paragraphs\n1 report\n"
        );
        let csv = render(Format::Csv, |p, w| p.reports(w, &reports));
        assert_eq!(
            csv.lines().nth(1),
            Some(
                "leeds-2019-01-ilacs,Leeds,383,E08000035,Yorkshire and the Humber,ilacs,,2019-01-14,2019-01-25,,\
                 ,,,,,,,,,,,,,,,,40,/r/leeds.pdf"
            )
        );
    }

    #[test]
    fn a_batch_error_in_text_and_csv() {
        let items =
            vec![BatchItem { json: BatchJson::Error { id: "q1".into(), line: 3, error: "bad".into() }, text: None }];
        assert_eq!(render(Format::Text, |p, w| p.batch(w, &items)), "== q1 (line 3): error: bad\n\n");
        let csv = render(Format::Csv, |p, w| p.batch(w, &items));
        assert_eq!(csv.lines().nth(1), Some(format!("q1,,bad{}", ",".repeat(20)).as_str()));
    }

    fn trend(queries: usize, label: &str) -> Trend {
        use crate::search::trend::{Mentions, Per, TrendBucket, TrendBy};
        let bucket = |value: &str, reports: usize, found: &[usize]| TrendBucket {
            value: value.into(),
            reports,
            paragraphs: reports * 40,
            small: reports < 5,
            mentions: found
                .iter()
                .cycle()
                .take(queries)
                .map(|&n| Mentions { reports: n, paragraphs: 2 * n, share: n as f64 / reports as f64 })
                .collect(),
        };
        Trend {
            queries: (0..queries).map(|i| format!("query {i}")).collect(),
            absent: vec![Vec::new(); queries],
            by: TrendBy::Authority,
            per: Per::Reports,
            filters: Filters { types: vec![crate::report::ReportType::Ilacs], ..Filters::default() },
            reports: 13,
            paragraphs: 520,
            buckets: vec![bucket(label, 10, &[4, 10]), bucket("Leeds", 3, &[1, 0])],
        }
    }

    #[test]
    fn trend_as_a_chart() {
        let text = render(Format::Text, |p, w| p.trend(w, &trend(1, "Barnsley")));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "\"query 0\" by authority (type ilacs)");
        assert_eq!(lines[2], format!("authority (longest = 40%){}share     reports      ¶", " ".repeat(31)));
        // The longest bar fills 45 columns; a small bucket's is in light shade.
        assert_eq!(lines[3], format!("Barnsley  {}   40%        4/10      8", "█".repeat(45)));
        assert_eq!(lines[4], format!("Leeds     {}{}   33%         1/3*     2", "░".repeat(38), " ".repeat(7)));
        // Long labels and six queries still fit 80 columns.
        let text = render(Format::Text, |p, w| p.trend(w, &trend(6, &"Barking and Dagenham, ".repeat(3))));
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        assert!(text.contains("\nBarking and Dagenham, B… a █"), "{text}");
        assert!(text.contains("\nLeeds                    a ░"), "{text}");
        assert!(text.contains("e = \"query 4\",\nf = \"query 5\"\n"), "legend entries are not broken:\n{text}");
    }

    #[test]
    fn trend_as_json_ndjson_and_csv() {
        let t = trend(2, "Barnsley");
        let json: TrendJson = serde_json::from_str(&render(Format::Json, |p, w| p.trend(w, &t))).unwrap();
        assert_eq!((json.filters.as_str(), json.small_below, json.rows.len()), ("type ilacs", 5, 4));
        assert_eq!((json.rows[1].query.as_str(), json.rows[1].share, json.rows[3].small), ("query 1", 1.0, true));
        let nd = render(Format::Ndjson, |p, w| p.trend(w, &t));
        let rows: Vec<TrendRow> = nd.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(rows, json.rows);
        let csv = render(Format::Csv, |p, w| p.trend(w, &t));
        assert_eq!(
            csv.lines().collect::<Vec<_>>(),
            [
                TREND_COLUMNS.join(",").as_str(),
                "authority,Barnsley,query 0,4,10,8,400,reports,0.4000,false",
                "authority,Barnsley,query 1,10,10,20,400,reports,1.0000,false",
                "authority,Leeds,query 0,1,3,2,120,reports,0.3333,true",
                "authority,Leeds,query 1,0,3,0,120,reports,0.0000,true",
            ]
        );
    }
}
