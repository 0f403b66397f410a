import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Stops the RabbitMQ application on the local node (the Erlang VM stays up, so start_app brings it back fast). */
export async function stopBrokerApp(): Promise<void> {
  await rabbitmqctl('stop_app');
}

/** Starts it again and waits until it accepts work. Safe to call when it is already running. */
export async function startBrokerApp(): Promise<void> {
  await rabbitmqctl('start_app');
  await rabbitmqctl('await_startup');
}

async function rabbitmqctl(command: string): Promise<void> {
  try {
    await run('rabbitmqctl', [command], { timeout: 120_000 });
  } catch (err) {
    throw new Error(
      `rabbitmqctl ${command} failed: this test controls the local broker and needs rabbitmqctl (run as root on the broker's machine)`,
      { cause: err },
    );
  }
}
