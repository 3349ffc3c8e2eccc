//! Demo conversations for the seed: an inbox (switched off, so nothing is fetched for it) and
//! conversations over the last year, each a mail from a contact and mostly an answer, in every
//! status and priority, about half of them given to someone.

use crate::clock::stamp;
use crate::domain::demo::{OUTCOMES, Rng, TASK_WHAT};
use crate::error::Result;
use crate::store::Write;
use crate::store::conversations::next_number;
use crate::store::crm::seed::{self, IntoValue, Value};
use chrono::{DateTime, Duration, Utc};

/// Who answers, who writes, and how many conversations are wanted.
pub(super) struct Talk<'a> {
    pub owners: &'a [i64],
    /// The first contact's id and how many there are from it.
    pub contacts: (i64, usize),
    pub now: DateTime<Utc>,
    pub wanted: usize,
}

const STATUSES: &[&str] = &[
    "open", "open", "pending", "snoozed", "resolved", "resolved", "resolved", "resolved", "spam",
];
const PRIORITIES: &[&str] = &["none", "none", "none", "low", "medium", "high", "urgent"];

macro_rules! row {
    ($($v:expr),* $(,)?) => { vec![$(IntoValue::into_value($v)),*] };
}

pub(super) fn seed_conversations(tx: &Write, rng: &mut Rng, t: &Talk) -> Result<usize> {
    if t.wanted == 0 || t.contacts.1 == 0 {
        return Ok(0);
    }
    let inbox = seed::insert_rows(
        tx,
        "inboxes",
        &[
            "name",
            "address",
            "imap_host",
            "imap_user",
            "imap_password",
            "active",
            "created_at",
        ],
        &[row![
            "Demo support",
            "support@demo.invalid",
            "imap.demo.invalid",
            "demo",
            "demo",
            0,
            stamp(t.now)
        ]],
    )?;
    // Every inbox has its fetch state; this one is switched off, so it is never due.
    seed::insert_pairs(
        tx,
        "inbox_fetch",
        &["inbox_id", "next_at"],
        &[row![inbox, stamp(t.now)]],
    )?;
    let first_number = next_number(tx)?;
    let mut conversations = Vec::with_capacity(t.wanted);
    // Each message's conversation as its place among the new ones, then its other values.
    let mut messages: Vec<(i64, Vec<Value>)> = Vec::with_capacity(t.wanted * 2);
    for n in 0..t.wanted {
        let (conversation, mails) = one(rng, t, (inbox, first_number + n as i64));
        conversations.push(conversation);
        messages.extend(mails.into_iter().map(|m| (n as i64, m)));
    }
    let columns = [
        "number",
        "inbox_id",
        "contact_id",
        "subject",
        "status",
        "snoozed_until",
        "priority",
        "assignee_id",
        "token",
        "waiting_since",
        "first_reply_at",
        "last_message_at",
        "created_at",
    ];
    let first_id = seed::insert_rows(tx, "conversations", &columns, &conversations)?;
    let messages: Vec<Vec<Value>> = messages
        .into_iter()
        .map(|(n, rest)| {
            std::iter::once((first_id + n).into_value())
                .chain(rest)
                .collect()
        })
        .collect();
    let columns = [
        "conversation_id",
        "direction",
        "from_address",
        "from_name",
        "subject",
        "body_text",
        "created_at",
    ];
    seed::insert_rows(tx, "conversation_messages", &columns, &messages)?;
    Ok(t.wanted)
}

/// One conversation's row and its messages' rows (without their conversation).
fn one(rng: &mut Rng, t: &Talk, (inbox, number): (i64, i64)) -> (Vec<Value>, Vec<Vec<Value>>) {
    let contact = t.contacts.0 + rng.below(t.contacts.1) as i64;
    let status = rng.pick(STATUSES);
    let started = t.now - Duration::minutes(rng.below(365 * 1440) as i64);
    let answered = status != "open" || rng.below(3) == 0;
    let assignee = (rng.below(2) == 0).then(|| t.owners[rng.below(t.owners.len())]);
    let subject = format!("{} ({number})", rng.pick(TASK_WHAT));
    let (came, went) = (stamp(started), stamp(started + Duration::minutes(47)));
    let last = if answered { went.clone() } else { came.clone() };
    let conversation = row![
        number,
        inbox,
        contact,
        subject.clone(),
        status,
        (status == "snoozed").then(|| stamp(t.now + Duration::days(3))),
        rng.pick(PRIORITIES),
        assignee,
        format!("seed{number}"),
        (!answered).then(|| came.clone()),
        answered.then(|| went.clone()),
        last,
        came.clone()
    ];
    let text = format!("{}. {}", rng.pick(OUTCOMES), rng.pick(TASK_WHAT));
    let mut mails = vec![row![
        "in",
        format!("contact{contact}@demo.invalid"),
        "",
        subject.clone(),
        text,
        came
    ]];
    if answered {
        mails.push(row![
            "out",
            "support@demo.invalid",
            "Demo support",
            subject,
            "Thank you, we are on it.",
            went
        ]);
    }
    (conversation, mails)
}
