-- Automations: rules, the queue of record events they listen to, their runs and each run's
-- steps, and the marks that keep task.overdue from firing twice for the same due time.

-- A rule is kept as the JSON the API reads (`definition`); the columns beside it are what the
-- engine looks rules up by.
CREATE TABLE automations (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    enabled      INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    event        TEXT,
    schedule     TEXT,
    definition   TEXT NOT NULL,
    -- The next slot of a schedule, UTC.
    next_run_at  TEXT,
    -- Where assign_owner's round robin goes next.
    round_robin  INTEGER NOT NULL DEFAULT 0,
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK ((event IS NULL) != (schedule IS NULL))
);
CREATE INDEX automations_by_event ON automations (event) WHERE enabled = 1 AND event IS NOT NULL;
CREATE INDEX automations_due ON automations (next_run_at) WHERE enabled = 1 AND next_run_at IS NOT NULL;

-- Record events waiting for the worker, written in the transaction of the change that caused
-- them: a change that rolls back fires nothing.
CREATE TABLE automation_events (
    id          INTEGER PRIMARY KEY,
    event       TEXT NOT NULL,
    entity      TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    -- The fields the change altered, as a JSON list of `record.field` paths.
    changed     TEXT NOT NULL DEFAULT '[]',
    label       TEXT,
    -- How many automation steps led to this event; rules stop at a bounded depth.
    depth       INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);

-- One run of a rule for one record (or user, or nothing). It carries the rule as it was when
-- the run began, so editing a rule does not shift the steps of a waiting run.
CREATE TABLE automation_runs (
    id             INTEGER PRIMARY KEY,
    automation_id  INTEGER NOT NULL REFERENCES automations (id) ON DELETE CASCADE,
    definition     TEXT NOT NULL,
    trigger        TEXT NOT NULL,
    subject        TEXT,
    subject_id     INTEGER,
    changed        TEXT NOT NULL DEFAULT '[]',
    label          TEXT,
    depth          INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL CHECK (status IN ('queued', 'waiting', 'retrying', 'done', 'failed', 'skipped')),
    -- The position of the next action to run, and how often it has failed so far.
    next_step      INTEGER NOT NULL DEFAULT 0,
    attempts       INTEGER NOT NULL DEFAULT 0,
    due_at         TEXT,
    error          TEXT,
    created_at     TEXT NOT NULL,
    finished_at    TEXT
);
CREATE INDEX automation_runs_due ON automation_runs (due_at) WHERE status IN ('queued', 'waiting', 'retrying');
CREATE INDEX automation_runs_by_rule ON automation_runs (automation_id, id);
CREATE INDEX automation_runs_by_status ON automation_runs (status, id);

-- Each attempt at each action of a run. A step that changes the workspace commits together
-- with its row here and the run's move to the next step, so a crash never repeats it.
CREATE TABLE automation_steps (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES automation_runs (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    attempt      INTEGER NOT NULL,
    action       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('done', 'failed', 'retrying')),
    detail       TEXT NOT NULL DEFAULT '',
    error        TEXT,
    started_at   TEXT NOT NULL,
    duration_ms  INTEGER NOT NULL,
    UNIQUE (run_id, position, attempt)
);

-- task.overdue fires once per task and due time; moving the due time arms it again.
CREATE TABLE automation_overdue (
    task_id  INTEGER PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    due_at   TEXT NOT NULL
);
