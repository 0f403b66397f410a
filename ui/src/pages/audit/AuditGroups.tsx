import type { AuditEntry } from '../../api/types.ts';
import { AuditTable } from '../../components/AuditTable.tsx';
import { Ago } from '../../components/Time.tsx';
import type { ActionGroup, AuditGroup } from '../../lib/audit-groups.ts';
import { href } from '../../routing/routes.ts';

/** The audit page's rows: an action per row (open it for its events), a bulk run per row (open it for its actions). */
export function AuditGroups({ groups }: { groups: AuditGroup[] }) {
  return (
    <ul class="audit-groups" data-testid="audit-groups">
      {groups.map((group) => (
        <li key={group.type === 'bulk' ? group.bulkId : group.type === 'user' ? group.entry.id : group.actionId}>
          {group.type === 'bulk' && <BulkRow bulkId={group.bulkId} actions={group.actions} />}
          {group.type === 'action' && <ActionRow group={group} />}
          {group.type === 'user' && <UserRow entry={group.entry} />}
        </li>
      ))}
    </ul>
  );
}

function ActionRow({ group }: { group: ActionGroup }) {
  const { latest, requested } = group;
  return (
    <details class="audit-group" data-testid="audit-action" data-action={latest.action} data-actor={latest.actor}>
      <summary>
        <Ago iso={latest.at} /> <strong>{latest.action}</strong> <TargetLink entry={latest} />{' '}
        <span>by {latest.actor}</span> <span class={`badge status-${latest.outcome}`}>{latest.outcome}</span>
        {requested?.reason && <span class="muted wrap">“{requested.reason}”</span>}
      </summary>
      <p>
        <a href={href.action(group.actionId)}>The action's page</a>
        {latest.findingId && (
          <>
            {' · '}
            <a href={href.finding(latest.findingId)}>its finding</a>
          </>
        )}
      </p>
      <AuditTable entries={group.events} testId="audit-events" showAction={false} />
    </details>
  );
}

function BulkRow({ bulkId, actions }: { bulkId: string; actions: ActionGroup[] }) {
  const first = actions[0]!.latest;
  const outcomes = new Map<string, number>();
  for (const a of actions) outcomes.set(a.latest.outcome, (outcomes.get(a.latest.outcome) ?? 0) + 1);
  return (
    <details class="audit-group bulk" data-testid="audit-bulk" data-actions={String(actions.length)}>
      <summary>
        <Ago iso={first.at} /> <strong>bulk {first.action}</strong> of {actions.length} actions{' '}
        <span>by {first.actor}</span>{' '}
        <span class="muted">{[...outcomes].map(([outcome, n]) => `${outcome} ${n}`).join(', ')}</span>
      </summary>
      <p>
        <a href={href.bulk(bulkId)}>The bulk's progress page</a>
      </p>
      <ul class="audit-groups">
        {actions.map((action) => (
          <li key={action.actionId}>
            <ActionRow group={action} />
          </li>
        ))}
      </ul>
    </details>
  );
}

function UserRow({ entry }: { entry: AuditEntry }) {
  return (
    <div class="audit-group user" data-testid="audit-user">
      <AuditTable entries={[entry]} testId="audit-user-event" />
    </div>
  );
}

/** What the action was on, linked: the order's timeline, the dead letter, or the findings about an outbox message. */
function TargetLink({ entry }: { entry: AuditEntry }) {
  const [type, ...rest] = entry.target.split(':');
  const id = rest.join(':');
  const link =
    type === 'order'
      ? href.order(id)
      : type === 'dead-letter'
        ? href.deadLetter(id)
        : type === 'outbox'
          ? href.findings({ q: id })
          : entry.findingId
            ? href.finding(entry.findingId)
            : null;
  return link ? (
    <a class="mono wrap" href={link} data-testid="audit-target">
      {entry.target}
    </a>
  ) : (
    <span class="mono wrap">{entry.target}</span>
  );
}
