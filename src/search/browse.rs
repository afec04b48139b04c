//! Browsing the index without a query: the reports table, a report's
//! paragraphs in order, and what the index holds.

use super::{Filters, Hit, SearchError, Searcher};
use crate::index::Kind;
use crate::index::codec::{FieldMap, StoredParagraph};
use crate::report::{Paragraph, Report, ReportInfo, ReportType};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocAddress, TantivyDocument};

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

/// Paragraph `para` of `paragraphs` (in document order) with up to `n`
/// paragraphs before and after it.
pub fn around(paragraphs: &[Paragraph], para: u32, n: usize) -> Option<(&[Paragraph], &Paragraph, &[Paragraph])> {
    let k = paragraphs.iter().position(|p| p.para == para)?;
    Some((
        &paragraphs[k.saturating_sub(n)..k],
        &paragraphs[k],
        &paragraphs[k + 1..(k + 1).saturating_add(n).min(paragraphs.len())],
    ))
}

/// Why a report or paragraph id names nothing in the index.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error("'{0}' is not a paragraph id; write REPORT_ID#NUMBER, e.g. wakefield-2011-01-slac#24")]
    BadId(String),
    #[error("no report '{0}' in the index; `insp reports` lists them")]
    NoReport(String),
    #[error("report '{report_id}' has no paragraph {para} (its paragraphs run from {first} to {last})")]
    NoParagraph { report_id: String, para: u32, first: u32, last: u32 },
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// A report looked up by id: the report, its paragraphs in order, and the
/// position among them of the paragraph the id named (`REPORT_ID#PARA`).
pub struct Lookup {
    pub report: Arc<ReportInfo>,
    pub paragraphs: Vec<Paragraph>,
    pub position: Option<usize>,
}

impl Searcher<'_> {
    /// Every indexed report that passes the filters, by authority then date.
    /// `--grade` keeps reports with any judgement of that grade; `--section`
    /// those with a judgement whose section path has the words. With
    /// `latest`, each authority's latest full inspection (of the `--type`s
    /// given, else of [`ReportType::FULL_INSPECTIONS`]) as of the date
    /// filters, before the judgement filters are applied.
    pub fn reports(&self, filters: &Filters, latest: bool) -> Result<Vec<Arc<ReportInfo>>, SearchError> {
        let on_report_docs = Filters {
            grades: Vec::new(),
            sections: Vec::new(),
            judged: Vec::new(),
            kinds: crate::report::ParagraphKind::ALL.to_vec(),
            ..filters.clone()
        };
        let codec = &self.store.codec;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, codec.kind_query(Kind::Report))];
        clauses.extend(on_report_docs.queries(codec));
        let docs = self.in_store_order(&BooleanQuery::new(clauses))?;
        let mut out = Vec::new();
        for addr in docs {
            out.push(self.report_at(addr)?);
        }
        out.sort_by(|a, b| {
            (a.authority.as_deref().unwrap_or(""), a.date(), &a.report_id).cmp(&(
                b.authority.as_deref().unwrap_or(""),
                b.date(),
                &b.report_id,
            ))
        });
        if latest {
            let full = |t: &ReportType| filters.types.contains(t) || ReportType::FULL_INSPECTIONS.contains(t);
            out.retain(|r| r.authority.is_some() && full(&r.report_type));
            // Sorted by authority then date: the last of each authority's run.
            let keep: Vec<bool> =
                (0..out.len()).map(|i| out.get(i + 1).is_none_or(|next| next.authority != out[i].authority)).collect();
            let mut keep = keep.into_iter();
            out.retain(|_| keep.next().unwrap_or(false));
        }
        let mut kept = Vec::new();
        for info in out {
            let grade_ok =
                filters.grades.is_empty() || info.judgements.iter().any(|j| filters.grades.contains(&j.grade));
            let section_ok = filters.sections.is_empty()
                || info.judgements.iter().any(|j| {
                    filters
                        .sections
                        .iter()
                        .any(|s| j.section.iter().any(|level| level.to_lowercase().contains(&s.to_lowercase())))
                });
            if grade_ok && section_ok && filters.judged_ok(&info.judgements) {
                let info = Arc::new(info);
                self.known_reports().insert(info.report_id.clone(), info.clone());
                kept.push(info);
            }
        }
        Ok(kept)
    }

    fn in_store_order(&self, q: &dyn Query) -> Result<Vec<DocAddress>, SearchError> {
        Ok(crate::index::store::in_store_order(&self.searcher, q)?)
    }

    fn report_at(&self, addr: DocAddress) -> Result<ReportInfo, SearchError> {
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        Ok(self.store.codec.report_info(&doc)?)
    }

    /// A report (`REPORT_ID`) or paragraph (`REPORT_ID#PARA`) id looked up.
    pub fn lookup(&self, id: &str) -> Result<Lookup, LookupError> {
        let (report_id, para) = match id.split_once('#') {
            Some((r, p)) => match p.parse::<u32>() {
                Ok(n) => (r, Some(n)),
                Err(_) => return Err(LookupError::BadId(id.to_string())),
            },
            None => (id, None),
        };
        let Some(report) = self.report(report_id)? else {
            return Err(LookupError::NoReport(report_id.to_string()));
        };
        let paragraphs = self.paragraphs(report_id)?;
        let Some(n) = para else { return Ok(Lookup { report, paragraphs, position: None }) };
        let Some(k) = paragraphs.iter().position(|p| p.para == n) else {
            let first = paragraphs.iter().map(|p| p.para).min().unwrap_or(0);
            let last = paragraphs.iter().map(|p| p.para).max().unwrap_or(0);
            return Err(LookupError::NoParagraph { report_id: report_id.to_string(), para: n, first, last });
        };
        Ok(Lookup { report, paragraphs, position: Some(k) })
    }

    /// The content hash recorded when a report was indexed (of its source
    /// file's bytes), `None` for an unknown id.
    pub fn source_hash(&self, report_id: &str) -> Result<Option<String>, SearchError> {
        let Some(addr) = self.report_doc(report_id)? else {
            return Ok(None);
        };
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        Ok(Some(self.store.codec.source_and_hash(&doc).1))
    }

    /// A report's paragraphs in document order.
    pub fn paragraphs(&self, report_id: &str) -> Result<Vec<Paragraph>, SearchError> {
        let q = self.store.codec.report_query(Kind::Paragraph, report_id);
        let addrs = self.in_store_order(&q)?;
        let mut out: Vec<StoredParagraph> = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            out.push(self.store.codec.paragraph(&doc)?);
        }
        // The writer's threads may put one report in several segments: the
        // stored position, not the address, is the document order.
        out.sort_by_key(|s| s.pos);
        Ok(out.into_iter().map(|s| s.paragraph).collect())
    }

    /// Fill each hit's `before` and `after` with up to `n` paragraphs of its
    /// report on either side (`search -C N`).
    pub fn add_context(&self, hits: &mut [Hit], n: usize) -> Result<(), SearchError> {
        let mut reports: HashMap<String, Vec<Paragraph>> = HashMap::new();
        for h in hits.iter_mut() {
            let id = &h.report.report_id;
            if !reports.contains_key(id) {
                reports.insert(id.clone(), self.paragraphs(id)?);
            }
            if let Some((before, _, after)) = around(&reports[id], h.paragraph.para, n) {
                (h.before, h.after) = (before.to_vec(), after.to_vec());
            }
        }
        Ok(())
    }

    pub fn stats(&self) -> Result<Stats, SearchError> {
        let reports = self.reports(&Filters::default(), false)?;
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
            schema_version: crate::index::schema::version(),
            reports: reports.len(),
            paragraphs,
            index_bytes,
            by_type,
            by_year,
        })
    }
}

impl Searcher<'_> {
    /// Every document of the index, report by report (in id order), as
    /// `insp export` writes them; `emit` is called for each.
    pub fn export(&self, mut emit: impl FnMut(&FieldMap) -> std::io::Result<()>) -> Result<usize, SearchError> {
        let codec = &self.store.codec;
        let docs = self.in_store_order(&*codec.kind_query(Kind::Report))?;
        let mut reports: Vec<(ReportInfo, String)> = Vec::with_capacity(docs.len());
        for addr in docs {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            reports.push((codec.report_info(&doc)?, codec.source_and_hash(&doc).1));
        }
        reports.sort_by(|a, b| a.0.report_id.cmp(&b.0.report_id));
        let mut n = 0;
        for (info, hash) in reports {
            let paragraphs = self.paragraphs(&info.report_id)?;
            for doc in codec.export_documents(&Report::from_parts(info, paragraphs), &hash) {
                emit(&doc).map_err(|e| SearchError::Corrupt(format!("cannot write the export: {e}")))?;
                n += 1;
            }
        }
        Ok(n)
    }
}
