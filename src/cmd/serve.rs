//! `insp serve`: open the index for reading, print the URL, serve.

use super::{Context, Found};
use crate::cli::ServeArgs;
use insp::serve::Config;
use std::io::Write;

pub fn run(ctx: &Context, args: ServeArgs) -> anyhow::Result<Found> {
    let config = Config { addr: args.addr, token: args.token, public: args.public };
    // Refuse before opening (or building) any index.
    insp::serve::check_access(&config)?;
    let store = ctx.open_for_reading()?;
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
