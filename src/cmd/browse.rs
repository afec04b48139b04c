//! `insp reports`, `insp show`, `insp stats`: the index without a query.

use super::{Context, Found};
use crate::cli::{FacetsArgs, ReportsArgs, ShowArgs, StatsArgs};
use anyhow::bail;
use insp::output::browse::{self as out, ShowParagraphJson, ShowReportJson};
use insp::output::printer;
use insp::report::{Paragraph, ReportInfo};
use insp::search::Searcher;
use insp::search::facets::Facet;
use std::rc::Rc;

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

/// A report (`REPORT_ID`) or paragraph (`REPORT_ID#PARA`) id looked up:
/// the report, its paragraphs, and the paragraph's position among them.
pub fn lookup(searcher: &Searcher, id: &str) -> anyhow::Result<(Rc<ReportInfo>, Vec<Paragraph>, Option<usize>)> {
    let (report_id, para) = match id.split_once('#') {
        Some((r, p)) => match p.parse::<u32>() {
            Ok(n) => (r, Some(n)),
            Err(_) => bail!("'{id}' is not a paragraph id; write REPORT_ID#NUMBER, e.g. wakefield-2011-01-slac#24"),
        },
        None => (id, None),
    };
    let Some(report) = searcher.report(report_id)? else {
        bail!("no report '{report_id}' in the index; `insp reports` lists them");
    };
    let paragraphs = searcher.paragraphs(report_id)?;
    let Some(n) = para else { return Ok((report, paragraphs, None)) };
    let Some(k) = paragraphs.iter().position(|p| p.para == n) else {
        let (first, last) = (
            paragraphs.iter().map(|p| p.para).min().unwrap_or(0),
            paragraphs.iter().map(|p| p.para).max().unwrap_or(0),
        );
        bail!("report '{report_id}' has no paragraph {n} (its paragraphs run from {first} to {last})");
    };
    Ok((report, paragraphs, Some(k)))
}

pub fn show(ctx: &Context, args: ShowArgs) -> anyhow::Result<Found> {
    let store = ctx.open_for_reading()?;
    let searcher = Searcher::new(&store)?;
    let (report, paragraphs, k) = lookup(&searcher, &args.id)?;
    let mut stdout = ctx.out(args.format)?;
    match k {
        None => {
            let show = ShowReportJson { report: (*report).clone(), outline: out::outline(&paragraphs) };
            printer(args.format, ctx.style()).show_report(&mut stdout, &show)?;
        }
        Some(k) => {
            let n = paragraphs[k].para;
            let Some((before, paragraph, after)) = insp::search::browse::around(&paragraphs, n, args.context) else {
                bail!("report '{}' has no paragraph {n}", report.report_id);
            };
            let show = ShowParagraphJson {
                id: args.id.clone(),
                cite: insp::output::citation(&report, &paragraphs[k]),
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
    by.dedup();
    let counts = searcher.facets(query.as_deref(), &filters, &by)?;
    printer(args.format, ctx.style()).facets(&mut ctx.out(args.format)?, &counts)?;
    Ok(if counts.total == 0 { Found::Nothing } else { Found::Something })
}
