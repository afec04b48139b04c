//! `insp trend`: shares by bucket, printed, and drawn into image files.

use super::{Context, Found};
use crate::cli::TrendArgs;
use anyhow::{Context as _, bail};
use insp::output::{plot, printer};
use insp::search::Searcher;
use std::path::Path;

pub fn run(ctx: &Context, args: TrendArgs) -> anyhow::Result<Found> {
    let filters = super::filters(&args.filters)?;
    if let Some(q) = args.query.iter().find(|q| !q.chars().any(char::is_alphanumeric)) {
        bail!("the query {q:?} has no words; give each query in quotes, e.g. insp trend \"county lines\"");
    }
    for path in [&args.svg, &args.png].into_iter().flatten() {
        check_writable(path)?;
    }
    let store = ctx.open_for_reading()?;
    let searcher = Searcher::new(&store)?;
    let trend = searcher.trend(&args.query, &filters, args.by, args.per)?;
    if let Some(path) = &args.svg {
        write_image(path, plot::svg(&trend)?.as_bytes())?;
    }
    if let Some(path) = &args.png {
        write_image(path, &plot::png(&trend)?)?;
    }
    printer(args.format, ctx.style()).trend(&mut ctx.out(args.format)?, &trend)?;
    Ok(if trend.found() { Found::Something } else { Found::Nothing })
}

/// Fail before searching when an image could not be written.
fn check_writable(path: &Path) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        bail!("cannot write the chart to {}: the folder {} does not exist", path.display(), dir.display());
    }
    if path.is_dir() {
        bail!("cannot write the chart to {}: it is a folder; give a file name", path.display());
    }
    Ok(())
}

fn write_image(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write the chart to {}", path.display()))
}
