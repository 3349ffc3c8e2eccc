-- v13 → v14: booking online, reminders, resources and series. Appointments learn where they
-- came from, when their reminder went out, whether someone booked them over another on purpose, and the
-- series they belong to, and the language their client reads. A visitor's chosen slot is held for a few minutes while they fill
-- in the form; a hold keeps its person busy like an appointment until it expires.

-- A repeating appointment: every `interval` days, weeks or months (on its date, or on its
-- weekday: the second Tuesday), `count`
-- times; each occurrence is its own appointment (changed or called off on its own).
CREATE TABLE appointment_series (
    id          INTEGER PRIMARY KEY,
    frequency   TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly', 'monthly_weekday')),
    interval    INTEGER NOT NULL DEFAULT 1 CHECK (interval BETWEEN 1 AND 52),
    count       INTEGER NOT NULL CHECK (count BETWEEN 1 AND 104),
    local_time  TEXT NOT NULL,
    zone        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

ALTER TABLE appointments ADD COLUMN origin TEXT NOT NULL DEFAULT 'staff' CHECK (origin IN ('staff', 'online'));
ALTER TABLE appointments ADD COLUMN reminded_at TEXT;
ALTER TABLE appointments ADD COLUMN overbooked INTEGER NOT NULL DEFAULT 0 CHECK (overbooked IN (0, 1));
ALTER TABLE appointments ADD COLUMN series_id INTEGER REFERENCES appointment_series (id);
-- The language the client reads their mails in (en, nl).
ALTER TABLE appointments ADD COLUMN client_language TEXT;
-- The private links a client manages an appointment with, one per mail sent (only their
-- hashes are kept).
CREATE TABLE appointment_links (
    token_hash      TEXT PRIMARY KEY,
    appointment_id  INTEGER NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL
);
CREATE INDEX appointment_links_by_appointment ON appointment_links (appointment_id);
-- The appointments whose reminder is still to go, by their start.
CREATE INDEX appointments_to_remind ON appointments (starts_at)
    WHERE reminded_at IS NULL AND status IN ('requested', 'confirmed');

-- A visitor who books is matched to a contact by email, else by phone.
CREATE INDEX contacts_by_phone ON contacts (phone) WHERE deleted_at IS NULL;

-- An invitation (an iCalendar text with its METHOD) sent along with a mail.
ALTER TABLE outbox ADD COLUMN calendar TEXT;

CREATE TABLE booking_holds (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    busy_from   TEXT NOT NULL,
    busy_until  TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    -- What the visitor chose: the services (ids, comma-separated, in order) and the start.
    services    TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    CHECK (busy_from < busy_until)
);
CREATE INDEX booking_holds_busy ON booking_holds (staff_id, busy_from);

-- How the workspace takes bookings: one row.
CREATE TABLE booking_policy (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    step_minutes    INTEGER NOT NULL DEFAULT 30 CHECK (step_minutes BETWEEN 5 AND 240),
    lead_minutes    INTEGER NOT NULL DEFAULT 120 CHECK (lead_minutes BETWEEN 0 AND 43200),
    horizon_days    INTEGER NOT NULL DEFAULT 90 CHECK (horizon_days BETWEEN 1 AND 730),
    cancel_hours    INTEGER NOT NULL DEFAULT 24 CHECK (cancel_hours BETWEEN 0 AND 720),
    reminder_hours  INTEGER NOT NULL DEFAULT 24 CHECK (reminder_hours BETWEEN 0 AND 720),
    online          INTEGER NOT NULL DEFAULT 1 CHECK (online IN (0, 1)),
    approval        INTEGER NOT NULL DEFAULT 0 CHECK (approval IN (0, 1)),
    updated_at      TEXT NOT NULL DEFAULT ''
);
INSERT INTO booking_policy (id) VALUES (1);

-- Rooms, chairs, equipment: a service can need one; `capacity` appointments can use it at once.
CREATE TABLE resources (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    capacity    INTEGER NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 100),
    created_at  TEXT NOT NULL
);
CREATE TABLE service_resources (
    service_id   INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    resource_id  INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    PRIMARY KEY (service_id, resource_id)
);
-- The resources an appointment uses, over its busy span.
CREATE TABLE appointment_resources (
    appointment_id  INTEGER NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    resource_id     INTEGER NOT NULL REFERENCES resources (id),
    busy_from       TEXT NOT NULL,
    busy_until      TEXT NOT NULL,
    PRIMARY KEY (appointment_id, resource_id)
);
CREATE INDEX appointment_resources_busy ON appointment_resources (resource_id, busy_from);
