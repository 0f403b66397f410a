import type { ActionRecord, AuditEntry } from '../store/action-types.ts';
import type { ActionJson, AuditEntryJson } from './wire.ts';

/** An action as the API shows it: dates as ISO text, plus where to look it up again. */
export const toActionJson = (a: ActionRecord): ActionJson => ({
  id: a.id,
  href: `/api/actions/${a.id}`,
  action: a.action,
  findingId: a.findingId,
  target: a.target,
  status: a.status,
  detail: a.detail,
  actor: a.actor,
  role: a.role,
  reason: a.reason,
  idempotencyKey: a.idempotencyKey,
  messageId: a.messageId,
  attempts: a.attempts,
  bulkId: a.bulkId,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
  settledAt: a.settledAt?.toISOString() ?? null,
});

export const toAuditJson = (e: AuditEntry): AuditEntryJson => ({ ...e, at: e.at.toISOString() });
