import { pino } from 'pino';
import { loadConfig } from './config.ts';
import { exitWith } from './fatal.ts';
import { startRecon } from './recon.ts';

async function main() {
  const config = loadConfig(process.env);
  const log = pino({ level: config.logLevel });
  const recon = await startRecon(config, { log });
  log.info({ port: config.port }, `Recon listening on http://127.0.0.1:${config.port}`);
  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    await recon.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch(exitWith('Recon failed to start'));
