-- +goose Up
-- Suspect answers (docs/survey.md, "Suspect answers"). suspect stays what it was: whether the
-- answer is out of the figures now. suspect_reason keeps why it was set aside (too_fast,
-- outside_hours, comma-separated in that order), also after an officer released it; review
-- keeps the officer's decision ('' until reviewed). Answers flagged before this migration
-- were flagged by the one rule there was then.
ALTER TABLE responses ADD COLUMN suspect_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN review TEXT NOT NULL DEFAULT '' CHECK (review IN ('', 'release', 'confirm'));
UPDATE responses SET suspect_reason = 'too_fast' WHERE suspect = 1;

-- A kiosk token expires after 30 days unused (lofte.KioskIdleLimit); its last use is kept to
-- the hour. Tokens in use when this runs count as used now, so no tablet in the field stops
-- working at the upgrade.
ALTER TABLE tokens ADD COLUMN last_used_at TEXT;
UPDATE tokens SET last_used_at = strftime('%Y-%m-%dT%H:00:00Z', 'now') WHERE revoked_at IS NULL;

-- What people decided about data others rely on: who, when, what, about which object.
-- Entries are added, never changed.
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     TEXT    NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    object TEXT    NOT NULL,
    detail TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_object ON audit (object);
CREATE INDEX audit_action ON audit (action);

-- +goose StatementBegin
CREATE TRIGGER audit_unchanged BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit entries are never changed');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit;
ALTER TABLE tokens DROP COLUMN last_used_at;
ALTER TABLE responses DROP COLUMN review;
ALTER TABLE responses DROP COLUMN suspect_reason;
