//! `insp search`.

use super::{Context, Found};
use crate::cli::SearchArgs;
use insp::output;
use insp::search::{Mode, SearchRequest, Searcher, Sort};
use std::io::Write;
use std::sync::Arc;

pub fn run(ctx: &Context, args: SearchArgs) -> anyhow::Result<Found> {
    let filters = super::filters(&args.filters)?;
    let store = ctx.open_for_reading()?;
    let by_score = args.sort != Sort::Date && !args.count;
    let mode = Mode::choose(args.mode, super::has_vectors(&store)?, by_score);
    if mode != Mode::Lexical && args.sort == Sort::Date {
        anyhow::bail!("--sort date orders the lexical ranking; use it with --mode lexical");
    }
    let semantic = super::semantic_parts(&store, mode, args.model.as_deref())?;
    let query = args.query.join(" ");
    let query_vector = semantic.as_ref().map(|(_, model)| Arc::new(model.embed(&query)));
    let searcher = Searcher::new(&store)?.with_vectors(semantic.map(|(v, _)| v));
    // The totals need no hits but one.
    let limit = if args.count { 1 } else { args.limit as usize };
    let req = SearchRequest {
        per_report: args.per_report.map(|n| n as usize),
        explain: args.explain,
        correct: !args.no_correct,
        offset: args.offset as usize,
        sort: args.sort,
        mode,
        query_vector,
        ..SearchRequest::new(query, filters, limit)
    };
    let mut results = searcher.search(&req)?;
    if args.context > 0 {
        searcher.add_context(&mut results.hits, args.context)?;
    }
    // CSV, NDJSON and xlsx rows and the bare count have no place for it: say it on stderr.
    let rows = matches!(args.format, output::Format::Csv | output::Format::Ndjson | output::Format::Xlsx);
    if let Some(corrected) = results.corrected.as_ref().filter(|_| rows || args.count) {
        eprintln!("insp: showing results for \"{corrected}\"; --no-correct searches the words as typed");
    }
    let printer = output::printer(args.format, ctx.style());
    // Written in one go, not a write for each line (74 for ten hits): a
    // one-off search is a short process. Flushed here, so that an error
    // writing (a full disk) is reported, not lost.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, ctx.out(args.format)?);
    if args.count {
        printer.search_count(&mut out, &results)?;
    } else if args.cite && args.format == output::Format::Text {
        output::citations(&mut out, &results)?;
    } else {
        printer.search_results(&mut out, &results)?;
    }
    out.flush()?;
    if args.count {
        return Ok(if results.total == 0 { Found::Nothing } else { Found::Something });
    }
    Ok(if results.hits.is_empty() { Found::Nothing } else { Found::Something })
}
