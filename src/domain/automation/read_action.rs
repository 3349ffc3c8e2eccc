//! Reading one action of a rule: its inputs, and whether the rule's runs have what it needs.

use super::reader::{Reader, Subject, check_path};
use super::*;
use serde_json::Map;

const WEBHOOK_DEFAULT_TIMEOUT: &str = "10s";
const WEBHOOK_DEFAULT_RETRIES: u32 = 3;

impl Reader<'_> {
    pub(super) fn action(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        subject: Subject,
    ) -> Option<Action> {
        let kind = obj.get("type").and_then(Value::as_str).unwrap_or("");
        let needs = |what: &str| format!("{kind} needs {what}");
        match kind {
            "send_email" => {
                let to = match self.text(obj, "to", at)?.as_str() {
                    "contact" if subject.has_contact() => Recipient::Contact,
                    "contact" => {
                        self.fail(
                            format!("{at}.to"),
                            needs("a rule about contacts, deals, tasks or notes"),
                        );
                        return None;
                    }
                    "owner" if subject.is_record() => Recipient::Owner,
                    "user" if subject == Subject::User => Recipient::User,
                    other if other.contains('@') => {
                        match crate::domain::fields::normalize(
                            crate::domain::fields::Kind::Email,
                            &Value::String(other.into()),
                            "",
                        ) {
                            Ok(Value::String(email)) => Recipient::Address(email),
                            _ => {
                                self.fail(
                                    format!("{at}.to"),
                                    format!("{other:?} is not an email address"),
                                );
                                return None;
                            }
                        }
                    }
                    other => {
                        self.fail(
                            format!("{at}.to"),
                            format!("{other:?} is not a recipient here: contact, owner, user (for per-user schedules) or an email address"),
                        );
                        return None;
                    }
                };
                let subject_line = self.template(obj, "subject", at, subject, true);
                let body = self.template(obj, "body", at, subject, true);
                let html = self.template(obj, "html", at, subject, false);
                Some(Action::SendEmail {
                    to,
                    subject: subject_line?,
                    body: body?,
                    html,
                })
            }
            "create_task" => {
                let title = self.template(obj, "title", at, subject, true);
                let due_in = match self.optional_text(obj, "due_in", at) {
                    Some(text) => match Span::parse(&text) {
                        Ok(s) => Some(s),
                        Err(e) => {
                            self.fail(format!("{at}.due_in"), e);
                            None
                        }
                    },
                    None => None,
                };
                let assignee = match self.optional_text(obj, "assignee", at).as_deref() {
                    None => None,
                    Some("owner") if subject.is_record() => Some(Assignee::Owner),
                    Some("user") if subject == Subject::User => Some(Assignee::User),
                    Some(email) => self
                        .user_email(email, &format!("{at}.assignee"))
                        .map(Assignee::Email),
                };
                Some(Action::CreateTask {
                    title: title?,
                    due_in,
                    assignee,
                })
            }
            "assign_owner" => {
                if !subject.is_record() {
                    self.fail(format!("{at}.type"), needs("a rule about records"));
                }
                let emails: Vec<String> = match (obj.get("user"), obj.get("round_robin")) {
                    (Some(Value::String(one)), None) => vec![one.clone()],
                    (None, Some(Value::Array(many))) if !many.is_empty() => many
                        .iter()
                        .map(|v| v.as_str().unwrap_or_default().to_string())
                        .collect(),
                    _ => {
                        self.fail(
                            format!("{at}.user"),
                            "give a user's email, or round_robin with a list of emails",
                        );
                        return None;
                    }
                };
                let users: Vec<String> = emails
                    .iter()
                    .filter_map(|e| self.user_email(e, &format!("{at}.user")))
                    .collect();
                (users.len() == emails.len()).then_some(Action::AssignOwner { users })
            }
            "add_label" | "remove_label" => {
                let label = self.text(obj, "label", at)?;
                let labelled = matches!(subject, Subject::Labelled)
                    || matches!(subject, Subject::Record(e) if e.has_labels_and_custom());
                if !labelled {
                    self.fail(
                        format!("{at}.type"),
                        needs("a rule about contacts, companies or deals"),
                    );
                    return None;
                }
                if !self.known.has(&self.known.labels, &label) {
                    self.fail(
                        format!("{at}.label"),
                        format!("no label is named {label:?}"),
                    );
                    return None;
                }
                Some(if kind == "add_label" {
                    Action::AddLabel { label }
                } else {
                    Action::RemoveLabel { label }
                })
            }
            "update_field" => {
                let field = self.text(obj, "field", at)?;
                let value = obj.get("value").cloned().unwrap_or(Value::Null);
                // Text values may hold placeholders, filled in when the step runs.
                let templated = match &value {
                    Value::String(text) => match Template::parse(text) {
                        Ok(t) => {
                            let problems: Vec<String> = t
                                .placeholders()
                                .filter_map(|p| check_path(p, subject, self.known).err())
                                .collect();
                            let has_places = t.placeholders().next().is_some();
                            for p in problems {
                                self.fail(format!("{at}.value"), p);
                            }
                            has_places
                        }
                        Err(e) => {
                            self.fail(format!("{at}.value"), e);
                            return None;
                        }
                    },
                    _ => false,
                };
                let Subject::Record(entity) = subject else {
                    self.fail(
                        format!("{at}.type"),
                        needs("a rule about one kind of record"),
                    );
                    return None;
                };
                let key = field
                    .strip_prefix(entity.singular())
                    .and_then(|k| k.strip_prefix('.'))
                    .unwrap_or("");
                if let Some(custom_key) = key.strip_prefix("custom.") {
                    if let Err(e) = check_path(&field, subject, self.known) {
                        self.fail(format!("{at}.field"), e);
                        return None;
                    }
                    return Some(Action::UpdateField {
                        field: format!("{}.custom.{custom_key}", entity.singular()),
                        value,
                    });
                }
                let Some(def) = entity.field(key) else {
                    self.fail(
                        format!("{at}.field"),
                        format!(
                            "{field:?} is not a field of the rule's {}",
                            entity.singular()
                        ),
                    );
                    return None;
                };
                // Ids of other records, stages and users change with the workspace: use the
                // actions made for them.
                if matches!(
                    def.kind,
                    crate::domain::fields::Kind::Ref(_)
                        | crate::domain::fields::Kind::User
                        | crate::domain::fields::Kind::Stage
                        | crate::domain::fields::Kind::Pipeline
                ) {
                    self.fail(
                        format!("{at}.field"),
                        format!(
                            "{field:?} links to another record: use assign_owner or move_stage"
                        ),
                    );
                    return None;
                }
                if let Err(e) = crate::domain::fields::normalize(def.kind, &value, "EUR")
                    && !templated
                {
                    self.fail(format!("{at}.value"), e);
                    return None;
                }
                Some(Action::UpdateField { field, value })
            }
            "move_stage" => {
                let stage = self.text(obj, "stage", at)?;
                if !subject.records().contains(&Entity::Deal) {
                    self.fail(
                        format!("{at}.type"),
                        needs("a rule about deals, or tasks and notes of a deal"),
                    );
                    return None;
                }
                if !self.known.has(&self.known.stages, &stage) {
                    self.fail(
                        format!("{at}.stage"),
                        format!("no stage is named {stage:?}"),
                    );
                    return None;
                }
                Some(Action::MoveStage { stage })
            }
            "wait" => {
                let text = self.text(obj, "duration", at)?;
                match Span::parse(&text) {
                    Ok(duration) if duration.duration > chrono::Duration::zero() => {
                        Some(Action::Wait { duration })
                    }
                    Ok(_) => {
                        self.fail(format!("{at}.duration"), "must be longer than nothing");
                        None
                    }
                    Err(e) => {
                        self.fail(format!("{at}.duration"), e);
                        None
                    }
                }
            }
            "webhook" => {
                let url = self.text(obj, "url", at);
                let secret = self.text(obj, "secret", at);
                if let Some(u) = &url
                    && !(u.starts_with("https://") || u.starts_with("http://"))
                {
                    self.fail(format!("{at}.url"), "must start with https:// or http://");
                }
                let timeout_text = self
                    .optional_text(obj, "timeout", at)
                    .unwrap_or_else(|| WEBHOOK_DEFAULT_TIMEOUT.into());
                let timeout = match Span::parse(&timeout_text) {
                    Ok(t)
                        if t.duration > chrono::Duration::zero()
                            && t.duration
                                <= chrono::Duration::seconds(WEBHOOK_MAX_TIMEOUT_SECS) =>
                    {
                        Some(t)
                    }
                    Ok(_) => {
                        self.fail(
                            format!("{at}.timeout"),
                            format!("must be between 1s and {WEBHOOK_MAX_TIMEOUT_SECS}s"),
                        );
                        None
                    }
                    Err(e) => {
                        self.fail(format!("{at}.timeout"), e);
                        None
                    }
                };
                let retries = match obj.get("retries") {
                    None | Some(Value::Null) => Some(WEBHOOK_DEFAULT_RETRIES),
                    Some(v) => match v.as_u64().filter(|n| *n <= u64::from(WEBHOOK_MAX_RETRIES)) {
                        Some(n) => Some(n as u32),
                        None => {
                            self.fail(
                                format!("{at}.retries"),
                                format!("must be a whole number from 0 to {WEBHOOK_MAX_RETRIES}"),
                            );
                            None
                        }
                    },
                };
                Some(Action::Webhook {
                    url: url?,
                    secret: secret?,
                    timeout: timeout?,
                    retries: retries?,
                })
            }
            other => {
                let names: Vec<_> = ACTION_KINDS.iter().map(|(k, _)| *k).collect();
                self.fail(
                    format!("{at}.type"),
                    format!("{other:?} is not an action (one of {})", names.join(", ")),
                );
                None
            }
        }
    }
}
