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
