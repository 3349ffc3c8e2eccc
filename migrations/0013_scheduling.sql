-- v12 → v13: scheduling. The services people book, when each person works (weekly hours
-- and dated exceptions, as wall times of the workspace's zone), and appointments. An
-- appointment keeps, beside its own start and end, the span it keeps its person busy
-- (its services' buffers included), so checking a new booking against it is one range read.

CREATE TABLE services (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    minutes        INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 720),
    buffer_before  INTEGER NOT NULL DEFAULT 0 CHECK (buffer_before BETWEEN 0 AND 240),
    buffer_after   INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after BETWEEN 0 AND 240),
    price          INTEGER NOT NULL DEFAULT 0 CHECK (price >= 0),
    vat_rate       INTEGER NOT NULL DEFAULT 2100 CHECK (vat_rate BETWEEN 0 AND 10000),
    online         INTEGER NOT NULL DEFAULT 1 CHECK (online IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- A span of a weekday someone works: Monday is 0; times are HH:MM of the workspace's zone.
CREATE TABLE working_hours (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    weekday  INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    starts   TEXT NOT NULL,
    ends     TEXT NOT NULL,
    PRIMARY KEY (user_id, weekday, starts),
    CHECK (starts < ends)
);

-- A dated change of someone's hours: the spans of that day, or one row without times for a
-- day off.
CREATE TABLE working_exceptions (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day      TEXT NOT NULL,
    starts   TEXT,
    ends     TEXT,
    CHECK ((starts IS NULL) = (ends IS NULL) AND (starts IS NULL OR starts < ends))
);
CREATE INDEX working_exceptions_by_day ON working_exceptions (user_id, day);

CREATE TABLE appointments (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id),
    staff_id    INTEGER NOT NULL REFERENCES users (id),
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    busy_from   TEXT NOT NULL,
    busy_until  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'confirmed'
                CHECK (status IN ('requested', 'confirmed', 'arrived', 'completed', 'cancelled', 'no_show')),
    notes       TEXT NOT NULL DEFAULT '',
    -- One more at each change of time or status: calendars keep the highest.
    sequence    INTEGER NOT NULL DEFAULT 0,
    -- Why it was called off, and by whom (none: the client, through their link).
    cancel_reason  TEXT,
    cancelled_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (starts_at < ends_at AND busy_from <= starts_at AND ends_at <= busy_until)
);
-- The appointments that keep someone busy, by when their busy span starts.
CREATE INDEX appointments_busy ON appointments (staff_id, busy_from)
    WHERE status IN ('requested', 'confirmed', 'arrived', 'completed');
CREATE INDEX appointments_by_contact ON appointments (contact_id, starts_at);
CREATE INDEX appointments_by_staff ON appointments (staff_id, starts_at);
CREATE INDEX appointments_by_start ON appointments (starts_at);

-- The services of an appointment, in the order they are done.
CREATE TABLE appointment_services (
    appointment_id  INTEGER NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    service_id      INTEGER NOT NULL REFERENCES services (id),
    PRIMARY KEY (appointment_id, position)
);

-- A private calendar feed of someone's appointments: a secret address (only its hash is
-- kept) that a calendar app subscribes to, until it is revoked.
CREATE TABLE calendar_feeds (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
