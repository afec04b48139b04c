//! insp: a search engine over inspection reports.
//!
//! `report` parses text into reports (pure: no I/O, no tantivy); `extract`
//! turns files into text; `schema` and `indexer` keep reports in a tantivy
//! index; `search` answers queries with data; `output` formats that data.
//! The binary's `cmd` module wires them together.

pub mod corpus;
pub mod export;
pub mod extract;
pub mod hash;
pub mod indexer;
pub mod output;
pub mod report;
pub mod schema;
pub mod search;
pub mod vocab;
