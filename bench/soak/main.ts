import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { DISPATCH_DEAD_LETTER_QUEUE } from '../../demo/names.ts';
import { startDemoSystem } from '../../demo/system.ts';
import { runTraffic } from '../../demo/traffic.ts';
import { createIsolatedEnv } from '../../test/support/isolated-env.ts';
import { addUser } from '../../test/support/users.ts';
import { type DisruptionRecord, runSchedule } from './disruptions.ts';
import { scoreDeadLetters, scoreEffects } from './effects-score.ts';
import { pollDurations, scoreHealth } from './health-score.ts';
import { scoreLedger } from './ledger-score.ts';
import { FAULTS, planPhases } from './plan.ts';
import { ADMIN_ENV, currentLeader, startReplica } from './replicas.ts';
import { renderReport } from './report.ts';
import { runRobot } from './robot.ts';
import { startSampler } from './sampler.ts';
import { bindTapQueue, countTapCopies, queueDepth } from './tap-queue.ts';
import { startTcpProxy, viaProxy } from './tcp-proxy.ts';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '20' },
    rate: { type: 'string', default: '20' },
    'real-broker': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const plan = planPhases(Number(args.minutes), Number(args.rate));
const startedAt = new Date();
const say = (line: string) =>
  console.log(`[soak +${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s] ${line}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function main(): Promise<number> {
  say(
    `plan: traffic ${plan.trafficMs / 1000} s at ${plan.ratePerSecond}/s, disruptions held ${plan.holdMs / 1000} s, grace ${plan.graceSeconds} s, quiet ${plan.quietMs / 1000} s`,
  );
  const env = await createIsolatedEnv('soak');
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const faults = { ...FAULTS };
    const demo = await startDemoSystem({
      ordersDatabaseUrl: env.ordersDatabaseUrl,
      dispatchDatabaseUrl: env.dispatchDatabaseUrl,
      rabbitmqUrl: env.rabbitmqUrl,
      faults,
      replenishDelayMs: 2_000,
      prefetch: 20,
      confirmTimeoutMs: 5_000,
      log: pino({ level: 'silent' }),
    });
    cleanups.push(() => demo.stop());
    await demo.ready();
    await bindTapQueue(env.rabbitmqUrl);

    const target = (url: string) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) });
    const proxies = {
      amqp: await startTcpProxy(target(env.rabbitmqUrl)),
      management: await startTcpProxy(target(env.managementUrl)),
      orders: await startTcpProxy(target(env.ordersDatabaseUrl)),
      dispatch: await startTcpProxy(target(env.dispatchDatabaseUrl)),
    };
    cleanups.push(() => Promise.all(Object.values(proxies).map((p) => p.close())));
    const reconEnv = {
      ...ADMIN_ENV,
      RECON_DATABASE_URL: env.reconDatabaseUrl,
      ORDERS_DATABASE_URL: viaProxy(env.ordersDatabaseUrl, proxies.orders),
      DISPATCH_DATABASE_URL: viaProxy(env.dispatchDatabaseUrl, proxies.dispatch),
      RABBITMQ_URL: viaProxy(env.rabbitmqUrl, proxies.amqp),
      RABBITMQ_MANAGEMENT_URL: viaProxy(env.managementUrl, proxies.management),
      RECON_POLL_INTERVAL_SECONDS: '2',
      RECON_GRACE_SECONDS: String(plan.graceSeconds),
      RECON_SWEEP_INTERVAL_SECONDS: '10',
      RECON_SWEEPER_INTERVAL_SECONDS: '3',
      RECON_ACTIONS_PER_MINUTE: '1000',
      RECON_LOG_LEVEL: 'info',
    };
    const replicas = [];
    for (const name of ['soak-replica-a', 'soak-replica-b']) {
      const replica = await startReplica(name, reconEnv, join(tmpdir(), `${name}.log`));
      cleanups.push(() => replica.stop());
      replicas.push(replica);
    }
    say(
      `replicas up: ${replicas.map((r) => `${r.name} ${r.url}`).join(', ')}; leader ${await currentLeader(env.reconDatabaseUrl)}`,
    );
    const operator = await addUser(env, 'soak-operator', 'operator');
    const viewer = await addUser(env, 'soak-viewer', 'viewer');

    const disruptions: DisruptionRecord[] = [];
    const isDisrupted = () => disruptions.some((d) => !d.endedAt);
    const sampler = startSampler(replicas, viewer);
    const robotStop = new AbortController();
    const robot = runRobot({ replicas, authorization: operator, isDisrupted, signal: robotStop.signal });
    const schedule = runSchedule(
      { proxies, replicas, reconDatabaseUrl: env.reconDatabaseUrl, isRealBroker: args['real-broker'], log: say },
      plan.trafficMs,
      plan.holdMs,
      disruptions,
    );
    say('traffic starts');
    const traffic = await runTraffic({
      ratePerSecond: plan.ratePerSecond,
      durationMs: plan.trafficMs,
      faults,
      orders: demo.orders,
      lostDispatch: demo.lostDispatch,
      log: pino({ level: 'silent' }),
    });
    await schedule;
    say(
      `traffic done: ${traffic.committed} committed, ${traffic.rolledBack} rolled back, ${traffic.poison} poison, ${traffic.errors} errors; quiet period`,
    );
    const quietEndsAt = Date.now() + plan.quietMs;
    while (demo.lostDispatch.pendingCount() > 0) await sleep(500);
    await sleep(plan.quietMs / 2);
    robotStop.abort();
    const robotLog = await robot;
    const recon = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 2 });
    cleanups.push(() => recon.end());
    // A bulk whose replica was killed keeps `running` in its row; the API shows it `interrupted` once its runner's
    // heartbeat is a minute old (routes-bulk-actions.ts), so only bulks still heard from are waited for.
    const settleBy = Date.now() + 120_000;
    while (Date.now() < settleBy) {
      const { rows } = await recon.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM actions WHERE status IN ('pending', 'in-doubt'))
              + (SELECT count(*) FROM bulk_actions WHERE status IN ('running', 'cancelling')
                   AND heartbeat_at > now() - interval '60 seconds') AS n`,
      );
      if (Number(rows[0]!.n) === 0) break;
      await sleep(1_000);
    }
    await sleep(Math.max(0, quietEndsAt - Date.now()));
    await sampler.stop();
    say('scoring');

    const leaderName = await currentLeader(env.reconDatabaseUrl);
    const leader = replicas.find((r) => r.name === leaderName) ?? replicas[0]!;
    const metricsText = await (await fetch(`${leader.url}/metrics`)).text();
    const ledger = await scoreLedger(demo.ordersPool, recon, disruptions);
    const takeover = disruptions.find((d) => d.sources.includes('leader')) as
      | (DisruptionRecord & { takeoverMs?: number })
      | undefined;
    const lines = [
      ...ledger.lines,
      ...(await scoreEffects(
        { orders: demo.ordersPool, dispatch: demo.dispatchPool, recon },
        robotLog,
        await countTapCopies(env.rabbitmqUrl),
      )),
      await scoreDeadLetters(demo.ordersPool, recon, await queueDepth(env.rabbitmqUrl, DISPATCH_DEAD_LETTER_QUEUE)),
      {
        score: 'leader: the other replica takes over after kill -9',
        value: takeover?.detail ?? 'not run',
        isPass: takeover?.takeoverMs !== undefined && takeover.takeoverMs < 30_000,
      },
      {
        score: 'disruptions: every step ran',
        value: `${disruptions.filter((d) => !d.detail.startsWith('FAILED')).length}/${disruptions.length}`,
        isPass: disruptions.length > 0 && disruptions.every((d) => !d.detail.startsWith('FAILED')),
      },
      ...scoreHealth(sampler.samples),
    ];
    const finishedAt = new Date();
    const report = renderReport({
      startedAt,
      finishedAt,
      settings: {
        minutes: String(args.minutes),
        traffic: `${plan.trafficMs / 1000} s at ${plan.ratePerSecond} orders/s (${traffic.committed} committed, ${traffic.errors} errors)`,
        faults: Object.entries(FAULTS)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
        'disruption hold': `${plan.holdMs / 1000} s each, ${args['real-broker'] ? 'broker stopped for real (rabbitmqctl, rabbitmq-plugins)' : 'broker and management cut at the soak proxy'}`,
        recon: `two replicas, poll 2 s, grace ${plan.graceSeconds} s, sweep 10 s, sweeper 3 s`,
        'quiet period': `${plan.quietMs / 1000} s`,
      },
      disruptions,
      ledgerCounts: ledger.ledgerCounts,
      lines,
      figures: [
        `poll durations on the leader (${leader.name}): ${pollDurations(metricsText)}`,
        `samples: ${sampler.samples.length}; memory series (MB, every 5 s): ${replicas
          .map(
            (r) =>
              `${r.name} ${sampler.samples
                .filter((s) => s.replica === r.name)
                .map((s) => (s.rssBytes ? Math.round(s.rssBytes / 1048576) : '·'))
                .join(' ')}`,
          )
          .join('; ')}`,
      ],
    });
    writeFileSync('SOAK.md', report);
    for (const l of lines)
      say(`${l.isPass ? 'pass' : 'FAIL'}  ${l.score}: ${l.value}${!l.isPass && l.detail ? ` — ${l.detail}` : ''}`);
    const failed = lines.filter((l) => !l.isPass).length;
    say(failed ? `${failed} scores failed; see SOAK.md` : 'all scores passed; see SOAK.md');
    return failed ? 1 : 0;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    if (!args.keep) await env.destroy().catch(() => {});
    else say(`kept databases and vhost ${env.name}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`soak failed: ${err.message}${err.cause ? ` (${(err.cause as Error).message})` : ''}`);
    console.error('Are the services up? Run: bash scripts/services.sh');
    process.exit(2);
  },
);
