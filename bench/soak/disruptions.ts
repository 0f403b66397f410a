import { startBrokerApp, stopBrokerApp } from '../../test/support/broker-control.ts';
import { disableManagementPlugin, enableManagementPlugins } from '../../test/support/management-plugin.ts';
import { currentLeader, type Replica } from './replicas.ts';
import type { TcpProxy } from './tcp-proxy.ts';

/** What a disruption takes away from Recon: the score checks no finding reading it opened meanwhile. */
export type Source = 'broker' | 'management' | 'orders-db' | 'dispatch-db' | 'leader' | 'network';

export interface DisruptionRecord {
  step: string;
  sources: Source[];
  startedAt: Date;
  endedAt?: Date;
  detail: string;
}

export interface DisruptionDeps {
  proxies: { amqp: TcpProxy; management: TcpProxy; orders: TcpProxy; dispatch: TcpProxy };
  replicas: Replica[];
  reconDatabaseUrl: string;
  /** Stop the local broker for real (rabbitmqctl, rabbitmq-plugins): only on a machine of the soak's own. */
  isRealBroker: boolean;
  log(line: string): void;
}

interface Step {
  step: string;
  sources: Source[];
  /** Start, as a fraction of the traffic phase. */
  at: number;
  run(deps: DisruptionDeps, holdMs: number, record: DisruptionRecord): Promise<void>;
}

const SLOW_DELAY_MS = 300;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const cutFor = (names: Array<keyof DisruptionDeps['proxies']>) => async (deps: DisruptionDeps, holdMs: number) => {
  for (const n of names) deps.proxies[n].setMode('cut');
  await sleep(holdMs);
  for (const n of names) deps.proxies[n].setMode('pass');
};

export const SCHEDULE: Step[] = [
  {
    step: 'RabbitMQ stopped and started',
    sources: ['broker', 'management'],
    at: 0.1,
    async run(deps, holdMs, record) {
      if (!deps.isRealBroker) return cutFor(['amqp', 'management'])(deps, holdMs);
      record.detail = 'rabbitmqctl stop_app / start_app';
      await stopBrokerApp();
      await sleep(holdMs);
      await startBrokerApp();
    },
  },
  {
    step: 'management plugin unavailable',
    sources: ['management'],
    at: 0.25,
    async run(deps, holdMs, record) {
      if (!deps.isRealBroker) return cutFor(['management'])(deps, holdMs);
      record.detail = 'rabbitmq-plugins disable / enable rabbitmq_management';
      await disableManagementPlugin();
      await sleep(holdMs);
      await enableManagementPlugins();
    },
  },
  {
    step: 'kill -9 of the leader replica',
    sources: ['leader'],
    at: 0.4,
    async run(deps, holdMs, record) {
      const leaderName = await currentLeader(deps.reconDatabaseUrl);
      const leader = deps.replicas.find((r) => r.name === leaderName);
      if (!leader) throw new Error(`no leader to kill (lock held by ${leaderName ?? 'nobody'})`);
      await leader.kill9();
      const killedAt = Date.now();
      let successor: string | undefined;
      while (Date.now() - killedAt < 60_000) {
        successor = await currentLeader(deps.reconDatabaseUrl).catch(() => undefined);
        if (successor && successor !== leaderName) break;
        await sleep(250);
      }
      const takeoverMs = Date.now() - killedAt;
      record.detail = `killed ${leaderName}; ${successor ?? 'nobody'} led after ${(takeoverMs / 1000).toFixed(1)} s`;
      (record as DisruptionRecord & { takeoverMs?: number }).takeoverMs =
        successor && successor !== leaderName ? takeoverMs : Number.POSITIVE_INFINITY;
      await sleep(Math.max(0, holdMs - takeoverMs));
      await leader.restart();
    },
  },
  { step: 'orders database stopped', sources: ['orders-db'], at: 0.52, run: cutFor(['orders']) },
  { step: 'dispatch database stopped', sources: ['dispatch-db'], at: 0.66, run: cutFor(['dispatch']) },
  {
    step: `network slow (+${SLOW_DELAY_MS} ms per chunk)`,
    sources: ['network'],
    at: 0.8,
    async run(deps, holdMs) {
      const all = Object.values(deps.proxies);
      for (const p of all) p.setMode('slow', SLOW_DELAY_MS);
      await sleep(holdMs);
      for (const p of all) p.setMode('pass');
    },
  },
];

/** Runs the schedule over a traffic phase of `trafficMs`, each step held for `holdMs`; returns what happened when. */
export async function runSchedule(
  deps: DisruptionDeps,
  trafficMs: number,
  holdMs: number,
  records: DisruptionRecord[],
): Promise<void> {
  const t0 = Date.now();
  for (const step of SCHEDULE) {
    await sleep(Math.max(0, t0 + step.at * trafficMs - Date.now()));
    const record: DisruptionRecord = {
      step: step.step,
      sources: step.sources,
      startedAt: new Date(),
      detail: deps.isRealBroker ? '' : 'at the soak proxy',
    };
    records.push(record);
    deps.log(`disruption: ${step.step}: begins`);
    try {
      await step.run(deps, holdMs, record);
    } catch (err) {
      record.detail = `FAILED: ${(err as Error).message}`;
    }
    record.endedAt = new Date();
    deps.log(`disruption: ${step.step}: ends (${record.detail})`);
  }
}
