import amqp from 'amqplib';
import { declareQueues, planQueues } from './declare-queues.ts';
import type { ManagementAdmin } from './management-admin.ts';
import { startWorkload, type Workload } from './workload.ts';

/** The broker refreshes its statistics every 5 s (collect_statistics_interval); listings lag by up to that much. */
const STATS_INTERVAL_MS = 5_000;
const READY_TIMEOUT_MS = 180_000;

export interface BenchVhost {
  queues: number;
  published: number;
  workload: Workload;
  setupSeconds: number;
  /** Closes the workload's connection; deletes the vhost (and so every queue in it) unless `keep`. */
  close(options: { keep: boolean }): Promise<void>;
}

/** A dedicated vhost with `total` queues, reused when a previous run kept it (`--keep`). */
export async function prepareVhost(input: {
  admin: ManagementAdmin;
  /** The broker's AMQP URL with the vhost as its path. */
  amqpUrl: string;
  vhost: string;
  total: number;
  watched: readonly string[];
  extraConsumers: number;
  log: (line: string) => void;
}): Promise<BenchVhost> {
  const { admin, vhost, total, watched, log } = input;
  const startedAt = performance.now();
  const vhostPath = encodeURIComponent(vhost);
  const existing = await listQueues(admin, vhostPath).catch(() => []);
  if (existing.length > total) {
    log(`vhost ${vhost} holds ${existing.length} queues, more than ${total}: recreating it`);
    await admin.call('DELETE', `/api/vhosts/${vhostPath}`);
  }
  await admin.call('PUT', `/api/vhosts/${vhostPath}`, {});
  await admin.call('PUT', `/api/permissions/${vhostPath}/${encodeURIComponent(admin.user)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  const plan = planQueues(total, watched);
  const connection = await amqp.connect(input.amqpUrl);
  log(`declaring ${total.toLocaleString('en')} queues in vhost ${vhost} (${existing.length} already there)`);
  const { published } = await declareQueues(connection, plan);
  const fillers = [...plan.keys()].filter((name) => !watched.includes(name));
  const workload = await startWorkload(connection, watched, fillers, input.extraConsumers);
  log(`published ${published} messages; ${workload.consumers} consumers on ${workload.channels} channels`);

  log('waiting for the statistics database to list every queue with its counts');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const rows = await listQueues(admin, vhostPath);
    const counted = rows.filter((r) => typeof r.messages === 'number').length;
    const stuck = rows.find((r) => r.name === watched[0]);
    const isStuckVisible = !watched[0] || (Number(stuck?.messages_unacknowledged) > 0 && Number(stuck?.consumers) > 0);
    if (rows.length === total && counted === total && isStuckVisible) break;
    if (Date.now() > deadline)
      throw new Error(`statistics incomplete after ${READY_TIMEOUT_MS} ms: ${counted}/${total}`);
    await sleep(1_000);
  }
  // One more refresh, so that message rates and consumer counts are in as well, not only the first counts.
  await sleep(STATS_INTERVAL_MS + 500);
  return {
    queues: total,
    published,
    workload,
    setupSeconds: (performance.now() - startedAt) / 1000,
    async close({ keep }) {
      await connection.close().catch(() => {});
      if (!keep) await admin.call('DELETE', `/api/vhosts/${vhostPath}`);
    },
  };
}

type QueueRow = { name: string; messages?: number; messages_unacknowledged?: number; consumers?: number };

const listQueues = async (admin: ManagementAdmin, vhostPath: string) =>
  (await admin.call(
    'GET',
    `/api/queues/${vhostPath}?columns=name,messages,messages_unacknowledged,consumers`,
  )) as QueueRow[];

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
