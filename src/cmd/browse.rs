//! `insp reports`, `insp show`, `insp stats`: the index without a query.

use super::{Context, Found};
use crate::cli::{FacetsArgs, ReportsArgs, ShowArgs, StatsArgs};
use insp::output::browse::{ShowParagraphJson, ShowReportJson};
use insp::output::printer;
use insp::search::Searcher;
use insp::search::facets::Facet;

pub fn reports(ctx: &Context, args: ReportsArgs) -> anyhow::Result<Found> {
    let filters = super::filters(&args.filters)?;
    let store = ctx.open_for_reading()?;
    let searcher = Searcher::new(&store)?;
    let reports = searcher.reports(&filters, args.latest)?;
    if args.latest && filters.types.is_empty() {
        let types: Vec<&str> = insp::report::ReportType::FULL_INSPECTIONS.iter().map(|t| t.as_str()).collect();
        eprintln!("insp: each authority's latest full inspection ({})", types.join(", "));
    }
    printer(args.format, ctx.style()).reports(&mut ctx.out(args.format)?, &reports)?;
    Ok(if reports.is_empty() { Found::Nothing } else { Found::Something })
}

pub fn show(ctx: &Context, args: ShowArgs) -> anyhow::Result<Found> {
    let store = ctx.open_for_reading()?;
    let searcher = Searcher::new(&store)?;
    let found = searcher.lookup(&args.id)?;
    let mut stdout = ctx.out(args.format)?;
    let printer = printer(args.format, ctx.style());
    match ShowParagraphJson::of(&args.id, &found, args.context) {
        Some(show) => printer.show_paragraph(&mut stdout, &show)?,
        None => printer.show_report(&mut stdout, &ShowReportJson::of(&found))?,
    }
    Ok(Found::Something)
}

pub fn stats(ctx: &Context, args: StatsArgs) -> anyhow::Result<Found> {
    let store = ctx.open_for_reading()?;
    let searcher = Searcher::new(&store)?;
    let stats = searcher.stats()?;
    printer(args.format, ctx.style()).stats(&mut ctx.out(args.format)?, &stats)?;
    Ok(if stats.reports == 0 { Found::Nothing } else { Found::Something })
}

pub fn facets(ctx: &Context, args: FacetsArgs) -> anyhow::Result<Found> {
    let filters = super::filters(&args.filters)?;
    let store = ctx.open_for_reading()?;
    let searcher = Searcher::new(&store)?;
    let query = (!args.query.is_empty()).then(|| args.query.join(" "));
    let mut by = args.by.clone();
    if by.is_empty() {
        by = Facet::ALL.to_vec();
    }
    let counts = searcher.facets(query.as_deref(), &filters, &by)?;
    printer(args.format, ctx.style()).facets(&mut ctx.out(args.format)?, &counts)?;
    Ok(if counts.total == 0 { Found::Nothing } else { Found::Something })
}
