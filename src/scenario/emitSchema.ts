import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelJsonSchema, scenarioJsonSchema } from './schema.js';

/** The JSON Schema files shipped in schema/, as text (a test keeps the shipped ones equal). */
export function schemaFiles(): Record<string, string> {
  return {
    'model.schema.json': `${JSON.stringify(modelJsonSchema(), null, 2)}\n`,
    'scenario.schema.json': `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`,
  };
}

/** `npm run schema`: regenerate schema/ from the zod schemas. */
export function writeSchemaFiles(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(schemaFiles())) writeFileSync(join(dir, name), text);
}

if (process.argv[1] && /emitSchema\.(js|ts)$/.test(process.argv[1])) writeSchemaFiles(process.argv[2] ?? 'schema');
