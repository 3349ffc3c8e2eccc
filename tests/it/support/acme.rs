//! The workspace most API tests use: `acme`, with its owner's API client, and small helpers
//! that assert a call succeeded.

use super::TestApp;
use super::http::{Client, Response};
use onebox::domain::capability::Profile;
use serde_json::Value;

pub const API: &str = "/t/acme/api/v1";

/// A server with workspace `acme` and an API client acting as its owner.
pub fn setup() -> (TestApp, Client) {
    let app = TestApp::start();
    drop(app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test"));
    let api = app.api("acme", "owner@acme.test");
    (app, api)
}

/// The JSON of a 2xx answer (null when empty); anything else fails the test, naming `what`.
pub fn ok(r: Response, what: &str) -> Value {
    assert!(
        (200..300).contains(&r.status),
        "{what}: {} {}",
        r.status,
        r.body
    );
    if r.body.is_empty() {
        Value::Null
    } else {
        r.json()
    }
}

/// Creates a record (or catalog entry) at `path` and returns its id; anything but 201 fails.
pub fn create(api: &mut Client, path: &str, body: Value) -> i64 {
    create_at(api, &format!("{API}{path}"), body)
}

/// `create` for a full path, in any workspace.
pub fn create_at(api: &mut Client, path: &str, body: Value) -> i64 {
    let r = api.json("POST", path, &body);
    assert_eq!(r.status, 201, "{path}: {}", r.body);
    r.json()["id"].as_i64().expect("id")
}

pub fn post(api: &mut Client, path: &str, body: Value) -> Value {
    ok(api.json("POST", &format!("{API}{path}"), &body), path)
}

pub fn get(api: &mut Client, path: &str) -> Value {
    ok(api.get(&format!("{API}{path}")), path)
}
