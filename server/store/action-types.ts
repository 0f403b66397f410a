import type { ActionName } from '../../reconcilers/registry.ts';
import type { RepairStatus } from '../../reconcilers/repair.ts';
import type { Role } from '../auth/user-rules.ts';
import type { UserEvent } from './user-store.ts';

/** `pending` and `in-doubt` are live (one per target); the rest are settled for good. */
export type ActionStatus = 'pending' | RepairStatus | 'needs-attention';
export const LIVE_STATUSES: readonly ActionStatus[] = ['pending', 'in-doubt'];

export interface ActionRecord {
  id: string;
  seq: string;
  action: ActionName;
  findingId: string;
  target: string;
  status: ActionStatus;
  actor: string;
  role: string;
  reason: string;
  idempotencyKey: string;
  messageId: string | null;
  attempts: number;
  detail: string | null;
  bulkId: string | null;
  createdAt: Date;
  updatedAt: Date;
  settledAt: Date | null;
}

/** What an operator asked for, written (with its audit row) before anything else happens. */
export interface ActionIntent {
  id: string;
  action: ActionName;
  findingId: string;
  target: string;
  actor: string;
  role: string;
  reason: string;
  idempotencyKey: string;
  /** sha256 of what the request asked for: a replayed key asking for something else is refused. */
  requestHash: string;
  messageId: string;
  /** How long the executing replica holds the action before the sweeper may take it. */
  leaseMs: number;
  /** A `done` action on the same target blocks new ones this long (until the next cycles can confirm its effect). */
  holdMs: number;
  /**
   * A `failed`, `superseded` or `needs-attention` action, the newest on its target, blocks new ones this long: a
   * press that raced it gets it as the answer. Only a request naming it in `retryOf` runs again meanwhile.
   */
  settledHoldMs: number;
  /** The settled action this request retries on purpose (the client saw its outcome). */
  retryOf?: string;
  /** When the finding acted on opened: a done action from an earlier occurrence does not block. */
  findingOpenedAt: Date;
  bulkId?: string;
}

export type ClaimResult =
  | { kind: 'claimed'; action: ActionRecord }
  /** The same actor sent this idempotency key before. */
  | { kind: 'replay'; action: ActionRecord; requestHash: string; response: unknown }
  /**
   * Another action on the same target is still live, or done so recently that its effect is still on its way, or
   * the newest one settled otherwise so recently that this request raced it (and does not name it in `retryOf`).
   */
  | { kind: 'conflict'; action: ActionRecord };

/**
 * A row of the audit log: an action's event, or a user change (`actionId` null, `action` 'user', `target`
 * 'user:<name>', `actor`/`role` the author, `oldRole`/`newRole` the user's; no key, no reason).
 */
export interface AuditEntry {
  id: string;
  at: Date;
  actionId: string | null;
  event: 'requested' | 'outcome' | 'swept' | UserEvent | 'user-signed-in';
  actor: string;
  role: string;
  action: string;
  target: string;
  idempotencyKey: string | null;
  reason: string | null;
  outcome: string;
  detail: string | null;
  oldRole: Role | null;
  newRole: Role | null;
  /** The finding its action was on, and the bulk that made the action; null for user changes and single actions. */
  findingId: string | null;
  bulkId: string | null;
}

/** Which audit rows: every field optional, all given ones must hold. */
export interface AuditFilter {
  actionId?: string;
  actor?: string;
  /** An action name, or `user` for user changes. */
  action?: string;
  /** The kind of the finding the action was on (user changes have none). */
  kind?: string;
  /** At or after. */
  from?: Date;
  /** Before. */
  to?: Date;
}

export interface ActionQuery {
  status?: ActionStatus;
  findingId?: string;
  bulkId?: string;
  limit: number;
  /** The `seq` of the last item of the previous page. */
  before?: string;
}

export interface ActionStore {
  claim(intent: ActionIntent): Promise<ClaimResult>;
  /** The action this actor created with this idempotency key, if any. */
  findByKey(actor: string, idempotencyKey: string): Promise<Extract<ClaimResult, { kind: 'replay' }> | undefined>;
  /** Moves a live action to `status` and appends its audit row; undefined when it was no longer live. */
  settle(
    id: string,
    outcome: { status: ActionStatus; detail: string },
    event: 'outcome' | 'swept',
    retryAfterMs: number,
  ): Promise<ActionRecord | undefined>;
  /** Keeps the response of the request that created the action, for replays of its idempotency key. */
  saveResponse(id: string, response: unknown): Promise<void>;
  get(id: string): Promise<ActionRecord | undefined>;
  list(query: ActionQuery): Promise<ActionRecord[]>;
  /** The newest actions (at most 100) on `target` or on any of these findings: an order's, for its timeline. */
  about(target: string, findingIds: readonly string[]): Promise<ActionRecord[]>;
  audit(query: AuditFilter & { limit: number; before?: string }): Promise<AuditEntry[]>;
  /** Live actions whose lease ran out, each leased again and its attempt counted, atomically across replicas. */
  takeExpired(leaseMs: number, limit: number): Promise<ActionRecord[]>;
}
