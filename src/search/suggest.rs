//! "Did you mean …?": the indexed words nearest a query word that matches
//! nothing, shown as they are written in the reports.

use super::{SearchError, Searcher};
use crate::index::schema::english_analyzer;
use crate::vocab::levenshtein;
use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};
use std::collections::HashMap;
use std::sync::LazyLock;
use tantivy::TantivyDocument;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

impl Searcher<'_> {
    /// Up to three indexed words within a small edit distance of `token`
    /// (a stemmed query word), commonest first.
    pub fn suggest(&self, token: &str) -> Result<Vec<String>, SearchError> {
        let max_distance = if token.chars().count() <= 4 { 1 } else { 2 };
        let mut found: HashMap<String, (usize, u64)> = HashMap::new();
        let field = self.store.codec.fields.text;
        for segment in self.searcher.segment_readers() {
            let index = segment.inverted_index(field)?;
            // Only the terms within reach are visited, not the whole dictionary.
            let dfa = Dfa(BUILDERS[max_distance - 1].build_dfa(token));
            let mut stream =
                index.terms().search(dfa).into_stream().map_err(|e| SearchError::Corrupt(e.to_string()))?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
                if term == token {
                    continue;
                }
                let d = levenshtein(token, term);
                if d <= max_distance {
                    let e = found.entry(term.to_string()).or_insert((d, 0));
                    e.1 += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut terms: Vec<(String, (usize, u64))> = found.into_iter().collect();
        terms.sort_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)).then(a.0.cmp(&b.0)));
        let mut out = Vec::new();
        for (term, _) in terms.into_iter().take(3) {
            out.push(self.surface_form(&term)?.unwrap_or(term));
        }
        Ok(out)
    }
}

/// Levenshtein automata for distances 1 and 2 (costly to build, so built once).
static BUILDERS: LazyLock<[LevenshteinAutomatonBuilder; 2]> =
    LazyLock::new(|| [LevenshteinAutomatonBuilder::new(1, false), LevenshteinAutomatonBuilder::new(2, false)]);

/// A Levenshtein DFA as the term dictionary's automaton.
struct Dfa(DFA);

impl tantivy_fst::Automaton for Dfa {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

impl Searcher<'_> {
    /// A word as a report writes it whose stem is `term` ("safeguarding" for "safeguard").
    fn surface_form(&self, term: &str) -> Result<Option<String>, SearchError> {
        let q = TermQuery::new(self.store.codec.text_term(term), IndexRecordOption::Basic);
        // Equal scores in report and paragraph order: the same word from
        // the same reports, however the index's documents were laid out.
        let top = self.scored(&q, &self.stable_top(1, false))?;
        let Some(best) = top.first() else { return Ok(None) };
        let doc: TantivyDocument = self.searcher.doc(best.addr)?;
        let text = self.store.codec.paragraph(&doc).map(|p| p.paragraph.text).unwrap_or_default();
        let mut analyzer = english_analyzer();
        let mut stream = analyzer.token_stream(&text);
        while let Some(t) = stream.next() {
            if t.text == term {
                return Ok(Some(text[t.offset_from..t.offset_to].to_lowercase()));
            }
        }
        Ok(None)
    }
}
