//! The query language: words, "quoted phrases", +required, -excluded, AND,
//! OR; and acronym expansion both ways (IRO <-> independent reviewing officer).

use crate::index::schema::analyze;
use crate::vocab::{EQUIVALENTS, VOCAB};
use std::sync::LazyLock;

/// One way to match a query word: a single stemmed token, a phrase, or
/// (for words typed as a run that spells an acronym's expansion) every
/// token anywhere in the paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alt {
    /// Stemmed tokens, in order (more than one: a phrase, unless `anywhere`).
    pub tokens: Vec<String>,
    /// The tokens match anywhere in the paragraph, not only side by side:
    /// "return home interviews" typed also finds "return interviews for
    /// children who had been missing from home".
    pub anywhere: bool,
    /// Set when this form came from the acronym table ("IRO = independent
    /// reviewing officer") or the table of equivalent wordings ("lockdown ~
    /// pandemic").
    pub via: Option<String>,
    /// From the table of equivalent wordings: ranks below the words typed.
    pub equivalent: bool,
}

impl Alt {
    /// A word, or a phrase whose tokens stand together.
    pub fn together(tokens: Vec<String>, via: Option<String>) -> Alt {
        Alt { tokens, anywhere: false, via, equivalent: false }
    }

    /// The tokens a paragraph must hold for an `anywhere` alternative: its
    /// words that carry meaning ("in" of "children in care" is not asked
    /// for), or all of them if none does.
    pub fn content_tokens(&self) -> Vec<&str> {
        let content: Vec<&str> =
            self.tokens.iter().map(String::as_str).filter(|t| !FUNCTION_TOKENS.iter().any(|f| f == t)).collect();
        if content.is_empty() { self.tokens.iter().map(String::as_str).collect() } else { content }
    }
}

/// Words that alone do not make a paragraph a partial match for a query,
/// nor are required of a full one. ("no" and "not" are not among them: they
/// change what a sentence says.)
const FUNCTION_WORDS: [&str; 24] = [
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on", "or",
    "that", "the", "this", "to", "was", "with",
];

/// `FUNCTION_WORDS` as the analyzer stems them.
static FUNCTION_TOKENS: LazyLock<Vec<String>> =
    LazyLock::new(|| FUNCTION_WORDS.iter().flat_map(|w| analyze(w)).collect());

pub(crate) fn is_function_word(label: &str) -> bool {
    FUNCTION_WORDS.contains(&label.to_lowercase().as_str())
}

/// What must match for one query word (or phrase): any of its alternatives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// What the user typed for it.
    pub label: String,
    pub alts: Vec<Alt>,
    pub required: bool,
    /// In so many paragraphs that it does not decide which match first
    /// ("children" in a council's children's services report): scored, not
    /// required (set by the searcher, which knows the index).
    pub common: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub groups: Vec<Group>,
    pub excluded: Vec<Group>,
    /// Lenient readings the user should know about.
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    #[error("the query is empty; give some words to search for, e.g. insp search \"unallocated cases\"")]
    Empty,
    #[error("the query only excludes words; add at least one word to search for")]
    OnlyExcluded,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Mod {
    None,
    Required,
    Excluded,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lexeme {
    Term { text: String, phrase: bool, modifier: Mod },
    And,
    Or,
}

/// Acronyms that are also common words are expanded only when typed in capitals.
const WORDLIKE: [&str; 12] = ["send", "mast", "aim", "art", "care", "cap", "act", "dash", "mace", "pace", "ace", "pip"];

/// A query has at most this many words. (Words of 40 bytes or more are
/// dropped by the analyzer, as they are when indexing.)
const MAX_TERMS: usize = 64;

fn lex(q: &str, notes: &mut Vec<String>) -> Vec<Lexeme> {
    let mut out = Vec::new();
    let chars: Vec<char> = q.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let mut modifier = Mod::None;
        if (c == '+' || c == '-') && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            modifier = if c == '+' { Mod::Required } else { Mod::Excluded };
            i += 1;
        }
        if chars[i] == '"' || chars[i] == '“' || chars[i] == '”' {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && !matches!(chars[end], '"' | '“' | '”') {
                end += 1;
            }
            if end >= chars.len() {
                notes.push("a quote was not closed; read the rest of the query as a phrase".to_string());
            }
            let text: String = chars[start..end.min(chars.len())].iter().collect();
            out.push(Lexeme::Term { text, phrase: true, modifier });
            i = end + 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '"' | '“' | '”') {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        match (word.as_str(), &modifier) {
            ("AND" | "&&", Mod::None) => out.push(Lexeme::And),
            ("OR" | "||", Mod::None) => out.push(Lexeme::Or),
            _ => out.push(Lexeme::Term { text: word, phrase: false, modifier }),
        }
    }
    out
}

fn acronym_alts(word: &str) -> Option<(String, Vec<Alt>)> {
    let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
    let bare_lower = bare.to_lowercase();
    let bare_lower_one = bare_lower.strip_suffix('s');
    for a in VOCAB.acronyms.iter() {
        let acr = a.acronym;
        let exact = bare == acr || bare.strip_suffix('s') == Some(acr);
        // Acronyms are ASCII: this is `bare` and `acr` equal in lower case.
        let loose = bare_lower.eq_ignore_ascii_case(acr) || bare_lower_one.is_some_and(|b| b.eq_ignore_ascii_case(acr));
        if !exact && !loose {
            continue;
        }
        let lower = acr.to_lowercase();
        let wordlike = WORDLIKE.contains(&lower.as_str()) || lower.len() < 3;
        if exact || (loose && !wordlike) {
            let alts = a
                .expansions()
                .map(|e| Alt::together(analyze(e), Some(format!("{} = {}", acr, e.to_lowercase()))))
                .filter(|alt| !alt.tokens.is_empty())
                .collect();
            return Some((acr.to_string(), alts));
        }
    }
    None
}

/// The first letter of each token the analyzer makes of a plain ASCII
/// expansion (stemming keeps a word's first letter), or None when the
/// expansion is not plain ASCII: a cheap test before stemming it.
#[cfg(test)]
fn initials(expansion: &str) -> Option<Vec<char>> {
    expansion.is_ascii().then(|| initial_letters(expansion).collect())
}

fn initial_letters(expansion: &str) -> impl Iterator<Item = char> + '_ {
    expansion
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() < crate::index::schema::MAX_TOKEN_LEN)
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_lowercase())
}

/// Whether a wording could stem to tokens with these initials: its own
/// initials are they, or it is not ASCII (and stemming may fold it).
/// `initials(e).is_none_or(|i| i == wanted)`, without building the list.
fn initials_may_be(expansion: &str, wanted: &[char]) -> bool {
    !expansion.is_ascii() || initial_letters(expansion).eq(wanted.iter().copied())
}

/// A wording as stemmed tokens and as written (lower case).
type Wording = (Vec<String>, String);

/// The other wordings of every set that has one spelled by these stemmed
/// tokens. Only the wordings with the tokens' initials are stemmed, and the
/// rest of a set only when one of them matches (a one-off search would
/// otherwise stem every wording in the table).
fn equivalents_of(tokens: &[String]) -> Vec<Wording> {
    let wanted: Vec<char> = tokens.iter().filter_map(|t| t.chars().next()).collect();
    let mut out = Vec::new();
    for set in EQUIVALENTS.iter() {
        if set.iter().any(|w| initials_may_be(w, &wanted) && analyze(w) == tokens) {
            out.extend(set.iter().map(|w| (analyze(w), w.to_lowercase())).filter(|(t, _)| t != tokens));
        }
    }
    out
}

/// The acronym whose expansion is exactly these stemmed tokens. Only the
/// expansions with the tokens' initials are stemmed (a one-off search
/// would otherwise stem every expansion in the table).
fn expansion_of(tokens: &[String]) -> Option<(String, String)> {
    let wanted: Vec<char> = tokens.iter().filter_map(|t| t.chars().next()).collect();
    VOCAB.acronyms.iter().find_map(|a| {
        a.expansions()
            .filter(|e| initials_may_be(e, &wanted))
            .find(|e| analyze(e) == tokens)
            .map(|e| (a.acronym.to_string(), e.to_lowercase()))
    })
}

fn push_unique(alts: &mut Vec<Alt>, alt: Alt) {
    if !alt.tokens.is_empty() && !alts.iter().any(|a| a.tokens == alt.tokens && a.anywhere == alt.anywhere) {
        alts.push(alt);
    }
}

/// Parse a query. Never panics; an unusable query is an error that says what to do.
pub fn parse(q: &str) -> Result<ParsedQuery, QueryError> {
    let mut parsed = ParsedQuery::default();
    let mut lexemes = lex(q, &mut parsed.notes);
    let n_words = lexemes.iter().filter(|l| matches!(l, Lexeme::Term { .. })).count();
    if lexemes.len() > MAX_TERMS * 2 {
        lexemes.truncate(MAX_TERMS * 2);
    }
    for p in merge_expansions(resolve_operators(lexemes)) {
        let Some(group) = group_of(&p, q) else { continue };
        if p.modifier == Mod::Excluded {
            parsed.excluded.push(group);
        } else {
            parsed.groups.push(group);
        }
    }
    if parsed.groups.len() > MAX_TERMS || n_words > MAX_TERMS * 2 {
        parsed.notes.push(format!("the query has {n_words} words; only the first {MAX_TERMS} are used"));
        parsed.groups.truncate(MAX_TERMS);
    }
    if parsed.groups.is_empty() {
        return Err(if parsed.excluded.is_empty() { QueryError::Empty } else { QueryError::OnlyExcluded });
    }
    Ok(parsed)
}

/// A term with its operators resolved: its alternatives (text, typed as a
/// phrase) and whether it is required or excluded.
struct Pending {
    parts: Vec<(String, bool)>,
    modifier: Mod,
    /// Plain words typed in a row that spell an acronym's expansion.
    run: bool,
}

/// OR merges neighbours into one group, AND makes both neighbours required.
fn resolve_operators(lexemes: Vec<Lexeme>) -> Vec<Pending> {
    let mut pending: Vec<Pending> = Vec::new();
    let mut join_next = false;
    let mut require_next = false;
    for lx in lexemes {
        match lx {
            // "a OR b" joins b to a; an excluded word joins nothing.
            Lexeme::Or => join_next = pending.last().is_some_and(|p| p.modifier != Mod::Excluded),
            Lexeme::And => {
                if let Some(last) = pending.last_mut() {
                    if last.modifier == Mod::None {
                        last.modifier = Mod::Required;
                    }
                    require_next = true;
                }
            }
            Lexeme::Term { text, phrase, mut modifier } => {
                if analyze(&text).is_empty() {
                    continue;
                }
                if require_next && modifier == Mod::None {
                    modifier = Mod::Required;
                }
                require_next = false;
                if join_next && modifier != Mod::Excluded {
                    let last = pending.last_mut().expect("join_next implies a term before");
                    last.parts.push((text, phrase));
                } else {
                    pending.push(Pending { parts: vec![(text, phrase)], modifier, run: false });
                }
                join_next = false;
            }
        }
    }
    pending
}

/// Longest run of plain words that may spell an acronym's expansion.
const MAX_EXPANSION_WORDS: usize = 6;

/// Plain words in a row that spell an acronym's expansion become one
/// group: "independent reviewing officer" also finds "IRO".
fn merge_expansions(pending: Vec<Pending>) -> Vec<Pending> {
    let mut merged: Vec<Pending> = Vec::new();
    let mut k = 0;
    while k < pending.len() {
        match expansion_run(&pending[k..]) {
            Some((text, len)) => {
                merged.push(Pending { parts: vec![(text, false)], modifier: Mod::None, run: true });
                k += len;
            }
            None => {
                let p = &pending[k];
                merged.push(Pending { parts: p.parts.clone(), modifier: p.modifier.clone(), run: false });
                k += 1;
            }
        }
    }
    merged
}

/// The longest run of plain words at the start of `pending` that spells an
/// acronym's expansion, as text, and its length.
fn expansion_run(pending: &[Pending]) -> Option<(String, usize)> {
    for len in (2..=MAX_EXPANSION_WORDS).rev() {
        if len > pending.len() {
            continue;
        }
        let run = &pending[..len];
        if !run.iter().all(|p| p.parts.len() == 1 && !p.parts[0].1 && p.modifier == Mod::None) {
            continue;
        }
        let text = run.iter().map(|p| p.parts[0].0.as_str()).collect::<Vec<_>>().join(" ");
        let tokens = analyze(&text);
        if expansion_of(&tokens).is_some() || !equivalents_of(&tokens).is_empty() {
            return Some((text, len));
        }
    }
    None
}

/// A term's group: its alternatives with their acronym forms, labelled as
/// typed (`q` is the whole query); None when nothing of it can be searched.
fn group_of(p: &Pending, q: &str) -> Option<Group> {
    let mut alts = Vec::new();
    let mut labels = Vec::new();
    for (text, phrase) in &p.parts {
        labels.push(if *phrase { format!("\"{text}\"") } else { text.clone() });
        let tokens = analyze(text);
        if p.run {
            // The words as typed match anywhere, and the acronym is one
            // more way to match (no phrase boost inside one group: see
            // `Searcher::proximity`).
            push_unique(&mut alts, Alt { tokens: tokens.clone(), anywhere: true, via: None, equivalent: false });
        } else {
            push_unique(&mut alts, Alt::together(tokens.clone(), None));
        }
        if *phrase || p.run {
            if let Some((acr, exp)) = expansion_of(&tokens) {
                push_unique(&mut alts, Alt::together(analyze(&acr), Some(format!("{exp} = {acr}"))));
                // A phrase typed as the expansion is no quoted phrase to the user.
                if *phrase && (!text.contains(' ') || !q.contains('"')) {
                    labels.pop();
                    labels.push(text.clone());
                }
            }
        } else if let Some((_, extra)) = acronym_alts(text) {
            for alt in extra {
                push_unique(&mut alts, alt);
            }
        }
        if !*phrase {
            for (tokens, wording) in equivalents_of(&tokens) {
                let via = Some(format!("{} ~ {wording}", text.to_lowercase()));
                push_unique(&mut alts, Alt { tokens, anywhere: false, via, equivalent: true });
            }
        }
    }
    let group = Group { label: labels.join(" OR "), alts, required: p.modifier == Mod::Required, common: false };
    (!group.alts.is_empty()).then_some(group)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The initials test that skips stemming answers as comparing the
    /// lists of initials would, for every acronym's expansion.
    #[test]
    fn initials_are_compared_without_a_list() {
        let wanted: Vec<Vec<char>> = vec![vec![], vec!['i', 'r', 'o'], vec!['c', 'i', 'c'], vec!['l', 's', 'c', 'b']];
        let mut expansions: Vec<&str> = VOCAB.acronyms.iter().flat_map(|a| a.expansions()).collect();
        expansions.extend(["naïve café", "", "  ", "multi-agency safeguarding hub"]);
        let mut matched = 0;
        for e in expansions {
            for w in &wanted {
                let expected = initials(e).is_none_or(|i| i == *w);
                assert_eq!(initials_may_be(e, w), expected, "{e:?} {w:?}");
                matched += usize::from(expected);
            }
        }
        assert!(matched > 3, "some expansions match ({matched})");
    }

    /// Looking only at expansions with the same initials finds what
    /// stemming every expansion finds, for every expansion in the table.
    #[test]
    fn acronyms_are_ascii_as_acronym_alts_assumes() {
        assert!(VOCAB.acronyms.iter().all(|a| a.acronym.is_ascii()));
    }

    #[test]
    fn expansions_are_found_by_their_stems_alone() {
        for a in VOCAB.acronyms.iter() {
            for e in a.expansions() {
                let tokens = analyze(e);
                let first = VOCAB.acronyms.iter().find_map(|b| {
                    b.expansions().find(|f| analyze(f) == tokens).map(|f| (b.acronym.to_string(), f.to_lowercase()))
                });
                assert_eq!(expansion_of(&tokens), first, "{e}");
            }
        }
        let officers = analyze("independent reviewing officers");
        assert_eq!(expansion_of(&officers).map(|(acr, _)| acr), Some("IRO".to_string()));
        assert_eq!(expansion_of(&analyze("independent reviewing teams")), None);
    }

    fn toks(g: &Group) -> Vec<Vec<String>> {
        g.alts.iter().map(|a| a.tokens.clone()).collect()
    }

    #[test]
    fn words_phrases_and_operators() {
        let q = parse("unallocated \"care plans\" +IRO -agency").unwrap();
        assert_eq!(q.groups.len(), 3);
        assert_eq!(q.groups[0].alts[0].tokens, vec!["unalloc"]);
        assert_eq!(q.groups[1].alts[0].tokens, vec!["care", "plan"]);
        assert!(q.groups[2].required);
        assert_eq!(q.excluded[0].alts[0].tokens, vec!["agenc"]);
        let q = parse("neglect OR abuse").unwrap();
        assert_eq!(q.groups.len(), 1);
        assert_eq!(toks(&q.groups[0]), vec![vec!["neglect".to_string()], vec!["abus".to_string()]]);
        let q = parse("neglect AND abuse").unwrap();
        assert!(q.groups.iter().all(|g| g.required));
        // OR after an excluded word does not exclude the next one.
        let q = parse("neglect -police OR abuse").unwrap();
        assert_eq!(q.groups.len(), 2);
        assert_eq!(q.excluded.len(), 1);
    }

    #[test]
    fn acronyms_both_ways() {
        let q = parse("IRO capacity").unwrap();
        assert!(toks(&q.groups[0]).contains(&vec!["independ".to_string(), "review".to_string(), "offic".to_string()]));
        let q = parse("IROs").unwrap();
        assert_eq!(q.groups[0].alts[0].tokens, vec!["iro"]);
        assert!(q.groups[0].alts.len() > 1);
        let q = parse("independent reviewing officers").unwrap();
        assert_eq!(q.groups.len(), 1);
        assert!(toks(&q.groups[0]).contains(&vec!["iro".to_string()]));
    }

    #[test]
    fn words_typed_for_an_expansion_match_anywhere() {
        let q = parse("return home interviews").unwrap();
        assert_eq!(q.groups.len(), 1);
        let words = &q.groups[0].alts[0];
        assert!(words.anywhere && words.via.is_none());
        assert_eq!(words.tokens, vec!["return", "home", "interview"]);
        assert!(toks(&q.groups[0]).contains(&vec!["rhi".to_string()]));
        // "in" of "children in care" is not asked for.
        let q = parse("children in care").unwrap();
        assert_eq!(q.groups[0].alts[0].content_tokens(), vec!["children", "care"]);
    }

    #[test]
    fn equivalent_wordings_are_marked() {
        let q = parse("lockdown").unwrap();
        let pandemic = q.groups[0].alts.iter().find(|a| a.tokens == ["pandem"]).expect("pandemic");
        assert!(pandemic.equivalent);
        assert_eq!(pandemic.via.as_deref(), Some("lockdown ~ pandemic"));
        assert!(!q.groups[0].alts[0].equivalent);
        // A run of words that is a wording in the table is one group.
        let q = parse("case loads too high").unwrap();
        assert!(toks(&q.groups[0]).contains(&vec!["caseload".to_string()]));
        // Quoted: none.
        assert_eq!(parse("\"lockdown\"").unwrap().groups[0].alts.len(), 1);
    }

    #[test]
    fn lenient_and_refused_queries() {
        assert_eq!(parse(""), Err(QueryError::Empty));
        assert_eq!(parse("  \"\" "), Err(QueryError::Empty));
        assert_eq!(parse("-agency"), Err(QueryError::OnlyExcluded));
        let q = parse("\"unallocated cases").unwrap();
        assert_eq!(q.groups[0].alts[0].tokens, vec!["unalloc", "case"]);
        assert_eq!(q.notes.len(), 1);
        assert!(parse("AND OR AND").is_err());
        let long = "word ".repeat(10_000);
        assert_eq!(parse(&long).unwrap().groups.len(), 64);
    }

    #[test]
    fn negations_are_words() {
        let q = parse("no unallocated cases").unwrap();
        assert_eq!(q.groups[0].alts[0].tokens, vec!["no"]);
    }
}
