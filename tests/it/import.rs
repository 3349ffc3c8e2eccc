//! CSV import through the real binary: columns mapped by name, label and custom key; bad rows
//! reported with their line and kept out; duplicates skipped, updated or refused; an export
//! read back in.

use crate::search::found;
use crate::support::http::Client;
use crate::support::{TestApp, onebox, stderr, stdout};
use onebox::domain::capability::Profile;
use serde_json::{Value, json};
use std::path::Path;

const API: &str = "/t/acme/api/v1";

fn contacts(api: &mut Client) -> Vec<Value> {
    let page = api
        .get(&format!("{API}/contacts?sort=name&limit=100"))
        .json();
    page["data"].as_array().expect("data").clone()
}

fn by_email<'a>(all: &'a [Value], email: &str) -> &'a Value {
    all.iter()
        .find(|c| c["email"] == email)
        .unwrap_or_else(|| panic!("no contact {email}"))
}

fn import(data: &Path, file: &Path, extra: &[&str]) -> std::process::Output {
    let file = file.to_str().expect("path");
    let mut args = vec!["import", "--tenant", "acme", "contacts", file];
    args.extend_from_slice(extra);
    onebox(data, &args, &[], None)
}

#[test]
fn contacts_import_keeps_good_rows_and_reports_bad_ones() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    api.json("POST", &format!("{API}/labels"), &json!({"name": "vip"}));
    api.json(
        "POST",
        &format!("{API}/custom_fields"),
        &json!({"entity": "contact", "key": "tier", "label": "Tier", "kind": "select", "options": ["gold", "silver"]}),
    );
    let data = app.data_dir();
    let file = data.join("people.csv");
    let mut csv =
        b"\xEF\xBB\xBFFirst Name,last_name,E-mail,Company,Owner,Labels,Tier,Fax\r\n".to_vec();
    csv.extend_from_slice(
        b"Ada,Lovelace,ADA@Example.test,Analytical Engines,owner@acme.test,vip,gold,1\r\n",
    );
    csv.extend_from_slice(
        b"\"Grace, Rear Admiral\",Hopper,grace@example.test,Analytical Engines,,,,\r\n",
    );
    csv.extend_from_slice(b"Bad,Email,not-an-email,,,,,\r\n");
    csv.extend_from_slice(b"Wrong,Tier,wt@example.test,,,,bronze,\r\n");
    csv.extend_from_slice(b"M\xFCller,Latin1,m@example.test,,,,,\r\n");
    csv.extend_from_slice(b"Too,Many,tm@example.test,,,,,,extra\r\n");
    csv.extend_from_slice(b"Nobody,Owner,no@example.test,,ghost@acme.test,,,\r\n");
    std::fs::write(&file, &csv).expect("write csv");
    let errors = data.join("errors.csv");
    let before_disk = app.disk_state("acme");

    let out = import(&data, &file, &["--errors", errors.to_str().expect("path")]);
    assert!(!out.status.success(), "refused rows make the exit non-zero");
    assert!(
        stderr(&out).contains("5 rows were refused"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let summary = stdout(&out);
    assert!(
        summary.contains("2 created, 0 updated, 0 skipped"),
        "{summary}"
    );
    assert!(summary.contains("Ignored columns: Fax"), "{summary}");
    assert_ne!(app.disk_state("acme"), before_disk, "good rows are kept");

    let all = contacts(&mut api);
    assert_eq!(all.len(), 2, "{all:?}");
    let ada = by_email(&all, "ada@example.test");
    assert_eq!(ada["first_name"], "Ada");
    assert_eq!(ada["custom"]["tier"], "gold");
    assert_eq!(ada["labels"], json!(["vip"]));
    assert!(ada["owner_id"].is_i64());
    let grace = by_email(&all, "grace@example.test");
    assert_eq!(grace["first_name"], "Grace, Rear Admiral");
    assert_eq!(
        grace["company_id"], ada["company_id"],
        "a company named in the file is made once and shared"
    );
    let companies = api.get(&format!("{API}/companies")).json();
    assert_eq!(companies["data"].as_array().expect("data").len(), 1);
    assert_eq!(companies["data"][0]["name"], "Analytical Engines");

    let report = std::fs::read_to_string(&errors).expect("error report");
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(
        lines[0],
        "line,error,First Name,last_name,E-mail,Company,Owner,Labels,Tier,Fax"
    );
    assert_eq!(lines.len(), 6, "{report}");
    assert!(lines[1].starts_with("4,email: "), "{report}");
    assert!(
        lines[1].ends_with("Bad,Email,not-an-email,,,,,"),
        "{report}"
    );
    assert!(
        lines[2].starts_with("5,\"custom.tier: must be one of: gold, silver\","),
        "{report}"
    );
    assert!(
        lines[3].starts_with("6,") && lines[3].contains("UTF-8"),
        "{report}"
    );
    assert!(
        lines[4].starts_with("7,") && lines[4].contains("9 cells"),
        "{report}"
    );
    assert!(lines[5].starts_with("8,owner_id: no user"), "{report}");

    // Imports index their rows for search per batch; this batch had refused rows, so it was
    // written again row by row, and what was kept is found while the refused rows are not.
    let hits = found(&mut api, "lovelace");
    assert_eq!(hits, [("contact".to_string(), "Ada Lovelace".to_string())]);
    let hits = found(&mut api, "analytical");
    assert!(
        hits.contains(&("company".to_string(), "Analytical Engines".to_string())),
        "{hits:?}"
    );
    assert!(found(&mut api, "wt@example").is_empty());
}

#[test]
fn duplicates_are_skipped_updated_or_refused() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    api.json(
        "POST",
        &format!("{API}/contacts"),
        &json!({"first_name": "Ann", "email": "ann@example.test", "phone": "+49 30 1234"}),
    );
    let data = app.data_dir();
    let file = data.join("again.csv");
    std::fs::write(
        &file,
        "email,first_name,Job title\nann@example.test,Annie,Baker\nben@example.test,Ben,\n",
    )
    .expect("write");

    let skip = import(&data, &file, &[]);
    assert!(skip.status.success(), "{}", stderr(&skip));
    assert!(stdout(&skip).contains("1 created, 0 updated, 1 skipped"));
    let ann = by_email(&contacts(&mut api), "ann@example.test").clone();
    assert_eq!(ann["first_name"], "Ann", "skipped rows change nothing");

    let update = import(&data, &file, &["--duplicates", "update"]);
    assert!(update.status.success(), "{}", stderr(&update));
    assert!(stdout(&update).contains("0 created, 2 updated, 0 skipped"));
    let all = contacts(&mut api);
    assert_eq!(all.len(), 2);
    let ann = by_email(&all, "ann@example.test");
    assert_eq!(ann["first_name"], "Annie");
    assert_eq!(ann["title"], "Baker");
    assert_eq!(
        ann["phone"], "+49 30 1234",
        "columns not in the file are kept"
    );

    let create = import(&data, &file, &["--duplicates", "create"]);
    assert!(!create.status.success());
    assert!(
        stdout(&create).contains("a contact with the email ann@example.test already exists"),
        "an email stays unique even when asked to create: {}",
        stdout(&create)
    );
    assert_eq!(contacts(&mut api).len(), 2);
}

#[test]
fn an_export_imports_back_into_another_tenant_and_bad_files_change_nothing() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    for (first, email) in [("Zoë", "zoe@example.test"), ("Ånund", "anund@example.test")] {
        api.json(
            "POST",
            &format!("{API}/contacts"),
            &json!({"first_name": first, "last_name": "Ödegaard, Jr.", "email": email}),
        );
    }
    let export = page.get("/t/acme/contacts/export.csv");
    assert_eq!(export.status, 200);
    let data = app.data_dir();
    let file = data.join("export.csv");
    std::fs::write(&file, &export.body).expect("write");
    let before: Vec<Value> = contacts(&mut api);
    for email in ["zoe@example.test", "anund@example.test"] {
        let id = by_email(&before, email)["id"].as_i64().expect("id");
        let gone = api.request("DELETE", &format!("{API}/contacts/{id}"), &[], &[]);
        assert!(gone.status < 300, "{}", gone.body);
    }
    assert!(contacts(&mut api).is_empty());
    let back = import(&data, &file, &[]);
    assert!(back.status.success(), "{}", stderr(&back));
    let after = contacts(&mut api);
    assert_eq!(after.len(), 2);
    for c in &before {
        let again = by_email(&after, c["email"].as_str().expect("email"));
        for key in ["first_name", "last_name", "lifecycle"] {
            assert_eq!(again[key], c[key], "{key}");
        }
    }
    // A batch without refused rows is indexed for search in one go at its end.
    let hits = found(&mut api, "anund");
    assert_eq!(
        hits,
        [("contact".to_string(), "Ånund Ödegaard, Jr.".to_string())]
    );

    let disk = app.disk_state("acme");
    let empty = data.join("empty.csv");
    std::fs::write(&empty, "").expect("write");
    let out = import(&data, &empty, &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no header row"), "{}", stderr(&out));
    let unknown = data.join("unknown.csv");
    std::fs::write(&unknown, "Fax,Pager\n1,2\n").expect("write");
    let out = import(&data, &unknown, &[]);
    assert!(
        stderr(&out).contains("no column matches"),
        "{}",
        stderr(&out)
    );
    let out = onebox(
        &data,
        &[
            "import",
            "--tenant",
            "acme",
            "tasks",
            file.to_str().expect("path"),
        ],
        &[],
        None,
    );
    assert!(!out.status.success());
    assert_eq!(app.disk_state("acme"), disk, "refused files change nothing");
}

#[test]
fn the_api_imports_a_csv_body_and_names_what_is_wrong() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let csv = "Name,Domain,Industry\nBakery One,https://www.one.example/,Food\nNo name,two.example,\n,,\n,three.example,Tools\n";
    let send = |api: &mut Client, query: &str, body: &str| {
        api.request(
            "POST",
            &format!("{API}/companies/import{query}"),
            &[("Content-Type", "text/csv")],
            body.as_bytes(),
        )
    };
    let r = send(&mut api, "", csv);
    assert_eq!(r.status, 200, "{}", r.body);
    let report = r.json();
    assert_eq!(report["created"], 2);
    assert_eq!(
        report["failed"],
        json!([{"line": 5, "error": "name: is required"}])
    );
    let again = send(
        &mut api,
        "?duplicates=update",
        "domain,industry\none.example,Bread\n",
    )
    .json();
    assert_eq!(
        (again["created"].clone(), again["updated"].clone()),
        (json!(0), json!(1))
    );
    let companies = api.get(&format!("{API}/companies?sort=name")).json();
    assert_eq!(companies["data"][0]["name"], "Bakery One");
    assert_eq!(companies["data"][0]["domain"], "one.example");
    assert_eq!(companies["data"][0]["industry"], "Bread");

    let disk = app.disk_state("acme");
    let bad = send(&mut api, "?duplicates=merge", csv);
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.json()["error"]["fields"]["duplicates"].is_string(),
        "{}",
        bad.body
    );
    let empty = send(&mut api, "", "");
    assert_eq!(empty.status, 422, "{}", empty.body);
    assert!(
        empty.json()["error"]["fields"]["file"].is_string(),
        "{}",
        empty.body
    );
    let tasks = api.request(
        "POST",
        &format!("{API}/tasks/import"),
        &[("Content-Type", "text/csv")],
        b"title\nCall\n",
    );
    assert_eq!(tasks.status, 404);
    assert_eq!(
        app.disk_state("acme"),
        disk,
        "refused imports change nothing"
    );
}

/// A `multipart/form-data` body with text fields and one file.
fn multipart(fields: &[(&str, &str)], file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "onebox-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\nContent-Type: text/csv\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn the_browser_uploads_maps_previews_runs_and_reports() {
    let app = TestApp::start();
    let mut page = app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    let list = page.get("/t/acme/contacts");
    assert!(list.body.contains("href=\"/t/acme/contacts/import\""));
    let form = page.get("/t/acme/contacts/import");
    assert_eq!(form.status, 200);
    let csrf = form.csrf();
    let csv = b"Given name,E-mail,Nickname\nAda,ada@example.test,Countess\nBad,not-an-email,x\nGrace,grace@example.test,Amazing\n";
    let upload = |page: &mut Client, fields: &[(&str, &str)], file: &[u8]| {
        let (kind, body) = multipart(fields, file);
        page.request(
            "POST",
            "/t/acme/contacts/import",
            &[("Content-Type", &kind)],
            &body,
        )
    };

    let disk = app.disk_state("acme");
    let forged = upload(&mut page, &[("csrf", "0")], csv);
    assert_eq!(forged.status, 403);
    let empty = upload(&mut page, &[("csrf", &csrf)], b"");
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("Choose a CSV file"), "{}", empty.body);
    let headless = upload(&mut page, &[("csrf", &csrf)], b"\n\n");
    assert_eq!(headless.status, 422);
    assert!(headless.body.contains("no header row"), "{}", headless.body);

    let mapping = upload(&mut page, &[("csrf", &csrf)], csv);
    assert_eq!(mapping.status, 200, "{}", mapping.body);
    assert_eq!(app.disk_state("acme"), disk, "a preview writes nothing");
    assert!(mapping.body.contains("3 rows"), "{}", mapping.body);
    assert!(
        mapping.body.contains("<td>Countess</td>"),
        "the preview shows the rows"
    );
    let email_select = &mapping.body[mapping.body.find("name=\"map.1\"").expect("map.1")..];
    let email_select = &email_select[..email_select.find("</select>").expect("end")];
    assert!(
        email_select.contains("value=\"email\" selected"),
        "E-mail is matched to email: {email_select}"
    );
    let at = mapping.body.find("/t/acme/imports/").expect("job action");
    let rest = &mapping.body[at..];
    let action = rest[..rest.find('"').expect("quote")].to_string();

    // Two columns on one field are refused, and nothing runs.
    let twice = page.post_form(
        &action,
        &[
            ("csrf", &csrf),
            ("map.0", "email"),
            ("map.1", "email"),
            ("map.2", ""),
            ("duplicates", "skip"),
        ],
    );
    assert_eq!(twice.status, 422);
    assert!(
        twice
            .body
            .contains("two columns cannot fill the same field")
    );

    let start = page.post_form(
        &action,
        &[
            ("csrf", &csrf),
            ("map.0", "first_name"),
            ("map.1", "email"),
            ("map.2", "title"),
            ("duplicates", "skip"),
        ],
    );
    assert_eq!(start.status, 303, "{}", start.body);
    let mut done = String::new();
    for _ in 0..100 {
        let status = page.get(&action);
        assert_eq!(status.status, 200);
        if status.body.contains("created,") {
            done = status.body;
            break;
        }
        assert!(status.body.contains("<progress"), "{}", status.body);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        done.contains("2 created, 0 updated, 0 skipped as duplicates, 1 refused."),
        "{done}"
    );
    let all = contacts(&mut api);
    assert_eq!(all.len(), 2);
    assert_eq!(by_email(&all, "ada@example.test")["title"], "Countess");
    let errors = page.get(&format!("{action}/errors.csv"));
    assert_eq!(errors.status, 200);
    assert!(
        errors
            .body
            .starts_with("line,error,Given name,E-mail,Nickname")
    );
    assert!(errors.body.contains("3,email: "), "{}", errors.body);
    let again = page.post_form(
        &action,
        &[
            ("csrf", &csrf),
            ("map.0", "first_name"),
            ("duplicates", "skip"),
        ],
    );
    assert_eq!(again.status, 409, "a job runs once");

    // Another user of the same workspace does not see this job.
    app.add_user(
        "acme",
        "member@acme.test",
        onebox::domain::user::Role::Member,
    );
    let (mut member, _) = app.login("acme", "member@acme.test", crate::support::PASSWORD);
    assert_eq!(member.get(&action).status, 404);
    assert_eq!(member.get(&format!("{action}/errors.csv")).status, 404);
    assert_eq!(page.get("/t/acme/tasks/import").status, 404);

    // Uploads left waiting hold memory: a user keeps the newest three.
    let actions: Vec<String> = (0..4)
        .map(|_| {
            let body = upload(&mut page, &[("csrf", &csrf)], csv).body;
            let at = body.find("/t/acme/imports/").expect("job action");
            body[at..at + body[at..].find('"').expect("quote")].to_string()
        })
        .collect();
    assert_eq!(
        page.get(&actions[0]).status,
        404,
        "the oldest upload is dropped"
    );
    for newer in &actions[1..] {
        assert_eq!(page.get(newer).status, 200);
    }
    assert_eq!(
        page.get(&action).status,
        200,
        "a finished import is not a waiting upload"
    );
}

/// A file exported from a Dutch or German tool imports without mapping: its headers name the
/// fields in those languages.
#[test]
fn dutch_and_german_headers_import_without_mapping() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    let mut api = app.api("acme", "owner@acme.test");
    for csv in [
        "Voornaam,Achternaam,E-mailadres,Telefoon\nAnneke,de Vries,anneke@voorbeeld.nl,020 123 4567\n",
        "Vorname,Nachname,E-Mail,Telefon\nJürgen,Müller,juergen@beispiel.de,030 1234567\n",
    ] {
        let r = api.request(
            "POST",
            &format!("{API}/contacts/import"),
            &[("Content-Type", "text/csv")],
            csv.as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["created"], 1, "{}", r.body);
    }
    let all = contacts(&mut api);
    let anneke = by_email(&all, "anneke@voorbeeld.nl");
    assert_eq!(
        (
            &anneke["first_name"],
            &anneke["last_name"],
            &anneke["phone"]
        ),
        (&json!("Anneke"), &json!("de Vries"), &json!("020 123 4567"))
    );
    assert_eq!(by_email(&all, "juergen@beispiel.de")["last_name"], "Müller");
}
