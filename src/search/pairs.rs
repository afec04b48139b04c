//! Phrases through the pairs field (`text_pairs`): a two-word phrase is one
//! pair of adjacent words, whose postings give the paragraphs holding it and
//! how often, without reading a word position; a longer phrase is its pairs
//! one after another, checked on the pairs' positions (a pair's list is far
//! shorter than a common word's: "children" against "children board").
//! Scored as tantivy's `PhraseQuery` scores (BM25 of the phrase's frequency,
//! the words' IDF summed, the text's length), so a phrase ranks as before.

use super::matches::{Matches, NextMatch};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, PhraseQuery, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// The words of a phrase (text field) and its adjacent pairs (pairs field).
#[derive(Clone, Debug)]
pub struct PairPhraseQuery {
    words: Vec<Term>,
    pairs: Vec<Term>,
}

impl PairPhraseQuery {
    /// `pairs` holds `words.len() - 1` terms: each word with the next.
    pub fn new(words: Vec<Term>, pairs: Vec<Term>) -> PairPhraseQuery {
        debug_assert!(words.len() >= 2 && pairs.len() + 1 == words.len());
        PairPhraseQuery { words, pairs }
    }
}

impl Query for PairPhraseQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match scoring {
            EnableScoring::Enabled { statistics_provider, .. } => {
                Some(Bm25Weight::for_terms(statistics_provider, &self.words)?)
            }
            EnableScoring::Disabled { .. } => None,
        };
        // Explanations, in tantivy's own words for a phrase.
        let phrase = PhraseQuery::new(self.words.clone()).weight(scoring)?;
        Ok(Box::new(PairPhraseWeight { bm25, pairs: self.pairs.clone(), text: self.words[0].field(), phrase }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for t in &self.words {
            visitor(t, true);
        }
    }
}

struct PairPhraseWeight {
    bm25: Option<Bm25Weight>,
    pairs: Vec<Term>,
    text: Field,
    phrase: Box<dyn Weight>,
}

impl Weight for PairPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let option =
            if self.pairs.len() == 1 { IndexRecordOption::WithFreqs } else { IndexRecordOption::WithFreqsAndPositions };
        let mut pairs = Vec::with_capacity(self.pairs.len());
        for pair in &self.pairs {
            match reader.inverted_index(pair.field())?.read_postings(pair, option)? {
                Some(p) => pairs.push(p),
                None => return Ok(Box::new(EmptyScorer)),
            }
        }
        let fieldnorms = match &self.bm25 {
            Some(_) => reader.fieldnorms_readers().get_field(self.text)?,
            None => None,
        }
        .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
        let bm25 = self.bm25.as_ref().map(|w| w.boost_by(boost));
        if pairs.len() == 1 {
            let postings = pairs.pop().expect("one pair");
            return Ok(Box::new(PairScorer { postings, fieldnorms, bm25 }));
        }
        let checked = Checked { pairs, fieldnorms, bm25, count: 0, starts: Vec::new(), positions: Vec::new() };
        Ok(Box::new(Matches::new(checked)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.phrase.explain(reader, doc)
    }
}

/// A two-word phrase: the pair's postings, scored as the phrase.
struct PairScorer {
    postings: SegmentPostings,
    fieldnorms: FieldNormReader,
    bm25: Option<Bm25Weight>,
}

impl DocSet for PairScorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }
    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }
    fn doc(&self) -> DocId {
        self.postings.doc()
    }
    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for PairScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(w) => w.score(self.fieldnorms.fieldnorm_id(self.doc()), self.postings.term_freq()),
            None => 1.0,
        }
    }
}

/// A longer phrase: the paragraphs holding every pair, where the pairs
/// stand one after another (pair i at the phrase's start plus i).
struct Checked {
    pairs: Vec<SegmentPostings>,
    fieldnorms: FieldNormReader,
    bm25: Option<Bm25Weight>,
    /// How often the phrase stands in the match last found.
    count: u32,
    /// Scratch: the phrase's possible starts, and one pair's positions.
    starts: Vec<u32>,
    positions: Vec<u32>,
}

impl NextMatch for Checked {
    /// The first match from `target` on.
    fn next_match(&mut self, mut target: DocId) -> DocId {
        loop {
            let d = self.next_candidate(target);
            if d == TERMINATED {
                self.count = 0;
                return d;
            }
            self.count = self.phrase_count();
            if self.count > 0 {
                return d;
            }
            target = d + 1;
        }
    }

    fn score(&mut self, doc: DocId) -> Score {
        match &self.bm25 {
            Some(w) => w.score(self.fieldnorms.fieldnorm_id(doc), self.count),
            None => 1.0,
        }
    }

    fn size_hint(&self) -> u32 {
        self.pairs.iter().map(|p| p.size_hint()).min().unwrap_or(0)
    }
}

impl Checked {
    /// The first paragraph from `target` on that holds every pair.
    fn next_candidate(&mut self, mut target: DocId) -> DocId {
        'again: loop {
            if target == TERMINATED {
                return TERMINATED;
            }
            for p in &mut self.pairs {
                let d = if p.doc() < target { p.seek(target) } else { p.doc() };
                if d > target {
                    target = d;
                    continue 'again;
                }
            }
            return target;
        }
    }

    /// How often the pairs stand one after another in the current
    /// candidate: the starts common to every pair's positions less its
    /// place in the phrase.
    fn phrase_count(&mut self) -> u32 {
        self.pairs[0].positions(&mut self.starts);
        for (i, p) in self.pairs.iter_mut().enumerate().skip(1) {
            p.positions(&mut self.positions);
            let shift = i as u32;
            let mut at = 0;
            self.starts.retain(|&s| {
                while at < self.positions.len() && self.positions[at] < s + shift {
                    at += 1;
                }
                at < self.positions.len() && self.positions[at] == s + shift
            });
            if self.starts.is_empty() {
                return 0;
            }
        }
        self.starts.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::analyze;
    use tantivy::collector::{Count, TopDocs};

    /// Through the pairs, a phrase finds the paragraphs tantivy's own
    /// phrase query finds, with the same scores, however long it is.
    #[test]
    fn pairs_find_and_score_what_phrases_do() {
        let (store, _tmp) = crate::search::sample_store();
        let searcher = store.reader().unwrap().searcher();
        let codec = &store.codec;
        let mut found = 0;
        for phrase in [
            "care leavers",
            "child protection",
            "private fostering",
            "social care",
            "independent reviewing officer",
            "children in care",
            "local safeguarding children board",
            "the quality of",
            "of the of",
            "not allocated",
        ] {
            let tokens = analyze(phrase);
            let words: Vec<Term> = tokens.iter().map(|t| codec.text_term(t)).collect();
            let pairs = tokens.windows(2).map(|w| codec.pair_term(&w[0], &w[1])).collect();
            let ours = PairPhraseQuery::new(words.clone(), pairs);
            let theirs = PhraseQuery::new(words);
            let n = searcher.search(&theirs, &Count).unwrap();
            assert_eq!(searcher.search(&ours, &Count).unwrap(), n, "{phrase}");
            let top = |q: &dyn Query| searcher.search(q, &TopDocs::with_limit(1000).order_by_score()).unwrap();
            let (a, b) = (top(&ours), top(&theirs));
            assert_eq!(a.len(), b.len(), "{phrase}");
            let key = |v: &[(Score, tantivy::DocAddress)]| {
                let mut k: Vec<(tantivy::DocAddress, u32)> = v.iter().map(|(s, d)| (*d, s.to_bits())).collect();
                k.sort();
                k
            };
            assert_eq!(key(&a), key(&b), "{phrase}: the same paragraphs with the same scores");
            if n > 0 {
                found += 1;
                let e = ours.explain(&searcher, b[0].1).unwrap();
                assert_eq!(e.value(), b[0].0, "{phrase}: explained as scored");
            }
        }
        assert!(found >= 7, "most phrases are in the samples ({found})");
    }
}
