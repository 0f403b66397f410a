import { child, formatPath } from './issues.ts';
import type { FeatureNote, Flow, Outbox, WatchedSystem } from './model.ts';

// What Recon can and cannot do for this system, one note per optional feature, each naming the key that decides
// it: logged at start, shown on /api/sources, printed by `recon check`. A feature is never silently off.

/** On, saying how; or off, saying why (`whyOff` non-null). */
const feature = (name: string, whyOff: string | null, howOn: string): FeatureNote => ({
  feature: name,
  isOn: whyOff === null,
  detail: whyOff ?? howOn,
});

export function describeFeatures(system: Pick<WatchedSystem, 'databases' | 'flow'>, path = 'flows[0]'): FeatureNote[] {
  const { order, outbox, message, dispatch, inbox, deadLetterQueues } = system.flow;
  const at = (...keys: string[]) => keys.reduce(child, path);
  const isNull = (value: unknown, key: string, consequence: string) =>
    value === null ? `${key} is null: ${consequence}` : null;
  const fullSweepOnly =
    'changes are seen by the full sweep only (every RECON_SWEEP_INTERVAL_SECONDS; 120 s unless that is set)';
  const cancelWords = `writes ${JSON.stringify(dispatch.cancelledStatuses[0])} to ${at('dispatch', 'status')}`;
  return [
    feature(
      'incremental-orders',
      isNull(order.updatedAt, at('order', 'updatedAt'), fullSweepOnly),
      `orders changed since the last cycle, by ${at('order', 'updatedAt')}`,
    ),
    feature(
      'incremental-dispatches',
      isNull(dispatch.updatedAt, at('dispatch', 'updatedAt'), fullSweepOnly),
      `dispatches changed since the last cycle, by ${at('dispatch', 'updatedAt')}`,
    ),
    feature(
      'needs-dispatch',
      order.needsDispatch === null
        ? `${at('order', 'needsDispatch')} is not set: every order should get a dispatch`
        : null,
      `only orders where ${at('order', 'needsDispatch')} holds should get a dispatch`,
    ),
    feature(
      'stuck-outbox',
      isNull(outbox, at('outbox'), 'no stuck-outbox checks'),
      outbox ? `${pendingWords(outbox)}${failedWords(outbox)} (${at('outbox')})` : '',
    ),
    feature(
      'republish',
      republishOff(system.flow, at),
      `sends a stuck row again with its own message id${outbox?.headers ? ` and the headers it keeps (${at('outbox', 'headers')})` : ''}${headerWords(message, at('message'))}`,
    ),
    feature(
      'redeliver',
      isNull(message.body, at('message', 'body'), 'nothing says what body the consumer expects'),
      `builds ${Object.keys(message.body ?? {}).join(', ')} from the order (${at('message', 'body')})${envelopeWords(system.flow, at('message', 'envelope'))}${headerWords(message, at('message'))}`,
    ),
    makeUpOrder(system.flow, at),
    feature(
      'cancel-dispatch',
      isNull(dispatch.status, at('dispatch', 'status'), 'a dispatch cannot be cancelled, and every dispatch counts') ??
        (dispatch.cancelledStatuses.length === 0 ? `${at('dispatch', 'cancelledStatuses')} is empty` : null),
      dispatch.updatedAt === null
        ? `${cancelWords}, and no update time (${at('dispatch', 'updatedAt')} is null)`
        : cancelWords,
    ),
    feature(
      'inbox',
      isNull(inbox, at('inbox'), "without an inbox, the sweeper cannot see a redelivery's effect"),
      `the consumer's processed message ids from ${inbox?.table} (${at('inbox')})`,
    ),
    feature(
      'dead-letters',
      deadLetterQueues.length === 0
        ? `${at('deadLetterQueues')} is empty: no dead letters are taken into custody`
        : null,
      `custody of ${deadLetterQueues.map((queue) => `${queue.queue} (${queue.style})`).join(', ')}`,
    ),
    feature(
      'dispatch-message',
      isNull(dispatch.messageId, at('dispatch', 'messageId'), 'a dispatch is not linked to the message that made it'),
      `a dispatch is linked to the message that made it (${at('dispatch', 'messageId')})`,
    ),
    feature(
      'courier',
      isNull(dispatch.courier, at('dispatch', 'courier'), 'the timeline shows no courier'),
      `the timeline shows the courier (${at('dispatch', 'courier')})`,
    ),
    ...Object.entries(system.databases).map(([name, database]) =>
      feature(`time-zone:${name}`, null, timeZoneWords(name, database.timeZone, system.flow)),
    ),
  ];
}

function pendingWords(outbox: Outbox): string {
  const rule = outbox.pending;
  switch (rule.kind) {
    case 'column-null':
      return `rows of ${outbox.table} whose ${rule.column} is still null after the grace period`;
    case 'status-not-in':
      return `rows of ${outbox.table} whose ${rule.column} is not ${rule.done.join(' or ')} after the grace period`;
    case 'row-exists':
      return `rows still in ${outbox.table} after the grace period (sent rows are deleted)`;
    case 'replication-slot':
      return `replication slot ${rule.slot ?? "(the database's only logical one)"} more than ${rule.maxLagBytes} bytes behind (rows are deleted on insert)`;
  }
}

/** The headers a consumer reads that Recon's messages carry (CAP's subscriber is found by cap-msg-name). */
function headerWords(message: Flow['message'], path: string): string {
  const names = [...Object.keys(message.headers), ...(message.messageIdHeader ? [message.messageIdHeader] : [])];
  return names.length === 0 ? '' : `; headers ${names.join(', ')} (${path})`;
}

const failedWords = (outbox: Outbox) =>
  outbox.failed === null ? '' : `; ${outbox.failed.column} ${outbox.failed.values.join(' or ')} is stuck at once`;

function republishOff(flow: Flow, at: (...keys: string[]) => string): string | null {
  const { outbox } = flow;
  if (outbox === null) return `${at('outbox')} is null: there is no row to send again`;
  if (outbox.preset === 'masstransit' && (outbox.payload === null || outbox.markPublished === null))
    return `MassTransit's delivery service sends each row and then deletes it: it would send a row again after Recon did, and the envelope is MassTransit's own (${at('outbox', 'payload')}, ${at('outbox', 'markPublished')} are null); restart the delivery service instead`;
  if (outbox.preset === 'debezium' && outbox.markPublished === null)
    return `Debezium's rows are deleted in the transaction that inserts them: there is no row to send again (${at('outbox', 'markPublished')} is null)`;
  if (outbox.payload === null) return `${at('outbox', 'payload')} is null: nothing says what to send again`;
  if (outbox.markPublished === null)
    return `${at('outbox', 'markPublished')} is null: Recon could not mark a row it sent as published`;
  return null;
}

function makeUpOrder(flow: Flow, at: (...keys: string[]) => string): FeatureNote {
  const whyOff =
    flow.order.snapshot === null
      ? `${at('order', 'snapshot')} is null: nothing says how to rebuild an order`
      : flow.dispatch.orderSnapshot === null
        ? `${at('dispatch', 'orderSnapshot')} is null: a dispatch keeps no copy of its order`
        : null;
  const status =
    flow.order.status === null
      ? `; ${at('order', 'status')} is null: no status is written`
      : `, status ${JSON.stringify(flow.order.madeUpStatus)}`;
  const howOn = `rebuilds an order from ${at('dispatch', 'orderSnapshot')} by ${at('order', 'snapshot')}${status}`;
  return feature('make-up-order', whyOff, howOn);
}

function timeZoneWords(name: string, timeZone: string, flow: Flow): string {
  const key = formatPath(['databases', name, 'timeZone']);
  const words = `${key}: \`timestamp without time zone\` columns are read as ${timeZone} time`;
  const capTables = [flow.outbox?.preset === 'cap' && flow.outbox.database === name ? flow.outbox.table : null]
    .concat(flow.inbox?.preset === 'cap' && flow.inbox.database === name ? flow.inbox.table : null)
    .filter((table) => table !== null);
  if (capTables.length === 0) return words;
  return `${words}; CAP writes "Added" of ${capTables.join(' and ')} in its host's local time (DateTime.Now): set ${key} to that host's zone`;
}

/** How a redelivered body travels; a MassTransit flow's consumer reads a bare body only with its raw-JSON deserializer. */
function envelopeWords({ message, outbox, deadLetterQueues }: Flow, path: string): string {
  if (message.envelope) return `, wrapped in MassTransit's envelope as ${message.envelope.messageType}`;
  const isMassTransit =
    outbox?.preset === 'masstransit' || deadLetterQueues.some((queue) => queue.style === 'masstransit');
  return isMassTransit
    ? `, sent as plain JSON: a MassTransit consumer reads it only with UseRawJsonDeserializer; set ${path} to { style: masstransit, messageType: "urn:message:…" } to wrap it`
    : '';
}
