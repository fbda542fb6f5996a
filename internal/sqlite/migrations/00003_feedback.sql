-- +goose Up
-- "Ni sa – vi gjorde": concerns raised at stops, what was done, and how it was told back.
CREATE TABLE feedback_items (
    id          INTEGER PRIMARY KEY,
    promise_id  INTEGER NOT NULL REFERENCES promises (id) ON DELETE CASCADE,
    locality_id INTEGER NOT NULL REFERENCES localities (id),
    stop_id     INTEGER REFERENCES stops (id),
    topic       TEXT    NOT NULL,
    said        TEXT    NOT NULL,
    action      TEXT    NOT NULL DEFAULT '',
    status      TEXT    NOT NULL CHECK (status IN ('open', 'in_progress', 'closed')),
    feedback_on TEXT,
    channel     TEXT    NOT NULL DEFAULT '' CHECK (channel IN ('', 'next_stop', 'web', 'local_press')),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX feedback_promise ON feedback_items (promise_id, status);

-- +goose Down
DROP TABLE feedback_items;
