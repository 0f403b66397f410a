import { ConfigError } from './config.ts';

/** The last word of a command that failed: the configuration error as it is, anything else with its cause. */
export function exitWith(failure: string) {
  return (error: Error): never => {
    if (error instanceof ConfigError) console.error(`configuration error: ${error.message}`);
    else console.error(`${failure}: ${error.message}${error.cause ? ` (${(error.cause as Error).message})` : ''}`);
    process.exit(1);
  };
}
