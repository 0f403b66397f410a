import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Holding a publisher's confirms back without touching the rest of the broker: suspend one classic queue's Erlang
// process (sys:suspend). Messages routed to it wait in its mailbox, so the broker cannot confirm them, while every
// other queue, vhost and test goes on. A memory alarm would do it too, but it blocks every publisher on the node.
// Always resume in a finally or afterAll: a suspended queue cannot be deleted, and neither can its vhost.
// The management API's `disable_stats=true&enable_queue_totals=true` listings call every queue and hang on it.

export async function suspendQueue(vhost: string, queue: string): Promise<void> {
  await evalOnQueue(vhost, queue, 'sys:suspend');
}

export async function resumeQueue(vhost: string, queue: string): Promise<void> {
  await evalOnQueue(vhost, queue, 'sys:resume');
}

async function evalOnQueue(vhost: string, queue: string, fn: 'sys:suspend' | 'sys:resume'): Promise<void> {
  for (const name of [vhost, queue]) {
    if (!/^[\w.-]+$/.test(name)) throw new Error(`queue-suspend: ${JSON.stringify(name)} needs quoting for Erlang`);
  }
  const expression = `{ok, Q} = rabbit_amqqueue:lookup(rabbit_misc:r(<<"${vhost}">>, queue, <<"${queue}">>)), ${fn}(amqqueue:get_pid(Q)).`;
  try {
    await run('rabbitmqctl', ['eval', expression], { timeout: 30_000 });
  } catch (err) {
    throw new Error(
      `rabbitmqctl eval (${fn} on queue ${queue}) failed: this test needs rabbitmqctl on the broker's machine, run as root`,
      { cause: err },
    );
  }
}
