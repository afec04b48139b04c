//! `insp parse FILE`: how one file is understood, without the index.

use super::{Context, Found};
use crate::cli::ParseArgs;
use anyhow::Context as _;
use insp::{extract, output, report};

pub fn run(_ctx: &Context, args: ParseArgs) -> anyhow::Result<Found> {
    let path = &args.file;
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = extract::text_of(path, &bytes).with_context(|| format!("cannot parse {}", path.display()))?;
    let report = report::parse(&text, &path.display().to_string());
    let mut out = std::io::stdout().lock();
    if args.lines {
        output::line_fates(&mut out, &report, &text, args.format)?;
        return Ok(Found::Something);
    }
    output::parsed_report(&mut out, &report, args.format)?;
    Ok(if report.paragraphs.is_empty() { Found::Nothing } else { Found::Something })
}
