import { pino } from 'pino';
import { loadConfig } from './config.ts';
import { exitWith } from './fatal.ts';
import { startRecon } from './recon.ts';

async function main() {
  const config = loadConfig(process.env);
  const log = pino({ level: config.logLevel });
  const recon = await startRecon(config, { log });
  const { host, port, web } = config;
  log.info(
    { host, port, publicOrigins: web.publicOrigins },
    `Recon listening on ${host} port ${port}: ${web.publicOrigins[0]}`,
  );
  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    await recon.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch(exitWith('Recon failed to start'));
