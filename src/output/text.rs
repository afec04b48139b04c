//! `--format text`, for people: colour and bold on a terminal, plain when piped.

use super::browse::{ShowParagraphJson, ShowReportJson};
use super::{BatchItem, BatchJson, LineFateJson, Printer, para_label, section_label};
use crate::index::Summary;
use crate::report::{Paragraph, ParagraphKind, Report, ReportInfo, ReportType};
use crate::search::browse::Stats;
use crate::search::facets::FacetCounts;
use crate::search::trend::Trend;
use crate::search::{Hit, SearchResults};
use std::io::{self, Write};
use std::sync::Arc;

pub struct TextPrinter {
    pub style: Style,
}

/// How text is laid out: colour, and the width to wrap at (none: lines as
/// they are, as when piped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub width: Option<usize>,
}

/// Wrapped text never gets narrower than this, however small the terminal.
const MIN_WIDTH: usize = 30;
/// An authority cut short to fit a header keeps at least this many characters.
const MIN_NAME: usize = 8;
/// The hanging indent under a hit's header.
const INDENT: &str = "  ";

impl Style {
    /// No colour, no wrapping.
    pub fn plain() -> Style {
        Style { color: false, width: None }
    }
    pub(super) fn paint(&self, code: &str, s: &str) -> String {
        if self.color && !s.is_empty() { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
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
    /// What the user should notice: a correction, absent words, notes.
    fn warn(&self, s: &str) -> String {
        self.paint("33", s)
    }
    fn same(&self, s: &str) -> String {
        s.to_string()
    }
    fn fits(&self, s: &str) -> bool {
        self.width.is_none_or(|w| textwrap::core::display_width(s) <= w)
    }
}

/// One line of wrapped text: a byte range of the text, and the columns it
/// stands in from the indent (a bullet item's continuation lines stand
/// under its words, not its dash).
struct Piece {
    range: (usize, usize),
    hang: usize,
}

/// What starts a bullet item in a paragraph's text.
const BULLETS: [&str; 3] = ["- ", "• ", "* "];

/// The lines of `text` wrapped at word boundaries to fit `width` columns
/// less `indent` (its own lines with no width).
fn wrap_ranges(text: &str, width: Option<usize>, indent: usize) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in text.split('\n') {
        let start = pos;
        pos += line.len() + 1;
        let Some(width) = width else {
            out.push(Piece { range: (start, start + line.len()), hang: 0 });
            continue;
        };
        let hang = if BULLETS.iter().any(|b| line.starts_with(b)) { 2 } else { 0 };
        let options = textwrap::Options::new(width.saturating_sub(indent + hang).max(MIN_WIDTH))
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        let (base, mut at) = (line.as_ptr() as usize, 0);
        for (i, piece) in textwrap::wrap(line, &options).into_iter().enumerate() {
            // textwrap lends its lines from `line` (no indent, no hyphens added).
            let offset = (piece.as_ptr() as usize).wrapping_sub(base);
            let a = if matches!(piece, std::borrow::Cow::Borrowed(_)) && offset <= line.len() {
                offset
            } else {
                line[at..].find(piece.as_ref()).map_or(at, |k| at + k)
            };
            at = (a + piece.len()).min(line.len());
            out.push(Piece { range: (start + a, start + at), hang: if i == 0 { 0 } else { hang } });
        }
    }
    out
}

/// `text[a..b]` with the parts inside `highlights` marked.
fn marked(text: &str, (a, b): (usize, usize), highlights: &[[usize; 2]], style: Style) -> String {
    let mut out = String::new();
    let mut last = a;
    for &[ha, hb] in highlights {
        let (ha, hb) = (ha.max(last), hb.min(b));
        if ha >= hb || !text.is_char_boundary(ha) || !text.is_char_boundary(hb) {
            continue;
        }
        out.push_str(&text[last..ha]);
        out.push_str(&style.mark(&text[ha..hb]));
        last = hb;
    }
    out.push_str(&text[last..b]);
    out
}

/// `text` wrapped under `indent` (every line), each line painted whole.
fn wrapped(
    w: &mut dyn Write,
    text: &str,
    indent: &str,
    style: Style,
    paint: fn(&Style, &str) -> String,
) -> io::Result<()> {
    for Piece { range: (a, b), hang } in wrap_ranges(text, style.width, indent.len()) {
        writeln!(w, "{indent}{:hang$}{}", "", paint(&style, &text[a..b]))?;
    }
    Ok(())
}

/// `first` then `text` wrapped under a hanging indent as wide as `first`
/// (`first` may be painted: its width is what shows), each line painted.
fn hanging(
    w: &mut dyn Write,
    first: &str,
    text: &str,
    style: Style,
    paint: fn(&Style, &str) -> String,
) -> io::Result<()> {
    hanging_with(w, first, text, style, |range| paint(&style, &text[range.0..range.1]))
}

/// `hanging` with the `highlights` of `text` marked.
fn hanging_marked(
    w: &mut dyn Write,
    first: &str,
    text: &str,
    highlights: &[[usize; 2]],
    style: Style,
) -> io::Result<()> {
    hanging_with(w, first, text, style, |range| marked(text, range, highlights, style))
}

fn hanging_with(
    w: &mut dyn Write,
    first: &str,
    text: &str,
    style: Style,
    line: impl Fn((usize, usize)) -> String,
) -> io::Result<()> {
    let indent = " ".repeat(textwrap::core::display_width(first));
    for (i, Piece { range, hang }) in wrap_ranges(text, style.width, indent.len()).into_iter().enumerate() {
        writeln!(w, "{}{:hang$}{}", if i == 0 { first } else { &indent }, "", line(range))?;
    }
    Ok(())
}

fn grade_text(grade: Option<u8>, label: Option<&str>) -> Option<String> {
    grade.map(|g| format!("grade {g} ({})", label.unwrap_or("")))
}

/// A report type as a hit's header names it: short, in words.
fn type_label(t: ReportType) -> &'static str {
    match t {
        ReportType::Slac => "SLAC",
        ReportType::Lac => "LAC",
        ReportType::Sif => "SIF",
        ReportType::LscbReview => "LSCB review",
        ReportType::Ilacs => "ILACS",
        ReportType::IlacsShort => "ILACS short",
        ReportType::FocusedVisit => "focused visit",
        ReportType::MonitoringVisit => "monitoring visit",
        ReportType::Jtai => "JTAI",
        ReportType::AreaSend => "area SEND",
        ReportType::CabinetReport => "council paper",
        ReportType::Other => "other",
    }
}

/// A hit's facts after its id: authority, type, date, `grade` (as the
/// header words it), ¶ and page.
fn hit_facts(h: &Hit, grade: Option<String>) -> Vec<String> {
    let (r, p) = (&h.report, &h.paragraph);
    let mut facts = vec![r.authority.clone().unwrap_or_else(|| "unknown authority".into())];
    facts.push(type_label(r.report_type).to_string());
    facts.extend(r.date().map(str::to_string));
    facts.extend(grade);
    facts.push(if p.numbered { format!("¶{}", p.para) } else { "unnumbered".to_string() });
    facts.extend(page_label(p));
    facts
}

/// The header line: id, then the facts, on one line: the grade's name
/// dropped when they do not fit the width, the authority cut short if even
/// then they do not.
fn hit_header(h: &Hit, style: Style) -> String {
    let id = format!("{}#{}", h.report.report_id, h.paragraph.para);
    let line = |facts: &[String]| format!("{id} · {}", facts.join(" · "));
    let p = &h.paragraph;
    let mut facts = hit_facts(h, grade_text(p.grade, p.grade_label.as_deref()));
    if !style.fits(&line(&facts)) {
        facts = hit_facts(h, p.grade.map(|g| format!("grade {g}")));
    }
    if let Some(w) = style.width {
        let over = textwrap::core::display_width(&line(&facts)).saturating_sub(w);
        let name = facts[0].chars().count();
        let keep = name.saturating_sub(over).max(MIN_NAME);
        if over > 0 && keep < name {
            facts[0] = shortened(&facts[0], Some(keep));
        }
    }
    format!("{} {}", style.bold(&id), style.dim(&format!("· {}", facts.join(" · "))))
}

/// One hit: its header, its section, the excerpt with the matches marked
/// (and its neighbours with `-C`), and why it ranked.
fn hit(w: &mut dyn Write, h: &Hit, style: Style) -> io::Result<()> {
    let p = &h.paragraph;
    writeln!(w, "{}", hit_header(h, style))?;
    let mut place = section_label(&p.section);
    if p.kind != ParagraphKind::Finding {
        place.push_str(&format!(" · {}", p.kind.as_str()));
    }
    wrapped(w, &place, INDENT, style, Style::dim)?;
    for b in &h.before {
        hanging(w, &format!("{INDENT}{} ", para_label(b)), &b.text, style, Style::dim)?;
    }
    // With neighbours, each paragraph under its number.
    let first = if h.before.is_empty() && h.after.is_empty() {
        INDENT.to_string()
    } else {
        format!("{INDENT}{} ", para_label(p))
    };
    hanging_marked(w, &first, &h.excerpt, &h.highlights, style)?;
    for a in &h.after {
        hanging(w, &format!("{INDENT}{} ", para_label(a)), &a.text, style, Style::dim)?;
    }
    if let Some(e) = &h.explanation {
        writeln!(w, "  {}", style.dim(&format!("why: score {:.3}, {} tier", h.score, e.tier)))?;
        if let Some(r) = &h.ranks {
            let rank = |r: Option<usize>| r.map_or("not in the first 100".to_string(), |n| n.to_string());
            let line = format!("  lexical rank {}, semantic rank {}", rank(r.lexical), rank(r.semantic));
            writeln!(w, "  {}", style.dim(&line))?;
        }
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

/// `search --cite`: each hit as a numbered citation, its excerpt quoted,
/// and its id.
pub fn citations(w: &mut dyn Write, res: &SearchResults) -> io::Result<()> {
    for h in &res.hits {
        writeln!(w, "{}. {}", h.rank, super::citation(&h.report, &h.paragraph))?;
        writeln!(w, "   “{}”", h.excerpt.trim())?;
        writeln!(w, "   {}#{}\n", h.report.report_id, h.paragraph.para)?;
    }
    writeln!(w, "{} of {} matching paragraphs", res.hits.len(), res.total)
}

/// "IRO (IRO = independent reviewing officer)", "lockdown (also pandemic,
/// covid-19)": a query word with the forms it was searched in.
fn word_with_forms(w: &crate::search::QueryWord) -> String {
    let (equivalents, acronyms): (Vec<&String>, Vec<&String>) = w.forms.iter().partition(|f| f.contains(" ~ "));
    let mut parts: Vec<String> = acronyms.iter().map(|f| f.to_string()).collect();
    let also: Vec<&str> = equivalents.iter().filter_map(|f| f.split_once(" ~ ").map(|(_, e)| e)).collect();
    if !also.is_empty() {
        parts.push(format!("also {}", also.join(", ")));
    }
    if parts.is_empty() { w.label.clone() } else { format!("{} ({})", w.label, parts.join("; ")) }
}

/// After the hits: how many of how many, the words searched for, absent
/// words with suggestions, and notes.
fn summary(w: &mut dyn Write, res: &SearchResults, style: Style) -> io::Result<()> {
    let shown = res.hits.len();
    let common: Vec<String> = res.words.iter().filter(|w| w.common).map(|w| format!("{:?}", w.label)).collect();
    let every = format!(
        "{} contain{} every word{}",
        res.total_all_words,
        if res.total_all_words == 1 { "s" } else { "" },
        if common.is_empty() { String::new() } else { format!(" but {}", common.join(", ")) }
    );
    let mut summary =
        format!("{shown} of {} matching paragraph{} shown; {every}", res.total, if res.total == 1 { "" } else { "s" });
    if let Some(first) = res.hits.first().filter(|h| h.rank > 1) {
        summary = format!(
            "hits {} to {} of {} matching paragraphs shown; {every}",
            first.rank,
            first.rank + shown - 1,
            res.total
        );
    }
    if res.words.iter().any(|w| !w.forms.is_empty()) {
        let words: Vec<String> = res.words.iter().map(word_with_forms).collect();
        summary.push_str(&format!("; searched for {}", words.join(", ")));
    }
    wrapped(w, &summary, "", style, Style::dim)?;
    if !res.absent.is_empty() {
        wrapped(w, &format!("no indexed paragraph contains: {}", res.absent.join(", ")), "", style, Style::warn)?;
        for (word, near) in &res.suggestions {
            let quoted: Vec<String> = near.iter().map(|s| format!("'{s}'")).collect();
            wrapped(w, &format!("did you mean {}? (for {word})", quoted.join(" or ")), "", style, Style::warn)?;
        }
    } else if res.hits.iter().any(|h| !h.all_words) {
        let note = "hits after the first lack some of the query words (shown because fewer paragraphs have them all)";
        wrapped(w, note, "", style, Style::dim)?;
    }
    for n in &res.notes {
        wrapped(w, &format!("note: {n}"), "", style, Style::warn)?;
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

fn parsed_report(w: &mut dyn Write, r: &Report, style: Style) -> io::Result<()> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".to_string());
    writeln!(w, "report       {}", style.bold(&r.report_id))?;
    writeln!(w, "source       {}", r.source)?;
    writeln!(w, "type         {} ({})", r.report_type.as_str(), r.report_type.describe())?;
    writeln!(w, "title        {}", opt(&r.title))?;
    writeln!(w, "authority    {}", opt(&r.authority))?;
    if let Some(p) = &r.provider {
        writeln!(w, "provider     {p}")?;
    }
    if let (Some(code), Some(ons), Some(region)) = (r.la_code, &r.ons_code, &r.region) {
        writeln!(w, "council      LA {code} · {ons} · {region}")?;
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
            hanging(w, "  == ", &format!("{}{}", section_label(&p.section), grade), style, Style::bold)?;
            last_section = Some(&p.section);
        }
        let kind = if p.kind == ParagraphKind::Finding { String::new() } else { format!("[{}] ", p.kind.as_str()) };
        let first = format!("  {:>6} ", para_label(p));
        hanging(w, &first, &format!("{kind}{}", p.text), style, Style::same)?;
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
    if let Some(model) = &s.model {
        writeln!(w, "embedded {} paragraph{} with {model}", s.embedded, if s.embedded == 1 { "" } else { "s" })?;
    }
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
fn report_row(w: &mut dyn Write, r: &ReportInfo, style: Style) -> io::Result<()> {
    let dates = match (&r.inspection_start, &r.inspection_end) {
        (Some(a), Some(b)) if a != b => format!("inspected {a} to {b}"),
        (Some(a), _) => format!("inspected {a}"),
        _ => r.published.as_ref().map_or("no date".to_string(), |p| format!("published {p}")),
    };
    let council = match (r.la_code, &r.region) {
        (Some(code), Some(region)) => format!(" (LA {code}, {region})"),
        _ => String::new(),
    };
    let facts = format!(
        "{}{council} · {} · {} · {} paragraphs",
        r.authority.as_deref().unwrap_or("unknown authority"),
        r.report_type.describe(),
        dates,
        r.n_paragraphs
    );
    hanging(w, &format!("{}  ", style.bold(&r.report_id)), &facts, style, Style::same)?;
    for j in &r.judgements {
        let first = format!("    {} {:<32} ", j.grade, j.grade_label);
        hanging(w, &first, &j.section.join(" › "), style, Style::dim)?;
    }
    Ok(())
}

/// `s` cut to `max` characters with an ellipsis (as it is with no max).
fn shortened(s: &str, max: Option<usize>) -> String {
    match max {
        Some(max) if s.chars().count() > max => {
            format!("{}…", s.chars().take(max.saturating_sub(1)).collect::<String>())
        }
        _ => s.to_string(),
    }
}

/// "p. 12" or "pp. 12–13": where a paragraph from a PDF stands.
fn page_label(p: &Paragraph) -> Option<String> {
    match (p.page_start, p.page_end) {
        (Some(a), Some(b)) if b > a => Some(format!("pp. {a}–{b}")),
        (Some(a), _) => Some(format!("p. {a}")),
        _ => None,
    }
}

/// A paragraph under its number, wrapped under a hanging indent; the
/// neighbours of the one asked for dimmed.
fn paragraph_text(
    w: &mut dyn Write,
    p: &Paragraph,
    indent: &str,
    style: Style,
    paint: fn(&Style, &str) -> String,
) -> io::Result<()> {
    hanging(w, &format!("{indent}{} ", para_label(p)), &p.text, style, paint)
}

fn show_paragraph(w: &mut dyn Write, s: &ShowParagraphJson, style: Style) -> io::Result<()> {
    let r = &s.report;
    let p = &s.paragraph;
    let facts = format!(
        "· {} · {} · {}",
        r.authority.as_deref().unwrap_or("unknown authority"),
        type_label(r.report_type),
        r.date().unwrap_or("no date")
    );
    hanging(w, &format!("{} ", style.bold(&s.id)), &facts, style, Style::dim)?;
    let grade =
        p.grade.map(|g| format!(" · grade {g} ({})", p.grade_label.as_deref().unwrap_or(""))).unwrap_or_default();
    let page = page_label(p).map(|l| format!(" · {l}")).unwrap_or_default();
    wrapped(w, &format!("{}{grade}{page}", section_label(&p.section)), "", style, Style::same)?;
    wrapped(w, &format!("source: {}", r.source), "", style, Style::dim)?;
    wrapped(w, &format!("cite: {}", s.cite), "", style, Style::same)?;
    writeln!(w)?;
    for b in &s.before {
        paragraph_text(w, b, "  ", style, Style::dim)?;
    }
    paragraph_text(w, p, "> ", style, Style::same)?;
    for a in &s.after {
        paragraph_text(w, a, "  ", style, Style::dim)?;
    }
    Ok(())
}

fn show_report(w: &mut dyn Write, s: &ShowReportJson, style: Style) -> io::Result<()> {
    let r = &s.report;
    hanging(w, &format!("{}  ", style.bold(&r.report_id)), r.title.as_deref().unwrap_or(""), style, Style::same)?;
    let facts = format!(
        "{} · {} · inspected {} to {} · published {}",
        r.authority.as_deref().unwrap_or("unknown authority"),
        r.report_type.describe(),
        r.inspection_start.as_deref().unwrap_or("-"),
        r.inspection_end.as_deref().unwrap_or("-"),
        r.published.as_deref().unwrap_or("-")
    );
    wrapped(w, &facts, "", style, Style::same)?;
    wrapped(w, &format!("source: {}", r.source), "", style, Style::dim)?;
    writeln!(w)?;
    for o in &s.outline {
        let range = if o.first_para == o.last_para {
            format!("¶{}", o.first_para)
        } else {
            format!("¶{}–{}", o.first_para, o.last_para)
        };
        let grade =
            o.grade.map(|g| format!("  [grade {g} ({})]", o.grade_label.as_deref().unwrap_or(""))).unwrap_or_default();
        hanging(w, &format!("  {range:<10} "), &format!("{}{grade}", section_label(&o.section)), style, Style::same)?;
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
            wrapped(w, &line, "", self.style, Style::warn)?;
            writeln!(w)?;
        }
        for h in &res.hits {
            hit(w, h, self.style)?;
        }
        summary(w, res, self.style)
    }

    fn search_count(&self, w: &mut dyn Write, res: &SearchResults) -> io::Result<()> {
        writeln!(w, "{}", res.total)
    }

    fn parsed_report(&self, w: &mut dyn Write, report: &Report) -> io::Result<()> {
        parsed_report(w, report, self.style)
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
                    writeln!(w, "{}", self.style.bold(&format!("== {id}: {query}")))?;
                    w.write_all(item.text.as_deref().unwrap_or("").as_bytes())?;
                    writeln!(w)?;
                }
            }
        }
        Ok(())
    }

    fn facets(&self, w: &mut dyn Write, counts: &FacetCounts) -> io::Result<()> {
        let head = match &counts.query {
            None => format!("{} paragraphs", counts.total),
            Some(q) => {
                format!("{} paragraphs with every word of {q:?} ({} with any)", counts.total, counts.total_any_words)
            }
        };
        writeln!(w, "{}", self.style.bold(&head))?;
        for (f, buckets) in &counts.facets {
            writeln!(w, "\n{}", self.style.bold(&format!("by {}", f.as_str())))?;
            // The value column: as wide as the longest value, at most 70,
            // and at a width what leaves room for the count.
            let most = self.style.width.map_or(70, |w| w.saturating_sub(10).clamp(10, 70));
            let width = buckets.iter().map(|b| b.value.chars().count()).max().unwrap_or(0).min(most);
            for b in buckets {
                writeln!(w, "  {:<width$}  {:>6}", shortened(&b.value, self.style.width.map(|_| width)), b.count)?;
            }
        }
        Ok(())
    }

    fn reports(&self, w: &mut dyn Write, reports: &[Arc<ReportInfo>]) -> io::Result<()> {
        for r in reports {
            report_row(w, r, self.style)?;
        }
        writeln!(w, "{} report{}", reports.len(), if reports.len() == 1 { "" } else { "s" })
    }

    fn show_paragraph(&self, w: &mut dyn Write, s: &ShowParagraphJson) -> io::Result<()> {
        show_paragraph(w, s, self.style)
    }

    fn show_report(&self, w: &mut dyn Write, s: &ShowReportJson) -> io::Result<()> {
        show_report(w, s, self.style)
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
            writeln!(w, "\n{}", self.style.bold(&format!("by {by}")))?;
            for (k, c) in counts {
                writeln!(w, "  {k:<18} {:>5} reports {:>7} paragraphs", c.reports, c.paragraphs)?;
            }
        }
        Ok(())
    }
}
