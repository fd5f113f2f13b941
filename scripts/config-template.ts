// Writes config/application.properties from the key table: node scripts/config-template.ts
import { writeFileSync } from 'node:fs';
import { renderConfigTemplate } from '../packages/launcher/src/config-template.ts';

writeFileSync(new URL('../config/application.properties', import.meta.url), renderConfigTemplate());
