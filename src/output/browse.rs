//! Printers for the browsing commands: `reports`, `show`, `stats`.

use super::{Format, csv_row, json_value, paragraph_cells};
use crate::report::{Paragraph, ReportInfo};
use crate::search::browse::Stats;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::rc::Rc;

/// `reports --format json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ReportsJson {
    pub reports: Vec<ReportInfo>,
}

fn opt(o: &Option<String>) -> String {
    o.clone().unwrap_or_default()
}

/// The CSV column a judgement goes in: its section path.
fn judgement_column(section: &[String]) -> String {
    section.join(" > ").to_lowercase()
}

pub fn reports(w: &mut impl Write, reports: &[Rc<ReportInfo>], format: Format) -> io::Result<()> {
    match format {
        Format::Json => {
            let out = ReportsJson { reports: reports.iter().map(|r| (**r).clone()).collect() };
            serde_json::to_writer_pretty(&mut *w, &out)?;
            writeln!(w)
        }
        Format::Ndjson => {
            for r in reports {
                serde_json::to_writer(&mut *w, &**r)?;
                writeln!(w)?;
            }
            Ok(())
        }
        Format::Csv => {
            // One column per judgement, in the order they first appear.
            let mut columns: Vec<String> = Vec::new();
            for r in reports {
                for j in &r.judgements {
                    let c = judgement_column(&j.section);
                    if !columns.contains(&c) {
                        columns.push(c);
                    }
                }
            }
            let mut header: Vec<String> = [
                "report_id",
                "type",
                "authority",
                "inspection_start",
                "inspection_end",
                "published",
                "inspectors",
                "n_paragraphs",
                "source",
            ]
            .map(String::from)
            .to_vec();
            header.extend(columns.iter().cloned());
            csv_row(w, &header)?;
            for r in reports {
                let mut row = vec![
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
                for c in &columns {
                    let g = r.judgements.iter().find(|j| &judgement_column(&j.section) == c);
                    row.push(g.map(|j| j.grade.to_string()).unwrap_or_default());
                }
                csv_row(w, &row)?;
            }
            Ok(())
        }
        Format::Text => {
            for r in reports {
                let dates = match (&r.inspection_start, &r.inspection_end) {
                    (Some(a), Some(b)) if a != b => format!("inspected {a} to {b}"),
                    (Some(a), _) => format!("inspected {a}"),
                    _ => r.published.as_ref().map_or("no date".to_string(), |p| format!("published {p}")),
                };
                writeln!(
                    w,
                    "{}  {} · {} · {} · {} paragraphs",
                    r.report_id,
                    r.authority.as_deref().unwrap_or("unknown authority"),
                    r.report_type.describe(),
                    dates,
                    r.n_paragraphs
                )?;
                for j in &r.judgements {
                    writeln!(w, "    {} {:<32} {}", j.grade, j.grade_label, j.section.join(" › "))?;
                }
            }
            writeln!(w, "{} report{}", reports.len(), if reports.len() == 1 { "" } else { "s" })
        }
    }
}

/// `show REPORT#PARA`: a paragraph, its neighbours and where it stands.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShowParagraphJson {
    pub id: String,
    pub report: ReportInfo,
    pub paragraph: Paragraph,
    pub before: Vec<Paragraph>,
    pub after: Vec<Paragraph>,
}

/// One section of a report's outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineSection {
    pub section: Vec<String>,
    pub grade: Option<u8>,
    pub grade_label: Option<String>,
    pub first_para: u32,
    pub last_para: u32,
    pub n_paragraphs: usize,
}

/// `show REPORT`: the report and its outline.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShowReportJson {
    pub report: ReportInfo,
    pub outline: Vec<OutlineSection>,
}

/// Consecutive paragraphs under the same section, in order.
pub fn outline(paragraphs: &[Paragraph]) -> Vec<OutlineSection> {
    let mut out: Vec<OutlineSection> = Vec::new();
    for p in paragraphs {
        match out.last_mut() {
            Some(s) if s.section == p.section => {
                s.last_para = p.para;
                s.n_paragraphs += 1;
            }
            _ => out.push(OutlineSection {
                section: p.section.clone(),
                grade: p.grade,
                grade_label: p.grade_label.clone(),
                first_para: p.para,
                last_para: p.para,
                n_paragraphs: 1,
            }),
        }
    }
    out
}

fn paragraph_text(w: &mut impl Write, p: &Paragraph, indent: &str) -> io::Result<()> {
    let number = super::para_label(p);
    let mut lines = p.text.lines();
    writeln!(w, "{indent}{number} {}", lines.next().unwrap_or(""))?;
    for l in lines {
        writeln!(w, "{indent}   {l}")?;
    }
    Ok(())
}

pub fn show_paragraph(w: &mut impl Write, s: &ShowParagraphJson, format: Format) -> io::Result<()> {
    match format {
        Format::Json | Format::Ndjson => json_value(w, s, format),
        Format::Csv => {
            csv_row(w, &["id", "para", "numbered", "section", "grade", "grade_label", "text"].map(String::from))?;
            for p in s.before.iter().chain(std::iter::once(&s.paragraph)).chain(&s.after) {
                let mut row = vec![format!("{}#{}", s.report.report_id, p.para)];
                row.extend(paragraph_cells(p));
                csv_row(w, &row)?;
            }
            Ok(())
        }
        Format::Text => {
            let r = &s.report;
            let p = &s.paragraph;
            writeln!(
                w,
                "{} · {} · {} · {}",
                s.id,
                r.authority.as_deref().unwrap_or("unknown authority"),
                r.report_type.describe(),
                r.date().unwrap_or("no date")
            )?;
            let grade = p
                .grade
                .map(|g| format!(" · grade {g} ({})", p.grade_label.as_deref().unwrap_or("")))
                .unwrap_or_default();
            let section = super::section_label(&p.section);
            writeln!(w, "{section}{grade}")?;
            writeln!(w, "source: {}", r.source)?;
            writeln!(w)?;
            for b in &s.before {
                paragraph_text(w, b, "  ")?;
            }
            paragraph_text(w, p, "> ")?;
            for a in &s.after {
                paragraph_text(w, a, "  ")?;
            }
            Ok(())
        }
    }
}

pub fn show_report(w: &mut impl Write, s: &ShowReportJson, format: Format) -> io::Result<()> {
    match format {
        Format::Json | Format::Ndjson => json_value(w, s, format),
        Format::Csv => {
            csv_row(
                w,
                &["section", "grade", "grade_label", "first_para", "last_para", "n_paragraphs"].map(String::from),
            )?;
            for o in &s.outline {
                csv_row(
                    w,
                    &[
                        o.section.join(" > "),
                        o.grade.map(|g| g.to_string()).unwrap_or_default(),
                        o.grade_label.clone().unwrap_or_default(),
                        o.first_para.to_string(),
                        o.last_para.to_string(),
                        o.n_paragraphs.to_string(),
                    ],
                )?;
            }
            Ok(())
        }
        Format::Text => {
            let r = &s.report;
            writeln!(w, "{}  {}", r.report_id, r.title.as_deref().unwrap_or(""))?;
            writeln!(
                w,
                "{} · {} · inspected {} to {} · published {}",
                r.authority.as_deref().unwrap_or("unknown authority"),
                r.report_type.describe(),
                r.inspection_start.as_deref().unwrap_or("-"),
                r.inspection_end.as_deref().unwrap_or("-"),
                r.published.as_deref().unwrap_or("-")
            )?;
            writeln!(w, "source: {}", r.source)?;
            writeln!(w)?;
            for o in &s.outline {
                let range = if o.first_para == o.last_para {
                    format!("¶{}", o.first_para)
                } else {
                    format!("¶{}–{}", o.first_para, o.last_para)
                };
                let grade = o
                    .grade
                    .map(|g| format!("  [grade {g} ({})]", o.grade_label.as_deref().unwrap_or("")))
                    .unwrap_or_default();
                let section = super::section_label(&o.section);
                writeln!(w, "  {range:<10} {section}{grade}")?;
            }
            Ok(())
        }
    }
}

pub fn stats(w: &mut impl Write, s: &Stats, format: Format) -> io::Result<()> {
    match format {
        Format::Json | Format::Ndjson => json_value(w, s, format),
        Format::Csv => {
            csv_row(w, &["by", "key", "reports", "paragraphs"].map(String::from))?;
            for (k, c) in &s.by_type {
                csv_row(w, &["type".into(), k.clone(), c.reports.to_string(), c.paragraphs.to_string()])?;
            }
            for (k, c) in &s.by_year {
                csv_row(w, &["year".into(), k.clone(), c.reports.to_string(), c.paragraphs.to_string()])?;
            }
            Ok(())
        }
        Format::Text => {
            writeln!(w, "index          {}", s.index)?;
            writeln!(w, "schema         {}", s.schema_version)?;
            writeln!(w, "reports        {}", s.reports)?;
            writeln!(w, "paragraphs     {}", s.paragraphs)?;
            writeln!(w, "size           {:.1} MB", s.index_bytes as f64 / 1e6)?;
            writeln!(w, "\nby type")?;
            for (k, c) in &s.by_type {
                writeln!(w, "  {k:<18} {:>5} reports {:>7} paragraphs", c.reports, c.paragraphs)?;
            }
            writeln!(w, "\nby year")?;
            for (k, c) in &s.by_year {
                writeln!(w, "  {k:<18} {:>5} reports {:>7} paragraphs", c.reports, c.paragraphs)?;
            }
            Ok(())
        }
    }
}
