import { z } from 'zod';
import { watchedSystemFileSchema } from './file-schema.ts';

// The watched-system file's JSON Schema, generated from the zod schema that validates it, so the two cannot
// disagree: editors autocomplete and check recon.yaml with it (`# yaml-language-server: $schema=recon.schema.json`).
// Draft 7: the draft YAML editors support best.

export const CONFIG_SCHEMA_FILE = 'recon.schema.json';

export function toConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(watchedSystemFileSchema, { target: 'draft-7' });
}
