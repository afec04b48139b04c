//! A scorer made of a search that, from any paragraph on, finds the next
//! match: the walking (`advance`, `seek`) is written once here, the finding
//! and scoring by each kind (`pairs::Checked`, `count::Within`).

use tantivy::query::Scorer;
use tantivy::{DocId, DocSet, Score, TERMINATED};

pub(crate) trait NextMatch: Send + 'static {
    /// The first match from `target` on, or `TERMINATED`.
    fn next_match(&mut self, target: DocId) -> DocId;
    /// The score of `doc`, the match last found.
    fn score(&mut self, doc: DocId) -> Score;
    fn size_hint(&self) -> u32;
}

/// The matches of `M` as a tantivy scorer, on the first from the start.
pub(crate) struct Matches<M> {
    inner: M,
    doc: DocId,
}

impl<M: NextMatch> Matches<M> {
    pub fn new(mut inner: M) -> Matches<M> {
        let doc = inner.next_match(0);
        Matches { inner, doc }
    }
}

impl<M: NextMatch> DocSet for Matches<M> {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.inner.next_match(self.doc + 1);
        }
        self.doc
    }
    fn seek(&mut self, target: DocId) -> DocId {
        if target > self.doc {
            self.doc = self.inner.next_match(target);
        }
        self.doc
    }
    fn doc(&self) -> DocId {
        self.doc
    }
    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl<M: NextMatch> Scorer for Matches<M> {
    fn score(&mut self) -> Score {
        self.inner.score(self.doc)
    }
}
