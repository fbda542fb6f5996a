-- +goose Up
-- application_id marks the file as ours ("MLOF"), so another program's database is refused.
PRAGMA application_id = 1296846662;

CREATE TABLE promises (
    id           INTEGER PRIMARY KEY,
    slug         TEXT    NOT NULL UNIQUE,
    title        TEXT    NOT NULL,
    municipality TEXT    NOT NULL,
    police_area  TEXT    NOT NULL,
    period_from  TEXT    NOT NULL,
    period_to    TEXT    NOT NULL,
    excluded     TEXT    NOT NULL DEFAULT '[]',
    summary      TEXT    NOT NULL DEFAULT '',
    signed_on    TEXT    NOT NULL DEFAULT '',
    signed_by    TEXT    NOT NULL DEFAULT '',
    min_n        INTEGER NOT NULL DEFAULT 5 CHECK (min_n >= 1),
    outcomes     TEXT    NOT NULL DEFAULT '[]',
    active       INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    created_at   TEXT    NOT NULL
);
CREATE UNIQUE INDEX promises_one_active ON promises (active) WHERE active = 1;

CREATE TABLE localities (
    id          INTEGER PRIMARY KEY,
    promise_id  INTEGER NOT NULL REFERENCES promises (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    population  INTEGER NOT NULL DEFAULT 0 CHECK (population >= 0),
    lat         REAL    NOT NULL,
    lon         REAL    NOT NULL,
    basort      INTEGER NOT NULL CHECK (basort IN (0, 1)),
    coordinates TEXT    NOT NULL CHECK (coordinates IN ('published', 'approximate')),
    UNIQUE (promise_id, name)
);

CREATE TABLE baselines (
    id          INTEGER PRIMARY KEY,
    promise_id  INTEGER NOT NULL REFERENCES promises (id) ON DELETE CASCADE,
    locality_id INTEGER REFERENCES localities (id) ON DELETE CASCADE,
    metric      TEXT    NOT NULL,
    value       REAL    NOT NULL CHECK (value BETWEEN 0 AND 1),
    source      TEXT    NOT NULL
);
CREATE UNIQUE INDEX baselines_key ON baselines (promise_id, coalesce(locality_id, 0), metric);

CREATE TABLE stops (
    id             INTEGER PRIMARY KEY,
    promise_id     INTEGER NOT NULL REFERENCES promises (id) ON DELETE CASCADE,
    locality_id    INTEGER NOT NULL REFERENCES localities (id),
    place          TEXT    NOT NULL,
    starts_at      TEXT    NOT NULL,
    ends_at        TEXT    NOT NULL,
    -- the start's day in the promise's zone, for date filters without time-zone arithmetic
    local_date     TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('regular', 'event')),
    status         TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'held', 'cancelled')),
    published_at   TEXT,
    cancel_reason  TEXT    NOT NULL DEFAULT '',
    actual_start   TEXT,
    actual_end     TEXT,
    staff          INTEGER NOT NULL DEFAULT 0 CHECK (staff >= 0),
    visitors       INTEGER NOT NULL DEFAULT 0 CHECK (visitors >= 0),
    c_crime_report INTEGER NOT NULL DEFAULT 0 CHECK (c_crime_report >= 0),
    c_tip          INTEGER NOT NULL DEFAULT 0 CHECK (c_tip >= 0),
    c_advice       INTEGER NOT NULL DEFAULT 0 CHECK (c_advice >= 0),
    c_other        INTEGER NOT NULL DEFAULT 0 CHECK (c_other >= 0),
    topics         TEXT    NOT NULL DEFAULT '[]',
    notes          TEXT    NOT NULL DEFAULT '',
    sequence       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX stops_promise_date ON stops (promise_id, local_date);
CREATE INDEX stops_locality ON stops (locality_id, local_date);

-- seq orders responses for export paging; id is the client's UUID.
CREATE TABLE responses (
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
CREATE INDEX responses_stop ON responses (stop_id);

-- Per-stop counts of every answered option, kept in the insert's transaction, so figures are
-- computed from counts rather than by reading every response. item '*' counts responses,
-- option '*' counts respondents who answered a multi-choice or text item.
CREATE TABLE response_counts (
    stop_id INTEGER NOT NULL REFERENCES stops (id),
    suspect INTEGER NOT NULL CHECK (suspect IN (0, 1)),
    item    TEXT    NOT NULL,
    option  TEXT    NOT NULL,
    n       INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (stop_id, suspect, item, option)
) WITHOUT ROWID;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'officer', 'council')),
    password_hash TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
);

CREATE TABLE sessions (
    hash       TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('admin', 'officer', 'council', 'kiosk')),
    hash       TEXT    NOT NULL UNIQUE,
    created_at TEXT    NOT NULL,
    revoked_at TEXT
);

-- +goose Down
DROP TABLE tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE response_counts;
DROP TABLE responses;
DROP TABLE stops;
DROP TABLE baselines;
DROP TABLE localities;
DROP TABLE promises;
