// npm run config-schema: writes recon.schema.json from the watched-system file's zod schema, formatted as the
// linter wants it. Run it after changing the schema: test/unit/watched-system-json-schema.test.ts fails until the
// committed file is current.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_SCHEMA_FILE, toConfigJsonSchema } from '../server/watched-system/json-schema.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
writeFileSync(`${root}/${CONFIG_SCHEMA_FILE}`, JSON.stringify(toConfigJsonSchema(), null, 2));
execFileSync('npx', ['biome', 'format', '--write', CONFIG_SCHEMA_FILE], { cwd: root, stdio: 'inherit' });
console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
