import { execFileSync } from 'node:child_process';

const ROOT = new URL('..', import.meta.url);
/** The code a run measures: Recon's own, not the bench's. */
const MEASURED = ['reconcilers', 'server'];

/**
 * The commit the measured code is at, with the files that differ from it; the orchestrator takes it just before it
 * builds the code every contestant's child process runs.
 */
export function codeVersion(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    const head = git('rev-parse', '--short', 'HEAD');
    const changed = git('status', '--porcelain', '--', ...MEASURED);
    return changed
      ? `${head} plus uncommitted changes in ${changed.split('\n').length} file(s) of ${MEASURED.join('/, ')}/`
      : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
