-- +goose Up
-- Metrics version 2: survey figures are protected by the cell key method with a threshold
-- (min_n, default 10, never below 5), and an indicator needs status_min_n perturbed answers
-- before it gets a status. Promises still on version 1's default of 5 move to the new one.
ALTER TABLE promises ADD COLUMN status_min_n INTEGER NOT NULL DEFAULT 100 CHECK (status_min_n >= 1);
UPDATE promises SET min_n = 10 WHERE min_n = 5;

-- +goose Down
ALTER TABLE promises DROP COLUMN status_min_n;
