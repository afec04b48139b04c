//! `insp search`.

use super::{Context, Found};
use crate::cli::SearchArgs;
use insp::output;
use insp::search::{SearchRequest, Searcher};

pub fn run(ctx: &Context, args: SearchArgs) -> anyhow::Result<Found> {
    let filters = super::filters(&args.filters)?;
    let store = ctx.open_for_reading()?;
    let searcher = Searcher::new(&store)?;
    let req = SearchRequest {
        per_report: args.per_report.map(|n| n as usize),
        explain: args.explain,
        correct: !args.no_correct,
        ..SearchRequest::new(args.query.join(" "), filters, args.limit as usize)
    };
    let results = searcher.search(&req)?;
    // CSV and NDJSON rows have no place for it: say it on stderr.
    if let (Some(corrected), output::Format::Csv | output::Format::Ndjson) = (&results.corrected, args.format) {
        eprintln!("insp: showing results for \"{corrected}\"; --no-correct searches the words as typed");
    }
    let mut out = std::io::stdout().lock();
    output::printer(args.format, ctx.style()).search_results(&mut out, &results)?;
    Ok(if results.hits.is_empty() { Found::Nothing } else { Found::Something })
}
