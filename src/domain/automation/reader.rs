//! Reading a rule from its JSON and checking it against what the workspace has: every
//! problem is collected with the path of the field it concerns (`actions[3].body`).

use super::*;
use crate::error::FieldError;
use serde_json::Map;

pub use super::subject::{Subject, check_path};

/// Rules are read by people: a long list of actions is a sign of a mistake.
const MAX_ACTIONS: usize = 20;
const MAX_CONDITIONS: usize = 20;

/// Reads JSON into a rule, collecting a message for each thing wrong with it.
pub struct Reader<'a> {
    pub(super) errors: Vec<FieldError>,
    pub(super) known: &'a Known,
}

impl Reader<'_> {
    pub(super) fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub(super) fn text(&mut self, obj: &Map<String, Value>, key: &str, at: &str) -> Option<String> {
        match obj.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                self.fail(format!("{at}.{key}"), "is required");
                None
            }
            Some(_) => {
                self.fail(format!("{at}.{key}"), "must be text");
                None
            }
        }
    }

    pub(super) fn optional_text(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        at: &str,
    ) -> Option<String> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(_) => self.text(obj, key, at),
        }
    }

    pub(super) fn template(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        at: &str,
        subject: Subject,
        required: bool,
    ) -> Option<Template> {
        let text = if required {
            self.text(obj, key, at)?
        } else {
            self.optional_text(obj, key, at)?
        };
        let field = format!("{at}.{key}");
        match Template::parse(&text) {
            Ok(t) => {
                let problems: Vec<String> = t
                    .placeholders()
                    .filter_map(|p| check_path(p, subject, self.known).err())
                    .collect();
                for p in problems {
                    self.fail(&field, p);
                }
                Some(t)
            }
            Err(e) => {
                self.fail(field, e);
                None
            }
        }
    }

    pub(super) fn user_email(&mut self, email: &str, field: &str) -> Option<String> {
        let email = email.trim().to_lowercase();
        if self.known.has(&self.known.users, &email) {
            Some(email)
        } else {
            self.fail(field, format!("no active user has the email {email:?}"));
            None
        }
    }

    fn trigger(&mut self, value: Option<&Value>) -> Option<Trigger> {
        let Some(Value::Object(obj)) = value else {
            self.fail(
                "trigger",
                "is required: {\"event\": \"deal.won\"} or {\"schedule\": \"0 8 * * 1\"}",
            );
            return None;
        };
        match (obj.get("event"), obj.get("schedule")) {
            (Some(Value::String(e)), None) => match Event::parse(e) {
                Some(event) => Some(Trigger::Event(event)),
                None => {
                    let names: Vec<_> = Event::ALL.iter().map(|e| e.as_str()).collect();
                    self.fail(
                        "trigger.event",
                        format!("{e:?} is not an event (one of {})", names.join(", ")),
                    );
                    None
                }
            },
            (None, Some(Value::String(s))) => {
                let cron = match CronSpec::parse(s) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        self.fail("trigger.schedule", e);
                        None
                    }
                };
                let target = self.target(obj);
                Some(Trigger::Schedule {
                    cron: Box::new(cron?),
                    target: target?,
                })
            }
            _ => {
                self.fail(
                    "trigger",
                    "must have either an event or a schedule (a five-field cron expression)",
                );
                None
            }
        }
    }

    fn target(&mut self, obj: &Map<String, Value>) -> Option<Target> {
        let each = obj.get("for").and_then(Value::as_str).unwrap_or("once");
        match each {
            "once" => Some(Target::Once),
            "users" => Some(Target::EachUser),
            table => {
                let Some(entity) = Entity::from_table(table).filter(|e| *e != Entity::Note) else {
                    self.fail(
                        "trigger.for",
                        format!(
                            "{table:?} is not once, users, contacts, companies, deals or tasks"
                        ),
                    );
                    return None;
                };
                let name = self.text(obj, "view", "trigger")?;
                if self.known.any_name
                    || self
                        .known
                        .views
                        .iter()
                        .any(|(e, n)| *e == entity && *n == name)
                {
                    Some(Target::View { entity, name })
                } else {
                    self.fail(
                        "trigger.view",
                        format!("there is no saved view of {table} named {name:?}"),
                    );
                    None
                }
            }
        }
    }

    fn conditions(&mut self, value: Option<&Value>, trigger: Option<&Trigger>) -> Conditions {
        let subject = trigger.map(Trigger::subject);
        let (any, items) = match value {
            None | Some(Value::Null) => return Conditions::default(),
            Some(Value::Object(obj)) => match (obj.get("all"), obj.get("any")) {
                (Some(Value::Array(items)), None) => (false, items),
                (None, Some(Value::Array(items))) => (true, items),
                _ => {
                    self.fail("conditions", "must be {\"all\": [...]} or {\"any\": [...]}");
                    return Conditions::default();
                }
            },
            Some(_) => {
                self.fail("conditions", "must be {\"all\": [...]} or {\"any\": [...]}");
                return Conditions::default();
            }
        };
        let key = if any { "any" } else { "all" };
        if items.len() > MAX_CONDITIONS {
            self.fail("conditions", format!("at most {MAX_CONDITIONS} conditions"));
        }
        let mut list = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("conditions.{key}[{i}]");
            let Value::Object(obj) = item else {
                self.fail(at, "must be {\"field\": …, \"op\": …, \"value\": …}");
                continue;
            };
            let field = self.text(obj, "field", &at);
            let op = match obj
                .get("op")
                .and_then(Value::as_str)
                .map(|s| (s, Op::parse(s)))
            {
                Some((_, Some(op))) => Some(op),
                other => {
                    let names: Vec<_> = Op::ALL.iter().map(|o| o.as_str()).collect();
                    self.fail(
                        format!("{at}.op"),
                        format!(
                            "{} is not an operator (one of {})",
                            other.map_or("nothing".into(), |(s, _)| format!("{s:?}")),
                            names.join(", ")
                        ),
                    );
                    None
                }
            };
            let value = obj.get("value").cloned().unwrap_or(Value::Null);
            let (Some(field), Some(op)) = (field, op) else {
                continue;
            };
            if let Some(subject) = subject {
                if let Err(e) = check_path(&field, subject, self.known) {
                    self.fail(format!("{at}.field"), e);
                }
                if op == Op::ChangedTo && !matches!(trigger, Some(Trigger::Event(_))) {
                    self.fail(format!("{at}.op"), "changed_to needs an event trigger");
                }
            }
            if op.takes_value() && value.is_null() {
                self.fail(format!("{at}.value"), "is required for this operator");
            }
            list.push(Condition { field, op, value });
        }
        Conditions { any, list }
    }

    fn actions(&mut self, value: Option<&Value>, trigger: Option<&Trigger>) -> Vec<Action> {
        let Some(Value::Array(items)) = value else {
            self.fail("actions", "is required: a list of actions");
            return Vec::new();
        };
        if items.is_empty() {
            self.fail("actions", "needs at least one action");
        }
        if items.len() > MAX_ACTIONS {
            self.fail("actions", format!("at most {MAX_ACTIONS} actions"));
        }
        let subject = trigger.map_or(Subject::Nothing, Trigger::subject);
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("actions[{i}]");
            let Value::Object(obj) = item else {
                self.fail(at, "must be an object with a type");
                continue;
            };
            if let Some(action) = self.action(obj, &at, subject) {
                out.push(action);
            }
        }
        out
    }
}

impl Rule {
    /// Reads and checks a rule; every problem is reported with the field it concerns.
    pub fn from_json(value: &Value, known: &Known) -> Result<Rule, Vec<FieldError>> {
        let mut reader = Reader {
            errors: Vec::new(),
            known,
        };
        let Value::Object(obj) = value else {
            reader.fail("rule", "must be a JSON object");
            return Err(reader.errors);
        };
        let name = reader.text(obj, "name", "rule");
        if name.as_ref().is_some_and(|n| n.chars().count() > 200) {
            reader.fail("name", "is longer than 200 characters");
        }
        let enabled = match obj.get("enabled") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                reader.fail("enabled", "must be true or false");
                true
            }
        };
        let trigger = reader.trigger(obj.get("trigger"));
        let conditions = reader.conditions(obj.get("conditions"), trigger.as_ref());
        let actions = reader.actions(obj.get("actions"), trigger.as_ref());
        for key in obj.keys() {
            if ![
                "name",
                "enabled",
                "trigger",
                "conditions",
                "actions",
                "id",
                "created_at",
                "updated_at",
                "next_run_at",
            ]
            .contains(&key.as_str())
            {
                reader.fail(key.clone(), "is not part of a rule");
            }
        }
        match (name, trigger) {
            (Some(name), Some(trigger)) if reader.errors.is_empty() => Ok(Rule {
                name,
                enabled,
                trigger,
                conditions,
                actions,
            }),
            _ => {
                // "rule.name" reads better as "name".
                for e in &mut reader.errors {
                    if let Some(rest) = e.field.strip_prefix("rule.") {
                        e.field = rest.to_string();
                    }
                }
                Err(reader.errors)
            }
        }
    }
}
