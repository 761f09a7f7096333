#!/usr/bin/env node
// The `trm` command: runs the built CLI (out/main/cli.js), building it first when needed.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, root } from '../scripts/ensure-built.mjs';

ensureBuilt('trm');
const { main } = await import(pathToFileURL(join(root, 'out', 'main', 'cli.js')).href);
await main(process.argv.slice(2));
