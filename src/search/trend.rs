//! Trends: for each bucket (a year, an overall grade, a section's grade, a
//! report type, an authority), how many reports mention a topic out of how
//! many reports there are, and how many paragraphs.
//!
//! A report mentions a query when one of its paragraphs is in the query's
//! first tier (every word; the filters apply, so boilerplate is left out by
//! default). The denominator is the reports (or paragraphs) of the bucket
//! that pass the filters: a report counts where it has at least one such
//! paragraph. Counts are read from posting lists and columns, never from
//! stored paragraphs.

use super::facets::Facet;
use super::{Filters, SearchError, Searcher};
use crate::report::ReportInfo;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

/// A bucket with fewer reports than this is marked `small`: a share of
/// three reports is not a trend.
pub const SMALL_BUCKET: usize = 5;

/// What a trend's buckets are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrendBy {
    /// The year of the inspection (its first day; else of publication).
    Year,
    /// The report's overall effectiveness grade ("none" for reports without
    /// one: visits, letters).
    Overall,
    /// The grade of the section a paragraph stands in: a report counts under
    /// every grade its sections have ("none": ungraded sections).
    Grade,
    /// The report type (slac, ilacs, focused_visit...).
    Type,
    /// The local authority.
    Authority,
    /// The authority's region ("none" for a provider insp has no council
    /// facts for).
    Region,
}

impl TrendBy {
    /// The facet whose column gives a paragraph's bucket (none: the
    /// report's overall grade or region, from its stored metadata).
    fn facet(self) -> Option<Facet> {
        match self {
            TrendBy::Year => Some(Facet::Year),
            TrendBy::Overall | TrendBy::Region => None,
            TrendBy::Grade => Some(Facet::Grade),
            TrendBy::Type => Some(Facet::Type),
            TrendBy::Authority => Some(Facet::Authority),
        }
    }

    /// A report's bucket, from its stored metadata, where no paragraph
    /// column holds it (`facet` is none).
    fn of_report(self, info: &ReportInfo) -> String {
        match self {
            TrendBy::Overall => info
                .judgements
                .iter()
                .find(|j| j.key == "overall")
                .map_or("none".to_string(), |j| super::facets::grade_bucket(j.grade)),
            TrendBy::Region => info.region.clone().unwrap_or_else(|| "none".to_string()),
            TrendBy::Year | TrendBy::Grade | TrendBy::Type | TrendBy::Authority => String::new(),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TrendBy::Year => "year",
            TrendBy::Overall => "overall",
            TrendBy::Grade => "grade",
            TrendBy::Type => "type",
            TrendBy::Authority => "authority",
            TrendBy::Region => "region",
        }
    }
}

/// The denominator of a share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    /// Reports that mention the query, of the reports in the bucket.
    Reports,
    /// Matching paragraphs, of the paragraphs in the bucket.
    Paragraphs,
}

impl Per {
    pub fn as_str(self) -> &'static str {
        match self {
            Per::Reports => "reports",
            Per::Paragraphs => "paragraphs",
        }
    }
}

/// One query's counts in one bucket.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Mentions {
    /// Reports with at least one matching paragraph.
    pub reports: usize,
    /// Matching paragraphs.
    pub paragraphs: usize,
    /// `reports` of the bucket's reports, or `paragraphs` of its paragraphs
    /// (by `Trend::per`), from 0 to 1.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TrendBucket {
    pub value: String,
    /// The bucket's reports that pass the filters.
    pub reports: usize,
    /// Their paragraphs that pass the filters.
    pub paragraphs: usize,
    /// Fewer than `SMALL_BUCKET` reports.
    pub small: bool,
    /// One per query, in the order the queries were given.
    pub mentions: Vec<Mentions>,
}

#[derive(Debug, Clone)]
pub struct Trend {
    pub queries: Vec<String>,
    /// Per query, its words that no indexed paragraph has.
    pub absent: Vec<Vec<String>>,
    pub by: TrendBy,
    pub per: Per,
    pub filters: Filters,
    /// Reports and paragraphs that pass the filters, in all.
    pub reports: usize,
    pub paragraphs: usize,
    /// Years, grades: in their order ("unknown", "none" last); types and
    /// authorities: by the first query's share, highest first.
    pub buckets: Vec<TrendBucket>,
}

impl Trend {
    /// Whether any report mentions any query.
    pub fn found(&self) -> bool {
        self.buckets.iter().any(|b| b.mentions.iter().any(|m| m.reports > 0))
    }
}

/// Paragraph counts by report and bucket (read from the paragraphs'
/// columns; "" for `overall`, which is the report's).
type PerReport = HashMap<(String, String), usize>;

impl Searcher<'_> {
    /// For each bucket, how many reports (and paragraphs) mention each query
    /// out of how many there are.
    pub fn trend(&self, queries: &[String], filters: &Filters, by: TrendBy, per: Per) -> Result<Trend, SearchError> {
        let everything = BooleanQuery::new(self.filter_clauses(filters, false));
        let owners = self.owners()?;
        let totals = self.count_per_report(&everything, &owners, by)?;
        let mut matches = Vec::with_capacity(queries.len());
        let mut absent = Vec::with_capacity(queries.len());
        for q in queries {
            let parsed = self.parse(q)?;
            let (tier1, _) = self.tiers(&parsed, filters);
            matches.push(self.count_per_report(&*tier1, &owners, by)?);
            absent.push(self.absent_words(&parsed)?.0);
        }
        // A bucket no paragraph column holds is the report's, from its
        // stored metadata.
        let of_report: HashMap<String, String> = if by.facet().is_none() {
            let on_reports = Filters { grades: Vec::new(), sections: Vec::new(), ..filters.clone() };
            self.reports(&on_reports, false)?.iter().map(|r| (r.report_id.clone(), by.of_report(r))).collect()
        } else {
            HashMap::new()
        };
        let key = |(rid, bucket): &(String, String)| -> Option<(String, String)> {
            match by.facet() {
                None => of_report.get(rid).map(|b| (b.clone(), rid.clone())),
                Some(_) => Some((bucket.clone(), rid.clone())),
            }
        };
        let totals = tally(&totals, key);
        let matches: Vec<_> = matches.iter().map(|m| tally(m, key)).collect();
        let buckets = buckets(&totals, &matches, per);
        let reports: BTreeSet<&String> = totals.values().flat_map(|(r, _)| r).collect();
        Ok(Trend {
            queries: queries.to_vec(),
            absent,
            by,
            per,
            filters: filters.clone(),
            reports: reports.len(),
            // Each paragraph falls in one bucket.
            paragraphs: totals.values().map(|(_, p)| p).sum(),
            buckets: ordered(by, buckets),
        })
    }

    /// Paragraphs matching `query`, counted by report and bucket.
    fn count_per_report(
        &self,
        query: &dyn Query,
        owners: &[Arc<Owners>],
        by: TrendBy,
    ) -> Result<PerReport, SearchError> {
        let facet = by.facet();
        let collector = PerReportCollector { owners: owners.to_vec(), facet, column: facet.map(|f| self.column(f)) };
        Ok(self.scored(query, &collector)?)
    }

    /// Each segment's documents' reports, read from the `report_id`
    /// posting lists (a report id is not a column), once for all queries.
    fn owners(&self) -> Result<Vec<Arc<Owners>>, SearchError> {
        let mut out = Vec::new();
        for reader in self.searcher.segment_readers() {
            let inverted = reader.inverted_index(self.store.codec.fields.report_id)?;
            let mut owner = vec![u32::MAX; reader.max_doc() as usize];
            let mut names = Vec::new();
            let mut terms = inverted.terms().stream().map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                let mut postings = inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(tantivy::TantivyError::from)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    owner[doc as usize] = names.len() as u32;
                    doc = postings.advance();
                }
                names.push(String::from_utf8_lossy(terms.key()).into_owned());
            }
            out.push(Arc::new(Owners { owner, names }));
        }
        Ok(out)
    }
}

/// Paragraphs and reports in buckets, by bucket.
type Tally = std::collections::BTreeMap<String, (BTreeSet<String>, usize)>;

/// Each bucket's reports and paragraphs, and each query's mentions in it.
fn buckets(totals: &Tally, matches: &[Tally], per: Per) -> Vec<TrendBucket> {
    totals
        .iter()
        .map(|(value, (reports, paragraphs))| {
            let mentions = matches
                .iter()
                .map(|m| {
                    let (r, p) = m.get(value).map_or((0, 0), |(r, p)| (r.len(), *p));
                    let (n, d) = match per {
                        Per::Reports => (r, reports.len()),
                        Per::Paragraphs => (p, *paragraphs),
                    };
                    Mentions { reports: r, paragraphs: p, share: if d == 0 { 0.0 } else { n as f64 / d as f64 } }
                })
                .collect();
            TrendBucket {
                value: value.clone(),
                reports: reports.len(),
                paragraphs: *paragraphs,
                small: reports.len() < SMALL_BUCKET,
                mentions,
            }
        })
        .collect()
}

/// Counts by report gathered into buckets: each bucket's reports and its
/// paragraphs.
fn tally(counts: &PerReport, key: impl Fn(&(String, String)) -> Option<(String, String)>) -> Tally {
    let mut out = Tally::new();
    for (k, n) in counts {
        if let Some((bucket, rid)) = key(k) {
            let entry = out.entry(bucket).or_default();
            entry.0.insert(rid);
            entry.1 += n;
        }
    }
    out
}

/// Years and grades in their own order, with "unknown" and "none" last;
/// the rest by the first query's share, then by name.
fn ordered(by: TrendBy, mut buckets: Vec<TrendBucket>) -> Vec<TrendBucket> {
    let last = |b: &TrendBucket| b.value == "unknown" || b.value == "none";
    match by {
        TrendBy::Year | TrendBy::Overall | TrendBy::Grade => {
            buckets.sort_by(|a, b| last(a).cmp(&last(b)).then_with(|| a.value.cmp(&b.value)));
        }
        TrendBy::Type | TrendBy::Authority | TrendBy::Region => {
            let share = |b: &TrendBucket| b.mentions.first().map_or(0.0, |m| m.share);
            buckets.sort_by(|a, b| share(b).total_cmp(&share(a)).then_with(|| a.value.cmp(&b.value)));
        }
    }
    buckets
}

/// One segment's documents' reports.
struct Owners {
    /// Per document, its report's position in `names` (`u32::MAX`: none).
    owner: Vec<u32>,
    names: Vec<String>,
}

/// Counts paragraphs by report and by the bucket's column.
struct PerReportCollector {
    /// By segment ordinal.
    owners: Vec<Arc<Owners>>,
    /// The facet whose column is the bucket (none for `overall`).
    facet: Option<Facet>,
    column: Option<String>,
}

/// A segment's column of the bucket.
enum BucketColumn {
    /// The report's: decided after counting.
    Report,
    /// Year (YYYYMMDD) and grade.
    Number(Column<u64>),
    /// Authority and type, by term ordinal.
    Text(Option<StrColumn>),
}

/// A document's bucket value: a number, a term ordinal, or none.
const UNSET: u64 = u64::MAX;

struct PerReportSegment {
    owners: Arc<Owners>,
    facet: Option<Facet>,
    column: BucketColumn,
    counts: HashMap<(u32, u64), usize>,
}

impl Collector for PerReportCollector {
    type Fruit = PerReport;
    type Child = PerReportSegment;

    fn for_segment(&self, ord: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<PerReportSegment> {
        let owners = self
            .owners
            .get(ord as usize)
            .cloned()
            .ok_or_else(|| tantivy::TantivyError::InternalError(format!("segment {ord} has no report ids read")))?;
        let fast = reader.fast_fields();
        let column = match (self.facet, &self.column) {
            (Some(Facet::Year | Facet::Grade), Some(name)) => BucketColumn::Number(fast.u64(name)?),
            (Some(_), Some(name)) => BucketColumn::Text(fast.str(name)?),
            _ => BucketColumn::Report,
        };
        Ok(PerReportSegment { owners, facet: self.facet, column, counts: HashMap::new() })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<PerReport>) -> tantivy::Result<PerReport> {
        let mut out = PerReport::new();
        for fruit in fruits {
            for (k, n) in fruit {
                *out.entry(k).or_default() += n;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for PerReportSegment {
    type Fruit = PerReport;

    fn collect(&mut self, doc: DocId, _: Score) {
        let value = match &self.column {
            BucketColumn::Report => UNSET,
            BucketColumn::Number(c) => c.first(doc).unwrap_or(UNSET),
            BucketColumn::Text(c) => c.as_ref().and_then(|c| c.ords().first(doc)).unwrap_or(UNSET),
        };
        let owner = self.owners.owner.get(doc as usize).copied().unwrap_or(u32::MAX);
        *self.counts.entry((owner, value)).or_default() += 1;
    }

    fn harvest(self) -> PerReport {
        let mut out = PerReport::new();
        for (&(owner, value), n) in &self.counts {
            if let Some(name) = self.owners.names.get(owner as usize) {
                *out.entry((name.clone(), self.label(value))).or_default() += n;
            }
        }
        out
    }
}

impl PerReportSegment {
    /// A bucket value as shown: "2019", "3 (requires improvement)",
    /// "Wakefield", "slac"; "unknown" or "none" when unset.
    fn label(&self, value: u64) -> String {
        let unset = if self.facet == Some(Facet::Grade) { "none" } else { "unknown" };
        match (&self.column, self.facet) {
            (BucketColumn::Report, _) => String::new(),
            (_, _) if value == UNSET => unset.to_string(),
            (BucketColumn::Number(_), Some(Facet::Grade)) => super::facets::grade_bucket(value as u8),
            (BucketColumn::Number(_), _) => (value / 10_000).to_string(),
            (BucketColumn::Text(c), facet) => {
                let mut term = String::new();
                if !c.as_ref().is_some_and(|c| c.ord_to_str(value, &mut term).unwrap_or(false)) {
                    return unset.to_string();
                }
                if facet == Some(Facet::Authority) { super::facets::authority_label(&term) } else { term }
            }
        }
    }
}
