-- +goose Up
-- Short-lived codes that pair a tablet as a kiosk; only their hash is kept.
CREATE TABLE pairing_codes (
    hash       TEXT    PRIMARY KEY,
    created_by TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    used_at    TEXT,
    token_id   INTEGER REFERENCES tokens (id)
);

-- +goose Down
DROP TABLE pairing_codes;
