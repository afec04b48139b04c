//! `insp serve`: the index as a local web page and a JSON API.
//!
//! Every answer comes from the same library calls as the commands
//! (`search`, `facets`, `reports`, `show`, `trend`), and the API's JSON is
//! written by the same printer as `--format json`. This module only reads
//! requests (`params`), checks access (`auth`), renders HTML (`html`, with
//! one escaping function) and streams a report's recorded PDF (`pdf`).

mod api;
mod auth;
mod html;
pub mod params;
mod pdf;

use crate::embed::Model;
use crate::index::Store;
use crate::index::vectors::Vectors;
use crate::search::browse::LookupError;
use crate::search::{Memory, SearchError, Searcher};
use anyhow::Context as _;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use params::Params;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tantivy::IndexReader;

/// How the server is reached.
pub struct Config {
    pub addr: SocketAddr,
    /// Required of every request when set.
    pub token: Option<String>,
    /// Serve a non-loopback address without a token, on purpose.
    pub public: bool,
    /// The index's paragraph vectors and the model that made them (loaded
    /// by the caller): searches then rank by meaning too, hybrid unless a
    /// request asks otherwise (`mode`).
    pub semantic: Option<(Arc<Vectors>, Model)>,
}

/// What every request shares: the index, opened for reading, and one
/// reader that follows its commits.
pub struct App {
    store: Store,
    reader: IndexReader,
    token: Option<String>,
    /// Bound to loopback with no token: requests must name a loopback
    /// host, so that a web page cannot reach the server through a name it
    /// controls (DNS rebinding).
    loopback_only: bool,
    semantic: Option<(Arc<Vectors>, Model)>,
    /// What the searches of the latest commit remember (filter sets,
    /// reports), with that commit's generation: replaced when a new commit
    /// is seen, so no request reads what another commit remembered.
    memory: Mutex<(u64, Arc<Memory>)>,
}

impl App {
    /// A searcher over the latest commit, remembering with every other
    /// request on that commit.
    fn searcher(&self) -> Searcher<'_> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let memory = {
            let mut m = crate::locked(&self.memory);
            if m.0 != generation {
                *m = (generation, Arc::default());
            }
            m.1.clone()
        };
        let vectors = self.semantic.as_ref().map(|(v, _)| v.clone());
        Searcher::from_parts(&self.store, searcher).with_vectors(vectors).remembering(memory)
    }
}

/// What a handler gets: a searcher over the latest commit (with the
/// paragraph vectors, if any) and the model to embed a query with.
pub struct Call<'a> {
    searcher: Searcher<'a>,
    pub model: Option<&'a Model>,
}

impl<'a> std::ops::Deref for Call<'a> {
    type Target = Searcher<'a>;
    fn deref(&self) -> &Searcher<'a> {
        &self.searcher
    }
}

/// An answer other than 200: its status and a message for a person.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, message: message.into() }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::NOT_FOUND, message: message.into() }
    }

    fn internal(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::INTERNAL_SERVER_ERROR, message: message.into() }
    }

    /// `{"error": "..."}` for the API, a page for a browser.
    fn respond(self, as_html: bool) -> Response {
        if as_html {
            return (self.status, html::error_page(self.status, &self.message)).into_response();
        }
        let body = serde_json::json!({ "error": self.message }).to_string();
        (self.status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    }
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> ApiError {
        match e {
            SearchError::Query(q) => ApiError::bad(format!("q: {q}")),
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl From<LookupError> for ApiError {
    fn from(e: LookupError) -> ApiError {
        match e {
            LookupError::BadId(_) => ApiError::bad(e.to_string()),
            LookupError::NoReport(_) | LookupError::NoParagraph { .. } => ApiError::not_found(e.to_string()),
            LookupError::Search(s) => s.into(),
        }
    }
}

/// Refuse to serve an address other machines can reach with neither a
/// token nor `--public`.
pub fn check_access(config: &Config) -> anyhow::Result<()> {
    if let Some(t) = &config.token
        && t.trim().is_empty()
    {
        anyhow::bail!("the token is empty; give a long random one, e.g. --token \"$(openssl rand -hex 16)\"");
    }
    if !config.addr.ip().is_loopback() && config.token.is_none() && !config.public {
        anyhow::bail!(
            "{} can be reached from other machines: give a token (--token or INSP_TOKEN) that every request must carry, \
             or --public if the index holds only public reports; 127.0.0.1 needs neither",
            config.addr
        );
    }
    Ok(())
}

/// Serve `store` until Ctrl-C (or SIGTERM); `ready` is told the address
/// bound (port 0 picks a free one) before the first request is read.
pub fn run(store: Store, config: Config, ready: impl FnOnce(SocketAddr)) -> anyhow::Result<()> {
    check_access(&config)?;
    let reader = store.live_reader()?;
    let loopback_only = config.addr.ip().is_loopback() && config.token.is_none();
    let semantic = config.semantic;
    let memory = Mutex::new((u64::MAX, Arc::default()));
    let app = Arc::new(App { store, reader, token: config.token.clone(), loopback_only, semantic, memory });
    // Searches run on a bounded pool of blocking threads: a burst of
    // clients waits in line rather than starting a thread each.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(8)
        .enable_io()
        .build()
        .context("cannot start the server's threads")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        ready(listener.local_addr()?);
        axum::serve(listener, router(app)).with_graceful_shutdown(shutdown()).await?;
        Ok(())
    })
}

async fn shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {},
                    _ = term.recv() => {},
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(page_search))
        .route("/show/{id}", get(page_show))
        .route("/reports", get(page_reports))
        .route("/trend.svg", get(trend_svg))
        .route("/pdf/{id}", get(pdf_file))
        .route("/static/style.css", get(|| async { ([(header::CONTENT_TYPE, "text/css")], html::CSS) }))
        .route("/static/app.js", get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], html::JS) }))
        .route("/api/search", get(api_search))
        .route("/api/facets", get(api_facets))
        .route("/api/reports", get(api_reports))
        .route("/api/show/{id}", get(api_show))
        .route("/api/trend", get(api_trend))
        .route("/api/stats", get(api_stats))
        .fallback(|| async {
            ApiError::not_found("no such page; the API is under /api/ (see the README)").respond(false)
        })
        .layer(axum::middleware::from_fn_with_state(app.clone(), auth::check))
        .with_state(app)
}

type Handler = fn(&Call, &Params, &str) -> Result<Response, ApiError>;

/// Run `f` on a searcher over the latest commit, on the blocking pool; a
/// failure becomes JSON (the API) or a page (`as_html`).
async fn answer(app: Arc<App>, as_html: bool, query: Option<String>, id: String, f: Handler) -> Response {
    let result = tokio::task::spawn_blocking(move || {
        let searcher = Call { searcher: app.searcher(), model: app.semantic.as_ref().map(|(_, m)| m) };
        f(&searcher, &Params::parse(query.as_deref()), &id)
    })
    .await;
    match result {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => e.respond(as_html),
        Err(_) => ApiError::internal("the request failed inside insp (a bug: please report it)").respond(as_html),
    }
}

/// A path's id, percent-decoded (`REPORT_ID%23PARA` is `REPORT_ID#PARA`).
type Id = Result<Path<String>, axum::extract::rejection::PathRejection>;

fn id_of(id: Id) -> Result<String, ApiError> {
    id.map(|Path(s)| s).map_err(|e| ApiError::bad(format!("the id in the path cannot be read: {e}")))
}

macro_rules! handlers {
    ($($name:ident => $f:path, $html:expr;)*) => {$(
        async fn $name(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Response {
            answer(app, $html, q, String::new(), $f).await
        }
    )*};
}

macro_rules! id_handlers {
    ($($name:ident => $f:path, $html:expr;)*) => {$(
        async fn $name(State(app): State<Arc<App>>, id: Id, RawQuery(q): RawQuery) -> Response {
            match id_of(id) {
                Ok(id) => answer(app, $html, q, id, $f).await,
                Err(e) => e.respond($html),
            }
        }
    )*};
}

handlers! {
    api_search => api::search, false;
    api_facets => api::facets, false;
    api_reports => api::reports, false;
    api_trend => api::trend, false;
    api_stats => api::stats, false;
    page_search => html::search_page, true;
    page_reports => html::reports_page, true;
    trend_svg => html::trend_svg, false;
}

id_handlers! {
    api_show => api::show, false;
    page_show => html::show_page, true;
    pdf_file => pdf::serve, false;
}

#[cfg(test)]
mod tests {
    use super::{Config, check_access};

    #[test]
    fn only_loopback_is_served_without_a_token_or_public() {
        let config = |addr: &str, token: Option<&str>, public| Config {
            addr: addr.parse().unwrap(),
            token: token.map(str::to_string),
            public,
            semantic: None,
        };
        assert!(check_access(&config("127.0.0.1:7700", None, false)).is_ok());
        assert!(check_access(&config("[::1]:7700", None, false)).is_ok());
        let refused = check_access(&config("0.0.0.0:7700", None, false)).unwrap_err().to_string();
        assert!(refused.starts_with("0.0.0.0:7700 can be reached from other machines"), "{refused}");
        assert!(check_access(&config("192.0.2.1:7700", Some("t0ken"), false)).is_ok());
        assert!(check_access(&config("0.0.0.0:7700", None, true)).is_ok());
        assert!(check_access(&config("127.0.0.1:7700", Some(""), false)).is_err());
    }
}
