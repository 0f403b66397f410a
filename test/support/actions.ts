import { randomUUID } from 'node:crypto';
import type { FindingKind } from '../../reconcilers/registry.ts';
import type { Recon } from '../../server/recon.ts';
import { checkedAgainstOpenApi, expectMatchesOpenApi } from './openapi.ts';
import { ADMIN_AUTH, postJson } from './users.ts';
import { waitFor } from './wait-for.ts';

export interface ActionReply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON reply the test inspects
  json: any;
  headers: Headers;
}

/** POST /api/findings/:id/actions as `authorization`, with a fresh idempotency key unless one is given. */
export async function act(
  recon: Recon,
  authorization: string,
  findingId: string,
  body: { action: string; reason?: string; retryOf?: string },
  idempotencyKey: string = randomUUID(),
): Promise<ActionReply> {
  const response = await recon.app.request(
    `/api/findings/${encodeURIComponent(findingId)}/actions`,
    postJson(
      authorization,
      { reason: 'test: repairing a known fault', ...body },
      { 'idempotency-key': idempotencyKey },
    ),
  );
  const json = await response.json();
  expectMatchesOpenApi('POST', `/api/findings/${encodeURIComponent(findingId)}/actions`, response.status, json);
  return { status: response.status, json, headers: response.headers };
}

/** GET through the API as `authorization`: every /api/ route needs a signed-in user, the admin unless told. */
export async function readApi(recon: Recon, path: string, authorization: string = ADMIN_AUTH): Promise<Response> {
  return checkedAgainstOpenApi('GET', path, await recon.app.request(path, { headers: { authorization } }));
}

/** GET through the API, failing loudly on anything but 200. */
// biome-ignore lint/suspicious/noExplicitAny: a JSON reply the test inspects
export async function getJson(recon: Recon, path: string, authorization: string = ADMIN_AUTH): Promise<any> {
  const response = await readApi(recon, path, authorization);
  if (response.status !== 200) throw new Error(`GET ${path} → ${response.status} ${await response.text()}`);
  return response.json();
}

export async function waitForFindingState(
  recon: Recon,
  kind: FindingKind,
  key: string,
  state: 'open' | 'resolved',
  timeoutMs = 30_000,
) {
  const id = `${kind}:${key}`;
  await waitFor(
    `${id} to be ${state}`,
    async () => {
      const response = await readApi(recon, `/api/findings/${encodeURIComponent(id)}`);
      return response.status === 200 && ((await response.json()) as { state: string }).state === state;
    },
    { timeoutMs },
  );
}
