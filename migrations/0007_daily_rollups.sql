-- v6 → v7: the dashboard's figures for a period come from daily rollups kept by triggers,
-- not from counting every contact created and deal closed in it (at 100,000 contacts, a
-- 12-month dashboard counted 50,000 index entries per view).

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

INSERT INTO contacts_per_day (day, lifecycle, contacts)
SELECT substr(created_at, 1, 10), lifecycle, count(*) FROM contacts WHERE deleted_at IS NULL GROUP BY 1, 2;
INSERT INTO deals_closed_per_day (day, status, owner_id, currency, deals, amount)
SELECT substr(closed_at, 1, 10), status, coalesce(owner_id, 0), currency, count(*), sum(amount) FROM deals
WHERE deleted_at IS NULL AND status IN ('won', 'lost') AND closed_at IS NOT NULL GROUP BY 1, 2, 3, 4;
