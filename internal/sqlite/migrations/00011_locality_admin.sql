-- +goose Up
-- Basorter are kept in the browser: where a population figure comes from and for which year,
-- so the weights of an area figure can be judged, and when a place stopped being visited. A
-- retired place keeps its stops, answers and figures and gets no new stops.
ALTER TABLE localities ADD COLUMN population_source TEXT NOT NULL DEFAULT '';
ALTER TABLE localities ADD COLUMN population_year INTEGER NOT NULL DEFAULT 0;
ALTER TABLE localities ADD COLUMN retired_at TEXT;
-- The built-in promise's figures are of 2018 (internal/seed/data/kristianstad-2018).
UPDATE localities SET population_year = 2018
WHERE promise_id IN (SELECT id FROM promises WHERE slug = 'kristianstad-2018');

-- +goose Down
ALTER TABLE localities DROP COLUMN retired_at;
ALTER TABLE localities DROP COLUMN population_year;
ALTER TABLE localities DROP COLUMN population_source;
