-- v5 → v6: imports index their rows for search per batch, not per row; an owner's records
-- come in list order.
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
