import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { ADMIN_AUTH } from '../support/users.ts';

// The live overview stream (GET /api/events) against a real Recon: an `overview` event at once and then every
// interval, and Recon's shutdown ends an open stream instead of waiting on it forever.

let env: IsolatedEnv;
let recon: Recon;

beforeAll(async () => {
  env = await createIsolatedEnv('events');
  recon = await startTestRecon(env);
});
afterAll(async () => {
  await recon?.stop();
  await env?.destroy();
});

/** Reads server-sent events until `count` have arrived; returns their names and parsed data. */
async function readEvents(body: ReadableStream<Uint8Array>, count: number) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; data: unknown }> = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const lines = buffer.slice(0, end).split('\n');
      buffer = buffer.slice(end + 2);
      const field = (name: string) =>
        lines
          .find((l) => l.startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim();
      events.push({ event: field('event') ?? 'message', data: JSON.parse(field('data') ?? 'null') });
      end = buffer.indexOf('\n\n');
    }
  }
  return { events, reader };
}

describe('GET /api/events', () => {
  it('sends the overview at once and again each interval, and Recon stopping ends the stream', async () => {
    const response = await recon.app.request('/api/events', { headers: { authorization: ADMIN_AUTH } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const { events, reader } = await readEvents(response.body!, 2);
    expect(events.map((e) => e.event)).toEqual(['overview', 'overview']);
    const first = events[0]!.data as { findings: Array<{ kind: string }>; sources: unknown[]; latency: unknown[] };
    expect(first.findings.map((f) => f.kind)).toContain('order-without-dispatch');
    expect(Array.isArray(first.latency)).toBe(true);

    // The stream is still open; stopping Recon must end it, or a graceful shutdown would hang on every open page.
    await recon.stop();
    for (;;) if ((await reader.read()).done) break;
    recon = undefined as unknown as Recon;
  });
});
