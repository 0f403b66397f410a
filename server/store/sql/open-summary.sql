-- Open findings per kind with the oldest one's first_seen_at, one row for every kind (zeros included).
-- $1 kinds text[] (in output order)
SELECT k.kind, count(f.id)::int AS open, min(f.first_seen_at) AS oldest_first_seen_at
FROM unnest($1::text[]) WITH ORDINALITY AS k (kind, ord)
LEFT JOIN findings f ON f.kind = k.kind AND f.state = 'open'
GROUP BY k.kind, k.ord
ORDER BY k.ord
