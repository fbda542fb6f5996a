-- +goose Up
-- A stop's version rises with every update, so a form or API client that read version n can
-- be refused when someone else saved since, instead of silently overwriting them (a +1 tap on
-- the visitor counter only adds to the tally and leaves the version as it is).
ALTER TABLE stops ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE stops DROP COLUMN version;
