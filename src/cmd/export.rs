//! `insp export`, `insp completions`, `insp man`.

use super::{Context, Found};
use crate::cli::{Cli, CompletionsArgs, ExportArgs, ExportFormat};
use clap::CommandFactory;
use insp::search::Searcher;
use std::io::Write;

pub fn run(ctx: &Context, args: ExportArgs) -> anyhow::Result<Found> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ExportFormat::Quickwit => {
            serde_json::to_writer_pretty(&mut out, &insp::index::export::quickwit_config())?;
            writeln!(out)?;
        }
        ExportFormat::Opensearch => {
            serde_json::to_writer_pretty(&mut out, &insp::index::export::opensearch_mapping())?;
            writeln!(out)?;
        }
        ExportFormat::Ndjson => {
            let store = ctx.open_for_reading()?;
            let searcher = Searcher::new(&store)?;
            let n = searcher.export(|doc| {
                serde_json::to_writer(&mut out, doc)?;
                writeln!(out)
            })?;
            out.flush()?;
            if n == 0 {
                return Ok(Found::Nothing);
            }
        }
    }
    out.flush()?;
    Ok(Found::Something)
}

pub fn completions(args: CompletionsArgs) -> anyhow::Result<Found> {
    clap_complete::generate(args.shell, &mut Cli::command(), "insp", &mut std::io::stdout().lock());
    Ok(Found::Something)
}

pub fn man() -> anyhow::Result<Found> {
    clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout().lock())?;
    Ok(Found::Something)
}
