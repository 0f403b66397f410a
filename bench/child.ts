import { fork } from 'node:child_process';
import type { ContestantRequest, ContestantResult } from './protocol.ts';

const ENTRY = new URL('./contestant.ts', import.meta.url);

/**
 * Runs one contestant in a fresh Node process, so its peak RSS is its own and no contestant inherits another's heap,
 * JIT state or connections.
 */
export function runInChild(request: ContestantRequest): Promise<ContestantResult> {
  return new Promise((resolve, reject) => {
    const child = fork(ENTRY, [JSON.stringify(request)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
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
