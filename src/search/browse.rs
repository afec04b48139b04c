//! Browsing the index without a query: the reports table, a report's
//! paragraphs in order, and what the index holds.

use super::{Filters, SearchError, Searcher};
use crate::indexer::StoredParagraph;
use crate::report::{Paragraph, ReportInfo};
use std::collections::BTreeMap;
use std::rc::Rc;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, TantivyDocument, Term};

/// Counts of reports and paragraphs under one key.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Count {
    pub reports: usize,
    pub paragraphs: usize,
}

/// What the index holds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Stats {
    pub index: String,
    pub schema_version: String,
    pub reports: usize,
    pub paragraphs: usize,
    pub index_bytes: u64,
    pub by_type: BTreeMap<String, Count>,
    pub by_year: BTreeMap<String, Count>,
}

impl Searcher<'_> {
    fn kind_query(&self, kind: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(self.store.fields.kind, kind), IndexRecordOption::Basic))
    }

    /// Every indexed report that passes the filters, by authority then date.
    /// `--grade` keeps reports with any judgement of that grade; `--section`
    /// those with a judgement whose section path has the words.
    pub fn reports(&self, filters: &Filters) -> Result<Vec<Rc<ReportInfo>>, SearchError> {
        let on_report_docs = Filters { grades: Vec::new(), sections: Vec::new(), ..filters.clone() };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.kind_query("report"))];
        clauses.extend(on_report_docs.queries(self.store.fields).into_iter().map(|q| (Occur::Must, q)));
        let docs = self.searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)?;
        let mut out = Vec::new();
        for addr in docs {
            let info = self.report_at(addr)?;
            let grade_ok =
                filters.grades.is_empty() || info.judgements.iter().any(|j| filters.grades.contains(&j.grade));
            let section_ok = filters.sections.is_empty()
                || info.judgements.iter().any(|j| {
                    filters
                        .sections
                        .iter()
                        .any(|s| j.section.iter().any(|level| level.to_lowercase().contains(&s.to_lowercase())))
                });
            if grade_ok && section_ok {
                let info = Rc::new(info);
                self.reports.borrow_mut().insert(info.report_id.clone(), info.clone());
                out.push(info);
            }
        }
        out.sort_by(|a, b| {
            (a.authority.as_deref().unwrap_or(""), a.date(), &a.report_id).cmp(&(
                b.authority.as_deref().unwrap_or(""),
                b.date(),
                &b.report_id,
            ))
        });
        Ok(out)
    }

    fn report_at(&self, addr: DocAddress) -> Result<ReportInfo, SearchError> {
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let data = doc
            .get_first(self.store.fields.data)
            .and_then(|v| v.as_str())
            .ok_or_else(|| SearchError::Corrupt("a report without data".into()))?;
        serde_json::from_str(data).map_err(|e| SearchError::Corrupt(e.to_string()))
    }

    /// A report's paragraphs in document order.
    pub fn paragraphs(&self, report_id: &str) -> Result<Vec<Paragraph>, SearchError> {
        let q = BooleanQuery::new(vec![
            (Occur::Must, self.kind_query("paragraph")),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.store.fields.report_id, report_id),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let addrs = self.searcher.search(&q, &DocSetCollector)?;
        let mut out: Vec<StoredParagraph> = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            let data = doc
                .get_first(self.store.fields.data)
                .and_then(|v| v.as_str())
                .ok_or_else(|| SearchError::Corrupt("a paragraph without data".into()))?;
            out.push(serde_json::from_str(data).map_err(|e| SearchError::Corrupt(e.to_string()))?);
        }
        // The writer's threads may put one report in several segments: the
        // stored position, not the address, is the document order.
        out.sort_by_key(|s| s.pos);
        Ok(out.into_iter().map(|s| s.paragraph).collect())
    }

    pub fn stats(&self) -> Result<Stats, SearchError> {
        let reports = self.reports(&Filters::default())?;
        let mut by_type: BTreeMap<String, Count> = BTreeMap::new();
        let mut by_year: BTreeMap<String, Count> = BTreeMap::new();
        let mut paragraphs = 0;
        for r in &reports {
            paragraphs += r.n_paragraphs;
            let t = by_type.entry(r.report_type.as_str().to_string()).or_default();
            t.reports += 1;
            t.paragraphs += r.n_paragraphs;
            let year = r.date().map_or("unknown".to_string(), |d| d[..4.min(d.len())].to_string());
            let y = by_year.entry(year).or_default();
            y.reports += 1;
            y.paragraphs += r.n_paragraphs;
        }
        let index_bytes = std::fs::read_dir(&self.store.dir)
            .map(|d| d.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum())
            .unwrap_or(0);
        Ok(Stats {
            index: self.store.dir.display().to_string(),
            schema_version: crate::schema::version(),
            reports: reports.len(),
            paragraphs,
            index_bytes,
            by_type,
            by_year,
        })
    }
}

impl Searcher<'_> {
    /// Every document of the index, report by report (in id order), as the
    /// field maps indexing made of them; `emit` is called for each.
    pub fn export(
        &self,
        mut emit: impl FnMut(&crate::indexer::FieldMap) -> std::io::Result<()>,
    ) -> Result<usize, SearchError> {
        let docs = self.searcher.search(&*self.kind_query("report"), &DocSetCollector)?;
        let mut reports: Vec<(ReportInfo, String)> = Vec::with_capacity(docs.len());
        for addr in docs {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            let hash =
                doc.get_first(self.store.fields.content_hash).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            reports.push((self.report_at(addr)?, hash));
        }
        reports.sort_by(|a, b| a.0.report_id.cmp(&b.0.report_id));
        let mut n = 0;
        for (info, hash) in reports {
            let paragraphs = self.paragraphs(&info.report_id)?;
            let report = crate::report::Report::from_parts(info, paragraphs);
            for doc in crate::indexer::documents(&report, &hash) {
                emit(&doc).map_err(|e| SearchError::Corrupt(format!("cannot write the export: {e}")))?;
                n += 1;
            }
        }
        Ok(n)
    }
}
