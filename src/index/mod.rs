//! The index: what it stores and how. `schema` builds the tantivy schema
//! from `index_schema/fields.tsv`; `codec` is the only code that turns
//! reports into documents and back (and names fields and document kinds);
//! `store` opens, creates, locks and rebuilds an index on disk (`shared`:
//! reading one without writing, files readable by others); `plan`
//! decides what an update changes and `update` applies it; `export` writes
//! and reads the index's documents for other engines.

pub mod codec;
pub mod export;
pub mod plan;
pub mod schema;
mod shared;
pub mod store;
pub mod update;
pub mod vectors;

pub use codec::{Codec, Kind};
pub use store::{Rebuild, Store, StoreError};
pub use update::{EmbedError, Input, Outcome, Progress, Summary, update, update_embedding};
