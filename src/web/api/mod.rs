//! The JSON API at `/t/<slug>/api/v1/…`. Authenticated by `Authorization: Bearer <token>`, or
//! by the browser session (then unsafe methods need the `X-CSRF-Token` header).
//!
//! `routes()` lists every route: the OpenAPI document is made from it, and a test calls each
//! one, so the document and the router cannot drift apart.

mod activities;
mod automations;
mod catalog;
mod inbox;
mod inbox_routes;
mod kassa;
mod kassa_routes;
mod kassa_schemas;
pub mod openapi;
mod records;
mod route_kinds;
mod routes;
mod schedules;
mod scheduling;
mod scheduling_schemas;
mod schemas;

pub use routes::{Input, Output, Query, Route, routes, schema_of};

use crate::App;
use crate::app::Tenant;
use crate::domain::crm::Entity;
use crate::domain::record::Total;
use crate::domain::secret;
use crate::domain::user::User;
use crate::error::{Error, Result};
use crate::web::{cookie, respond};
use rouille::{Request, Response};
use serde_json::{Value, json};

/// What a handler gets: the tenant, the user, and the request.
pub struct ApiCtx<'a> {
    pub app: &'a App,
    pub req: &'a Request,
    pub tenant: &'a Tenant,
    pub user: User,
}

impl ApiCtx<'_> {
    /// The JSON body; malformed JSON is a 400 that says where.
    pub fn body(&self) -> Result<Value> {
        let mut bytes = Vec::new();
        if let Some(mut data) = self.req.data() {
            std::io::Read::read_to_end(&mut data, &mut bytes)?;
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::BadRequest("the request needs a JSON body".into()));
        }
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::BadRequest(format!("malformed JSON: {e}")))
    }

    /// The query string as pairs.
    pub fn query(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.req.raw_query_string().as_bytes())
            .into_owned()
            .collect()
    }
}

pub fn route(app: &App, req: &Request, tenant: &Tenant, rest: &[&str]) -> Result<Response> {
    let method = match req.method() {
        "HEAD" => "GET",
        m => m,
    };
    if let ("GET", ["openapi.json"]) = (method, rest) {
        return Ok(respond::json(&openapi::document(tenant.slug().as_str())));
    }
    let user = authenticate(app, req, tenant)?;
    let ctx = ApiCtx {
        app,
        req,
        tenant,
        user,
    };
    let id = |raw: &str| raw.parse::<i64>().map_err(|_| Error::NotFound);
    match (method, rest) {
        ("GET", ["account"]) => Ok(account(tenant)),
        ("GET", ["me"]) => Ok(respond::json(&ctx.user)),
        ("GET", ["search"]) => search(&ctx),
        ("GET", ["labels"]) => catalog::list_labels(&ctx),
        ("POST", ["labels"]) => catalog::create_label(&ctx),
        ("GET", ["labels", n]) => catalog::get_label(&ctx, id(n)?),
        ("PATCH", ["labels", n]) => catalog::update_label(&ctx, id(n)?),
        ("DELETE", ["labels", n]) => catalog::delete_label(&ctx, id(n)?),
        ("GET", ["pipelines"]) => catalog::list_pipelines(&ctx),
        ("POST", ["pipelines"]) => catalog::create_pipeline(&ctx),
        ("GET", ["pipelines", n]) => catalog::get_pipeline(&ctx, id(n)?),
        ("PATCH", ["pipelines", n]) => catalog::update_pipeline(&ctx, id(n)?),
        ("DELETE", ["pipelines", n]) => catalog::delete_pipeline(&ctx, id(n)?),
        ("POST", ["pipelines", n, "stages"]) => catalog::create_stage(&ctx, id(n)?),
        ("PATCH", ["stages", n]) => catalog::update_stage(&ctx, id(n)?),
        ("DELETE", ["stages", n]) => catalog::delete_stage(&ctx, id(n)?),
        ("GET", ["custom_fields"]) => catalog::list_custom_fields(&ctx),
        ("POST", ["custom_fields"]) => catalog::create_custom_field(&ctx),
        ("DELETE", ["custom_fields", n]) => catalog::delete_custom_field(&ctx, id(n)?),
        ("GET", ["activities"]) => activities::list(&ctx),
        ("POST", ["activities"]) => activities::create(&ctx),
        ("GET", ["activities", n]) => activities::get(&ctx, id(n)?),
        ("DELETE", ["activities", n]) => activities::delete(&ctx, id(n)?),
        ("GET", ["automations"]) => automations::list(&ctx),
        ("POST", ["automations"]) => automations::create(&ctx),
        ("GET", ["automations", n]) => automations::get(&ctx, id(n)?),
        ("PATCH", ["automations", n]) => automations::update(&ctx, id(n)?),
        ("DELETE", ["automations", n]) => automations::delete(&ctx, id(n)?),
        ("GET", ["automations", n, "runs"]) => automations::runs(&ctx, id(n)?),
        ("POST", ["automations", n, "test"]) => automations::test(&ctx, id(n)?),
        ("GET", ["automation_runs", n]) => automations::run(&ctx, id(n)?),
        ("GET", ["services"]) => scheduling::list_services(&ctx),
        ("POST", ["services"]) => scheduling::create_service(&ctx),
        ("GET", ["services", n]) => scheduling::get_service(&ctx, id(n)?),
        ("PUT", ["services", n]) => scheduling::put_service(&ctx, id(n)?),
        ("GET", ["availability"]) => scheduling::availability(&ctx),
        ("GET", ["resources"]) => scheduling::list_resources(&ctx),
        ("POST", ["resources"]) => scheduling::create_resource(&ctx),
        ("GET", ["booking_policy"]) => scheduling::get_policy(&ctx),
        ("PUT", ["booking_policy"]) => scheduling::put_policy(&ctx),
        ("GET", ["schedules", n]) => schedules::get_schedule(&ctx, id(n)?),
        ("PUT", ["schedules", n]) => schedules::put_schedule(&ctx, id(n)?),
        ("POST", ["schedules", n, "exceptions"]) => schedules::put_exception(&ctx, id(n)?),
        ("GET", ["appointments"]) => scheduling::list_appointments(&ctx),
        ("POST", ["appointments"]) => scheduling::create_appointment(&ctx),
        ("POST", ["appointments", n, "status"]) => scheduling::set_status(&ctx, id(n)?),
        ("POST", ["appointments", n, "move"]) => scheduling::move_appointment(&ctx, id(n)?),
        ("POST", ["appointments", n, "cancel"]) => scheduling::cancel(&ctx, id(n)?),
        ("GET", ["appointments", n]) => scheduling::get_appointment(&ctx, id(n)?),
        ("POST", ["automation_runs", n, "retry"]) => automations::retry(&ctx, id(n)?),
        ("GET", ["vat_rates"]) => kassa::list_vat_rates(&ctx),
        ("POST", ["vat_rates"]) => kassa::create_vat_rate(&ctx),
        ("GET", ["products"]) => kassa::list_products(&ctx),
        ("POST", ["products"]) => kassa::create_product(&ctx),
        ("PUT", ["products", n]) => kassa::put_product(&ctx, id(n)?),
        ("GET", ["registers"]) => kassa::list_registers(&ctx),
        ("POST", ["registers"]) => kassa::create_register(&ctx),
        ("GET", ["registers", n]) => kassa::get_register(&ctx, id(n)?),
        ("POST", ["registers", n, "sessions"]) => kassa::open_session(&ctx, id(n)?),
        ("POST", ["registers", n, "training"]) => kassa::set_training(&ctx, id(n)?),
        ("GET", ["sessions", n]) => kassa::get_session(&ctx, id(n)?),
        ("POST", ["sessions", n, "cash"]) => kassa::move_cash(&ctx, id(n)?),
        ("POST", ["sessions", n, "drawer"]) => kassa::open_drawer(&ctx, id(n)?),
        ("GET", ["sessions", n, "x_report"]) => kassa::x_report(&ctx, id(n)?),
        ("POST", ["sessions", n, "close"]) => kassa::close_session(&ctx, id(n)?),
        ("GET", ["sessions", n, "z_report"]) => kassa::z_report(&ctx, id(n)?),
        ("GET", ["inboxes"]) => inbox::list_inboxes(&ctx),
        ("POST", ["inboxes"]) => inbox::create_inbox(&ctx),
        ("GET", ["inboxes", n, "health"]) => inbox::health(&ctx, id(n)?),
        ("POST", ["inboxes", n, "fetch_again"]) => inbox::fetch_again(&ctx, id(n)?),
        ("GET", ["conversations"]) => inbox::list_conversations(&ctx),
        ("GET", ["conversations", n]) => inbox::get_conversation(&ctx, id(n)?),
        ("PATCH", ["conversations", n]) => inbox::update_conversation(&ctx, id(n)?),
        ("GET", ["conversations", n, "messages"]) => inbox::list_messages(&ctx, id(n)?),
        ("POST", ["conversations", n, "notes"]) => inbox::add_note(&ctx, id(n)?),
        ("GET", ["canned_replies"]) => inbox::list_canned(&ctx),
        ("POST", ["canned_replies"]) => inbox::create_canned(&ctx),
        ("DELETE", ["canned_replies", n]) => inbox::delete_canned(&ctx, id(n)?),
        ("GET", ["notifications"]) => inbox::list_notifications(&ctx),
        ("DELETE", ["conversations", n]) => inbox::trash_conversation(&ctx, id(n)?),
        ("POST", ["conversations", n, "messages"]) => inbox::reply(&ctx, id(n)?),
        ("POST", ["receipts"]) => kassa::create_receipt(&ctx),
        ("GET", ["gift_cards", code]) => kassa::gift_card(&ctx, code),
        ("GET", ["receipts", n]) => kassa::get_receipt(&ctx, id(n)?),
        ("PUT" | "PATCH" | "DELETE", ["receipts", n]) => kassa::unchangeable(&ctx, id(n)?),
        ("POST", ["receipts", n, "finalize"]) => kassa::finalize(&ctx, id(n)?),
        ("POST", ["receipts", n, "void"]) => kassa::void(&ctx, id(n)?),
        ("POST", ["receipts", n, "credit"]) => kassa::credit(&ctx, id(n)?),
        (_, [table, rest @ ..]) => {
            let entity = Entity::from_table(table).ok_or(Error::NotFound)?;
            tenant.require_entity(entity)?;
            match (method, rest) {
                ("GET", []) => records::list(&ctx, entity),
                ("POST", []) => records::create(&ctx, entity),
                ("POST", ["import"]) if entity.importable() => records::import(&ctx, entity),
                ("GET", [n]) => records::get(&ctx, entity, id(n)?),
                ("PATCH", [n]) => records::update(&ctx, entity, id(n)?),
                ("DELETE", [n]) => records::delete(&ctx, entity, id(n)?),
                ("POST", [n, "restore"]) => records::restore(&ctx, entity, id(n)?),
                _ => Err(Error::NotFound),
            }
        }
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

/// `?q=` (required) and `?limit=` (1–100, default 25): best matches first.
fn search(ctx: &ApiCtx) -> Result<Response> {
    let query = ctx.query();
    let (limit, _) = crate::app::listing::paging(&query)?;
    let q = query
        .iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    if q.trim().is_empty() {
        return Err(Error::field("q", "is required"));
    }
    let only = match query.iter().find(|(k, _)| k == "type") {
        None => None,
        Some((_, t)) => Some(Entity::from_table(t).ok_or_else(|| {
            Error::field("type", "must be contacts, companies, deals, tasks or notes")
        })?),
    };
    let hits = crate::app::read::records::search(ctx.tenant, q, only, limit)?;
    let n = hits.len() as i64;
    Ok(page(hits, n, None))
}

fn account(tenant: &Tenant) -> Response {
    let capabilities: serde_json::Map<String, Value> = tenant
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

/// A list counted in full, with the cursor of the next page.
pub fn page(data: impl serde::Serialize, total: i64, next: Option<String>) -> Response {
    paged(data, Total::Exact(total), next, None)
}

/// `{"data": [...], "total": N, "total_exact": bool, "next": cursor-or-null, "prev": …}`:
/// every list the API answers. `total` is a lower bound where `total_exact` is false.
pub fn paged(
    data: impl serde::Serialize,
    total: Total,
    next: Option<String>,
    prev: Option<String>,
) -> Response {
    respond::json(&json!({
        "data": data,
        "total": total.least(),
        "total_exact": total.is_exact(),
        "next": next,
        "prev": prev,
    }))
}

pub fn created(value: &Value, location: String) -> Response {
    respond::json(value)
        .with_status_code(201)
        .with_unique_header("Location", location)
}

pub fn no_content() -> Response {
    Response::empty_204()
}
