-- v3 → v4: full-text search over contacts, companies, deals, tasks and notes, and indexes and
-- live counts for fast lists. The search table's rowid is `record id * 8 + kind` (1 contact, 2 company, 3 deal,
-- 4 task, 5 note), so triggers can replace a record's entry by rowid. Records in the trash are
-- not in it.
CREATE VIRTUAL TABLE search USING fts5 (
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search (rowid, title, body) VALUES (NEW.id * 8 + 1, trim(coalesce(NEW.first_name, '') || ' ' || coalesce(NEW.last_name, '')), coalesce(NEW.email, '') || ' ' || coalesce(NEW.phone, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(NEW.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '/', ''), '.', ''), '+', ''), '') || ' ' || coalesce(NEW.title, '') || ' ' || coalesce(NEW.source, ''));
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE ON contacts BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 1;
    INSERT INTO search (rowid, title, body) SELECT NEW.id * 8 + 1, trim(coalesce(NEW.first_name, '') || ' ' || coalesce(NEW.last_name, '')), coalesce(NEW.email, '') || ' ' || coalesce(NEW.phone, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(NEW.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '/', ''), '.', ''), '+', ''), '') || ' ' || coalesce(NEW.title, '') || ' ' || coalesce(NEW.source, '') WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 1;
END;

CREATE TRIGGER companies_search_insert AFTER INSERT ON companies WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO search (rowid, title, body) VALUES (NEW.id * 8 + 2, NEW.name, coalesce(NEW.domain, '') || ' ' || coalesce(NEW.industry, '') || ' ' || coalesce(NEW.phone, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(NEW.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '/', ''), '.', ''), '+', ''), '') || ' ' || coalesce(NEW.address, ''));
END;
CREATE TRIGGER companies_search_update AFTER UPDATE ON companies BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 2;
    INSERT INTO search (rowid, title, body) SELECT NEW.id * 8 + 2, NEW.name, coalesce(NEW.domain, '') || ' ' || coalesce(NEW.industry, '') || ' ' || coalesce(NEW.phone, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(NEW.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '/', ''), '.', ''), '+', ''), '') || ' ' || coalesce(NEW.address, '') WHERE NEW.deleted_at IS NULL;
END;
CREATE TRIGGER companies_search_delete AFTER DELETE ON companies BEGIN
    DELETE FROM search WHERE rowid = OLD.id * 8 + 2;
END;

CREATE TRIGGER deals_search_insert AFTER INSERT ON deals WHEN NEW.deleted_at IS NULL BEGIN
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
CREATE INDEX contacts_live_name ON contacts (deleted_at, coalesce(last_name, first_name, email) COLLATE NOCASE, first_name COLLATE NOCASE, id);
CREATE INDEX contacts_live_updated ON contacts (deleted_at, updated_at, id);
CREATE INDEX contacts_by_owner ON contacts (owner_id);
CREATE INDEX contacts_live_created ON contacts (deleted_at, created_at, lifecycle);
CREATE INDEX companies_by_domain ON companies (domain) WHERE deleted_at IS NULL;
CREATE INDEX contacts_live_lifecycle ON contacts (deleted_at, lifecycle);
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
CREATE INDEX deals_by_owner ON deals (owner_id);
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
