import { pino } from 'pino';
import { loadDemoConfig, maskUrl, UsageError } from './config.ts';
import { FAULT_KINDS } from './faults.ts';
import { DISPATCH_DEAD_LETTER_QUEUE, DISPATCH_QUEUE, ORDERS_EXCHANGE, REPLENISH_QUEUE } from './names.ts';
import { reportStatus } from './status.ts';
import { startDemoSystem } from './system.ts';
import { runTraffic } from './traffic.ts';

const STATUS_EVERY_MS = 10_000;

async function main() {
  const config = loadDemoConfig(process.env, process.argv.slice(2));
  const log = pino({ level: config.logLevel });
  const system = await startDemoSystem({ ...config, log });
  await system.ready();

  const faults = FAULT_KINDS.filter((k) => config.faults[k] > 0).map((k) => `${k}=${config.faults[k]}`);
  console.log(`
Reference takeout system running
  orders database    ${maskUrl(config.ordersDatabaseUrl)}   (orders, outbox, demo_faults)
  dispatch database  ${maskUrl(config.dispatchDatabaseUrl)}   (dispatches, processed_messages)
  broker             ${maskUrl(config.rabbitmqUrl)}   exchange ${ORDERS_EXCHANGE}
                     queues ${DISPATCH_QUEUE}, ${DISPATCH_DEAD_LETTER_QUEUE}, ${REPLENISH_QUEUE}
  management UI      ${maskUrl(config.rabbitmqManagementUrl)}
  services           order service + outbox relay, dispatch service, replenishment consumer
  traffic            ${config.ratePerSecond} orders/s${config.count ? `, ${config.count} orders` : ''}${config.durationMs ? `, for ${config.durationMs / 1000} s` : ''}
  faults             ${faults.join(', ') || 'none'}
Press Ctrl-C to stop.
`);

  const abort = new AbortController();
  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    console.log(`\n${signal}: stopping traffic and services…`);
    abort.abort();
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const status = setInterval(() => void reportStatus(system).then(console.log, () => {}), STATUS_EVERY_MS);
  const summary = await runTraffic({
    ...config,
    orders: system.orders,
    lostDispatch: system.lostDispatch,
    log,
    signal: abort.signal,
  });
  console.log(
    `traffic done: ${summary.committed} orders committed, ${summary.rolledBack} rolled back after publishing, ${summary.poison} poison messages, ${summary.errors} errors`,
  );
  if (!abort.signal.aborted) {
    console.log('services keep running; press Ctrl-C to stop.');
    await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
  }
  clearInterval(status);
  await system.stop();
  console.log('stopped.');
}

main().catch((err: Error) => {
  if (err instanceof UsageError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(`demo failed: ${err.message}${err.cause ? ` (${(err.cause as Error).message})` : ''}`);
  console.error('Are the services up? Run: bash scripts/services.sh');
  process.exit(1);
});
