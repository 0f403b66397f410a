import type { OutboxFile } from './file-schema-outbox.ts';
import type { ValueSourceInput } from './file-values.ts';
import { child, type IssueList } from './issues.ts';
import type { MarkValue, Outbox, PendingRule, ValueSource } from './model.ts';
import { DEFAULT_MAX_LAG_BYTES, type MarkPublished, OUTBOX_PRESET_NAMES, type PendingKind } from './presets.ts';

// The preset fills the library's names; a key the file gives wins. The pending rule is the preset's unless the
// file gives a key of another rule (`confirmedAt`, `doneStatuses`, `replicationSlot`/`maxLagBytes`): then that rule.

const RULE_KEYS: Record<Exclude<PendingKind, 'row-exists'>, Array<keyof OutboxFile>> = {
  'column-null': ['confirmedAt'],
  'status-not-in': ['doneStatuses'],
  'replication-slot': ['replicationSlot', 'maxLagBytes'],
};

export function resolveOutbox(file: OutboxFile, database: string, path: string, issues: IssueList): Outbox {
  const preset = file.preset ?? 'timestamps';
  const names = OUTBOX_PRESET_NAMES[preset];
  const pick = <K extends keyof OutboxFile & keyof typeof names>(key: K) =>
    file[key] === undefined ? names[key] : (file[key] as NonNullable<(typeof names)[K]>);
  const statusColumn = pick('statusColumn');
  const doneStatuses = pick('doneStatuses');
  const confirmedAt = pick('confirmedAt');
  const kind = pendingKind(file, names.pending, path, issues);
  const pending = toPendingRule(kind, { confirmedAt, statusColumn, doneStatuses }, file, path, issues);

  const failedStatuses = pick('failedStatuses') ?? [];
  if (failedStatuses.length > 0 && statusColumn === null)
    issues.add(child(path, 'statusColumn'), 'required with failedStatuses: the column those statuses are in');
  const failedAfterAttempts = pick('failedAfterAttempts');
  const attempts = pick('attempts');
  if (file.failedAfterAttempts != null && attempts === null)
    issues.add(child(path, 'attempts'), 'required with failedAfterAttempts: the column that counts the attempts');
  // The library retries failed rows, and nothing counts its attempts: a failed row is only pending, never "given up".
  const isFailedKnowable = failedAfterAttempts === null || attempts !== null;
  const delayedUntil = pick('delayedUntil');
  const delayedStatuses = pick('delayedStatuses');
  if (delayedUntil !== null && delayedStatuses !== null && statusColumn === null)
    issues.add(child(path, 'statusColumn'), 'required with delayedStatuses: the column those statuses are in');
  const orderId = file.orderId === undefined ? names.orderId : toValueSource(file.orderId);
  if (orderId === null)
    issues.add(
      child(path, 'orderId'),
      `required with preset ${preset}: the order id is inside the library's serialized event, e.g. ${names.orderIdExample}`,
    );
  const createdAt = pick('createdAt');
  if (createdAt === null && kind !== 'replication-slot')
    issues.add(child(path, 'createdAt'), 'required: the grace period of a pending row counts from it');
  const publishedAt = pick('publishedAt');
  const presetMarks =
    kind === names.pending
      ? (names.markPublished?.({ confirmedAt, statusColumn, doneStatuses, publishedAt }) ?? null)
      : markByRule(pending);
  const markPublished = file.markPublished === undefined ? presetMarks : toMarks(file.markPublished);

  return {
    preset,
    database,
    table: pick('table'),
    pending,
    failed:
      failedStatuses.length > 0 && statusColumn !== null && isFailedKnowable
        ? {
            column: statusColumn,
            values: failedStatuses,
            minAttempts:
              failedAfterAttempts !== null && attempts !== null
                ? { attemptsColumn: attempts, count: failedAfterAttempts }
                : null,
          }
        : null,
    delayed:
      delayedUntil === null
        ? null
        : {
            column: delayedUntil,
            status:
              delayedStatuses !== null && statusColumn !== null
                ? { column: statusColumn, values: delayedStatuses }
                : null,
          },
    filter: file.filter ?? null,
    messageId: file.messageId === undefined ? names.messageId : toValueSource(file.messageId),
    orderId: orderId ?? { column: '' },
    createdAt,
    eventType: pick('eventType'),
    publishedAt,
    attempts,
    lastError: pick('lastError'),
    payload: file.payload === undefined ? names.payload : file.payload === null ? null : toValueSource(file.payload),
    headers: file.headers === undefined ? names.headers : file.headers === null ? null : toValueSource(file.headers),
    markPublished,
  };
}

export function toValueSource(source: ValueSourceInput): ValueSource {
  if (typeof source === 'string') return { column: source };
  if (source.column !== undefined) return { column: source.column };
  return { json: source.json ?? '', path: source.path ?? '' };
}

function pendingKind(file: OutboxFile, presetKind: PendingKind, path: string, issues: IssueList): PendingKind {
  const chosen = (Object.keys(RULE_KEYS) as Array<keyof typeof RULE_KEYS>).filter((kind) =>
    RULE_KEYS[kind].some((key) => file[key] !== undefined),
  );
  if (chosen.length > 1) {
    const keys = chosen.flatMap((kind) => RULE_KEYS[kind].filter((key) => file[key] !== undefined));
    issues.add(path, `${keys.join(', ')} belong to different "not yet published" rules: give the keys of one`);
  }
  return chosen[0] ?? presetKind;
}

function toPendingRule(
  kind: PendingKind,
  names: { confirmedAt: string | null; statusColumn: string | null; doneStatuses: Array<string | number> },
  file: OutboxFile,
  path: string,
  issues: IssueList,
): PendingRule {
  switch (kind) {
    case 'column-null':
      return { kind, column: names.confirmedAt ?? '' };
    case 'status-not-in':
      if (names.statusColumn === null)
        issues.add(child(path, 'statusColumn'), 'required with doneStatuses: the column those statuses are in');
      return { kind, column: names.statusColumn ?? '', done: names.doneStatuses };
    case 'row-exists':
      return { kind };
    case 'replication-slot':
      return { kind, slot: file.replicationSlot ?? null, maxLagBytes: file.maxLagBytes ?? DEFAULT_MAX_LAG_BYTES };
  }
}

/** When the file chose another rule than its preset's: mark the row the way that rule reads it. */
function markByRule(pending: PendingRule): MarkPublished | null {
  switch (pending.kind) {
    case 'column-null':
      return [{ column: pending.column, value: { now: true } }];
    case 'status-not-in':
      return pending.done[0] === undefined ? null : [{ column: pending.column, value: { literal: pending.done[0] } }];
    default:
      return null;
  }
}

/** `now` and `now-if-null` are the time of the write; any other value is written as it is. */
function toMarks(marks: Record<string, string | number> | null): MarkPublished | null {
  if (marks === null || Object.keys(marks).length === 0) return null;
  return Object.entries(marks).map(([column, value]): { column: string; value: MarkValue } => {
    if (value === 'now') return { column, value: { now: true } };
    if (value === 'now-if-null') return { column, value: { now: true, onlyIfNull: true } };
    return { column, value: { literal: value } };
  });
}
