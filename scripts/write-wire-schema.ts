// npm run wire-schema: writes server/http/wire.schema.json, the JSON Schemas of the wire types in
// server/http/wire.ts, which /api/openapi.json serves as its components. Run it after changing a wire type:
// test/unit/wire-json-schema.test.ts fails until the committed file is current.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { toWireJsonSchema, WIRE_SCHEMA_FILE } from './wire-json-schema.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
writeFileSync(`${root}/${WIRE_SCHEMA_FILE}`, JSON.stringify(toWireJsonSchema(), null, 2));
execFileSync('npx', ['biome', 'format', '--write', WIRE_SCHEMA_FILE], { cwd: root, stdio: 'inherit' });
console.log(`wrote ${WIRE_SCHEMA_FILE}`);
