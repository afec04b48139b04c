//! Command-line definitions only: clap types, doc comments that become `--help`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use insp::output::Format;
use insp::search::RawFilters;
use insp::search::trend::{Per, TrendBy};
use std::path::PathBuf;

/// Search Ofsted children's services inspection reports: numbered paragraphs
/// with their authority, date, section and grade.
///
/// With no index yet, `insp search` builds one from the sample reports
/// compiled into the binary. Exit status: 0 found something, 1 found
/// nothing, 2 error.
#[derive(Debug, Parser)]
#[command(name = "insp", version, about, long_about)]
pub struct Cli {
    /// The index directory [default: the user's data directory, e.g. ~/.local/share/insp/index]
    #[arg(long, global = true, env = "INSP_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// When to colour text output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from files and folders (.pdf, .txt, .md, recursively).
    ///
    /// With no PATH, indexes the bundled sample reports. Unchanged files are
    /// skipped; changed files replace their report; files that disappeared from
    /// an indexed folder are removed. Bad files are reported and skipped.
    Index(IndexArgs),
    /// Ranked excerpts for a query: words, "phrases", +required, -excluded, AND, OR.
    Search(SearchArgs),
    /// Many queries at once, one per line: plain text or a JSON object
    /// {"id", "query", "authority", "grade", "section", "type", "since", "until", "limit"}.
    ///
    /// Filters given here apply to every line unless the line sets its own.
    /// A bad line gives an error object with its line number and the batch
    /// goes on; the exit status is 2 if any line failed.
    Batch(BatchArgs),
    /// Counts of matching paragraphs by authority, grade, section, year or type.
    Facets(FacetsArgs),
    /// How often a topic comes up: for each year (overall grade, section
    /// grade, type, authority), how many reports mention it out of how many
    /// there are, as a bar chart, a table or an image.
    ///
    /// A report mentions a query when one of its paragraphs has every word
    /// (boilerplate left out, filters applied). Each QUERY is one query:
    /// quote its words, `insp trend "county lines" "criminal exploitation"`.
    /// Buckets of fewer than 5 reports are marked small (░ and * in the
    /// chart, `small` in tables): a share of three reports is not a trend.
    Trend(TrendArgs),
    /// Show how one file is understood (metadata, judgements, paragraphs,
    /// warnings) without touching the index.
    Parse(ParseArgs),
    /// The indexed reports, one row each, with their dates and every judgement's grade.
    ///
    /// --grade keeps reports with any judgement of that grade; CSV has one
    /// column per judgement.
    Reports(ReportsArgs),
    /// A paragraph with its neighbours (REPORT_ID#PARA), or a report's outline (REPORT_ID).
    Show(ShowArgs),
    /// What the index holds: reports and paragraphs by type and year, size, schema.
    Stats(StatsArgs),
    /// Every document as NDJSON, or the Quickwit index config or OpenSearch
    /// mapping that loads it with the same fields and analysis.
    ///
    /// `insp index FILE.ndjson` reads an export back.
    Export(ExportArgs),
    /// Shell completions: `insp completions bash > ~/.local/share/bash-completion/completions/insp`.
    Completions(CompletionsArgs),
    /// The manual page (roff): `insp man > ~/.local/share/man/man1/insp.1`.
    Man,
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
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ReportsArgs {
    #[command(flatten)]
    pub filters: RawFilters,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// `wakefield-2011-01-slac#24` for a paragraph, `wakefield-2011-01-slac` for a report.
    pub id: String,
    /// Paragraphs to show before and after a paragraph.
    #[arg(long, short = 'C', default_value_t = 0)]
    pub context: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
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
    /// Build a fresh index from PATHs (or the bundled reports), replacing the
    /// old one only once the new one is complete.
    #[arg(long)]
    pub rebuild: bool,
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
    /// Search every line's words as typed, even when one matches nothing
    /// (by default such a word is replaced by the nearest indexed word, and
    /// the line's result says so in `showing_results_for`).
    #[arg(long)]
    pub no_correct: bool,
    #[arg(long, value_enum, default_value_t = Format::Ndjson)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    /// One or more queries, each in quotes, side by side in the chart.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// The buckets: year of inspection, the report's overall effectiveness
    /// grade, the grade of the section a paragraph is in, report type, or
    /// authority.
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
    /// text: a bar chart (80 columns); json, ndjson, csv: one row per bucket and query.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// Count only paragraphs with these words (any of them); all paragraphs without.
    pub query: Vec<String>,
    /// The facets to count (repeatable) [default: all].
    #[arg(long, value_enum)]
    pub by: Vec<insp::search::facets::Facet>,
    #[command(flatten)]
    pub filters: RawFilters,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}
