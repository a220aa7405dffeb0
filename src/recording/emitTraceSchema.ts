import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRACE_VERSION } from './traceCodec.js';
import { traceJsonSchema } from './traceSchema.js';

/** The trace's JSON Schema file shipped in schema/, as text (a test keeps the shipped one equal). */
export function traceSchemaFiles(): Record<string, string> {
  return { [`trace.v${TRACE_VERSION}.schema.json`]: `${JSON.stringify(traceJsonSchema(), null, 2)}\n` };
}

/** `npm run schema`: regenerate schema/trace.v<N>.schema.json from the zod schemas. */
export function writeTraceSchemaFiles(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(traceSchemaFiles())) writeFileSync(join(dir, name), text);
}

if (process.argv[1] && /emitTraceSchema\.(js|ts)$/.test(process.argv[1])) writeTraceSchemaFiles(process.argv[2] ?? 'schema');
