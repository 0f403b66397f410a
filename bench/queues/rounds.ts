import { sleep } from './bench-vhost.ts';
import type { BrokerCpu } from './broker-cpu.ts';
import type { Contestant } from './contestants.ts';
import type { RequestBytes, WireCounter } from './wire-counter.ts';

export interface PollSample {
  seconds: number;
  bodyBytes: number;
  wireBytesIn: number;
  wireBytesOut: number;
  requests: RequestBytes[];
}

/** One contestant's polls in one round, back to back. */
export interface RoundSample {
  label: string;
  round: number;
  polls: PollSample[];
  wallSeconds: number;
  /** CPU the broker node used during the round, idle use not subtracted yet. */
  brokerCpuSeconds: number;
  /** CPU this process used: the client's side of the poll (JSON parsing above all). */
  clientCpuSeconds: number;
}

/**
 * Rotates the contestants' order every round, so that none always runs right after another's load (the
 * broker's garbage collection and statistics refresh carry over). One unmeasured poll each first: connections,
 * JIT, and Recon's first poll, which has no previous poll to compare with.
 */
export async function runRounds(input: {
  contestants: Contestant[];
  rounds: number;
  /** At least this many polls per contestant and round… */
  polls: number;
  /**
   * …and as many more as fit in this much time: a cheap poll's CPU then stands out from the 10 ms clock ticks, and
   * every round spans at least two 5 s statistics refreshes, whose CPU the subtracted idle rate stands for.
   */
  minRoundSeconds: number;
  wire: WireCounter;
  cpu: BrokerCpu;
  log: (line: string) => void;
}): Promise<RoundSample[]> {
  const { contestants, rounds, polls, minRoundSeconds, wire, cpu, log } = input;
  for (const c of contestants) log(`warm-up, ${c.label}: ${await c.poll()}`);
  const samples: RoundSample[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order = contestants.map((_, i) => contestants[(i + round - 1) % contestants.length]!);
    for (const contestant of order) {
      const brokerBefore = cpu.seconds();
      const clientBefore = process.cpuUsage();
      const startedAt = performance.now();
      const pollSamples: PollSample[] = [];
      let note = '';
      for (let i = 0; i < polls || performance.now() - startedAt < minRoundSeconds * 1000; i++) {
        const pollStartedAt = performance.now();
        const { value, wire: totals } = await wire.measure(() => contestant.poll());
        note = value;
        pollSamples.push({
          seconds: (performance.now() - pollStartedAt) / 1000,
          bodyBytes: totals.requests.reduce((sum, r) => sum + r.bodyBytes, 0),
          wireBytesIn: totals.bytesIn,
          wireBytesOut: totals.bytesOut,
          requests: totals.requests,
        });
      }
      const client = process.cpuUsage(clientBefore);
      const sample: RoundSample = {
        label: contestant.label,
        round,
        polls: pollSamples,
        wallSeconds: (performance.now() - startedAt) / 1000,
        brokerCpuSeconds: cpu.seconds() - brokerBefore,
        clientCpuSeconds: (client.user + client.system) / 1e6,
      };
      samples.push(sample);
      log(
        `round ${round}, ${contestant.label}: ${pollSamples.length} polls in ${sample.wallSeconds.toFixed(2)} s, ` +
          `broker CPU ${sample.brokerCpuSeconds.toFixed(2)} s, ${pollSamples[0]!.bodyBytes.toLocaleString('en')} body bytes/poll (${note})`,
      );
    }
  }
  return samples;
}

/** The broker's CPU use while nobody polls it (statistics collection for every queue, the workload's consumers). */
export async function measureIdleCpu(cpu: BrokerCpu, seconds: number): Promise<number> {
  const before = cpu.seconds();
  const startedAt = performance.now();
  await sleep(seconds * 1000);
  return (cpu.seconds() - before) / ((performance.now() - startedAt) / 1000);
}
