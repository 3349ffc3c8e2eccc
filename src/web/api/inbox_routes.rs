//! The inbox's routes and schemas (404 while the workspace's `inbox` capability is off).

use super::route_kinds::{Input, Output, Query, Shape, change, create, list, one};
use super::schemas::kit::*;
use serde_json::{Value, json};

pub(super) fn routes(add: &mut impl FnMut(&'static str, &str, &str, Shape)) {
    add("GET", "/inboxes", "List inboxes", list("Inbox"));
    add(
        "POST",
        "/inboxes",
        "Create an email inbox, fetched over IMAP with TLS (owners and admins)",
        create("InboxInput", "Inbox"),
    );
    add(
        "GET",
        "/inboxes/{id}/health",
        "How fetching goes: the last success and error, and the next try",
        one("InboxHealth"),
    );
    add(
        "POST",
        "/inboxes/{id}/fetch_again",
        "Fetch the mailbox again from its first message, or its first since a day (nothing is taken twice)",
        change("FetchAgainInput", "InboxHealth"),
    );
    conversation_routes(add);
}

fn conversation_routes(add: &mut impl FnMut(&'static str, &str, &str, Shape)) {
    add(
        "GET",
        "/conversations",
        "List a queue's conversations in one status, those waiting longest first",
        (
            Input::None,
            200,
            Output::List("Conversation"),
            Query::Conversations,
        ),
    );
    add(
        "PATCH",
        "/conversations/{id}",
        "Change a conversation's status (snoozed until a time), assignee or priority, at once",
        change("ConversationUpdate", "Conversation"),
    );
    add(
        "GET",
        "/conversations/{id}/messages",
        "A conversation's messages, oldest first (the latest 300)",
        list("ConversationMessage"),
    );
    add(
        "POST",
        "/conversations/{id}/notes",
        "A private note; the people it mentions with @ are notified",
        create("NoteInput", "ConversationMessage"),
    );
    add(
        "GET",
        "/canned_replies",
        "List canned replies",
        list("CannedReply"),
    );
    add(
        "POST",
        "/canned_replies",
        "Create a canned reply (owners and admins)",
        create("CannedReplyInput", "CannedReply"),
    );
    add(
        "DELETE",
        "/canned_replies/{id}",
        "Delete a canned reply (owners and admins)",
        (Input::None, 204, Output::Empty, Query::None),
    );
    add(
        "GET",
        "/notifications",
        "The token user's latest notifications (mentions and assignments)",
        list("Notification"),
    );
    add(
        "GET",
        "/conversations/{id}",
        "A conversation with its messages",
        one("ConversationWithMessages"),
    );
    add(
        "POST",
        "/conversations/{id}/messages",
        "Reply: sent from the inbox to the last sender, with In-Reply-To and References",
        create("ReplyInput", "ConversationMessage"),
    );
    add(
        "DELETE",
        "/conversations/{id}",
        "Move a conversation to the trash (its mail is never fetched into one again)",
        (Input::None, 204, Output::Empty, Query::None),
    );
}

fn conversation() -> (Vec<&'static str>, Value) {
    (
        vec![
            "id",
            "number",
            "inbox_id",
            "subject",
            "status",
            "last_message_at",
        ],
        json!({ "id": int(), "number": int(), "inbox_id": int(), "contact_id": opt_int(),
                "subject": text(), "status": { "type": "string", "enum": ["open", "pending", "snoozed", "resolved", "spam"] },
                "priority": { "type": "string", "enum": ["none", "low", "medium", "high", "urgent"] },
                "snoozed_until": opt_stamp(), "assignee_id": opt_int(), "team_id": opt_int(), "waiting_since": opt_stamp(),
                "first_reply_at": opt_stamp(), "resolved_at": opt_stamp(), "last_message_at": stamp(),
                "created_at": stamp() }),
    )
}

pub(super) fn schemas() -> Vec<(&'static str, Value)> {
    let (required, props) = conversation();
    let message = object(
        &["id", "direction", "body_text", "created_at"],
        json!({ "id": int(), "conversation_id": int(),
                "direction": { "type": "string", "enum": ["in", "out", "note", "activity"] }, "author_id": opt_int(),
                "from_address": text(), "from_name": text(), "message_id": opt_text(), "subject": text(),
                "body_text": text(), "body_html": { "type": "string", "nullable": true, "description": "sanitized: no scripts, handlers, styles or links other than http, https and mailto (remote images kept)" },
                "automatic": opt_text(), "size": int(), "refused": opt_text(), "created_at": stamp() }),
    );
    let mut with_messages = props.clone();
    with_messages["messages"] = json!({ "type": "array", "items": message.clone() });
    let mut required_with = required.clone();
    required_with.push("messages");
    vec![
        (
            "Inbox",
            object(
                &[
                    "id",
                    "name",
                    "address",
                    "imap_host",
                    "imap_port",
                    "imap_user",
                    "imap_mailbox",
                    "active",
                ],
                json!({ "id": int(), "name": text(), "address": text(), "imap_host": text(), "imap_port": int(),
                        "imap_user": text(), "imap_mailbox": text(), "signature": text(),
                        "active": { "type": "boolean" } }),
            ),
        ),
        (
            "InboxInput",
            input(json!({
                "name": { "type": "string", "description": "required, unique" },
                "address": { "type": "string", "description": "required: the inbox's own address" },
                "imap_host": { "type": "string", "description": "required" },
                "imap_port": { "type": "integer", "description": "993 unless given (implicit TLS)" },
                "imap_user": { "type": "string", "description": "required" },
                "imap_password": { "type": "string", "description": "required; never answered" },
                "imap_mailbox": { "type": "string", "description": "INBOX unless given" },
                "imap_ca": { "type": "string", "description": "a CA certificate (PEM) to trust, for a server with its own" }
            })),
        ),
        (
            "InboxHealth",
            object(
                &["last_uid", "failures", "next_at"],
                json!({ "uid_validity": opt_int(), "last_uid": int(), "last_success_at": opt_stamp(),
                        "last_error": opt_text(), "last_error_at": opt_stamp(), "failures": int(),
                        "next_at": stamp(), "refetch_since": { "type": "string", "format": "date", "nullable": true } }),
            ),
        ),
        ("Conversation", object(&required, props)),
        ("ConversationMessage", message),
        (
            "ReplyInput",
            input(
                json!({ "text": { "type": "string", "description": "required: the reply, plain text" } }),
            ),
        ),
        (
            "ConversationWithMessages",
            object(&required_with, with_messages),
        ),
    ]
    .into_iter()
    .chain(work_schemas())
    .collect()
}

/// The schemas of working a conversation: its changes, notes, canned replies, notifications.
fn work_schemas() -> Vec<(&'static str, Value)> {
    vec![
        (
            "FetchAgainInput",
            input(
                json!({ "since": { "type": "string", "format": "date", "description": "from the first message since this day; none: from the first" } }),
            ),
        ),
        (
            "ConversationUpdate",
            input(json!({
                "status": { "type": "string", "enum": ["open", "pending", "snoozed", "resolved", "spam"] },
                "snoozed_until": { "type": "string", "format": "date-time", "description": "with status snoozed: when it opens again (to come)" },
                "assignee_id": { "type": "integer", "nullable": true, "description": "an active user's id; null: no one" },
                "priority": { "type": "string", "enum": ["none", "low", "medium", "high", "urgent"] },
                "team_id": { "type": "integer", "nullable": true, "description": "a team's id; null: no team" }
            })),
        ),
        (
            "NoteInput",
            input(
                json!({ "text": { "type": "string", "description": "required: the note; @name mentions" } }),
            ),
        ),
        (
            "CannedReply",
            object(
                &["id", "shortcut", "body"],
                json!({ "id": int(), "shortcut": text(), "body": text() }),
            ),
        ),
        (
            "CannedReplyInput",
            input(json!({
                "shortcut": { "type": "string", "description": "required: 1 to 30 letters, digits, - or _" },
                "body": { "type": "string", "description": "required; {{contact.first_name}} and the like are filled in" }
            })),
        ),
        (
            "Notification",
            object(
                &[
                    "id",
                    "kind",
                    "conversation_id",
                    "number",
                    "subject",
                    "actor",
                    "created_at",
                    "read",
                ],
                json!({ "id": int(), "kind": { "type": "string", "enum": ["mention", "assigned"] },
                        "conversation_id": int(), "number": int(), "subject": text(), "actor": text(),
                        "created_at": stamp(), "read": { "type": "boolean" } }),
            ),
        ),
    ]
}
