//! The JSON API at `/t/<slug>/api/v1/…`. Authenticated by `Authorization: Bearer <token>`, or
//! by the browser session (then unsafe methods need the `X-CSRF-Token` header).

use crate::App;
use crate::app::Tenant;
use crate::domain::secret;
use crate::error::{Error, Result};
use crate::store::users::User;
use crate::web::{cookie, respond};
use rouille::{Request, Response};
use serde_json::json;

/// Every API route as `(method, path below /api/v1)`: the OpenAPI document must list each,
/// and a test calls each.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/account"),
    ("GET", "/me"),
    ("GET", "/openapi.json"),
];

const OPENAPI: &str = include_str!("openapi.json");

pub fn route(app: &App, req: &Request, tenant: &Tenant, rest: &[&str]) -> Result<Response> {
    let method = match req.method() {
        "HEAD" => "GET",
        m => m,
    };
    if let ("GET", ["openapi.json"]) = (method, rest) {
        return Ok(Response::from_data("application/json", OPENAPI));
    }
    let user = authenticate(app, req, tenant)?;
    match (method, rest) {
        ("GET", ["account"]) => Ok(account(tenant)),
        ("GET", ["me"]) => Ok(respond::json(&user)),
        _ => Err(Error::NotFound),
    }
}

fn authenticate(app: &App, req: &Request, tenant: &Tenant) -> Result<User> {
    if let Some(header) = req.header("Authorization") {
        let token = header
            .strip_prefix("Bearer ")
            .ok_or(Error::Unauthorized)?
            .trim();
        return app
            .authenticate_token(&tenant.db, token)?
            .ok_or(Error::Unauthorized);
    }
    let token = cookie::get(req, cookie::SESSION).ok_or(Error::Unauthorized)?;
    let (session, _) = app.session(&tenant.db, token)?.ok_or(Error::Unauthorized)?;
    if !matches!(req.method(), "GET" | "HEAD") {
        let sent = req.header("X-CSRF-Token").unwrap_or("");
        if !secret::constant_time_eq(sent, &session.csrf_token) {
            return Err(Error::Forbidden(
                "missing or wrong X-CSRF-Token header".into(),
            ));
        }
    }
    Ok(session.user)
}

fn account(tenant: &Tenant) -> Response {
    let capabilities: serde_json::Map<String, serde_json::Value> = tenant
        .caps
        .all()
        .map(|(c, on)| (c.as_str().to_string(), on.into()))
        .collect();
    respond::json(&json!({
        "slug": tenant.slug().as_str(),
        "name": tenant.account.name,
        "profile": tenant.caps.profile,
        "capabilities": capabilities,
        "time_zone": tenant.account.time_zone,
        "currency": tenant.account.currency,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_document_lists_every_route() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).expect("openapi.json is JSON");
        assert_eq!(doc["openapi"].as_str().map(|v| &v[..2]), Some("3."));
        let paths = doc["paths"].as_object().expect("paths");
        for (method, path) in ROUTES {
            let op = paths.get(*path).and_then(|p| p.get(method.to_lowercase()));
            assert!(op.is_some(), "{method} {path} is missing from openapi.json");
        }
        let listed: usize = paths
            .values()
            .map(|p| p.as_object().map_or(0, |o| o.len()))
            .sum();
        assert_eq!(
            listed,
            ROUTES.len(),
            "openapi.json lists a route the API does not have"
        );
    }
}
