//! Excerpts: the sentence or two of a paragraph that best match the query,
//! with every matched form highlighted (stems, phrases, acronym expansions).

use super::query::ParsedQuery;
use crate::index::schema::{MAX_TOKEN_LEN, plain_analyzer, with_stem};

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

/// A token of the text: its byte range and which query token it is, if any
/// (tokens are compared by that index, not by their text).
struct Token {
    start: usize,
    end: usize,
    query_token: Option<usize>,
}

/// The text's tokens as the index analyses them. Only a word that may stem
/// to a query token is stemmed (`may_stem_to`): most of a paragraph is
/// skipped.
///
/// The analyzer is not run over the text: what it does is split at what is
/// not a letter or digit, drop tokens of `MAX_TOKEN_LEN` bytes or more,
/// lower-case and fold to ASCII; for an ASCII word that is lower-casing
/// alone, done here in place (a third of a one-off search's instructions
/// went to the analyzer's strings). A word with other letters goes through
/// the analyzer. `tokens_are_the_analyzers` holds the two equal.
fn tokens(text: &str, query_tokens: &[&str]) -> Vec<Token> {
    let heads = heads(query_tokens);
    let mut analyzer = None;
    // About one word in six bytes of English: grown once or not at all.
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut word = String::new();
    let bytes = text.as_bytes();
    // The letter or digit at `i`, and where the next character starts.
    let at = |i: usize| -> (bool, usize) {
        match bytes[i] {
            b if b.is_ascii() => (b.is_ascii_alphanumeric(), i + 1),
            _ => text[i..].chars().next().map_or((false, i + 1), |c| (c.is_alphanumeric(), i + c.len_utf8())),
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        // Between words: ASCII bytes that are not letters or digits, fast.
        if !bytes[i].is_ascii_alphanumeric() && bytes[i].is_ascii() {
            i += 1;
            continue;
        }
        let (letter, next) = at(i);
        if !letter {
            i = next;
            continue;
        }
        let start = i;
        let mut ascii = bytes[i].is_ascii();
        i = next;
        while i < bytes.len() {
            if bytes[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let (letter, next) = at(i);
            if !letter {
                break;
            }
            ascii = false;
            i = next;
        }
        let end = i;
        if end - start >= MAX_TOKEN_LEN {
            continue;
        }
        word.clear();
        if ascii {
            // Most words cannot match: not copied, not lower-cased.
            if !may_stem_to(&bytes[start..end], &heads) {
                out.push(Token { start, end, query_token: None });
                continue;
            }
            word.push_str(&text[start..end]);
            word.make_ascii_lowercase();
        } else {
            let a = analyzer.get_or_insert_with(plain_analyzer);
            let mut stream = a.token_stream(&text[start..end]);
            if let Some(t) = stream.next() {
                word.push_str(&t.text);
            }
        }
        let query_token = may_stem_to(word.as_bytes(), &heads)
            .then(|| with_stem(&word, |stem| query_tokens.iter().position(|q| *q == stem)))
            .flatten();
        out.push(Token { start, end, query_token });
    }
    out
}

/// The first two letters of each query token (all of a shorter one).
fn heads<'q>(query_tokens: &[&'q str]) -> Vec<&'q str> {
    query_tokens.iter().map(|q| q.char_indices().nth(2).map_or(*q, |(i, _)| &q[..i])).collect()
}

/// Whether a word may stem to a query token with one of these `heads`
/// (ASCII letters in any case: a word as written, or as the analyzer
/// lower-cased and folded it). English stemming keeps a word's first two
/// letters (all of a stem shorter than that: "eing" -> "e"), but for a
/// letter and "ying" ("dying" -> "die"). `stems_keep_their_heads` and
/// `tokens_are_the_analyzers` hold this to stemming every word.
fn may_stem_to(word: &[u8], heads: &[&str]) -> bool {
    // Called for every word of every hit: the usual heads, one or two
    // ASCII letters, are compared as bytes.
    let first = word.first().map(u8::to_ascii_lowercase);
    let second = word.get(1).map(u8::to_ascii_lowercase);
    let starts = |h: &[u8]| match *h {
        [a] => first == Some(a.to_ascii_lowercase()),
        [a, b] => first == Some(a.to_ascii_lowercase()) && second == Some(b.to_ascii_lowercase()),
        _ => word.len() >= h.len() && word[..h.len()].eq_ignore_ascii_case(h),
    };
    heads.iter().any(|h| starts(h.as_bytes()))
        || (word.len() >= 4 && word[word.len() - 4..].eq_ignore_ascii_case(b"ying"))
}

/// `tokens` by the analyzer over the whole text, every token stemmed (the
/// reference).
#[cfg(test)]
fn analyzed_tokens(text: &str, query_tokens: &[&str]) -> Vec<Token> {
    let mut a = plain_analyzer();
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        let query_token = with_stem(&t.text, |stem| query_tokens.iter().position(|q| *q == stem));
        out.push(Token { start: t.offset_from, end: t.offset_to, query_token });
    }
    out
}

/// Every place a query group matches: single tokens anywhere, phrases only
/// where their tokens stand together.
fn matches(text: &str, q: &ParsedQuery) -> Vec<Match> {
    let mut query_tokens: Vec<&str> = Vec::new();
    for t in q.groups.iter().flat_map(|g| g.alts.iter().flat_map(|a| a.tokens.iter())) {
        if !query_tokens.contains(&t.as_str()) {
            query_tokens.push(t);
        }
    }
    let toks = tokens(text, &query_tokens);
    let id = |t: &str| query_tokens.iter().position(|q| *q == t);
    // Each sequence of query tokens to find, under the token it starts
    // with: words that match anywhere one by one (the words that carry
    // meaning), a phrase where its tokens stand together.
    let mut by_first: Vec<Vec<(usize, Vec<Option<usize>>)>> = vec![Vec::new(); query_tokens.len()];
    for (g, group) in q.groups.iter().enumerate() {
        for alt in &group.alts {
            let sequences: Vec<Vec<&str>> = if alt.anywhere {
                alt.content_tokens().into_iter().map(|t| vec![t]).collect()
            } else {
                vec![alt.tokens.iter().map(String::as_str).collect()]
            };
            for seq in sequences {
                let ids: Vec<Option<usize>> = seq.iter().map(|t| id(t)).collect();
                if let Some(Some(first)) = ids.first() {
                    by_first[*first].push((g, ids));
                }
            }
        }
    }
    // One pass over the text (in group order at each token, as the
    // overlaps below are resolved).
    let mut out = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        let Some(first) = tok.query_token else { continue };
        for (g, ids) in &by_first[first] {
            let n = ids.len();
            if i + n <= toks.len()
                && (1..n).all(|k| toks[i + k].query_token.is_some() && toks[i + k].query_token == ids[k])
            {
                out.push(Match { start: tok.start, end: toks[i + n - 1].end, group: *g });
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

/// For each query group, the distinct forms it matches in the text, as
/// written ("IROs", "independent reviewing officers").
pub fn matched_forms(text: &str, q: &ParsedQuery) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); q.groups.len()];
    for m in matches(text, q) {
        let form = text[m.start..m.end].to_string();
        if !out[m.group].contains(&form) {
            out[m.group].push(form);
        }
    }
    out
}

/// Sentence spans (byte ranges), split at line ends and sentence bounds.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let mut from = 0;
        for to in sentence_ends(line).into_iter().chain([line.len()]) {
            let s = &line[from..to];
            from = to;
            let trimmed = s.trim();
            if trimmed.is_empty() {
                continue;
            }
            let lead = s.len() - s.trim_start().len();
            let start = line_start + (to - s.len()) + lead;
            out.push((start, start + trimmed.len()));
        }
        line_start += line.len() + 1;
    }
    if out.is_empty() {
        out.push((0, text.len()));
    }
    out
}

fn is_close(c: char) -> bool {
    matches!(c, '"' | '\'' | '’' | '‘' | '”' | '“' | ')' | ']' | '}' | '»' | '«' | '(' | '[' | '{')
}

fn is_sentence_term(c: char) -> bool {
    matches!(c, '.' | '!' | '?')
}

/// Where sentences end in a line (byte offsets of the next sentence's
/// start), by the rules of Unicode's sentence boundaries (UAX #29) that
/// English prose meets: after "." "!" or "?", closing quotes and brackets
/// and spaces; not before a lower-case word ("e.g. the", "5. children"),
/// a comma or colon ("etc., and"), a number or a capital straight after a
/// full stop ("0.5", "U.S."). Written out because `unicode-segmentation`'s
/// general tables cost a one-off search a quarter of a millisecond; a test
/// holds it to that crate on the sample reports.
fn sentence_ends(line: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_sentence_term(chars[i].1) {
            i += 1;
            continue;
        }
        let before = i.checked_sub(1).map(|k| chars[k].1);
        // The run of terminators ("?!", "..."), then closing marks, then spaces.
        let mut j = i;
        while j < chars.len() && is_sentence_term(chars[j].1) {
            j += 1;
        }
        let full_stop = chars[j - 1].1 == '.';
        while j < chars.len() && is_close(chars[j].1) {
            j += 1;
        }
        let spaces_from = j;
        while j < chars.len() && chars[j].1.is_whitespace() {
            j += 1;
        }
        let Some(&(at, next)) = chars.get(j) else { break };
        let spaced = j > spaces_from;
        let no_break = if full_stop {
            // Straight after a full stop: a number ("0.5"), or a capital after a letter ("U.S").
            let joined = !spaced
                && j == i + 1
                && (next.is_numeric()
                    || (next.is_uppercase() && before.is_some_and(char::is_alphabetic))
                    || next.is_lowercase());
            // A lower-case letter before any other letter or terminator ("e.g. the", ". 5 children").
            let lower_follows = chars[j..]
                .iter()
                .map(|&(_, c)| c)
                .find(|c| c.is_alphabetic() || is_sentence_term(*c))
                .is_some_and(char::is_lowercase);
            joined || lower_follows
        } else {
            false
        };
        // A comma, hyphen, colon, semicolon or another terminator (". .")
        // goes on with the sentence.
        let continues = matches!(next, ',' | '-' | ':' | ';') || is_sentence_term(next);
        if !no_break && !continues {
            out.push(at);
        }
        i = j.max(i + 1);
    }
    out
}

pub fn excerpt(text: &str, q: &ParsedQuery) -> Excerpt {
    let all = matches(text, q);
    let spans = sentences(text);
    // One pass over sentences and matches (both in order): the groups each
    // sentence matches (a bit per group) and how many matches it has.
    let mut masks = Vec::with_capacity(spans.len());
    let mut mi = 0;
    for &(s, e) in &spans {
        while mi < all.len() && all[mi].start < s {
            mi += 1;
        }
        let (mut mask, mut count) = (0u128, 0usize);
        let mut j = mi;
        while j < all.len() && all[j].start < e {
            if all[j].end <= e {
                mask |= 1u128 << all[j].group.min(127);
                count += 1;
            }
            j += 1;
        }
        masks.push((mask, count));
    }
    let score = |k: usize| (masks[k].0.count_ones(), masks[k].1);
    let best = (0..spans.len()).max_by(|&a, &b| score(a).cmp(&score(b)).then(b.cmp(&a))).unwrap_or(0);
    let (mut start, mut end) = spans[best];
    // A neighbouring sentence joins when it brings a query word the best one lacks.
    let have = masks[best].0;
    for neighbour in [best + 1, best.wrapping_sub(1)] {
        let Some(&(ns, ne)) = spans.get(neighbour) else { continue };
        let (s2, e2) = (start.min(ns), end.max(ne));
        if masks[neighbour].0 & !have != 0 && text[s2..e2].chars().count() <= MAX_CHARS {
            start = s2;
            end = e2;
            break;
        }
    }
    let mut prefix = "";
    let mut suffix = "";
    if text[start..end].chars().count() > MAX_CHARS {
        // Trim around the first match, at word boundaries where there are any.
        let first = all.iter().find(|m| m.start >= start && m.end <= end);
        let (m_start, m_end) = first.map_or((start, start), |m| (m.start, m.end));
        let from = word_start_near(text, start, back_chars(text, m_start, 120).max(start));
        let mut to = word_end_near(text, end, forward_chars(text, from, MAX_CHARS).min(end));
        if to < m_end {
            to = m_end.min(end);
        }
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

/// The byte offset `n` characters before `at`.
fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i)
}

/// The byte offset `n` characters after `at`.
fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..].char_indices().nth(n).map_or(text.len(), |(i, _)| at + i)
}

/// The start of a word at or shortly after `at` (not before `min`), or `at`
/// itself when there is no space nearby (a long run of letters).
fn word_start_near(text: &str, min: usize, at: usize) -> usize {
    if at <= min {
        return min;
    }
    let window_end = forward_chars(text, at, 30);
    match text[at..window_end].find(char::is_whitespace) {
        Some(i) => {
            let ws = at + i;
            ws + text[ws..].chars().take_while(|c| c.is_whitespace()).map(char::len_utf8).sum::<usize>()
        }
        None => at,
    }
}

/// The end of a word at or shortly before `at` (not after `max`), or `at`
/// itself when there is no space nearby.
fn word_end_near(text: &str, max: usize, at: usize) -> usize {
    if at >= max {
        return max;
    }
    let window_start = back_chars(text, at, 30);
    match text[window_start..at].rfind(char::is_whitespace) {
        Some(i) => window_start + i,
        None => at,
    }
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

    /// The sentences of every paragraph of the five sample reports are
    /// those of Unicode's sentence boundaries (`unicode-segmentation`).
    #[test]
    fn sentences_as_unicode_splits_them() {
        use unicode_segmentation::UnicodeSegmentation;
        let uax = |text: &str| -> Vec<(usize, usize)> {
            let mut out = Vec::new();
            let mut line_start = 0;
            for line in text.split('\n') {
                for (off, s) in line.split_sentence_bound_indices() {
                    let trimmed = s.trim();
                    if !trimmed.is_empty() {
                        let start = line_start + off + (s.len() - s.trim_start().len());
                        out.push((start, start + trimmed.len()));
                    }
                }
                line_start += line.len() + 1;
            }
            if out.is_empty() {
                out.push((0, text.len()));
            }
            out
        };
        let mut checked = 0;
        for (name, text) in crate::corpus::BUNDLED {
            let report = crate::report::parse(text, name);
            for p in &report.paragraphs {
                assert_eq!(sentences(&p.text), uax(&p.text), "{}", p.text);
                checked += 1;
            }
        }
        assert!(checked > 400, "{checked}");
        for text in
            ["e.g. the staff. Then 0.5 of U.S. cases?! (Yes.) \"No.\" etc., and more… Done", "", "   ", "a.\nb. C"]
        {
            assert_eq!(sentences(text), uax(text), "{text:?}");
        }
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

    /// English stemming keeps what `may_stem_to` says it keeps, for every
    /// word of the sample reports and for words made of two or three
    /// letters and each suffix the stemmer removes or rewrites.
    #[test]
    fn stems_keep_their_heads() {
        let mut words: Vec<String> = Vec::new();
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for e in std::fs::read_dir(&samples).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap_or_default();
            words.extend(text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase));
        }
        let letters = ['a', 'e', 'i', 'o', 'u', 'y', 's', 'l', 't', 'd'];
        let suffixes = [
            "", "s", "es", "ies", "ied", "y", "ly", "ing", "ingly", "ed", "edly", "eed", "eedly", "ness", "ational",
            "tional", "enci", "anci", "abli", "entli", "izer", "ization", "ousli", "fulness", "biliti", "logi",
            "alize", "icate", "iciti", "ical", "ful", "ative", "ement", "ment", "ent", "ion", "e", "l", "ll",
        ];
        for a in letters {
            for b in letters {
                for c in letters.iter().map(|c| c.to_string()).chain([String::new()]) {
                    words.extend(suffixes.iter().map(|s| format!("{a}{b}{c}{s}")));
                }
            }
        }
        assert!(words.len() > 40_000, "{}", words.len());
        for w in &words {
            let stem = with_stem(w, str::to_string);
            assert!(may_stem_to(w.as_bytes(), &heads(&[stem.as_str()])), "{w} -> {stem}");
        }
    }

    proptest::proptest! {
        /// Text is split, matched and placed as the analyzer does it: long
        /// tokens, digits, hyphens, capitals, accents and other scripts.
        #[test]
        fn tokens_are_the_analyzers(
            words in proptest::collection::vec("[A-Za-z0-9]{0,45}|[ .,;:()'/-]{1,3}|care|Cases|IRO|allocated|casework|Café|CAFÉ|é{10,25}|naïve|ǅ|’s|\\PC{1,4}|dying|Lying|eing|happy|happiness|relational|[a-z]{1,3}(ying|ies|ied|ing|ly|y|s|ness)", 0..40),
            query in proptest::sample::select(vec!["care", "case", "alloc", "iro", "casework", "cafe", "naiv", "e", "die", "lie", "happi", "relat", "i"]),
        ) {
            let text: String = words.concat();
            let q = [query, "c"];
            let fast: Vec<_> = super::tokens(&text, &q).iter().map(|t| (t.start, t.end, t.query_token)).collect();
            let slow: Vec<_> = super::analyzed_tokens(&text, &q).iter().map(|t| (t.start, t.end, t.query_token)).collect();
            proptest::prop_assert_eq!(fast, slow, "{:?}", text);
        }

        /// Any text: sentences are in order, within the text, on character
        /// boundaries, trimmed and not empty; an excerpt never panics.
        #[test]
        fn any_text_splits_into_sentences(text in "(?s).{0,300}", extra in proptest::sample::select(vec![". ", "? ", ".\n", "e.g. ", "U.S.", " 0.5 ", "…", "。", "\"", ")"])) {
            let text = format!("{text}{extra}{text}");
            let spans = sentences(&text);
            let mut last = 0;
            for &(a, b) in &spans {
                proptest::prop_assert!(a >= last && a <= b && b <= text.len());
                proptest::prop_assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
                last = b;
            }
            let _ = excerpt(&text, &parse("children").unwrap());
        }
    }

    #[test]
    fn runs_without_spaces_are_trimmed_by_characters() {
        let text = format!("{} zebraword", "x".repeat(3000));
        let e = excerpt(&text, &parse("zebraword").unwrap());
        assert!(e.text.chars().count() <= MAX_CHARS + 2, "{}", e.text.len());
        assert_eq!(marked(&e).matches("[zebraword]").count(), 1);
        let cjk = format!("{}ß target {}", "漢".repeat(2000), "字".repeat(2000));
        let e = excerpt(&cjk, &parse("target").unwrap());
        assert!(e.text.chars().count() <= MAX_CHARS + 2);
        assert_eq!(marked(&e).matches("[target]").count(), 1);
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
