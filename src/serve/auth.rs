//! The token a server bound beyond loopback asks of every request: as
//! `Authorization: Bearer TOKEN`, or `?token=TOKEN` once in a browser,
//! which then keeps it in a cookie (`insp_token`, HttpOnly, SameSite=Strict).

use super::App;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

const COOKIE: &str = "insp_token";

/// Equal, in a time that does not depend on where they first differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `Authorization: Bearer TOKEN` (the scheme's name in any case).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let (scheme, token) = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

fn query_token(req: &Request) -> Option<String> {
    let q = req.uri().query()?;
    form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "token").map(|(_, v)| v.into_owned())
}

/// A Host header that names this machine: localhost, 127.0.0.1 (any
/// 127.x) or [::1], with or without a port.
fn names_loopback(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

pub async fn check(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if app.loopback_only {
        let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok());
        if let Some(host) = host.filter(|h| !names_loopback(h)) {
            let body = serde_json::json!({
                "error": format!("this server answers requests to localhost or 127.0.0.1 only, not to {host:?}; \
                                  to serve other machines, start it with --addr and --token")
            });
            return (StatusCode::MISDIRECTED_REQUEST, [(header::CONTENT_TYPE, "application/json")], body.to_string())
                .into_response();
        }
    }
    let Some(token) = app.token.as_deref() else { return next.run(req).await };
    let headers = req.headers();
    if bearer(headers).is_some_and(|t| same(t, token)) || cookie(headers).is_some_and(|t| same(t, token)) {
        return next.run(req).await;
    }
    if query_token(&req).is_some_and(|t| same(&t, token)) {
        let mut response = next.run(req).await;
        let set = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(v) = HeaderValue::from_str(&set) {
            response.headers_mut().insert(header::SET_COOKIE, v);
        }
        return response;
    }
    let body = serde_json::json!({
        "error": "this server needs its token: send `Authorization: Bearer TOKEN`, or open a page once with ?token=TOKEN"
    });
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer"), (header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
