//! Settings → Automations: the rule list, the form-based rule builder (no JSON typing), the
//! dry run against a record, and the runs log with retry.
//!
//! The builder's form becomes the same JSON the API takes (`rule_from_form`), so a rule from
//! the browser is checked by the same code as one from the API. Its buttons "Add condition",
//! "Add action" and "Remove" re-render the form with the draft, so it works without JS.

use crate::domain::automation::action::{self, Shape};
use crate::domain::capability::Capability;
use crate::domain::ids::RuleId;
use crate::domain::user::Role;
use crate::domain::words::fill;
use crate::error::{Error, FieldError, Result};
use crate::views::automations as views;
use crate::views::layout::{Flash, Section};
use crate::web::context::Ctx;
use crate::web::form::Form;
use crate::web::respond;
use crate::web::settings::parse_id;
use rouille::Response;
use serde_json::{Map, Value, json};

/// The rule JSON a builder form describes.
pub fn rule_from_form(form: &Form) -> Value {
    let trigger = if form.get("trigger_kind") == "schedule" {
        let mut t = json!({"schedule": form.get("schedule"), "for": form.get("for")});
        if !matches!(form.get("for"), "once" | "users" | "") {
            t["view"] = form.get("view").into();
        }
        t
    } else {
        json!({"event": form.get("event")})
    };
    let mut conditions = Vec::new();
    for i in 0.. {
        let field = format!("c{i}_field");
        if !form.has(&field) {
            break;
        }
        if form.get(&field).trim().is_empty() {
            continue;
        }
        let op = form.get(&format!("c{i}_op"));
        let mut c = json!({"field": form.get(&field).trim(), "op": op});
        if !matches!(op, "empty" | "not_empty") {
            c["value"] = form.get(&format!("c{i}_value")).trim().into();
        }
        conditions.push(c);
    }
    let mut actions = Vec::new();
    for i in 0.. {
        let kind = form.get(&format!("a{i}_type"));
        if kind.is_empty() {
            break;
        }
        let mut a = Map::new();
        a.insert("type".into(), kind.into());
        let inputs = action::kind_info(kind).map_or(&[][..], |k| k.inputs);
        for input in inputs {
            let value = form.get(&format!("a{i}_{}", input.name)).trim();
            if value.is_empty() {
                continue;
            }
            match input.shape {
                Shape::Emails => {
                    let emails: Vec<&str> = value
                        .split(',')
                        .map(str::trim)
                        .filter(|e| !e.is_empty())
                        .collect();
                    match emails.as_slice() {
                        [one] => a.insert("user".into(), (*one).into()),
                        many => a.insert("round_robin".into(), json!(many)),
                    };
                }
                Shape::Number => {
                    let n = value
                        .parse::<u64>()
                        .map_or_else(|_| Value::from(value), Value::from);
                    a.insert(input.name.into(), n);
                }
                Shape::Text | Shape::LongText => {
                    a.insert(input.name.into(), value.into());
                }
            }
        }
        actions.push(Value::Object(a));
    }
    let mode = if form.get("match") == "any" {
        "any"
    } else {
        "all"
    };
    json!({
        "name": form.get("name").trim(),
        "enabled": form.has("enabled"),
        "trigger": trigger,
        "conditions": {mode: conditions},
        "actions": actions,
    })
}

/// Field errors of the rule JSON, renamed to the builder's inputs (`actions[1].due_in` →
/// `a1_due_in`), so each shows next to its input.
pub fn form_errors(errors: &[FieldError]) -> Vec<FieldError> {
    errors
        .iter()
        .map(|e| {
            let f = &e.field;
            let field = if let Some(rest) = f.strip_prefix("actions[") {
                let (i, key) = rest
                    .split_once("].")
                    .unwrap_or((rest.trim_end_matches(']'), "type"));
                let key = if key == "user" { "users" } else { key };
                format!("a{i}_{key}")
            } else if let Some(rest) = f
                .strip_prefix("conditions.all[")
                .or_else(|| f.strip_prefix("conditions.any["))
            {
                let (i, key) = rest
                    .split_once("].")
                    .unwrap_or((rest.trim_end_matches(']'), "field"));
                format!("c{i}_{key}")
            } else if let Some(key) = f.strip_prefix("trigger.") {
                key.to_string()
            } else {
                f.clone()
            };
            FieldError {
                field,
                message: e.message.clone(),
            }
        })
        .collect()
}

fn admin(ctx: &Ctx) -> Result<crate::domain::user::User> {
    ctx.tenant.require(Capability::Automations)?;
    Ok(ctx.user_at_least(Role::Admin)?.clone())
}

pub fn list(ctx: &mut Ctx) -> Result<Response> {
    let me = admin(ctx)?;
    let rules = ctx.app.automations(&ctx.tenant, &me)?;
    let runs = ctx.app.automation_runs(&ctx.tenant, &me, None, 25)?;
    Ok(respond::html(views::list(
        &ctx.chrome(Section::Settings),
        &rules,
        &runs,
    )))
}

pub fn new(ctx: &mut Ctx) -> Result<Response> {
    admin(ctx)?;
    let draft = json!({"name": "", "enabled": true, "trigger": {"event": "deal.won"},
        "conditions": {"all": []}, "actions": [{"type": "send_email", "to": "contact"}]});
    builder(ctx, None, &draft, &[], 200)
}

pub fn show(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = admin(ctx)?;
    let id = parse_id(id)?;
    let rule = ctx.app.automation(&ctx.tenant, &me, id)?;
    builder(ctx, Some(id), &rule.definition, &[], 200)
}

fn builder(
    ctx: &Ctx,
    id: Option<RuleId>,
    draft: &Value,
    errors: &[FieldError],
    status: u16,
) -> Result<Response> {
    let me = ctx.user()?.clone();
    let (runs, test) = match id {
        Some(id) => {
            let runs = ctx.app.automation_runs(&ctx.tenant, &me, Some(id), 20)?;
            let record = ctx.req.get_param("test");
            let test = match record.map(|r| r.trim().parse::<i64>()) {
                None => None,
                Some(Ok(record)) => Some(
                    ctx.app
                        .dry_run(&ctx.tenant, &me, id, record)
                        .map_err(|e| ctx.w().error(&e, None)),
                ),
                Some(Err(_)) => Some(Err(ctx.w().give_record_number.to_string())),
            };
            (runs, test)
        }
        None => (Vec::new(), None),
    };
    let known = crate::app::automations::known_in(&ctx.tenant)?;
    let page = views::Builder {
        id,
        draft,
        errors,
        known: &known,
        runs: &runs,
        test: test.as_ref(),
        sms: ctx.app.config.sms.is_configured(),
    };
    Ok(respond::html_status(
        views::builder(&ctx.chrome(Section::Settings), &page),
        status,
    ))
}

/// Saves the builder's form, or re-renders it after "Add condition", "Add action" or
/// "Remove".
pub fn save(ctx: &mut Ctx, id: Option<&str>) -> Result<Response> {
    let me = admin(ctx)?;
    let id = id.map(parse_id).transpose()?;
    let mut draft = rule_from_form(&ctx.form);
    let op = ctx.form.get("op").to_string();
    if op == "add_condition" {
        let mode = if ctx.form.get("match") == "any" {
            "any"
        } else {
            "all"
        };
        if let Some(list) = draft["conditions"][mode].as_array_mut() {
            list.push(json!({"field": "", "op": "eq", "value": ""}));
        }
        return builder(ctx, id, &draft, &[], 200);
    }
    if op == "add_action" {
        let kind = ctx.form.get("new_action").to_string();
        if let Some(list) = draft["actions"].as_array_mut() {
            list.push(json!({"type": kind}));
        }
        return builder(ctx, id, &draft, &[], 200);
    }
    if let Some(i) = op
        .strip_prefix("remove_action_")
        .and_then(|i| i.parse::<usize>().ok())
    {
        if let Some(list) = draft["actions"].as_array_mut()
            && i < list.len()
        {
            list.remove(i);
        }
        return builder(ctx, id, &draft, &[], 200);
    }
    match ctx.app.save_automation(&ctx.tenant, &me, id, &draft) {
        Ok(saved) => Ok(ctx.redirect(
            &format!("settings/automations/{}", saved.id),
            Some(Flash::success(fill(
                ctx.w().rule_saved,
                &[("name", &saved.name)],
            ))),
        )),
        Err(e @ Error::Invalid { .. }) => {
            let errors = form_errors(e.field_errors());
            builder(ctx, id, &draft, &errors, 422)
        }
        Err(e) => Err(e),
    }
}

pub fn set_enabled(ctx: &mut Ctx, id: &str, enabled: bool) -> Result<Response> {
    let me = admin(ctx)?;
    let id = parse_id(id)?;
    let message = match ctx
        .app
        .set_automation_enabled(&ctx.tenant, &me, id, enabled)
    {
        Ok(()) if enabled => Flash::success(ctx.w().rule_on),
        Ok(()) => Flash::success(ctx.w().rule_off),
        // A rule whose names went away since (a label deleted) cannot be switched on as is.
        Err(e @ Error::Invalid { .. }) => Flash::error(fill(
            ctx.w().rule_fix_first,
            &[("why", &ctx.w().error(&e, None))],
        )),
        Err(e) => return Err(e),
    };
    Ok(ctx.redirect("settings/automations", Some(message)))
}

pub fn delete(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = admin(ctx)?;
    ctx.app.delete_automation(&ctx.tenant, &me, parse_id(id)?)?;
    Ok(ctx.redirect(
        "settings/automations",
        Some(Flash::success(ctx.w().rule_deleted)),
    ))
}

pub fn run(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = admin(ctx)?;
    let (run, steps) = ctx.app.automation_run(&ctx.tenant, &me, parse_id(id)?)?;
    let rule = ctx.app.automation(&ctx.tenant, &me, run.automation_id)?;
    Ok(respond::html(views::run(
        &ctx.chrome(Section::Settings),
        &rule,
        &run,
        &steps,
    )))
}

pub fn retry(ctx: &mut Ctx, id: &str) -> Result<Response> {
    let me = admin(ctx)?;
    let run_id = parse_id(id)?;
    let message = match ctx.app.retry_automation_run(&ctx.tenant, &me, run_id) {
        Ok(()) => Flash::success(ctx.w().run_retry),
        Err(Error::Conflict(m)) => Flash::error(m),
        Err(e) => return Err(e),
    };
    Ok(ctx.redirect(
        &format!("settings/automations/runs/{run_id}"),
        Some(message),
    ))
}
