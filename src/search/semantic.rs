//! `--mode semantic` and `--mode hybrid`: paragraphs ranked by the cosine
//! of their stored vectors with the query's (brute force over the
//! paragraphs that pass the filters), and that ranking fused with the
//! lexical one by reciprocal rank fusion.

use super::top::Ranked;
use super::{ParsedQuery, Scored, SearchError, SearchRequest, Searcher};
use crate::index::vectors::{ReportVectors, Vectors};
use std::collections::HashMap;
use tantivy::DocSet;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query};

/// How hits are ranked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// By the words (tiers, BM25, phrase and proximity boosts).
    #[default]
    Lexical,
    /// The lexical ranking and the semantic one fused (reciprocal rank
    /// fusion, paragraphs with every word first); needs an index built with
    /// `insp index --model`, where it is the default.
    Hybrid,
    /// By meaning alone: the cosine of the paragraph's embedding with the
    /// query's; needs an index built with `insp index --model`.
    Semantic,
}

impl Mode {
    /// The mode a search runs in: the one asked for, else hybrid where the
    /// index has paragraph vectors (it measured better on both judged
    /// sets) and the hits are ranked by score, else lexical (`--sort date`
    /// and `--count` rank nothing by meaning). `search`, `batch` and the
    /// web page all choose here.
    pub fn choose(asked: Option<Mode>, has_vectors: bool, by_score: bool) -> Mode {
        match asked {
            Some(mode) => mode,
            None if has_vectors && by_score => Mode::Hybrid,
            None => Mode::Lexical,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Lexical => "lexical",
            Mode::Hybrid => "hybrid",
            Mode::Semantic => "semantic",
        }
    }
}

/// A hit's places in the lexical and semantic rankings (hybrid and
/// semantic mode); none: not among the ranked depth of that list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModeRanks {
    pub lexical: Option<usize>,
    pub semantic: Option<usize>,
}

/// RRF's constant: a hit at rank r in the lexical list adds 1/(K + r)
/// (20 and 100 measured within 0.01 of it on both judged sets).
const RRF_K: f32 = 60.0;
/// And at rank r in the semantic list, this share of that: the meaning
/// reorders and adds to the words' ranking more than it outvotes it (1.0
/// made one kind of query worse on each judged set; 0.5 none).
const SEMANTIC_WEIGHT: f32 = 0.5;
/// How deep each list goes into the fusion.
pub(super) const FUSE_DEPTH: usize = 100;

impl Searcher<'_> {
    /// The hybrid and semantic rankings (`fetch` deep, at least
    /// `FUSE_DEPTH`), the number of paragraphs ranked, and of those with
    /// every query word (hybrid).
    pub(super) fn by_meaning(
        &self,
        q: &ParsedQuery,
        tiers: (&dyn Query, Option<&dyn Query>),
        req: &SearchRequest,
        fetch: usize,
    ) -> Result<(Vec<Scored>, usize, usize), SearchError> {
        let depth = fetch.max(FUSE_DEPTH);
        let excluded: Vec<(Occur, Box<dyn Query>)> =
            q.excluded.iter().map(|g| (Occur::Should, self.group_query(g))).collect();
        let excluded = (!excluded.is_empty()).then(|| BooleanQuery::new(excluded));
        let (semantic, n) = self.semantic(req, excluded.as_ref().map(|e| e as &dyn Query), depth)?;
        if req.mode == Mode::Semantic {
            let scored = semantic
                .into_iter()
                .enumerate()
                .map(|(i, ranked)| Scored { ranked, all_words: false, lexical_rank: None, semantic_rank: Some(i + 1) })
                .collect();
            return Ok((scored, n, 0));
        }
        let lexical_req = SearchRequest { mode: Mode::Lexical, ..req.clone() };
        let (lexical, total, n1) = self.ranked(q, tiers, &lexical_req, depth, &std::cell::OnceCell::new())?;
        let fused = fuse(lexical, semantic);
        Ok((fused.into_iter().take(depth).collect(), total, n1))
    }

    /// Every paragraph that passes the filters, scored by its cosine with
    /// the query vector, best `fetch` first; and how many were scored.
    pub(super) fn semantic(
        &self,
        req: &SearchRequest,
        excluded: Option<&dyn Query>,
        fetch: usize,
    ) -> Result<(Vec<Ranked>, usize), SearchError> {
        let (vectors, query) = self.vectors_and_query(req)?;
        let dims = vectors.dims();
        let mut clauses = self.filter_clauses(&req.filters, false);
        if let Some(ex) = excluded {
            clauses.push((Occur::MustNot, ex.box_clone()));
        }
        let filter = BooleanQuery::new(clauses);
        let weight = filter.weight(EnableScoring::disabled_from_searcher(&self.searcher))?;
        let columns = self.columns(false);
        let mut scored: Vec<Ranked> = Vec::new();
        for (seg, reader) in self.searcher.segment_readers().iter().enumerate() {
            // Each report id's vectors, looked up once per segment by term ordinal.
            let fast = reader.fast_fields();
            let ids = fast.str(&columns.report_id)?;
            let paras = fast.u64(&columns.para)?;
            let mut by_ord: HashMap<u64, Option<&ReportVectors>> = HashMap::new();
            let mut scorer = weight.scorer(reader, 1.0)?;
            let mut doc = scorer.doc();
            while doc != tantivy::TERMINATED {
                if reader.alive_bitset().is_none_or(|a| a.is_alive(doc)) {
                    let addr = tantivy::DocAddress::new(seg as u32, doc);
                    let ord = ids.as_ref().and_then(|c| c.ords().first(doc));
                    let para = paras.first(doc).unwrap_or(0);
                    let mut ranked = Ranked::new(0.0, para, addr, ord.unwrap_or(u64::MAX));
                    let report = *by_ord.entry(ord.unwrap_or(u64::MAX)).or_insert_with(|| {
                        let mut id = String::new();
                        let found =
                            ord.zip(ids.as_ref()).is_some_and(|(o, c)| c.ord_to_str(o, &mut id).unwrap_or(false));
                        if found { vectors.reports.get(&id) } else { None }
                    });
                    if let Some(v) = report.and_then(|r| r.get(ranked.para as u32, dims)) {
                        ranked.score = crate::embed::dot(v, query);
                        scored.push(ranked);
                    }
                }
                doc = scorer.advance();
            }
        }
        let n = scored.len();
        self.order.sort(&mut scored);
        scored.truncate(fetch);
        Ok((scored, n))
    }

    fn vectors_and_query<'r>(&'r self, req: &'r SearchRequest) -> Result<(&'r Vectors, &'r [f32]), SearchError> {
        let no_vectors = || SearchError::NoVectors(self.store.dir.display().to_string(), req.mode.as_str());
        let vectors = self.vectors.as_deref().ok_or_else(no_vectors)?;
        let query = req.query_vector.as_deref().ok_or_else(no_vectors)?;
        if query.len() != vectors.dims() {
            return Err(SearchError::NoVectors(self.store.dir.display().to_string(), req.mode.as_str()));
        }
        Ok((vectors, query))
    }
}

/// The lexical and semantic rankings fused by reciprocal rank fusion: each
/// paragraph scores 1/(K + rank) from the lexical list and
/// SEMANTIC_WEIGHT/(K + rank) from the semantic one (as deep as they were
/// ranked). The exact matches stay on top: paragraphs with every query
/// word (the lexical first tier) come first, in fused order, then the rest;
/// ties by the lexical order. Each keeps both ranks.
pub(super) fn fuse(lexical: Vec<Scored>, semantic: Vec<Ranked>) -> Vec<Scored> {
    let mut fused: Vec<Scored> = Vec::with_capacity(lexical.len() + semantic.len());
    let mut at: HashMap<tantivy::DocAddress, usize> = HashMap::new();
    for (i, mut s) in lexical.into_iter().enumerate() {
        s.lexical_rank = Some(i + 1);
        s.ranked.score = 1.0 / (RRF_K + (i + 1) as f32);
        at.insert(s.ranked.addr, fused.len());
        fused.push(s);
    }
    for (i, ranked) in semantic.into_iter().enumerate() {
        let add = SEMANTIC_WEIGHT / (RRF_K + (i + 1) as f32);
        let mut ranked = ranked;
        match at.get(&ranked.addr) {
            Some(&j) => {
                fused[j].ranked.score += add;
                fused[j].semantic_rank = Some(i + 1);
            }
            None => fused.push(Scored {
                ranked: {
                    ranked.score = add;
                    ranked
                },
                all_words: false,
                lexical_rank: None,
                semantic_rank: Some(i + 1),
            }),
        }
    }
    // Paragraphs with every word first; a stable sort: equal fused scores
    // keep the lexical list's order, then the semantic one's.
    fused.sort_by(|a, b| b.all_words.cmp(&a.all_words).then(b.ranked.score.total_cmp(&a.ranked.score)));
    fused
}
