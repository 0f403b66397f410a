// A child process that runs exactly one contestant and sends its result to the orchestrator (bench/child.ts).
import { runInMemory } from './contestants/in-memory.ts';
import { runPerRow } from './contestants/per-row.ts';
import { runReconCycle } from './contestants/recon-cycle.ts';
import { runReconSweep } from './contestants/recon-sweep.ts';
import type { ContestantName, ContestantRequest, ContestantResult } from './protocol.ts';

type Work = Omit<ContestantResult, 'startRssBytes' | 'peakRssBytes'>;

const CONTESTANTS: Record<ContestantName, (options: Record<string, number>) => Promise<Work>> = {
  'recon-sweep': runReconSweep,
  'recon-cycle': runReconCycle,
  'per-row': runPerRow,
  'in-memory': runInMemory,
};

const request = JSON.parse(process.argv[2] ?? '{}') as ContestantRequest;
const run = CONTESTANTS[request.name];
if (!run) throw new Error(`unknown contestant ${request.name}`);
const startRssBytes = process.memoryUsage().rss;
const work = await run(request.options);
// getrusage reports kilobytes on Linux.
const result: ContestantResult = { ...work, startRssBytes, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
process.send?.(result, () => process.exit(0));
