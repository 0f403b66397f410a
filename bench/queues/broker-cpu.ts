import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// The broker's cost is read from the kernel, not from the broker: `/api/nodes` reports its own run-queue and
// memory, and `rabbitmqctl eval` would itself cost the node CPU. utime + stime of the beam.smp process count
// every scheduler thread, including the management plugin's work for each request.

export interface BrokerCpu {
  pid: number;
  /** CPU seconds (user + system) the broker node has used since it started; resolution 1/CLK_TCK (10 ms). */
  seconds(): number;
}

/** Finds the RabbitMQ node on this machine; fails with what to do when it cannot read its CPU time. */
export function findBrokerCpu(): BrokerCpu {
  const pid = rabbitPid();
  const ticksPerSecond = Number(run('getconf', ['CLK_TCK'])) || 100;
  const seconds = () => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which sits in parentheses and may hold spaces; utime and stime are fields
    // 14 and 15 of the whole line, i.e. 11 and 12 here (field 3, the state, comes first).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  };
  try {
    seconds();
  } catch (error) {
    throw new Error(`cannot read /proc/${pid}/stat of the RabbitMQ node: run the benchmark on the broker's machine`, {
      cause: error,
    });
  }
  return { pid, seconds };
}

function rabbitPid(): number {
  const pids = run('pgrep', ['-f', 'beam.smp']).split('\n').filter(Boolean).map(Number);
  // Other Erlang nodes (a CLI tool mid-run, another service) may run beam.smp too: keep the one booting rabbit.
  const rabbit = pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').includes('-s rabbit boot');
    } catch {
      return false;
    }
  });
  if (rabbit.length !== 1) {
    throw new Error(
      `expected one RabbitMQ beam.smp process on this machine, found ${rabbit.length} (pids: ${pids.join(', ') || 'none'}); ` +
        'start the broker with: bash scripts/services.sh',
    );
  }
  return rabbit[0]!;
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return ''; // pgrep exits 1 when nothing matches; getconf falls back to the usual 100 Hz
  }
}
