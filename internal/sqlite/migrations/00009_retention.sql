-- +goose Up
-- Retention (README, "Retention"): a promise's free text is deleted retention_months after its
-- end, its responses as long again later; 0 keeps both. The per-stop counts stay, so the
-- figures do too.
ALTER TABLE promises ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 12
    CHECK (retention_months BETWEEN 0 AND 120);

-- A database that already holds the synthetic demo year (its baseline carries the demo's
-- label, internal/demo.BaselineSource) keeps its free text, as `serve --demo` sets from now on,
-- so the demo still has comments to show.
UPDATE promises SET retention_months = 0
WHERE id IN (SELECT promise_id FROM baselines WHERE source = 'Syntetisk baslinje (demodata)');

-- The ids of deleted responses, and nothing else: a kiosk retrying an upload after its
-- responses were deleted is told "duplicate" instead of having the answer stored and counted
-- twice. Keyed by the id, so the table keeps no order of arrival or deletion.
CREATE TABLE retired_responses (
    id TEXT PRIMARY KEY
) WITHOUT ROWID;

-- +goose Down
DROP TABLE retired_responses;
ALTER TABLE promises DROP COLUMN retention_months;
