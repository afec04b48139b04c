//! insp: a search engine over inspection reports.
//!
//! `report` parses text into reports (pure: no I/O, no tantivy); `extract`
//! turns files into text; `index` keeps reports in a tantivy index (the only
//! code that knows its fields); `search` answers queries with data; `output`
//! formats that data; `serve` puts the same calls behind HTTP. The binary's `cmd` module wires them together.

pub mod corpus;
pub use insp_embed as embed;
pub mod extract;
pub mod hash;
pub mod index;
pub mod output;
pub mod report;
pub mod search;
pub mod serve;
pub mod vocab;

/// `m` locked, or taken as it is if a holder panicked: what insp guards with
/// locks (caches of searches, the readers' window) stays usable.
pub(crate) fn locked<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
