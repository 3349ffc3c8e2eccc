-- DATA/system.sqlite: the tenant registry. Each tenant's data lives in its own file.
CREATE TABLE tenants (
    slug          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at    TEXT NOT NULL,
    -- A hint for the mailer: the earliest moment this tenant's outbox may hold due mail, so it
    -- never has to open every tenant file to find work. Set before mail is queued.
    mail_due_at   TEXT,
    -- Queued mail as of the mailer's last look, for /metrics.
    mail_backlog  INTEGER NOT NULL DEFAULT 0,
    -- A hint for the cron thread: the earliest moment this tenant may have timed automation
    -- work (a wait that ends, a retry, a scheduled rule), so it never opens every tenant file.
    jobs_due_at   TEXT,
    -- When the daily upkeep (backup, trash purge) last looked at the tenant, so the cron
    -- thread opens each file once a day, not every hour.
    upkeep_at     TEXT
);
CREATE INDEX tenants_mail_due ON tenants (mail_due_at) WHERE mail_due_at IS NOT NULL;
CREATE INDEX tenants_jobs_due ON tenants (jobs_due_at) WHERE jobs_due_at IS NOT NULL;
