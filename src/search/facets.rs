//! Facet counts: how many matching paragraphs fall under each authority,
//! grade, section, year or report type.

use super::{Filters, SearchError, Searcher};
use crate::report::Paragraph;
use std::collections::HashMap;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Facet {
    Authority,
    Grade,
    Section,
    Year,
    Type,
}

impl Facet {
    pub const ALL: [Facet; 5] = [Facet::Authority, Facet::Grade, Facet::Section, Facet::Year, Facet::Type];

    pub fn as_str(self) -> &'static str {
        match self {
            Facet::Authority => "authority",
            Facet::Grade => "grade",
            Facet::Section => "section",
            Facet::Year => "year",
            Facet::Type => "type",
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
    /// Matching paragraphs.
    pub total: usize,
    /// Per facet, buckets by count (then value).
    pub facets: Vec<(Facet, Vec<Bucket>)>,
}

impl Searcher<'_> {
    /// Count matching paragraphs (any query word, as in `search`) by each
    /// facet. A section is counted by its own name (the last level of the
    /// path), so "Leadership and management" adds up across reports; a grade
    /// as "3 (requires improvement)", unknown values as "none".
    pub fn facets(&self, query: Option<&str>, filters: &Filters, by: &[Facet]) -> Result<FacetCounts, SearchError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = self.filter_clauses(filters, true);
        if let Some(q) = query {
            let parsed = super::query::parse(q)?;
            // "Any word" as search's second tier reads it: a word that carries meaning.
            let any: Vec<(Occur, Box<dyn Query>)> =
                super::partial_groups(&parsed).iter().map(|g| (Occur::Should, self.group_query(g))).collect();
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0))));
            clauses.extend(parsed.groups.iter().filter(|g| g.required).map(|g| (Occur::Must, self.group_query(g))));
            clauses.extend(parsed.excluded.iter().map(|g| (Occur::MustNot, self.group_query(g))));
        } else {
            let kind =
                TermQuery::new(Term::from_field_text(self.store.fields.kind, "paragraph"), IndexRecordOption::Basic);
            clauses.push((Occur::Must, Box::new(kind)));
        }
        let docs = self.searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)?;
        let mut counts: Vec<HashMap<String, usize>> = vec![HashMap::new(); by.len()];
        let f = self.store.fields;
        for addr in &docs {
            let doc: TantivyDocument = self.searcher.doc(*addr)?;
            let data = doc.get_first(f.data).and_then(|v| v.as_str()).unwrap_or("{}");
            let p: Paragraph = serde_json::from_str(data).map_err(|e| SearchError::Corrupt(e.to_string()))?;
            let rid = doc.get_first(f.report_id).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let report = self
                .report(&rid)?
                .ok_or_else(|| SearchError::Corrupt(format!("paragraph of a missing report {rid}")))?;
            for (k, facet) in by.iter().enumerate() {
                let value = match facet {
                    Facet::Authority => report.authority.clone().unwrap_or_else(|| "none".into()),
                    Facet::Type => report.report_type.as_str().to_string(),
                    Facet::Year => report.date().map_or("none".to_string(), |d| d[..4.min(d.len())].to_string()),
                    Facet::Grade => p
                        .grade
                        .map_or("none".to_string(), |g| format!("{g} ({})", crate::report::Grade::canonical_label(g))),
                    Facet::Section => p.section.last().cloned().unwrap_or_else(|| "none".into()),
                };
                *counts[k].entry(value).or_default() += 1;
            }
        }
        let facets = by
            .iter()
            .zip(counts)
            .map(|(facet, c)| {
                let mut buckets: Vec<Bucket> = c.into_iter().map(|(value, count)| Bucket { value, count }).collect();
                buckets.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                (*facet, buckets)
            })
            .collect();
        Ok(FacetCounts { query: query.map(str::to_string), total: docs.len(), facets })
    }
}
