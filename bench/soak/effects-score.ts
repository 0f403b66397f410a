import type pg from 'pg';
import type { RobotLog } from './robot.ts';
import type { ScoreLine } from './score-types.ts';

const UNSETTLED = ['pending', 'in-doubt'];

interface ActionRow {
  id: string;
  action: string;
  finding_id: string;
  target: string;
  status: string;
  message_id: string | null;
  terminal_events: number;
}

/**
 * Exactly-once: each action settled once, nothing left pending, each done action's effect present once in the
 * watched databases, and each done publish on the tap queue.
 */
export async function scoreEffects(
  pools: { orders: pg.Pool; dispatch: pg.Pool; recon: pg.Pool },
  robot: RobotLog,
  tapCopies: Map<string, number>,
): Promise<ScoreLine[]> {
  const { rows: actions } = await pools.recon.query<ActionRow>(
    `SELECT a.id, a.action, a.finding_id, a.target, a.status, a.message_id,
            (SELECT count(*)::int FROM audit_log l WHERE l.action_id = a.id AND l.event IN ('outcome', 'swept')
               AND l.outcome NOT IN ('pending', 'in-doubt')) AS terminal_events
     FROM actions a`,
  );
  const byStatus: Record<string, number> = {};
  for (const a of actions) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
  const unsettled = actions.filter((a) => UNSETTLED.includes(a.status));
  const settledTwice = actions.filter((a) => a.terminal_events > 1);
  const done = actions.filter((a) => a.status === 'done');

  const orderOf = async (a: ActionRow) => {
    if (a.target.startsWith('order:')) return a.target.slice('order:'.length);
    if (!a.target.startsWith('outbox:')) return undefined;
    const { rows } = await pools.orders.query<{ id: string }>(
      'SELECT aggregate_id::text AS id FROM outbox WHERE message_id = $1',
      [a.target.slice('outbox:'.length)],
    );
    return rows[0]?.id;
  };
  const doubled: string[] = [];
  const missingEffect: string[] = [];
  for (const a of done) {
    if (a.action === 'discard') continue;
    const orderId = await orderOf(a);
    const { rows } = await pools.dispatch.query<{ live: number }>(
      `SELECT count(*) FILTER (WHERE status <> 'cancelled')::int AS live FROM dispatches WHERE order_id = $1`,
      [orderId],
    );
    const live = rows[0]?.live ?? 0;
    // Cancelling an orphan dispatch leaves none; every other repair leaves exactly one courier for the order.
    const expected = a.action === 'cancel-dispatch' && a.finding_id.startsWith('dispatch-without-order:') ? 0 : 1;
    // An extra courier the ledger owes to a non-idempotent consumer is that fault's (its duplicate-dispatch finding
    // has its own repair), not a second effect of this action.
    if (live > expected && !(await isLedgerDuplicate(pools.orders, orderId)))
      doubled.push(`${a.action} ${a.target}: ${live} live dispatches`);
    if (live < expected) missingEffect.push(`${a.action} ${a.target}: ${live} live dispatches`);
    if (a.action === 'make-up-order') {
      const { rowCount } = await pools.orders.query('SELECT 1 FROM orders WHERE id = $1', [orderId]);
      if (rowCount !== 1) missingEffect.push(`make-up-order ${a.target}: no order`);
    }
  }
  // A republish keeps the outbox message's own id (the relay may have sent it before it crashed, so copies add
  // up); a redeliver publishes under an id derived from the action.
  const publishedId = (a: ActionRow) => (a.action === 'republish' ? a.target.slice('outbox:'.length) : a.message_id);
  const publishes = done.filter((a) => a.action === 'republish' || (a.action === 'redeliver' && a.message_id));
  const unseen = publishes.filter((a) => !tapCopies.get(publishedId(a)!));
  const copies = publishes.reduce((n, a) => n + (tapCopies.get(publishedId(a)!) ?? 0), 0);
  const twice = robot.presses.filter((p) => p.press === 2);
  const duringDisruption = robot.presses.filter((p) => p.isDuringDisruption).length;

  return [
    {
      score: 'actions: requested by the robot',
      value: `${robot.presses.length} presses (${twice.length} second presses, ${duringDisruption} during a disruption), ${robot.bulks.length} bulks; ${actions.length} actions: ${Object.entries(
        byStatus,
      )
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')}`,
      isPass: actions.length > 0,
      detail: robot.errors.length ? `robot errors: ${robot.errors.slice(0, 5).join(' | ')}` : undefined,
    },
    {
      score: 'actions: each settled once, nothing left pending or in doubt',
      value: `${unsettled.length} unsettled, ${settledTwice.length} settled twice`,
      isPass: unsettled.length === 0 && settledTwice.length === 0,
      detail:
        [...unsettled, ...settledTwice]
          .slice(0, 10)
          .map((a) => `${a.action} ${a.target} ${a.status}`)
          .join(', ') || undefined,
    },
    {
      score: 'actions: each done effect present exactly once',
      value: `${done.length - doubled.length - missingEffect.length}/${done.length}`,
      isPass: doubled.length === 0 && missingEffect.length === 0,
      detail: [...doubled, ...missingEffect].slice(0, 10).join('; ') || undefined,
    },
    {
      score: 'actions: each done publish seen on the tap queue',
      value: `${publishes.length - unseen.length}/${publishes.length} (${copies} copies; extra copies are retries the inbox absorbs)`,
      isPass: unseen.length === 0,
      detail: unseen.length
        ? unseen
            .slice(0, 10)
            .map((a) => `${a.action} ${a.message_id}`)
            .join(', ')
        : undefined,
    },
  ];
}

/** Dead letters: every poison message published to the DLQ stored by Recon exactly once, and nothing else. */
export async function scoreDeadLetters(ordersPool: pg.Pool, reconPool: pg.Pool, dlqDepth: number): Promise<ScoreLine> {
  const { rows: poison } = await ordersPool.query<{ id: string }>(
    `SELECT DISTINCT message_id::text AS id FROM demo_faults WHERE kind = 'poison'`,
  );
  const { rows: stored } = await reconPool.query<{ id: string; n: number }>(
    'SELECT message_id AS id, count(*)::int AS n FROM dead_letters GROUP BY message_id',
  );
  const storedCount = new Map(stored.map((r) => [r.id, r.n]));
  const lost = poison.filter((p) => !storedCount.has(p.id));
  const twice = stored.filter((s) => s.n > 1);
  const poisonIds = new Set(poison.map((p) => p.id));
  const unexpected = stored.filter((s) => !poisonIds.has(s.id));
  return {
    score: 'dead letters: published to the DLQ = stored by Recon, each once',
    value: `${poison.length} published, ${stored.length} stored, ${lost.length} lost, ${twice.length} twice, ${unexpected.length} unexpected, ${dlqDepth} left in the queue`,
    isPass: lost.length === 0 && twice.length === 0 && unexpected.length === 0 && dlqDepth === 0,
    detail:
      [
        ...lost.map((l) => `lost ${l.id}`),
        ...twice.map((t) => `twice ${t.id}`),
        ...unexpected.map((u) => `unexpected ${u.id}`),
      ]
        .slice(0, 10)
        .join(', ') || undefined,
  };
}

async function isLedgerDuplicate(orders: pg.Pool, orderId: string | undefined): Promise<boolean> {
  if (orderId === undefined) return false;
  const { rowCount } = await orders.query(
    `SELECT 1 FROM demo_faults WHERE kind = 'non-idempotent' AND order_id::text = $1`,
    [orderId],
  );
  return (rowCount ?? 0) > 0;
}
