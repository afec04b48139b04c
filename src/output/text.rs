//! Text for people: colour and bold on a terminal, plain when piped.

use crate::index::Summary;
use crate::report::Report;
use crate::search::{Hit, SearchResults};
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn bold(&self, s: &str) -> String {
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

pub fn search_results(w: &mut impl Write, res: &SearchResults, style: Style) -> io::Result<()> {
    for h in &res.hits {
        let r = &h.report;
        let p = &h.paragraph;
        let mut facts = vec![
            r.authority.clone().unwrap_or_else(|| "unknown authority".into()),
            r.report_type.describe().to_string(),
        ];
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
        let section = super::section_label(&p.section);
        let number = if p.numbered { format!("¶{}", p.para) } else { "unnumbered".to_string() };
        writeln!(w, "  {}", style.dim(&format!("{section} · {number}")))?;
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
        writeln!(w)?;
    }
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
fn explanation_tree(w: &mut impl Write, node: &serde_json::Value, depth: usize, style: Style) -> io::Result<()> {
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

pub fn parsed_report(w: &mut impl Write, r: &Report) -> io::Result<()> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".to_string());
    writeln!(w, "report       {}", r.report_id)?;
    writeln!(w, "source       {}", r.source)?;
    writeln!(w, "type         {} ({})", r.report_type.as_str(), r.report_type.describe())?;
    writeln!(w, "title        {}", opt(&r.title))?;
    writeln!(w, "authority    {}", opt(&r.authority))?;
    writeln!(w, "inspection   {} to {}", opt(&r.inspection_start), opt(&r.inspection_end))?;
    writeln!(w, "published    {}", opt(&r.published))?;
    writeln!(w, "inspectors   {}", if r.inspectors.is_empty() { "-".to_string() } else { r.inspectors.join(", ") })?;
    writeln!(w, "\njudgements ({})", r.judgements.len())?;
    for j in &r.judgements {
        writeln!(w, "  {} {:<34} {}", j.grade, j.grade_label, j.section.join(" › "))?;
    }
    let n_numbered = r.paragraphs.iter().filter(|p| p.numbered).count();
    writeln!(w, "\nparagraphs ({}, {} numbered)", r.paragraphs.len(), n_numbered)?;
    let mut last_section: Option<&Vec<String>> = None;
    for p in &r.paragraphs {
        if last_section != Some(&p.section) {
            let grade = grade_text(p.grade, p.grade_label.as_deref()).map(|g| format!(" [{g}]")).unwrap_or_default();
            writeln!(w, "  == {}{}", super::section_label(&p.section), grade)?;
            last_section = Some(&p.section);
        }
        let number = super::para_label(p);
        let mut lines = p.text.lines();
        writeln!(w, "  {:>6} {}", number, lines.next().unwrap_or(""))?;
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

pub fn index_summary(w: &mut impl Write, s: &Summary, dir: &str) -> io::Result<()> {
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
