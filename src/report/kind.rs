//! What each paragraph is, beyond what its heading says: the frameworks'
//! fixed texts (boilerplate) recognised by their wording, the opening of a
//! letter (what the visit looked at), a report's opening summary and the
//! overall judgement it explains.

use super::{Judgement, Paragraph, ParagraphKind, ReportType};
use regex::Regex;
use std::sync::LazyLock;

/// The opening words of the fixed texts of Ofsted's frameworks: the same
/// in every report of a family, saying nothing about the authority. Matched
/// on the paragraph's start, curly apostrophes read as straight ones.
static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:",
        // Letters (focused and monitoring visits): opening and closing.
        r"this letter summarises the (?:findings|main findings)",
        r"|this visit was carried out in line with",
        r"|the methodology for this visit",
        r"|(?:her|his) majesty's chief inspector of education, children's services and skills is leading ofsted's work",
        r"|ofsted will take the findings",
        r"|i am copying this letter",
        r"|this visit was carried out (?:during|under) ",
        // SIF and LAC: the legal basis, the method, the team.
        r"|ofsted produces this report",
        r"|the local authority was given the opportunity to review this section",
        r"|the inspection of the local authority was carried out under",
        r"|the review of the (?:lscb|local safeguarding children board) was carried out under",
        r"|inspectors have looked closely at the experiences of children",
        r"|inspectors considered the quality of work and the difference",
        r"|the inspection team consisted of",
        r"|the purpose of the inspection is to evaluate",
        r"|all inspection judgements are made using the following",
        // The grade definitions ("what the inspection judgements mean") and
        // the SIF's boxed expectation.
        r"|an outstanding (?:local authority|lscb) ",
        r"|a good local authority leads",
        r"|in a local authority that requires improvement",
        r"|a local authority that is inadequate",
        r"|an lscb (?:that is good|that is inadequate|requires improvement)",
        r"|the local authority leads effective services that meet the requirements for good",
        r"|there are no widespread or serious failures that",
        r"|(?:however,? )?the (?:local )?authority is not yet delivering good",
        r"|leadership, management and governance requires? improvement when",
        r"|it is ofsted's expectation that",
        r"|the arrangements in place to evaluate the effectiveness of",
        r"|an? (?:lscb|local safeguarding children board(?: \(lscb\))?) (?:that is good|that is inadequate|requires improvement if|is (?:outstanding|good|inadequate) if)",
        r"|we have notified the department for education",
        r"|any complaints about the inspection or the report",
        r"|you should submit an action plan",
        r"|the (?:local authority|lscb) is not yet (?:delivering|demonstrating)",
        r"|the lscb coordinates the activity of statutory partners",
        r"|(?:deputy lead|lead|team|shadow) inspectors?:",
        r"|(?:senior )?data analysts?:",
        r"|quality assurance managers?:",
        r")",
    ))
    .unwrap()
});

/// A letter's account of what the visit looked at.
static SCOPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:inspectors (?:looked at|evaluated|considered|reviewed|spoke|met)|this visit (?:looked at|focused|considered|evaluated)|the visit (?:looked at|focused)|during (?:this|the) visit, inspectors)").unwrap()
});

/// Whether a text starts as one of the frameworks' fixed texts.
pub fn is_boilerplate_start(text: &str) -> bool {
    let start = text.get(..text.len().min(160)).unwrap_or(text).replace(['’', '‘'], "'");
    BOILERPLATE.is_match(start.trim_start_matches(['-', ' ', '\n']))
}

/// Whether a line starts as only a paragraph starts: one of the fixed
/// texts, or a letter's account of what the visit looked at. Text with no
/// blank lines between paragraphs (plain `pdftotext`) is split there.
pub fn opens_a_paragraph(line: &str) -> bool {
    is_boilerplate_start(line) || SCOPE.is_match(&line.replace(['’', '‘'], "'"))
}

fn is_letter(t: ReportType) -> bool {
    matches!(t, ReportType::FocusedVisit | ReportType::MonitoringVisit | ReportType::Jtai)
}

fn is_graded_report(t: ReportType) -> bool {
    matches!(t, ReportType::Sif | ReportType::Ilacs | ReportType::IlacsShort | ReportType::Lac | ReportType::Slac)
}

/// Set the kinds the headings could not tell, and give a report's opening
/// summary the overall judgement it explains.
pub fn assign(paragraphs: &mut [Paragraph], judgements: &[Judgement], report_type: ReportType) {
    for p in paragraphs.iter_mut() {
        let start = p.text.get(..p.text.len().min(160)).unwrap_or(&p.text).replace(['’', '‘'], "'");
        let start = start.trim_start_matches(['-', ' ', '\n']);
        if is_boilerplate_start(start) {
            p.kind = ParagraphKind::Boilerplate;
        } else if p.section.is_empty() && p.kind == ParagraphKind::Finding {
            if is_letter(report_type) {
                p.kind = ParagraphKind::Scope;
            } else if is_graded_report(report_type) {
                p.kind = ParagraphKind::Summary;
            }
        } else if is_letter(report_type) && p.kind == ParagraphKind::Finding && SCOPE.is_match(start) {
            p.kind = ParagraphKind::Scope;
        }
    }
    section_summaries(paragraphs);
    overall_summary(paragraphs, judgements);
}

/// The unnumbered text a SIF judgement section opens with, before its
/// "Inspection findings", summarises the judgement.
fn section_summaries(paragraphs: &mut [Paragraph]) {
    for k in 0..paragraphs.len() {
        let p = &paragraphs[k];
        if p.numbered || p.kind != ParagraphKind::Finding || p.judgement.is_none() {
            continue;
        }
        let findings_follow = paragraphs[k + 1..].iter().any(|q| {
            q.section.len() == p.section.len() + 1
                && q.section.starts_with(&p.section)
                && q.section.last().is_some_and(|s| s.to_lowercase().starts_with("inspection findings"))
        });
        if findings_follow {
            paragraphs[k].kind = ParagraphKind::Summary;
        }
    }
}

/// The summary that opens an inspection report, before its first graded
/// section, explains the overall judgement: it takes that judgement.
fn overall_summary(paragraphs: &mut [Paragraph], judgements: &[Judgement]) {
    let Some(overall) = judgements.iter().find(|j| j.key == "overall") else { return };
    for p in paragraphs.iter_mut() {
        if p.judgement.is_some() {
            break;
        }
        let for_children =
            p.section.first().is_some_and(|s| s.to_lowercase().contains("for children and young people"));
        // The box's fixed descriptor text under the verdict is the overall
        // judgement's too.
        let in_box = p.kind == ParagraphKind::Boilerplate && p.section.is_empty();
        if (p.kind == ParagraphKind::Summary || in_box) && !for_children {
            p.judgement = Some(overall.key.clone());
            p.grade = Some(overall.grade);
            p.grade_label = Some(overall.grade_label.clone());
        }
    }
}
