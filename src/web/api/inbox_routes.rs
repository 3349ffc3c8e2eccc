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
        "Fetch the mailbox again from its first message (nothing is taken twice)",
        change("Nothing", "InboxHealth"),
    );
    add(
        "GET",
        "/conversations",
        "List conversations, those waiting longest first",
        list("Conversation"),
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
                "assignee_id": opt_int(), "waiting_since": opt_stamp(), "last_message_at": stamp(),
                "created_at": stamp() }),
    )
}

pub(super) fn schemas() -> Vec<(&'static str, Value)> {
    let (required, props) = conversation();
    let message = object(
        &["id", "direction", "body_text", "created_at"],
        json!({ "id": int(), "conversation_id": int(),
                "direction": { "type": "string", "enum": ["in", "out", "note", "activity"] },
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
                        "next_at": stamp() }),
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
}
