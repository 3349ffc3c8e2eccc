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
, time_zone TEXT, checklist_hidden_at TEXT, language TEXT, browser_language TEXT);

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
, calendar TEXT);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Who did what to the account's settings and users.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    user_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action   TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT '',
    appointment_id INTEGER
);
CREATE INDEX audit_log_by_time ON audit_log (at);
-- An appointment's history is the audit log's rows about it.
CREATE INDEX audit_log_by_appointment ON audit_log (appointment_id, id) WHERE appointment_id IS NOT NULL;

-- The CRM (see migrations/0003_crm.sql for the notes on trash and timeline).

CREATE TABLE companies (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    domain      TEXT,
    industry    TEXT,
    size        TEXT,
    phone       TEXT,
    address     TEXT,
    owner_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    custom      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom)),
    deleted_at  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX companies_by_name ON companies (name COLLATE NOCASE);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    first_name  TEXT,
    last_name   TEXT,
    email       TEXT COLLATE NOCASE,
    phone       TEXT,
    title       TEXT,
    company_id  INTEGER REFERENCES companies (id) ON DELETE SET NULL,
    owner_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    lifecycle   TEXT NOT NULL DEFAULT 'lead' CHECK (lifecycle IN ('lead', 'prospect', 'customer', 'former')),
    source      TEXT,
    custom      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom)),
    deleted_at  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL
);
-- One live contact per email address; a contact in the trash does not hold its address.
CREATE UNIQUE INDEX contacts_email ON contacts (email) WHERE email IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX contacts_by_company ON contacts (company_id);
CREATE INDEX contacts_by_name ON contacts (last_name COLLATE NOCASE, first_name COLLATE NOCASE);

CREATE TABLE pipelines (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    position    INTEGER NOT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE stages (
    id           INTEGER PRIMARY KEY,
    pipeline_id  INTEGER NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    probability  INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
    kind         TEXT NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (pipeline_id, name)
);

CREATE TABLE deals (
    id                   INTEGER PRIMARY KEY,
    title                TEXT NOT NULL,
    pipeline_id          INTEGER NOT NULL REFERENCES pipelines (id),
    stage_id             INTEGER NOT NULL REFERENCES stages (id),
    status               TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    lost_reason          TEXT,
    amount               INTEGER NOT NULL DEFAULT 0,
    currency             TEXT NOT NULL,
    contact_id           INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    company_id           INTEGER REFERENCES companies (id) ON DELETE SET NULL,
    owner_id             INTEGER REFERENCES users (id) ON DELETE SET NULL,
    expected_close_date  TEXT,
    closed_at            TEXT,
    custom               TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom)),
    deleted_at           TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    created_by           INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX deals_by_stage ON deals (stage_id);
CREATE INDEX deals_by_contact ON deals (contact_id);
CREATE INDEX deals_by_company ON deals (company_id);

-- Every move of a deal between stages, for reporting.
CREATE TABLE deal_stage_changes (
    id             INTEGER PRIMARY KEY,
    deal_id        INTEGER NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    from_stage_id  INTEGER REFERENCES stages (id) ON DELETE SET NULL,
    to_stage_id    INTEGER REFERENCES stages (id) ON DELETE SET NULL,
    changed_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    changed_at     TEXT NOT NULL
);
CREATE INDEX deal_stage_changes_by_deal ON deal_stage_changes (deal_id, changed_at);

CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    notes         TEXT,
    due_at        TEXT,
    priority      TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    completed_at  TEXT,
    assignee_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    contact_id    INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    company_id    INTEGER REFERENCES companies (id) ON DELETE SET NULL,
    deal_id       INTEGER REFERENCES deals (id) ON DELETE SET NULL,
    deleted_at    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    created_by    INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX tasks_by_assignee ON tasks (assignee_id, status, due_at, id, deleted_at, priority, created_at, updated_at);
CREATE INDEX tasks_by_contact ON tasks (contact_id);
CREATE INDEX tasks_by_company ON tasks (company_id);
CREATE INDEX tasks_by_deal ON tasks (deal_id);

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    body        TEXT NOT NULL,
    contact_id  INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    company_id  INTEGER REFERENCES companies (id) ON DELETE CASCADE,
    deal_id     INTEGER REFERENCES deals (id) ON DELETE CASCADE,
    deleted_at  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    CHECK ((contact_id IS NOT NULL) + (company_id IS NOT NULL) + (deal_id IS NOT NULL) = 1)
);
CREATE INDEX notes_by_contact ON notes (contact_id);
CREATE INDEX notes_by_company ON notes (company_id);
CREATE INDEX notes_by_deal ON notes (deal_id);

CREATE TABLE labels (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    color       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE contact_labels (
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    label_id    INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, label_id)
) WITHOUT ROWID;
CREATE TABLE company_labels (
    company_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    label_id    INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
    PRIMARY KEY (company_id, label_id)
) WITHOUT ROWID;
CREATE TABLE deal_labels (
    deal_id   INTEGER NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    label_id  INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
    PRIMARY KEY (deal_id, label_id)
) WITHOUT ROWID;
CREATE INDEX contact_labels_by_label ON contact_labels (label_id);
CREATE INDEX company_labels_by_label ON company_labels (label_id);
CREATE INDEX deal_labels_by_label ON deal_labels (label_id);

-- Definitions of the custom attributes of contacts, companies and deals. Values live in each
-- record's `custom` JSON object and are validated against these on every write.
CREATE TABLE custom_fields (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL CHECK (entity IN ('contact', 'company', 'deal')),
    key         TEXT NOT NULL,
    label       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'boolean', 'select', 'url')),
    options     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options)),
    required    INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    position    INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (entity, key)
);

-- The timeline: business events logged by Onebox and activities logged by hand. Each row
-- names the contact, company and deal it concerned when it happened.
CREATE TABLE activities (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    summary      TEXT NOT NULL,
    body         TEXT NOT NULL DEFAULT '',
    outcome      TEXT,
    contact_id   INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    company_id   INTEGER REFERENCES companies (id) ON DELETE CASCADE,
    deal_id      INTEGER REFERENCES deals (id) ON DELETE CASCADE,
    task_id      INTEGER REFERENCES tasks (id) ON DELETE SET NULL,
    actor_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    occurred_at  TEXT NOT NULL,
    created_at   TEXT NOT NULL
, said TEXT);
CREATE INDEX activities_by_contact ON activities (contact_id, occurred_at);
CREATE INDEX activities_by_company ON activities (company_id, occurred_at);
CREATE INDEX activities_by_deal ON activities (deal_id, occurred_at);

-- A new account starts with a sales pipeline.
INSERT INTO pipelines (id, name, position, is_default, created_at, updated_at)
VALUES (1, 'Sales', 1, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
INSERT INTO stages (pipeline_id, name, position, probability, kind, created_at, updated_at)
SELECT 1, column1, column2, column3, column4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM (VALUES ('Lead', 1, 10, 'open'), ('Qualified', 2, 25, 'open'), ('Proposal', 3, 50, 'open'),
             ('Negotiation', 4, 75, 'open'), ('Won', 5, 100, 'won'), ('Lost', 6, 0, 'lost'));

-- Search and list indexes (see migrations/0004_search.sql).
CREATE VIRTUAL TABLE search USING fts5 (
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

-- An import pauses the insert triggers inside its own transaction and indexes its new rows
-- in one statement per batch (see store::crm::search::pause). Other connections never see a row.
CREATE TABLE search_paused (paused INTEGER PRIMARY KEY CHECK (paused = 1));

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts WHEN NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    INSERT INTO search (rowid, title, body) VALUES (NEW.id * 8 + 1, trim(coalesce(NEW.first_name, '') || ' ' || coalesce(NEW.last_name, '')), coalesce(NEW.email, '') || ' ' || coalesce(NEW.phone, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(NEW.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '/', ''), '.', ''), '+', ''), '') || ' ' || coalesce(NEW.title, '') || ' ' || coalesce(NEW.source, ''));
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE ON contacts BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 1;
    INSERT INTO search (rowid, title, body) SELECT NEW.id * 8 + 1, trim(coalesce(NEW.first_name, '') || ' ' || coalesce(NEW.last_name, '')), coalesce(NEW.email, '') || ' ' || coalesce(NEW.phone, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(NEW.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '/', ''), '.', ''), '+', ''), '') || ' ' || coalesce(NEW.title, '') || ' ' || coalesce(NEW.source, '') WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 1;
END;

CREATE TRIGGER companies_search_insert AFTER INSERT ON companies WHEN NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    INSERT INTO search (rowid, title, body) VALUES (NEW.id * 8 + 2, NEW.name, coalesce(NEW.domain, '') || ' ' || coalesce(NEW.industry, '') || ' ' || coalesce(NEW.phone, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(NEW.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '/', ''), '.', ''), '+', ''), '') || ' ' || coalesce(NEW.address, ''));
END;
CREATE TRIGGER companies_search_update AFTER UPDATE ON companies BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 2;
    INSERT INTO search (rowid, title, body) SELECT NEW.id * 8 + 2, NEW.name, coalesce(NEW.domain, '') || ' ' || coalesce(NEW.industry, '') || ' ' || coalesce(NEW.phone, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(NEW.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '/', ''), '.', ''), '+', ''), '') || ' ' || coalesce(NEW.address, '') WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER companies_search_delete AFTER DELETE ON companies BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 2;
END;

CREATE TRIGGER deals_search_insert AFTER INSERT ON deals WHEN NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    INSERT INTO search (rowid, title, body) VALUES (NEW.id * 8 + 3, NEW.title, coalesce(NEW.lost_reason, ''));
END;
CREATE TRIGGER deals_search_update AFTER UPDATE ON deals BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 3;
    INSERT INTO search (rowid, title, body) SELECT NEW.id * 8 + 3, NEW.title, coalesce(NEW.lost_reason, '') WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER deals_search_delete AFTER DELETE ON deals BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 3;
END;

CREATE TRIGGER tasks_search_insert AFTER INSERT ON tasks WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search (rowid, title, body) VALUES (NEW.id * 8 + 4, NEW.title, coalesce(NEW.notes, ''));
END;
CREATE TRIGGER tasks_search_update AFTER UPDATE ON tasks BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 4;
    INSERT INTO search (rowid, title, body) SELECT NEW.id * 8 + 4, NEW.title, coalesce(NEW.notes, '') WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER tasks_search_delete AFTER DELETE ON tasks BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 4;
END;

CREATE TRIGGER notes_search_insert AFTER INSERT ON notes WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search (rowid, title, body) VALUES (NEW.id * 8 + 5, substr(NEW.body, 1, 80), NEW.body);
END;
CREATE TRIGGER notes_search_update AFTER UPDATE ON notes BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 5;
    INSERT INTO search (rowid, title, body) SELECT NEW.id * 8 + 5, substr(NEW.body, 1, 80), NEW.body WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER notes_search_delete AFTER DELETE ON notes BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 5;
END;

INSERT INTO search (rowid, title, body) SELECT id * 8 + 1, trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '/', ''), '.', ''), '+', ''), '') || ' ' || coalesce(title, '') || ' ' || coalesce(source, '') FROM contacts WHERE deleted_at IS NULL;

INSERT INTO search (rowid, title, body) SELECT id * 8 + 2, name, coalesce(domain, '') || ' ' || coalesce(industry, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '/', ''), '.', ''), '+', ''), '') || ' ' || coalesce(address, '') FROM companies WHERE deleted_at IS NULL;

INSERT INTO search (rowid, title, body) SELECT id * 8 + 3, title, coalesce(lost_reason, '') FROM deals WHERE deleted_at IS NULL;

INSERT INTO search (rowid, title, body) SELECT id * 8 + 4, title, coalesce(notes, '') FROM tasks WHERE deleted_at IS NULL;

INSERT INTO search (rowid, title, body) SELECT id * 8 + 5, substr(body, 1, 80), body FROM notes WHERE deleted_at IS NULL;


-- Lists filter on the live records and sort by these; each index leads with deleted_at so the
-- "not in the trash" condition and the order come from one index.
CREATE INDEX contacts_live_name ON contacts (deleted_at, coalesce(last_name, first_name, email) COLLATE NOCASE, first_name COLLATE NOCASE, id, owner_id);
CREATE INDEX contacts_live_updated ON contacts (deleted_at, updated_at, id, created_at, lifecycle, owner_id);
CREATE INDEX contacts_by_owner ON contacts (owner_id, deleted_at, updated_at, id, lifecycle, created_at, company_id);
CREATE INDEX companies_by_domain ON companies (domain) WHERE deleted_at IS NULL;
-- Filters that arrive as lists of ids (labels) check owner and trash in this narrow index
-- instead of reading each wide contact row.
CREATE INDEX contacts_owner_check ON contacts (id, owner_id, deleted_at);
CREATE INDEX companies_live_name ON companies (deleted_at, name COLLATE NOCASE, id);
CREATE INDEX companies_live_updated ON companies (deleted_at, updated_at, id);
CREATE INDEX deals_live_updated ON deals (deleted_at, updated_at, id);
CREATE INDEX deals_open_by_pipeline ON deals (status, deleted_at, pipeline_id);
-- The board: each stage's newest cards, and its count and total per currency.
CREATE INDEX deals_live_stage ON deals (stage_id, deleted_at, updated_at, id);
CREATE INDEX deals_stage_totals ON deals (pipeline_id, deleted_at, stage_id, currency, amount);
CREATE INDEX deals_by_owner ON deals (owner_id, deleted_at, updated_at, id, status, stage_id, pipeline_id, created_at);
-- The dashboard reads these index entries only: deals won or lost in a period, and the open
-- deals by stage and owner.
CREATE INDEX deals_closed ON deals (status, deleted_at, closed_at, currency, owner_id, amount);
CREATE INDEX deals_open_value ON deals (status, deleted_at, currency, stage_id, owner_id, amount);
CREATE INDEX tasks_live_due ON tasks (deleted_at, due_at, id);
CREATE INDEX tasks_live_updated ON tasks (deleted_at, updated_at, id);
CREATE INDEX tasks_open_due ON tasks (status, deleted_at, due_at);
-- A task in the trash long enough is purged; its activities point at it.
CREATE INDEX activities_by_task ON activities (task_id) WHERE task_id IS NOT NULL;

-- How many live and trashed records each table holds, kept by triggers, so an unfiltered list
-- knows its total without counting a hundred thousand rows.
CREATE TABLE record_counts (
    entity   TEXT PRIMARY KEY,
    live     INTEGER NOT NULL DEFAULT 0,
    trashed  INTEGER NOT NULL DEFAULT 0
);

INSERT INTO record_counts (entity, live, trashed)
SELECT 'contacts', count(*) FILTER (WHERE deleted_at IS NULL), count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM contacts;
CREATE TRIGGER contacts_count_insert AFTER INSERT ON contacts BEGIN
    UPDATE record_counts SET live = live + (NEW.deleted_at IS NULL), trashed = trashed + (NEW.deleted_at IS NOT NULL) WHERE entity = 'contacts';
END;
CREATE TRIGGER contacts_count_trash AFTER UPDATE OF deleted_at ON contacts WHEN (OLD.deleted_at IS NULL) != (NEW.deleted_at IS NULL) BEGIN
    UPDATE record_counts SET live = live + (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL),
        trashed = trashed + (NEW.deleted_at IS NOT NULL) - (OLD.deleted_at IS NOT NULL) WHERE entity = 'contacts';
END;
CREATE TRIGGER contacts_count_delete AFTER DELETE ON contacts BEGIN
    UPDATE record_counts SET live = live - (OLD.deleted_at IS NULL), trashed = trashed - (OLD.deleted_at IS NOT NULL) WHERE entity = 'contacts';
END;

INSERT INTO record_counts (entity, live, trashed)
SELECT 'companies', count(*) FILTER (WHERE deleted_at IS NULL), count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM companies;
CREATE TRIGGER companies_count_insert AFTER INSERT ON companies BEGIN
    UPDATE record_counts SET live = live + (NEW.deleted_at IS NULL), trashed = trashed + (NEW.deleted_at IS NOT NULL) WHERE entity = 'companies';
END;
CREATE TRIGGER companies_count_trash AFTER UPDATE OF deleted_at ON companies WHEN (OLD.deleted_at IS NULL) != (NEW.deleted_at IS NULL) BEGIN
    UPDATE record_counts SET live = live + (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL),
        trashed = trashed + (NEW.deleted_at IS NOT NULL) - (OLD.deleted_at IS NOT NULL) WHERE entity = 'companies';
END;
CREATE TRIGGER companies_count_delete AFTER DELETE ON companies BEGIN
    UPDATE record_counts SET live = live - (OLD.deleted_at IS NULL), trashed = trashed - (OLD.deleted_at IS NOT NULL) WHERE entity = 'companies';
END;

INSERT INTO record_counts (entity, live, trashed)
SELECT 'deals', count(*) FILTER (WHERE deleted_at IS NULL), count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM deals;
CREATE TRIGGER deals_count_insert AFTER INSERT ON deals BEGIN
    UPDATE record_counts SET live = live + (NEW.deleted_at IS NULL), trashed = trashed + (NEW.deleted_at IS NOT NULL) WHERE entity = 'deals';
END;
CREATE TRIGGER deals_count_trash AFTER UPDATE OF deleted_at ON deals WHEN (OLD.deleted_at IS NULL) != (NEW.deleted_at IS NULL) BEGIN
    UPDATE record_counts SET live = live + (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL),
        trashed = trashed + (NEW.deleted_at IS NOT NULL) - (OLD.deleted_at IS NOT NULL) WHERE entity = 'deals';
END;
CREATE TRIGGER deals_count_delete AFTER DELETE ON deals BEGIN
    UPDATE record_counts SET live = live - (OLD.deleted_at IS NULL), trashed = trashed - (OLD.deleted_at IS NOT NULL) WHERE entity = 'deals';
END;

INSERT INTO record_counts (entity, live, trashed)
SELECT 'tasks', count(*) FILTER (WHERE deleted_at IS NULL), count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM tasks;
CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks BEGIN
    UPDATE record_counts SET live = live + (NEW.deleted_at IS NULL), trashed = trashed + (NEW.deleted_at IS NOT NULL) WHERE entity = 'tasks';
END;
CREATE TRIGGER tasks_count_trash AFTER UPDATE OF deleted_at ON tasks WHEN (OLD.deleted_at IS NULL) != (NEW.deleted_at IS NULL) BEGIN
    UPDATE record_counts SET live = live + (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL),
        trashed = trashed + (NEW.deleted_at IS NOT NULL) - (OLD.deleted_at IS NOT NULL) WHERE entity = 'tasks';
END;
CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks BEGIN
    UPDATE record_counts SET live = live - (OLD.deleted_at IS NULL), trashed = trashed - (OLD.deleted_at IS NOT NULL) WHERE entity = 'tasks';
END;

INSERT INTO record_counts (entity, live, trashed)
SELECT 'notes', count(*) FILTER (WHERE deleted_at IS NULL), count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM notes;
CREATE TRIGGER notes_count_insert AFTER INSERT ON notes BEGIN
    UPDATE record_counts SET live = live + (NEW.deleted_at IS NULL), trashed = trashed + (NEW.deleted_at IS NOT NULL) WHERE entity = 'notes';
END;
CREATE TRIGGER notes_count_trash AFTER UPDATE OF deleted_at ON notes WHEN (OLD.deleted_at IS NULL) != (NEW.deleted_at IS NULL) BEGIN
    UPDATE record_counts SET live = live + (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL),
        trashed = trashed + (NEW.deleted_at IS NOT NULL) - (OLD.deleted_at IS NOT NULL) WHERE entity = 'notes';
END;
CREATE TRIGGER notes_count_delete AFTER DELETE ON notes BEGIN
    UPDATE record_counts SET live = live - (OLD.deleted_at IS NULL), trashed = trashed - (OLD.deleted_at IS NOT NULL) WHERE entity = 'notes';
END;

-- Saved list views: a name for a list's filters, sort and columns (its query string), for
-- one user or, with no user, for everyone in the account.
CREATE TABLE saved_views (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL CHECK (entity IN ('contact', 'company', 'deal', 'task')),
    name        TEXT NOT NULL,
    query       TEXT NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX saved_views_by_user ON saved_views (user_id);
-- Automations: rules, the queue of record events they listen to, their runs and each run's
-- steps, and the marks that keep task.overdue from firing twice for the same due time.

-- A rule is kept as the JSON the API reads (`definition`); the columns beside it are what the
-- engine looks rules up by.
CREATE TABLE automations (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    enabled      INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    event        TEXT,
    schedule     TEXT,
    definition   TEXT NOT NULL,
    -- The next slot of a schedule, UTC.
    next_run_at  TEXT,
    -- Where assign_owner's round robin goes next.
    round_robin  INTEGER NOT NULL DEFAULT 0,
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK ((event IS NULL) != (schedule IS NULL))
);
CREATE INDEX automations_by_event ON automations (event) WHERE enabled = 1 AND event IS NOT NULL;
CREATE INDEX automations_due ON automations (next_run_at) WHERE enabled = 1 AND next_run_at IS NOT NULL;

-- Record events waiting for the worker, written in the transaction of the change that caused
-- them: a change that rolls back fires nothing.
CREATE TABLE automation_events (
    id          INTEGER PRIMARY KEY,
    event       TEXT NOT NULL,
    entity      TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    -- The fields the change altered, as a JSON list of `record.field` paths.
    changed     TEXT NOT NULL DEFAULT '[]',
    label       TEXT,
    -- How many automation steps led to this event; rules stop at a bounded depth.
    depth       INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);

-- One run of a rule for one record (or user, or nothing). It carries the rule as it was when
-- the run began, so editing a rule does not shift the steps of a waiting run.
CREATE TABLE automation_runs (
    id             INTEGER PRIMARY KEY,
    automation_id  INTEGER NOT NULL REFERENCES automations (id) ON DELETE CASCADE,
    definition     TEXT NOT NULL,
    trigger        TEXT NOT NULL,
    subject        TEXT,
    subject_id     INTEGER,
    changed        TEXT NOT NULL DEFAULT '[]',
    label          TEXT,
    depth          INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL CHECK (status IN ('queued', 'waiting', 'retrying', 'done', 'failed', 'skipped')),
    -- The position of the next action to run, and how often it has failed so far.
    next_step      INTEGER NOT NULL DEFAULT 0,
    attempts       INTEGER NOT NULL DEFAULT 0,
    due_at         TEXT,
    error          TEXT,
    created_at     TEXT NOT NULL,
    finished_at    TEXT
);
CREATE INDEX automation_runs_due ON automation_runs (due_at) WHERE status IN ('queued', 'waiting', 'retrying');
CREATE INDEX automation_runs_by_rule ON automation_runs (automation_id, id);
CREATE INDEX automation_runs_by_status ON automation_runs (status, id);

-- Each attempt at each action of a run. A step that changes the workspace commits together
-- with its row here and the run's move to the next step, so a crash never repeats it.
CREATE TABLE automation_steps (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES automation_runs (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    attempt      INTEGER NOT NULL,
    action       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('done', 'failed', 'retrying')),
    detail       TEXT NOT NULL DEFAULT '',
    error        TEXT,
    started_at   TEXT NOT NULL,
    duration_ms  INTEGER NOT NULL,
    UNIQUE (run_id, position, attempt)
);

-- task.overdue fires once per task and due time; moving the due time arms it again.
CREATE TABLE automation_overdue (
    task_id  INTEGER PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    due_at   TEXT NOT NULL
);

-- The count and value of live deals per stage, status, currency and owner (0 for none), kept by
-- triggers like record_counts, so the board and the dashboard do not add up every deal.
CREATE TABLE deal_totals (
    stage_id  INTEGER NOT NULL,
    status    TEXT NOT NULL,
    currency  TEXT NOT NULL,
    owner_id  INTEGER NOT NULL,
    deals     INTEGER NOT NULL,
    amount    INTEGER NOT NULL,
    PRIMARY KEY (stage_id, status, currency, owner_id)
) WITHOUT ROWID;
CREATE TRIGGER deals_totals_insert AFTER INSERT ON deals WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO deal_totals (stage_id, status, currency, owner_id, deals, amount) VALUES (NEW.stage_id, NEW.status, NEW.currency, coalesce(NEW.owner_id, 0), 1, NEW.amount)
    ON CONFLICT DO UPDATE SET deals = deals + 1, amount = amount + excluded.amount;
END;
CREATE TRIGGER deals_totals_update AFTER UPDATE OF stage_id, status, currency, owner_id, amount, deleted_at ON deals BEGIN
    UPDATE deal_totals SET deals = deals - 1, amount = amount - OLD.amount
    WHERE OLD.deleted_at IS NULL AND stage_id = OLD.stage_id AND status = OLD.status AND currency = OLD.currency AND owner_id = coalesce(OLD.owner_id, 0);
    INSERT INTO deal_totals (stage_id, status, currency, owner_id, deals, amount) SELECT NEW.stage_id, NEW.status, NEW.currency, coalesce(NEW.owner_id, 0), 1, NEW.amount WHERE NEW.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET deals = deals + 1, amount = amount + excluded.amount;
END;
CREATE TRIGGER deals_totals_delete AFTER DELETE ON deals WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE deal_totals SET deals = deals - 1, amount = amount - OLD.amount
    WHERE stage_id = OLD.stage_id AND status = OLD.status AND currency = OLD.currency AND owner_id = coalesce(OLD.owner_id, 0);
END;

-- Live contacts per lifecycle stage, kept by triggers, for the dashboard's count of customers.
CREATE TABLE contact_lifecycles (
    lifecycle  TEXT PRIMARY KEY,
    contacts   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER contacts_lifecycle_insert AFTER INSERT ON contacts WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO contact_lifecycles (lifecycle, contacts) VALUES (NEW.lifecycle, 1)
    ON CONFLICT DO UPDATE SET contacts = contacts + 1;
END;
CREATE TRIGGER contacts_lifecycle_update AFTER UPDATE OF lifecycle, deleted_at ON contacts BEGIN
    UPDATE contact_lifecycles SET contacts = contacts - 1 WHERE OLD.deleted_at IS NULL AND lifecycle = OLD.lifecycle;
    INSERT INTO contact_lifecycles (lifecycle, contacts) SELECT NEW.lifecycle, 1 WHERE NEW.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET contacts = contacts + 1;
END;
CREATE TRIGGER contacts_lifecycle_delete AFTER DELETE ON contacts WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE contact_lifecycles SET contacts = contacts - 1 WHERE lifecycle = OLD.lifecycle;
END;

-- Daily rollups for the dashboard (see migrations/0007_daily_rollups.sql).
-- Live contacts per day of creation (the UTC date of created_at) and lifecycle, kept by
-- triggers. The dashboard sums a period's whole days from here and counts only its partial
-- first and last day from the contacts themselves (store::crm::daily).
CREATE TABLE contacts_per_day (
    day        TEXT NOT NULL,
    lifecycle  TEXT NOT NULL,
    contacts   INTEGER NOT NULL,
    PRIMARY KEY (day, lifecycle)
) WITHOUT ROWID;
CREATE TRIGGER contacts_per_day_insert AFTER INSERT ON contacts WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO contacts_per_day (day, lifecycle, contacts) VALUES (substr(NEW.created_at, 1, 10), NEW.lifecycle, 1)
    ON CONFLICT DO UPDATE SET contacts = contacts + 1;
END;
CREATE TRIGGER contacts_per_day_update AFTER UPDATE OF created_at, lifecycle, deleted_at ON contacts BEGIN
    UPDATE contacts_per_day SET contacts = contacts - 1
    WHERE OLD.deleted_at IS NULL AND day = substr(OLD.created_at, 1, 10) AND lifecycle = OLD.lifecycle;
    INSERT INTO contacts_per_day (day, lifecycle, contacts) SELECT substr(NEW.created_at, 1, 10), NEW.lifecycle, 1 WHERE NEW.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET contacts = contacts + 1;
END;
CREATE TRIGGER contacts_per_day_delete AFTER DELETE ON contacts WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE contacts_per_day SET contacts = contacts - 1 WHERE day = substr(OLD.created_at, 1, 10) AND lifecycle = OLD.lifecycle;
END;

-- Live won and lost deals per day closed (UTC), status, owner (0 for none) and currency, kept
-- by triggers, for the dashboard's win rate, won value, per-owner figures and monthly chart.
CREATE TABLE deals_closed_per_day (
    day       TEXT NOT NULL,
    status    TEXT NOT NULL,
    owner_id  INTEGER NOT NULL,
    currency  TEXT NOT NULL,
    deals     INTEGER NOT NULL,
    amount    INTEGER NOT NULL,
    PRIMARY KEY (day, status, owner_id, currency)
) WITHOUT ROWID;
CREATE TRIGGER deals_closed_per_day_insert AFTER INSERT ON deals
WHEN NEW.deleted_at IS NULL AND NEW.status IN ('won', 'lost') AND NEW.closed_at IS NOT NULL BEGIN
    INSERT INTO deals_closed_per_day (day, status, owner_id, currency, deals, amount)
    VALUES (substr(NEW.closed_at, 1, 10), NEW.status, coalesce(NEW.owner_id, 0), NEW.currency, 1, NEW.amount)
    ON CONFLICT DO UPDATE SET deals = deals + 1, amount = amount + excluded.amount;
END;
CREATE TRIGGER deals_closed_per_day_update AFTER UPDATE OF status, closed_at, owner_id, currency, amount, deleted_at ON deals BEGIN
    UPDATE deals_closed_per_day SET deals = deals - 1, amount = amount - OLD.amount
    WHERE OLD.deleted_at IS NULL AND OLD.status IN ('won', 'lost') AND OLD.closed_at IS NOT NULL
      AND day = substr(OLD.closed_at, 1, 10) AND status = OLD.status AND owner_id = coalesce(OLD.owner_id, 0) AND currency = OLD.currency;
    INSERT INTO deals_closed_per_day (day, status, owner_id, currency, deals, amount)
    SELECT substr(NEW.closed_at, 1, 10), NEW.status, coalesce(NEW.owner_id, 0), NEW.currency, 1, NEW.amount
    WHERE NEW.deleted_at IS NULL AND NEW.status IN ('won', 'lost') AND NEW.closed_at IS NOT NULL
    ON CONFLICT DO UPDATE SET deals = deals + 1, amount = amount + excluded.amount;
END;
CREATE TRIGGER deals_closed_per_day_delete AFTER DELETE ON deals
WHEN OLD.deleted_at IS NULL AND OLD.status IN ('won', 'lost') AND OLD.closed_at IS NOT NULL BEGIN
    UPDATE deals_closed_per_day SET deals = deals - 1, amount = amount - OLD.amount
    WHERE day = substr(OLD.closed_at, 1, 10) AND status = OLD.status AND owner_id = coalesce(OLD.owner_id, 0) AND currency = OLD.currency;
END;

-- An index for every order a list offers (domain::crm::Entity::sorts); see migration 0008.
CREATE INDEX contacts_sort_first_name ON contacts (deleted_at, first_name COLLATE NOCASE, id);
CREATE INDEX contacts_sort_last_name ON contacts (deleted_at, last_name COLLATE NOCASE, id);
CREATE INDEX contacts_sort_email ON contacts (deleted_at, email COLLATE NOCASE, id);
CREATE INDEX contacts_sort_lifecycle ON contacts (deleted_at, lifecycle, id);
CREATE INDEX contacts_sort_created_at ON contacts (deleted_at, created_at, id, updated_at, lifecycle, owner_id);
CREATE INDEX contacts_sort_id ON contacts (deleted_at, id);

CREATE INDEX companies_sort_domain ON companies (deleted_at, domain, id);
CREATE INDEX companies_sort_industry ON companies (deleted_at, industry COLLATE NOCASE, id);
CREATE INDEX companies_sort_created_at ON companies (deleted_at, created_at, id);
CREATE INDEX companies_sort_id ON companies (deleted_at, id);

CREATE INDEX deals_sort_title ON deals (deleted_at, title COLLATE NOCASE, id);
CREATE INDEX deals_sort_amount ON deals (deleted_at, amount, id);
CREATE INDEX deals_sort_expected_close_date ON deals (deleted_at, expected_close_date, id);
CREATE INDEX deals_sort_status ON deals (deleted_at, status, id);
CREATE INDEX deals_sort_closed_at ON deals (deleted_at, closed_at, id);
CREATE INDEX deals_sort_created_at ON deals (deleted_at, created_at, id);
CREATE INDEX deals_sort_id ON deals (deleted_at, id);

CREATE INDEX tasks_sort_title ON tasks (deleted_at, title COLLATE NOCASE, id);
CREATE INDEX tasks_sort_priority ON tasks (deleted_at, priority, id);
CREATE INDEX tasks_sort_status ON tasks (deleted_at, status, id);
CREATE INDEX tasks_sort_completed_at ON tasks (deleted_at, completed_at, id);
CREATE INDEX tasks_sort_created_at ON tasks (deleted_at, created_at, id);
CREATE INDEX tasks_sort_id ON tasks (deleted_at, id);

CREATE INDEX notes_sort_created_at ON notes (deleted_at, created_at, id);
CREATE INDEX notes_sort_updated_at ON notes (deleted_at, updated_at, id);
CREATE INDEX notes_sort_id ON notes (deleted_at, id);

-- The timeline as a whole and by kind, newest first, and the count of all activities kept like
-- the records' (counting 500,000 took 23 ms); a user's done tasks, latest first.
CREATE INDEX activities_by_time ON activities (occurred_at, id);
CREATE INDEX activities_by_kind ON activities (kind, occurred_at, id);
CREATE INDEX tasks_done_by_assignee ON tasks (assignee_id, status, completed_at, id, deleted_at, priority, created_at, updated_at);
INSERT INTO record_counts (entity, live, trashed) SELECT 'activities', count(*), 0 FROM activities;
CREATE TRIGGER activities_count_insert AFTER INSERT ON activities BEGIN
    UPDATE record_counts SET live = live + 1 WHERE entity = 'activities';
END;
CREATE TRIGGER activities_count_delete AFTER DELETE ON activities BEGIN
    UPDATE record_counts SET live = live - 1 WHERE entity = 'activities';
END;
-- And per kind ('activities.call'), for the timeline filtered by kind.
INSERT INTO record_counts (entity, live, trashed)
SELECT 'activities.' || kind, count(*), 0 FROM activities GROUP BY kind;
CREATE TRIGGER activities_kind_count_insert AFTER INSERT ON activities BEGIN
    INSERT INTO record_counts (entity, live, trashed) VALUES ('activities.' || NEW.kind, 1, 0)
    ON CONFLICT (entity) DO UPDATE SET live = live + 1;
END;
CREATE TRIGGER activities_kind_count_delete AFTER DELETE ON activities BEGIN
    UPDATE record_counts SET live = live - 1 WHERE entity = 'activities.' || OLD.kind;
END;
CREATE TRIGGER activities_kind_count_update AFTER UPDATE OF kind ON activities BEGIN
    UPDATE record_counts SET live = live - 1 WHERE entity = 'activities.' || OLD.kind;
    INSERT INTO record_counts (entity, live, trashed) VALUES ('activities.' || NEW.kind, 1, 0)
    ON CONFLICT (entity) DO UPDATE SET live = live + 1;
END;

-- Names of linked records kept for sorting; see migration 0009.
ALTER TABLE contacts ADD COLUMN company_name TEXT;
ALTER TABLE contacts ADD COLUMN owner_name TEXT;
ALTER TABLE companies ADD COLUMN owner_name TEXT;
ALTER TABLE deals ADD COLUMN company_name TEXT;
ALTER TABLE deals ADD COLUMN owner_name TEXT;
ALTER TABLE deals ADD COLUMN stage_rank INTEGER;
ALTER TABLE tasks ADD COLUMN assignee_name TEXT;

UPDATE contacts SET
    company_name = (SELECT name FROM companies c WHERE c.id = contacts.company_id),
    owner_name = (SELECT coalesce(nullif(u.name, ''), u.email) FROM users u WHERE u.id = contacts.owner_id);
UPDATE companies SET
    owner_name = (SELECT coalesce(nullif(u.name, ''), u.email) FROM users u WHERE u.id = companies.owner_id);
UPDATE deals SET
    company_name = (SELECT name FROM companies c WHERE c.id = deals.company_id),
    owner_name = (SELECT coalesce(nullif(u.name, ''), u.email) FROM users u WHERE u.id = deals.owner_id),
    stage_rank = (SELECT p.position * 100000 + s.position FROM stages s JOIN pipelines p ON p.id = s.pipeline_id WHERE s.id = deals.stage_id);
UPDATE tasks SET
    assignee_name = (SELECT coalesce(nullif(u.name, ''), u.email) FROM users u WHERE u.id = tasks.assignee_id);

CREATE INDEX contacts_sort_company ON contacts (deleted_at, company_name COLLATE NOCASE, id);
CREATE INDEX contacts_sort_owner ON contacts (deleted_at, owner_name COLLATE NOCASE, id);
CREATE INDEX companies_sort_owner ON companies (deleted_at, owner_name COLLATE NOCASE, id);
CREATE INDEX deals_sort_company ON deals (deleted_at, company_name COLLATE NOCASE, id);
CREATE INDEX deals_sort_owner ON deals (deleted_at, owner_name COLLATE NOCASE, id);
CREATE INDEX deals_sort_stage ON deals (deleted_at, stage_rank, id);
-- A stage's deals by stage (their rank is the same): along the stage.
CREATE INDEX deals_in_stage_by_rank ON deals (stage_id, deleted_at, stage_rank, id);
CREATE INDEX tasks_sort_assignee ON tasks (deleted_at, assignee_name COLLATE NOCASE, id);

CREATE TRIGGER companies_name_follows AFTER UPDATE OF name ON companies BEGIN
    UPDATE contacts SET company_name = NEW.name WHERE company_id = NEW.id;
    UPDATE deals SET company_name = NEW.name WHERE company_id = NEW.id;
END;
CREATE TRIGGER users_name_follows AFTER UPDATE OF name, email ON users BEGIN
    UPDATE contacts SET owner_name = coalesce(nullif(NEW.name, ''), NEW.email) WHERE owner_id = NEW.id;
    UPDATE companies SET owner_name = coalesce(nullif(NEW.name, ''), NEW.email) WHERE owner_id = NEW.id;
    UPDATE deals SET owner_name = coalesce(nullif(NEW.name, ''), NEW.email) WHERE owner_id = NEW.id;
    UPDATE tasks SET assignee_name = coalesce(nullif(NEW.name, ''), NEW.email) WHERE assignee_id = NEW.id;
END;
CREATE TRIGGER stages_rank_follows AFTER UPDATE OF position, pipeline_id ON stages BEGIN
    UPDATE deals SET stage_rank = (SELECT p.position * 100000 + NEW.position FROM pipelines p WHERE p.id = NEW.pipeline_id) WHERE stage_id = NEW.id;
END;
CREATE TRIGGER pipelines_rank_follows AFTER UPDATE OF position ON pipelines BEGIN
    UPDATE deals SET stage_rank = (SELECT NEW.position * 100000 + s.position FROM stages s WHERE s.id = deals.stage_id) WHERE pipeline_id = NEW.id;
END;
CREATE TRIGGER contacts_company_cleared AFTER UPDATE OF company_id ON contacts
WHEN NEW.company_id IS NULL AND NEW.company_name IS NOT NULL BEGIN
    UPDATE contacts SET company_name = NULL WHERE id = NEW.id;
END;
CREATE TRIGGER deals_company_cleared AFTER UPDATE OF company_id ON deals
WHEN NEW.company_id IS NULL AND NEW.company_name IS NOT NULL BEGIN
    UPDATE deals SET company_name = NULL WHERE id = NEW.id;
END;
CREATE TRIGGER contacts_owner_cleared AFTER UPDATE OF owner_id ON contacts
WHEN NEW.owner_id IS NULL AND NEW.owner_name IS NOT NULL BEGIN
    UPDATE contacts SET owner_name = NULL WHERE id = NEW.id;
END;
CREATE TRIGGER companies_owner_cleared AFTER UPDATE OF owner_id ON companies
WHEN NEW.owner_id IS NULL AND NEW.owner_name IS NOT NULL BEGIN
    UPDATE companies SET owner_name = NULL WHERE id = NEW.id;
END;
CREATE TRIGGER deals_owner_cleared AFTER UPDATE OF owner_id ON deals
WHEN NEW.owner_id IS NULL AND NEW.owner_name IS NOT NULL BEGIN
    UPDATE deals SET owner_name = NULL WHERE id = NEW.id;
END;
CREATE TRIGGER tasks_assignee_cleared AFTER UPDATE OF assignee_id ON tasks
WHEN NEW.assignee_id IS NULL AND NEW.assignee_name IS NOT NULL BEGIN
    UPDATE tasks SET assignee_name = NULL WHERE id = NEW.id;
END;

-- A service's category is what the booking page groups it under; its colour is of a fixed
-- palette, so the calendar keeps its contrast; its processing minutes are its last ones, when
-- the client waits and its person is free for someone else (colour setting).
CREATE TABLE services (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    minutes        INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 720),
    buffer_before  INTEGER NOT NULL DEFAULT 0 CHECK (buffer_before BETWEEN 0 AND 240),
    buffer_after   INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after BETWEEN 0 AND 240),
    price          INTEGER NOT NULL DEFAULT 0 CHECK (price >= 0),
    vat_rate       INTEGER NOT NULL DEFAULT 2100 CHECK (vat_rate BETWEEN 0 AND 10000),
    online         INTEGER NOT NULL DEFAULT 1 CHECK (online IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    category       TEXT NOT NULL DEFAULT '',
    colour         TEXT NOT NULL DEFAULT 'blue'
        CHECK (colour IN ('blue', 'green', 'amber', 'rose', 'violet', 'teal', 'grey')),
    processing     INTEGER NOT NULL DEFAULT 0 CHECK (processing BETWEEN 0 AND 715)
);

-- A span of a weekday someone works: Monday is 0; times are HH:MM of the workspace's zone.
CREATE TABLE working_hours (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    weekday  INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    starts   TEXT NOT NULL,
    ends     TEXT NOT NULL,
    PRIMARY KEY (user_id, weekday, starts),
    CHECK (starts < ends)
);

-- A dated change of someone's hours: the spans of that day, or one row without times for a
-- day off.
CREATE TABLE working_exceptions (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day      TEXT NOT NULL,
    starts   TEXT,
    ends     TEXT,
    CHECK ((starts IS NULL) = (ends IS NULL) AND (starts IS NULL OR starts < ends))
);
CREATE INDEX working_exceptions_by_day ON working_exceptions (user_id, day);

CREATE TABLE appointments (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id),
    staff_id    INTEGER NOT NULL REFERENCES users (id),
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    busy_from   TEXT NOT NULL,
    busy_until  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'confirmed'
                CHECK (status IN ('requested', 'confirmed', 'arrived', 'completed', 'cancelled', 'no_show')),
    notes       TEXT NOT NULL DEFAULT '',
    -- One more at each change of time or status: calendars keep the highest.
    sequence    INTEGER NOT NULL DEFAULT 0,
    -- Why it was called off, and by whom (none: the client, through their link).
    cancel_reason  TEXT,
    cancelled_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL, origin TEXT NOT NULL DEFAULT 'staff' CHECK (origin IN ('staff', 'online')), reminded_at TEXT, overbooked INTEGER NOT NULL DEFAULT 0 CHECK (overbooked IN (0, 1)), series_id INTEGER REFERENCES appointment_series (id), client_language TEXT, deal_id INTEGER REFERENCES deals (id) ON DELETE SET NULL,
    CHECK (starts_at < ends_at AND busy_from <= starts_at AND ends_at <= busy_until)
);
-- The appointments that keep someone busy, by when their busy span starts.
CREATE INDEX appointments_busy ON appointments (staff_id, busy_from)
    WHERE status IN ('requested', 'confirmed', 'arrived', 'completed');
CREATE INDEX appointments_by_contact ON appointments (contact_id, starts_at);
CREATE INDEX appointments_by_staff ON appointments (staff_id, starts_at);
CREATE INDEX appointments_by_start ON appointments (starts_at);

-- The services of an appointment, in the order they are done.
CREATE TABLE appointment_services (
    appointment_id  INTEGER NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    service_id      INTEGER NOT NULL REFERENCES services (id),
    PRIMARY KEY (appointment_id, position)
);

-- A private calendar feed of someone's appointments: a secret address (only its hash is
-- kept) that a calendar app subscribes to, until it is revoked. Its scope is `own` (its
-- maker's appointments) or `workspace` (everyone's, made by an owner or admin).
CREATE TABLE calendar_feeds (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT,
    scope       TEXT NOT NULL DEFAULT 'own' CHECK (scope IN ('own', 'workspace'))
);

-- A repeating appointment: every `interval` days, weeks or months (on its date, or on its
-- weekday: the second Tuesday), `count`
-- times; each occurrence is its own appointment (changed or called off on its own).
CREATE TABLE appointment_series (
    id          INTEGER PRIMARY KEY,
    frequency   TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly', 'monthly_weekday')),
    interval    INTEGER NOT NULL DEFAULT 1 CHECK (interval BETWEEN 1 AND 52),
    count       INTEGER NOT NULL CHECK (count BETWEEN 1 AND 104),
    local_time  TEXT NOT NULL,
    zone        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- The private links a client manages an appointment with, one per mail sent (only their
-- hashes are kept).
CREATE TABLE appointment_links (
    token_hash      TEXT PRIMARY KEY,
    appointment_id  INTEGER NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL
);
CREATE INDEX appointment_links_by_appointment ON appointment_links (appointment_id);
-- The appointments whose reminder is still to go, by their start.
CREATE INDEX appointments_to_remind ON appointments (starts_at)
    WHERE reminded_at IS NULL AND status IN ('requested', 'confirmed');

CREATE TABLE booking_holds (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    busy_from   TEXT NOT NULL,
    busy_until  TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    -- What the visitor chose: the services (ids, comma-separated, in order) and the start.
    services    TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    CHECK (busy_from < busy_until)
);
CREATE INDEX booking_holds_busy ON booking_holds (staff_id, busy_from);

-- How the workspace takes bookings: one row.
CREATE TABLE booking_policy (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    step_minutes    INTEGER NOT NULL DEFAULT 30 CHECK (step_minutes BETWEEN 5 AND 240),
    lead_minutes    INTEGER NOT NULL DEFAULT 120 CHECK (lead_minutes BETWEEN 0 AND 43200),
    horizon_days    INTEGER NOT NULL DEFAULT 90 CHECK (horizon_days BETWEEN 1 AND 730),
    cancel_hours    INTEGER NOT NULL DEFAULT 24 CHECK (cancel_hours BETWEEN 0 AND 720),
    reminder_hours  INTEGER NOT NULL DEFAULT 24 CHECK (reminder_hours BETWEEN 0 AND 720),
    online          INTEGER NOT NULL DEFAULT 1 CHECK (online IN (0, 1)),
    approval        INTEGER NOT NULL DEFAULT 0 CHECK (approval IN (0, 1)),
    updated_at      TEXT NOT NULL DEFAULT ''
);
INSERT INTO booking_policy (id) VALUES (1);

-- Rooms, chairs, equipment: a service can need one; `capacity` appointments can use it at once.
CREATE TABLE resources (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    capacity    INTEGER NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 100),
    created_at  TEXT NOT NULL
);
CREATE TABLE service_resources (
    service_id   INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    resource_id  INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    PRIMARY KEY (service_id, resource_id)
);
-- The resources an appointment uses, over its busy span.
CREATE TABLE appointment_resources (
    appointment_id  INTEGER NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    resource_id     INTEGER NOT NULL REFERENCES resources (id),
    busy_from       TEXT NOT NULL,
    busy_until      TEXT NOT NULL,
    PRIMARY KEY (appointment_id, resource_id)
);
CREATE INDEX appointment_resources_busy ON appointment_resources (resource_id, busy_from);

-- A visitor who books is matched to a contact by email, else by phone.
CREATE INDEX contacts_by_phone ON contacts (phone) WHERE deleted_at IS NULL;

-- Who may perform a service (no rows: everyone who takes appointments).
CREATE TABLE service_staff (
    service_id  INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (service_id, user_id)
);

-- The spans inside an appointment's busy span when its person is free after all (the
-- processing gaps of its services), as UTC stamps.
CREATE TABLE appointment_gaps (
    appointment_id  INTEGER NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    free_from       TEXT NOT NULL,
    free_until      TEXT NOT NULL,
    PRIMARY KEY (appointment_id, free_from),
    CHECK (free_from < free_until)
);

-- Visitors waiting for a time on a day: when an appointment that day is cancelled, the first
-- of them whose service then has a free time is mailed (and whoever books first gets it).
CREATE TABLE waitlist (
    id           INTEGER PRIMARY KEY,
    service_id   INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    day          TEXT NOT NULL,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    language     TEXT NOT NULL DEFAULT 'en',
    created_at   TEXT NOT NULL,
    notified_at  TEXT,
    UNIQUE (day, service_id, email)
);
CREATE INDEX waitlist_waiting ON waitlist (day, id) WHERE notified_at IS NULL;

-- The kassa: VAT rates as dated settings, products, registers and their sessions, receipts
-- with lines and payments, cash moves, the append-only journal (each row chained to the one
-- before by its hash) and the Z reports. None of it is ever purged (7 years, art. 52 AWR);
-- triggers refuse changes to what is final. See migrations/0016_kassa.sql.
CREATE TABLE vat_rates (
    code          TEXT NOT NULL CHECK (code IN ('high', 'low', 'zero', 'exempt')),
    basis_points  INTEGER NOT NULL CHECK (basis_points BETWEEN 0 AND 10000),
    valid_from    TEXT NOT NULL,
    valid_until   TEXT,
    PRIMARY KEY (code, valid_from)
);
INSERT INTO vat_rates (code, basis_points, valid_from) VALUES
    ('high', 2100, '2012-10-01'), ('low', 900, '2019-01-01'), ('zero', 0, '2000-01-01'),
    ('exempt', 0, '2000-01-01');

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    sku         TEXT UNIQUE COLLATE NOCASE,
    kind        TEXT NOT NULL DEFAULT 'retail' CHECK (kind IN ('retail', 'package', 'gift_card')),
    price       INTEGER NOT NULL CHECK (price >= 0),
    vat_code    TEXT NOT NULL DEFAULT 'high',
    -- Empty: not counted.
    stock       INTEGER,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- A register numbers its receipts 1, 2, 3… without gaps, and keeps its grand totals.
CREATE TABLE registers (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    next_number    INTEGER NOT NULL DEFAULT 1,
    grand_sales    INTEGER NOT NULL DEFAULT 0,
    grand_returns  INTEGER NOT NULL DEFAULT 0,
    -- The grand totals per VAT rate, as JSON (they are in each journal row too).
    grand_rates    TEXT NOT NULL DEFAULT '[]',
    created_at     TEXT NOT NULL
);

CREATE TABLE register_sessions (
    id           INTEGER PRIMARY KEY,
    register_id  INTEGER NOT NULL REFERENCES registers (id),
    opened_at    TEXT NOT NULL,
    opened_by    INTEGER REFERENCES users (id),
    float        INTEGER NOT NULL CHECK (float >= 0),
    closed_at    TEXT,
    closed_by    INTEGER REFERENCES users (id),
    -- The blind count: each denomination's number, as JSON.
    count        TEXT,
    counted      INTEGER,
    expected     INTEGER
);
CREATE UNIQUE INDEX register_sessions_open ON register_sessions (register_id) WHERE closed_at IS NULL;

CREATE TABLE receipts (
    id             INTEGER PRIMARY KEY,
    register_id    INTEGER NOT NULL REFERENCES registers (id),
    session_id     INTEGER NOT NULL REFERENCES register_sessions (id),
    -- Given when it is finalized: the register's next, in the same write.
    number         INTEGER,
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'final', 'void')),
    credit_of      INTEGER REFERENCES receipts (id),
    contact_id     INTEGER REFERENCES contacts (id),
    appointment_id INTEGER REFERENCES appointments (id),
    staff_id       INTEGER REFERENCES users (id),
    discount_kind  TEXT NOT NULL DEFAULT 'none' CHECK (discount_kind IN ('none', 'amount', 'percent')),
    discount       INTEGER NOT NULL DEFAULT 0,
    total          INTEGER NOT NULL DEFAULT 0,
    rounding       INTEGER NOT NULL DEFAULT 0,
    change         INTEGER NOT NULL DEFAULT 0,
    -- The figures per VAT rate, as JSON.
    per_rate       TEXT NOT NULL DEFAULT '[]',
    created_by     INTEGER REFERENCES users (id),
    created_at     TEXT NOT NULL,
    finalized_at   TEXT,
    UNIQUE (register_id, number)
);
CREATE INDEX receipts_by_session ON receipts (session_id, number);
CREATE INDEX receipts_by_contact ON receipts (contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX receipts_by_appointment ON receipts (appointment_id) WHERE appointment_id IS NOT NULL;

CREATE TABLE receipt_lines (
    receipt_id     INTEGER NOT NULL REFERENCES receipts (id),
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('service', 'product', 'free', 'tip')),
    description    TEXT NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity >= 1),
    unit_price     INTEGER NOT NULL,
    discount_kind  TEXT NOT NULL DEFAULT 'none' CHECK (discount_kind IN ('none', 'amount', 'percent')),
    discount_value INTEGER NOT NULL DEFAULT 0,
    vat_code       TEXT,
    vat_rate       INTEGER,
    -- Worked out when it is finalized.
    discount       INTEGER NOT NULL DEFAULT 0,
    gross          INTEGER NOT NULL DEFAULT 0,
    vat            INTEGER NOT NULL DEFAULT 0,
    service_id     INTEGER REFERENCES services (id),
    product_id     INTEGER REFERENCES products (id),
    PRIMARY KEY (receipt_id, position)
);

CREATE TABLE receipt_payments (
    receipt_id  INTEGER NOT NULL REFERENCES receipts (id),
    position    INTEGER NOT NULL,
    method      TEXT NOT NULL CHECK (method IN ('cash', 'card', 'gift_card', 'bank_transfer', 'other')),
    amount      INTEGER NOT NULL,
    tendered    INTEGER NOT NULL,
    reference   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (receipt_id, position)
);

-- Cash put into the drawer (above zero) or taken out (below), with why.
CREATE TABLE cash_moves (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES register_sessions (id),
    amount      INTEGER NOT NULL CHECK (amount <> 0),
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL,
    by          INTEGER REFERENCES users (id)
);

CREATE TABLE journal (
    register_id  INTEGER NOT NULL REFERENCES registers (id),
    seq          INTEGER NOT NULL,
    at           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    -- The event as canonical JSON, exactly as it was hashed.
    event        TEXT NOT NULL,
    previous     TEXT NOT NULL,
    hash         TEXT NOT NULL,
    PRIMARY KEY (register_id, seq)
);
-- A session's events of one kind (its drawer openings), from when it opened.
CREATE INDEX journal_by_kind ON journal (register_id, kind, at);

CREATE TABLE z_reports (
    id           INTEGER PRIMARY KEY,
    register_id  INTEGER NOT NULL REFERENCES registers (id),
    session_id   INTEGER NOT NULL UNIQUE REFERENCES register_sessions (id),
    at           TEXT NOT NULL,
    report       TEXT NOT NULL
);

CREATE TRIGGER journal_append_only_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_append_only_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER z_reports_final_update BEFORE UPDATE ON z_reports
BEGIN SELECT RAISE(ABORT, 'a Z report never changes'); END;
CREATE TRIGGER z_reports_final_delete BEFORE DELETE ON z_reports
BEGIN SELECT RAISE(ABORT, 'a Z report never changes'); END;
CREATE TRIGGER receipts_final_update BEFORE UPDATE ON receipts WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a finalized receipt never changes'); END;
CREATE TRIGGER receipts_final_delete BEFORE DELETE ON receipts WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a finalized receipt never changes'); END;
CREATE TRIGGER receipt_lines_final_update BEFORE UPDATE ON receipt_lines
    WHEN (SELECT status FROM receipts WHERE id = OLD.receipt_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a finalized receipt never changes'); END;
CREATE TRIGGER receipt_lines_final_delete BEFORE DELETE ON receipt_lines
    WHEN (SELECT status FROM receipts WHERE id = OLD.receipt_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a finalized receipt never changes'); END;
CREATE TRIGGER receipt_payments_final_update BEFORE UPDATE ON receipt_payments
    WHEN (SELECT status FROM receipts WHERE id = OLD.receipt_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a finalized receipt never changes'); END;
CREATE TRIGGER receipt_payments_final_delete BEFORE DELETE ON receipt_payments
    WHEN (SELECT status FROM receipts WHERE id = OLD.receipt_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a finalized receipt never changes'); END;
CREATE TRIGGER sessions_closed_update BEFORE UPDATE ON register_sessions WHEN OLD.closed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed session never changes'); END;
CREATE TRIGGER cash_moves_final BEFORE UPDATE ON cash_moves
BEGIN SELECT RAISE(ABORT, 'cash moves never change'); END;
CREATE TRIGGER cash_moves_final_delete BEFORE DELETE ON cash_moves
BEGIN SELECT RAISE(ABORT, 'cash moves never change'); END;

-- What the last check of the journals found (the daily upkeep runs it, and an admin can):
-- how many rows held, and each problem in a sentence (none: intact).
CREATE TABLE kassa_checks (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    rows      INTEGER NOT NULL,
    problems  TEXT NOT NULL DEFAULT '[]'
);

-- Gift cards: each issued by a finalized receipt's gift-card line (its code shown on the
-- receipt), spent (and paid back) as payments; its balance is its value plus its uses, which
-- are only ever added.
CREATE TABLE gift_cards (
    code        TEXT PRIMARY KEY,
    value       INTEGER NOT NULL CHECK (value > 0),
    receipt_id  INTEGER NOT NULL REFERENCES receipts (id),
    contact_id  INTEGER REFERENCES contacts (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX gift_cards_by_contact ON gift_cards (contact_id) WHERE contact_id IS NOT NULL;
CREATE TABLE gift_card_uses (
    code        TEXT NOT NULL REFERENCES gift_cards (code),
    receipt_id  INTEGER NOT NULL REFERENCES receipts (id),
    -- Below zero: spent; above: paid back onto it.
    amount      INTEGER NOT NULL CHECK (amount <> 0),
    at          TEXT NOT NULL
);
CREATE INDEX gift_card_uses_by_code ON gift_card_uses (code);
CREATE TRIGGER gift_cards_final_update BEFORE UPDATE ON gift_cards
BEGIN SELECT RAISE(ABORT, 'a gift card never changes: its uses are added'); END;
CREATE TRIGGER gift_card_uses_final BEFORE UPDATE ON gift_card_uses
BEGIN SELECT RAISE(ABORT, 'a gift card use never changes'); END;

-- Reports read a period's finalized receipts by when they were finalized.
CREATE INDEX receipts_by_time ON receipts (finalized_at) WHERE status = 'final';

-- v16 → v17: training mode at a register. While it is on, checkouts are practice: they are
-- worked out and printed as "training", take no receipt number, move no totals, stock or gift
-- cards, and the journal records each of them and the mode going on and off.

ALTER TABLE registers ADD COLUMN training INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1));
-- Set when the draft is made (from its register's mode); a training draft ends voided, with its
-- figures, and never changes after.
ALTER TABLE receipts ADD COLUMN training INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1));

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
