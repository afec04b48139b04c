//! `insp batch`: many queries, one searcher over one commit, all cores,
//! output in input order.

use super::{Context, Found};
use crate::cli::BatchArgs;
use anyhow::{Context as _, bail};
use insp::embed::Model;
use insp::output::{self, BatchItem, BatchJson, Format, HitJson};
use insp::search::batch::{BatchQuery, LineError, parse_line};
use insp::search::{Mode, SearchRequest, Searcher};
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

pub fn run(ctx: &Context, args: BatchArgs) -> anyhow::Result<Found> {
    let defaults = super::filters(&args.filters)?;
    let lines = read_lines(args.file.as_deref())?;
    let store = ctx.open_for_reading()?;
    // The model is loaded once, when the command line or any line asks for meaning.
    let default_mode = Mode::choose(args.mode, super::has_vectors(&store)?, true);
    let line_mode = lines.iter().filter_map(|l| l.as_ref().ok()?.mode).find(|m| *m != Mode::Lexical);
    let mode = if default_mode == Mode::Lexical { line_mode.unwrap_or(Mode::Lexical) } else { default_mode };
    let semantic = super::semantic_parts(&store, mode, args.model.as_deref())?;
    let (vectors, model) = semantic.map_or((None, None), |(v, m)| (Some(v), Some(m)));
    // One searcher for every worker (its caches of filter sets and reports
    // shared); each worker keeps a core busy, so none counts on another.
    let searcher = Searcher::new(&store)?.with_vectors(vectors).without_helper_thread();
    let style = ctx.style();
    let text = args.format == Format::Text;

    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, BatchItem)>();
    let n_workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(lines.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..n_workers {
            let tx = tx.clone();
            let (next, lines, defaults, searcher) = (&next, &lines, &defaults, &searcher);
            let model = model.as_ref();
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(line) = lines.get(i) else { break };
                    let item = match line {
                        Err((n, e)) => BatchItem {
                            json: BatchJson::Error {
                                id: e.id.clone().unwrap_or_else(|| n.to_string()),
                                line: *n,
                                error: e.message.clone(),
                            },
                            text: None,
                        },
                        Ok(q) => run_one(
                            searcher,
                            q,
                            defaults,
                            Defaults {
                                limit: args.limit as usize,
                                per_report: args.per_report.map(|n| n as usize),
                                correct: !args.no_correct,
                                mode: default_mode,
                                model,
                            },
                            text.then_some(style),
                        ),
                    };
                    if tx.send((i, item)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
    });
    let mut items: Vec<(usize, BatchItem)> = rx.into_iter().collect();
    items.sort_by_key(|(i, _)| *i);
    let items: Vec<BatchItem> = items.into_iter().map(|(_, item)| item).collect();
    output::printer(args.format, style).batch(&mut ctx.out(args.format)?, &items)?;

    let failed: Vec<String> = items
        .iter()
        .filter_map(|i| match &i.json {
            BatchJson::Error { line, error, .. } => Some(format!("line {line}: {error}")),
            _ => None,
        })
        .collect();
    if !failed.is_empty() {
        bail!("{} of {} batch lines failed: {}", failed.len(), items.len(), failed.join("; "));
    }
    let any_hits = items.iter().any(|i| matches!(&i.json, BatchJson::Result { hits, .. } if !hits.is_empty()));
    Ok(if any_hits { Found::Something } else { Found::Nothing })
}

/// What the command line sets for every line that does not set its own.
#[derive(Clone, Copy)]
struct Defaults<'m> {
    limit: usize,
    per_report: Option<usize>,
    correct: bool,
    mode: Mode,
    /// The model that embeds queries, when any line is not lexical.
    model: Option<&'m Model>,
}

fn run_one(
    searcher: &Searcher,
    q: &BatchQuery,
    filters: &insp::search::Filters,
    defaults: Defaults,
    text_style: Option<output::Style>,
) -> BatchItem {
    let mode = q.mode.unwrap_or(defaults.mode);
    let query_vector = defaults.model.filter(|_| mode != Mode::Lexical).map(|m| Arc::new(m.embed(&q.query)));
    let req = SearchRequest {
        correct: defaults.correct,
        per_report: q.per_report.or(defaults.per_report),
        mode,
        query_vector,
        ..SearchRequest::new(q.query.clone(), filters.overridden_by(&q.filters), q.limit.unwrap_or(defaults.limit))
    };
    match searcher.search(&req) {
        Err(e) => {
            BatchItem { json: BatchJson::Error { id: q.id.clone(), line: q.line, error: e.to_string() }, text: None }
        }
        Ok(res) => {
            let text = text_style.map(|style| {
                let mut buf = Vec::new();
                let _ = output::printer(Format::Text, style).search_results(&mut buf, &res);
                String::from_utf8_lossy(&buf).into_owned()
            });
            let hits = res.hits.iter().map(HitJson::of).collect();
            BatchItem {
                json: BatchJson::Result {
                    id: q.id.clone(),
                    query: q.query.clone(),
                    total: res.total,
                    hits,
                    showing_results_for: res.corrected.clone(),
                    suggestions: output::suggestions(&res),
                },
                text,
            }
        }
    }
}

/// The batch's lines: each a query or an error with its line number
/// (blank and comment lines left out).
fn read_lines(file: Option<&std::path::Path>) -> anyhow::Result<Vec<Result<BatchQuery, (usize, LineError)>>> {
    let input = match file {
        None => read_stdin()?,
        Some(p) if p.as_os_str() == "-" => read_stdin()?,
        Some(p) => std::fs::read_to_string(p).with_context(|| format!("cannot read the batch file {}", p.display()))?,
    };
    Ok(input
        .lines()
        .enumerate()
        .filter_map(|(i, l)| match parse_line(l, i + 1) {
            Ok(Some(q)) => Some(Ok(q)),
            Ok(None) => None,
            Err(e) => Some(Err((i + 1, e))),
        })
        .collect())
}

fn read_stdin() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).context("cannot read queries from standard input")?;
    Ok(s)
}
