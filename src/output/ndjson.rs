//! `--format ndjson`: one JSON object a line: a hit, a report, a facet
//! bucket, a trend row, a batch result; a single value (`show`, `stats`, `parse`) on one line.
//! `search` and `batch` end with one `{"summary": ...}` line, as ripgrep's
//! `--json` does.

use super::browse::{ShowParagraphJson, ShowReportJson};
use super::{
    BatchItem, BatchJson, BatchSummary, HitJson, LineFateJson, Printer, SummaryLine, TotalsJson, json_line as line,
    trend_rows,
};
use crate::report::{Report, ReportInfo};
use crate::search::SearchResults;
use crate::search::browse::Stats;
use crate::search::facets::FacetCounts;
use crate::search::trend::Trend;
use std::io::{self, Write};
use std::sync::Arc;

pub struct NdjsonPrinter;

impl Printer for NdjsonPrinter {
    fn search_results(&self, w: &mut dyn Write, res: &SearchResults) -> io::Result<()> {
        for h in &res.hits {
            line(w, &HitJson::of(h))?;
        }
        line(w, &SummaryLine { summary: TotalsJson::summary(res) })
    }

    fn parsed_report(&self, w: &mut dyn Write, report: &Report) -> io::Result<()> {
        line(w, report)
    }

    fn line_fates(&self, w: &mut dyn Write, rows: &[LineFateJson]) -> io::Result<()> {
        for r in rows {
            line(w, r)?;
        }
        Ok(())
    }

    fn batch(&self, w: &mut dyn Write, items: &[BatchItem]) -> io::Result<()> {
        for item in items {
            line(w, &item.json)?;
        }
        let (mut failed, mut hits) = (0, 0);
        for item in items {
            match &item.json {
                BatchJson::Error { .. } => failed += 1,
                BatchJson::Result { hits: h, .. } => hits += h.len(),
            }
        }
        line(w, &SummaryLine { summary: BatchSummary { queries: items.len(), failed, hits } })
    }

    fn facets(&self, w: &mut dyn Write, counts: &FacetCounts) -> io::Result<()> {
        for (f, buckets) in &counts.facets {
            for b in buckets {
                line(w, &serde_json::json!({"facet": f.as_str(), "value": b.value, "count": b.count}))?;
            }
        }
        Ok(())
    }

    fn reports(&self, w: &mut dyn Write, reports: &[Arc<ReportInfo>]) -> io::Result<()> {
        for r in reports {
            line(w, &**r)?;
        }
        Ok(())
    }

    fn show_paragraph(&self, w: &mut dyn Write, s: &ShowParagraphJson) -> io::Result<()> {
        line(w, s)
    }

    fn show_report(&self, w: &mut dyn Write, s: &ShowReportJson) -> io::Result<()> {
        line(w, s)
    }

    fn stats(&self, w: &mut dyn Write, s: &Stats) -> io::Result<()> {
        line(w, s)
    }

    fn trend(&self, w: &mut dyn Write, t: &Trend) -> io::Result<()> {
        for r in trend_rows(t) {
            line(w, &r)?;
        }
        Ok(())
    }
}
