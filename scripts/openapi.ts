// Writes packages/push-api/openapi.json from push-api's route table: node scripts/openapi.ts
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../packages/push-api/src/index.ts';

writeFileSync(new URL('../packages/push-api/openapi.json', import.meta.url), `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
