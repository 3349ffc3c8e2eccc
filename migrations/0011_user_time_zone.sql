-- v10 → v11: each user may read and type times in their own time zone (an IANA name); none
-- means the workspace's.

ALTER TABLE users ADD COLUMN time_zone TEXT;
