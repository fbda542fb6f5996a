-- +goose Up
-- Metrics version 2: the built-in Kristianstad promise equates its basorter with "samhällen
-- utanför själva centrala Kristianstad", so every locality of it but the central town is a
-- basort (internal/seed/data/kristianstad-2018/localities.csv). Databases seeded before marked
-- only the six largest; this marks the others, by the promise's slug and the localities' names,
-- and touches no other promise.
UPDATE localities SET basort = 1
WHERE promise_id IN (SELECT id FROM promises WHERE slug = 'kristianstad-2018')
  AND name IN ('Färlöv', 'Everöd', 'Gärds Köpinge', 'Rinkaby', 'Yngsjö', 'Linderöd');

-- +goose Down
UPDATE localities SET basort = 0
WHERE promise_id IN (SELECT id FROM promises WHERE slug = 'kristianstad-2018')
  AND name IN ('Färlöv', 'Everöd', 'Gärds Köpinge', 'Rinkaby', 'Yngsjö', 'Linderöd');
