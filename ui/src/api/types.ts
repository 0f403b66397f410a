import type { ActionName } from '../../../reconcilers/repair-types.ts';
import type { FindingKind, FindingState, Severity, Verdict } from '../../../reconcilers/types.ts';

// The JSON the server sends, as the UI reads it. Dates arrive as ISO text. The domain's vocabulary (kinds, actions)
// comes from reconcilers/; the shapes mirror server/http. Every string here may be attacker-controlled: render as text.

export type Role = 'viewer' | 'operator' | 'admin';

export interface Session {
  user: { name: string; role: Role };
  csrfToken: string;
  readOnly: boolean;
}

export interface Finding {
  id: string;
  kind: FindingKind;
  key: string;
  severity: Severity;
  verdict: Verdict;
  state: FindingState;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  evidence: Record<string, unknown>;
  actions: string[];
}

export interface FindingDetail extends Finding {
  /** What each action would do, in the operator's words (for the confirmation). */
  actionDetails?: Array<{ action: string; description: string }>;
}

export interface FindingPage {
  items: Finding[];
  nextCursor: string | null;
}

export interface SourceHealth {
  source: string;
  up: boolean;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
}

/** Rates per second; a field the broker did not send is absent, not zero. */
export interface MessageRates {
  publish?: number;
  deliver?: number;
  redeliver?: number;
  ack?: number;
  confirm?: number;
}

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

export interface LatencyPoint {
  at: string;
  count: number;
  p50Seconds: number | null;
  p95Seconds: number | null;
}

export interface KindSummary {
  kind: FindingKind;
  open: number;
  oldestFirstSeenAt: string | null;
  oldestAgeSeconds: number | null;
}

export interface Overview {
  at: string;
  minutes: number;
  bucketSeconds: number;
  findings: KindSummary[];
  history: Array<{ at: string; kind: FindingKind; open: number }>;
  sources: SourceHealth[];
  queues: QueueNow[];
  queueHistory: QueueHistoryPoint[];
  latency?: LatencyPoint[];
  /** Not sent yet; when the server sends it, staleness follows the configured interval instead of the default. */
  pollIntervalSeconds?: number;
}

export interface TimelineEvent {
  at: string;
  source: 'order' | 'outbox' | 'dispatch' | 'finding' | 'dead-letter';
  type: string;
  detail: Record<string, string | number | null>;
}

export interface BrokerQueueNow {
  name: string;
  exists: boolean | null;
  ready?: number;
  unacked?: number;
  consumers?: number;
}

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

export interface DeathEntry {
  queue: string | null;
  reason: string | null;
  count: number | null;
  time: string | null;
  exchange: string | null;
  routingKeys: string[];
}

export interface DeadLetterSummary {
  id: string;
  queue: string;
  messageId: string | null;
  dedupeKey: string;
  receivedAt: string;
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
  state: string;
  stateReason: string | null;
}

export interface DeadLetter extends DeadLetterSummary {
  body: { encoding: 'utf8' | 'base64'; text: string };
  /** Present only when the body is whole, valid JSON. */
  parsed?: unknown;
  properties: Record<string, unknown>;
  headers: Record<string, unknown>;
  xDeath: DeathEntry[];
}

export interface DeadLetterPage {
  items: DeadLetterSummary[];
  nextCursor: string | null;
}

export interface Action {
  id: string;
  href: string;
  action: ActionName;
  findingId: string;
  target: string;
  status: string;
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

export interface AuditEntry {
  id: string;
  at: string;
  actionId: string;
  event: string;
  actor: string;
  role: string;
  action: string;
  target: string;
  idempotencyKey: string;
  reason: string;
  outcome: string;
  detail: string | null;
}

export interface ActionWithAudit extends Action {
  audit: AuditEntry[];
}

export interface ActionPage {
  items: Action[];
  nextBefore: string | null;
}

export interface AuditPage {
  items: AuditEntry[];
  nextBefore: string | null;
}

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

export interface BulkItem {
  position: number;
  findingId: string;
  outcome: string;
  detail: string | null;
  actionId: string | null;
}

export interface BulkProgress {
  id: string;
  action: ActionName;
  actor: string;
  role: string;
  reason: string;
  selection: unknown;
  ratePerSecond: number;
  status: string;
  createdAt: string;
  heartbeatAt: string;
  finishedAt: string | null;
  total: number;
  counts: Record<string, number>;
  items: BulkItem[];
  nextAfter: number | null;
}

export interface UserList {
  users: Array<{ name: string; role: Role }>;
}
