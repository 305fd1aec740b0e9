#!/usr/bin/env node
// The webmach command: runs the built CLI (dist/host/node/cli.js); `npm run build` makes it.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/host/node/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('webmach: not built yet: run `npm run build` (or `npm test`) in the webmach folder\n');
  process.exit(1);
}
await import(cli.href);
