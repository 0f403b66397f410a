import { createHash, randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import type { RepairPorts } from '../../reconcilers/ports/repair.ts';
import { ACTION_NAMES, type ActionName, repairOf } from '../../reconcilers/registry.ts';
import { type ActionRecord, type ActionStore, LIVE_STATUSES } from '../store/action-types.ts';
import type { ReconStore } from '../store/types.ts';
import { crashAt, type FaultPoint, runRepair } from './run-repair.ts';

export interface ActionRequest {
  findingId: string;
  action: string;
  reason: string;
  idempotencyKey: string;
  actor: string;
  role: string;
  bulkId?: string;
  /** The settled action on the same target this request runs again on purpose (see ActionIntent.retryOf). */
  retryOf?: string;
}

/** Every answer the HTTP layer turns into a status code; expected outcomes are values, not exceptions. */
export type ActionAnswer =
  | { kind: 'settled'; action: ActionRecord }
  | { kind: 'replayed'; response: unknown }
  | { kind: 'key-reused'; action: ActionRecord }
  | { kind: 'in-progress'; action: ActionRecord }
  | { kind: 'conflict'; action: ActionRecord }
  | { kind: 'not-found' }
  /** Nothing to repair: the data agrees again. */
  | { kind: 'resolved'; resolvedAt: Date | null }
  | { kind: 'not-applicable'; detail: string }
  | { kind: 'read-only' };

export interface ActionServiceDeps {
  actions: ActionStore;
  findings: Pick<ReconStore, 'getFinding'>;
  ports: RepairPorts;
  counter: Counter<'action' | 'outcome'>;
  isReadOnly: boolean;
  /** How long a replica holds a claimed action before the sweeper may take it over. */
  leaseMs: number;
  /** When an in-doubt action is looked at again. */
  retryAfterMs: number;
  /** How long a done action blocks another on its target (see ActionIntent.holdMs). */
  holdMs: number;
  /** How long a failed (superseded, needs-attention) action answers presses that do not name it in retryOf. */
  settledHoldMs?: number;
  faultPoint?: FaultPoint;
}

export type ActionService = ReturnType<typeof createActionService>;

/**
 * A press that raced a fast-failing action arrives after it settled, within milliseconds (seconds under load); so
 * does a double click with a fresh key. Either is answered with that action. A retry names it (retryOf) and runs at
 * once; a request without retryOf runs again only after this long.
 */
export const SETTLED_HOLD_MS = 30_000;

/** The protocol of DESIGN.md "Actions: safe to press twice", steps 1–5; the sweeper does step 6. */
export function createActionService(deps: ActionServiceDeps) {
  const { actions, findings, ports, counter } = deps;

  async function request(req: ActionRequest): Promise<ActionAnswer> {
    if (deps.isReadOnly) return { kind: 'read-only' };
    // A replay gets the first answer even when the finding has resolved since.
    const earlier = await actions.findByKey(req.actor, req.idempotencyKey);
    if (earlier) return answerReplay(earlier, req);
    const finding = await findings.getFinding(req.findingId);
    if (!finding) return { kind: 'not-found' };
    // A finding's actions are those its kind has and the configuration offers.
    const action = isActionName(req.action) && finding.actions.some((a) => a === req.action) ? req.action : undefined;
    const repair = action && repairOf(finding.kind, action);
    if (!action || !repair)
      return { kind: 'not-applicable', detail: `${req.action} does not apply to a ${finding.kind} finding` };
    if (finding.state === 'resolved') return { kind: 'resolved', resolvedAt: finding.resolvedAt };
    const id = randomUUID();
    const claim = await actions.claim({
      id,
      action,
      findingId: finding.id,
      target: repair.target(finding.evidence, finding.key),
      actor: req.actor,
      role: req.role,
      reason: req.reason,
      idempotencyKey: req.idempotencyKey,
      requestHash: hashOf(req),
      messageId: messageIdFor(action, id),
      leaseMs: deps.leaseMs,
      holdMs: deps.holdMs,
      settledHoldMs: deps.settledHoldMs ?? SETTLED_HOLD_MS,
      retryOf: req.retryOf,
      findingOpenedAt: finding.firstSeenAt,
      bulkId: req.bulkId,
    });
    if (claim.kind === 'replay') return answerReplay(claim, req);
    if (claim.kind === 'conflict') return { kind: 'conflict', action: claim.action };
    crashAt(deps.faultPoint, 'after-intent');
    const outcome = await runRepair(claim.action, finding, ports, { isRetry: false, faultPoint: deps.faultPoint });
    const settled = await actions.settle(id, outcome, 'outcome', deps.retryAfterMs);
    if (settled) counter.inc({ action: settled.action, outcome: settled.status });
    // Not live any more means the sweeper got there first (this replica was slower than its lease): report that.
    return { kind: 'settled', action: settled ?? (await actions.get(id)) ?? claim.action };
  }

  return {
    request,
    /** Called by the HTTP layer once it has the response the first request got. */
    saveResponse: (actionId: string, response: unknown) => actions.saveResponse(actionId, response),
  };
}

function answerReplay(
  earlier: { action: ActionRecord; requestHash: string; response: unknown },
  req: ActionRequest,
): ActionAnswer {
  if (earlier.requestHash !== hashOf(req)) return { kind: 'key-reused', action: earlier.action };
  if (earlier.response !== null) return { kind: 'replayed', response: earlier.response };
  // Settled, but the first request never got to save its answer (it crashed): the action itself is the answer.
  return LIVE_STATUSES.includes(earlier.action.status)
    ? { kind: 'in-progress', action: earlier.action }
    : { kind: 'settled', action: earlier.action };
}

const isActionName = (name: string): name is ActionName => (ACTION_NAMES as readonly string[]).includes(name);

/**
 * What the request asked for; the idempotency key and actor are how it is looked up, not what it asks. retryOf only
 * when present, so the keys of requests made before it existed replay as before.
 */
const hashOf = (req: ActionRequest) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        req.findingId,
        req.action,
        req.reason,
        req.bulkId ?? null,
        ...(req.retryOf ? [req.retryOf] : []),
      ]),
    )
    .digest('hex');

/**
 * `redeliver` publishes under an id of its own, derived from the action so every retry of it reuses the id (DESIGN:
 * Actions, step 4); a uuid, because the consumer's inbox stores uuids. The other actions keep the message's own id.
 */
export function messageIdFor(action: ActionName, actionId: string): string {
  const hex = createHash('sha256').update(`recon:${action}:${actionId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((Number.parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
