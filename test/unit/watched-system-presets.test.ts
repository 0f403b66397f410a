import { describe, expect, it } from 'vitest';
import { fileWithFlow, issuesOf, loadText } from '../support/watched-system.ts';

// The reference system's order and dispatch tables, with an outbox or inbox of another library's.
const withOutbox = (outbox: string) => loadText(fileWithFlow(`outbox: ${outbox}`)).flow.outbox;
const withInbox = (inbox: string) => loadText(fileWithFlow(`inbox: ${inbox}`)).flow.inbox;

describe('outbox presets', () => {
  it('timestamps: the reference relay, confirmed_at null until the broker confirmed', () => {
    expect(withOutbox('{ preset: timestamps }')).toMatchObject({
      table: 'outbox',
      pending: { kind: 'column-null', column: 'confirmed_at' },
      failed: null,
      messageId: { column: 'message_id' },
      orderId: { column: 'aggregate_id' },
      payload: { column: 'payload' },
    });
  });

  it('spring-modulith: event_publication, pending until completion_date, FAILED and ABANDONED stuck at once', () => {
    const outbox = withOutbox('{ preset: spring-modulith, orderId: { json: serialized_event, path: $.orderId } }');
    expect(outbox).toEqual({
      preset: 'spring-modulith',
      database: 'orders',
      table: 'event_publication',
      pending: { kind: 'column-null', column: 'completion_date' },
      failed: { column: 'status', values: ['FAILED', 'ABANDONED'], minAttempts: null },
      delayed: null,
      filter: null,
      messageId: { column: 'id' },
      orderId: { json: 'serialized_event', path: '$.orderId' },
      createdAt: 'publication_date',
      eventType: 'event_type',
      publishedAt: null,
      attempts: 'completion_attempts',
      lastError: null,
      payload: { column: 'serialized_event' },
      headers: null,
      markPublished: [
        { column: 'completion_date', value: { now: true } },
        { column: 'status', value: { literal: 'COMPLETED' } },
      ],
    });
  });

  it('cap: cap.published, pending until "StatusName" is Succeeded, the message id in the Content headers', () => {
    const outbox = withOutbox('{ preset: cap, orderId: { json: Content, path: $.Value.OrderNo } }');
    expect(outbox).toEqual({
      preset: 'cap',
      database: 'orders',
      table: 'cap.published',
      pending: { kind: 'status-not-in', column: 'StatusName', done: ['Succeeded'] },
      delayed: { column: 'ExpiresAt', status: { column: 'StatusName', values: ['Delayed', 'Queued'] } },
      failed: { column: 'StatusName', values: ['Failed'], minAttempts: { attemptsColumn: 'Retries', count: 50 } },
      filter: null,
      messageId: { json: 'Content', path: '$.Headers."cap-msg-id"' },
      orderId: { json: 'Content', path: '$.Value.OrderNo' },
      createdAt: 'Added',
      eventType: 'Name',
      publishedAt: null,
      attempts: 'Retries',
      lastError: null,
      payload: { json: 'Content', path: '$.Value' },
      headers: { json: 'Content', path: '$.Headers' },
      markPublished: [{ column: 'StatusName', value: { literal: 'Succeeded' } }],
    });
  });

  it('masstransit: a row in "OutboxMessage" is not sent yet, and Recon offers no republish', () => {
    expect(withOutbox('{ preset: masstransit }')).toEqual({
      preset: 'masstransit',
      database: 'orders',
      table: 'OutboxMessage',
      pending: { kind: 'row-exists' },
      failed: null,
      delayed: null,
      filter: null,
      messageId: { column: 'MessageId' },
      orderId: { json: 'Body', path: '$.message.orderId' },
      createdAt: 'SentTime',
      eventType: 'MessageType',
      publishedAt: null,
      attempts: null,
      lastError: null,
      payload: null,
      headers: null,
      markPublished: null,
    });
  });

  it("debezium: outboxevent rows are deleted at once, so the connector's slot lag is what is pending", () => {
    expect(withOutbox('{ preset: debezium }')).toEqual({
      preset: 'debezium',
      database: 'orders',
      table: 'outboxevent',
      pending: { kind: 'replication-slot', slot: null, maxLagBytes: 16 * 1024 * 1024 },
      failed: null,
      delayed: null,
      filter: null,
      messageId: { column: 'id' },
      orderId: { column: 'aggregateid' },
      createdAt: null,
      eventType: 'type',
      publishedAt: null,
      attempts: null,
      lastError: null,
      payload: { column: 'payload' },
      headers: null,
      markPublished: null,
    });
  });

  it.each([
    ['spring-modulith', /serialized_event/],
    ['cap', /Content/],
  ])('%s: asks for the order id, which only the user knows inside the serialized event', (preset, example) => {
    expect(issuesOf(() => withOutbox(`{ preset: ${preset} }`))).toEqual([
      { path: 'flows[0].outbox.orderId', message: expect.stringMatching(example) },
    ]);
  });
});

describe('overriding a preset', () => {
  it('takes any key the file gives over the preset', () => {
    const outbox = withOutbox(
      '{ preset: cap, table: messaging.published, orderId: OrderNo, attempts: null, markPublished: { StatusName: Succeeded, ExpiresAt: now } }',
    );
    expect(outbox).toMatchObject({
      table: 'messaging.published',
      orderId: { column: 'OrderNo' },
      attempts: null,
      markPublished: [
        { column: 'StatusName', value: { literal: 'Succeeded' } },
        { column: 'ExpiresAt', value: { now: true } },
      ],
    });
  });

  it("marks rows the preset's way with the overridden names", () => {
    const outbox = withOutbox('{ preset: timestamps, confirmedAt: acked_at, publishedAt: null }');
    expect(outbox?.pending).toEqual({ kind: 'column-null', column: 'acked_at' });
    expect(outbox?.markPublished).toEqual([{ column: 'acked_at', value: { now: true } }]);
  });

  it("reads Spring Modulith's v1 schema when status and attempts are null", () => {
    const outbox = withOutbox(
      '{ preset: spring-modulith, orderId: { json: serialized_event, path: $.id }, statusColumn: null, failedStatuses: null, attempts: null }',
    );
    expect(outbox).toMatchObject({ failed: null, attempts: null });
    expect(outbox?.markPublished).toEqual([{ column: 'completion_date', value: { now: true } }]);
  });

  it("switches to another rule when the file gives that rule's keys", () => {
    const outbox = withOutbox(
      '{ preset: timestamps, statusColumn: state, doneStatuses: [SENT], failedStatuses: [DEAD] }',
    );
    expect(outbox).toMatchObject({
      pending: { kind: 'status-not-in', column: 'state', done: ['SENT'] },
      failed: { column: 'state', values: ['DEAD'] },
      markPublished: [{ column: 'state', value: { literal: 'SENT' } }],
    });
  });

  it('refuses the keys of two rules at once', () => {
    expect(issuesOf(() => withOutbox('{ confirmedAt: acked_at, doneStatuses: [SENT], statusColumn: state }'))).toEqual([
      { path: 'flows[0].outbox', message: expect.stringMatching(/confirmedAt, doneStatuses belong to different/) },
    ]);
  });

  it('asks for the status column that failed statuses are in', () => {
    expect(issuesOf(() => withOutbox('{ failedStatuses: [DEAD] }'))).toEqual([
      { path: 'flows[0].outbox.statusColumn', message: expect.stringMatching(/required with failedStatuses/) },
    ]);
  });

  it('counts a failed row as given up only after the attempts its library retries, when they are counted', () => {
    const told = withOutbox('{ preset: cap, orderId: OrderNo, failedAfterAttempts: 5 }');
    expect(told?.failed?.minAttempts).toEqual({ attemptsColumn: 'Retries', count: 5 });
    // CAP retries Failed rows: with no attempts column nothing tells a retried row from a given-up one.
    expect(withOutbox('{ preset: cap, orderId: OrderNo, attempts: null }')?.failed).toBeNull();
    expect(
      issuesOf(() => withOutbox('{ preset: cap, orderId: OrderNo, attempts: null, failedAfterAttempts: 5 }')),
    ).toEqual([
      { path: 'flows[0].outbox.attempts', message: expect.stringMatching(/required with failedAfterAttempts/) },
    ]);
  });
});

describe('inbox presets', () => {
  it("table: the reference consumer's processed_messages", () => {
    expect(withInbox('{ preset: table }')).toEqual({
      preset: 'table',
      database: 'dispatch',
      table: 'processed_messages',
      messageId: { column: 'message_id' },
      filter: null,
      processedAt: 'processed_at',
    });
  });

  it('cap: cap.received rows that succeeded', () => {
    expect(withInbox('{ preset: cap }')).toMatchObject({
      table: 'cap.received',
      messageId: { json: 'Content', path: '$.Headers."cap-msg-id"' },
      filter: `"StatusName" = 'Succeeded'`,
    });
  });

  it('masstransit: "InboxState" rows that were consumed', () => {
    expect(withInbox('{ preset: masstransit, filter: null }')).toMatchObject({
      table: 'InboxState',
      messageId: { column: 'MessageId' },
      filter: null,
    });
    expect(withInbox('{ preset: masstransit }')?.filter).toBe('"Consumed" IS NOT NULL');
  });
});
