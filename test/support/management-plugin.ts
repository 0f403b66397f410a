import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { management } from './isolated-env.ts';
import { waitFor } from './wait-for.ts';

const run = promisify(execFile);
/** What scripts/services.sh enables; disabling the management plugin takes its dependants down with it. */
const PLUGINS = ['rabbitmq_management', 'rabbitmq_prometheus', 'rabbitmq_shovel', 'rabbitmq_shovel_management'];

/** Takes the management API away (the broker itself keeps running): every test on the node loses it. */
export async function disableManagementPlugin(): Promise<void> {
  await rabbitmqPlugins(['disable', 'rabbitmq_management']);
}

/** Brings every plugin back and waits until the management API answers. Safe to call when they are enabled. */
export async function enableManagementPlugins(): Promise<void> {
  await rabbitmqPlugins(['enable', ...PLUGINS]);
  await waitFor('the management API to answer again', () => management('GET', '/api/overview').then(() => true), {
    timeoutMs: 60_000,
    intervalMs: 500,
  });
}

async function rabbitmqPlugins(args: string[]): Promise<void> {
  try {
    await run('rabbitmq-plugins', args, { timeout: 120_000 });
  } catch (err) {
    throw new Error(
      `rabbitmq-plugins ${args.join(' ')} failed: this test needs rabbitmq-plugins on the broker's machine, run as root`,
      { cause: err },
    );
  }
}
