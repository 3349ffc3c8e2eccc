use super::*;
use crate::error::FieldError;
use serde_json::json;

fn known() -> Known {
    Known {
        custom: BTreeMap::from([(Entity::Deal, vec!["tier".to_string()])]),
        users: vec!["olga@example.com".into(), "sam@example.com".into()],
        stages: vec!["Lead".into(), "Won".into()],
        labels: vec!["VIP".into()],
        views: vec![(Entity::Task, "Overdue".into())],
        any_name: false,
    }
}

fn thank_you() -> Value {
    json!({
        "name": "Thank won customers",
        "trigger": {"event": "deal.won"},
        "conditions": {"all": [{"field": "deal.amount", "op": "gt", "value": 1000}]},
        "actions": [
            {"type": "send_email", "to": "contact", "subject": "Thank you, {{contact.first_name}}",
             "body": "We look forward to {{deal.title}} ({{deal.custom.tier}})."},
            {"type": "create_task", "title": "Onboard {{company.name}}", "due_in": "2d", "assignee": "owner"},
            {"type": "wait", "duration": "3d"},
            {"type": "webhook", "url": "https://hooks.example/won", "secret": "s3cret"},
            {"type": "assign_owner", "round_robin": ["olga@example.com", "SAM@example.com"]},
            {"type": "add_label", "label": "VIP"},
            {"type": "update_field", "field": "deal.expected_close_date", "value": "2026-12-01"},
            {"type": "move_stage", "stage": "Won"}
        ]
    })
}

fn fields_of(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_rule_reads_and_writes_back_the_same() {
    let rule = Rule::from_json(&thank_you(), &known()).expect("valid");
    assert_eq!(rule.event(), Some(Event::DealWon));
    assert_eq!(rule.actions.len(), 8);
    assert!(
        matches!(&rule.actions[3], Action::Webhook(Webhook { retries: 3, timeout, .. }) if timeout.text == "10s")
    );
    let again = Rule::from_json(&rule.to_json(), &known()).expect("its own JSON is valid");
    assert_eq!(again, rule);
}

#[test]
fn schedules_read_cron_and_their_target() {
    let digest = json!({"name": "Monday digest", "trigger": {"schedule": "0 8 * * 1", "for": "users"},
        "conditions": {"all": [{"field": "user.overdue_tasks", "op": "gt", "value": 0}]},
        "actions": [{"type": "send_email", "to": "user", "subject": "Overdue", "body": "{{user.overdue_task_list}}"}]});
    let rule = Rule::from_json(&digest, &known()).expect("valid");
    assert_eq!(rule.schedule().map(|c| c.text.as_str()), Some("0 8 * * 1"));
    let view = json!({"name": "v", "trigger": {"schedule": "0 8 * * *", "for": "tasks", "view": "Overdue"},
        "actions": [{"type": "create_task", "title": "Chase {{task.title}}"}]});
    assert!(Rule::from_json(&view, &known()).is_ok());
}

#[test]
fn bad_rules_name_what_is_wrong() {
    let check = |rule: Value, field: &str, words: &str| {
        let errors = Rule::from_json(&rule, &known()).expect_err("must be refused");
        let hit = errors.iter().find(|e| e.field == field);
        assert!(
            hit.is_some_and(|e| e.message.contains(words)),
            "expected {field} to say {words:?}, got {errors:?}"
        );
    };
    let mut r = thank_you();
    r["trigger"] = json!({"schedule": "0 25 * * 1"});
    check(r, "trigger.schedule", "not a valid cron expression");
    let mut r = thank_you();
    r["trigger"] = json!({"schedule": "every monday"});
    check(r, "trigger.schedule", "five fields");
    let mut r = thank_you();
    r["conditions"]["all"][0]["field"] = json!("deal.colour");
    check(r, "conditions.all[0].field", "no field \"colour\"");
    let mut r = thank_you();
    r["actions"][0]["body"] = json!("Hi {{contact.nickname}}");
    check(r, "actions[0].body", "no field \"nickname\"");
    let mut r = thank_you();
    r["actions"][0]["subject"] = json!("Hi {{user.name}}");
    check(r, "actions[0].subject", "no user");
    let mut r = thank_you();
    r["actions"][1]["due_in"] = json!("2 days");
    check(r, "actions[1].due_in", "unit");
    let mut r = thank_you();
    r["actions"][4]["round_robin"] = json!(["nobody@example.com"]);
    check(r, "actions[4].user", "no active user");
    let mut r = thank_you();
    r["actions"][5]["label"] = json!("Gold");
    check(r, "actions[5].label", "no label");
    let mut r = thank_you();
    r["actions"][7]["stage"] = json!("Nowhere");
    check(r, "actions[7].stage", "no stage");
    let mut r = thank_you();
    r["actions"][3]["url"] = json!("ftp://x");
    check(r, "actions[3].url", "https://");
    let mut r = thank_you();
    r["actions"][6]["value"] = json!("not a date");
    check(r, "actions[6].value", "date");
    let mut r = thank_you();
    r["trigger"] = json!({"event": "deal.exploded"});
    check(r, "trigger.event", "not an event");
    let mut r = thank_you();
    r["actions"][0]["type"] = json!("fax");
    check(r, "actions[0].type", "not an action");
    check(
        json!({"trigger": {"event": "deal.won"}, "actions": []}),
        "name",
        "required",
    );
}

#[test]
fn a_saved_rule_reads_whatever_the_workspace_renamed_since() {
    let rule = Rule::from_json(&thank_you(), &known()).expect("valid");
    let mut json = rule.to_json();
    json["actions"][5]["label"] = json!("Renamed");
    assert!(Rule::from_json(&json, &known()).is_err());
    assert!(Rule::from_json(&json, &Known::any()).is_ok());
    // Shape is still checked.
    json["actions"][2]["duration"] = json!("soon");
    assert!(Rule::from_json(&json, &Known::any()).is_err());
}

#[test]
fn a_rule_may_use_only_what_its_runs_have() {
    // A company has no contact; a schedule for nothing has no record to label.
    let company = json!({"name": "c", "trigger": {"event": "company.created"},
        "actions": [{"type": "send_email", "to": "contact", "subject": "x", "body": "y"}]});
    let errors = Rule::from_json(&company, &known()).expect_err("no contact");
    assert_eq!(fields_of(&errors), ["actions[0].to"]);
    let once = json!({"name": "o", "trigger": {"schedule": "0 8 * * *"},
        "actions": [{"type": "add_label", "label": "VIP"}, {"type": "wait", "duration": "0m"}]});
    let errors = Rule::from_json(&once, &known()).expect_err("nothing to label");
    assert_eq!(
        fields_of(&errors),
        ["actions[0].type", "actions[1].duration"]
    );
}
