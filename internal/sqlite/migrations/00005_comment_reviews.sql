-- +goose Up
-- The moderation of visitors' comments: a comment is shown outside the queue only once a person
-- approved it (docs/access.md, "What leaves the app"). A response with a comment and no row here is pending. An edited
-- text replaces the visitor's wherever the comment is shown; the visitor's own stays in answers.
CREATE TABLE comment_reviews (
    response_id TEXT    PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    edited_text TEXT,
    reviewed_by TEXT,
    reviewed_at TEXT
) WITHOUT ROWID;

-- +goose Down
DROP TABLE comment_reviews;
