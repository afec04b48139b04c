//! `--sort date`: the tiers as by score (paragraphs with every word first),
//! each newest first, then by score.

use super::top::Ranked;
use super::{Scored, SearchError, Searcher};
use tantivy::collector::Count;
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
    /// Each tier's newest `fetch` paragraphs, the second tier only as far
    /// as the first leaves room, in the order shown: tier, newest first
    /// (undated last), score, report, paragraph; the number of paragraphs
    /// in all, and in the first tier.
    pub(super) fn by_date(
        &self,
        tier1: &dyn Query,
        tier2: Option<&dyn Query>,
        fetch: usize,
    ) -> Result<(Vec<Scored>, usize, usize), SearchError> {
        let (top1, n1) = self.newest(tier1, fetch)?;
        let mut dated: Vec<(bool, u64, Ranked)> = top1.into_iter().map(|(date, r)| (true, date, r)).collect();
        let mut total = n1;
        if let Some(t2) = tier2 {
            let (top2, n2) = self.newest(t2, fetch.saturating_sub(dated.len()).max(1))?;
            if dated.len() < fetch {
                dated.extend(top2.into_iter().map(|(date, r)| (false, date, r)));
            }
            total += n2;
        }
        self.order.sort_by(
            &mut dated,
            |d| &d.2,
            |a, b| {
                b.0.cmp(&a.0)
                    .then(b.1.cmp(&a.1))
                    .then(super::top::rank_key(b.2.score).total_cmp(&super::top::rank_key(a.2.score)))
            },
        );
        let scored = dated.into_iter().map(|(all_words, _, ranked)| Scored::lexical(ranked, all_words)).collect();
        Ok((scored, total, n1))
    }

    /// A query's newest `n` paragraphs by the `date` column, with their
    /// dates and BM25 scores, and how many match. Equal dates and scores
    /// come in report and paragraph order, as by score (`top::StableTop`).
    fn newest(&self, query: &dyn Query, n: usize) -> Result<(Vec<(u64, Ranked)>, usize), SearchError> {
        let mut collector = self.stable_top(n, false);
        collector.columns.by_date = Some(self.store.codec.column(self.store.codec.fields.date).to_string());
        let (top, count) = self.scored(query, &(collector, Count))?;
        Ok((top.into_iter().map(|r| (r.date, r)).collect(), count))
    }
}
