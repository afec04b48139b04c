//! The tables behind `--format csv` and `--format xlsx`: a header and one
//! row of cells per hit, paragraph, report, bucket or line, built once here
//! and written by a [`TableSink`] (CSV text, or an xlsx workbook).

use super::browse::{ShowParagraphJson, ShowReportJson};
use super::{BatchItem, BatchJson, HitJson, LineFateJson, Printer, TREND_COLUMNS, trend_rows};
use crate::report::{Paragraph, Report, ReportInfo};
use crate::search::SearchResults;
use crate::search::browse::Stats;
use crate::search::facets::FacetCounts;
use crate::search::trend::Trend;
use std::io::{self, Write};
use std::sync::Arc;

/// One table: what a command printed as CSV or as one xlsx sheet.
pub struct Table {
    /// The sheet's name in a workbook.
    pub name: &'static str,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn new(name: &'static str, header: &str) -> Table {
        Table { name, header: header.split(',').map(String::from).collect(), rows: Vec::new() }
    }
}

/// Writes a table in one format.
pub trait TableSink {
    fn write(&self, w: &mut dyn Write, table: &Table) -> io::Result<()>;
}

/// The printer of a table format.
pub struct TablePrinter<S: TableSink>(pub S);

/// The columns of a hit.
pub const HIT_COLUMNS: &str = "rank,score,id,report_id,type,authority,la_code,region,inspection_start,published,section,grade,grade_label,para,numbered,page_start,page_end,excerpt,cite,source";

/// The columns of a report before its judgements.
const REPORT_COLUMNS: &str =
    "report_id,authority,la_code,ons_code,region,type,provider,inspection_start,inspection_end,published";

/// The columns of a report after its judgements.
const REPORT_TAIL_COLUMNS: &str = "other_judgements,inspectors,n_paragraphs,source";

fn opt(o: &Option<String>) -> String {
    o.clone().unwrap_or_default()
}

/// A section path in one cell.
fn section_cell(section: &[String]) -> String {
    section.join(" > ")
}

fn grade_cell(grade: Option<u8>) -> String {
    number_cell(grade)
}

fn number_cell(n: Option<impl ToString>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// A paragraph's cells: para, numbered, section, grade, grade_label, text.
fn paragraph_cells(p: &Paragraph) -> Vec<String> {
    vec![
        p.para.to_string(),
        p.numbered.to_string(),
        section_cell(&p.section),
        grade_cell(p.grade),
        opt(&p.grade_label),
        p.text.clone(),
    ]
}

fn hit_cells(h: &HitJson) -> Vec<String> {
    vec![
        h.rank.to_string(),
        h.score.to_string(),
        h.id.clone(),
        h.report_id.clone(),
        h.report_type.clone(),
        opt(&h.authority),
        number_cell(h.la_code),
        opt(&h.region),
        opt(&h.inspection_start),
        opt(&h.published),
        section_cell(&h.section),
        grade_cell(h.grade),
        opt(&h.grade_label),
        h.para.to_string(),
        h.numbered.to_string(),
        number_cell(h.page_start),
        number_cell(h.page_end),
        h.excerpt.clone(),
        h.cite.clone(),
        h.source.clone(),
    ]
}

/// The judgements every report table has columns for, by canonical key,
/// in this order whatever the filters: the ILACS and SIF judgements, each a
/// grade column (1-4) and a `_label` column (the grade as printed). Other
/// frameworks' judgements go into one `other_judgements` cell.
pub const JUDGEMENT_COLUMNS: [&str; 7] =
    ["overall", "leaders", "help_and_protection", "in_care", "adoption", "care_leavers", "lscb"];

/// The reports table's column names, in order.
pub fn report_columns() -> Vec<String> {
    let mut names: Vec<String> = REPORT_COLUMNS.split(',').map(String::from).collect();
    for key in JUDGEMENT_COLUMNS {
        names.push(key.to_string());
        names.push(format!("{key}_label"));
    }
    names.extend(REPORT_TAIL_COLUMNS.split(',').map(String::from));
    names
}

/// A report's row of the reports table.
pub fn report_cells(r: &ReportInfo) -> Vec<String> {
    let mut cells = vec![
        r.report_id.clone(),
        opt(&r.authority),
        number_cell(r.la_code),
        opt(&r.ons_code),
        opt(&r.region),
        r.report_type.as_str().to_string(),
        opt(&r.provider),
        opt(&r.inspection_start),
        opt(&r.inspection_end),
        opt(&r.published),
    ];
    for key in JUDGEMENT_COLUMNS {
        let j = r.judgements.iter().find(|j| j.key == key);
        cells.push(grade_cell(j.map(|j| j.grade)));
        cells.push(j.map(|j| j.grade_label.clone()).unwrap_or_default());
    }
    let others: Vec<String> = r
        .judgements
        .iter()
        .filter(|j| !JUDGEMENT_COLUMNS.contains(&j.key.as_str()))
        .map(|j| format!("{}={}", j.key, j.grade))
        .collect();
    cells.push(others.join("; "));
    cells.extend([r.inspectors.join("; "), r.n_paragraphs.to_string(), r.source.clone()]);
    cells
}

impl<S: TableSink> Printer for TablePrinter<S> {
    fn search_results(&self, w: &mut dyn Write, res: &SearchResults) -> io::Result<()> {
        let mut t = Table::new("hits", HIT_COLUMNS);
        t.rows = res.hits.iter().map(|h| hit_cells(&HitJson::of(h))).collect();
        self.0.write(w, &t)
    }

    fn trend(&self, w: &mut dyn Write, t: &Trend) -> io::Result<()> {
        let mut table = Table::new("trend", &TREND_COLUMNS.join(","));
        for r in trend_rows(t) {
            let counts = [r.reports_mentioning, r.reports, r.paragraphs_matching, r.paragraphs].map(|n| n.to_string());
            let mut cells = vec![r.by, r.bucket, r.query];
            cells.extend(counts);
            cells.extend([r.per, format!("{:.4}", r.share), r.small.to_string()]);
            table.rows.push(cells);
        }
        self.0.write(w, &table)
    }

    fn search_count(&self, w: &mut dyn Write, res: &SearchResults) -> io::Result<()> {
        let mut t = Table::new("totals", "query,total,total_all_words");
        t.rows = vec![vec![res.query.clone(), res.total.to_string(), res.total_all_words.to_string()]];
        self.0.write(w, &t)
    }

    fn parsed_report(&self, w: &mut dyn Write, report: &Report) -> io::Result<()> {
        let mut t = Table::new("paragraphs", "para,numbered,section,grade,grade_label,text");
        t.rows = report.paragraphs.iter().map(paragraph_cells).collect();
        self.0.write(w, &t)
    }

    fn line_fates(&self, w: &mut dyn Write, rows: &[LineFateJson]) -> io::Result<()> {
        let mut t = Table::new("lines", "line,paragraph,dropped,text");
        for r in rows {
            let para = r.paragraph.map(|p| p.to_string()).unwrap_or_default();
            t.rows.push(vec![r.line.to_string(), para, opt(&r.dropped), r.text.clone()]);
        }
        self.0.write(w, &t)
    }

    fn batch(&self, w: &mut dyn Write, items: &[BatchItem]) -> io::Result<()> {
        let mut t = Table::new("batch", &format!("query_id,query,error,{HIT_COLUMNS}"));
        for item in items {
            match &item.json {
                BatchJson::Error { id, error, .. } => {
                    let mut cells = vec![id.clone(), String::new(), error.clone()];
                    cells.extend(std::iter::repeat_n(String::new(), HIT_COLUMNS.split(',').count()));
                    t.rows.push(cells);
                }
                BatchJson::Result { id, query, hits, .. } => {
                    for h in hits {
                        let mut cells = vec![id.clone(), query.clone(), String::new()];
                        cells.extend(hit_cells(h));
                        t.rows.push(cells);
                    }
                }
            }
        }
        self.0.write(w, &t)
    }

    fn facets(&self, w: &mut dyn Write, counts: &FacetCounts) -> io::Result<()> {
        let mut t = Table::new("facets", "facet,value,count");
        for (f, buckets) in &counts.facets {
            for b in buckets {
                t.rows.push(vec![f.as_str().to_string(), b.value.clone(), b.count.to_string()]);
            }
        }
        self.0.write(w, &t)
    }

    fn reports(&self, w: &mut dyn Write, reports: &[Arc<ReportInfo>]) -> io::Result<()> {
        let t = Table {
            name: "reports",
            header: report_columns(),
            rows: reports.iter().map(|r| report_cells(r)).collect(),
        };
        self.0.write(w, &t)
    }

    fn show_paragraph(&self, w: &mut dyn Write, s: &ShowParagraphJson) -> io::Result<()> {
        let mut t = Table::new("paragraph", "id,para,numbered,section,grade,grade_label,text");
        for p in s.before.iter().chain(std::iter::once(&s.paragraph)).chain(&s.after) {
            let mut cells = vec![format!("{}#{}", s.report.report_id, p.para)];
            cells.extend(paragraph_cells(p));
            t.rows.push(cells);
        }
        self.0.write(w, &t)
    }

    fn show_report(&self, w: &mut dyn Write, s: &ShowReportJson) -> io::Result<()> {
        let mut t = Table::new("outline", "section,grade,grade_label,first_para,last_para,n_paragraphs");
        for o in &s.outline {
            let (first, last, n) = (o.first_para, o.last_para, o.n_paragraphs);
            let cells = [section_cell(&o.section), grade_cell(o.grade), opt(&o.grade_label)];
            t.rows.push([&cells[..], &[first.to_string(), last.to_string(), n.to_string()]].concat());
        }
        self.0.write(w, &t)
    }

    fn stats(&self, w: &mut dyn Write, s: &Stats) -> io::Result<()> {
        let mut t = Table::new("stats", "by,key,reports,paragraphs");
        for (by, counts) in [("type", &s.by_type), ("year", &s.by_year)] {
            for (k, c) in counts {
                t.rows.push(vec![by.to_string(), k.clone(), c.reports.to_string(), c.paragraphs.to_string()]);
            }
        }
        self.0.write(w, &t)
    }
}
