import { randomUUID } from 'node:crypto';
import type { Replica } from './replicas.ts';

/** What the operator robot presses for each kind it repairs; stuck outbox rows go through bulks instead. */
const SINGLE_ACTION: Record<string, string[]> = {
  'order-without-dispatch': ['redeliver'],
  'dispatch-without-order': ['make-up-order', 'cancel-dispatch'],
  'duplicate-dispatch': ['cancel-dispatch'],
  'dead-letter': ['discard'],
};
const TICK_MS = 3_000;
const SINGLES_PER_TICK = 4;
const BULK_RATE_PER_SECOND = 2;

export interface RobotPress {
  findingId: string;
  action: string;
  at: Date;
  status: number;
  actionId?: string;
  /** Which press of the same intent: 1, or 2 for the second press (same key = a double click, new key = a second operator). */
  press: 1 | 2;
  sameKey?: boolean;
  isDuringDisruption: boolean;
}

export interface RobotLog {
  presses: RobotPress[];
  bulks: Array<{ id: string; at: Date; total: number; isDuringDisruption: boolean }>;
  errors: string[];
}

/** Repairs through the HTTP API as an operator would, against whichever replica is up, until `signal` aborts. */
export async function runRobot(options: {
  replicas: Replica[];
  authorization: string;
  isDisrupted(): boolean;
  signal: AbortSignal;
}): Promise<RobotLog> {
  const { replicas, authorization, isDisrupted, signal } = options;
  const log: RobotLog = { presses: [], bulks: [], errors: [] };
  const acted = new Set<string>();
  let tick = 0;
  let runningBulk: string | undefined;

  const api = async (path: string, init: RequestInit = {}) => {
    const replica = replicas.filter((r) => r.isAlive())[tick % 2] ?? replicas.find((r) => r.isAlive());
    if (!replica) throw new Error('no replica is up');
    const headers = { authorization, 'content-type': 'application/json', ...(init.headers ?? {}) };
    const response = await fetch(`${replica.url}${path}`, { ...init, headers, signal: AbortSignal.timeout(30_000) });
    return { status: response.status, json: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const press = async (findingId: string, action: string, key: string, n: 1 | 2, sameKey?: boolean) => {
    const at = new Date();
    const isDuringDisruption = isDisrupted();
    const { status, json } = await api(`/api/findings/${encodeURIComponent(findingId)}/actions`, {
      method: 'POST',
      headers: { 'idempotency-key': key },
      body: JSON.stringify({ action, reason: 'soak: operator robot repairing a finding' }),
    });
    const actionId = (json.id ?? (json.action as { id?: string } | undefined)?.id) as string | undefined;
    log.presses.push({ findingId, action, at, status, actionId, press: n, sameKey, isDuringDisruption });
  };

  while (!signal.aborted) {
    tick += 1;
    try {
      const { json } = await api('/api/findings?state=open&limit=500');
      const open = (json.items ?? []) as Array<{ id: string; kind: string }>;
      const fresh = open.filter((f) => SINGLE_ACTION[f.kind] && !acted.has(f.id)).slice(0, SINGLES_PER_TICK);
      for (const [i, finding] of fresh.entries()) {
        acted.add(finding.id);
        const choices = SINGLE_ACTION[finding.kind]!;
        const action = choices[(tick + i) % choices.length]!;
        const key = randomUUID();
        // Every third intent is pressed twice: alternately a double click (same key) and a second operator.
        if (i % 3 === 0) {
          const sameKey = tick % 2 === 0;
          await Promise.all([
            press(finding.id, action, key, 1),
            press(finding.id, action, sameKey ? key : randomUUID(), 2, sameKey),
          ]);
        } else await press(finding.id, action, key, 1);
      }
      if (runningBulk) {
        const { json: bulk } = await api(`/api/bulk-actions/${runningBulk}`);
        if (!['running', 'cancelling'].includes(String(bulk.status))) runningBulk = undefined;
      }
      const stuck = open.filter((f) => f.kind === 'stuck-outbox' && !acted.has(f.id));
      if (!runningBulk && stuck.length >= 2) {
        for (const f of stuck) acted.add(f.id);
        const { status, json: started } = await api('/api/bulk-actions', {
          method: 'POST',
          headers: { 'idempotency-key': randomUUID() },
          body: JSON.stringify({
            action: 'republish',
            reason: 'soak: republishing stuck outbox rows',
            findingIds: stuck.map((f) => f.id),
            ratePerSecond: BULK_RATE_PER_SECOND,
          }),
        });
        if (status === 202) {
          runningBulk = String(started.id);
          log.bulks.push({ id: runningBulk, at: new Date(), total: stuck.length, isDuringDisruption: isDisrupted() });
        } else log.errors.push(`bulk refused: ${status} ${JSON.stringify(started)}`);
      }
    } catch (err) {
      if (!signal.aborted) log.errors.push(`${new Date().toISOString()} ${(err as Error).message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  return log;
}
