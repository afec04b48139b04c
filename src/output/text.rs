//! `--format text`, for people: colour and bold on a terminal, plain when piped.

use super::browse::{ShowParagraphJson, ShowReportJson};
use super::{BatchItem, BatchJson, LineFateJson, Printer, para_label, section_label};
use crate::index::Summary;
use crate::report::{Paragraph, ParagraphKind, Report, ReportInfo};
use crate::search::browse::Stats;
use crate::search::facets::FacetCounts;
use crate::search::trend::Trend;
use crate::search::{Hit, SearchResults};
use std::io::{self, Write};
use std::rc::Rc;

pub struct TextPrinter {
    pub style: Style,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub(super) fn paint(&self, code: &str, s: &str) -> String {
        if self.color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }
    pub(super) fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    pub(super) fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn mark(&self, s: &str) -> String {
        self.paint("1;31", s)
    }
}

fn grade_text(grade: Option<u8>, label: Option<&str>) -> Option<String> {
    grade.map(|g| format!("grade {g} ({})", label.unwrap_or("")))
}

fn highlighted(h: &Hit, style: Style) -> String {
    let mut out = String::new();
    let mut last = 0;
    for [a, b] in &h.highlights {
        if *a < last || *b > h.excerpt.len() {
            continue;
        }
        out.push_str(&h.excerpt[last..*a]);
        out.push_str(&style.mark(&h.excerpt[*a..*b]));
        last = *b;
    }
    out.push_str(&h.excerpt[last..]);
    out
}

/// One hit: where it is from, its section, the excerpt, and why it ranked.
fn hit(w: &mut dyn Write, h: &Hit, style: Style) -> io::Result<()> {
    let r = &h.report;
    let p = &h.paragraph;
    let mut facts =
        vec![r.authority.clone().unwrap_or_else(|| "unknown authority".into()), r.report_type.describe().to_string()];
    if let Some(d) = r.date() {
        facts.push(d.to_string());
    }
    if let Some(g) = grade_text(p.grade, p.grade_label.as_deref()) {
        facts.push(g);
    }
    writeln!(
        w,
        "{} {}",
        style.bold(&format!("{}#{}", r.report_id, p.para)),
        style.dim(&format!("· {}", facts.join(" · ")))
    )?;
    let section = section_label(&p.section);
    let number = if p.numbered { format!("¶{}", p.para) } else { "unnumbered".to_string() };
    let mut place = vec![section, number];
    place.extend(page_label(p));
    if p.kind != ParagraphKind::Finding {
        place.push(p.kind.as_str().to_string());
    }
    writeln!(w, "  {}", style.dim(&place.join(" · ")))?;
    for line in highlighted(h, style).lines() {
        writeln!(w, "  {line}")?;
    }
    if let Some(e) = &h.explanation {
        writeln!(w, "  {}", style.dim(&format!("why: score {:.3}, {} tier", h.score, e.tier)))?;
        if !e.matched.is_empty() {
            writeln!(w, "  {}", style.dim(&format!("  matched: {}", e.matched.join("; "))))?;
        }
        if !e.missing.is_empty() {
            writeln!(w, "  {}", style.dim(&format!("  lacks: {}", e.missing.join(", "))))?;
        }
        explanation_tree(w, &e.score, 2, style)?;
    }
    writeln!(w)
}

/// After the hits: how many of how many, the words searched for, absent
/// words with suggestions, and notes.
fn summary(w: &mut dyn Write, res: &SearchResults, style: Style) -> io::Result<()> {
    let shown = res.hits.len();
    let mut summary = format!(
        "{shown} of {} matching paragraph{} shown; {} contain{} every word",
        res.total,
        if res.total == 1 { "" } else { "s" },
        res.total_all_words,
        if res.total_all_words == 1 { "s" } else { "" }
    );
    if res.words.iter().any(|w| !w.forms.is_empty()) {
        let words: Vec<String> = res
            .words
            .iter()
            .map(|w| if w.forms.is_empty() { w.label.clone() } else { format!("{} ({})", w.label, w.forms.join("; ")) })
            .collect();
        summary.push_str(&format!("; searched for {}", words.join(", ")));
    }
    writeln!(w, "{}", style.dim(&summary))?;
    if !res.absent.is_empty() {
        writeln!(w, "{}", style.dim(&format!("no indexed paragraph contains: {}", res.absent.join(", "))))?;
        for (word, near) in &res.suggestions {
            writeln!(
                w,
                "did you mean {}? (for {word})",
                near.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(" or ")
            )?;
        }
    } else if res.hits.iter().any(|h| !h.all_words) {
        writeln!(
            w,
            "{}",
            style.dim(
                "hits after the first lack some of the query words (shown because fewer paragraphs have them all)"
            )
        )?;
    }
    for n in &res.notes {
        writeln!(w, "{}", style.dim(&format!("note: {n}")))?;
    }
    Ok(())
}

/// tantivy's score explanation as an indented tree, zero-valued filter
/// clauses left out.
fn explanation_tree(w: &mut dyn Write, node: &serde_json::Value, depth: usize, style: Style) -> io::Result<()> {
    let value = node["value"].as_f64().unwrap_or(0.0);
    let description = node["description"].as_str().unwrap_or("");
    if value == 0.0 && depth > 2 {
        return Ok(());
    }
    writeln!(w, "  {}", style.dim(&format!("{}{value:.3} {description}", "  ".repeat(depth))))?;
    if let Some(children) = node["details"].as_array() {
        for c in children {
            explanation_tree(w, c, depth + 1, style)?;
        }
    }
    Ok(())
}

fn parsed_report(w: &mut dyn Write, r: &Report) -> io::Result<()> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".to_string());
    writeln!(w, "report       {}", r.report_id)?;
    writeln!(w, "source       {}", r.source)?;
    writeln!(w, "type         {} ({})", r.report_type.as_str(), r.report_type.describe())?;
    writeln!(w, "title        {}", opt(&r.title))?;
    writeln!(w, "authority    {}", opt(&r.authority))?;
    if let Some(p) = &r.provider {
        writeln!(w, "provider     {p}")?;
    }
    writeln!(w, "inspection   {} to {}", opt(&r.inspection_start), opt(&r.inspection_end))?;
    writeln!(w, "published    {}", opt(&r.published))?;
    writeln!(w, "inspectors   {}", if r.inspectors.is_empty() { "-".to_string() } else { r.inspectors.join(", ") })?;
    writeln!(w, "\njudgements ({})", r.judgements.len())?;
    for j in &r.judgements {
        writeln!(w, "  {} {:<34} {:<20} {}", j.grade, j.grade_label, j.key, j.section.join(" › "))?;
    }
    let n_numbered = r.paragraphs.iter().filter(|p| p.numbered).count();
    writeln!(w, "\nparagraphs ({}, {} numbered)", r.paragraphs.len(), n_numbered)?;
    let mut last_section: Option<&Vec<String>> = None;
    for p in &r.paragraphs {
        if last_section != Some(&p.section) {
            let grade = grade_text(p.grade, p.grade_label.as_deref())
                .map(|g| format!(" [{}{g}]", p.judgement.as_deref().map(|k| format!("{k}: ")).unwrap_or_default()))
                .unwrap_or_default();
            writeln!(w, "  == {}{}", section_label(&p.section), grade)?;
            last_section = Some(&p.section);
        }
        let number = para_label(p);
        let mut lines = p.text.lines();
        let kind = if p.kind == ParagraphKind::Finding { String::new() } else { format!("[{}] ", p.kind.as_str()) };
        writeln!(w, "  {:>6} {kind}{}", number, lines.next().unwrap_or(""))?;
        for l in lines {
            writeln!(w, "         {l}")?;
        }
    }
    writeln!(w, "\nwarnings ({})", r.warnings.len())?;
    for warning in &r.warnings {
        writeln!(w, "  - {warning}")?;
    }
    Ok(())
}

pub(super) fn index_summary(w: &mut dyn Write, s: &Summary, dir: &str) -> io::Result<()> {
    writeln!(
        w,
        "indexed {} report{} ({} paragraphs), {} unchanged, {} removed, {} skipped; index at {}",
        s.indexed,
        if s.indexed == 1 { "" } else { "s" },
        s.n_paragraphs,
        s.unchanged,
        s.removed,
        s.skipped.len(),
        dir
    )?;
    for (source, reason) in &s.skipped {
        writeln!(w, "skipped {source}: {reason}")?;
    }
    if !s.warnings.is_empty() {
        writeln!(
            w,
            "{} parser warning{} (see `insp parse FILE`):",
            s.warnings.len(),
            if s.warnings.len() == 1 { "" } else { "s" }
        )?;
        for (rid, warning) in s.warnings.iter().take(20) {
            writeln!(w, "  {rid}: {warning}")?;
        }
        if s.warnings.len() > 20 {
            writeln!(w, "  … and {} more", s.warnings.len() - 20)?;
        }
    }
    Ok(())
}

/// A report's line in `reports`, and a line per judgement.
fn report_row(w: &mut dyn Write, r: &ReportInfo) -> io::Result<()> {
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
    Ok(())
}

/// "p. 12" or "pp. 12–13": where a paragraph from a PDF stands.
fn page_label(p: &Paragraph) -> Option<String> {
    match (p.page_start, p.page_end) {
        (Some(a), Some(b)) if b > a => Some(format!("pp. {a}–{b}")),
        (Some(a), _) => Some(format!("p. {a}")),
        _ => None,
    }
}

fn paragraph_text(w: &mut dyn Write, p: &Paragraph, indent: &str) -> io::Result<()> {
    let number = para_label(p);
    let mut lines = p.text.lines();
    writeln!(w, "{indent}{number} {}", lines.next().unwrap_or(""))?;
    for l in lines {
        writeln!(w, "{indent}   {l}")?;
    }
    Ok(())
}

fn show_paragraph(w: &mut dyn Write, s: &ShowParagraphJson) -> io::Result<()> {
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
    let grade =
        p.grade.map(|g| format!(" · grade {g} ({})", p.grade_label.as_deref().unwrap_or(""))).unwrap_or_default();
    writeln!(w, "{}{grade}", section_label(&p.section))?;
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

fn show_report(w: &mut dyn Write, s: &ShowReportJson) -> io::Result<()> {
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
        let grade =
            o.grade.map(|g| format!("  [grade {g} ({})]", o.grade_label.as_deref().unwrap_or(""))).unwrap_or_default();
        writeln!(w, "  {range:<10} {}{grade}", section_label(&o.section))?;
    }
    Ok(())
}

impl Printer for TextPrinter {
    fn search_results(&self, w: &mut dyn Write, res: &SearchResults) -> io::Result<()> {
        if let Some(corrected) = &res.corrected {
            let line = format!(
                "showing results for \"{corrected}\" (no paragraph has {}); --no-correct searches the words as typed",
                res.absent.iter().map(|a| format!("'{a}'")).collect::<Vec<_>>().join(", ")
            );
            writeln!(w, "{}\n", self.style.bold(&line))?;
        }
        for h in &res.hits {
            hit(w, h, self.style)?;
        }
        summary(w, res, self.style)
    }

    fn parsed_report(&self, w: &mut dyn Write, report: &Report) -> io::Result<()> {
        parsed_report(w, report)
    }

    fn line_fates(&self, w: &mut dyn Write, rows: &[LineFateJson]) -> io::Result<()> {
        for r in rows {
            match (&r.paragraph, &r.dropped) {
                (Some(p), _) => writeln!(w, "{:>6}  ¶{:<5} {}", r.line, p, r.text)?,
                (None, Some(why)) => writeln!(w, "{:>6}  -      {}  [{}]", r.line, r.text, why)?,
                (None, None) => {}
            }
        }
        Ok(())
    }

    fn batch(&self, w: &mut dyn Write, items: &[BatchItem]) -> io::Result<()> {
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

    fn facets(&self, w: &mut dyn Write, counts: &FacetCounts) -> io::Result<()> {
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

    fn reports(&self, w: &mut dyn Write, reports: &[Rc<ReportInfo>]) -> io::Result<()> {
        for r in reports {
            report_row(w, r)?;
        }
        writeln!(w, "{} report{}", reports.len(), if reports.len() == 1 { "" } else { "s" })
    }

    fn show_paragraph(&self, w: &mut dyn Write, s: &ShowParagraphJson) -> io::Result<()> {
        show_paragraph(w, s)
    }

    fn show_report(&self, w: &mut dyn Write, s: &ShowReportJson) -> io::Result<()> {
        show_report(w, s)
    }

    fn trend(&self, w: &mut dyn Write, t: &Trend) -> io::Result<()> {
        super::chart::bars(w, t, self.style, super::chart::WIDTH)
    }

    fn stats(&self, w: &mut dyn Write, s: &Stats) -> io::Result<()> {
        writeln!(w, "index          {}", s.index)?;
        writeln!(w, "schema         {}", s.schema_version)?;
        writeln!(w, "reports        {}", s.reports)?;
        writeln!(w, "paragraphs     {}", s.paragraphs)?;
        writeln!(w, "size           {:.1} MB", s.index_bytes as f64 / 1e6)?;
        for (by, counts) in [("type", &s.by_type), ("year", &s.by_year)] {
            writeln!(w, "\nby {by}")?;
            for (k, c) in counts {
                writeln!(w, "  {k:<18} {:>5} reports {:>7} paragraphs", c.reports, c.paragraphs)?;
            }
        }
        Ok(())
    }
}
