-- v7 → v8: an index for every order a list offers (domain::crm::Entity::sorts), on
-- (deleted_at, key, id) like the older ones, so a page of any sort is read along the index
-- at any depth instead of sorting every live row (a deep page of contacts by email took
-- 211 ms at 100,000 contacts). Text keys compare without case, as the lists sort them.

CREATE INDEX contacts_sort_first_name ON contacts (deleted_at, first_name COLLATE NOCASE, id);
CREATE INDEX contacts_sort_last_name ON contacts (deleted_at, last_name COLLATE NOCASE, id);
CREATE INDEX contacts_sort_email ON contacts (deleted_at, email COLLATE NOCASE, id);
CREATE INDEX contacts_sort_lifecycle ON contacts (deleted_at, lifecycle, id);
CREATE INDEX contacts_sort_created_at ON contacts (deleted_at, created_at, id);
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
CREATE INDEX tasks_done_by_assignee ON tasks (assignee_id, status, completed_at);
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
