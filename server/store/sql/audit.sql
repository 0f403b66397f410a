-- The audit log, newest first, with the finding and the bulk of each row's action (user changes have neither).
-- Every filter is optional (NULL: any). A finding's id starts with its kind (`kind:key`), so the kind filter needs
-- no join to findings, which may be pruned while the audit stays.
-- $1 action_id uuid, $2 before id bigint, $3 limit int, $4 actor text, $5 action text, $6 kind text,
-- $7 from timestamptz (at or after), $8 to timestamptz (before)
SELECT l.*, a.finding_id, a.bulk_id
FROM audit_log l
LEFT JOIN actions a ON a.id = l.action_id
WHERE ($1::uuid IS NULL OR l.action_id = $1)
  AND ($2::bigint IS NULL OR l.id < $2)
  AND ($4::text IS NULL OR l.actor = $4)
  AND ($5::text IS NULL OR l.action = $5)
  AND ($6::text IS NULL OR starts_with(a.finding_id, $6 || ':'))
  AND ($7::timestamptz IS NULL OR l.at >= $7)
  AND ($8::timestamptz IS NULL OR l.at < $8)
ORDER BY l.id DESC
LIMIT $3
