-- v8 → v9: lists sort by what a record links to by its name, not its id: a contact's and a
-- deal's company name, the owner's (a task's assignee's) name, a deal's stage in pipeline and
-- stage order. The names are kept beside the record, indexed like the other sorts. The store
-- writes them with the link (store::crm::records); these triggers follow renames, moved
-- stages and links that a deletion cleared.

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
