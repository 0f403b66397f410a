import type { MessageCounters } from '../../reconcilers/ports/broker.ts';
import type { ActionName, Finding, FindingKind } from '../../reconcilers/registry.ts';
import type { RepairStatus } from '../../reconcilers/repair.ts';
import type { FindingState } from '../../reconcilers/vocabulary.ts';

// The wire contract: every JSON route's answer, and the bodies and queries it accepts, as JSON carries them (a Date
// is ISO text). The UI imports these types and nothing else of the server, so this file imports types from the
// domain (reconcilers/) only: a store row or an adapter's type here would pull pg or amqplib into the UI's build.
// Handlers send through c.json<…Json>(…), so the compiler checks that they send what the UI reads. Every string
// here may be attacker-controlled: render it as text.

/** The domain's name of an action, which a client sends back to run one. */
export type { ActionName };

/** A domain type as JSON.stringify writes it: every Date becomes ISO text. Distributes over unions. */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** Every error, from any route: `details` only where it helps (a 400 lists each refused parameter). */
export interface ErrorJson {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export type ErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'read-only'
  | 'not-found'
  | 'conflict'
  | 'misdirected-request'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'unprocessable'
  | 'rate-limited'
  | 'internal'
  | 'unavailable';

/** A 400's `details`: one entry per refused parameter. */
export interface InvalidParameter {
  parameter: string;
  message: string;
}

export type Role = 'viewer' | 'operator' | 'admin';

export interface UserJson {
  name: string;
  role: Role;
}

/** GET and POST /api/session. */
export interface SessionJson {
  user: UserJson;
  /** The token writes must carry in X-CSRF-Token; null when signed in by HTTP Basic (no cookie, nothing to forge). */
  csrfToken: string | null;
  readOnly: boolean;
}

export interface SignInBody {
  name: string;
  password: string;
}

/** GET /api/sign-in-options: what the sign-in page offers (anyone may ask; nothing in it is secret). */
export interface SignInOptionsJson {
  /** False when RECON_PASSWORD_SIGNIN=false: no password form, and HTTP Basic is refused too. */
  password: boolean;
  /** The OpenID provider: its name for the button, and where the button goes. */
  oidc: { name: string; startUrl: string } | null;
}

/** POST /api/users: creates the user (201) or sets its role and password (200); answers a UserJson. */
export type UserBody = UserJson & { password: string };

/** DELETE /api/users/:name: the user is gone, and so are their open sessions. */
export interface UserDeletedJson {
  name: string;
  sessionsEnded: number;
}

export interface UserListJson {
  users: UserJson[];
}

// Query parameters travel as text; the server checks each one and answers 400 naming those it refuses.

/**
 * A filter: one of `T`, or any text (a filter the UI copies from its address bar), which the server checks: '' is no
 * filter, anything else it does not know is a 400 naming the parameter. Never silently no filter.
 */
export type Filter<T extends string> = T | (string & {});

export type FindingQuery = {
  kind?: Filter<FindingKind>;
  state?: Filter<FindingState | 'all'>;
  /** A key, an order id or a message id, matched exactly. */
  q?: string;
  limit?: number;
  /** A previous page's `nextCursor`. */
  cursor?: string;
};

export type FindingJson = Wire<Finding>;

export interface FindingPageJson {
  items: FindingJson[];
  nextCursor: string | null;
}

/** GET /api/findings/:id: the finding, what its kind calls it and says of it, and each action's effect in words. */
export type FindingDetailJson = FindingJson & {
  title: string;
  /** What is wrong, in a sentence. */
  explanation: string;
  /** The likely cause, reasoned from the evidence alone. */
  cause: string;
  /** What the evidence points to; null when it does not settle it. `action` null: a step outside Recon. */
  recommendation: { action: ActionName | null; why: string } | null;
  actionDetails: ActionDetailJson[];
  /** The newest action on this finding, to follow it to its end; null when none was taken. */
  latestAction: ActionJson | null;
  /** Resolved: the done action taken before it resolved (null: it resolved on its own, or before any action). */
  resolvedBy: ActionJson | null;
};

export interface ActionDetailJson {
  action: ActionName;
  /** What the action does, in the operator's words. */
  description: string;
  /** What the customer gets once it has run. */
  customerEffect: string;
  /** When this action is the right one, and when it is not. */
  whenToChoose: string;
}

export type OverviewQuery = { minutes?: number };

/** GET /api/overview, and the data of each `overview` event. */
export interface OverviewJson {
  at: string;
  minutes: number;
  bucketSeconds: number;
  /** Every kind, in contract order. */
  findings: KindSummaryJson[];
  history: HistoryPointJson[];
  sources: SourceHealthJson[];
  queues: QueueNowJson[];
  queueHistory: QueueHistoryPointJson[];
  latency: LatencyPointJson[];
  /** How often the slowest source is read (the cycle or the broker poll); absent when the server was not told. */
  pollIntervalSeconds?: number;
  /** What the watched system's configuration turns on and off, and why. */
  features: FeatureJson[];
}

/** One feature of the watched system's configuration: on, or off and why (naming the configuration key). */
export interface FeatureJson {
  feature: string;
  isOn: boolean;
  detail: string;
}

/** GET /api/events: server-sent events by name, each one's data as JSON. */
export interface EventsJson {
  overview: OverviewJson;
  /** Recon's own database could not be read for this event; the stream goes on. */
  'overview-unavailable': ErrorJson;
}

export interface KindSummaryJson {
  kind: FindingKind;
  open: number;
  oldestFirstSeenAt: string | null;
  oldestAgeSeconds: number | null;
  /** Open now minus open 15 minutes ago, whatever the window: the overview's "+40 in 15 min". */
  changeLast15Min: number;
}

export interface HistoryPointJson {
  at: string;
  kind: FindingKind;
  open: number;
}

/** One source Recon reads (orders, dispatch, rabbitmq, recon). Error texts are masked of secrets. */
export interface SourceHealthJson {
  source: string;
  up: boolean;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
}

/** GET /api/sources: each source's health, and what the configuration turns on and off. */
export interface SourcesJson {
  sources: SourceHealthJson[];
  features: FeatureJson[];
}

/** Rates per second; a field the broker did not send is absent, not zero. */
export type MessageRates = MessageCounters;

/** A watched queue from the latest broker poll. A field the broker did not send is absent, not 0. */
export interface QueueNowJson {
  name: string;
  /** False when the broker has no such queue in the watched vhost (deleted, or not declared yet); null: never read. */
  exists: boolean | null;
  /** When these numbers were read; null when the broker was never read. */
  at: string | null;
  /** True when the latest poll failed or is stale: the numbers are the last known, not current. */
  isStale: boolean;
  ready?: number;
  unacked?: number;
  total?: number;
  consumers?: number;
  rates?: MessageRates;
  /** Messages ready and no consumer: nobody is taking them (false when not known). */
  hasReadyWithoutConsumers: boolean;
  /** Ready messages rose at every poll for a minute or more (false when not known). */
  isBacklogGrowing: boolean;
}

export interface QueueHistoryPointJson {
  at: string;
  ok: boolean;
  queues: Array<{ name: string; ready?: number; unacked?: number; consumers?: number; rates: MessageRates }>;
}

export interface LatencyPointJson {
  at: string;
  count: number;
  p50Seconds: number | null;
  p95Seconds: number | null;
}

export type TimelineSource = 'order' | 'outbox' | 'inbox' | 'dispatch' | 'finding' | 'dead-letter' | 'action';

export interface TimelineEventJson {
  at: string;
  source: TimelineSource;
  type: string;
  detail: Record<string, string | number | null>;
}

export type QueueDepthJson = Pick<QueueNowJson, 'name' | 'exists' | 'ready' | 'unacked' | 'consumers'>;

/** GET /api/orders/:orderId/timeline. The rows are the business databases' own, whole. */
export interface OrderTimelineJson {
  orderId: string;
  order: Record<string, unknown> | null;
  outbox: Record<string, unknown>[];
  dispatches: Record<string, unknown>[];
  findings: FindingJson[];
  deadLetters: DeadLetterSummaryJson[];
  events: TimelineEventJson[];
  /** Sources that could not be read: an empty list from them means "unknown", not "none". */
  unavailable: string[];
  /** The watched queues' depth now; null when the broker was not read fresh. */
  broker: { at: string; queues: QueueDepthJson[] } | null;
}

export type DeadLetterQuery = {
  reason?: string;
  /** An order id or message id (exact), or text in the body, parseable or not. */
  q?: string;
  limit?: number;
  cursor?: string;
};

export type DeadLetterState = 'stored' | 'redriven' | 'discarded' | 'consistent';

/** One `x-death` entry, most recent first. */
export interface DeathEntryJson {
  queue: string | null;
  reason: string | null;
  count: number | null;
  /** The broker stamps whole seconds. */
  time: string | null;
  exchange: string | null;
  routingKeys: string[];
}

/** A dead letter in Recon's custody as lists show it: no body, properties or headers. */
export interface DeadLetterSummaryJson {
  id: string;
  queue: string;
  messageId: string | null;
  dedupeKey: string;
  receivedAt: string;
  /** The true size in bytes, however much was kept. */
  bodySize: number;
  bodyTruncated: boolean;
  isParseable: boolean;
  contentType: string | null;
  reason: string;
  deathCount: number;
  originExchange: string | null;
  originRoutingKeys: string[];
  firstDeathQueue: string | null;
  orderId: string | null;
  state: DeadLetterState;
  stateReason: string | null;
}

export interface DeadLetterPageJson {
  items: DeadLetterSummaryJson[];
  nextCursor: string | null;
}

export interface DeadLetterJson extends DeadLetterSummaryJson {
  /** UTF-8 text when the stored bytes are valid UTF-8, base64 otherwise: never a lossy decode. */
  body: { encoding: 'utf8' | 'base64'; text: string };
  /** Present only when the body is whole, valid JSON. */
  parsed?: unknown;
  properties: Record<string, unknown>;
  headers: Record<string, unknown>;
  /** Header entries at every depth as they arrived; null for a letter stored before Recon counted them. */
  headerEntries: number | null;
  /** Of those, how many were not stored (past the byte bound): shown as "headers trimmed". */
  headerEntriesOmitted: number | null;
  xDeath: DeathEntryJson[];
  /** Set when this letter is a redriven copy that died again (its key ends `#replay-N`). */
  replay: DeadLetterReplayJson | null;
}

/** Which copy a replayed letter is, of which letter, and the redrive that sent it (ids link to their pages). */
export interface DeadLetterReplayJson {
  number: number;
  firstLetterId: string | null;
  previousLetterId: string | null;
  action: { id: string; actor: string; status: string } | null;
}

/** POST /api/findings/:id/actions, with an Idempotency-Key header. */
export interface ActionBody {
  action: ActionName;
  reason: string;
  /** The id of a settled (failed) action on the same target that this request runs again on purpose. */
  retryOf?: string;
}

/** `pending` and `in-doubt` are live (one per target); the rest are settled for good. */
export type ActionStatusJson = 'pending' | RepairStatus | 'needs-attention';

export interface ActionJson {
  id: string;
  /** Where to look the action up again. */
  href: string;
  action: ActionName;
  findingId: string;
  target: string;
  status: ActionStatusJson;
  detail: string | null;
  actor: string;
  role: string;
  reason: string;
  idempotencyKey: string;
  messageId: string | null;
  attempts: number;
  bulkId: string | null;
  createdAt: string;
  updatedAt: string;
  settledAt: string | null;
}

/**
 * The action route's refusals: a 409 for another live action on the target, or a 409/422 for the idempotency key's
 * first request, names that action, so a second operator can follow it.
 */
export type ActionRefusalJson = ErrorJson & { action?: ActionJson };

export type ActionQuery = {
  status?: Filter<ActionStatusJson>;
  findingId?: string;
  bulkId?: string;
  limit?: number;
  /** A previous page's `nextBefore`. */
  before?: string;
};

export interface ActionPageJson {
  items: ActionJson[];
  nextBefore: string | null;
}

export type ActionWithAuditJson = ActionJson & { audit: AuditEntryJson[] };

/**
 * A row of the audit log: an action's event, or a user change (`event` user-…, `actionId` null, `action` 'user',
 * `target` 'user:<name>', `actor`/`role` who changed it, `oldRole`/`newRole` the user's roles; no key, no reason).
 */
export interface AuditEntryJson {
  id: string;
  at: string;
  actionId: string | null;
  event:
    | 'requested'
    | 'outcome'
    | 'swept'
    | 'user-created'
    | 'user-promoted'
    | 'user-demoted'
    | 'user-password-changed'
    /** `detail` says how: `password` or `openid <issuer>`; `newRole` is the role granted. */
    | 'user-signed-in'
    /** `oldRole` is the role the user had, `newRole` null; `detail` how many open sessions ended. */
    | 'user-deleted';
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
  /** The finding its action was on; null for a user change. */
  findingId: string | null;
  /** The bulk that made its action; null for a single action or a user change. */
  bulkId: string | null;
}

/** `action` is an action name or `user`; `kind` a finding kind; `from` (at or after) and `to` (before) ISO times. */
export type AuditQuery = {
  actionId?: string;
  actor?: string;
  action?: string;
  kind?: string;
  from?: string;
  to?: string;
  limit?: number;
  before?: string;
};

export interface AuditPageJson {
  items: AuditEntryJson[];
  nextBefore: string | null;
}

/** POST /api/bulk-actions: `findingIds` or `filter`, not both. Executing (no dry run) needs an Idempotency-Key. */
export interface BulkBody {
  action: ActionName;
  reason: string;
  findingIds?: string[];
  filter?: { kind?: Filter<FindingKind>; q?: string };
  dryRun?: boolean;
  ratePerSecond?: number;
}

/** A dry run: what would happen to each item. */
export interface BulkPlanJson {
  action: ActionName;
  total: number;
  willAct: number;
  items: Array<{ findingId: string; plan: 'act' | 'skip'; detail: string }>;
}

/** GET /api/bulk-selection?kind=&q=: the open findings a bulk's filter takes, before any dry run. */
export interface BulkSelectionJson {
  total: number;
  /** The kinds selected, in the registry's order, each with the actions its findings allow. */
  kinds: Array<{ kind: FindingKind; count: number; actions: ActionName[] }>;
}

export type BulkSelectionQuery = { kind?: Filter<FindingKind>; q?: string };

export interface BulkStartedJson {
  id: string;
  href: string;
  total: number;
  /** The same Idempotency-Key started this bulk before: this is that bulk. */
  isReplay: boolean;
}

export type BulkProgressQuery = { after?: number; limit?: number };

/** Computed when read: `interrupted` when its replica stopped, `settling` while items are in doubt. */
export type BulkStatusJson =
  | 'running'
  | 'cancelling'
  | 'cancelled'
  | 'completed'
  | 'completed-with-failures'
  | 'interrupted'
  | 'settling';

/** GET /api/bulk-actions/:id. */
export interface BulkProgressJson {
  id: string;
  action: ActionName;
  actor: string;
  role: string;
  reason: string;
  /** What the operator selected (ids or a filter). */
  selection: unknown;
  ratePerSecond: number;
  status: BulkStatusJson;
  createdAt: string;
  heartbeatAt: string;
  finishedAt: string | null;
  total: number;
  counts: Record<string, number>;
  /** Of the items whose action is done, how many findings are resolved now (the next cycles saw the effect). */
  resolved: number;
  items: BulkItemJson[];
  nextAfter: number | null;
}

export interface BulkItemJson {
  position: number;
  findingId: string;
  /** `queued`, `skipped`, `cancelled`, or the item's action status as it is now (the sweeper may still settle it). */
  outcome: string;
  detail: string | null;
  actionId: string | null;
}

/** POST /api/bulk-actions/:id/cancel (202). */
export interface BulkCancelJson {
  id: string;
  cancelling: boolean;
  status: string;
}

export interface HealthJson {
  ok: true;
  version: string | null;
}

export interface ReadyJson {
  ready: boolean;
}
