-- v14 → v15: services learn their category (the booking page groups by it), a colour (of a
-- fixed palette, so the calendar keeps its contrast), a processing gap (the last minutes of
-- the service, when the client waits and its person is free for someone else: colour
-- setting) and who may perform them (no rows: everyone who takes appointments).

ALTER TABLE services ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue'
    CHECK (colour IN ('blue', 'green', 'amber', 'rose', 'violet', 'teal', 'grey'));
ALTER TABLE services ADD COLUMN processing INTEGER NOT NULL DEFAULT 0 CHECK (processing BETWEEN 0 AND 715);

CREATE TABLE service_staff (
    service_id  INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (service_id, user_id)
);

-- The spans inside an appointment's busy span when its person is free after all (the
-- processing gaps of its services), as UTC stamps.
CREATE TABLE appointment_gaps (
    appointment_id  INTEGER NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    free_from       TEXT NOT NULL,
    free_until      TEXT NOT NULL,
    PRIMARY KEY (appointment_id, free_from),
    CHECK (free_from < free_until)
);

-- A feed of the whole workspace's appointments (made by an owner or admin) beside each
-- person's own.
ALTER TABLE calendar_feeds ADD COLUMN scope TEXT NOT NULL DEFAULT 'own' CHECK (scope IN ('own', 'workspace'));

-- An appointment's history is the audit log's rows about it.
ALTER TABLE audit_log ADD COLUMN appointment_id INTEGER;
CREATE INDEX audit_log_by_appointment ON audit_log (appointment_id, id) WHERE appointment_id IS NOT NULL;

-- An appointment may be about a deal (a quote visit, a treatment plan).
ALTER TABLE appointments ADD COLUMN deal_id INTEGER REFERENCES deals (id) ON DELETE SET NULL;

-- Visitors waiting for a time on a day: when an appointment that day is cancelled, the first
-- of them whose service then has a free time is mailed (and whoever books first gets it).
CREATE TABLE waitlist (
    id           INTEGER PRIMARY KEY,
    service_id   INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    day          TEXT NOT NULL,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    language     TEXT NOT NULL DEFAULT 'en',
    created_at   TEXT NOT NULL,
    notified_at  TEXT,
    UNIQUE (day, service_id, email)
);
CREATE INDEX waitlist_waiting ON waitlist (day, id) WHERE notified_at IS NULL;
