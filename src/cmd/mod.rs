//! One thin file per command: turn validated arguments into library calls
//! and print through `output`. Only this module touches the terminal.

pub mod batch;
pub mod browse;
pub mod export;
pub mod index;
pub mod parse;
pub mod search;
pub mod trend;

use crate::cli::{Cli, Color, Command};
use insp::index::{Store, StoreError};
use insp::output::Style;
use insp::search::{Filters, RawFilters};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// What a command reports back to main: grep's exit codes.
pub enum Found {
    Something,
    Nothing,
}

impl From<Found> for ExitCode {
    fn from(f: Found) -> ExitCode {
        match f {
            Found::Something => ExitCode::SUCCESS,
            Found::Nothing => ExitCode::from(1),
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Found> {
    let ctx = Context { index_dir: index_dir(cli.index.clone()), color: cli.color };
    match cli.command {
        Command::Index(args) => index::run(&ctx, args),
        Command::Search(args) => search::run(&ctx, args),
        Command::Parse(args) => parse::run(&ctx, args),
        Command::Reports(args) => browse::reports(&ctx, args),
        Command::Batch(args) => batch::run(&ctx, args),
        Command::Facets(args) => browse::facets(&ctx, args),
        Command::Trend(args) => trend::run(&ctx, args),
        Command::Show(args) => browse::show(&ctx, args),
        Command::Stats(args) => browse::stats(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Completions(args) => export::completions(args),
        Command::Man => export::man(),
    }
}

pub struct Context {
    pub index_dir: PathBuf,
    pub color: Color,
}

impl Context {
    pub fn style(&self) -> Style {
        let color = match self.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        };
        Style { color }
    }

    /// The index, built from the bundled reports first if there is none yet.
    pub fn open_or_bootstrap(&self) -> anyhow::Result<Store> {
        match Store::open(&self.index_dir) {
            Err(StoreError::Missing(_)) => {
                index::bootstrap(&self.index_dir)?;
                eprintln!(
                    "insp: no index at {} yet, so built one from the {} bundled sample reports (add your own with `insp index PATH`)",
                    self.index_dir.display(),
                    insp::corpus::BUNDLED.len()
                );
                Ok(Store::open(&self.index_dir)?)
            }
            other => Ok(other?),
        }
    }
}

/// --index, else INSP_INDEX (via clap), else the user's data directory.
fn index_dir(flag: Option<PathBuf>) -> PathBuf {
    if let Some(dir) = flag {
        return dir;
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share")));
    match data {
        Some(d) => d.join("insp").join("index"),
        None => PathBuf::from(".insp-index"),
    }
}

pub fn filters(raw: &RawFilters) -> anyhow::Result<Filters> {
    Ok(Filters::from_raw(raw)?)
}
