-- v15 → v16: the kassa. Products beside the services, VAT rates as dated settings, registers
-- and their sessions, receipts with lines and payments, cash put in or taken out, the
-- append-only journal of every register event (each row chained to the one before by its
-- hash), and the Z reports. Receipts, sessions, the journal and Z reports are never purged:
-- the tax authorities ask for 7 years (art. 52 AWR). Triggers refuse changes to what is
-- final; `onebox check` verifies the chains, so changes made around the triggers show too.

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
