//! The conversations inbox's pure parts: reading an incoming mail (`mail`), making its HTML
//! safe to show (`html`), finding the conversation it answers (`threading`), and telling new
//! text from quoted history (`quote`).

pub mod html;
pub mod mail;
pub mod quote;
pub mod routing;
pub mod threading;
pub mod typing;

#[cfg(test)]
mod tests;

use crate::domain::ids::{
    ContactId, ConversationId, ConversationMessageId, InboxId, TeamId, UserId,
};

/// A mail larger than this is not taken: its conversation notes its size and sender instead.
pub const MAX_MAIL_BYTES: u64 = 25 * 1024 * 1024;

/// Queue counts stop here: a queue holding more shows as "1,000+".
pub const COUNT_CAP: i64 = 1000;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Inbox {
    pub id: InboxId,
    pub name: String,
    pub address: String,
    pub imap_host: String,
    pub imap_port: u16,
    pub imap_user: String,
    #[serde(skip)]
    pub imap_password: String,
    pub imap_mailbox: String,
    pub signature: String,
    pub active: bool,
    /// A private CA (PEM) its server's certificate is signed by, if not a public one.
    #[serde(skip)]
    pub imap_ca: Option<String>,
    /// New conversations go to its members in turn.
    pub auto_assign: bool,
    /// No member gets more open conversations than this by turn.
    pub assign_cap: Option<i64>,
    pub last_assigned_id: Option<UserId>,
    /// Its working hours, Monday first, each day's spans as typed (`09:00–17:00`); none:
    /// always open.
    pub hours: Option<Vec<String>>,
    /// Sent once a day per conversation to mail that arrives outside the hours.
    pub away_reply: String,
    /// The team its new conversations belong to.
    pub team_id: Option<TeamId>,
}

/// How an inbox's fetching goes: what it has taken, and its last success and error.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Health {
    pub uid_validity: Option<u32>,
    pub last_uid: u32,
    pub last_success_at: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    pub failures: i64,
    pub next_at: String,
    /// The next fetch starts again at the first message since this day.
    pub refetch_since: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conversation {
    pub id: ConversationId,
    pub number: i64,
    pub inbox_id: InboxId,
    pub contact_id: Option<ContactId>,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub snoozed_until: Option<String>,
    pub assignee_id: Option<UserId>,
    pub team_id: Option<TeamId>,
    #[serde(skip)]
    pub token: String,
    pub waiting_since: Option<String>,
    pub first_reply_at: Option<String>,
    pub resolved_at: Option<String>,
    pub last_message_at: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Message {
    pub id: ConversationMessageId,
    pub conversation_id: ConversationId,
    pub direction: String,
    pub author_id: Option<UserId>,
    pub from_address: String,
    pub from_name: String,
    pub message_id: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub automatic: Option<String>,
    pub size: i64,
    pub refused: Option<String>,
    pub created_at: String,
    /// An outgoing message's mail: `queued`, `sent` or `failed`, and why it failed.
    pub delivery: Option<String>,
    pub delivery_error: Option<String>,
    /// What came attached, in order (read back from the raw mail to download).
    pub attachments: Vec<mail::Attachment>,
    /// The others it went to.
    pub cc: Vec<String>,
}

impl Conversation {
    /// Everyone who wrote in or was copied, by address, each once, in order of appearance.
    pub fn participants(messages: &[Message]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in messages.iter().filter(|m| m.direction == "in") {
            for a in std::iter::once(&m.from_address).chain(&m.cc) {
                if !a.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(a)) {
                    out.push(a.clone());
                }
            }
        }
        out
    }
}

/// What a reply needs of the mail it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastIncoming {
    pub message_id: Option<String>,
    pub from: String,
    pub cc: Vec<String>,
    /// Why it was automatic (an out-of-office reply, a list), if it was.
    pub automatic: Option<String>,
}

/// Where a conversation stands. Open and pending ones are worked; snoozed ones open again at
/// their time (or when a message comes in); resolved ones open again with a new message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Pending,
    Snoozed,
    Resolved,
    Spam,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Open,
        Status::Pending,
        Status::Snoozed,
        Status::Resolved,
        Status::Spam,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Pending => "pending",
            Status::Snoozed => "snoozed",
            Status::Resolved => "resolved",
            Status::Spam => "spam",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    None,
    Low,
    Medium,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 5] = [
        Priority::None,
        Priority::Low,
        Priority::Medium,
        Priority::High,
        Priority::Urgent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::None => "none",
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Whose conversations a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    Mine,
    Unassigned,
    All,
    Inbox(InboxId),
    Team(TeamId),
    /// Someone's: a person's assigned conversations.
    Person(UserId),
}

impl Queue {
    /// `mine`, `unassigned`, `all` or `inbox-<id>`.
    pub fn parse(s: &str) -> Option<Queue> {
        match s {
            "mine" => Some(Queue::Mine),
            "unassigned" => Some(Queue::Unassigned),
            "all" => Some(Queue::All),
            _ => {
                let number = |prefix: &str| s.strip_prefix(prefix).and_then(|n| n.parse().ok());
                number("inbox-")
                    .map(|n| Queue::Inbox(InboxId(n)))
                    .or_else(|| number("team-").map(|n| Queue::Team(TeamId(n))))
                    .or_else(|| number("user-").map(|n| Queue::Person(UserId(n))))
            }
        }
    }

    pub fn key(self) -> String {
        match self {
            Queue::Mine => "mine".into(),
            Queue::Unassigned => "unassigned".into(),
            Queue::All => "all".into(),
            Queue::Inbox(id) => format!("inbox-{id}"),
            Queue::Team(id) => format!("team-{id}"),
            Queue::Person(id) => format!("user-{id}"),
        }
    }
}

/// A page of a conversation list: a queue in one status, narrowed by priority or label,
/// after a row's place (its queue key and id) or from the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter {
    pub queue: Queue,
    pub status: Status,
    pub priority: Option<Priority>,
    pub label: Option<crate::domain::ids::LabelId>,
    pub after: Option<(String, ConversationId)>,
    pub limit: i64,
}

/// One page of a list: its rows, and the place the next one starts after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    pub rows: Vec<Conversation>,
    pub next: Option<(String, ConversationId)>,
    /// Narrowed further than an index reaches, the search stopped after this many rows.
    pub stopped_after: Option<i64>,
}

/// A reply kept for reuse, typed in the editor as `/shortcut`; `{{contact.first_name}}` and
/// the like are filled in from the conversation's contact.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CannedReply {
    pub id: i64,
    pub shortcut: String,
    pub body: String,
}

/// Something a user should see: they were mentioned in a note, or given a conversation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notification {
    pub id: i64,
    /// `mention` or `assigned`.
    pub kind: String,
    pub conversation_id: ConversationId,
    pub number: i64,
    pub subject: String,
    /// Who mentioned or assigned them.
    pub actor: String,
    pub created_at: String,
    pub read: bool,
}

/// How many conversations each queue holds in one status (each up to the store's cap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueCounts {
    pub mine: i64,
    pub unassigned: i64,
    pub all: i64,
    pub inboxes: Vec<(InboxId, String, i64)>,
    pub teams: Vec<(TeamId, String, i64)>,
    pub people: Vec<(UserId, String, i64)>,
}

/// The names a list of conversations shows for the ids it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub users: std::collections::HashMap<UserId, String>,
    pub contacts: std::collections::HashMap<ContactId, String>,
    pub inboxes: std::collections::HashMap<InboxId, String>,
    pub teams: std::collections::HashMap<TeamId, String>,
}

/// A team: its name and members.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub members: Vec<UserId>,
}

/// How long something has waited, short: `4 min`, `3 h`, `2 d`.
pub fn waited(
    since: &str,
    now: chrono::DateTime<chrono::Utc>,
    lang: crate::domain::words::Lang,
) -> String {
    let w = lang.words();
    let minutes = crate::clock::parse_stamp(since)
        .map_or(0, |t| (now - t).num_minutes())
        .max(0);
    let (text, n) = match minutes {
        m if m < 60 => (w.waited_minutes, m),
        m if m < 48 * 60 => (w.waited_hours, m / 60),
        m => (w.waited_days, m / (24 * 60)),
    };
    crate::domain::words::fill(text, &[("n", &n.to_string())])
}
