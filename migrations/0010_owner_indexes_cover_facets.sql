-- v9 → v10: the indexes of a person's records (a contact's or deal's owner, a task's assignee),
-- and of contacts by when they were made or changed, also hold the fields a list filters them
-- by, so "mine and …", "made before and changed since" and the like are counted, and walked in
-- the order of the index, from the index alone, without reading a row per record (about 60 ns
-- an entry instead of 0.6-1.4 µs at 100,000 contacts). The id follows the sorted key, so an
-- index gives the lists' order (key, then id) without sorting.

DROP INDEX contacts_by_owner;
CREATE INDEX contacts_by_owner ON contacts (owner_id, deleted_at, updated_at, id, lifecycle, created_at, company_id);
DROP INDEX deals_by_owner;
CREATE INDEX deals_by_owner ON deals (owner_id, deleted_at, updated_at, id, status, stage_id, pipeline_id, created_at);
DROP INDEX tasks_by_assignee;
CREATE INDEX tasks_by_assignee ON tasks (assignee_id, status, due_at, id, deleted_at, priority, created_at, updated_at);
DROP INDEX tasks_done_by_assignee;
CREATE INDEX tasks_done_by_assignee ON tasks (assignee_id, status, completed_at, id, deleted_at, priority, created_at, updated_at);

DROP INDEX contacts_live_updated;
CREATE INDEX contacts_live_updated ON contacts (deleted_at, updated_at, id, created_at, lifecycle, owner_id);
DROP INDEX contacts_sort_created_at;
CREATE INDEX contacts_sort_created_at ON contacts (deleted_at, created_at, id, updated_at, lifecycle, owner_id);
-- What these two held, the wider ones (and contacts_sort_lifecycle, the same as the second) do.
DROP INDEX contacts_live_created;
DROP INDEX contacts_live_lifecycle;
