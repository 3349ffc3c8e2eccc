//! An entry of the timeline: something that happened to a contact, company or deal.

use crate::domain::ids::{ActivityId, CompanyId, ContactId, DealId, TaskId, UserId};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Activity {
    pub id: ActivityId,
    pub kind: String,
    pub summary: String,
    pub body: String,
    pub outcome: Option<String>,
    pub contact_id: Option<ContactId>,
    pub company_id: Option<CompanyId>,
    pub deal_id: Option<DealId>,
    pub task_id: Option<TaskId>,
    pub actor_id: Option<UserId>,
    pub occurred_at: String,
    pub created_at: String,
    /// The summary as a catalogue key and blanks (`domain::said`), when it was written so.
    #[serde(skip)]
    pub said: Option<String>,
}

/// The summary of a call, meeting or email logged by hand: "Call logged: Interested".
pub fn logged(kind: &str, outcome: Option<&str>) -> crate::domain::said::Said {
    use crate::domain::said::{Blank, Said};
    let verb = Blank::Choice("kind", kind.to_string());
    match outcome {
        Some(o) => Said::new("tl_logged_outcome")
            .with("kind", verb)
            .text("outcome", o),
        None => Said::new("tl_logged").with("kind", verb),
    }
}

impl Activity {
    /// The summary in `lang`: from its key and blanks where it has them, else as written.
    pub fn summary_in(&self, lang: crate::domain::words::Lang) -> String {
        self.said
            .as_deref()
            .and_then(|s| crate::domain::said::read_json(s, lang))
            .unwrap_or_else(|| self.summary.clone())
    }
}

/// Which activities to list: one record's timeline, or everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    /// `contact_id`, `company_id` or `deal_id`, and the record's id.
    pub on: Option<(&'static str, i64)>,
}
