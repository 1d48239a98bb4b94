//! HTTP: parameters from the query string and form body, faults, the JSON envelope.

use crate::api::{self, Params};
use crate::state::Shared;
use crate::LoggedRequest;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use etrack::codes;
use std::sync::Arc;
use std::time::Instant;

const JSON: &str = "application/json; charset=UTF-8";

fn reply(status: u16, content_type: &str, body: String) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r
}

/// The spec's envelope: `{"code":0,"message":"","record":...}`.
fn envelope(status: u16, result: api::ApiResult) -> Response {
    let body = match result {
        Ok(Some(record)) => format!(r#"{{"code":0,"message":"","record":{}}}"#, record.0),
        Ok(None) => r#"{"code":0,"message":""}"#.to_owned(),
        Err(code) => {
            let message = codes::describe(code).unwrap_or_default();
            let message = serde_json::to_string(message).unwrap_or_else(|_| "\"\"".to_owned());
            format!(r#"{{"code":{code},"message":{message}}}"#)
        }
    };
    reply(status, JSON, body)
}

fn parse_pairs(s: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    url::form_urlencoded::parse(s).map(|(k, v)| (k.into_owned(), v.into_owned()))
}

/// The one handler behind every path.
pub async fn entry(
    State(sh): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let mut params: Vec<(String, String)> = uri
        .query()
        .map(|q| parse_pairs(q.as_bytes()).collect())
        .unwrap_or_default();
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.contains("x-www-form-urlencoded"));
    if form && !body.is_empty() {
        params.extend(parse_pairs(&body));
    }
    tracing::debug!(%method, %path, "request");
    sh.inner().log(LoggedRequest {
        method: method.to_string(),
        path: path.clone(),
        params: params.clone(),
        at: Instant::now(),
    });

    let knobs = sh.knobs();
    if !knobs.latency.is_zero() {
        tokio::time::sleep(knobs.latency).await;
    }
    if let Some((status, body)) = sh.take_injection(&path) {
        return reply(status, JSON, body);
    }
    if knobs.server_error_share > 0.0 && rand::random::<f64>() < knobs.server_error_share {
        return reply(
            500,
            "text/html; charset=UTF-8",
            "<html><body><h1>500 Internal Server Error</h1></body></html>".to_owned(),
        );
    }
    if knobs.too_frequent_share > 0.0 && rand::random::<f64>() < knobs.too_frequent_share {
        return envelope(200, Err(codes::TOO_FREQUENT));
    }
    match api::method_of(&path) {
        None => return envelope(404, Err(codes::UNKNOWN_REQUEST)),
        Some(m) if m != method.as_str() => return envelope(405, Err(codes::UNKNOWN_REQUEST)),
        Some(_) => {}
    }
    // Playback, alarms and mileage compute tracks: keep that off the async workers.
    let params = Params(params);
    let sh2 = sh.clone();
    let result = tokio::task::spawn_blocking(move || api::handle(&sh2, &path, &params)).await;
    match result {
        Ok(r) => envelope(200, r),
        Err(e) => {
            tracing::error!("handler failed: {e}");
            envelope(200, Err(codes::SYSTEM_ERROR))
        }
    }
}
