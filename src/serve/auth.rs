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

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
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

pub async fn check(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
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
