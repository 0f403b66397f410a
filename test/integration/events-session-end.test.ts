import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { type ReconProcess, spawnRecon } from '../support/recon-process.ts';
import { ADMIN_AUTH, basicAuth } from '../support/users.ts';

// The live event stream (GET /api/events) ends when the session behind it ends: read over a real socket from a
// spawned Recon whose stream ticks every second. Before this, a signed-out page kept receiving the overview.

/** Ticks are 1 s (RECON_POLL_INTERVAL_SECONDS=1); a stream must close within a few of them, generously counted. */
const CLOSE_WITHIN_MS = 10_000;

let env: IsolatedEnv;
let recon: ReconProcess;
let pool: pg.Pool;

beforeAll(async () => {
  env = await createIsolatedEnv('events_session_end');
  recon = await spawnRecon(env);
  pool = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 1 });
});
afterAll(async () => {
  await pool?.end();
  await recon?.stop();
  await env?.destroy();
});

const JSON_TYPE = { 'content-type': 'application/json' };

async function saveUser(name: string, role: string, password: string) {
  const response = await fetch(`${recon.url}/api/users`, {
    method: 'POST',
    headers: { ...JSON_TYPE, authorization: ADMIN_AUTH },
    body: JSON.stringify({ name, role, password }),
  });
  expect(response.status).toBeLessThan(300);
}

async function signIn(name: string, password: string) {
  const response = await fetch(`${recon.url}/api/session`, {
    method: 'POST',
    headers: JSON_TYPE,
    body: JSON.stringify({ name, password }),
  });
  expect(response.status).toBe(200);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!, csrfToken };
}

/** An open stream: waits for its first event, then reports whether it closed (and how many events came meanwhile). */
async function openStream(headers: Record<string, string>) {
  const response = await fetch(`${recon.url}/api/events`, { headers });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let events = 0;
  const next = async () => {
    const { value, done } = await reader.read();
    if (!done) events += decoder.decode(value, { stream: true }).split('\n\n').length - 1;
    return done;
  };
  while (events === 0) if (await next()) throw new Error('the stream closed before its first event');
  return {
    /** Reads until the stream closes or `ms` pass; true when it closed. */
    async closesWithin(ms: number): Promise<boolean> {
      const deadline = Date.now() + ms;
      const timeUp = new Promise<'time-up'>((resolve) => setTimeout(() => resolve('time-up'), ms).unref());
      while (Date.now() < deadline) {
        const outcome = await Promise.race([next(), timeUp]);
        if (outcome === true) return true;
        if (outcome === 'time-up') break;
      }
      await reader.cancel().catch(() => {});
      return false;
    },
    eventCount: () => events,
  };
}

describe('the live event stream ends with its session', () => {
  it('closes a signed-out page’s stream within a few ticks, while another session’s stream goes on', async () => {
    await saveUser('sol', 'viewer', 'sol-own-password');
    const leaving = await signIn('sol', 'sol-own-password');
    const staying = await signIn('sol', 'sol-own-password');
    const leavingStream = await openStream({ cookie: leaving.cookie });
    const stayingStream = await openStream({ cookie: staying.cookie });
    const out = await fetch(`${recon.url}/api/session`, {
      method: 'DELETE',
      headers: { ...JSON_TYPE, cookie: leaving.cookie, 'x-csrf-token': leaving.csrfToken },
      body: '{}',
    });
    expect(out.status).toBe(204);
    expect(await leavingStream.closesWithin(CLOSE_WITHIN_MS)).toBe(true);
    // The negative case: the session still open keeps its stream (it saw ticks all along and sees more).
    const before = stayingStream.eventCount();
    expect(await stayingStream.closesWithin(3_000)).toBe(false);
    expect(stayingStream.eventCount()).toBeGreaterThan(before);
  });

  it('closes the streams of a user whose password was changed, cookie and Basic alike', async () => {
    await saveUser('pia', 'operator', 'pia-first-password');
    const session = await signIn('pia', 'pia-first-password');
    const cookieStream = await openStream({ cookie: session.cookie });
    const basicStream = await openStream({ authorization: basicAuth('pia', 'pia-first-password') });
    await saveUser('pia', 'operator', 'pia-second-password');
    expect(await cookieStream.closesWithin(CLOSE_WITHIN_MS)).toBe(true);
    expect(await basicStream.closesWithin(CLOSE_WITHIN_MS)).toBe(true);
  });

  it('closes the stream of a session that expired', async () => {
    await saveUser('eve', 'viewer', 'eve-own-password');
    const session = await signIn('eve', 'eve-own-password');
    const stream = await openStream({ cookie: session.cookie });
    const token = session.cookie.split('=')[1]!;
    await pool.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [
      createHash('sha256').update(token).digest('hex'),
    ]);
    expect(await stream.closesWithin(CLOSE_WITHIN_MS)).toBe(true);
  });
});
