//! Excerpts: the sentence or two of a paragraph that best match the query,
//! with every matched form highlighted (stems, phrases, acronym expansions).

use super::query::ParsedQuery;
use crate::schema::english_analyzer;
use unicode_segmentation::UnicodeSegmentation;

/// Longest excerpt before a sentence is trimmed with "…".
const MAX_CHARS: usize = 360;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// Byte ranges of `text` to highlight, in order, not overlapping.
    pub highlights: Vec<[usize; 2]>,
}

/// A match of one query group in the text: byte range and group index.
#[derive(Debug, Clone, Copy)]
struct Match {
    start: usize,
    end: usize,
    group: usize,
}

struct Token {
    start: usize,
    end: usize,
    text: String,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut a = english_analyzer();
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(Token { start: t.offset_from, end: t.offset_to, text: t.text.clone() });
    }
    out
}

/// Every place a query group matches: single tokens anywhere, phrases only
/// where their tokens stand together.
fn matches(text: &str, q: &ParsedQuery) -> Vec<Match> {
    let toks = tokens(text);
    let mut out = Vec::new();
    for (g, group) in q.groups.iter().enumerate() {
        for alt in &group.alts {
            let n = alt.tokens.len();
            if n == 0 || n > toks.len() {
                continue;
            }
            for i in 0..=toks.len() - n {
                if (0..n).all(|k| toks[i + k].text == alt.tokens[k]) {
                    out.push(Match { start: toks[i].start, end: toks[i + n - 1].end, group: g });
                }
            }
        }
    }
    out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    // Drop matches inside an earlier, longer one.
    let mut kept: Vec<Match> = Vec::new();
    for m in out {
        if kept.last().is_some_and(|k| m.start < k.end) {
            continue;
        }
        kept.push(m);
    }
    kept
}

/// Which groups match anywhere in the text.
pub fn matched_groups(text: &str, q: &ParsedQuery) -> Vec<bool> {
    let mut seen = vec![false; q.groups.len()];
    for m in matches(text, q) {
        seen[m.group] = true;
    }
    seen
}

/// Sentence spans (byte ranges), split at line ends and sentence bounds.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        for (off, s) in line.split_sentence_bound_indices() {
            let trimmed = s.trim();
            if trimmed.is_empty() {
                continue;
            }
            let lead = s.len() - s.trim_start().len();
            let start = line_start + off + lead;
            out.push((start, start + trimmed.len()));
        }
        line_start += line.len() + 1;
    }
    if out.is_empty() {
        out.push((0, text.len()));
    }
    out
}

pub fn excerpt(text: &str, q: &ParsedQuery) -> Excerpt {
    let all = matches(text, q);
    let spans = sentences(text);
    let covered = |s: (usize, usize)| -> (usize, usize) {
        let ms: Vec<&Match> = all.iter().filter(|m| m.start >= s.0 && m.end <= s.1).collect();
        let mut groups: Vec<usize> = ms.iter().map(|m| m.group).collect();
        groups.sort_unstable();
        groups.dedup();
        (groups.len(), ms.len())
    };
    let best = (0..spans.len()).max_by(|&a, &b| covered(spans[a]).cmp(&covered(spans[b])).then(b.cmp(&a))).unwrap_or(0);
    let (mut start, mut end) = spans[best];
    // A neighbouring sentence joins when it brings a query word the best one lacks.
    let groups_in = |s: usize, e: usize| -> Vec<usize> {
        let mut g: Vec<usize> = all.iter().filter(|m| m.start >= s && m.end <= e).map(|m| m.group).collect();
        g.sort_unstable();
        g.dedup();
        g
    };
    let have = groups_in(start, end);
    for neighbour in [best + 1, best.wrapping_sub(1)] {
        let Some(&(ns, ne)) = spans.get(neighbour) else {
            continue;
        };
        let (s2, e2) = (start.min(ns), end.max(ne));
        if groups_in(s2, e2).len() > have.len() && text[s2..e2].chars().count() <= MAX_CHARS {
            start = s2;
            end = e2;
            break;
        }
    }
    let mut prefix = "";
    let mut suffix = "";
    if text[start..end].chars().count() > MAX_CHARS {
        // Trim around the first match, at word boundaries.
        let first = all.iter().find(|m| m.start >= start && m.end <= end).map_or(start, |m| m.start);
        let from = floor_word(text, start, first.saturating_sub(120).max(start));
        let to = ceil_word(text, end, from + MAX_CHARS);
        if from > start {
            prefix = "…";
        }
        if to < end {
            suffix = "…";
        }
        start = from;
        end = to;
    }
    let body = &text[start..end];
    let mut out = String::with_capacity(body.len() + 6);
    out.push_str(prefix);
    out.push_str(body);
    out.push_str(suffix);
    let highlights = all
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .map(|m| [m.start - start + prefix.len(), m.end - start + prefix.len()])
        .collect();
    Excerpt { text: out, highlights }
}

/// The start of the word at or before `at` (not before `min`).
fn floor_word(text: &str, min: usize, at: usize) -> usize {
    let mut best = min;
    for (i, _) in text[min..].split_word_bound_indices() {
        let pos = min + i;
        if pos > at {
            break;
        }
        best = pos;
    }
    best
}

/// The end of the word at or after `at` (not after `max`).
fn ceil_word(text: &str, max: usize, at: usize) -> usize {
    if at >= max {
        return max;
    }
    let mut at = at;
    while !text.is_char_boundary(at) {
        at += 1;
    }
    for (i, w) in text[at..max].split_word_bound_indices() {
        if w.chars().all(char::is_whitespace) {
            return at + i;
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::super::query::parse;
    use super::*;

    fn marked(e: &Excerpt) -> String {
        let mut s = String::new();
        let mut last = 0;
        for [a, b] in &e.highlights {
            s.push_str(&e.text[last..*a]);
            s.push('[');
            s.push_str(&e.text[*a..*b]);
            s.push(']');
            last = *b;
        }
        s.push_str(&e.text[last..]);
        s
    }

    #[test]
    fn best_sentence_with_stems_highlighted() {
        let text =
            "Thresholds are clear. There are no unallocated cases and work is allocated promptly. Staff are stable.";
        let e = excerpt(text, &parse("allocate").unwrap());
        assert_eq!(marked(&e), "There are no unallocated cases and work is [allocated] promptly.");
    }

    #[test]
    fn phrases_do_not_highlight_lone_words() {
        let text = "Some cases wait. There were 40 unallocated cases in March.";
        let e = excerpt(text, &parse("\"unallocated cases\"").unwrap());
        assert_eq!(marked(&e), "There were 40 [unallocated cases] in March.");
    }

    #[test]
    fn acronym_expansions_are_highlighted() {
        let text = "Independent reviewing officers have high caseloads, which limits their capacity.";
        let e = excerpt(text, &parse("IRO capacity").unwrap());
        assert_eq!(marked(&e), "[Independent reviewing officers] have high caseloads, which limits their [capacity].");
    }

    #[test]
    fn long_sentences_are_trimmed() {
        let text = format!("{} the word target stands here {}", "filler ".repeat(100), "more ".repeat(100));
        let e = excerpt(&text, &parse("target").unwrap());
        assert!(e.text.starts_with('…') && e.text.ends_with('…'));
        assert_eq!(marked(&e).matches('[').count(), 1);
        assert!(e.text.chars().count() <= MAX_CHARS + 2);
    }
}
