import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { type ActionName, inWords, repairOf } from '../../reconcilers/registry.ts';
import type { BulkStore } from '../store/bulk-store.ts';
import type { ReconStore } from '../store/types.ts';
import type { ActionAnswer, ActionService } from './action-service.ts';

/** Findings looked up at once while planning. */
const PLAN_BATCH = 50;
/**
 * A running bulk whose runner has not been heard of for this long was interrupted (its replica stopped): the runner
 * touches the heartbeat before every item, and an item takes at most a confirm timeout plus the rate's gap.
 */
export const BULK_INTERRUPTED_AFTER_MS = 60_000;

export interface PlannedItem {
  findingId: string;
  /** `act`: the action will run (and re-check its premise then); `skip`: it will not, and why. */
  plan: 'act' | 'skip';
  detail: string;
}

export interface BulkRequest {
  action: ActionName;
  reason: string;
  findingIds: readonly string[];
  /** What the operator selected (ids or a filter), kept with the bulk for the audit. */
  selection: unknown;
  ratePerSecond: number;
  actor: string;
  role: string;
  idempotencyKey: string;
  /** The request as asked (action, reason, ids or filter, rate): the same key with another request is refused. */
  asked: unknown;
}

/** `key-reused`: the Idempotency-Key named an earlier bulk that asked for something else (id: that bulk). */
export type BulkStart = { kind: 'started' | 'replayed' | 'key-reused'; id: string };

/** Dry runs, and bulk execution with a rate cap, progress and cancel, one action per finding through the service. */
export function createBulkActions(deps: {
  service: ActionService;
  bulks: BulkStore;
  findings: Pick<ReconStore, 'getFinding'>;
  log: Logger;
}) {
  const { service, bulks, findings, log } = deps;
  const running = new Set<Promise<void>>();
  let isStopping = false;

  async function plan(action: ActionName, findingIds: readonly string[]): Promise<PlannedItem[]> {
    const planned: PlannedItem[] = [];
    for (let i = 0; i < findingIds.length; i += PLAN_BATCH) {
      const batch = findingIds.slice(i, i + PLAN_BATCH);
      planned.push(...(await Promise.all(batch.map((id) => planOne(action, id)))));
    }
    return planned;
  }

  async function planOne(action: ActionName, findingId: string): Promise<PlannedItem> {
    const finding = await findings.getFinding(findingId);
    if (!finding) return { findingId, plan: 'skip', detail: 'no such finding' };
    const repair = finding.actions.some((a) => a === action) ? repairOf(finding.kind, action) : undefined;
    if (!repair) return { findingId, plan: 'skip', detail: `${action} does not apply to a ${finding.kind} finding` };
    if (finding.state === 'resolved') return { findingId, plan: 'skip', detail: 'resolved: nothing to repair' };
    const detail = inWords(() => repair.describe(finding.evidence, finding.key), `${action} ${finding.id}`);
    return { findingId, plan: 'act', detail };
  }

  async function start(request: BulkRequest): Promise<BulkStart> {
    const requestHash = createHash('sha256').update(JSON.stringify(request.asked)).digest('hex');
    const created = await bulks.create({ ...request, id: randomUUID(), requestHash });
    if (!created.isNew) return { kind: created.isSameRequest ? 'replayed' : 'key-reused', id: created.id };
    track(run(created.id, request));
    return { kind: 'started', id: created.id };
  }

  function track(work: Promise<void>) {
    const guarded = work.catch((error: Error) => log.error({ err: error.message }, 'bulk action stopped'));
    running.add(guarded);
    void guarded.finally(() => running.delete(guarded));
  }

  /**
   * Resumes bulks whose replica died (the leader's sweeper calls it): their queued items run here, each under the
   * same idempotency key, so an item the dead replica had already requested replays its action instead of a second.
   */
  async function resumeInterrupted(): Promise<number> {
    let resumed = 0;
    for (let bulk = await bulks.takeInterrupted(BULK_INTERRUPTED_AFTER_MS); bulk && !isStopping; ) {
      resumed += 1;
      log.warn({ bulkId: bulk.id, status: bulk.status }, 'resuming a bulk whose replica stopped');
      if (bulk.status === 'cancelling') {
        await bulks.cancelQueued(bulk.id);
        await bulks.setStatus(bulk.id, 'cancelled', ['cancelling']);
      } else track(run(bulk.id, bulk));
      bulk = await bulks.takeInterrupted(BULK_INTERRUPTED_AFTER_MS);
    }
    return resumed;
  }

  async function run(id: string, request: Pick<BulkRequest, 'action' | 'reason' | 'ratePerSecond' | 'actor' | 'role'>) {
    const gapMs = 1000 / request.ratePerSecond;
    for (let after = -1; ; ) {
      const items = await bulks.items(id, after, 100);
      if (items.length === 0) break;
      for (const item of items) {
        after = item.position;
        if (item.outcome !== 'queued') continue;
        // Shutting down: the rest stays queued and the bulk shows as interrupted.
        if (isStopping) return;
        // The status update is the heartbeat too; it fails once an operator asked to cancel.
        if (!(await bulks.setStatus(id, 'running', ['running']))) {
          await bulks.cancelQueued(id);
          await bulks.setStatus(id, 'cancelled', ['cancelling']);
          return;
        }
        const startedAt = Date.now();
        const answer = await service.request({
          findingId: item.findingId,
          action: request.action,
          reason: request.reason,
          idempotencyKey: `bulk:${id}:${item.position}`,
          actor: request.actor,
          role: request.role,
          bulkId: id,
        });
        await bulks.record(id, item.position, toItemOutcome(answer));
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, gapMs - (Date.now() - startedAt))));
      }
    }
    const counts = await bulks.counts(id);
    const isClean = Object.keys(counts).every((outcome) => outcome === 'done' || outcome === 'superseded');
    await bulks.setStatus(id, isClean ? 'completed' : 'completed-with-failures', ['running', 'cancelling']);
  }

  return {
    plan,
    start,
    resumeInterrupted,
    async cancel(id: string): Promise<boolean> {
      return bulks.setStatus(id, 'cancelling', ['running']);
    },
    /** Waits for the bulks this replica runs (tests). */
    async settled() {
      await Promise.all([...running]);
    },
    /** Stops after the item in progress. */
    async stop() {
      isStopping = true;
      await Promise.all([...running]);
    },
  };
}

export type BulkActions = ReturnType<typeof createBulkActions>;

function toItemOutcome(answer: ActionAnswer): { outcome: string; detail: string | null; actionId: string | null } {
  switch (answer.kind) {
    case 'settled':
      return { outcome: answer.action.status, detail: answer.action.detail, actionId: answer.action.id };
    case 'conflict':
      return {
        outcome: 'skipped',
        detail: `another action on it is ${answer.action.status}: ${answer.action.id}`,
        actionId: null,
      };
    case 'resolved':
      return { outcome: 'superseded', detail: 'resolved: nothing to repair', actionId: null };
    case 'read-only':
      return { outcome: 'failed', detail: 'Recon is read-only (RECON_READ_ONLY)', actionId: null };
    case 'not-found':
      return { outcome: 'skipped', detail: 'no such finding', actionId: null };
    case 'not-applicable':
      return { outcome: 'skipped', detail: answer.detail, actionId: null };
    default:
      // A replay of the item's own key: the runner restarted over an item it had already done.
      return { outcome: 'skipped', detail: `already requested (${answer.kind})`, actionId: null };
  }
}
