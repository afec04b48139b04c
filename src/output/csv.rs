//! `--format csv`: a header row, then one row per hit, paragraph, report,
//! bucket or line; fields quoted only where they must be.

use super::browse::{ShowParagraphJson, ShowReportJson};
use super::{BatchItem, BatchJson, HitJson, LineFateJson, Printer, TREND_COLUMNS, trend_rows};
use crate::report::{Paragraph, Report, ReportInfo};
use crate::search::SearchResults;
use crate::search::browse::Stats;
use crate::search::facets::FacetCounts;
use crate::search::trend::Trend;
use std::io::{self, Write};
use std::rc::Rc;

pub struct CsvPrinter;

/// The columns of a hit.
pub const HIT_COLUMNS: &str = "rank,score,id,report_id,type,authority,inspection_start,published,section,grade,grade_label,para,numbered,excerpt,source";

/// The columns of a report before its judgements.
const REPORT_COLUMNS: &str =
    "report_id,type,authority,inspection_start,inspection_end,published,inspectors,n_paragraphs,source";

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

fn row(w: &mut dyn Write, fields: &[String]) -> io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    writeln!(w, "{}", line.join(","))
}

/// A header row (column names need no quoting).
fn header(w: &mut dyn Write, names: &str) -> io::Result<()> {
    writeln!(w, "{names}")
}

fn opt(o: &Option<String>) -> String {
    o.clone().unwrap_or_default()
}

/// A section path in one cell.
fn section_cell(section: &[String]) -> String {
    section.join(" > ")
}

fn grade_cell(grade: Option<u8>) -> String {
    grade.map(|g| g.to_string()).unwrap_or_default()
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
        opt(&h.inspection_start),
        opt(&h.published),
        section_cell(&h.section),
        grade_cell(h.grade),
        opt(&h.grade_label),
        h.para.to_string(),
        h.numbered.to_string(),
        h.excerpt.clone(),
        h.source.clone(),
    ]
}

/// The CSV column a judgement goes in: its section path.
/// The judgements every report table has a column for, by canonical key,
/// in this order whatever the filters: the ILACS and SIF judgements. Other
/// frameworks' judgements go into one `other_judgements` cell.
const JUDGEMENT_COLUMNS: [&str; 7] =
    ["overall", "leaders", "help_and_protection", "in_care", "adoption", "care_leavers", "lscb"];

fn report_cells(r: &ReportInfo) -> Vec<String> {
    let mut cells = vec![
        r.report_id.clone(),
        r.report_type.as_str().to_string(),
        opt(&r.authority),
        opt(&r.inspection_start),
        opt(&r.inspection_end),
        opt(&r.published),
        r.inspectors.join("; "),
        r.n_paragraphs.to_string(),
        r.source.clone(),
    ];
    for key in JUDGEMENT_COLUMNS {
        let g = r.judgements.iter().find(|j| j.key == key);
        cells.push(g.map(|j| j.grade.to_string()).unwrap_or_default());
    }
    let others: Vec<String> = r
        .judgements
        .iter()
        .filter(|j| !JUDGEMENT_COLUMNS.contains(&j.key.as_str()))
        .map(|j| format!("{}={}", j.key, j.grade))
        .collect();
    cells.push(others.join("; "));
    cells
}

impl Printer for CsvPrinter {
    fn search_results(&self, w: &mut dyn Write, res: &SearchResults) -> io::Result<()> {
        header(w, HIT_COLUMNS)?;
        for h in &res.hits {
            row(w, &hit_cells(&HitJson::of(h)))?;
        }
        Ok(())
    }

    fn parsed_report(&self, w: &mut dyn Write, report: &Report) -> io::Result<()> {
        header(w, "para,numbered,section,grade,grade_label,text")?;
        for p in &report.paragraphs {
            row(w, &paragraph_cells(p))?;
        }
        Ok(())
    }

    fn line_fates(&self, w: &mut dyn Write, rows: &[LineFateJson]) -> io::Result<()> {
        header(w, "line,paragraph,dropped,text")?;
        for r in rows {
            let para = r.paragraph.map(|p| p.to_string()).unwrap_or_default();
            row(w, &[r.line.to_string(), para, opt(&r.dropped), r.text.clone()])?;
        }
        Ok(())
    }

    fn batch(&self, w: &mut dyn Write, items: &[BatchItem]) -> io::Result<()> {
        header(w, &format!("query_id,query,error,{HIT_COLUMNS}"))?;
        for item in items {
            match &item.json {
                BatchJson::Error { id, error, .. } => {
                    let mut cells = vec![id.clone(), String::new(), error.clone()];
                    cells.extend(std::iter::repeat_n(String::new(), HIT_COLUMNS.split(',').count()));
                    row(w, &cells)?;
                }
                BatchJson::Result { id, query, hits, .. } => {
                    for h in hits {
                        let mut cells = vec![id.clone(), query.clone(), String::new()];
                        cells.extend(hit_cells(h));
                        row(w, &cells)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn facets(&self, w: &mut dyn Write, counts: &FacetCounts) -> io::Result<()> {
        header(w, "facet,value,count")?;
        for (f, buckets) in &counts.facets {
            for b in buckets {
                row(w, &[f.as_str().to_string(), b.value.clone(), b.count.to_string()])?;
            }
        }
        Ok(())
    }

    fn reports(&self, w: &mut dyn Write, reports: &[Rc<ReportInfo>]) -> io::Result<()> {
        let mut names: Vec<String> = REPORT_COLUMNS.split(',').map(String::from).collect();
        names.extend(JUDGEMENT_COLUMNS.iter().map(|k| k.to_string()));
        names.push("other_judgements".to_string());
        row(w, &names)?;
        for r in reports {
            row(w, &report_cells(r))?;
        }
        Ok(())
    }

    fn show_paragraph(&self, w: &mut dyn Write, s: &ShowParagraphJson) -> io::Result<()> {
        header(w, "id,para,numbered,section,grade,grade_label,text")?;
        for p in s.before.iter().chain(std::iter::once(&s.paragraph)).chain(&s.after) {
            let mut cells = vec![format!("{}#{}", s.report.report_id, p.para)];
            cells.extend(paragraph_cells(p));
            row(w, &cells)?;
        }
        Ok(())
    }

    fn show_report(&self, w: &mut dyn Write, s: &ShowReportJson) -> io::Result<()> {
        header(w, "section,grade,grade_label,first_para,last_para,n_paragraphs")?;
        for o in &s.outline {
            let (first, last, n) = (o.first_para, o.last_para, o.n_paragraphs);
            let cells = [section_cell(&o.section), grade_cell(o.grade), opt(&o.grade_label)];
            row(w, &[&cells[..], &[first.to_string(), last.to_string(), n.to_string()]].concat())?;
        }
        Ok(())
    }

    fn stats(&self, w: &mut dyn Write, s: &Stats) -> io::Result<()> {
        header(w, "by,key,reports,paragraphs")?;
        for (by, counts) in [("type", &s.by_type), ("year", &s.by_year)] {
            for (k, c) in counts {
                row(w, &[by.to_string(), k.clone(), c.reports.to_string(), c.paragraphs.to_string()])?;
            }
        }
        Ok(())
    }

    fn trend(&self, w: &mut dyn Write, t: &Trend) -> io::Result<()> {
        header(w, &TREND_COLUMNS.join(","))?;
        for r in trend_rows(t) {
            let counts = [r.reports_mentioning, r.reports, r.paragraphs_matching, r.paragraphs].map(|n| n.to_string());
            let mut cells = vec![r.by, r.bucket, r.query];
            cells.extend(counts);
            cells.extend([r.per, format!("{:.4}", r.share), r.small.to_string()]);
            row(w, &cells)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_where_they_must_be() {
        let mut out = Vec::new();
        row(&mut out, &["plain".into(), "a, b".into(), "say \"no\"".into(), "two\nlines".into()]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "plain,\"a, b\",\"say \"\"no\"\"\",\"two\nlines\"\n");
    }
}
