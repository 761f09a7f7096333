// `npm run security`: Electron's security checklist, checked by Doyensec's electronegativity over our
// sources (src/: the main process, the preload and the renderer, TypeScript parsed by its Babel parser).
// A finding above INFORMATIONAL fails unless security/electronegativity-allow.json explains it (check id
// + file, with a reason); a stale entry fails too. Offline and a few seconds:
//   - its command line does not run with our commander (it relies on an old hoisted one), so this calls
//     its runner directly;
//   - it fetches translations and Electron's release list from the internet: the translations are
//     replaced with its bundled English ones, and the release check (AVAILABLE_SECURITY_FIXES, which reads
//     package.json, not sources) is left out; the Electron version comes from the installed package.
import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { root } from './ensure-built.mjs';
import { applyAllowList, summarise } from './security-allow.mjs';

// --input and --allow-list are for the check's own test (security-check.test.mjs).
const { values: args } = parseArgs({
  options: { input: { type: 'string' }, 'allow-list': { type: 'string' } },
});
const SOURCES = resolve(args.input ?? join(root, 'src'));
const ALLOW_LIST = resolve(args['allow-list'] ?? join(root, 'security', 'electronegativity-allow.json'));
const require = createRequire(join(root, 'package.json'));

function fail(message) {
  console.error(`security: ${message}`);
  process.exit(1);
}

let runnerPath;
try {
  runnerPath = require.resolve('@doyensec/electronegativity/dist/runner.js');
} catch {
  fail('@doyensec/electronegativity is not installed; run npm install');
}

// Its translations module, offline: the bundled en-US strings, no request to its S3 bucket.
const i18nPath = join(dirname(runnerPath), 'locales', 'i18n.js');
const i18n = createRequire(i18nPath)('i18n');
const offlineI18n = new Module(i18nPath);
offlineI18n.filename = i18nPath;
offlineI18n.loaded = true;
offlineI18n.exports = async () => {
  i18n.configure({
    locales: ['en-US'],
    defaultLocale: 'en-US',
    directory: dirname(i18nPath),
    updateFiles: false,
    objectNotation: true,
    register: globalThis,
  });
  i18n.setLocale('en-US');
};
require.cache[i18nPath] = offlineI18n;

const run = require(runnerPath);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const allowList = JSON.parse(readFileSync(ALLOW_LIST, 'utf8'));

const started = Date.now();
const { issues, errors } = await run(
  {
    input: SOURCES,
    isRelative: false,
    electronVersionOverride: electronVersion,
    excludeFromScan: ['availablesecurityfixesglobalcheck'],
    parserPlugins: [],
  },
  false,
);

// A file it could not parse is a file it did not check.
const unparsed = errors.filter((error) => !error.tolerable);
for (const error of unparsed) console.error(`security: could not parse ${error.file}: ${error.message}`);

const toRepoPath = (file) => (file === 'N/A' ? file : relative(root, file).split(sep).join('/'));
const findings = issues.map((issue) => ({
  check: issue.id,
  file: toRepoPath(issue.file),
  line: issue.location?.line ?? 0,
  severity: issue.severity.name,
}));
const { lines, ok } = summarise(applyAllowList(findings, allowList.entries));
console.log(
  `electronegativity ${require('@doyensec/electronegativity/package.json').version} over ${toRepoPath(SOURCES)}/ ` +
    `(Electron ${electronVersion}), ${((Date.now() - started) / 1000).toFixed(1)} s:`,
);
for (const line of lines) console.log(`  ${line}`);
process.exit(ok && unparsed.length === 0 ? 0 : 1);
