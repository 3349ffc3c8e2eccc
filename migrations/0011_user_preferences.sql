-- v10 → v11: what each user chooses for themselves: the time zone they read and type times in
-- (an IANA name; none means the workspace's), and whether they hid the first-steps checklist.

ALTER TABLE users ADD COLUMN time_zone TEXT;
ALTER TABLE users ADD COLUMN checklist_hidden_at TEXT;
