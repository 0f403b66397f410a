import type { MessageCounters } from '../../../reconcilers/broker-types.ts';
import type { ActionName } from '../../../reconcilers/repair-types.ts';
import type { Finding as DomainFinding } from '../../../reconcilers/types.ts';
import type { toActionJson, toAuditJson } from '../../../server/http/action-json.ts';
import type { TimelineEvent as ServerTimelineEvent } from '../../../server/http/timeline-events.ts';
import type { LatencyPoint as ServerLatencyPoint } from '../../../server/metrics/latency-history.ts';
import type { BulkRecord, BulkItem as StoredBulkItem } from '../../../server/store/bulk-store.ts';
import type {
  DeadLetter as StoredDeadLetter,
  DeadLetterPage as StoredDeadLetterPage,
  DeadLetterSummary as StoredDeadLetterSummary,
  DeathEntry as StoredDeathEntry,
} from '../../../server/store/dead-letter-types.ts';
import type {
  HistoryPoint,
  OpenSummary,
  FindingPage as StoredFindingPage,
  SourceHealth as StoredSourceHealth,
} from '../../../server/store/types.ts';

// The JSON the server sends, as the UI reads it. Where the server has a type for exactly what a route sends, it is
// imported here (`import type` only: nothing of the server reaches the bundle) and `Wire` turns its Dates into the
// ISO text JSON carries. The rest mirror server/http: their server types live in modules that import pg, pino or
// the broker poller, which the UI must not pull in. Every string here may be attacker-controlled: render as text.

/** A server type as `JSON.stringify` sends it: every Date becomes ISO text. */
type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type { ErrorJson, InvalidParameter } from '../../../server/http/wire.ts';

export type Role = 'viewer' | 'operator' | 'admin';

export interface Session {
  user: { name: string; role: Role };
  csrfToken: string;
  readOnly: boolean;
}

export type Finding = Wire<DomainFinding>;

export type FindingDetail = Finding & {
  /** What each action would do, in the operator's words (for the confirmation). */
  actionDetails?: Array<{ action: string; description: string }>;
};

export type FindingPage = Wire<StoredFindingPage>;

export type SourceHealth = Wire<StoredSourceHealth>;

/** Rates per second; a field the broker did not send is absent, not zero. */
export type MessageRates = MessageCounters;

// server/http/broker-overview.ts: QueueNow, QueueHistoryPoint and toBrokerNow's queues.
export interface QueueNow {
  name: string;
  exists: boolean | null;
  at: string | null;
  isStale: boolean;
  ready?: number;
  unacked?: number;
  total?: number;
  consumers?: number;
  rates?: MessageRates;
}

export interface QueueHistoryPoint {
  at: string;
  ok: boolean;
  queues: Array<{ name: string; ready?: number; unacked?: number; consumers?: number; rates: MessageRates }>;
}

export type BrokerQueueNow = Pick<QueueNow, 'name' | 'exists' | 'ready' | 'unacked' | 'consumers'>;

export type LatencyPoint = Wire<ServerLatencyPoint>;

export type KindSummary = Wire<OpenSummary> & { oldestAgeSeconds: number | null };

export interface Overview {
  at: string;
  minutes: number;
  bucketSeconds: number;
  findings: KindSummary[];
  history: Wire<HistoryPoint>[];
  sources: SourceHealth[];
  queues: QueueNow[];
  queueHistory: QueueHistoryPoint[];
  latency?: LatencyPoint[];
  /** How often the slowest source is read (the cycle or the broker poll); staleness counts three of these. */
  pollIntervalSeconds?: number;
}

export type TimelineEvent = Wire<ServerTimelineEvent>;

export interface OrderTimeline {
  orderId: string;
  order: Record<string, unknown> | null;
  outbox: unknown[];
  dispatches: unknown[];
  findings: Finding[];
  events: TimelineEvent[];
  /** Sources that could not be read: an empty list from them means "unknown", not "none". */
  unavailable: string[];
  broker: { at: string; queues: BrokerQueueNow[] } | null;
}

export type DeathEntry = StoredDeathEntry;

export type DeadLetterSummary = Wire<StoredDeadLetterSummary>;

/** The body as server/http/routes-dead-letters.ts sends it: text, never the stored bytes. */
export type DeadLetter = Wire<Omit<StoredDeadLetter, 'body'>> & {
  body: { encoding: 'utf8' | 'base64'; text: string };
  /** Present only when the body is whole, valid JSON. */
  parsed?: unknown;
};

export type DeadLetterPage = Wire<StoredDeadLetterPage>;

export type Action = ReturnType<typeof toActionJson>;

export type AuditEntry = ReturnType<typeof toAuditJson>;

export type ActionWithAudit = Action & { audit: AuditEntry[] };

export interface ActionPage {
  items: Action[];
  nextBefore: string | null;
}

export interface AuditPage {
  items: AuditEntry[];
  nextBefore: string | null;
}

// server/http/routes-bulk-actions.ts. BulkRecord and BulkItem live in server/store/bulk-store.ts (imports pg),
// PlannedItem in server/actions/bulk-actions.ts (imports pino and node:crypto), Role in server/store/user-store.ts (pg).
export interface BulkPlan {
  action: ActionName;
  total: number;
  willAct: number;
  items: Array<{ findingId: string; plan: 'act' | 'skip'; detail: string }>;
}

export interface BulkStarted {
  id: string;
  href: string;
  total: number;
  isReplay: boolean;
}

export type BulkItem = StoredBulkItem;

export interface BulkProgress extends Omit<Wire<BulkRecord>, 'status'> {
  /** Computed when read: the stored statuses plus `interrupted` and `settling`. */
  status: string;
  counts: Record<string, number>;
  items: BulkItem[];
  nextAfter: number | null;
}

export interface UserList {
  users: Array<{ name: string; role: Role }>;
}
