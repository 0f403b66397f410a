import { WatchedSystemError } from '../watched-system/issues.ts';
import { loadWatchedSystem, readFileIfExists } from '../watched-system/load-watched-system.ts';
import type { WatchedSystem } from '../watched-system/model.ts';
import { checkBroker } from './broker-check.ts';
import { checkCatalog } from './catalog-check.ts';
import { type CheckItem, type CheckReport, toReport } from './report.ts';

// `recon check` as a function of the environment: load the watched system exactly as Recon does at start (the same
// loader, so the same file, the same ${VAR}s, the same errors), then look at the databases and the broker it names.

export async function runCheck(
  env: Record<string, string | undefined>,
  options: { isStrict?: boolean } = {},
): Promise<CheckReport> {
  let system: WatchedSystem;
  try {
    system = loadWatchedSystem(env, readFileIfExists);
  } catch (error) {
    if (!(error instanceof WatchedSystemError)) throw error;
    const items = error.issues.map(
      (issue): CheckItem => ({
        section: 'config',
        kind: 'config',
        status: 'error',
        name: issue.path,
        configPaths: issue.path ? [issue.path] : [],
        detail: issue.message,
      }),
    );
    return toReport(error.origin, items, options);
  }
  const [catalog, broker] = await Promise.all([checkCatalog(system), checkBroker(system)]);
  return toReport(system.origin, [...originItems(system), ...catalog, ...broker, ...featureItems(system)], options);
}

/** Without a file, say so: a user who meant to check a file must not read "all is well" about the defaults. */
function originItems(system: WatchedSystem): CheckItem[] {
  if (system.origin !== 'defaults' && system.origin !== 'RECON_MAPPING') return [];
  const detail = `no watched-system file (--config, RECON_CONFIG or ./recon.yaml): checking the reference system from ORDERS_DATABASE_URL, DISPATCH_DATABASE_URL, RABBITMQ_URL and RABBITMQ_MANAGEMENT_URL${system.origin === 'RECON_MAPPING' ? ', mapped by RECON_MAPPING (deprecated)' : ''}`;
  return [{ section: 'config', kind: 'config', status: 'info', name: '', configPaths: [], detail }];
}

function featureItems(system: WatchedSystem): CheckItem[] {
  return system.features.map((note) => ({
    section: 'features',
    kind: 'feature',
    status: note.isOn ? 'on' : 'off',
    name: note.feature,
    configPaths: [],
    detail: note.detail,
  }));
}
