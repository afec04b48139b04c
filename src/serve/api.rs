//! `/api/…`: the commands' `--format json`, written by the same printer,
//! with the query in `q` and each filter under its option's name.

use super::ApiError;
use super::Call;
use super::params::{MAX_QUERIES, Params, check_query};
use crate::output::browse::{ShowParagraphJson, ShowReportJson};
use crate::output::{Format, Printer, Style};
use crate::search::facets::Facet;
use crate::search::trend::{Per, TrendBy};
use crate::search::{Mode, SearchRequest, SearchResults, Sort};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The most paragraphs `context` shows on either side.
pub const MAX_CONTEXT: usize = 20;

/// A JSON body written by `--format json`'s printer.
fn json(write: impl FnOnce(&dyn Printer, &mut Vec<u8>) -> std::io::Result<()>) -> Result<Response, ApiError> {
    let printer = crate::output::printer(Format::Json, Style { color: false, width: None });
    let mut body = Vec::new();
    write(&*printer, &mut body).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The search `q` and the filters ask for (`search`'s own options too:
/// `limit`, `offset`, `sort`, `per-report`, `context`, `no-correct`).
pub fn run_search(s: &Call, p: &Params) -> Result<SearchResults, ApiError> {
    let Some(q) = p.query()? else {
        return Err(ApiError::bad("q is missing: give a query, e.g. ?q=unallocated+cases"));
    };
    let filters = p.filters()?;
    let per_report =
        p.one("per-report")?.map(|_| p.number("per-report", 1, 1, super::params::MAX_LIMIT)).transpose()?;
    let sort = p.choice::<Sort>("sort")?.unwrap_or_default();
    let (mode, query_vector) = mode_and_vector(s, p, sort, &q)?;
    let req = SearchRequest {
        offset: p.offset()?,
        sort,
        per_report,
        correct: !p.flag("no-correct")?,
        mode,
        query_vector,
        ..SearchRequest::new(q, filters, p.limit()?)
    };
    let mut results = s.search(&req)?;
    let context = p.number("context", 0, 0, MAX_CONTEXT)?;
    if context > 0 {
        s.add_context(&mut results.hits, context)?;
    }
    Ok(results)
}

/// `mode` as `search --mode` reads it: asked for, else hybrid where the
/// index has paragraph vectors (lexical when sorting by date), else
/// lexical; and the query embedded when the mode needs it.
type QueryVector = Option<Arc<Vec<f32>>>;

fn mode_and_vector(s: &Call, p: &Params, sort: Sort, q: &str) -> Result<(Mode, QueryVector), ApiError> {
    let mode = Mode::choose(p.choice::<Mode>("mode")?, s.model.is_some(), sort != Sort::Date);
    if mode == Mode::Lexical {
        return Ok((mode, None));
    }
    if sort == Sort::Date {
        return Err(ApiError::bad("sort=date orders the lexical ranking; use it with mode=lexical"));
    }
    let Some(model) = s.model else {
        return Err(ApiError::bad(format!(
            "mode={}: this index has no paragraph vectors; build them with `insp index --model PATH`, or use mode=lexical",
            mode.as_str()
        )));
    };
    Ok((mode, Some(Arc::new(model.embed(q)))))
}

pub const SEARCH_PARAMS: [&str; 8] = ["q", "limit", "offset", "sort", "per-report", "context", "no-correct", "mode"];

pub fn search(s: &Call, p: &Params, _: &str) -> Result<Response, ApiError> {
    p.check_known(&SEARCH_PARAMS)?;
    let results = run_search(s, p)?;
    json(|pr, w| pr.search_results(w, &results))
}

/// The facets `by` names (repeatable), all without.
pub fn facets_by(p: &Params) -> Result<Vec<Facet>, ApiError> {
    let mut by = p.all("by").map(|v| super::params::parse_choice::<Facet>("by", v)).collect::<Result<Vec<_>, _>>()?;
    if by.is_empty() {
        by = Facet::ALL.to_vec();
    }
    Ok(by)
}

pub fn facets(s: &Call, p: &Params, _: &str) -> Result<Response, ApiError> {
    p.check_known(&["q", "by"])?;
    let (q, filters, by) = (p.query()?, p.filters()?, facets_by(p)?);
    let counts = s.facets(q.as_deref().filter(|q| !q.is_empty()), &filters, &by)?;
    json(|pr, w| pr.facets(w, &counts))
}

pub fn reports(s: &Call, p: &Params, _: &str) -> Result<Response, ApiError> {
    p.check_known(&["latest"])?;
    let reports = s.reports(&p.filters()?, p.flag("latest")?)?;
    json(|pr, w| pr.reports(w, &reports))
}

pub fn show(s: &Call, p: &Params, id: &str) -> Result<Response, ApiError> {
    p.check_known(&["context"])?;
    let context = p.number("context", 0, 0, MAX_CONTEXT)?;
    let found = s.lookup(id)?;
    match ShowParagraphJson::of(id, &found, context) {
        Some(show) => json(|pr, w| pr.show_paragraph(w, &show)),
        None => json(|pr, w| pr.show_report(w, &ShowReportJson::of(&found))),
    }
}

/// `trend`'s queries (`q`, repeatable), buckets (`by`) and shares (`per`).
pub fn run_trend(s: &Call, p: &Params) -> Result<crate::search::trend::Trend, ApiError> {
    let queries: Vec<String> = p.all("q").map(|q| q.trim().to_string()).collect();
    if queries.is_empty() {
        return Err(ApiError::bad("q is missing: give one or more queries, e.g. ?q=county+lines&q=exploitation"));
    }
    if queries.len() > MAX_QUERIES {
        return Err(ApiError::bad(format!("{} queries given; the most is {MAX_QUERIES}", queries.len())));
    }
    for q in &queries {
        check_query(q)?;
        if !q.chars().any(char::is_alphanumeric) {
            return Err(ApiError::bad(format!("q={q}: the query has no words")));
        }
    }
    let by = p.choice::<TrendBy>("by")?.unwrap_or(TrendBy::Year);
    let per = p.choice::<Per>("per")?.unwrap_or(Per::Reports);
    Ok(s.trend(&queries, &p.filters()?, by, per)?)
}

pub fn trend(s: &Call, p: &Params, _: &str) -> Result<Response, ApiError> {
    p.check_known(&["q", "by", "per"])?;
    let trend = run_trend(s, p)?;
    json(|pr, w| pr.trend(w, &trend))
}

pub fn stats(s: &Call, p: &Params, _: &str) -> Result<Response, ApiError> {
    p.check_known(&[])?;
    let stats = s.stats()?;
    json(|pr, w| pr.stats(w, &stats))
}
