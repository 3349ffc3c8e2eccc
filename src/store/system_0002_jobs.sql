-- A hint for the cron thread: the earliest moment a tenant may have timed automation work (a
-- wait that ends, a retry, a scheduled rule), so it never has to open every tenant file.
ALTER TABLE tenants ADD COLUMN jobs_due_at TEXT;
CREATE INDEX tenants_jobs_due ON tenants (jobs_due_at) WHERE jobs_due_at IS NOT NULL;
