//! Text to classified lines: markdown and HTML emphasis removed, bullets,
//! numbered paragraph starts and table rows recognised.

use super::DropReason;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An empty line, a rule or a page break.
    Blank,
    /// "13. Work force planning…" (`text` is empty when the number stands alone).
    Numbered {
        n: u32,
        text: String,
    },
    Bullet(String),
    /// A bullet inside a bullet ("–", "◦", the Symbol-font dash).
    SubBullet(String),
    /// Tab-separated cells, as tables come out of converters.
    Table(Vec<String>),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct Line {
    pub kind: Kind,
    /// Marked up as a heading: markdown `#`, or bold from end to end.
    pub marked: bool,
    /// The line before cleaning, trimmed (for glued grades and warnings).
    pub raw: String,
    /// The line started with spaces (`pdftotext -layout` keeps the margin).
    pub indented: bool,
}

static MD_HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^#{1,6}\s*").unwrap());
static RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:-{3,}|\*{3,}|_{3,}|\.{3,}|…+)$").unwrap());
static TAGS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)</?(?:b|strong|i|em|u|span|br|p|font)\b[^>]*>").unwrap());
static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap());
static ESCAPE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\\([\\*_#\[\]()\-.!`>+|{}])").unwrap());
/// Characters that start a bullet point.
const BULLET_GLYPHS: [char; 16] =
    ['-', '*', '•', '◼', '▪', '●', '■', '◦', '➢', '−', '–', '\u{F0B7}', '\u{F0A7}', '\u{F0D8}', '\u{F076}', '\u{F06E}'];

/// "13. Work force…": the number and the text after it (no regex: this is
/// asked of every line).
fn numbered(s: &str) -> Option<(u32, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=4).contains(&digits) {
        return None;
    }
    let rest = s[digits..].strip_prefix('.')?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((s[..digits].parse().ok()?, rest.trim_start()))
}

/// "• text": the bullet glyph and what follows it.
fn bullet(s: &str) -> Option<(char, &str)> {
    let glyph = s.chars().next()?;
    (BULLET_GLYPHS.contains(&glyph) || glyph == '\u{F02D}').then(|| (glyph, &s[glyph.len_utf8()..]))
}

/// Split text into classified lines. Never fails; any input gives some lines.
///
/// Text with form feeds is taken as pages (as PDF extraction gives it):
/// running headers at the top of pages, bare page numbers and footnotes at
/// the foot of pages are blanked, and footnote markers glued to words are
/// removed.
#[cfg(test)]
pub fn classify(text: &str) -> Vec<Line> {
    classify_traced(text).0
}

/// What became of a source line before classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cleared {
    /// Blanked, for this reason.
    Dropped(DropReason),
    /// Its text was joined to the line before (a date or grade split over two lines).
    Joined,
    /// Its text was joined to the next line (a bullet glyph alone on its line).
    JoinedNext,
}

/// Where each classified line came from: its segment of the source (the
/// text split at line ends and form feeds, after a leading BOM is dropped
/// and CR LF read as LF), or none for the blank line put between pages;
/// and what cleaning did to it.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub segment: Vec<Option<usize>>,
    pub cleared: Vec<Option<Cleared>>,
    /// The 1-based page each line stands on, when the text has pages (form
    /// feeds, as PDF text has); empty for text without pages.
    pub page: Vec<u32>,
}

/// Blank lines before a cleaning step, to see which lines it cleared.
fn blank_map(pages: &[Vec<String>]) -> Vec<Vec<bool>> {
    pages.iter().map(|p| p.iter().map(String::is_empty).collect()).collect()
}

fn mark_cleared(pages: &[Vec<String>], before: &[Vec<bool>], cleared: &mut [Vec<Option<Cleared>>], how: Cleared) {
    for (p, page) in pages.iter().enumerate() {
        for (i, line) in page.iter().enumerate() {
            if line.is_empty() && !before[p][i] && cleared[p][i].is_none() {
                cleared[p][i] = Some(how);
            }
        }
    }
}

/// The text with a leading BOM dropped and CR LF and CR read as LF: the
/// form whose lines (split at line ends and form feeds) every line number
/// and segment index refers to.
pub fn normalise_line_ends(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// `classify`, with where each line came from and what cleaning did to it.
pub fn classify_traced(text: &str) -> (Vec<Line>, Trace) {
    let text = normalise_line_ends(text).replace(['\u{202f}', '\u{2007}'], " ");
    let mut pages: Vec<Vec<String>> =
        text.split('\u{c}').map(|p| p.split('\n').map(|l| l.trim_end_matches(' ').to_string()).collect()).collect();
    let mut cleared: Vec<Vec<Option<Cleared>>> = pages.iter().map(|p| vec![None; p.len()]).collect();
    let paged = pages.len() >= 2;
    if paged {
        clean_pages(&mut pages, &mut cleared);
    }
    // Ofsted's address block, wherever the PDF puts it (in letters it can
    // fall in the middle of a paragraph).
    let before = blank_map(&pages);
    for page in &mut pages {
        strip_ofsted_address(page);
    }
    mark_cleared(&pages, &before, &mut cleared, Cleared::Dropped(DropReason::OfstedAddress));
    let (mut raw, mut trace) = join_pages(pages, cleared, paged);
    let before: Vec<bool> = raw.iter().map(String::is_empty).collect();
    let heads_moved_down = merge_grades_around_names(&mut raw);
    merge_wrapped_grades(&mut raw);
    merge_boxed_grades(&mut raw);
    merge_rows_wrapped_below(&mut raw);
    merge_rows_graded_together(&mut raw);
    merge_rows_graded_below(&mut raw);
    for i in merge_lone_bullets(&mut raw).into_iter().chain(heads_moved_down) {
        trace.cleared[i] = Some(Cleared::JoinedNext);
    }
    for (i, line) in raw.iter().enumerate() {
        if line.is_empty() && !before[i] && trace.cleared[i].is_none() {
            trace.cleared[i] = Some(Cleared::Joined);
        }
    }
    let lines: Vec<Line> = raw.iter().map(|l| classify_line(l)).collect();
    for (i, line) in lines.iter().enumerate() {
        if line.kind == Kind::Blank && !line.raw.trim().is_empty() && trace.cleared[i].is_none() {
            trace.cleared[i] = Some(Cleared::Dropped(DropReason::NoText));
        }
    }
    (lines, trace)
}

/// The cleaning that pages allow: superscripts split from their line
/// joined, running headers, page numbers and footnotes blanked, footnote
/// marks glued to words removed.
fn clean_pages(pages: &mut [Vec<String>], cleared: &mut [Vec<Option<Cleared>>]) {
    let before = blank_map(pages);
    for page in pages.iter_mut() {
        merge_superscript_splits(page);
    }
    mark_cleared(pages, &before, cleared, Cleared::Joined);
    let before = blank_map(pages);
    strip_running_heads(pages);
    mark_cleared(pages, &before, cleared, Cleared::Dropped(DropReason::RunningHeader));
    let before = blank_map(pages);
    for page in pages.iter_mut() {
        strip_footnote_list(page);
        strip_footnotes(page);
        // A footnote's mark set on a line of its own above the word it
        // marks (`pdftotext -layout`): "        2".
        clear_lone_footnote_marks(page);
        for line in page.iter_mut() {
            if line.bytes().any(|b| (b'1'..=b'9').contains(&b)) && FOOTNOTE_MARK.is_match(line) {
                *line = FOOTNOTE_MARK.replace_all(line, "$1$2").into_owned();
            }
        }
    }
    mark_cleared(pages, &before, cleared, Cleared::Dropped(DropReason::Footnote));
}

/// Blank the lines of Ofsted's address block on a page.
fn strip_ofsted_address(page: &mut [String]) {
    let mut phone_wraps = false;
    for line in page.iter_mut() {
        let t = line.trim();
        // "Textphone 0161 618" / "8524": a phone number the letterhead wraps.
        let rest_of_phone = phone_wraps && (3..=4).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
        if OFSTED_ADDRESS.is_match(t) || rest_of_phone {
            phone_wraps = !rest_of_phone && t.ends_with(|c: char| c.is_ascii_digit());
            line.clear();
        } else if !t.is_empty() {
            phone_wraps = false;
        }
    }
}

/// The pages' lines as one list, a blank line between pages, with the
/// trace of where each came from.
fn join_pages(pages: Vec<Vec<String>>, cleared: Vec<Vec<Option<Cleared>>>, paged: bool) -> (Vec<String>, Trace) {
    let mut raw: Vec<String> = Vec::new();
    let mut trace = Trace::default();
    let mut segment = 0;
    for (k, (page, page_cleared)) in pages.into_iter().zip(cleared).enumerate() {
        if k > 0 {
            raw.push(String::new());
            trace.segment.push(None);
            trace.cleared.push(None);
            if paged {
                trace.page.push(k as u32 + 1);
            }
        }
        for (line, c) in page.into_iter().zip(page_cleared) {
            raw.push(line);
            trace.segment.push(Some(segment));
            trace.cleared.push(c);
            if paged {
                trace.page.push(k as u32 + 1);
            }
            segment += 1;
        }
    }
    (raw, trace)
}

static OFSTED_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\d{1,2}\s+)?(?:ofsted|piccadilly gate|store st(?:reet)?|manchester(?: m1 2wd)?|m1 2wd|agora|6 cumberland place|nottingham(?: ng1 6hj)?|ng1 6hj|2 rivergate,?|temple quay,?|bristol bs1 6eh|(?:t|tel|telephone|textphone|e|w|email|web)\s*:?\s*(?:0\d{3,4}[\d ]*|\S+@\S+|www\.\S+)|enquiries@ofsted\.gov\.uk|www\.(?:gov\.uk/ofsted|ofsted\.gov\.uk))\s*$").unwrap()
});
static PAGE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?$").unwrap());
/// The longest footnote block, in lines: longer blocks at a page's foot
/// are text (plain `pdftotext` sets no blank line between paragraphs).
const MAX_FOOTNOTE_LINES: usize = 16;
static FOOTNOTE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,2}\s+\S").unwrap());
static FOOTNOTE_MARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([a-z]{2,}[.?!,;:’']?)[1-9](\s|$)").unwrap());
static GRADE_HEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(.*\S\s{2,}|\s*)(requires(?:\s+improvement)?(?:\s+to)?)\s*$").unwrap());
static GRADE_TAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(improvement(?:\s+to\s+be\s+good)?|to\s+be\s+good|be\s+good)\s*$").unwrap());
static GRADE_TAIL_AFTER_GAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\S(\s{2,})(to\s+be\s+good|improvement(?:\s+to\s+be\s+good)?)\s*$").unwrap());
static CELL_GAP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s{2,}").unwrap());
static LEADING_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,2}(?:\.\d{1,2})?\.?\s+").unwrap());
static CONTENTS_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Z][^.]{2,120}?[a-z?)])\s{2,}(\d{1,3})$").unwrap());
static ROW_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,2}(?:\.\d{1,2})?\.?$").unwrap());

/// The key a running header is recognised by: lower case, no digits.
fn head_key(line: &str) -> String {
    let l: String = line.to_lowercase().chars().filter(|c| !c.is_ascii_digit()).collect();
    l.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Blank the lines at the top of each page that recur at the top of other
/// pages (digits aside), and bare page numbers there. Page 1 keeps its
/// title even when the running header repeats it.
fn strip_running_heads(pages: &mut [Vec<String>]) {
    const TOP: usize = 3;
    let tops = |page: &Vec<String>| -> Vec<usize> {
        page.iter().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, _)| i).take(TOP).collect()
    };
    // A running header stands at the top of (nearly) every page after the first.
    let n = pages.len();
    let needed = if n <= 4 { n.saturating_sub(1).max(2) } else { ((n - 1) / 2).max(3) };
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for page in pages.iter() {
        let mut keys: Vec<String> =
            tops(page).into_iter().map(|i| head_key(&page[i])).filter(|k| k.len() >= 4).collect();
        keys.dedup();
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    for (p, page) in pages.iter_mut().enumerate() {
        for i in tops(page) {
            let line = page[i].trim();
            let repeated = counts.get(&head_key(line)).is_some_and(|&c| c >= needed) && p > 0;
            if PAGE_NUMBER.is_match(line) || repeated {
                page[i].clear();
            } else {
                break;
            }
        }
    }
}

/// Blank footnotes at the foot of a page: trailing blocks that start with a
/// bare number and text ("1 Ofsted produces this report under…").
fn strip_footnotes(page: &mut [String]) {
    let mut end = page.len();
    loop {
        while end > 0 && page[end - 1].trim().is_empty() {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && !page[start - 1].trim().is_empty() {
            start -= 1;
        }
        // A page number below the footnotes (`pdftotext`).
        if end - start == 1 && start > 0 && PAGE_NUMBER.is_match(page[start].trim()) {
            page[start].clear();
            end = start;
            continue;
        }
        // "1 The areas for improvement…", or (`pdftotext -layout`) the
        // footnote's number on a line of its own above its text.
        let first = page[start].trim();
        let number_alone =
            end - start >= 2 && (1..=2).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
        // A footnote is a few lines, and "28 February 2024" is a letter's date.
        let short = end - start <= MAX_FOOTNOTE_LINES;
        let a_date = super::meta::find_date(first).is_some();
        if start == end || !(FOOTNOTE.is_match(first) || number_alone) || start == 0 || !short || a_date {
            return;
        }
        for line in &mut page[start..end] {
            line.clear();
        }
        end = start;
    }
}

/// A footnote's number alone on its line (1 to 99).
fn lone_number(line: &str) -> Option<u32> {
    let t = line.trim();
    ((1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok()).flatten()
}

/// Footnotes listed at the foot of a page as plain `pdftotext` sets them,
/// each number on a line of its own just above its text, in order, with no
/// blank line inside the list ("3" / "ONS Mid Year 2013." / "4" / "HMRC
/// Snapshot…"), sometimes with the first number a blank line above and a
/// stray number below. Two or more numbers in sequence, each followed by at
/// most three lines of text, with nothing after them but numbers, mark the
/// list (a contents page's numbers stand after their headings, between blank
/// lines); it starts at the first of them, or at a smaller number up to
/// three lines above it. All of it is blanked.
fn strip_footnote_list(page: &mut [String]) {
    let text: Vec<usize> = (0..page.len()).filter(|&i| !page[i].trim().is_empty()).collect();
    // From the foot up: skip the trailing numbers (page number, stray marks).
    let mut k = text.len();
    while k > 0 && lone_number(&page[text[k - 1]]).is_some() {
        k -= 1;
    }
    // Walk up over "a number, then its text" groups, numbers descending.
    let mut first_mark: Option<(usize, u32)> = None;
    let mut marks = 0;
    loop {
        let group_end = k;
        while k > 0 && lone_number(&page[text[k - 1]]).is_none() && group_end - k < 4 {
            k -= 1;
        }
        let lines = group_end - k;
        if k == 0 || lines == 0 || lines > 3 {
            break;
        }
        // The number, its text and the next number are on adjacent lines.
        let tight = text[group_end - 1] - text[k - 1] == lines
            && (group_end == text.len() || first_mark.is_none() || text[group_end] == text[group_end - 1] + 1);
        let n = lone_number(&page[text[k - 1]]).unwrap_or(0);
        if !tight || first_mark.is_some_and(|(_, m)| n + 1 != m) {
            break;
        }
        k -= 1;
        first_mark = Some((k, n));
        marks += 1;
    }
    let Some((mut start, n)) = first_mark else { return };
    if marks < 2 {
        return;
    }
    // "7" / "" / "ONS 2011 census." / "DfE Schools…" / "9": a smaller
    // number above the first in sequence starts the list.
    if let Some(j) =
        (start.saturating_sub(3)..start).rev().find(|&j| lone_number(&page[text[j]]).is_some_and(|m| m < n))
    {
        start = j;
    }
    for &i in &text[start..] {
        page[i].clear();
    }
}

static ENDS_WITH_DAY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|\s)\d{1,2}$").unwrap());
static AFTER_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s+(?:January|February|March|April|May|June|July|August|September|October|November|December|and\b|to\b|–|-)",
    )
    .unwrap()
});

/// "22" + " February 2018": PDF text breaks the line where a superscript
/// ordinal ("22nd") was; the date is put back on one line.
fn merge_superscript_splits(page: &mut [String]) {
    for i in 0..page.len().saturating_sub(1) {
        if page[i].trim_end().ends_with(|c: char| c.is_ascii_digit())
            && ENDS_WITH_DAY.is_match(page[i].trim_end())
            && AFTER_DAY.is_match(&page[i + 1])
        {
            let next = std::mem::take(&mut page[i + 1]);
            page[i] = format!("{} {}", page[i].trim_end(), next.trim());
            // Keep the line count: the merged line stands where the first was.
        }
    }
}

/// A judgements table whose grade `pdftotext -layout` sets around the
/// row's name, half above and half below, far to the right (SIF 2014):
/// "            Requires" / "1. Children who need help and protection" /
/// "            improvement". The row becomes "<name>    Requires improvement".
/// Returns the lines of the grades' first halves, moved down to the name.
fn merge_grades_around_names(raw: &mut [String]) -> Vec<usize> {
    let mut moved_down = Vec::new();
    let far_right = |l: &str| l.len() - l.trim_start().len() >= 20;
    for i in 0..raw.len().saturating_sub(2) {
        let (above, name, below) = (&raw[i], raw[i + 1].trim(), &raw[i + 2]);
        let head_alone =
            GRADE_HEAD.captures(above).is_some_and(|c| c.get(1).is_none_or(|m| m.as_str().trim().is_empty()));
        if !(head_alone && far_right(above) && GRADE_TAIL.is_match(below) && far_right(below)) {
            continue;
        }
        if !row_name_shape(&LEADING_NUMBER.replace(name, "")) {
            continue;
        }
        raw[i + 1] = format!("{name}    {} {}", above.trim(), below.trim());
        raw[i].clear();
        raw[i + 2].clear();
        moved_down.push(i);
    }
    moved_down
}

/// "…protection  Requires" + "Improvement": a grade label wrapped over two
/// lines is put back together.
fn merge_wrapped_grades(raw: &mut [String]) {
    for i in 0..raw.len() {
        if !raw[i].to_ascii_lowercase().contains("requir") || !GRADE_HEAD.is_match(&raw[i]) {
            continue;
        }
        let Some(j) = (i + 1..raw.len().min(i + 3)).find(|&j| !raw[j].trim().is_empty()) else { continue };
        if GRADE_TAIL.is_match(&raw[j]) {
            let tail = raw[j].trim().to_string();
            raw[i] = format!("{} {}", raw[i].trim_end(), tail);
            raw[j].clear();
            continue;
        }
        // In a box laid out by `pdftotext -layout`, the tail stands at the
        // end of a line of the judgement's name: "protection      to be good".
        for k in j..raw.len().min(i + 4) {
            if let Some(c) = GRADE_TAIL_AFTER_GAP.captures(&raw[k]) {
                let (at, tail) = (c.get(1).map_or(0, |g| g.start()), c[2].to_string());
                raw[i] = format!("{} {}", raw[i].trim_end(), tail);
                raw[k] = raw[k][..at].to_string();
                break;
            }
        }
    }
}

/// A boxed judgement heading whose grade the converter set beside or
/// between the lines of its wrapped name (`pdftotext -layout`):
/// "The experiences and progress of" / "            Good" / "children who
/// need help and protection". The lines become one judgement row,
/// "<name>    <grade>", as the PDF's own text has it, followed by blank
/// lines; the builder reads a row standing alone before text as a graded
/// heading.
fn merge_boxed_grades(raw: &mut [String]) {
    for g in 0..raw.len() {
        let Some((label, beside)) = grade_beside_fragment(&raw[g]) else { continue };
        // The name's first line(s) just before, its last line just after.
        let before: Vec<usize> = (g.saturating_sub(2)..g).filter(|&j| !raw[j].trim().is_empty()).collect();
        let Some(&first) = before.first() else { continue };
        let name_start = LEADING_NUMBER.replace(raw[first].trim_start(), "");
        if before.len() != g - first || !name_start.starts_with(char::is_uppercase) {
            continue;
        }
        // Up to two lines of the name below the grade, each in lower case.
        let below =
            (g + 1..raw.len().min(g + 3)).take_while(|&j| raw[j].trim_start().starts_with(char::is_lowercase)).count();
        let after = (below > 0).then_some(g + below);
        let mut name: Vec<&str> = before.iter().map(|&j| raw[j].trim()).collect();
        name.push(&beside);
        name.extend((g + 1..=g + below).map(|j| raw[j].trim()));
        let name = collapse(&name.join(" "));
        let bare = LEADING_NUMBER.replace(&name, "");
        let sentence = bare.ends_with(['.', ';', ',', ':'])
            || bare.contains(". ")
            // "The graded judgement for … is" / "good": a verdict, not a row.
            || bare.split_whitespace().last().is_some_and(|w| matches!(w, "is" | "are" | "be" | "it" | "that"));
        let words = name.split_whitespace().count();
        if sentence || !(3..=16).contains(&words) || name.len() > 160 {
            continue;
        }
        raw[first] = format!("{name}    {label}");
        for r in &mut raw[first + 1..=after.unwrap_or(g)] {
            r.clear();
        }
    }
}

/// A footnote's mark set on a line of its own above the word it marks
/// (`pdftotext -layout`: "        2"): cleared, unless it stands inside a
/// sentence ("… was" / "45" / "which is higher …"), where it is a number.
fn clear_lone_footnote_marks(page: &mut [String]) {
    for i in 0..page.len() {
        let t = page[i].trim();
        if !(1..=2).contains(&t.len()) || !t.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let before = page[..i].iter().rev().map(|l| l.trim()).find(|l| !l.is_empty());
        let after = page[i + 1..].iter().map(|l| l.trim()).find(|l| !l.is_empty());
        let mid_sentence = before.is_some_and(|b| b.ends_with(char::is_alphabetic))
            && after.is_some_and(|a| a.starts_with(char::is_lowercase));
        if !mid_sentence {
            page[i].clear();
        }
    }
}

/// A bullet glyph on a line of its own, its item a line or two below
/// (plain `pdftotext`: "◼" / "" / "the effectiveness of PLO processes."):
/// the glyph moves down beside its item, which its wrapped lines follow.
fn merge_lone_bullets(raw: &mut [String]) -> Vec<usize> {
    let mut moved_down = Vec::new();
    for i in 0..raw.len() {
        let t = raw[i].trim();
        let mut chars = t.chars();
        let (Some(glyph), None) = (chars.next(), chars.next()) else { continue };
        if !BULLET_GLYPHS.contains(&glyph) {
            continue;
        }
        let Some(j) = (i + 1..raw.len().min(i + 3)).find(|&j| !raw[j].trim().is_empty()) else { continue };
        if raw[j].trim().starts_with(BULLET_GLYPHS) {
            continue;
        }
        // On the item's own line, so that its wrapped lines follow it.
        raw[j] = format!("{glyph} {}", raw[j].trim());
        raw[i].clear();
        moved_down.push(i);
    }
    moved_down
}

/// A grade alone on its line, as a judgement table's cell ("Good"; "good."
/// ends a sentence).
fn grade_cell(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.len() <= 40 && !t.ends_with('.') && super::grade::Grade::from_label(t).is_some()
}

/// A judgement table's row name without its number: a capital, two to
/// sixteen words, not a sentence ("Experiences and progress of care leavers").
fn row_name_shape(bare: &str) -> bool {
    bare.starts_with(char::is_uppercase)
        && !bare.ends_with(['.', ';', ',', ':'])
        && !bare.contains(". ")
        && (2..=16).contains(&bare.split_whitespace().count())
}

/// A judgement table's row name: numbered, one line, not a sentence
/// ("2.2 Experiences and progress of care leavers").
fn numbered_row_name(line: &str) -> bool {
    let t = line.trim();
    LEADING_NUMBER.find(t).is_some_and(|m| row_name_shape(&t[m.end()..]))
}

/// A judgement table cut by a page break as plain `pdftotext` writes it:
/// the rows' names on adjacent lines, then (past blank lines and the page's
/// number) as many grades on adjacent lines ("2.2 Experiences and progress
/// of care leavers" / "3. Leadership, management and governance" / "" /
/// "2" / "" / "Requires improvement" / "Requires improvement"). The k-th
/// grade is the k-th row's.
fn merge_rows_graded_together(raw: &mut [String]) {
    let mut g = 1;
    while g < raw.len() {
        if !grade_cell(&raw[g]) || grade_cell(&raw[g - 1]) {
            g += 1;
            continue;
        }
        let k = raw[g..].iter().take_while(|l| grade_cell(l)).count();
        // Up past blank lines and lone numbers, at most four of them.
        let mut j = g;
        while j > 0 && g - j < 4 && (raw[j - 1].trim().is_empty() || lone_number(&raw[j - 1]).is_some()) {
            j -= 1;
        }
        let names = raw[..j].iter().rev().take_while(|l| numbered_row_name(l)).count();
        if k >= 2 && names == k && j < g {
            for r in 0..k {
                let grade = std::mem::take(&mut raw[g + r]);
                let name = &mut raw[j - k + r];
                *name = format!("{}    {}", name.trim(), grade.trim());
            }
        }
        g += k;
    }
}

/// A judgement table as plain `pdftotext` writes it: the name (numbered,
/// perhaps wrapped), a blank line, the grade alone ("1. Children who need
/// help and protection" / "" / "Requires Improvement"). Each becomes one
/// row, so that its number is not read as a paragraph's.
fn merge_rows_graded_below(raw: &mut [String]) {
    for g in 1..raw.len() {
        let label = raw[g].trim();
        // "good." ends a sentence cut by a page break; a table's grade has no full stop.
        if label.is_empty()
            || label.len() > 40
            || label.ends_with('.')
            || super::grade::Grade::from_label(label).is_none()
        {
            continue;
        }
        // The name's block ends on the line before g, or before one blank line.
        let Some(last) = (g.saturating_sub(2)..g).rev().find(|&j| !raw[j].trim().is_empty()) else { continue };
        let first =
            (last.saturating_sub(2)..=last).rev().take_while(|&j| !raw[j].trim().is_empty()).last().unwrap_or(last);
        // A numbered row starts at its number, whatever stands just above
        // it (the verdict "… require improvement to be good", no blank between).
        let first = (first..=last).rev().find(|&j| LEADING_NUMBER.is_match(raw[j].trim())).unwrap_or(first);
        let name = collapse(&raw[first..=last].iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "));
        let bare = LEADING_NUMBER.replace(&name, "").into_owned();
        if !row_name_shape(&bare)
            || super::grade::Grade::from_label(&bare).is_some()
            // "The graded judgement for … is" / "good": a verdict, not a row.
            || bare.split_whitespace().last().is_some_and(|w| matches!(w, "is" | "are" | "be" | "it" | "that"))
        {
            continue;
        }
        let label = label.to_string();
        raw[first] = format!("{name}    {label}");
        for r in &mut raw[first + 1..=g] {
            r.clear();
        }
    }
}

/// A judgement table row whose first cell wraps onto the line below it
/// (`pdftotext -layout`): " The experiences and progress of care   Good" /
/// " leavers". The row gets its whole name.
fn merge_rows_wrapped_below(raw: &mut [String]) {
    for i in 0..raw.len().saturating_sub(1) {
        let next = raw[i + 1].trim();
        if next.is_empty()
            || next.len() > 60
            || next.ends_with(['.', ':'])
            || next.contains("  ")
            || grade_row(next).is_some()
            || super::grade::Grade::from_label(next).is_some()
        {
            continue;
        }
        let Some(cells) = grade_row(&raw[i]) else { continue };
        let indent = |l: &str| l.len() - l.trim_start().len();
        // The rest of a name: in lower case, or after a name that cannot end
        // there ("The experiences and progress of"); never a heading.
        let open = cells[0].split_whitespace().last().is_some_and(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "of" | "and" | "the" | "for" | "to" | "in" | "who" | "with" | "on" | "care"
            )
        });
        let rest_of_name = next.starts_with(char::is_lowercase) || (open && indent(&raw[i + 1]) == indent(&raw[i]));
        // A heading under a whole row is not its name's end; after "… of" it is.
        if !rest_of_name || (!open && crate::vocab::VOCAB.section(next).is_some()) {
            continue;
        }
        // The grade as the line prints it (perhaps with a footnote digit after it).
        let Some(label_at) = raw[i].rfind(cells[1].as_str()) else { continue };
        let (name, label) = raw[i].split_at(label_at);
        raw[i] = format!("{} {}    {}", name.trim_end(), next, label.trim());
        raw[i + 1].clear();
    }
}

/// A line that is a grade alone ("            Good"), or a fragment of a
/// wrapped name and a grade ("children looked after and achieving   Good");
/// a whole row ("Overall effectiveness   Good") is a judgement table's.
fn grade_beside_fragment(line: &str) -> Option<(String, String)> {
    let t = line.trim();
    if t.is_empty() || t.len() > 160 {
        return None;
    }
    let cells: Vec<&str> = CELL_GAP.split(t).filter(|c| !c.is_empty()).collect();
    let last = cells.last()?;
    super::grade::Grade::from_label(last)?;
    // Beside a fragment, the grade stands apart (indented or after a gap).
    if cells.len() > 1 && !line.starts_with(' ') && !t.contains("  ") {
        return None;
    }
    let beside = cells[..cells.len() - 1].join(" ");
    let fragment = beside.is_empty()
        || beside.starts_with(char::is_lowercase)
        || beside
            .split_whitespace()
            .last()
            .is_some_and(|w| matches!(w, "of" | "and" | "the" | "for" | "to" | "in" | "who" | "with" | "on"));
    fragment.then(|| (last.to_string(), beside))
}

/// "Children who need help and protection  Good": a table row whose last
/// cell, after a gap of two or more spaces, is a grade label.
fn grade_row(line: &str) -> Option<Vec<String>> {
    let mut gap = false;
    let mut prev_space = false;
    for c in line.trim().chars() {
        gap |= prev_space && c.is_whitespace();
        prev_space = c.is_whitespace();
    }
    if !gap {
        return None;
    }
    let cells: Vec<&str> = CELL_GAP.split(line.trim()).filter(|c| !c.is_empty()).collect();
    let label = cells.last()?;
    let label = label.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    let label = label.strip_suffix("Grade").or_else(|| label.strip_suffix("grade")).unwrap_or(label);
    super::grade::Grade::from_label(label)?;
    let name = match cells.as_slice() {
        [name, _] => LEADING_NUMBER.replace(name, "").into_owned(),
        [number, name, _] if ROW_NUMBER.is_match(number) => name.to_string(),
        _ => return None,
    };
    if name.split_whitespace().count() > 16 || !name.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    Some(vec![collapse(&name), collapse(label)])
}

/// A line without tabs that is a table row all the same: a judgement and
/// its grade set apart by spaces, or a contents entry; or the header of a
/// judgements table ("Judgement grade"), which is no text (`Blank`).
fn untabbed_row(clean: &str) -> Option<Kind> {
    if let Some(cells) = grade_row(clean) {
        return Some(Kind::Table(cells));
    }
    let mut words = clean.split_whitespace();
    if words.next().is_some_and(|w| w.eq_ignore_ascii_case("judgement"))
        && words.next().is_some_and(|w| w.eq_ignore_ascii_case("grade"))
        && words.next().is_none()
    {
        return Some(Kind::Blank);
    }
    // "Executive summary  2": a contents entry, heading and page number.
    if clean.trim_end().ends_with(|c: char| c.is_ascii_digit())
        && let Some(c) = CONTENTS_ENTRY.captures(clean.trim())
    {
        return Some(Kind::Table(vec![collapse(&c[1]), c[2].to_string()]));
    }
    None
}

fn classify_line(raw: &str) -> Line {
    // Trailing tabs stay: "Safeguarding services<TAB>" is a table row with an empty cell.
    let trimmed = raw.trim_start().trim_end_matches(|c: char| c.is_whitespace() && c != '\t');
    let indented = raw.starts_with([' ', '\t']);
    let mut marked = false;
    let mut s = trimmed.to_string();
    // Cheap tests of the first and last characters keep most lines away
    // from the regexes below (parsing is half of indexing time).
    if s.starts_with('#') && MD_HEADING.is_match(&s) {
        marked = true;
        s = MD_HEADING.replace(&s, "").into_owned();
    }
    let blank = |raw: &str| Line { kind: Kind::Blank, marked: false, raw: raw.to_string(), indented: false };
    if s.is_empty() || (s.starts_with(['-', '*', '_', '.', '…']) && RULE.is_match(s.trim())) {
        return blank(trimmed);
    }
    let starts_bold =
        s.starts_with("**") || s.starts_with("__") || s.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("<b>"));
    let ends_bold = s.ends_with("**")
        || s.ends_with("__")
        || s.get(s.len().saturating_sub(4)..).is_some_and(|p| p.eq_ignore_ascii_case("</b>"));
    if starts_bold && ends_bold && !s.contains('\t') {
        marked = true;
    }
    let raw_clean = clean_inline(&s, false);
    if !raw_clean.contains('\t')
        && let Some(kind) = untabbed_row(&raw_clean)
    {
        return match kind {
            Kind::Blank => blank(trimmed),
            kind => Line { kind, marked, raw: trimmed.to_string(), indented },
        };
    }
    if let Some((n, text)) = numbered(&raw_clean)
        && n > 0
    {
        return Line { kind: Kind::Numbered { n, text: collapse(text) }, marked, raw: trimmed.to_string(), indented };
    }
    if !s.starts_with("**")
        && let Some((glyph, rest)) = bullet(&raw_clean)
    {
        let body = collapse(rest);
        // "-" and "*" need a space after them to be bullets ("-based" is not).
        let needs_space = matches!(glyph, '-' | '*' | '−' | '–');
        let has_space = rest.starts_with(char::is_whitespace);
        if !body.is_empty() && (!needs_space || has_space) {
            let sub = matches!(glyph, '–' | '−' | '◦' | '\u{F02D}');
            let kind = if sub { Kind::SubBullet(body) } else { Kind::Bullet(body) };
            return Line { kind, marked: false, raw: trimmed.to_string(), indented };
        }
    }
    if raw_clean.contains('\t') {
        let cells: Vec<String> = raw_clean.split('\t').map(collapse).collect();
        let non_empty = cells.iter().filter(|c| !c.is_empty()).count();
        if non_empty == 0 {
            return blank(trimmed);
        }
        if non_empty == 1 && !cells[0].is_empty() && cells.len() == 1 {
            return Line { kind: Kind::Text(cells[0].clone()), marked, raw: trimmed.to_string(), indented };
        }
        return Line { kind: Kind::Table(cells), marked, raw: trimmed.to_string(), indented };
    }
    let text = collapse(&raw_clean);
    if text.is_empty() {
        return blank(trimmed);
    }
    Line { kind: Kind::Text(text), marked, raw: trimmed.to_string(), indented }
}

/// Remove inline markup: HTML emphasis tags, markdown bold and links,
/// backslash escapes. Tabs are kept (they separate table cells).
pub fn clean_inline(s: &str, keep_bold_marks: bool) -> String {
    let mut t = s.to_string();
    if t.contains('<') {
        t = TAGS.replace_all(&t, "").into_owned();
    }
    if t.contains("](") {
        t = LINK.replace_all(&t, "$1").into_owned();
    }
    if !keep_bold_marks && (t.contains("**") || t.contains("__")) {
        t = t.replace("**", "").replace("__", "");
    }
    if t.contains('\\') {
        t = ESCAPE.replace_all(&t, "$1").into_owned();
    }
    if t.contains('\u{a0}') {
        t = t.replace('\u{a0}', " ");
    }
    t
}

/// Single spaces, trimmed.
pub fn collapse(s: &str) -> String {
    // Most lines are already single-spaced.
    let mut prev_space = true;
    let mut clean = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if prev_space || c != ' ' {
                clean = false;
                break;
            }
            prev_space = true;
        } else {
            prev_space = false;
        }
    }
    if clean && !prev_space {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Kind {
        classify_line(s).kind
    }

    #[test]
    fn numbered_paragraphs() {
        assert_eq!(
            kind("13. Work force planning is adequate."),
            Kind::Numbered { n: 13, text: "Work force planning is adequate.".into() }
        );
        assert_eq!(kind("  1."), Kind::Numbered { n: 1, text: String::new() });
        assert_eq!(kind("18 December 2020"), Kind::Text("18 December 2020".into()));
        assert_eq!(kind("2.1 Adoption"), Kind::Text("2.1 Adoption".into()));
    }

    #[test]
    fn markup_is_removed() {
        let l = classify_line("## **Capacity for improvement**");
        assert!(l.marked);
        assert_eq!(l.kind, Kind::Text("Capacity for improvement".into()));
        assert_eq!(
            kind("**Inspection dates:** 6 – 17 June 2011"),
            Kind::Text("Inspection dates: 6 – 17 June 2011".into())
        );
        assert_eq!(
            kind("Website: [www.ofsted.gov.uk](http://www.ofsted.gov.uk)"),
            Kind::Text("Website: www.ofsted.gov.uk".into())
        );
        assert_eq!(kind(r"A\*–C grades"), Kind::Text("A*–C grades".into()));
        assert_eq!(
            kind("<b>Safeguarding services</b>\t<b>5</b>"),
            Kind::Table(vec!["Safeguarding services".into(), "5".into()])
        );
    }

    #[test]
    fn bullets() {
        assert_eq!(kind(" - discussions with children"), Kind::Bullet("discussions with children".into()));
        assert_eq!(kind("\u{F0B7} the MASH"), Kind::Bullet("the MASH".into()));
        assert_eq!(kind("• item"), Kind::Bullet("item".into()));
        assert_eq!(
            kind(" \u{F02D}  there have been 99 adoptions"),
            Kind::SubBullet("there have been 99 adoptions".into())
        );
        assert_eq!(kind("**Within six months:**"), Kind::Text("Within six months:".into()));
        assert_eq!(kind("-based work"), Kind::Text("-based work".into()));
    }

    #[test]
    fn pdf_pages_lose_running_heads_page_numbers_and_footnotes() {
        let page = |n: u32, body: &str| {
            format!(
                "Inspection of Bristol local authority children’s services \n16 to 27 January 2023  {n} \n\n{body}\n"
            )
        };
        let text = [
            "Inspection of Bristol local authority \nchildren’s services\n\n1.  First paragraph board1 text."
                .to_string(),
            page(2, "continues here.\n\n2.  Second.\n\n \n1 A footnote about the board."),
            page(3, "3.  Third."),
        ]
        .join("\u{c}");
        let texts: Vec<String> = classify(&text)
            .into_iter()
            .filter_map(|l| match l.kind {
                Kind::Text(t) => Some(t),
                Kind::Numbered { n, text } => Some(format!("{n}. {text}")),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            vec![
                "Inspection of Bristol local authority",
                "children’s services",
                "1. First paragraph board text.",
                "continues here.",
                "2. Second.",
                "3. Third."
            ]
        );
    }

    #[test]
    fn grade_rows_from_column_gaps() {
        assert_eq!(
            kind("1.  Children who need help and protection  Good "),
            Kind::Table(vec!["Children who need help and protection".into(), "Good".into()])
        );
        assert_eq!(
            kind("  2.1 Adoption performance  Requires improvement "),
            Kind::Table(vec!["Adoption performance".into(), "Requires improvement".into()])
        );
        assert_eq!(
            kind("Overall effectiveness  Inadequate Grade 4 "),
            Kind::Table(vec!["Overall effectiveness".into(), "Inadequate".into()])
        );
        assert_eq!(
            kind("practice with children and families  Requires improvement to be good "),
            Kind::Table(vec!["practice with children and families".into(), "Requires improvement to be good".into()])
        );
        // Justified prose with double spaces is not a table.
        assert!(matches!(kind("2.  Children  looked  after  is  good"), Kind::Numbered { .. }));
        assert_eq!(kind(" Judgement  Grade "), Kind::Blank);
        assert_eq!(kind("Judgement                                        grade"), Kind::Blank);
        let mut raw =
            vec!["1.  Children who need help and protection  Requires ".to_string(), "Improvement ".to_string()];
        merge_wrapped_grades(&mut raw);
        assert_eq!(raw[0], "1.  Children who need help and protection  Requires Improvement");
    }

    /// Plain `pdftotext` writes the SIF front page's table under its
    /// verdict with no blank line between: the first row starts at its
    /// number, not at the verdict.
    fn owned(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_footnote_list_at_the_foot_of_a_page_is_blanked() {
        // Plain `pdftotext`: each number above its note, the first a blank
        // line above the list, the page's number below.
        let mut page = owned(&[
            "Approximately 27% of the local authority’s children are living in poverty.4",
            "",
            "2",
            "",
            "The local authority was given the opportunity to review this section of the report.",
            "3",
            "ONS Mid Year 2013.",
            "4",
            "HMRC Snapshot as at 31 August 2010.",
            "",
            "4",
        ]);
        strip_footnote_list(&mut page);
        assert_eq!(page[0], "Approximately 27% of the local authority’s children are living in poverty.4");
        assert!(page[1..].iter().all(|l| l.trim().is_empty()), "{page:?}");
        // A contents page's numbers follow their headings between blank lines.
        let contents = owned(&[
            "Executive summary",
            "",
            "44",
            "",
            "Recommendations",
            "",
            "45",
            "",
            "Inspection findings",
            "",
            "46",
        ]);
        let mut page = contents.clone();
        strip_footnote_list(&mut page);
        assert_eq!(page, contents);
        // One number alone is not a list.
        let single = owned(&["Text of the page ends here.", "5", "ONS 2011 census."]);
        let mut page = single.clone();
        strip_footnote_list(&mut page);
        assert_eq!(page, single);
    }

    #[test]
    fn a_judgement_table_cut_by_a_page_break_pairs_names_and_grades_in_order() {
        let mut raw = owned(&[
            "2.2 Experiences and progress of care leavers",
            "3. Leadership, management and governance",
            "",
            "",
            "",
            "Requires improvement",
            "Good",
            "",
            "Contents",
        ]);
        merge_rows_graded_together(&mut raw);
        assert_eq!(raw[0], "2.2 Experiences and progress of care leavers    Requires improvement");
        assert_eq!(raw[1], "3. Leadership, management and governance    Good");
        assert!(raw[2..8].iter().all(String::is_empty), "{raw:?}");
        assert_eq!(raw[8], "Contents");
        // As many grades as names, or nothing is paired.
        let uneven = owned(&["3. Leadership, management and governance", "", "Good", "Good"]);
        let mut raw = uneven.clone();
        merge_rows_graded_together(&mut raw);
        assert_eq!(raw, uneven);
    }

    #[test]
    fn a_grade_set_around_its_rows_name_joins_it() {
        let pad = " ".repeat(60);
        let mut raw = owned(&[
            &format!("{pad}Requires"),
            "1. Children who need help and protection",
            &format!("{pad}improvement"),
            "",
            "            2.1 Adoption performance                                       Good",
        ]);
        assert_eq!(merge_grades_around_names(&mut raw), vec![0]);
        assert_eq!(raw[1], "1. Children who need help and protection    Requires improvement");
        assert!(raw[0].is_empty() && raw[2].is_empty());
        // A sentence between the halves is not a row's name.
        let prose = owned(&[&format!("{pad}Requires"), "The service is improving.", &format!("{pad}improvement")]);
        let mut raw = prose.clone();
        assert!(merge_grades_around_names(&mut raw).is_empty());
        assert_eq!(raw, prose);
    }

    #[test]
    fn a_row_graded_below_starts_at_its_number() {
        let mut raw: Vec<String> = [
            "Children’s services in London Borough of Lambeth require",
            "improvement to be good",
            "1. Children who need help and protection",
            "",
            "Requires Improvement",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        merge_rows_graded_below(&mut raw);
        assert_eq!(raw[0], "Children’s services in London Borough of Lambeth require");
        assert_eq!(raw[1], "improvement to be good");
        assert_eq!(raw[2], "1. Children who need help and protection    Requires Improvement");
        assert!(raw[3..].iter().all(String::is_empty));
    }

    #[test]
    fn rules_and_page_breaks_are_blank() {
        assert_eq!(kind("---"), Kind::Blank);
        assert_eq!(kind("....."), Kind::Blank);
        let lines = classify("a\u{c}b");
        assert_eq!(
            lines.iter().map(|l| l.kind.clone()).collect::<Vec<_>>(),
            vec![Kind::Text("a".into()), Kind::Blank, Kind::Text("b".into())]
        );
    }
}
