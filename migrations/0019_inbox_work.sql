
-- v18 → v19: working the inbox. A conversation's place in its queue (`queue_key`): those
-- waiting for an answer first, the longest waiting first, then the others, the latest message
-- first. One index per way a list is narrowed (its status, with an assignee, an inbox or a
-- priority), each in queue order, so any page of any list is found along an index. Labels on
-- conversations, canned replies typed as `/shortcut`, and each user's notifications (mentions
-- and assignments), read or not.

ALTER TABLE conversations ADD COLUMN queue_key TEXT GENERATED ALWAYS AS (
    iif(waiting_since IS NULL,
        'z' || printf('%012d', 99999999999 - unixepoch(last_message_at)),
        'w' || waiting_since)) VIRTUAL;
-- A conversation merged into another: hidden like one in the trash, its token leading on.
ALTER TABLE conversations ADD COLUMN merged_into INTEGER REFERENCES conversations (id);
DROP INDEX conversations_waiting;
CREATE INDEX conversations_queue ON conversations (status, queue_key, id)
    WHERE deleted_at IS NULL;
CREATE INDEX conversations_queue_by_assignee ON conversations (status, assignee_id, queue_key, id)
    WHERE deleted_at IS NULL;
CREATE INDEX conversations_queue_by_inbox ON conversations (status, inbox_id, queue_key, id)
    WHERE deleted_at IS NULL;
CREATE INDEX conversations_queue_by_priority ON conversations (status, priority, queue_key, id)
    WHERE deleted_at IS NULL;
CREATE INDEX conversations_snoozed ON conversations (snoozed_until)
    WHERE status = 'snoozed' AND deleted_at IS NULL;

-- Who works an inbox: its members, given its new conversations in turn when it assigns them
-- (round robin, passing over anyone at the cap of open conversations); its working hours
-- (seven days' spans, Monday first, as JSON; none: always open) and the reply sent to mail
-- that arrives outside them.
ALTER TABLE inboxes ADD COLUMN auto_assign INTEGER NOT NULL DEFAULT 0 CHECK (auto_assign IN (0, 1));
ALTER TABLE inboxes ADD COLUMN assign_cap INTEGER CHECK (assign_cap > 0);
ALTER TABLE inboxes ADD COLUMN last_assigned_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE inboxes ADD COLUMN hours TEXT;
ALTER TABLE inboxes ADD COLUMN away_reply TEXT NOT NULL DEFAULT '';
CREATE TABLE inbox_members (
    inbox_id  INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (inbox_id, user_id)
);

-- Teams: a conversation (and an inbox, for its new ones) can belong to one, and each team has
-- its queue. Outgoing messages know their mail in the outbox, to show how delivery went.
CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at  TEXT NOT NULL
);
CREATE TABLE team_members (
    team_id  INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);
ALTER TABLE conversations ADD COLUMN team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL;
ALTER TABLE inboxes ADD COLUMN team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL;
CREATE INDEX conversations_queue_by_team ON conversations (status, team_id, queue_key, id)
    WHERE deleted_at IS NULL;
ALTER TABLE conversation_messages ADD COLUMN mail_id INTEGER REFERENCES outbox (id) ON DELETE SET NULL;

-- "Fetch again from this day": the next fetch starts at the mailbox's first message since then.
ALTER TABLE inbox_fetch ADD COLUMN refetch_since TEXT;

-- How much whole mail the workspace keeps, for its storage limit (kept as mail is taken).
CREATE TABLE mail_usage (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    bytes  INTEGER NOT NULL
);
INSERT INTO mail_usage (id, bytes)
SELECT 1, coalesce(sum(length(raw)), 0) FROM conversation_messages;

CREATE TABLE conversation_labels (
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    label_id         INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
    PRIMARY KEY (conversation_id, label_id)
);
CREATE INDEX conversation_labels_by_label ON conversation_labels (label_id);

CREATE TABLE canned_replies (
    id          INTEGER PRIMARY KEY,
    -- Typed after a slash in the reply editor: `/thanks`.
    shortcut    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE notifications (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('mention', 'assigned')),
    conversation_id  INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    actor_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at       TEXT NOT NULL,
    read_at          TEXT
);
CREATE INDEX notifications_of_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
