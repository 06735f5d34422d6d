/** `npm run docs:config`: regenerate docs/configuration.md from the schema. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigDocs } from './docs';

const file = join(__dirname, '..', '..', '..', 'docs', 'configuration.md');
writeFileSync(file, renderConfigDocs() + '\n');
console.log(`wrote ${file}`);
