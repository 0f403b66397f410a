import { execFileSync, fork } from 'node:child_process';
import type { ContestantRequest, ContestantResult } from './protocol.ts';

const ROOT = new URL('..', import.meta.url);
/** The contestant as `npm run build` compiles it: children run plain JavaScript under node, as production does. */
const ENTRY = new URL('./dist/bench/contestant.js', ROOT);

/** Compiles Recon and the contestants (scripts/build.sh); every child of the run then loads this one build. */
export function buildContestants(): void {
  execFileSync('bash', ['scripts/build.sh'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Runs one contestant in a fresh Node process, so its peak RSS is its own and no contestant inherits another's heap,
 * JIT state or connections.
 */
export function runInChild(request: ContestantRequest): Promise<ContestantResult> {
  return new Promise((resolve, reject) => {
    const child = fork(ENTRY, [JSON.stringify(request)], { execArgv: [], stdio: 'inherit' });
    let result: ContestantResult | undefined;
    child.on('message', (message) => {
      result = message as ContestantResult;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result && code === 0) resolve(result);
      else reject(new Error(`contestant ${request.name} exited with ${signal ?? code} and no result`));
    });
  });
}
