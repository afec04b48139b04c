//! `--sort date`: the tiers as by score (paragraphs with every word first),
//! each newest first, then by score.

use super::{Candidate, Scored, SearchError, Searcher};
use tantivy::DocAddress;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;

/// The order of hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Sort {
    /// Paragraphs with every word first, then by relevance.
    #[default]
    Score,
    /// Paragraphs with every word first, then newest first (inspection
    /// start, else publication), then by relevance.
    Date,
}

impl Searcher<'_> {
    /// Each tier's newest `fetch` paragraphs (ties on the date by score),
    /// the second tier only as far as the first leaves room; the number of
    /// paragraphs in all, and in the first tier.
    pub(super) fn by_date(
        &self,
        tier1: &dyn Query,
        tier2: Option<&dyn Query>,
        fetch: usize,
    ) -> Result<(Vec<Scored>, usize, usize), SearchError> {
        let (top1, n1) = self.newest(tier1, fetch)?;
        let mut scored: Vec<Scored> =
            top1.into_iter().map(|(score, addr)| Scored { score, addr, all_words: true }).collect();
        let mut total = n1;
        if let Some(t2) = tier2 {
            let (top2, n2) = self.newest(t2, fetch.saturating_sub(scored.len()).max(1))?;
            if scored.len() < fetch {
                scored.extend(top2.into_iter().map(|(score, addr)| Scored { score, addr, all_words: false }));
            }
            total += n2;
        }
        Ok((scored, total, n1))
    }

    /// A query's newest `n` paragraphs by the `date` column, with their
    /// BM25 scores, and how many match.
    fn newest(&self, query: &dyn Query, n: usize) -> Result<(Vec<(f32, DocAddress)>, usize), SearchError> {
        let name = self.store.codec.column(self.store.codec.fields.date).to_string();
        let collector = TopDocs::with_limit(n).tweak_score(move |segment: &tantivy::SegmentReader| {
            let column = segment.fast_fields().u64(&name).ok().map(|c| c.first_or_default_col(0));
            move |doc: tantivy::DocId, score: tantivy::Score| (column.as_ref().map_or(0, |c| c.get_val(doc)), score)
        });
        let (top, count) = self.searcher.search(query, &(collector, Count))?;
        Ok((top.into_iter().map(|((_, score), addr)| (score, addr)).collect(), count))
    }
}

/// Candidates in the order hits are shown by date: tier, newest first
/// (undated last), score, report, paragraph.
pub(super) fn newest_first(candidates: &mut [Candidate]) {
    candidates.sort_by(|a, b| {
        b.scored
            .all_words
            .cmp(&a.scored.all_words)
            .then_with(|| b.report.date().cmp(&a.report.date()))
            .then(b.scored.score.total_cmp(&a.scored.score))
            .then_with(|| a.report.report_id.cmp(&b.report.report_id))
            .then(a.paragraph.para.cmp(&b.paragraph.para))
    });
}
