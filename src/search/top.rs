//! The best paragraphs of a query in a stable order: by score, then report
//! id and paragraph number (read from fast fields, not stored documents), so
//! equal scores come out the same however the index's segments were laid
//! out by the writer's threads or by runs of `insp index`.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::{Arc, OnceLock};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentReader};

/// A score as it orders paragraphs: rounded to 16 significant bits
/// (a relative step of 2^-16). tantivy adds a paragraph's word scores in
/// an order that depends on where the paragraph lies in the index (which
/// lists have run out, which block-max WAND visits first), so the same
/// text can score a float step apart in two places or two builds; rounded,
/// such scores tie and are ordered by report and paragraph. (Two sums that
/// straddle a rounding step still differ: about one pair in 256.)
pub(crate) fn rank_key(score: Score) -> Score {
    if !score.is_finite() || score <= 0.0 {
        return score;
    }
    Score::from_bits((score.to_bits() + ROUND_HALF) & !ROUND_MASK)
}

/// The low bits of an f32's 23-bit mantissa that `rank_key` rounds away.
const ROUND_MASK: u32 = 0xFF;
const ROUND_HALF: u32 = 0x80;

/// The least score whose `rank_key` is `key` (a positive key).
fn least_with_key(key: Score) -> Score {
    if !key.is_finite() || key <= 0.0 { key } else { Score::from_bits(key.to_bits() - ROUND_HALF) }
}

/// A ranked paragraph: its score and the key that orders equal scores.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    pub score: Score,
    pub para: u64,
    pub addr: DocAddress,
    /// The report id's term ordinal in its segment's column (which sorts
    /// as the ids do within the segment).
    report_ord: u64,
    /// With `Columns::by_date`, the paragraph's date (0 if it has none).
    pub date: u64,
}

impl Ranked {
    /// A paragraph whose report's term ordinal in its segment is known.
    pub fn new(score: Score, para: u64, addr: DocAddress, report_ord: u64) -> Ranked {
        Ranked { score, para, addr, report_ord, date: 0 }
    }
}

/// The order of report ids across segments: within a segment the report
/// column's term ordinals sort as the ids do; across segments the ids are
/// compared, each segment's read from its column's dictionary on first use
/// (only when two segments' paragraphs tie, or for hits per report).
pub(crate) struct ReportOrder {
    searcher: tantivy::Searcher,
    column: String,
    /// Per segment, its report ids in term order.
    ids: Vec<OnceLock<Vec<String>>>,
}

impl ReportOrder {
    pub fn new(searcher: tantivy::Searcher, column: String) -> ReportOrder {
        let ids = searcher.segment_readers().iter().map(|_| OnceLock::new()).collect();
        ReportOrder { searcher, column, ids }
    }

    /// A segment's report ids, by term ordinal (a dictionary read in order
    /// is far cheaper than looking its terms up one by one).
    fn segment_ids(&self, segment: u32) -> &[String] {
        let Some(cell) = self.ids.get(segment as usize) else { return &[] };
        cell.get_or_init(|| {
            let mut ids = Vec::new();
            let reader = self.searcher.segment_reader(segment);
            if let Ok(Some(column)) = reader.fast_fields().str(&self.column)
                && let Ok(mut stream) = column.dictionary().stream()
            {
                while stream.advance() {
                    ids.push(String::from_utf8_lossy(stream.key()).into_owned());
                }
            }
            ids
        })
    }

    /// The report a ranked paragraph belongs to ("" if it has none).
    pub fn report_id(&self, r: &Ranked) -> &str {
        let ids = self.segment_ids(r.addr.segment_ord);
        usize::try_from(r.report_ord).ok().and_then(|i| ids.get(i)).map_or("", String::as_str)
    }

    /// Sort best first: higher score, then report id, then paragraph.
    pub fn sort(&self, ranked: &mut [Ranked]) {
        self.sort_by(ranked, |r| r, |a, b| rank_key(b.score).total_cmp(&rank_key(a.score)));
    }

    /// Sort by `cmp`, then what `cmp` finds equal by report id and
    /// paragraph. The ids of two segments' paragraphs are read once per run
    /// of equal items (within a segment, term ordinals order them).
    pub fn sort_by<T>(&self, items: &mut [T], ranked: impl Fn(&T) -> &Ranked, cmp: impl Fn(&T, &T) -> Ordering) {
        items.sort_by(&cmp);
        let mut i = 0;
        while i < items.len() {
            let j = i + items[i..].iter().take_while(|t| cmp(&items[i], t).is_eq()).count();
            let run = &mut items[i..j];
            let segment = |t: &T| ranked(t).addr.segment_ord;
            if run.iter().all(|t| segment(t) == segment(&run[0])) {
                run.sort_by_key(|t| (ranked(t).report_ord, ranked(t).para));
            } else {
                // No report id (u64::MAX) last, as within a segment.
                run.sort_by(|a, b| {
                    let (a, b) = (ranked(a), ranked(b));
                    let key = |r: &Ranked| (r.report_ord == u64::MAX, self.report_id(r), r.para);
                    key(a).cmp(&key(b))
                });
            }
            i = j;
        }
    }
}

/// The length prior: a paragraph's score scaled by its number of words.
pub(crate) type Prior = fn(u64) -> Score;

/// The column names the collector reads (the codec names them).
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    pub report_id: String,
    pub para: String,
    /// With it, each score is scaled by `prior(n_words)` as it is collected.
    pub n_words: Option<(String, Prior)>,
    /// With it, newest first by this date column, then by score (no
    /// skipping blocks by score: an older paragraph cannot outrank a newer
    /// one however it scores).
    pub by_date: Option<String>,
}

/// The best `limit` paragraphs of a query in `rank_order`. Alone, it lets
/// tantivy skip blocks that cannot reach the current cut (block-max WAND
/// for unions of words) while keeping every paragraph that ties with it.
pub(crate) struct StableTop {
    pub limit: usize,
    pub columns: Columns,
    pub order: Arc<ReportOrder>,
}

/// One segment's candidates. Within a segment the report column's term
/// ordinals sort as the report ids do, so ids are read only at harvest.
pub(crate) struct SegmentTop {
    segment_ord: u32,
    limit: usize,
    report: Option<StrColumn>,
    para: Column<u64>,
    prior: Option<(Column<u64>, Prior)>,
    date: Option<Column<u64>>,
    /// The worst kept candidate on top.
    heap: BinaryHeap<Reverse<Entry>>,
}

/// A candidate within a segment; greater is better.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Newest first when ranking by date; otherwise 0.
    date: u64,
    score: Score,
    report_ord: u64,
    para: u64,
    doc: DocId,
}

impl Ord for Entry {
    fn cmp(&self, other: &Entry) -> Ordering {
        self.date
            .cmp(&other.date)
            .then(rank_key(self.score).total_cmp(&rank_key(other.score)))
            .then(other.report_ord.cmp(&self.report_ord))
            .then(other.para.cmp(&self.para))
            .then(other.doc.cmp(&self.doc))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Entry) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}

impl SegmentTop {
    /// Scores at or below this cannot enter, even as ties (a score only
    /// shrinks by the prior, so a raw score below the cut stays below).
    fn threshold(&self) -> Score {
        if self.date.is_some() {
            return Score::MIN;
        }
        match self.heap.peek() {
            Some(Reverse(worst)) if self.heap.len() == self.limit => least_with_key(rank_key(worst.score)).next_down(),
            _ => Score::MIN,
        }
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        // The prior only lowers a score: a raw score below the worst kept
        // cannot enter, and its columns need not be read.
        let full = self.heap.len() == self.limit && self.date.is_none();
        if full && self.heap.peek().is_some_and(|Reverse(w)| rank_key(score) < rank_key(w.score)) {
            return;
        }
        let score = match &self.prior {
            Some((column, prior)) => score * column.first(doc).map_or(1.0, prior),
            None => score,
        };
        if full
            && self.prior.is_some()
            && self.heap.peek().is_some_and(|Reverse(w)| rank_key(score) < rank_key(w.score))
        {
            return;
        }
        let report_ord = self.report.as_ref().and_then(|c| c.ords().first(doc)).unwrap_or(u64::MAX);
        let date = self.date.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        let entry = Entry { date, score, report_ord, para: self.para.first(doc).unwrap_or(0), doc };
        if self.heap.len() < self.limit {
            self.heap.push(Reverse(entry));
        } else if self.heap.peek().is_some_and(|Reverse(w)| entry > *w) {
            self.heap.pop();
            self.heap.push(Reverse(entry));
        }
    }

    fn harvest(self) -> Vec<Ranked> {
        self.heap
            .into_iter()
            .map(|Reverse(e)| Ranked {
                score: e.score,
                para: e.para,
                addr: DocAddress::new(self.segment_ord, e.doc),
                report_ord: e.report_ord,
                date: e.date,
            })
            .collect()
    }
}

impl Collector for StableTop {
    type Fruit = Vec<Ranked>;
    type Child = SegmentTop;

    fn for_segment(&self, segment_ord: u32, reader: &SegmentReader) -> tantivy::Result<SegmentTop> {
        let fast = reader.fast_fields();
        let c = &self.columns;
        let prior = match &c.n_words {
            Some((name, f)) => Some((fast.u64(name)?, *f)),
            None => None,
        };
        Ok(SegmentTop {
            segment_ord,
            limit: self.limit.max(1),
            report: fast.str(&c.report_id)?,
            para: fast.u64(&c.para)?,
            prior,
            date: match &c.by_date {
                Some(name) => Some(fast.u64(name)?),
                None => None,
            },
            heap: BinaryHeap::with_capacity(self.limit.clamp(1, 4096)),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        let mut all: Vec<Ranked> = fruits.into_iter().flatten().collect();
        if self.columns.by_date.is_some() {
            self.order.sort_by(
                &mut all,
                |r| r,
                |a, b| b.date.cmp(&a.date).then(rank_key(b.score).total_cmp(&rank_key(a.score))),
            );
        } else {
            self.order.sort(&mut all);
        }
        all.truncate(self.limit);
        Ok(all)
    }

    /// Like tantivy's own top-score collection: the weight may skip what
    /// cannot beat the cut, which here lets ties through.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<Ranked>> {
        let mut top = self.for_segment(segment_ord, reader)?;
        let alive = reader.alive_bitset();
        let mut threshold = Score::MIN;
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                top.collect(doc, score);
                threshold = top.threshold();
            }
            threshold
        })?;
        Ok(top.harvest())
    }
}

#[cfg(test)]
mod tests {
    use super::{least_with_key, rank_key};

    /// Rounding keeps the order of scores, ties scores a float step apart,
    /// and `least_with_key` is the first score of its key.
    #[test]
    fn rank_keys_round_without_reordering() {
        let mut s = 0.001f32;
        let mut keys = Vec::new();
        while s < 100.0 {
            keys.push((s, rank_key(s)));
            s = s * 1.0007 + 1e-7;
        }
        for w in keys.windows(2) {
            assert!(w[0].1 <= w[1].1, "{:?}", w);
        }
        for &(s, k) in &keys {
            assert!((k - s).abs() <= s * 1e-4, "{s} {k}");
            assert_eq!(rank_key(least_with_key(k)), k);
            assert!(rank_key(least_with_key(k).next_down()) < k);
        }
        let x = 3.743_f32;
        assert_eq!(rank_key(x), rank_key(x.next_up()), "a float step apart: one key (away from a rounding step)");
        assert_eq!((rank_key(0.0), rank_key(-1.0)), (0.0, -1.0));
    }
}
