//! Conditions on a record's fields, labels and custom attributes, combined with all or any.

use crate::domain::automation::template::{display, lookup};
use serde_json::Value;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Contains,
    Gt,
    Lt,
    Empty,
    NotEmpty,
    ChangedTo,
}

impl Op {
    pub const ALL: [Op; 8] = [
        Op::Eq,
        Op::Ne,
        Op::Contains,
        Op::Gt,
        Op::Lt,
        Op::Empty,
        Op::NotEmpty,
        Op::ChangedTo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Contains => "contains",
            Op::Gt => "gt",
            Op::Lt => "lt",
            Op::Empty => "empty",
            Op::NotEmpty => "not_empty",
            Op::ChangedTo => "changed_to",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Op::Eq => "equals",
            Op::Ne => "does not equal",
            Op::Contains => "contains",
            Op::Gt => "is greater than",
            Op::Lt => "is less than",
            Op::Empty => "is empty",
            Op::NotEmpty => "is not empty",
            Op::ChangedTo => "changed to",
        }
    }

    pub fn parse(s: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.as_str() == s)
    }

    /// Whether the operator compares with a value.
    pub fn takes_value(self) -> bool {
        !matches!(self, Op::Empty | Op::NotEmpty)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// A dotted path into the run's context: `deal.amount`, `contact.labels`,
    /// `contact.custom.tier`.
    pub field: String,
    pub op: Op,
    pub value: Value,
}

impl Condition {
    /// Whether the condition holds for `context`; `changed` names the fields (as
    /// `root.field`) that the triggering change altered.
    pub fn holds(&self, context: &Value, changed: &BTreeSet<String>) -> bool {
        let actual = lookup(context, &self.field);
        match self.op {
            Op::Eq => equals(actual, &self.value),
            Op::Ne => !equals(actual, &self.value),
            Op::Contains => match actual {
                Value::Array(items) => items.iter().any(|i| equals(i, &self.value)),
                other => fold(&display(other)).contains(&fold(&display(&self.value))),
            },
            Op::Gt => compare(actual, &self.value) == Some(std::cmp::Ordering::Greater),
            Op::Lt => compare(actual, &self.value) == Some(std::cmp::Ordering::Less),
            Op::Empty => is_empty(actual),
            Op::NotEmpty => !is_empty(actual),
            Op::ChangedTo => changed.contains(&self.field) && equals(actual, &self.value),
        }
    }
}

fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Equal as numbers when both read as numbers, else as text without case; a list equals a
/// value it holds.
fn equals(actual: &Value, expected: &Value) -> bool {
    if let Value::Array(items) = actual {
        return items.iter().any(|i| equals(i, expected));
    }
    match (number(actual), number(expected)) {
        (Some(a), Some(b)) => a == b,
        _ => fold(&display(actual)) == fold(&display(expected)),
    }
}

/// Numbers as numbers; other values (dates, text) in text order, which is time order for
/// ISO dates. Nothing compares with an empty value.
fn compare(actual: &Value, expected: &Value) -> Option<std::cmp::Ordering> {
    if is_empty(actual) {
        return None;
    }
    match (number(actual), number(expected)) {
        (Some(a), Some(b)) => a.partial_cmp(&b),
        _ => Some(fold(&display(actual)).cmp(&fold(&display(expected)))),
    }
}

/// Conditions joined by all (every one holds) or any (at least one holds). No conditions
/// always hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conditions {
    pub any: bool,
    pub list: Vec<Condition>,
}

impl Conditions {
    pub fn hold(&self, context: &Value, changed: &BTreeSet<String>) -> bool {
        if self.list.is_empty() {
            return true;
        }
        let mut results = self.list.iter().map(|c| c.holds(context, changed));
        if self.any {
            results.any(|r| r)
        } else {
            results.all(|r| r)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cond(field: &str, op: Op, value: Value) -> Condition {
        Condition {
            field: field.into(),
            op,
            value,
        }
    }

    #[test]
    fn operators_compare_like_a_person_would() {
        let ctx = json!({"deal": {"amount": 150000.5, "title": "Roof repair", "labels": ["VIP", "North"],
            "expected_close_date": "2026-12-01", "lost_reason": null, "custom": {"tier": "Gold"}}});
        let none = BTreeSet::new();
        let yes = |c: Condition| assert!(c.holds(&ctx, &none), "{c:?} should hold");
        let no = |c: Condition| assert!(!c.holds(&ctx, &none), "{c:?} should not hold");
        yes(cond("deal.amount", Op::Gt, json!(100000)));
        no(cond("deal.amount", Op::Lt, json!("100000")));
        yes(cond("deal.title", Op::Contains, json!("REPAIR")));
        yes(cond("deal.labels", Op::Contains, json!("vip")));
        no(cond("deal.labels", Op::Contains, json!("south")));
        yes(cond("deal.custom.tier", Op::Eq, json!("gold")));
        yes(cond("deal.custom.tier", Op::Ne, json!("silver")));
        yes(cond(
            "deal.expected_close_date",
            Op::Lt,
            json!("2027-01-01"),
        ));
        yes(cond("deal.lost_reason", Op::Empty, Value::Null));
        yes(cond("deal.nothing_here", Op::Empty, Value::Null));
        no(cond("deal.lost_reason", Op::Gt, json!(0)));
        no(cond("deal.title", Op::Empty, Value::Null));
        yes(cond("deal.title", Op::NotEmpty, Value::Null));
    }

    #[test]
    fn changed_to_needs_the_change() {
        let ctx = json!({"contact": {"lifecycle": "customer"}});
        let c = cond("contact.lifecycle", Op::ChangedTo, json!("customer"));
        assert!(!c.holds(&ctx, &BTreeSet::new()));
        assert!(c.holds(&ctx, &BTreeSet::from(["contact.lifecycle".to_string()])));
    }

    #[test]
    fn all_and_any() {
        let ctx = json!({"task": {"priority": "high", "status": "open"}});
        let list = vec![
            cond("task.priority", Op::Eq, json!("high")),
            cond("task.status", Op::Eq, json!("done")),
        ];
        let none = BTreeSet::new();
        assert!(
            !Conditions {
                any: false,
                list: list.clone()
            }
            .hold(&ctx, &none)
        );
        assert!(Conditions { any: true, list }.hold(&ctx, &none));
        assert!(Conditions::default().hold(&ctx, &none));
    }
}
