-- +goose Up
-- The cell key method (package metrics): every response carries a record key, a uniformly random
-- unsigned 32-bit integer fixed for good, and every response_counts row the sum mod 2^32 of the
-- keys of the responses it counts, so a figure's noise follows from the set of answers alone.
--
-- responses is rebuilt rather than altered, for three reasons: record_key must be NOT NULL
-- without a default (a default would hand every forgotten key the same value); seq, an
-- arrival counter, goes, since nothing may reveal the order in which answers arrived; and the
-- table is keyed by the response's own id WITHOUT ROWID, so no rowid keeps that order either.
--
-- Keys of the responses already stored come from SQLite's random(), which draws on
-- sqlite3_randomness: a ChaCha20 generator seeded from the operating system's entropy. New
-- responses get theirs from Go's crypto/rand when they are stored.
CREATE TABLE responses_new (
    id            TEXT    PRIMARY KEY,
    stop_id       INTEGER NOT NULL REFERENCES stops (id),
    lang          TEXT    NOT NULL,
    answered_date TEXT    NOT NULL,
    answered_hour INTEGER NOT NULL CHECK (answered_hour BETWEEN 0 AND 23),
    answers       TEXT    NOT NULL,
    content_hash  TEXT    NOT NULL,
    suspect       INTEGER NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    received_on   TEXT    NOT NULL,
    record_key    INTEGER NOT NULL CHECK (record_key BETWEEN 0 AND 4294967295)
) WITHOUT ROWID;
INSERT INTO responses_new (id, stop_id, lang, answered_date, answered_hour, answers, content_hash, suspect,
    received_on, record_key)
SELECT id, stop_id, lang, answered_date, answered_hour, answers, content_hash, suspect, received_on,
    random() & 4294967295
FROM responses;
DROP TABLE responses;
ALTER TABLE responses_new RENAME TO responses;
CREATE INDEX responses_stop ON responses (stop_id);

-- Ids are UUIDs compared case-insensitively and stored in lower case from now on. A stored
-- upper-case id whose lower-case form is taken already stays as it is (OR IGNORE), rather
-- than losing a response.
UPDATE OR IGNORE responses SET id = lower(id) WHERE id <> lower(id);

ALTER TABLE response_counts ADD COLUMN keysum INTEGER NOT NULL DEFAULT 0
    CHECK (keysum BETWEEN 0 AND 4294967295);

-- The rows each response is counted in, as the store's addCounts decides them: item '*'
-- option '*' for every response; a number under its decimal text; several options under '*'
-- and under each option; the free-text item (comment, the catalogue's only text item when this
-- was written) under '*'; any other text under itself.
UPDATE response_counts SET keysum = s.keysum
FROM (
    SELECT stop_id, suspect, item, option, sum(record_key) % 4294967296 AS keysum
    FROM (
        SELECT stop_id, suspect, '*' AS item, '*' AS option, record_key FROM responses
        UNION ALL
        SELECT r.stop_id, r.suspect, a.key,
            CASE WHEN a.type = 'integer' THEN CAST(a.value AS TEXT)
                 WHEN a.type = 'array' OR a.key = 'comment' THEN '*'
                 ELSE a.value END,
            r.record_key
        FROM responses r, json_each(r.answers) a
        UNION ALL
        SELECT r.stop_id, r.suspect, a.key, o.value, r.record_key
        FROM responses r, json_each(r.answers) a, json_each(a.value) o
        WHERE a.type = 'array'
    )
    GROUP BY stop_id, suspect, item, option
) AS s
WHERE response_counts.stop_id = s.stop_id AND response_counts.suspect = s.suspect
    AND response_counts.item = s.item AND response_counts.option = s.option;

-- +goose Down
ALTER TABLE response_counts DROP COLUMN keysum;
CREATE TABLE responses_old (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT    NOT NULL UNIQUE,
    stop_id       INTEGER NOT NULL REFERENCES stops (id),
    lang          TEXT    NOT NULL,
    answered_date TEXT    NOT NULL,
    answered_hour INTEGER NOT NULL CHECK (answered_hour BETWEEN 0 AND 23),
    answers       TEXT    NOT NULL,
    content_hash  TEXT    NOT NULL,
    suspect       INTEGER NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    received_on   TEXT    NOT NULL
);
INSERT INTO responses_old (id, stop_id, lang, answered_date, answered_hour, answers, content_hash, suspect, received_on)
SELECT id, stop_id, lang, answered_date, answered_hour, answers, content_hash, suspect, received_on
FROM responses ORDER BY received_on, id;
DROP TABLE responses;
ALTER TABLE responses_old RENAME TO responses;
CREATE INDEX responses_stop ON responses (stop_id);
