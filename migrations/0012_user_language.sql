-- v11 → v12: the language each user reads the product in (the one they chose, none: their
-- browser's; and the one their browser asked for when they last signed in, for mails), and
-- timeline sentences each reader reads in their language.
ALTER TABLE users ADD COLUMN language TEXT;
ALTER TABLE users ADD COLUMN browser_language TEXT;

-- A timeline entry's sentence as its catalogue key and blanks (JSON), so each viewer reads
-- it in their own language; `summary` keeps it in English, for the API and search.
ALTER TABLE activities ADD COLUMN said TEXT;
