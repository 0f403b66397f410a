-- Open findings per kind at every bucket time since + n * step, up to until; every kind at every bucket.
-- A finding is open at t when first_seen_at <= t and (resolved_at IS NULL OR resolved_at > t). Rather than test
-- every finding against every bucket, each finding open during the window adds +1 at the first bucket it is open
-- and -1 at the first bucket it is resolved; a running sum per kind is the open count. Cost grows with the
-- findings open during the window, not with every finding ever resolved.
-- $1 since timestamptz, $2 step seconds numeric, $3 until timestamptz, $4 kinds text[] (in output order)
WITH p AS (
  SELECT $1::timestamptz AS since, $2::numeric AS step, $3::timestamptz AS until
),
live AS (
  SELECT kind, first_seen_at, resolved_at FROM findings, p
  WHERE first_seen_at <= p.until AND (state = 'open' OR resolved_at > p.since)
),
deltas AS (
  SELECT kind, greatest(0, ceil(extract(epoch FROM first_seen_at - p.since) / p.step))::int AS n, 1 AS delta
  FROM live, p
  UNION ALL
  SELECT kind, ceil(extract(epoch FROM resolved_at - p.since) / p.step)::int, -1
  FROM live, p
  WHERE resolved_at IS NOT NULL
),
per_bucket AS (
  SELECT kind, n, sum(delta) AS delta FROM deltas GROUP BY kind, n
)
SELECT
  p.since + b.n * make_interval(secs => p.step::float8) AS at,
  k.kind,
  (sum(coalesce(d.delta, 0)) OVER (PARTITION BY k.kind ORDER BY b.n))::int AS open
FROM p
CROSS JOIN generate_series(0, floor(extract(epoch FROM p.until - p.since) / p.step)::int) AS b (n)
CROSS JOIN unnest($4::text[]) WITH ORDINALITY AS k (kind, ord)
LEFT JOIN per_bucket d ON d.kind = k.kind AND d.n = b.n
ORDER BY b.n, k.ord
