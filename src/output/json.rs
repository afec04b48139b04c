//! `--format json`: one pretty-printed JSON value per command.

use super::browse::{ReportsJson, ShowParagraphJson, ShowReportJson};
use super::{
    BatchItem, BatchResultsJson, FacetsJson, LineFateJson, Printer, TrendJson, json_pretty as pretty, search_json,
};
use crate::report::{Report, ReportInfo};
use crate::search::SearchResults;
use crate::search::browse::Stats;
use crate::search::facets::FacetCounts;
use crate::search::trend::Trend;
use std::io::{self, Write};
use std::sync::Arc;

pub struct JsonPrinter;

impl Printer for JsonPrinter {
    fn search_results(&self, w: &mut dyn Write, res: &SearchResults) -> io::Result<()> {
        pretty(w, &search_json(res))
    }

    fn search_count(&self, w: &mut dyn Write, res: &SearchResults) -> io::Result<()> {
        pretty(w, &super::TotalsJson::of(res))
    }

    fn parsed_report(&self, w: &mut dyn Write, report: &Report) -> io::Result<()> {
        pretty(w, report)
    }

    fn line_fates(&self, w: &mut dyn Write, rows: &[LineFateJson]) -> io::Result<()> {
        pretty(w, &rows)
    }

    fn batch(&self, w: &mut dyn Write, items: &[BatchItem]) -> io::Result<()> {
        pretty(w, &BatchResultsJson { results: items.iter().map(|i| i.json.clone()).collect() })
    }

    fn facets(&self, w: &mut dyn Write, counts: &FacetCounts) -> io::Result<()> {
        pretty(w, &FacetsJson::of(counts))
    }

    fn reports(&self, w: &mut dyn Write, reports: &[Arc<ReportInfo>]) -> io::Result<()> {
        pretty(w, &ReportsJson { reports: reports.iter().map(|r| (**r).clone()).collect() })
    }

    fn show_paragraph(&self, w: &mut dyn Write, s: &ShowParagraphJson) -> io::Result<()> {
        pretty(w, s)
    }

    fn show_report(&self, w: &mut dyn Write, s: &ShowReportJson) -> io::Result<()> {
        pretty(w, s)
    }

    fn stats(&self, w: &mut dyn Write, s: &Stats) -> io::Result<()> {
        pretty(w, s)
    }

    fn trend(&self, w: &mut dyn Write, t: &Trend) -> io::Result<()> {
        pretty(w, &TrendJson::of(t))
    }
}
