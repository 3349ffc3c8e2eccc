//! Turning results into responses: HTML, JSON, the one mapping of `Error` to a JSON body, and
//! the security headers every response carries.

use crate::error::Error;
use maud::Markup;
use rouille::Response;
use serde::Serialize;

pub fn html(markup: Markup) -> Response {
    Response::html(markup.into_string())
}

pub fn html_status(markup: Markup, status: u16) -> Response {
    html(markup).with_status_code(status)
}

pub fn json<T: Serialize>(value: &T) -> Response {
    Response::json(value)
}

/// `{"error": {"code", "message", "fields", "request_id"}}` with the error's status.
pub fn json_error(e: &Error, request_id: &str) -> Response {
    let fields: serde_json::Map<String, serde_json::Value> = e
        .field_errors()
        .iter()
        .map(|f| (f.field.clone(), f.message.clone().into()))
        .collect();
    let mut body = serde_json::json!({
        "error": { "code": e.code(), "message": e.public_message(), "fields": fields, "request_id": request_id }
    });
    if let Error::Duplicate {
        field,
        existing: (entity, id),
        ..
    } = e
    {
        body["error"]["fields"][field] = e.public_message().into();
        body["error"]["existing"] = serde_json::json!({ "type": entity.singular(), "id": id });
    }
    let response = Response::json(&body).with_status_code(e.status());
    if let Error::Unauthorized = e {
        return response.with_unique_header("WWW-Authenticate", "Bearer");
    }
    response
}

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The same, with images from other sites allowed: a conversation page whose reader asked to
/// see a mail's remote images (its HTML sanitized; nothing else is loosened).
const CSP_REMOTE_IMAGES: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data: https: http:; font-src 'self'; connect-src 'self'; form-action 'self'; \
frame-ancestors 'none'; base-uri 'none'";

/// A page that shows remote images, as its reader asked.
pub fn allowing_remote_images(response: Response) -> Response {
    response.with_unique_header("Content-Security-Policy", CSP_REMOTE_IMAGES)
}

pub fn with_security_headers(response: Response, request_id: &str, https: bool) -> Response {
    let cacheable = response
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("Cache-Control"));
    let remote_images = response
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("Content-Security-Policy") && v == CSP_REMOTE_IMAGES);
    let csp = if remote_images {
        CSP_REMOTE_IMAGES
    } else {
        CSP
    };
    let mut r = response
        .with_unique_header("Content-Security-Policy", csp)
        .with_unique_header("X-Content-Type-Options", "nosniff")
        .with_unique_header("X-Frame-Options", "DENY")
        // Links in mails carry tokens in their path: never leak an address to another site.
        .with_unique_header("Referrer-Policy", "no-referrer")
        .with_unique_header("Cross-Origin-Opener-Policy", "same-origin")
        .with_unique_header(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        )
        .with_unique_header("X-Request-Id", request_id.to_string());
    if !cacheable {
        r = r.with_unique_header("Cache-Control", "no-store");
    }
    if https {
        r = r.with_unique_header("Strict-Transport-Security", "max-age=31536000");
    }
    r
}
