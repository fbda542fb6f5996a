-- +goose Up
-- A disabled user keeps their name in the audit log and on what they did, but cannot log in;
-- a user with a password someone else was shown (an invitation or a reset) chooses their own
-- at the next login.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));

-- +goose Down
ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE users DROP COLUMN disabled;
