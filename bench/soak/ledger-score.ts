import type pg from 'pg';
import type { DisruptionRecord } from './disruptions.ts';
import { EXPECTED, isWithin, KIND_SOURCES, percentile, type ScoreLine, seconds } from './score-types.ts';

/** How long after a disruption's end its leftovers (a backlog draining) still count as "during" it. */
const AFTERMATH_MS = 30_000;
/** A cycle that read its sources just before a cut may store its findings just after: not "opened while down". */
const CUT_SLACK_MS = 15_000;

interface FindingRow {
  id: string;
  kind: string;
  key: string;
  first_seen_at: Date;
  message_id: string | null;
}

/** Recall per ledger kind with detection latency, and precision: every finding Recon opened is explained. */
export async function scoreLedger(
  ordersPool: pg.Pool,
  reconPool: pg.Pool,
  disruptions: DisruptionRecord[],
): Promise<{ lines: ScoreLine[]; ledgerCounts: Record<string, number> }> {
  const { rows: ledger } = await ordersPool.query<{
    kind: string;
    order_id: string | null;
    message_id: string | null;
    at: Date;
  }>('SELECT kind, order_id::text, message_id::text, at FROM demo_faults ORDER BY id');
  const { rows: findings } = await reconPool.query<FindingRow>(
    `SELECT id, kind, key, first_seen_at, evidence ->> 'messageId' AS message_id FROM findings`,
  );
  const ledgerCounts: Record<string, number> = {};
  for (const row of ledger) ledgerCounts[row.kind] = (ledgerCounts[row.kind] ?? 0) + 1;
  const findingOf = (kind: string, key: string) =>
    findings.find((f) => f.kind === kind && (f.key === key || f.message_id === key));

  const lines: ScoreLine[] = [];
  const explained = new Set<string>();
  for (const [fault, { kind, keyColumn }] of Object.entries(EXPECTED)) {
    // A fault recorded several times for one key (the relay crashing on each retry) is one fault, from its first time.
    const firstAt = new Map<string, Date>();
    for (const row of ledger.filter((r) => r.kind === fault && r[keyColumn])) {
      if (!firstAt.has(row[keyColumn]!)) firstAt.set(row[keyColumn]!, row.at);
    }
    const missed: string[] = [];
    const latency = { calm: [] as number[], disrupted: [] as number[] };
    for (const [key, at] of firstAt) {
      const finding = findingOf(kind, key);
      if (!finding) {
        missed.push(key);
        continue;
      }
      explained.add(finding.id);
      const isDisrupted = isWithin(
        at,
        disruptions,
        ['broker', 'management', 'orders-db', 'dispatch-db', 'network'],
        AFTERMATH_MS,
      );
      latency[isDisrupted ? 'disrupted' : 'calm'].push(finding.first_seen_at.getTime() - at.getTime());
    }
    const stats = (v: number[]) =>
      v.length ? `${seconds(percentile(v, 50))} / ${seconds(percentile(v, 95))} / ${seconds(Math.max(...v))}` : '–';
    lines.push({
      score: `recall: ${fault} → ${kind}`,
      value: `${firstAt.size - missed.length}/${firstAt.size}; latency p50/p95/max calm ${stats(latency.calm)}, during a disruption ${stats(latency.disrupted)}`,
      isPass: missed.length === 0,
      detail: missed.length
        ? `missed: ${missed.slice(0, 10).join(', ')}`
        : firstAt.size === 0
          ? 'no such fault happened in this run: not measured'
          : undefined,
    });
  }

  // A rolled-back order's dispatch is a real orphan until the replenisher makes the order up; a disruption that
  // delays the replenisher past the grace period makes that a true, transient finding, not a false one.
  const rolledBack = new Set(ledger.filter((r) => r.kind === 'publish-then-rollback').map((r) => r.order_id));
  const transient: string[] = [];
  const unexplained: string[] = [];
  const openedWhileDown: string[] = [];
  for (const f of findings) {
    if (isWithin(f.first_seen_at, disruptions, KIND_SOURCES[f.kind] ?? [], 0, CUT_SLACK_MS)) openedWhileDown.push(f.id);
    if (explained.has(f.id)) continue;
    const isBrokerWatch = f.kind === 'unacked-stuck' || f.kind === 'unconfirmed-publishes';
    if (f.kind === 'dispatch-without-order' && rolledBack.has(f.key)) transient.push(f.id);
    else if (isBrokerWatch && isWithin(f.first_seen_at, disruptions, ['broker', 'network'], AFTERMATH_MS))
      transient.push(f.id);
    else unexplained.push(f.id);
  }
  lines.push({
    score: 'precision: every finding maps to a ledger fault or an expected transient',
    value: `${findings.length - unexplained.length}/${findings.length} (${transient.length} transient)`,
    isPass: unexplained.length === 0,
    detail:
      [
        unexplained.length ? `unexplained: ${unexplained.slice(0, 10).join(', ')}` : '',
        transient.length ? `transient (allowed): ${transient.slice(0, 5).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ') || undefined,
  });
  lines.push({
    score: 'precision: no finding opened while a source it reads was down',
    value: `${openedWhileDown.length}`,
    isPass: openedWhileDown.length === 0,
    detail: openedWhileDown.length ? openedWhileDown.slice(0, 10).join(', ') : undefined,
  });
  return { lines, ledgerCounts };
}
