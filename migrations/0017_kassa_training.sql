-- v16 → v17: training mode at a register. While it is on, checkouts are practice: they are
-- worked out and printed as "training", take no receipt number, move no totals, stock or gift
-- cards, and the journal records each of them and the mode going on and off.

ALTER TABLE registers ADD COLUMN training INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1));
-- Set when the draft is made (from its register's mode); a training draft ends voided, with its
-- figures, and never changes after.
ALTER TABLE receipts ADD COLUMN training INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1));
