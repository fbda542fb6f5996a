-- +goose Up
-- The responses that carry a comment, by stop: the comment lists and the workbook's Synpunkter
-- sheet read these alone instead of every response's answers. The condition is the one the
-- comment queries use (commentColumns in comment.go), word for word, so the planner uses it.
CREATE INDEX responses_comment ON responses (stop_id) WHERE json_type(answers, '$.comment') = 'text';

-- +goose Down
DROP INDEX responses_comment;
