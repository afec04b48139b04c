//! Integration tests: the `insp` binary run as a user would, in a temporary
//! directory with a scrubbed environment.

mod harness;

mod analyst;
mod batch;
mod browse;
mod cli;
mod corpus_checks;
mod export;
mod first_hour;
mod gold;
mod index;
mod kinds;
mod parse;
mod pdf;
mod peer;
mod readme;
mod reliability;
mod search;
mod semantic;
mod serve;
mod shared;
mod terminal;
mod ties;
mod trend;
