import { describe, expect, it } from 'vitest';
import { kindsOfSelection, toActionOptions } from './bulk-options.ts';

describe('the actions a bulk offers', () => {
  it('offers only what the selected kinds allow, with how many findings each applies to', () => {
    const options = toActionOptions([
      { kind: 'order-without-dispatch', count: 12, actions: ['redeliver'] },
      { kind: 'dead-letter', count: 18, actions: ['redrive', 'discard'] },
      { kind: 'unacked-stuck', count: 2, actions: [] },
    ]);
    expect(options).toEqual({
      total: 32,
      choices: [
        { action: 'redeliver', applies: 12 },
        { action: 'redrive', applies: 18 },
        { action: 'discard', applies: 18 },
      ],
      defaultAction: null,
    });
  });

  it('preselects an action only when it is the one choice', () => {
    expect(toActionOptions([{ kind: 'stuck-outbox', count: 3, actions: ['republish'] }]).defaultAction).toBe(
      'republish',
    );
    expect(
      toActionOptions([{ kind: 'dispatch-without-order', count: 3, actions: ['make-up-order', 'cancel-dispatch'] }])
        .defaultAction,
    ).toBeNull();
    expect(toActionOptions([{ kind: 'unacked-stuck', count: 1, actions: [] }])).toEqual({
      total: 1,
      choices: [],
      defaultAction: null,
    });
  });

  it('groups a selection of findings by kind, each finding allowing its own actions', () => {
    const kinds = kindsOfSelection([
      { kind: 'dead-letter', actions: ['redrive', 'discard'] },
      { kind: 'order-without-dispatch', actions: ['redeliver'] },
      { kind: 'dead-letter', actions: ['discard'] },
    ]);
    expect(kinds).toEqual([
      { kind: 'order-without-dispatch', count: 1, actions: ['redeliver'] },
      { kind: 'dead-letter', count: 2, actions: ['redrive', 'discard'] },
    ]);
  });
});
