//! The JSON contract of the browsing commands (`reports`, `show`), and a
//! report's outline.

use crate::report::{Paragraph, ReportInfo};
use crate::search::browse::Lookup;
use serde::{Deserialize, Serialize};

/// `reports --format json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ReportsJson {
    pub reports: Vec<ReportInfo>,
}

/// `show REPORT#PARA`: a paragraph, its neighbours and where it stands.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShowParagraphJson {
    pub id: String,
    /// A ready citation of the paragraph.
    #[serde(default)]
    pub cite: String,
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

impl ShowParagraphJson {
    /// The paragraph a lookup found with `context` paragraphs on either
    /// side; `None` when the id named a whole report.
    pub fn of(id: &str, found: &Lookup, context: usize) -> Option<ShowParagraphJson> {
        let k = found.position?;
        let (before, paragraph, after) =
            crate::search::browse::around(&found.paragraphs, found.paragraphs[k].para, context)?;
        Some(ShowParagraphJson {
            id: id.to_string(),
            cite: super::citation(&found.report, paragraph),
            report: (*found.report).clone(),
            paragraph: paragraph.clone(),
            before: before.to_vec(),
            after: after.to_vec(),
        })
    }
}

impl ShowReportJson {
    pub fn of(found: &Lookup) -> ShowReportJson {
        ShowReportJson { report: (*found.report).clone(), outline: outline(&found.paragraphs) }
    }
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
