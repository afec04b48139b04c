//! Text to classified lines: markdown and HTML emphasis removed, bullets,
//! numbered paragraph starts and table rows recognised.

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
}

static MD_HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^#{1,6}\s*").unwrap());
static RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:-{3,}|\*{3,}|_{3,}|\.{3,}|…+)$").unwrap());
static TAGS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)</?(?:b|strong|i|em|u|span|br|p|font)\b[^>]*>").unwrap());
static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap());
static ESCAPE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\\([\\*_#\[\]()\-.!`>+|{}])").unwrap());
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([-*•◼▪●■◦➢\u{F0B7}\u{F0A7}\u{F0D8}\u{F076}])\s*(.*)$").unwrap());
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{1,3})\.(?:\s+(.*))?$").unwrap());

/// Split text into classified lines. Never fails; any input gives some lines.
pub fn classify(text: &str) -> Vec<Line> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for raw_line in text.split('\n') {
        // A form feed is a page break: what stands either side of it are
        // separate lines.
        for piece in raw_line.split('\u{c}') {
            out.push(classify_line(piece.trim_end_matches('\r')));
        }
    }
    out
}

fn classify_line(raw: &str) -> Line {
    // Trailing tabs stay: "Safeguarding services<TAB>" is a table row with an empty cell.
    let trimmed = raw.trim_start().trim_end_matches(|c: char| c.is_whitespace() && c != '\t');
    let mut marked = false;
    let mut s = trimmed.to_string();
    if MD_HEADING.is_match(&s) {
        marked = true;
        s = MD_HEADING.replace(&s, "").into_owned();
    }
    let blank = |raw: &str| Line { kind: Kind::Blank, marked: false, raw: raw.to_string() };
    if s.is_empty() || RULE.is_match(s.trim()) {
        return blank(trimmed);
    }
    let starts_bold = s.starts_with("**") || s.starts_with("__") || s.to_ascii_lowercase().starts_with("<b>");
    let ends_bold = s.ends_with("**") || s.ends_with("__") || s.to_ascii_lowercase().ends_with("</b>");
    if starts_bold && ends_bold && !s.contains('\t') {
        marked = true;
    }
    let raw_clean = clean_inline(&s, false);
    if let Some(c) = NUMBERED.captures(&raw_clean) {
        let n: u32 = c[1].parse().unwrap_or(0);
        if n > 0 {
            let text = c.get(2).map(|m| collapse(m.as_str())).unwrap_or_default();
            return Line { kind: Kind::Numbered { n, text }, marked, raw: trimmed.to_string() };
        }
    }
    if !s.starts_with("**")
        && let Some(c) = BULLET.captures(&raw_clean)
    {
        let body = collapse(&c[2]);
        // "-" and "*" need a space after them to be bullets ("-based" is not).
        let needs_space = matches!(&c[1], "-" | "*");
        let has_space = raw_clean[c[1].len()..].starts_with(char::is_whitespace);
        if !body.is_empty() && (!needs_space || has_space) {
            return Line { kind: Kind::Bullet(body), marked: false, raw: trimmed.to_string() };
        }
    }
    if raw_clean.contains('\t') {
        let cells: Vec<String> = raw_clean.split('\t').map(collapse).collect();
        let non_empty = cells.iter().filter(|c| !c.is_empty()).count();
        if non_empty == 0 {
            return blank(trimmed);
        }
        if non_empty == 1 && !cells[0].is_empty() && cells.len() == 1 {
            return Line { kind: Kind::Text(cells[0].clone()), marked, raw: trimmed.to_string() };
        }
        return Line { kind: Kind::Table(cells), marked, raw: trimmed.to_string() };
    }
    let text = collapse(&raw_clean);
    if text.is_empty() {
        return blank(trimmed);
    }
    Line { kind: Kind::Text(text), marked, raw: trimmed.to_string() }
}

/// Remove inline markup: HTML emphasis tags, markdown bold and links,
/// backslash escapes. Tabs are kept (they separate table cells).
pub fn clean_inline(s: &str, keep_bold_marks: bool) -> String {
    let mut t = TAGS.replace_all(s, "").into_owned();
    t = LINK.replace_all(&t, "$1").into_owned();
    if !keep_bold_marks {
        t = t.replace("**", "").replace("__", "");
    }
    t = ESCAPE.replace_all(&t, "$1").into_owned();
    t.replace('\u{a0}', " ")
}

/// Single spaces, trimmed.
pub fn collapse(s: &str) -> String {
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
        assert_eq!(kind("**Within six months:**"), Kind::Text("Within six months:".into()));
        assert_eq!(kind("-based work"), Kind::Text("-based work".into()));
    }

    #[test]
    fn rules_and_page_breaks_are_blank() {
        assert_eq!(kind("---"), Kind::Blank);
        assert_eq!(kind("....."), Kind::Blank);
        let lines = classify("a\u{c}b");
        assert_eq!(lines.len(), 2);
    }
}
