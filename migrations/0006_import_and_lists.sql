-- v5 → v6: imports index their rows for search per batch, not per row.
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
