import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { maskSecrets } from '../adapters/postgres.ts';
import { printReport } from './print-report.ts';
import { runCheck } from './run-check.ts';

// `npm run check -- --config FILE [--json] [--strict]`: what Recon would find wrong with a watched system before it
// runs against it. Exit 0: all is well (warnings allowed unless --strict); 1: something is missing or wrong; 2: usage.

const USAGE = `usage: npm run check -- [--config FILE] [--json] [--strict]
  --config FILE  the watched-system file (default: RECON_CONFIG, else ./recon.yaml, else the reference system)
  --json         print the report as JSON
  --strict       warnings (a missing index, an undeclared queue) fail the check too`;

async function main(): Promise<number> {
  let values: { config?: string; json?: boolean; strict?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        config: { type: 'string' },
        json: { type: 'boolean' },
        strict: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // Said here, in the words of the option the user typed: the loader would name RECON_CONFIG.
  if (values.config !== undefined && !existsSync(values.config)) {
    console.error(`--config names ${values.config}, which does not exist`);
    return 1;
  }
  const env = values.config === undefined ? process.env : { ...process.env, RECON_CONFIG: values.config };
  const isStrict = values.strict ?? false;
  const report = await runCheck(env, { isStrict });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : printReport(report, { isStrict }));
  return report.exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    const cause = error.cause ? ` (${(error.cause as Error).message})` : '';
    console.error(maskSecrets(`recon check failed: ${error.message}${cause}`));
    process.exitCode = 1;
  },
);
