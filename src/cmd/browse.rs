//! `insp reports`, `insp show`, `insp stats`: the index without a query.

use super::{Context, Found};
use crate::cli::{FacetsArgs, ReportsArgs, ShowArgs, StatsArgs};
use anyhow::bail;
use insp::output::browse::{self as out, ShowParagraphJson, ShowReportJson};
use insp::output::printer;
use insp::search::Searcher;
use insp::search::facets::Facet;

pub fn reports(ctx: &Context, args: ReportsArgs) -> anyhow::Result<Found> {
    let filters = super::filters(&args.filters)?;
    let store = ctx.open_for_reading()?;
    let searcher = Searcher::new(&store)?;
    let reports = searcher.reports(&filters)?;
    printer(args.format, ctx.style()).reports(&mut ctx.out(), &reports)?;
    Ok(if reports.is_empty() { Found::Nothing } else { Found::Something })
}

pub fn show(ctx: &Context, args: ShowArgs) -> anyhow::Result<Found> {
    let store = ctx.open_for_reading()?;
    let searcher = Searcher::new(&store)?;
    let (report_id, para) = match args.id.split_once('#') {
        Some((r, p)) => match p.parse::<u32>() {
            Ok(n) => (r, Some(n)),
            Err(_) => {
                bail!("'{}' is not a paragraph id; write REPORT_ID#NUMBER, e.g. wakefield-2011-01-slac#24", args.id)
            }
        },
        None => (args.id.as_str(), None),
    };
    let Some(report) = searcher.report(report_id)? else {
        bail!("no report '{report_id}' in the index; `insp reports` lists them");
    };
    let paragraphs = searcher.paragraphs(report_id)?;
    let mut stdout = ctx.out();
    match para {
        None => {
            let show = ShowReportJson { report: (*report).clone(), outline: out::outline(&paragraphs) };
            printer(args.format, ctx.style()).show_report(&mut stdout, &show)?;
        }
        Some(n) => {
            let Some((before, paragraph, after)) = insp::search::browse::around(&paragraphs, n, args.context) else {
                let (first, last) =
                    (paragraphs.first().map_or(0, |p| p.para), paragraphs.iter().map(|p| p.para).max().unwrap_or(0));
                bail!("report '{report_id}' has no paragraph {n} (its paragraphs run from {first} to {last})");
            };
            let show = ShowParagraphJson {
                id: args.id.clone(),
                report: (*report).clone(),
                paragraph: paragraph.clone(),
                before: before.to_vec(),
                after: after.to_vec(),
            };
            printer(args.format, ctx.style()).show_paragraph(&mut stdout, &show)?;
        }
    }
    Ok(Found::Something)
}

pub fn stats(ctx: &Context, args: StatsArgs) -> anyhow::Result<Found> {
    let store = ctx.open_for_reading()?;
    let searcher = Searcher::new(&store)?;
    let stats = searcher.stats()?;
    printer(args.format, ctx.style()).stats(&mut ctx.out(), &stats)?;
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
    by.dedup();
    let counts = searcher.facets(query.as_deref(), &filters, &by)?;
    printer(args.format, ctx.style()).facets(&mut ctx.out(), &counts)?;
    Ok(if counts.total == 0 { Found::Nothing } else { Found::Something })
}
