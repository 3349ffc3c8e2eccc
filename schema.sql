-- The complete schema of a new tenant file. Older files reach this same schema through the
-- numbered steps in migrations/ (see src/store/migrate.rs); a test checks that both roads end
-- at the same place. Timestamps are UTC text like 2026-11-21T09:30:00Z.

-- The account this file belongs to: one row.
CREATE TABLE account (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    profile     TEXT NOT NULL CHECK (profile IN ('generic', 'healthcare', 'construction')),
    time_zone   TEXT NOT NULL DEFAULT 'UTC',
    currency    TEXT NOT NULL DEFAULT 'EUR',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Capability switches that differ from the profile's defaults.
CREATE TABLE capability_overrides (
    capability  TEXT PRIMARY KEY,
    enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    updated_at  TEXT NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name           TEXT NOT NULL DEFAULT '',
    role           TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    password_hash  TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- Browser sessions. Only the SHA-256 of the cookie's token is stored.
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- API tokens, shown once at creation; only their SHA-256 is kept.
CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label         TEXT NOT NULL DEFAULT '',
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- One-time links sent by mail or printed by the CLI: the owner's setup link, invitations
-- and password resets.
CREATE TABLE auth_links (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('setup', 'invite', 'reset')),
    token_hash  TEXT NOT NULL UNIQUE,
    email       TEXT COLLATE NOCASE,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    revoked_at  TEXT
);

-- This account's own SMTP server, used instead of the server-wide one when present.
CREATE TABLE mail_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    host        TEXT NOT NULL,
    port        INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security    TEXT NOT NULL CHECK (security IN ('starttls', 'tls', 'none')),
    username    TEXT NOT NULL DEFAULT '',
    password    TEXT NOT NULL DEFAULT '',
    from_address TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Mail waiting for, or done with, delivery. The mailer thread works through it.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    to_address       TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    body_html        TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    smtp_response    TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Who did what to the account's settings and users.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    user_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action   TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_time ON audit_log (at);
