//! One thin file per command: turn validated arguments into library calls
//! and print through `output`. Only this module touches the terminal.

pub mod batch;
pub mod browse;
pub mod export;
pub mod index;
pub mod open;
pub mod pager;
pub mod parse;
pub mod search;
pub mod serve;
pub mod trend;

use crate::cli::{Cli, Color, Command};
use anyhow::Context as _;
use insp::embed::Model;
use insp::index::vectors::Vectors;
use insp::index::{Store, StoreError};
use insp::output::{Format, Style};
use insp::search::{Filters, RawFilters};
use insp::search::{Mode, SearchError};
use std::io::IsTerminal;
use std::io::Write;
use std::path::Path;
use std::path::PathBuf;
use std::sync::Arc;

/// What a command reports back to main: grep's exit codes.
pub enum Found {
    Something,
    Nothing,
}

impl Found {
    /// The process's exit code, grep's: 0 found, 1 nothing found.
    pub fn code(self) -> i32 {
        match self {
            Found::Something => 0,
            Found::Nothing => 1,
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Found> {
    let ctx =
        Context { index: IndexLocation::of(cli.index.clone()), color: cli.color, bom: cli.bom, no_pager: cli.no_pager };
    match cli.command {
        Command::Index(args) => index::run(&ctx, args),
        Command::Search(args) => search::run(&ctx, args),
        Command::Parse(args) => parse::run(&ctx, args),
        Command::Reports(args) => browse::reports(&ctx, args),
        Command::Batch(args) => batch::run(&ctx, args),
        Command::Facets(args) => browse::facets(&ctx, args),
        Command::Trend(args) => trend::run(&ctx, args),
        Command::Show(args) => browse::show(&ctx, args),
        Command::Open(args) => open::run(&ctx, args),
        Command::Stats(args) => browse::stats(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Serve(args) => serve::run(&ctx, args),
        Command::Completions(args) => export::completions(args),
        Command::Man(args) => export::man(args),
    }
}

pub struct Context {
    pub index: IndexLocation,
    pub color: Color,
    /// Start CSV with a UTF-8 byte-order mark.
    pub bom: bool,
    pub no_pager: bool,
}

/// Where the index is: a directory the user named (`--index`, `INSP_INDEX`),
/// which must exist to be read, or the default location in the data
/// directory, beside which the bundled samples keep an index of their own.
pub struct IndexLocation {
    /// The index `insp index` writes and the other commands read.
    pub dir: PathBuf,
    /// Named by `--index` or `INSP_INDEX` (not the default location).
    pub explicit: bool,
    /// The samples' own index, read when the default location holds none.
    pub samples: PathBuf,
}

impl IndexLocation {
    /// --index, else INSP_INDEX (via clap), else the user's data directory.
    fn of(flag: Option<PathBuf>) -> IndexLocation {
        let data = std::env::var_os("XDG_DATA_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share")));
        let home = match data {
            Some(d) => d.join("insp"),
            None => PathBuf::from(".insp"),
        };
        let samples = home.join("samples");
        match flag {
            Some(dir) => IndexLocation { dir, explicit: true, samples },
            None => IndexLocation { dir: home.join("index"), explicit: false, samples },
        }
    }
}

impl Context {
    /// Colour (`--color`, else on a terminal unless `NO_COLOR` is set) and
    /// the width to wrap at: `COLUMNS` when set, else the terminal's; none
    /// when piped.
    pub fn style(&self) -> Style {
        let tty = std::io::stdout().is_terminal();
        let color = match self.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        };
        let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c > 0);
        let terminal = || {
            tty.then(|| terminal_size::terminal_size_of(std::io::stdout()))
                .flatten()
                .map(|(terminal_size::Width(w), _)| w as usize)
        };
        Style { color, width: columns.or_else(terminal) }
    }

    /// Standard output for a command's result in `format`: through a
    /// pager on a terminal (never xlsx, which is refused there), CSV started
    /// with a byte-order mark when asked.
    pub fn out(&self, format: Format) -> anyhow::Result<pager::Out> {
        if format == Format::Xlsx && std::io::stdout().is_terminal() {
            anyhow::bail!("xlsx is a binary file, not for a terminal: redirect it, e.g. `> reports.xlsx`");
        }
        let mut out = pager::Out::new(self.no_pager);
        if self.bom && format == Format::Csv {
            out.write_all("\u{feff}".as_bytes())?;
        }
        Ok(out)
    }

    /// The index to read. A directory the user named must hold one; the
    /// default location falls back to the bundled samples' own index
    /// (built on first use), so the user's reports and the samples never mix.
    pub fn open_for_reading(&self) -> anyhow::Result<Store> {
        let loc = &self.index;
        match Store::open(&loc.dir) {
            Err(StoreError::Missing(_)) if loc.explicit => anyhow::bail!(
                "no index at {dir} (named by --index or INSP_INDEX); check the path, or build one there with `insp --index {dir} index PATH`",
                dir = loc.dir.display()
            ),
            Err(StoreError::Missing(_)) => self.samples_index(),
            other => Ok(other?),
        }
    }

    /// The samples' index, built from the reports compiled into the binary
    /// the first time it is needed.
    fn samples_index(&self) -> anyhow::Result<Store> {
        let dir = &self.index.samples;
        match Store::open(dir) {
            Err(StoreError::Missing(_)) => {
                index::bootstrap(dir)?;
                eprintln!(
                    "insp: no index of your own yet, so searching the {} bundled sample reports (their index is at {}); `insp index PATH` builds yours",
                    insp::corpus::BUNDLED.len(),
                    dir.display()
                );
                Ok(Store::open(dir)?)
            }
            other => Ok(other?),
        }
    }
}

pub fn filters(raw: &RawFilters) -> anyhow::Result<Filters> {
    Ok(Filters::from_raw(raw)?)
}

pub fn load_model(path: &Path) -> anyhow::Result<Model> {
    Ok(Model::load(path)?)
}

/// The model an index update embeds with: the one named, else the one that
/// made the index's vectors (read from where it was then), else none.
pub fn model_for(dir: &Path, given: Option<&Path>) -> anyhow::Result<Option<Model>> {
    if let Some(path) = given {
        return load_model(path).map(Some);
    }
    let Some(meta) = Vectors::meta_of(dir)? else { return Ok(None) };
    let model = Model::load(&meta.model_path).with_context(|| {
        format!(
            "the index at {} has paragraph vectors made by the model read from {}, which cannot be read now; give --model PATH (or INSP_MODEL)",
            dir.display(),
            meta.model_path.display()
        )
    })?;
    Ok(Some(model))
}

/// Whether the index has paragraph vectors (which make hybrid the default).
pub fn has_vectors(store: &Store) -> anyhow::Result<bool> {
    Ok(Vectors::meta_of(&store.dir)?.is_some())
}

/// What a search in `mode` needs besides the index: its paragraph vectors
/// and the model that made them, to embed queries with (`given`, checked
/// to be that model, else the one the index names). None for lexical.
pub fn semantic_parts(
    store: &Store,
    mode: Mode,
    given: Option<&Path>,
) -> anyhow::Result<Option<(Arc<Vectors>, Model)>> {
    if mode == Mode::Lexical {
        return Ok(None);
    }
    let Some(vectors) = Vectors::load(&store.dir)? else {
        return Err(SearchError::NoVectors(store.dir.display().to_string(), mode.as_str()).into());
    };
    let model = match given {
        Some(path) => load_model(path)?,
        None => Model::load(&vectors.meta.model_path).with_context(|| {
            format!(
                "the index's paragraph vectors were made by the model read from {}, which cannot be read now; give --model PATH (or INSP_MODEL)",
                vectors.meta.model_path.display()
            )
        })?,
    };
    if model.id.sha256 != vectors.meta.model.sha256 {
        return Err(insp::index::EmbedError::Mixed {
            dir: store.dir.clone(),
            index_model: vectors.meta.model.name.clone(),
            index_sha: vectors.meta.model.sha256.clone(),
            given_model: model.id.name,
            given_sha: model.id.sha256,
        }
        .into());
    }
    Ok(Some((Arc::new(vectors), model)))
}
