//! `insp serve`: open the index for reading, print the URL, serve.

use super::{Context, Found};
use crate::cli::ServeArgs;
use insp::serve::Config;
use std::io::Write;

pub fn run(ctx: &Context, args: ServeArgs) -> anyhow::Result<Found> {
    let mut config = Config { addr: args.addr, token: args.token, public: args.public, semantic: None };
    // Refuse before opening (or building) any index.
    insp::serve::check_access(&config)?;
    let store = ctx.open_for_reading()?;
    // With paragraph vectors, the model is loaded once, here, as `search`
    // loads it (and refused the same way when it is not theirs).
    if insp::index::vectors::Vectors::meta_of(&store.dir)?.is_some() {
        config.semantic = super::semantic_parts(&store, insp::search::Mode::Hybrid, args.model.as_deref())?;
    }
    let index = store.dir.display().to_string();
    let needs_token = config.token.is_some();
    insp::serve::run(store, config, |addr| {
        println!("insp serve: http://{addr}/");
        let _ = std::io::stdout().flush();
        eprintln!("insp: serving {index} read-only; Ctrl-C stops");
        if needs_token {
            eprintln!(
                "insp: every request needs the token (Authorization: Bearer TOKEN, or ?token=TOKEN once in a browser)"
            );
        }
    })?;
    eprintln!("insp: stopped");
    Ok(Found::Something)
}
