//! `insp parse FILE`: how one file is understood, without the index.

use super::{Context, Found};
use crate::cli::ParseArgs;
use anyhow::Context as _;
use insp::{extract, output, report};

pub fn run(ctx: &Context, args: ParseArgs) -> anyhow::Result<Found> {
    let path = &args.file;
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = extract::text_of(path, &bytes).with_context(|| format!("cannot parse {}", path.display()))?;
    let report = report::parse(&text, &path.display().to_string());
    let mut out = ctx.out(args.format)?;
    let printer = output::printer(args.format, ctx.style());
    if args.lines {
        printer.line_fates(&mut out, &output::line_fate_rows(&report, &text))?;
        return Ok(Found::Something);
    }
    printer.parsed_report(&mut out, &report)?;
    Ok(if report.paragraphs.is_empty() { Found::Nothing } else { Found::Something })
}
