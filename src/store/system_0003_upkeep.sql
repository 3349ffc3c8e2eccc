-- When the daily upkeep (backup, trash purge) last looked at the tenant, so the cron thread
-- opens each file once a day, not every hour.
ALTER TABLE tenants ADD COLUMN upkeep_at TEXT;
