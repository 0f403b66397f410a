import type { AuditEntry } from '../api/types.ts';

/** One action: its events (newest first), the newest (how it stands) and the request (who asked, why). */
export interface ActionGroup {
  type: 'action';
  actionId: string;
  events: AuditEntry[];
  latest: AuditEntry;
  /** The `requested` row when it is among the loaded rows (an older page may hold it). */
  requested: AuditEntry | undefined;
}

export type AuditGroup =
  | ActionGroup
  | { type: 'bulk'; bulkId: string; actions: ActionGroup[] }
  | { type: 'user'; entry: AuditEntry };

/**
 * The audit rows (newest first) as the page shows them: one row per action with its events inside, the actions of
 * one bulk run together, user changes on their own. Groups keep the order of their newest row.
 */
export function toAuditGroups(entries: readonly AuditEntry[]): AuditGroup[] {
  const groups: AuditGroup[] = [];
  const actions = new Map<string, ActionGroup>();
  const bulks = new Map<string, Extract<AuditGroup, { type: 'bulk' }>>();
  for (const entry of entries) {
    if (!entry.actionId) {
      groups.push({ type: 'user', entry });
      continue;
    }
    const known = actions.get(entry.actionId);
    if (known) {
      known.events.push(entry);
      if (entry.event === 'requested') known.requested = entry;
      continue;
    }
    const action: ActionGroup = {
      type: 'action',
      actionId: entry.actionId,
      events: [entry],
      latest: entry,
      requested: entry.event === 'requested' ? entry : undefined,
    };
    actions.set(entry.actionId, action);
    if (!entry.bulkId) {
      groups.push(action);
      continue;
    }
    const bulk = bulks.get(entry.bulkId);
    if (bulk) bulk.actions.push(action);
    else {
      const group = { type: 'bulk' as const, bulkId: entry.bulkId, actions: [action] };
      bulks.set(entry.bulkId, group);
      groups.push(group);
    }
  }
  return groups;
}
