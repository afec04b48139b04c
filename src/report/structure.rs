//! Classified lines to sections, graded judgements and paragraphs.
//!
//! The walk keeps a stack of open headings. A numbered line opens a
//! paragraph that owns everything up to the next number or heading: its
//! bullets, labels such as "Within three months:", and the continuation after
//! a page break, whatever letter that starts with. Without numbers, each prose
//! paragraph or top-level bullet is a paragraph, and a prose line is joined
//! to the one before when it plainly continues it.

use super::grade::{self, Grade};
use super::lines::{Kind, Line};
use super::meta::{Meta, is_title};
use super::record::{self, RecordRow};
use super::{DropReason, Judgement, Paragraph, ParagraphKind, judgement_key};
use crate::vocab::{VOCAB, normalise_heading};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

pub struct Body {
    pub paragraphs: Vec<Paragraph>,
    pub judgements: Vec<Judgement>,
    pub warnings: Vec<String>,
    /// For each classified line, what became of it (None: blank, or a
    /// line `lines` cleared, which the trace accounts for).
    pub uses: Vec<Option<LineUse>>,
}

/// What became of a line: part of a paragraph (its index in `paragraphs`)
/// or dropped, for a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineUse {
    Paragraph(usize),
    Dropped(DropReason),
}

/// One unit of the document after lines are grouped.
#[derive(Debug, Clone)]
enum Item {
    Heading {
        text: String,
        grade: Option<Grade>,
        marked: bool,
    },
    GradeLine(Grade),
    Numbered {
        n: u32,
        text: String,
    },
    Bullet(String),
    SubBullet(String),
    Prose(String),
    Table(Vec<String>),
    /// Ends whatever paragraph is open (rules, signature separators).
    Break,
    /// Not content: metadata, boilerplate, contents entries, signatures.
    Dropped(DropReason),
}

static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:deputy lead|team|shadow) inspectors?|(?:senior )?data analysts?|quality assurance managers?|inspection dates?|dates? of (?:the )?inspection|reporting inspector|lead inspector|lead social care inspector|age group|(?:report )?published|publication date|telephone|tel|t|textphone|email|e-mail|website|web|contact officer|contact|reference no|reference|urn|local authority|inspection number|type of inspection)\s*[:.]").unwrap()
});
static GRADE_SCALE_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:outstanding|good|adequate|inadequate|requires improvement(?: to be good)?)\s*\(grade\s*\d\)")
        .unwrap()
});
static APPENDIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:appendix|annex|annexe)\s+[0-9A-Z]{1,3}\b").unwrap());

/// The share of text lines set narrower than a full line, in percent.
const FULL_PERCENTILE: usize = 95;

/// What the parser knows of headings for this report: its family's lines
/// in `index_schema/sections.tsv` and the headings its contents page lists.
struct Headings {
    family: &'static str,
    /// The usual length of a full line of text (chars): a shorter line
    /// that ends a sentence ends its paragraph.
    width: usize,
    /// How wide the longest lines are set (`set_width`): a word that would
    /// have fitted after a line that ends a sentence was not wrapped, it
    /// starts anew.
    full_width: usize,
    /// Paragraphs are not set apart by blank lines (plain `pdftotext`).
    dense: bool,
    /// Lines keep their page's left margin (`pdftotext -layout`), so the
    /// converter kept the page's vertical gaps as blank lines too.
    laid_out: bool,
    contents: HashSet<String>,
    /// Longer lines than this are never a known heading (the longest in
    /// `sections.tsv` or on this report's contents page, with room to spare).
    longest: usize,
}

impl Headings {
    fn new(lines: &[Line], meta: &Meta) -> Self {
        let contents = contents_headings(lines);
        let longest = contents.iter().map(String::len).max().unwrap_or(0).max(160) + 40;
        Headings {
            family: meta.report_type.family(),
            width: line_width(lines, 90, char_count),
            full_width: line_width(lines, FULL_PERCENTILE, set_width),
            dense: is_dense(lines),
            laid_out: is_laid_out(lines),
            contents,
            longest,
        }
    }

    fn info(&self, heading: &str) -> Option<crate::vocab::SectionInfo> {
        VOCAB.section_in(heading, self.family)
    }

    /// Known from the vocabulary or the contents page.
    fn known(&self, heading: &str) -> bool {
        self.info(heading).is_some() || self.contents.contains(&normalise_heading(heading))
    }
}

fn is_boilerplate(t: &str) -> bool {
    let l = t.to_lowercase();
    l.starts_with("©")
        || l.starts_with("crown copyright")
        || l.starts_with("this document may be reproduced")
        || l.starts_with("further copies of this report")
        || l.starts_with("you can use this information")
        || l.starts_with("to view this licence")
        || l == "www.ofsted.gov.uk"
        || l == "www.gov.uk/ofsted"
        || l.contains("@ofsted.gov.uk")
        || l.starts_with("you may copy all or parts of this document")
        || l.starts_with("to receive regular email alerts")
        || l.starts_with("you may reuse this information")
        || l.starts_with("this publication is available at")
        || l.starts_with("this report is available at")
        || l.starts_with("interested in our work?")
        || l.starts_with("the office for standards in education, children's services and skills (ofsted) regulates")
        || l.starts_with("the office for standards in education, children’s services and skills (ofsted) regulates")
}

/// Text that stops where it cannot end: on a number or a word that needs
/// another after it ("… inspection in", "… on 30 and 31").
fn open_ended(t: &str) -> bool {
    ends_on_open_word(t) || t.trim_end().ends_with(|c: char| c.is_ascii_digit())
}

/// Text whose last word needs another after it ("… inspection in").
fn ends_on_open_word(t: &str) -> bool {
    const WORDS: [&str; 24] = [
        "a", "an", "the", "of", "in", "on", "to", "for", "and", "or", "with", "by", "at", "from", "that", "which",
        "as", "is", "are", "was", "were", "be", "their", "its",
    ];
    let last_word = t.trim_end().rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
    WORDS.contains(&last_word.as_str())
}

/// Could this line be a heading, judging by its shape alone?
fn heading_shape(t: &str) -> bool {
    let words = t.split_whitespace().count();
    let first = t.chars().next().unwrap_or(' ');
    let last = t.chars().last().unwrap_or(' ');
    // A heading never ends on a word that needs another after it: "…
    // looked after children inspection in" is a sentence's first line.
    t.len() <= 130
        && !ends_on_open_word(t)
        && (1..=18).contains(&words)
        && first.is_uppercase()
        && !matches!(last, '.' | ',' | ';' | ':' | '’' | '”')
        && !t.contains(". ")
        && !KEY_VALUE.is_match(t)
        && super::meta::find_date(t).is_none_or(|_| words > 6)
        && t.chars().any(char::is_alphabetic)
}

/// "The graded judgement about…": a SIF box that states a judgement.
fn starts_graded_judgement(t: &str) -> bool {
    let head = t.get(..24).unwrap_or(t).to_ascii_lowercase();
    head.starts_with("the graded judgement") || head.starts_with("the graded judgment")
}

/// A heading with its grade, or a bullet that reads as one
/// ("Adoption performance: Inadequate"): a line of a quoted list of grades.
fn quotes_a_grade(item: &Item) -> bool {
    match item {
        Item::Heading { grade: Some(_), .. } => true,
        Item::Bullet(t) | Item::SubBullet(t) | Item::Prose(t) => t.len() < 160 && grade::judgement_heading(t).is_some(),
        _ => false,
    }
}

/// A box's title without the start of its verdict: "… care leavers is that it".
fn strip_verdict_tail(t: &str) -> &str {
    let lower = t.to_ascii_lowercase();
    for tail in [" is that it is", " is that it", " is that they are", " is"] {
        if lower.ends_with(tail) {
            return t[..t.len() - tail.len()].trim_end();
        }
    }
    t
}

fn is_lowercase_start(t: &str) -> bool {
    t.chars().find(|c| c.is_alphanumeric()).is_some_and(|c| c.is_lowercase())
}

fn ends_sentence(t: &str) -> bool {
    let t =
        t.trim_end_matches(|c: char| c == '’' || c == '\'' || c == '"' || c == '”' || c == ')' || c.is_ascii_digit());
    t.ends_with(['.', '!', '?', ':', ';'])
}

/// Lines to items. Adjacent lines (no blank between) are one block: a
/// wrapped paragraph, bullet or heading, or the wrapped first cell of a table
/// row. Each block is then recognised as a heading, grade, table row or prose.
/// The items of the body, and the lines (start..end) each was made from.
fn items(lines: &[Line], meta: &Meta, h: &Headings) -> (Vec<Item>, Vec<(usize, usize)>) {
    let start = meta.salutation.map_or(0, |i| i + 1);
    let end = meta.valediction.unwrap_or(lines.len());
    let mut out: Vec<Item> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut in_contents = false;
    let mut i = start;
    // The text lines that follow line `i` directly, joined.
    let continuation = |i: &mut usize, text: &mut String, indented: bool| {
        while *i < end {
            match &lines[*i].kind {
                Kind::Text(t) if block_ends_before(text, &lines[*i - 1].raw, t, h, indented) => break,
                Kind::Text(t) => {
                    join_wrapped(text, t);
                    *i += 1;
                }
                _ => break,
            }
        }
    };
    while i < end {
        let line = &lines[i];
        let first = i;
        i += 1;
        match &line.kind {
            Kind::Blank => {
                if line.raw.starts_with("..") || line.raw.starts_with("__") {
                    out.push(Item::Break);
                }
            }
            Kind::Numbered { n, text } => {
                in_contents = false;
                let mut text = text.clone();
                continuation(&mut i, &mut text, false);
                // "2.  Children looked after and achieving" + "permanence  Good":
                // a numbered judgement row whose name wraps.
                match wrapped_row(lines, &mut i, end, &text) {
                    Some(cells) => out.push(table_item(cells, false)),
                    None => out.push(Item::Numbered { n: *n, text }),
                }
            }
            Kind::Bullet(t) => {
                let mut text = t.clone();
                continuation(&mut i, &mut text, true);
                out.push(Item::Bullet(text))
            }
            Kind::SubBullet(t) => {
                let mut text = t.clone();
                continuation(&mut i, &mut text, true);
                out.push(Item::SubBullet(text))
            }
            Kind::Table(cells) => out.push(table_item(cells.clone(), in_contents)),
            Kind::Text(t) => {
                let mut text = t.clone();
                continuation(&mut i, &mut text, false);
                // A wrapped first cell of the table row that follows.
                let row = if in_contents { None } else { wrapped_row(lines, &mut i, end, &text) };
                match row {
                    Some(cells) => out.push(table_item(cells, false)),
                    None => out.push(text_item(&text, line.marked, h, &mut in_contents)),
                }
            }
        }
        while spans.len() < out.len() {
            spans.push((first, i));
        }
    }
    promote_lone_grade_rows(&mut out, h);
    demote_weak_headings(&mut out, h);
    if h.dense && !h.laid_out {
        split_long_prose(&mut out, &mut spans, lines);
    }
    (out, spans)
}

/// A sentence that goes on from the one before it, so rarely starts a
/// paragraph: "However, …", "This …", "For example, …".
static GOES_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:However|Consequently|Therefore|Furthermore|Moreover|Additionally|Nevertheless|Similarly|As a result|In addition|This|These|They|It|Their|Its|For example|For instance|In some|In a|In most|In these|Some|Most of|Many of|Both|Although this|Despite this|Such|Where|When this)\b").unwrap()
});

/// Blocks of prose this many times the report's median block (in lines) or
/// longer are taken to be paragraphs run together.
const LONG_BLOCK: usize = 5; // halves: 2.5 times
/// Lines a part keeps on each side of a split.
const SPLIT_MARGIN: usize = 3;

/// Text with no blank lines between paragraphs (plain `pdftotext`) runs a
/// paragraph whose last line is full into the next: nothing in the text
/// marks where one ends. A block of prose at least 2.5 times as long as the
/// report's median block is split where a line ends a sentence and the next
/// starts one with a capital, unless it goes on from the last ("However,
/// …"), at least three lines from either end of the block. Measured on the
/// 83 dev reports against `pdftotext -layout`'s blank lines: 57 such splits
/// right, 42 wrong (most of them after a short verdict line the layout
/// also runs on).
fn split_long_prose(items: &mut Vec<Item>, spans: &mut Vec<(usize, usize)>, lines: &[Line]) {
    let text_lines = |(a, b): (usize, usize)| lines[a..b].iter().all(|l| matches!(l.kind, Kind::Text(_)));
    let mut lengths: Vec<usize> = items
        .iter()
        .zip(spans.iter())
        .filter(|(it, sp)| matches!(it, Item::Prose(_)) && sp.1 - sp.0 >= 2 && text_lines(**sp))
        .map(|(_, sp)| sp.1 - sp.0)
        .collect();
    if lengths.len() < 5 {
        return;
    }
    lengths.sort_unstable();
    let median = lengths[lengths.len() / 2];
    let mut k = 0;
    while k < items.len() {
        let (a, b) = spans[k];
        let long = matches!(items[k], Item::Prose(_)) && (b - a) * 2 >= LONG_BLOCK * median && text_lines((a, b));
        // Several items from one span (a table row and text) are left alone.
        if !long || spans.iter().filter(|s| **s == (a, b)).count() > 1 {
            k += 1;
            continue;
        }
        let raw = |i: usize| lines[i].raw.trim();
        let cuts: Vec<usize> = (a + SPLIT_MARGIN - 1..b.saturating_sub(SPLIT_MARGIN))
            .filter(|&i| {
                ends_sentence(raw(i)) && raw(i + 1).starts_with(char::is_uppercase) && !GOES_ON.is_match(raw(i + 1))
            })
            .map(|i| i + 1)
            .collect();
        if cuts.is_empty() {
            k += 1;
            continue;
        }
        let mut parts = Vec::new();
        let mut from = a;
        for to in cuts.into_iter().chain([b]) {
            let mut text = String::new();
            for i in from..to {
                join_wrapped(&mut text, raw(i));
            }
            parts.push((Item::Prose(text), (from, to)));
            from = to;
        }
        let n = parts.len();
        let (new_items, new_spans): (Vec<Item>, Vec<(usize, usize)>) = parts.into_iter().unzip();
        items.splice(k..=k, new_items);
        spans.splice(k..=k, new_spans);
        k += n;
    }
}

/// Why the lines of an item that went into no paragraph were left out,
/// given where the walk stood when it read the item.
fn dropped_reason(item: &Item, started: bool, zone: Zone) -> DropReason {
    match item {
        Item::Dropped(reason) => *reason,
        Item::Table(cells) if record::row(cells).is_some() => DropReason::JudgementRow,
        Item::Prose(p) if record::summary_sentence(p).is_some() => DropReason::VerdictSentence,
        _ if !started => DropReason::FrontMatter,
        Item::Heading { .. } => DropReason::Heading,
        Item::GradeLine(_) => DropReason::GradeLine,
        Item::Break => DropReason::Separator,
        _ if zone.record => DropReason::RecordOfMainFindings,
        _ if zone.signature => DropReason::Signature,
        _ => DropReason::NotReportText,
    }
}

/// When the line at `i` is a judgement row, `text` (the lines just before
/// it) is the start of its wrapped first cell: the row, whole.
fn wrapped_row(lines: &[Line], i: &mut usize, end: usize, text: &str) -> Option<Vec<String>> {
    let Kind::Table(cells) = &lines.get(*i).filter(|_| *i < end)?.kind else { return None };
    // A verdict just above the table is not the start of its first row.
    if record::summary_sentence(text).is_some() || ends_sentence(text) {
        return None;
    }
    record::row(cells)?;
    let mut cells = cells.clone();
    let mut first = text.to_string();
    join_wrapped(&mut first, &cells[0]);
    cells[0] = first;
    *i += 1;
    Some(cells)
}

/// A judgement row standing alone before the text it grades (the boxed
/// headings of SIF reports: "The experiences and progress of children who
/// need help and protection  Inadequate") is a graded heading, not a table.
fn promote_lone_grade_rows(items: &mut [Item], h: &Headings) {
    for k in 0..items.len() {
        let Item::Table(cells) = &items[k] else { continue };
        let Some(row) = record::row(cells) else { continue };
        let Some(grade) = row.grade else { continue };
        let prev = items[..k].iter().rev().find(|it| !matches!(it, Item::Dropped(_)));
        let next = items[k + 1..].iter().find(|it| !matches!(it, Item::Dropped(_)));
        let alone = !matches!(prev, Some(Item::Table(_)));
        let before_text = matches!(
            next,
            Some(Item::Numbered { .. } | Item::Prose(_) | Item::Bullet(_) | Item::SubBullet(_) | Item::Heading { .. })
        );
        if alone && before_text && h.info(&row.name).is_some() {
            items[k] = Item::Heading { text: row.name, grade: Some(grade), marked: true };
        }
    }
}

fn table_item(cells: Vec<String>, in_contents: bool) -> Item {
    let first = cells[0].as_str();
    let last = cells.iter().rev().find(|c| !c.is_empty()).map(String::as_str).unwrap_or("");
    // The grade-scale table and contents entries are not content.
    let grade_scale = GRADE_SCALE_ROW.is_match(first);
    let contents_entry = cells.len() >= 2
        && last.chars().all(|c| c.is_ascii_digit())
        && cells.iter().filter(|c| !c.is_empty()).count() == 2;
    if grade_scale {
        Item::Dropped(DropReason::GradeScale)
    } else if in_contents || contents_entry {
        Item::Dropped(DropReason::ContentsEntry)
    } else {
        Item::Table(cells)
    }
}

/// A block of text: metadata, boilerplate, a grade, a heading (with or
/// without its grade), or prose.
fn text_item(t: &str, marked: bool, h: &Headings, in_contents: &mut bool) -> Item {
    if KEY_VALUE.is_match(t) {
        return Item::Dropped(DropReason::Metadata);
    }
    if is_boilerplate(t) {
        return Item::Dropped(DropReason::Boilerplate);
    }
    // The title (however it wraps) is the report's, not a paragraph.
    if is_title(t) && t.len() < 250 && !t.ends_with('.') {
        return Item::Dropped(DropReason::Title);
    }
    // The authority's name on a line of its own is the title page's, not a heading.
    if t.len() < 80 && VOCAB.authorities.lookup(t).is_some() {
        return Item::Dropped(DropReason::AuthorityName);
    }
    // "The overall judgement is good": a verdict, read as a record row.
    if record::summary_sentence(t).is_some() {
        return Item::Prose(t.to_string());
    }
    if let Some(g) = grade::grade_line(t).or_else(|| Grade::from_label(t)) {
        return Item::GradeLine(g);
    }
    // Glued heading and grade: "Staying safe Grade 3 (adequate)".
    if let Some((title, g)) = grade::glued(t)
        && (heading_shape(&title) || h.info(&title).is_some())
    {
        return Item::Heading { text: title, grade: Some(g), marked: true };
    }
    // A judgement heading: "The experiences and progress of children in care: good",
    // or a SIF box "The graded judgement about … is that it is outstanding." (any
    // wording: the phrase says what it is), or a wording no list has whose
    // words name a judgement.
    if let Some((title, g)) = grade::judgement_heading(t)
        && (h.info(&title).is_some()
            || starts_graded_judgement(t)
            || (heading_shape(t) && super::judgement::key_from_words(&title).is_some()))
    {
        return Item::Heading { text: title, grade: Some(g), marked: true };
    }
    let long = t.len() > h.longest;
    let lower_start = t.trim_start().get(..17).unwrap_or(t.trim_start()).to_lowercase();
    if !long || lower_start.starts_with("contents") || lower_start.starts_with("table of contents") {
        let norm = normalise_heading(t);
        if norm == "contents" || norm == "table of contents" {
            *in_contents = true;
            return Item::Dropped(DropReason::ContentsHeading);
        }
    }
    // No known heading is this long: spare the lookups (asked of every line).
    if long && !APPENDIX.is_match(t) {
        return Item::Prose(t.to_string());
    }
    let known = h.known(t) || APPENDIX.is_match(t);
    if known || heading_shape(t) {
        *in_contents = false;
        // A known heading keeps no footnote digit ("… local authority area 1").
        let text = if known && !APPENDIX.is_match(t) {
            t.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace())
        } else {
            t
        };
        // "The graded judgement about … is that it" + the grade on the next line.
        let text = if starts_graded_judgement(text) { strip_verdict_tail(text) } else { text };
        return Item::Heading { text: text.trim_end_matches(':').to_string(), grade: None, marked: marked || known };
    }
    Item::Prose(t.to_string())
}

/// Join a wrapped line to the text before it, mending end-of-line hyphens.
fn join_wrapped(prev: &mut String, next: &str) {
    if prev.is_empty() {
        prev.push_str(next);
        return;
    }
    if prev.ends_with('-') && next.chars().next().is_some_and(char::is_lowercase) && !prev.ends_with(" -") {
        prev.push_str(next);
    } else {
        prev.push(' ');
        prev.push_str(next);
    }
}

/// Where a block of lines with no blank between them holds more than one
/// thing (as text from `pdftotext` does): before a line that is a heading
/// or a verdict ("The Local Safeguarding Children Board requires
/// improvement"), after a line that is a heading, and after a short line
/// that ends a sentence when a capital starts the next. A bullet's lines
/// (`indented`) are set narrower than the text's full lines, so whether the
/// next word would have fitted says nothing there.
fn block_ends_before(text: &str, prev: &str, next: &str, h: &Headings, indented: bool) -> bool {
    // "Requires improvement to be good" under a box's name is its grade.
    if text.ends_with(['-', ',']) || Grade::from_label(next).is_some() {
        return false;
    }
    let heading_or_verdict = |t: &str| {
        starts_graded_judgement(t)
            || (heading_shape(t) && h.info(t).is_some())
            || (t.len() < 160
                && grade::judgement_heading(t).is_some_and(|(title, _)| h.info(&title).is_some())
                && !t.ends_with('.'))
    };
    let next_is_heading = heading_or_verdict(next);
    // Metadata ("Inspection date: …") and a title's lines stand alone.
    if KEY_VALUE.is_match(next)
        || is_title(next)
        || (text.len() < 80 && VOCAB.authorities.lookup(text).is_some())
        || (KEY_VALUE.is_match(text) && super::meta::find_date(text).is_some() && next.starts_with(char::is_uppercase))
    {
        return true;
    }
    let starts_anew = next.starts_with(char::is_uppercase);
    // A heading, a verdict ("The overall judgement is good") or a whole
    // title ("Focused visit to Brent children’s services") ends its block.
    let whole_title = is_title(text) && text.trim_end_matches(['’', '\'']).ends_with("services");
    let text_is_heading = (heading_shape(text) && h.known(text))
        || heading_or_verdict(text)
        || record::summary_sentence(text).is_some()
        || whole_title;
    // A line that ends a sentence ends its paragraph when it is short, or
    // when the next line's first word would have fitted on it.
    let next_word = next.split_whitespace().next().map_or(0, set_width);
    let prev_len = prev.chars().count();
    // With 1% of the width to spare: set widths are estimates (83 dev
    // reports against `-layout`'s blank lines: 24 wrong splits fewer, 9 right).
    let fits = set_width(prev) + glyph_width(' ') + next_word < h.full_width - h.full_width / 100;
    let paragraph_ends = ends_sentence(prev) && (prev_len * 10 < h.width * 8 || (h.dense && fits && !indented));
    // One of the frameworks' fixed openings ("Ofsted will take the findings
    // from this focused visit…", "Inspectors considered a range of
    // evidence…") starts a paragraph after a sentence, whatever the widths.
    let fixed_opening = ends_sentence(prev) && super::kind::opens_a_paragraph(next);
    next_is_heading || (starts_anew && (text_is_heading || paragraph_ends || fixed_opening))
}

/// A heading candidate that only its shape supports, and that is followed by
/// a lower-case continuation, is prose cut by a page break, not a heading.
fn demote_weak_headings(items: &mut [Item], h: &Headings) {
    for k in 0..items.len() {
        let Item::Heading { text, grade: None, marked: false } = &items[k] else {
            continue;
        };
        if h.known(text) {
            continue;
        }
        let next = items[k + 1..].iter().find(|it| !matches!(it, Item::Dropped(_) | Item::Break));
        if let Some(Item::Prose(p)) = next
            && is_lowercase_start(p)
        {
            items[k] = Item::Prose(text.clone());
        }
    }
}

/// Text whose paragraphs follow each other with no blank line between:
/// fewer than one blank line for every three lines of text.
fn is_dense(lines: &[Line]) -> bool {
    let text = lines.iter().filter(|l| matches!(l.kind, Kind::Text(_) | Kind::Numbered { .. })).count();
    let blank = lines.iter().filter(|l| l.kind == Kind::Blank).count();
    blank * 3 < text
}

/// Text whose lines mostly keep an indent, as `pdftotext -layout` sets them.
fn is_laid_out(lines: &[Line]) -> bool {
    let text = lines.iter().filter(|l| matches!(l.kind, Kind::Text(_)));
    let (all, indented) = text.fold((0, 0), |(a, i), l| (a + 1, i + usize::from(l.indented)));
    indented * 2 > all
}

/// The text lines' length (chars) at a percentile.
fn line_width(lines: &[Line], percentile: usize, measure: fn(&str) -> usize) -> usize {
    let mut lengths: Vec<usize> =
        lines.iter().filter(|l| matches!(l.kind, Kind::Text(_))).map(|l| measure(&l.raw)).collect();
    // Too few lines to measure: no line counts as short.
    if lengths.len() < 20 {
        return 0;
    }
    lengths.sort_unstable();
    lengths[(lengths.len() * percentile / 100).min(lengths.len() - 1)]
}

fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// How wide a text is set in a proportional sans-serif font (Arial's
/// advance widths, thousandths of an em): a closer guess than its length at
/// whether a word would have fitted on a line, as "iiii" is a third of
/// "MMMM".
fn set_width(s: &str) -> usize {
    s.chars().map(glyph_width).sum()
}

fn glyph_width(c: char) -> usize {
    match c {
        'i' | 'j' | 'l' | '\'' | '’' | '‘' | '|' => 222,
        ' ' | 'f' | 't' | 'I' | '.' | ',' | ':' | ';' | '!' | '/' => 278,
        'r' | '-' | '(' | ')' | '"' | '“' | '”' => 333,
        'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' | 'J' => 500,
        'm' => 833,
        'w' | 'C' | 'D' | 'H' | 'N' | 'R' | 'U' => 722,
        'M' => 833,
        'W' => 944,
        'A' | 'B' | 'E' | 'K' | 'P' | 'S' | 'V' | 'X' | 'Y' => 667,
        'F' | 'T' | 'Z' => 611,
        'G' | 'O' | 'Q' => 778,
        'L' | '_' => 556,
        '–' | '%' => 889,
        '—' => 1000,
        _ => 556,
    }
}

/// The headings a contents page lists ("About this inspection<TAB>2").
fn contents_headings(lines: &[Line]) -> HashSet<String> {
    let mut set = HashSet::new();
    let mut in_contents = false;
    for line in lines.iter().take(200) {
        match &line.kind {
            Kind::Text(t) if normalise_heading(t) == "contents" => in_contents = true,
            Kind::Table(cells)
                if in_contents
                    && cells.len() >= 2
                    && cells.last().is_some_and(|c| c.chars().all(|c| c.is_ascii_digit())) =>
            {
                set.insert(normalise_heading(&cells[0]));
            }
            Kind::Blank => {}
            _ if in_contents && !set.is_empty() => break,
            _ => {}
        }
    }
    set
}

struct OpenHeading {
    level: u8,
    name: String,
    grade: Option<Grade>,
    /// The canonical key of the judgement `grade` belongs to.
    key: Option<String>,
    /// What the text under this heading is, when the vocabulary says.
    kind: Option<ParagraphKind>,
    /// A prefix for the keys of the judgements below (`lac_`).
    prefix: Option<&'static str>,
    has_content: bool,
    known: bool,
}

/// What the paragraph being built is, for deciding where the next line goes.
#[derive(PartialEq, Clone, Copy)]
enum Open {
    None,
    /// A numbered paragraph: owns all until the next number or heading.
    Numbered,
    /// An unnumbered prose paragraph.
    Prose,
    /// An unnumbered paragraph that is a bullet (or a lead-in that owns bullets).
    Bullet,
}

/// Parts of the body whose text is not report text: the record of main
/// findings (its rows are read as judgements) and a signature block (after
/// a separator line, up to the next known heading).
#[derive(Clone, Copy, Default)]
struct Zone {
    record: bool,
    signature: bool,
}

impl Zone {
    fn skips_text(self) -> bool {
        self.record || self.signature
    }
}

/// The walk over the items: the open headings, the paragraphs built so
/// far and where each line went.
struct Builder<'a> {
    lines: &'a [Line],
    items: &'a [Item],
    h: &'a Headings,
    family: &'static str,
    /// The text is a letter's body: its first prose or bullet starts it.
    letter: bool,
    /// The page of each line (empty for text without pages).
    pages: &'a [u32],
    stack: Vec<OpenHeading>,
    paragraphs: Vec<Paragraph>,
    judgements: Vec<(Judgement, usize)>,
    record: Vec<RecordRow>,
    warnings: Vec<String>,
    open: Open,
    /// The last paragraph's text ended in a bullet.
    in_bullets: bool,
    last_number: u32,
    used_numbers: HashSet<u32>,
    heading_since_number: bool,
    /// The open paragraph's lead-in ("… were:") is followed by a list of
    /// quoted judgements.
    quoting_grades: bool,
    started: bool,
    zone: Zone,
    /// A paragraph number stood alone: the prose after it is its text.
    pending_number: Option<u32>,
    /// The lines of the item being read, which paragraph each line went
    /// into, and whether the item's lines went into one.
    span: (usize, usize),
    line_para: Vec<Option<usize>>,
    touched: bool,
    /// Why each line that went into no paragraph was left out.
    reasons: Vec<Option<DropReason>>,
}

impl<'a> Builder<'a> {
    fn new(lines: &'a [Line], pages: &'a [u32], items: &'a [Item], h: &'a Headings, meta: &Meta) -> Self {
        let mut reasons = vec![None; lines.len()];
        // Lines before a letter's salutation and after its sign-off.
        let start = meta.salutation.map_or(0, |i| i + 1);
        let end = meta.valediction.unwrap_or(lines.len()).min(lines.len());
        for (l, line) in lines.iter().enumerate() {
            if line.kind != Kind::Blank && (l < start || l >= end) {
                reasons[l] = Some(if l < start { DropReason::LetterOpening } else { DropReason::LetterClosing });
            }
        }
        Builder {
            lines,
            items,
            h,
            family: h.family,
            letter: meta.salutation.is_some(),
            pages,
            stack: Vec::new(),
            paragraphs: Vec::new(),
            judgements: Vec::new(),
            record: Vec::new(),
            warnings: Vec::new(),
            open: Open::None,
            in_bullets: false,
            last_number: 0,
            used_numbers: HashSet::new(),
            heading_since_number: false,
            quoting_grades: false,
            started: false,
            zone: Zone::default(),
            pending_number: None,
            span: (0, 0),
            line_para: vec![None; lines.len()],
            touched: false,
            reasons,
        }
    }

    fn path(&self) -> Vec<String> {
        self.stack.iter().map(|h| h.name.clone()).collect()
    }

    /// The heading whose grade the text under the stack takes.
    fn graded_heading(&self) -> Option<&OpenHeading> {
        self.stack.iter().rev().find(|h| h.grade.is_some())
    }

    /// What the text under the stack is: the nearest heading that says.
    fn section_kind(&self) -> ParagraphKind {
        self.stack.iter().rev().find_map(|h| h.kind).unwrap_or_default()
    }

    /// The current item follows a blank line, on the page the text before
    /// it ends on (false for text without pages).
    fn blank_before_on_same_page(&self) -> bool {
        let lines = self.lines;
        let start = self.span.0;
        let Some(prev) = (0..start).rev().find(|&l| lines[l].kind != Kind::Blank) else { return false };
        prev + 1 < start
            && self.pages.get(prev).is_some_and(|p| self.pages.get(start) == Some(p))
            && lines[prev + 1..start].iter().all(|l| l.raw.trim().is_empty())
    }

    /// The innermost heading has neither text nor a grade yet.
    fn heading_awaits_grade(&self) -> bool {
        self.stack.last().is_some_and(|h| !h.has_content && h.grade.is_none())
    }

    /// Inside the part of a SIF report that reviews the LSCB.
    fn in_lscb_part(&self) -> bool {
        self.stack.first().is_some_and(|h| {
            h.level == 1
                && (h.key.as_deref() == Some("lscb")
                    || VOCAB.section_in(&h.name, self.family).is_some_and(|s| s.key == Some("lscb")))
        })
    }

    fn key_prefix(&self) -> &'static str {
        self.stack.iter().rev().find_map(|h| h.prefix).unwrap_or("")
    }

    /// The first and last page of the current item's lines.
    fn span_pages(&self) -> Option<(u32, u32)> {
        let pages = self.pages.get(self.span.0..self.span.1.min(self.pages.len()))?;
        Some((*pages.first()?, *pages.last()?))
    }

    fn mark_content(&mut self) {
        for h in &mut self.stack {
            h.has_content = true;
        }
    }

    fn push_heading(&mut self, text: &str, grade: Option<Grade>, known_level: Option<u8>) {
        let info = VOCAB.section_in(text, self.family);
        let level = match known_level {
            // The SIF's LSCB review is a part of its own: its executive
            // summary, recommendations and findings sit inside it, up to
            // the framework's closing texts.
            Some(1)
                if self.in_lscb_part()
                    && info.is_none_or(|s| s.key != Some("lscb") && s.kind != Some("boilerplate")) =>
            {
                2
            }
            // A part of fixed texts ("Information about this inspection")
            // holds no figures of the area: a heading of another kind that
            // follows it is not inside it.
            Some(2)
                if self.stack.first().is_some_and(|h| h.kind == Some(ParagraphKind::Boilerplate))
                    && info.is_some_and(|s| s.kind.is_some_and(|k| k != "boilerplate")) =>
            {
                1
            }
            Some(l) => l,
            None => match self.stack.last() {
                None => 1,
                // A heading straight after another opens a group inside it.
                Some(h) if !h.has_content && !h.known => h.level + 1,
                Some(h) if !h.has_content && h.grade.is_none() && h.level == 1 => h.level + 1,
                Some(h) => h.level,
            },
        };
        while self.stack.last().is_some_and(|h| h.level >= level) {
            self.stack.pop();
        }
        let prefix = info.and_then(|s| s.key).filter(|k| k.ends_with('_'));
        let kind = info.and_then(|s| s.kind).and_then(ParagraphKind::parse);
        self.stack.push(OpenHeading {
            level,
            name: text.to_string(),
            grade: None,
            key: None,
            kind,
            prefix,
            has_content: false,
            known: known_level.is_some(),
        });
        self.open = Open::None;
        if let Some(g) = grade {
            self.set_grade(g);
        }
    }

    fn set_grade(&mut self, g: Grade) {
        let path = self.path();
        let Some(h) = self.stack.last_mut() else {
            self.warnings.push(format!("grade '{}' stands before any heading; ignored", g.label));
            return;
        };
        if h.has_content {
            self.warnings.push(format!("grade '{}' stands after the text of '{}'; ignored", g.label, h.name));
            return;
        }
        h.grade = Some(g.clone());
        let name = h.name.clone();
        let key = judgement_key(&name, self.family, self.key_prefix());
        if let Some(h) = self.stack.last_mut() {
            h.key = Some(key.clone());
        }
        let judgement =
            Judgement { key, judgement: name.to_lowercase(), section: path, grade: g.number, grade_label: g.label };
        let at = self.paragraphs.len();
        self.judgements.push((judgement, at));
    }

    fn new_paragraph(&mut self, para: u32, numbered: bool, text: String) {
        let graded = self.graded_heading();
        let grade = graded.and_then(|h| h.grade.clone());
        let judgement = graded.and_then(|h| h.key.clone());
        let pages = self.span_pages();
        self.paragraphs.push(Paragraph {
            para,
            numbered,
            section: self.path(),
            grade: grade.as_ref().map(|g| g.number),
            grade_label: grade.map(|g| g.label),
            judgement,
            kind: self.section_kind(),
            page_start: pages.map(|p| p.0),
            page_end: pages.map(|p| p.1),
            text,
        });
        self.mark_content();
        self.took_lines();
    }

    /// The current item's lines went into the last paragraph.
    fn took_lines(&mut self) {
        let at = self.paragraphs.len().saturating_sub(1);
        for l in self.span.0..self.span.1 {
            self.line_para[l] = Some(at);
        }
        self.touched = true;
        if let (Some((_, last)), Some(p)) = (self.span_pages(), self.paragraphs.last_mut()) {
            p.page_end = Some(p.page_end.map_or(last, |e| e.max(last)));
        }
    }

    fn unnumbered(&mut self, text: String) {
        self.new_paragraph(0, false, text);
    }

    fn append(&mut self, sep: &str, text: &str) {
        if let Some(p) = self.paragraphs.last_mut() {
            if sep == " " {
                join_wrapped(&mut p.text, text);
            } else {
                p.text.push_str(sep);
                p.text.push_str(text);
            }
            self.took_lines();
        }
    }

    /// Paragraph numbers run on by one; a small gap is a warning, a number
    /// far ahead or behind is a line that starts with a number. Numbering
    /// may start again at 1 after a heading (a report in two parts).
    fn plausible_number(&self, n: u32) -> bool {
        (self.last_number == 0 && n <= 10)
            || (n > self.last_number && n <= self.last_number + 5)
            || (n == 1 && self.heading_since_number)
    }

    fn last_text(&self) -> &str {
        self.paragraphs.last().map_or("", |p| p.text.as_str())
    }
}

/// The walk: one step per kind of item.
impl Builder<'_> {
    /// Read item `k`, whose lines are `span`; if its lines went into no
    /// paragraph, they get the reason why.
    fn read(&mut self, k: usize, span: (usize, usize)) {
        let item = &self.items[k];
        let zone = self.zone;
        self.span = span;
        self.touched = false;
        self.on_item(k, item);
        if !self.touched {
            let why = dropped_reason(item, self.started, zone);
            for reason in &mut self.reasons[span.0..span.1] {
                *reason = Some(why);
            }
        }
    }

    fn on_item(&mut self, k: usize, item: &Item) {
        if !quotes_a_grade(item) && !matches!(item, Item::Dropped(_)) {
            self.quoting_grades = false;
        }
        // Judgement tables and summary verdicts count wherever they stand,
        // front matter included.
        if let Item::Table(cells) = item
            && let Some(row) = record::row(cells)
        {
            self.record.push(row);
            return;
        }
        if let Item::Prose(p) = item
            && let Some(row) = record::summary_sentence(p)
        {
            self.on_verdict(row);
            return;
        }
        if !self.started && !self.starts_at(k, item) {
            return;
        }
        match item {
            Item::Dropped(_) => {}
            Item::Break => {
                self.open = Open::None;
                self.zone.signature = true;
            }
            Item::Heading { grade: Some(_), .. }
                if self.open != Open::None && (self.quoting_grades || self.last_text().ends_with(':')) =>
            {
                self.on_quoted_grade()
            }
            Item::Heading { text, grade, .. } => self.on_heading(text, grade.clone()),
            Item::GradeLine(g) => self.on_grade_line(g),
            Item::Table(cells) => self.on_table(cells),
            Item::Numbered { n, text } => self.on_numbered(*n, text),
            Item::Bullet(t) | Item::SubBullet(t) => self.on_bullet(item, t),
            Item::Prose(t) => self.on_prose(k, t),
        }
    }

    /// A verdict is a judgement, never a paragraph; straight under a
    /// heading it is that heading's grade ("Section 2: the effectiveness of
    /// the LSCB" / "The effectiveness of the LSCB requires improvement").
    fn on_verdict(&mut self, row: RecordRow) {
        if self.started
            && self.open == Open::None
            && let Some(g) = &row.grade
            && self.heading_awaits_grade()
        {
            self.set_grade(g.clone());
        }
        self.record.push(row);
    }

    /// Front matter: nothing counts until the first known heading, the
    /// first numbered paragraph or the first real prose. Whether item `k`
    /// is that (and the text has started).
    fn starts_at(&mut self, k: usize, item: &Item) -> bool {
        let h = self.h;
        let starts = match item {
            Item::Numbered { .. } => true,
            Item::Heading { text, .. } => h.info(text).is_some() && !is_title(text),
            Item::Prose(p) => p.split_whitespace().count() >= 12 || self.letter,
            Item::Bullet(_) | Item::SubBullet(_) => self.letter,
            _ => false,
        };
        if !starts {
            return false;
        }
        self.started = true;
        // The heading just before the first content is its section.
        if matches!(item, Item::Numbered { .. } | Item::Prose(_) | Item::Bullet(_) | Item::SubBullet(_))
            && let Some(Item::Heading { text, grade, .. }) =
                self.items[..k].iter().rev().find(|it| !matches!(it, Item::Dropped(_)))
            && !is_title(text)
        {
            self.push_heading(text, grade.clone(), h.info(text).map(|s| s.level));
        }
        true
    }

    /// "The judgements for the local authority were:" followed by
    /// "Overall effectiveness: Inadequate", …: a previous inspection's
    /// grades quoted in a list, not this report's judgements.
    fn on_quoted_grade(&mut self) {
        let lines = self.lines;
        let raw: Vec<&str> = lines[self.span.0..self.span.1].iter().map(|l| l.raw.as_str()).collect();
        self.append("\n- ", raw.join(" ").trim());
        self.quoting_grades = true;
    }

    fn on_heading(&mut self, text: &str, grade: Option<Grade>) {
        let known = self.h.info(text);
        if self.zone.signature && known.is_none() && !APPENDIX.is_match(text) {
            return;
        }
        self.zone.signature = false;
        if is_title(text) {
            return;
        }
        self.zone.record = normalise_heading(text).starts_with("record of main findings");
        let level = known.map(|s| s.level).or_else(|| APPENDIX.is_match(text).then_some(1));
        self.push_heading(text, grade, level);
        self.heading_since_number = true;
        self.in_bullets = false;
        self.pending_number = None;
    }

    fn on_grade_line(&mut self, g: &Grade) {
        if self.open == Open::None && self.heading_awaits_grade() {
            self.set_grade(g.clone());
        } else {
            self.warnings.push(format!("grade line '{}' is not under a heading; ignored", g.label));
        }
    }

    /// A table that is not a judgement row: its cells as a line of the open
    /// paragraph, or a paragraph of its own.
    fn on_table(&mut self, cells: &[String]) {
        if self.zone.skips_text() {
            return;
        }
        let text = cells.iter().filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>().join(" | ");
        if self.open == Open::Numbered {
            self.append("\n", &text);
        } else {
            self.unnumbered(text);
            self.open = Open::Prose;
        }
    }

    fn on_numbered(&mut self, n: u32, text: &str) {
        if self.zone.skips_text() {
            return;
        }
        if !self.plausible_number(n) {
            self.on_number_in_text(n, text);
            return;
        }
        self.heading_since_number = false;
        if n <= self.last_number {
            self.warnings.push(format!("paragraph {} follows paragraph {}", n, self.last_number));
        } else if n > self.last_number + 1 && self.last_number > 0 {
            self.warnings.push(format!("paragraph numbers jump from {} to {}", self.last_number, n));
        }
        self.last_number = n;
        if !self.used_numbers.insert(n) {
            // Numbering that starts again (a report in two parts): the
            // number is printed twice, so it cannot be the id; the
            // paragraph is kept, its number in its text.
            self.warnings
                .push(format!("paragraph number {n} is used twice; the second is kept as an unnumbered paragraph"));
            self.new_paragraph(0, false, format!("{n}. {text}"));
        } else if text.is_empty() {
            self.pending_number = Some(n);
            self.new_paragraph(n, true, String::new());
        } else {
            self.new_paragraph(n, true, text.to_string());
        }
        self.open = Open::Numbered;
        self.in_bullets = false;
    }

    /// "4." at the start of a wrapped line ("… Key Stage 4."), not a
    /// paragraph number: the line is text.
    fn on_number_in_text(&mut self, n: u32, text: &str) {
        // A year ending a sentence ("… in 2013.") needs no warning.
        if !(1900..=2100).contains(&n) {
            self.warnings
                .push(format!("'{n}.' after paragraph {} read as text, not a paragraph number", self.last_number));
        }
        let line = format!("{n}. {text}");
        if matches!(self.open, Open::Numbered | Open::Prose | Open::Bullet) {
            self.append(" ", &line);
        } else {
            self.unnumbered(line);
            self.open = Open::Prose;
        }
    }

    fn on_bullet(&mut self, item: &Item, t: &str) {
        // A grade quoted in a list after a lead-in ("… were:").
        if self.open != Open::None && self.last_text().ends_with(':') && quotes_a_grade(item) {
            self.append("\n- ", t);
            self.quoting_grades = true;
            return;
        }
        if self.zone.skips_text() {
            return;
        }
        if matches!(item, Item::SubBullet(_)) && self.open != Open::None {
            self.append("\n  - ", t);
            self.in_bullets = true;
            return;
        }
        if self.quoting_grades && quotes_a_grade(item) {
            self.append("\n- ", t);
            return;
        }
        match self.open {
            Open::Numbered => {
                self.pending_number = None;
                self.append("\n- ", t);
                self.in_bullets = true;
            }
            Open::Prose | Open::Bullet
                if self.last_text().ends_with(':') || (self.in_bullets && self.open == Open::Prose) =>
            {
                self.append("\n- ", t);
                self.in_bullets = true;
            }
            _ => {
                self.unnumbered(t.to_string());
                self.open = Open::Bullet;
                self.in_bullets = false;
            }
        }
    }

    fn on_prose(&mut self, k: usize, t: &str) {
        if self.zone.skips_text() {
            return;
        }
        if self.pending_number.take().is_some() {
            self.append("", t);
            return;
        }
        // "Within three months:" labels the bullets that follow it.
        let label = t.ends_with(':') && t.len() < 80 && !is_lowercase_start(t);
        if label && self.open == Open::Numbered {
            self.append("\n", t);
            self.in_bullets = false;
        } else if label && self.in_bullets {
            // Without numbers, a label opens a paragraph of its own that
            // owns the bullets after it.
            self.new_prose(t);
        } else if self.open != Open::None && super::kind::is_boilerplate_start(t) {
            // A framework's fixed sentence ("Ofsted will take the findings
            // …") closes the paragraph before it, numbered or not.
            self.new_prose(t);
        } else {
            self.place_prose(k, t, label);
        }
    }

    /// Prose that goes on the open paragraph, or starts one.
    fn place_prose(&mut self, k: usize, t: &str, label: bool) {
        let next_is_bullet = self.items[k + 1..]
            .iter()
            .find(|it| !matches!(it, Item::Dropped(_)))
            .is_some_and(|it| matches!(it, Item::Bullet(_) | Item::SubBullet(_)));
        // A sentence cut at a page break goes on; on the same page, after a
        // blank line and with a capital, a new paragraph starts even when
        // the one before lacks its full stop.
        let new_on_same_page =
            t.starts_with(char::is_uppercase) && !open_ended(self.last_text()) && self.blank_before_on_same_page();
        let continues = is_lowercase_start(t) || (!ends_sentence(self.last_text()) && !new_on_same_page);
        let after_colon = self.last_text().ends_with(':');
        match self.open {
            // A lead-in that ends in a colon owns the list after it,
            // bulleted or not.
            Open::Bullet | Open::Prose if after_colon && !label => {
                self.append("\n- ", t);
                self.in_bullets = true;
            }
            Open::Numbered => {
                if self.in_bullets && (continues || next_is_bullet) {
                    // A bullet cut by a page break.
                    self.append(" ", t);
                } else if continues && !after_colon {
                    self.append(" ", t);
                } else {
                    self.append("\n", t);
                    self.in_bullets = false;
                }
            }
            Open::Bullet | Open::Prose if self.in_bullets && (continues || next_is_bullet) => self.append(" ", t),
            Open::Bullet if continues || next_is_bullet => self.append(" ", t),
            Open::Prose if continues && !after_colon => self.append(" ", t),
            _ => self.new_prose(t),
        }
    }

    /// An unnumbered prose paragraph of its own.
    fn new_prose(&mut self, t: &str) {
        self.unnumbered(t.to_string());
        self.open = Open::Prose;
        self.in_bullets = false;
    }

    /// The paragraphs, judgements and warnings, once every item is read.
    fn finish(mut self) -> Body {
        for p in &mut self.paragraphs {
            p.text = p.text.trim().to_string();
        }
        self.number_unnumbered();
        let uses = self.line_uses();
        let before = self.paragraphs.len();
        self.paragraphs.retain(|p| !p.text.is_empty());
        if self.paragraphs.len() < before {
            self.warnings.push(format!("{} numbered paragraph(s) had no text", before - self.paragraphs.len()));
        }
        let body_judgements = self.judgements.into_iter().map(|(j, _)| j).collect();
        let (judgements, mut rec_warnings) = record::reconcile(body_judgements, &self.record, self.family);
        self.warnings.append(&mut rec_warnings);
        Body { paragraphs: self.paragraphs, judgements, warnings: self.warnings, uses }
    }

    /// Unnumbered paragraphs take the numbers after the last printed one, in
    /// document order, so that `report_id#para` is unique and no printed
    /// number is ever reused.
    fn number_unnumbered(&mut self) {
        let max_printed = self.paragraphs.iter().filter(|p| p.numbered).map(|p| p.para).max().unwrap_or(0);
        let mut next = max_printed;
        for p in self.paragraphs.iter_mut().filter(|p| !p.numbered) {
            next += 1;
            p.para = next;
        }
    }

    /// What became of each line: the paragraph it went into, counted as it
    /// stands once the empty paragraphs are gone, or why it was left out.
    fn line_uses(&self) -> Vec<Option<LineUse>> {
        let mut kept = 0;
        let new_index: Vec<Option<usize>> = self
            .paragraphs
            .iter()
            .map(|p| {
                (!p.text.is_empty()).then(|| {
                    kept += 1;
                    kept - 1
                })
            })
            .collect();
        self.line_para
            .iter()
            .zip(&self.reasons)
            .map(|(para, reason)| match para {
                Some(i) => Some(new_index[*i].map_or(LineUse::Dropped(DropReason::EmptyNumber), LineUse::Paragraph)),
                None => reason.map(LineUse::Dropped),
            })
            .collect()
    }
}

pub fn build(lines: &[Line], pages: &[u32], meta: &Meta) -> Body {
    let h = Headings::new(lines, meta);
    let (items, spans) = items(lines, meta, &h);
    let mut b = Builder::new(lines, pages, &items, &h, meta);
    for (k, span) in spans.into_iter().enumerate() {
        b.read(k, span);
    }
    b.finish()
}
