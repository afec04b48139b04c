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

/// A ranked paragraph: its score and the key that orders equal scores.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    pub score: Score,
    pub para: u64,
    pub addr: DocAddress,
    /// The report id's term ordinal in its segment's column (which sorts
    /// as the ids do within the segment).
    report_ord: u64,
}

impl Ranked {
    /// A paragraph whose report's term ordinal in its segment is known.
    pub fn new(score: Score, para: u64, addr: DocAddress, report_ord: u64) -> Ranked {
        Ranked { score, para, addr, report_ord }
    }

    /// A paragraph put in another order than by score (`--sort date`),
    /// with the key that orders equal ones, read from its columns.
    pub fn at(searcher: &tantivy::Searcher, columns: &Columns, score: Score, addr: DocAddress) -> Ranked {
        let fast = searcher.segment_reader(addr.segment_ord).fast_fields();
        let report_ord =
            fast.str(&columns.report_id).ok().flatten().and_then(|c| c.ords().first(addr.doc_id)).unwrap_or(u64::MAX);
        let para = fast.u64(&columns.para).ok().and_then(|c| c.first(addr.doc_id)).unwrap_or(0);
        Ranked { score, para, addr, report_ord }
    }
}

/// The order of the report ids across segments, read from the report
/// column's dictionaries once per searcher, and only when equal scores
/// from two segments (or hits per report) need it.
pub(crate) struct ReportOrder {
    searcher: tantivy::Searcher,
    column: String,
    /// Per segment, each term ordinal's rank among all ids; and the ids.
    table: OnceLock<(Vec<Vec<u32>>, Vec<String>)>,
}

impl ReportOrder {
    pub fn new(searcher: tantivy::Searcher, column: String) -> ReportOrder {
        ReportOrder { searcher, column, table: OnceLock::new() }
    }

    fn table(&self) -> &(Vec<Vec<u32>>, Vec<String>) {
        self.table.get_or_init(|| {
            let mut per_segment: Vec<Vec<String>> = Vec::new();
            for reader in self.searcher.segment_readers() {
                let mut ids = Vec::new();
                if let Ok(Some(column)) = reader.fast_fields().str(&self.column)
                    && let Ok(mut stream) = column.dictionary().stream()
                {
                    while stream.advance() {
                        ids.push(String::from_utf8_lossy(stream.key()).into_owned());
                    }
                }
                per_segment.push(ids);
            }
            let mut all: Vec<String> = per_segment.iter().flatten().cloned().collect();
            all.sort_unstable();
            all.dedup();
            let rank = |id: &String| all.binary_search(id).unwrap_or(0) as u32;
            let ranks = per_segment.iter().map(|ids| ids.iter().map(rank).collect()).collect();
            (ranks, all)
        })
    }

    /// The global rank of a paragraph's report.
    fn rank(&self, r: &Ranked) -> u32 {
        let ranks = &self.table().0;
        ranks.get(r.addr.segment_ord as usize).and_then(|s| s.get(r.report_ord as usize)).copied().unwrap_or(u32::MAX)
    }

    /// The report a ranked paragraph belongs to.
    pub fn report_id(&self, r: &Ranked) -> &str {
        self.table().1.get(self.rank(r) as usize).map_or("", String::as_str)
    }

    /// Equal scores: report id, then paragraph number.
    pub fn cmp_key(&self, a: &Ranked, b: &Ranked) -> Ordering {
        let report = if a.addr.segment_ord == b.addr.segment_ord {
            a.report_ord.cmp(&b.report_ord)
        } else {
            self.rank(a).cmp(&self.rank(b))
        };
        report.then(a.para.cmp(&b.para))
    }

    /// Sort best first: higher score, then report id, then paragraph.
    pub fn sort(&self, ranked: &mut [Ranked]) {
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| self.cmp_key(a, b)));
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
    /// With it, paragraphs whose string column holds this value are left
    /// out (boilerplate, by default): the query itself can then stay a
    /// pure intersection of words, which tantivy ranks with block-max WAND.
    pub skip: Option<(String, String)>,
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
    /// The column and the term ordinal in it of the value to leave out.
    skip: Option<(Column<u64>, u64)>,
    /// The worst kept candidate on top.
    heap: BinaryHeap<Reverse<Entry>>,
}

/// A candidate within a segment; greater is better.
#[derive(Debug, Clone, Copy)]
struct Entry {
    score: Score,
    report_ord: u64,
    para: u64,
    doc: DocId,
}

impl Ord for Entry {
    fn cmp(&self, other: &Entry) -> Ordering {
        self.score
            .total_cmp(&other.score)
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
        match self.heap.peek() {
            Some(Reverse(worst)) if self.heap.len() == self.limit => worst.score.next_down(),
            _ => Score::MIN,
        }
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some((column, ord)) = &self.skip
            && column.first(doc) == Some(*ord)
        {
            return;
        }
        let score = match &self.prior {
            Some((column, prior)) => score * column.first(doc).map_or(1.0, prior),
            None => score,
        };
        if self.heap.len() == self.limit && self.heap.peek().is_some_and(|Reverse(w)| score < w.score) {
            return;
        }
        let report_ord = self.report.as_ref().and_then(|c| c.ords().first(doc)).unwrap_or(u64::MAX);
        let entry = Entry { score, report_ord, para: self.para.first(doc).unwrap_or(0), doc };
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
        let mut skip = None;
        if let Some((name, value)) = &c.skip
            && let Some(column) = fast.str(name)?
            && let Some(ord) = column.dictionary().term_ord(value)?
        {
            skip = Some((column.ords().clone(), ord));
        }
        Ok(SegmentTop {
            segment_ord,
            limit: self.limit.max(1),
            report: fast.str(&c.report_id)?,
            para: fast.u64(&c.para)?,
            prior,
            skip,
            heap: BinaryHeap::with_capacity(self.limit.clamp(1, 4096)),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        let mut all: Vec<Ranked> = fruits.into_iter().flatten().collect();
        self.order.sort(&mut all);
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
