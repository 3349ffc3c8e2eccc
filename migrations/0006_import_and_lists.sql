-- v5 → v6: imports index their rows for search per batch, not per row; an owner's records
-- come in list order; the totals of the deal board and the dashboard are kept, not added up.
--
-- An insert into the search table inside a transaction makes FTS5 flush its pending entries
-- at the end of that statement, so an import that inserted 1,000 contacts per transaction
-- flushed (and merged) the index 1,000 times. The insert triggers now stand aside while
-- search_paused holds its row, which an import writes and removes inside its own transaction,
-- so no other connection ever sees it.
CREATE TABLE search_paused (paused INTEGER PRIMARY KEY CHECK (paused = 1));

DROP TRIGGER contacts_search_insert;
DROP TRIGGER companies_search_insert;
DROP TRIGGER deals_search_insert;

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts WHEN NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    INSERT INTO search (rowid, title, body) VALUES (NEW.id * 8 + 1, trim(coalesce(NEW.first_name, '') || ' ' || coalesce(NEW.last_name, '')), coalesce(NEW.email, '') || ' ' || coalesce(NEW.phone, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(NEW.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '/', ''), '.', ''), '+', ''), '') || ' ' || coalesce(NEW.title, '') || ' ' || coalesce(NEW.source, ''));
END;
CREATE TRIGGER companies_search_insert AFTER INSERT ON companies WHEN NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    INSERT INTO search (rowid, title, body) VALUES (NEW.id * 8 + 2, NEW.name, coalesce(NEW.domain, '') || ' ' || coalesce(NEW.industry, '') || ' ' || coalesce(NEW.phone, '') || ' ' || coalesce(replace(replace(replace(replace(replace(replace(replace(NEW.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '/', ''), '.', ''), '+', ''), '') || ' ' || coalesce(NEW.address, ''));
END;
CREATE TRIGGER deals_search_insert AFTER INSERT ON deals WHEN NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused) BEGIN
    INSERT INTO search (rowid, title, body) VALUES (NEW.id * 8 + 3, NEW.title, coalesce(NEW.lost_reason, ''));
END;

-- A list filtered by owner (and often a label) walks the owner's live records newest first
-- and stops after a page, instead of sorting all of them.
DROP INDEX contacts_by_owner;
CREATE INDEX contacts_by_owner ON contacts (owner_id, deleted_at, updated_at);
DROP INDEX deals_by_owner;
CREATE INDEX deals_by_owner ON deals (owner_id, deleted_at, updated_at);
-- The name order carries the owner, so a list by name filtered by owner tests each row in the
-- index instead of reading it.
DROP INDEX contacts_live_name;
CREATE INDEX contacts_live_name ON contacts (deleted_at, coalesce(last_name, first_name, email) COLLATE NOCASE, first_name COLLATE NOCASE, id, owner_id);

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
INSERT INTO deal_totals (stage_id, status, currency, owner_id, deals, amount)
SELECT stage_id, status, currency, coalesce(owner_id, 0), count(*), sum(amount) FROM deals WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4;

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
INSERT INTO contact_lifecycles (lifecycle, contacts)
SELECT lifecycle, count(*) FROM contacts WHERE deleted_at IS NULL GROUP BY lifecycle;
