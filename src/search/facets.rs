//! Facet counts: how many matching paragraphs fall under each authority,
//! region, grade, overall grade, section, year, report type or kind.

use super::{Filters, SearchError, Searcher};
use crate::index::Kind;
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Facet {
    Authority,
    Grade,
    Section,
    Year,
    Type,
    /// The authority's region (from `local-authorities.csv`).
    Region,
    /// The report's overall effectiveness grade.
    Overall,
    /// The paragraph's kind (finding, summary, ...).
    Kind,
}

impl Facet {
    pub const ALL: [Facet; 8] = [
        Facet::Authority,
        Facet::Region,
        Facet::Type,
        Facet::Year,
        Facet::Overall,
        Facet::Grade,
        Facet::Section,
        Facet::Kind,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Facet::Authority => "authority",
            Facet::Grade => "grade",
            Facet::Section => "section",
            Facet::Year => "year",
            Facet::Type => "type",
            Facet::Region => "region",
            Facet::Overall => "overall",
            Facet::Kind => "kind",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Bucket {
    pub value: String,
    pub count: usize,
}

#[derive(Debug, Clone)]
pub struct FacetCounts {
    pub query: Option<String>,
    /// The paragraphs the buckets count: with every query word that
    /// carries meaning (or one of its forms), as search ranks first; all
    /// paragraphs (boilerplate left out by default) without a query.
    pub total: usize,
    /// Paragraphs with any of those words (search's `total`).
    pub total_any_words: usize,
    /// Per facet, buckets by count (then value).
    pub facets: Vec<(Facet, Vec<Bucket>)>,
}

impl Searcher<'_> {
    /// Count the paragraphs search ranks first for a query (every word that
    /// carries meaning) by each facet. A section is counted by its own name
    /// (the last level of the path), so "Leadership and management" adds up
    /// across reports; a grade as "3 (requires improvement)", unknown
    /// values as "none".
    pub fn facets(&self, query: Option<&str>, filters: &Filters, by: &[Facet]) -> Result<FacetCounts, SearchError> {
        // Each facet once, in the order first asked ("year, authority, year").
        let mut unique: Vec<Facet> = Vec::with_capacity(by.len());
        for f in by {
            if !unique.contains(f) {
                unique.push(*f);
            }
        }
        let by = &unique[..];
        let (counted, total_any_words): (Box<dyn Query>, Option<usize>) = match query {
            Some(q) => {
                let parsed = self.parse(q)?;
                // Search's total: both tiers, from their sets.
                let sets = self.tier_sets(&parsed, filters)?;
                (self.tiers(&parsed, filters).0, Some(sets.n_first + sets.n_second))
            }
            None => {
                let mut clauses = self.filter_clauses(filters, true);
                clauses.push((Occur::Must, self.store.codec.kind_query(Kind::Paragraph)));
                (Box::new(BooleanQuery::new(clauses)), None)
            }
        };
        // The overall grade is the report's: counted by query, grade by grade.
        let by_column: Vec<Facet> = by.iter().copied().filter(|f| *f != Facet::Overall).collect();
        let columns = by_column.iter().map(|f| self.column(*f)).collect();
        let collector = FacetCollector { by: by_column.clone(), columns };
        let counts = self.searcher.search(&*counted, &collector)?;
        let total = counts.total;
        let total_any_words = total_any_words.unwrap_or(total);
        let mut counts: HashMap<Facet, HashMap<String, usize>> = by_column.into_iter().zip(counts.counts).collect();
        if by.contains(&Facet::Overall) {
            let mut overall = self.overall_counts(query, filters)?;
            let graded: usize = overall.values().sum();
            if graded < total {
                overall.insert("none".to_string(), total - graded);
            }
            counts.insert(Facet::Overall, overall);
        }
        let facets = by
            .iter()
            .map(|facet| (facet, counts.remove(facet).unwrap_or_default()))
            .map(|(facet, c)| {
                let mut buckets: Vec<Bucket> = c.into_iter().map(|(value, count)| Bucket { value, count }).collect();
                buckets.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                (*facet, buckets)
            })
            .collect();
        Ok(FacetCounts { query: query.map(str::to_string), total, total_any_words, facets })
    }
}

impl Searcher<'_> {
    /// Paragraphs (as `facets` counts them) in reports of each overall
    /// grade: the filters with `--overall G` in place of any they had (a
    /// grade they leave out counts nothing).
    fn overall_counts(&self, query: Option<&str>, filters: &Filters) -> Result<HashMap<String, usize>, SearchError> {
        let asked: Vec<u8> = filters.judged.iter().filter(|(k, _)| k == "overall").map(|(_, g)| *g).collect();
        let parsed = query.map(super::query::parse).transpose()?;
        let mut out = HashMap::new();
        for g in 1..=4u8 {
            if !asked.is_empty() && !asked.contains(&g) {
                continue;
            }
            let mut f = filters.clone();
            f.judged.retain(|(k, _)| k != "overall");
            f.judged.push(("overall".to_string(), g));
            let n = match &parsed {
                Some(p) => self.searcher.search(&*self.tiers(p, &f).0, &tantivy::collector::Count)?,
                None => {
                    let mut clauses = self.filter_clauses(&f, true);
                    clauses.push((Occur::Must, self.store.codec.kind_query(Kind::Paragraph)));
                    self.searcher.search(&BooleanQuery::new(clauses), &tantivy::collector::Count)?
                }
            };
            if n > 0 {
                out.insert(grade_bucket(g), n);
            }
        }
        Ok(out)
    }

    /// The column (fast field) a facet counts: a section by its own heading,
    /// a year from the date.
    pub(super) fn column(&self, facet: Facet) -> String {
        let f = &self.store.codec.fields;
        let field = match facet {
            Facet::Authority | Facet::Region => f.authority,
            Facet::Overall => unreachable!("the overall grade is counted by query, not read from a column"),
            Facet::Kind => f.paragraph_kind,
            Facet::Type => f.report_type,
            Facet::Section => f.heading,
            Facet::Grade => f.grade,
            Facet::Year => f.date,
        };
        self.store.codec.column(field).to_string()
    }
}

/// An authority as indexed (lower case), as it is named.
pub(crate) fn authority_label(term: &str) -> String {
    crate::vocab::VOCAB.authorities.lookup(term).map_or_else(|| term.to_string(), str::to_string)
}

/// A grade as a bucket is labelled: "3 (requires improvement)".
pub(crate) fn grade_bucket(g: u8) -> String {
    format!("{g} ({})", crate::report::Grade::canonical_label(g))
}

/// Counts by facet read from the columns (fast fields) of each matching
/// paragraph, never from stored documents: milliseconds for a query that
/// matches hundreds of thousands of paragraphs.
struct FacetCollector {
    by: Vec<Facet>,
    /// The column each facet reads.
    columns: Vec<String>,
}

struct FacetFruit {
    total: usize,
    counts: Vec<HashMap<String, usize>>,
}

/// One facet's column in one segment, and counts by its raw value.
enum FacetColumn {
    /// Authority, type, heading: counts by term ordinal, and the unset.
    Text { column: Option<StrColumn>, by_ord: Vec<usize>, none: usize },
    /// Grade and year: counts by value (`None` when unset).
    Number { column: Column<u64>, by_value: HashMap<Option<u64>, usize> },
}

struct FacetSegment {
    by: Vec<Facet>,
    columns: Vec<FacetColumn>,
    total: usize,
}

impl Collector for FacetCollector {
    type Fruit = FacetFruit;
    type Child = FacetSegment;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<FacetSegment> {
        let fast = reader.fast_fields();
        let mut columns = Vec::new();
        for (facet, name) in self.by.iter().zip(&self.columns) {
            columns.push(match facet {
                Facet::Authority | Facet::Type | Facet::Section | Facet::Region | Facet::Kind | Facet::Overall => {
                    let column = fast.str(name)?;
                    let n = column.as_ref().map_or(0, |c| c.num_terms());
                    FacetColumn::Text { column, by_ord: vec![0; n], none: 0 }
                }
                Facet::Grade | Facet::Year => FacetColumn::Number { column: fast.u64(name)?, by_value: HashMap::new() },
            });
        }
        Ok(FacetSegment { by: self.by.clone(), columns, total: 0 })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut out = FacetFruit { total: 0, counts: vec![HashMap::new(); self.by.len()] };
        for fruit in fruits {
            out.total += fruit.total;
            for (into, from) in out.counts.iter_mut().zip(fruit.counts) {
                for (value, n) in from {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.total += 1;
        for column in &mut self.columns {
            match column {
                FacetColumn::Text { column, by_ord, none } => match column.as_ref().and_then(|c| c.ords().first(doc)) {
                    Some(ord) => by_ord[ord as usize] += 1,
                    None => *none += 1,
                },
                FacetColumn::Number { column, by_value } => *by_value.entry(column.first(doc)).or_default() += 1,
            }
        }
    }

    fn harvest(self) -> FacetFruit {
        let mut counts = Vec::with_capacity(self.by.len());
        for (facet, column) in self.by.iter().zip(self.columns) {
            let mut c: HashMap<String, usize> = HashMap::new();
            match column {
                FacetColumn::Text { column, by_ord, none } => {
                    let mut term = String::new();
                    for (ord, n) in by_ord.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                        term.clear();
                        let found =
                            column.as_ref().is_some_and(|col| col.ord_to_str(ord as u64, &mut term).unwrap_or(false));
                        let value = if !found {
                            "none".to_string()
                        } else if *facet == Facet::Authority {
                            authority_label(&term)
                        } else if *facet == Facet::Region {
                            crate::vocab::VOCAB
                                .authorities
                                .council(&authority_label(&term))
                                .map_or_else(|| "none".to_string(), |c| c.region.clone())
                        } else {
                            term.clone()
                        };
                        *c.entry(value).or_default() += n;
                    }
                    if none > 0 {
                        *c.entry("none".to_string()).or_default() += none;
                    }
                }
                FacetColumn::Number { by_value, .. } => {
                    for (value, n) in by_value {
                        let label = match (facet, value) {
                            (_, None) => "none".to_string(),
                            (Facet::Grade, Some(g)) => grade_bucket(g as u8),
                            (_, Some(date)) => (date / 10_000).to_string(),
                        };
                        *c.entry(label).or_default() += n;
                    }
                }
            }
            counts.push(c);
        }
        FacetFruit { total: self.total, counts }
    }
}
