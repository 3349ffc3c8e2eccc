-- v17 → v18: the conversations inbox. Inboxes (an email channel, fetched over IMAP), the
-- addresses contacts write from, conversations with a per-workspace number, their messages
-- (the raw mail kept whole, so it can be downloaded and read again), and each inbox's fetch
-- state: the mailbox's UIDVALIDITY and the last UID taken, written in the same write as the
-- message that UID brought, so a crash or restart neither loses nor repeats one.

CREATE TABLE inboxes (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    channel        TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email')),
    -- Its own address: replies go out from it, and come back to it with a conversation's token.
    address        TEXT NOT NULL,
    imap_host      TEXT NOT NULL,
    imap_port      INTEGER NOT NULL DEFAULT 993 CHECK (imap_port BETWEEN 1 AND 65535),
    imap_user      TEXT NOT NULL,
    -- Needed to log in, so kept as given (the file is the workspace's; never logged).
    imap_password  TEXT NOT NULL,
    imap_mailbox   TEXT NOT NULL DEFAULT 'INBOX',
    -- A certificate authority (PEM) to trust besides the public ones: a server with its own.
    imap_ca        TEXT,
    signature      TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT NOT NULL
);

CREATE TABLE inbox_fetch (
    inbox_id        INTEGER PRIMARY KEY REFERENCES inboxes (id) ON DELETE CASCADE,
    uid_validity    INTEGER,
    last_uid        INTEGER NOT NULL DEFAULT 0,
    last_success_at TEXT,
    last_error      TEXT,
    last_error_at   TEXT,
    -- Failures in a row: the wait before the next try doubles with each, up to an hour.
    failures        INTEGER NOT NULL DEFAULT 0,
    next_at         TEXT NOT NULL
);

-- The addresses a contact writes from (email now; phone and chat later).
CREATE TABLE contact_identities (
    channel     TEXT NOT NULL CHECK (channel IN ('email')),
    address     TEXT NOT NULL,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    bouncing    INTEGER NOT NULL DEFAULT 0 CHECK (bouncing IN (0, 1)),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (channel, address)
);
CREATE INDEX contact_identities_by_contact ON contact_identities (contact_id);

CREATE TABLE conversations (
    id               INTEGER PRIMARY KEY,
    -- `#123`: given in order, per workspace.
    number           INTEGER NOT NULL UNIQUE,
    inbox_id         INTEGER NOT NULL REFERENCES inboxes (id),
    contact_id       INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    subject          TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'pending', 'snoozed', 'resolved', 'spam')),
    snoozed_until    TEXT,
    priority         TEXT NOT NULL DEFAULT 'none' CHECK (priority IN ('none', 'low', 'medium', 'high', 'urgent')),
    assignee_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- In the address replies come back to (`inbox+c<token>@…`).
    token            TEXT NOT NULL UNIQUE,
    -- Since when the last incoming message waits for an answer (none: nothing waits).
    waiting_since    TEXT,
    first_reply_at   TEXT,
    resolved_at      TEXT,
    last_message_at  TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    -- In the trash: its messages stay, so their Message-IDs keep it from coming back.
    deleted_at       TEXT
);
CREATE INDEX conversations_waiting ON conversations (status, waiting_since) WHERE deleted_at IS NULL;
CREATE INDEX conversations_by_contact ON conversations (contact_id) WHERE contact_id IS NOT NULL;

CREATE TABLE conversation_messages (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
    direction        TEXT NOT NULL CHECK (direction IN ('in', 'out', 'note', 'activity')),
    author_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    from_address     TEXT NOT NULL DEFAULT '',
    from_name        TEXT NOT NULL DEFAULT '',
    -- The copies (JSON list of addresses), kept so a reply copies them again.
    cc               TEXT NOT NULL DEFAULT '[]',
    -- Without angle brackets; ours for what we send.
    message_id       TEXT,
    subject          TEXT NOT NULL DEFAULT '',
    body_text        TEXT NOT NULL DEFAULT '',
    -- As it came: views sanitize it before showing it.
    body_html        TEXT,
    -- Why it is automatic (an out-of-office reply, a list, a bounce): never answered by rules.
    automatic        TEXT,
    -- The mail whole (`.eml`); none for notes and activity, or a mail over the size cap.
    raw              BLOB,
    size             INTEGER NOT NULL DEFAULT 0,
    -- Set when the mail was too large to take: its size is kept, its body not.
    refused          TEXT,
    created_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX conversation_messages_by_message_id ON conversation_messages (message_id)
    WHERE message_id IS NOT NULL;
CREATE INDEX conversation_messages_in_order ON conversation_messages (conversation_id, id);

-- A conversation's reply: sent from its inbox with its ids (JSON of `outbox::Thread`).
ALTER TABLE outbox ADD COLUMN thread TEXT;

CREATE TABLE message_attachments (
    message_id    INTEGER NOT NULL REFERENCES conversation_messages (id),
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    PRIMARY KEY (message_id, position)
);
