/**
 * Each Lambda function's bundle, as `cdk deploy` would upload it: its size, and the time Node takes
 * to import it (what a cold start pays before the first request) as a ratio to a baseline measured
 * in the same run: a file that only imports the AWS SDK clients that same bundle holds, bundled the
 * same way (FUNCTION_BUNDLING). Samples alternate bundle and baseline in fresh Node processes, so
 * machine load falls on both; the median of each is taken. Imports run with `--enable-source-maps`
 * as deployed (NODE_OPTIONS), and without it, to show what the source maps cost.
 *
 *   node bench/function-bundles.ts            # BENCH_IMPORT_SAMPLES=15 by default
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { build } from 'esbuild';
import { apiAreas } from '#api/catalog.ts';
import { MessagesStack } from '#infra/messages-stack.ts';
import { FUNCTION_BUNDLING, projectRoot } from '#infra/messages-function.ts';
import { functionBundles, type FunctionBundle } from '#infra/function-bundles.ts';
import { bundleBudgetOf, IMPORT_RATIO_TARGET, BUNDLE_SIZE_TARGET } from '#infra/bundle-budgets.ts';

const samples = Number(process.env.BENCH_IMPORT_SAMPLES ?? 15);
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

const cdkJson = JSON.parse(readFileSync(path.join(projectRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
const app = new App({ context: cdkJson.context });
const stack = new MessagesStack(app, 'BundleBench', { areas: apiAreas });
app.synth();
const bundles = functionBundles(stack, app.outdir);

/** The client class each SDK client package exports (`DynamoDBClient`), found in the package itself. */
async function clientClassOf(pkg: string): Promise<string> {
  const names = Object.keys(await import(pkg)).filter((name) => /^[A-Z][A-Za-z0-9]*Client$/.test(name));
  if (names.length !== 1) throw new Error(`${pkg}: expected one client class, found ${names.join(', ') || 'none'}`);
  return names[0]!;
}

const work = mkdtempSync(path.join(tmpdir(), 'function-bundles-'));

/** `contents` (module text resolved from the project root) bundled as every function is. */
async function bundled(contents: string, name: string): Promise<{ file: string; bytes: number }> {
  const outfile = path.join(work, name, 'index.mjs');
  await build({
    stdin: { contents, resolveDir: projectRoot, loader: 'js' },
    outfile,
    bundle: true,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    target: FUNCTION_BUNDLING.target,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap ? 'linked' : false,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    logLevel: 'warning',
  });
  return { file: outfile, bytes: statSync(outfile).size };
}

/** The baseline of a bundle: its SDK clients (and the DynamoDB document client, when it holds it) exported, nothing else. */
async function baselineOf(bundle: FunctionBundle, index: number): Promise<{ file: string; bytes: number }> {
  const lines = await Promise.all(bundle.sdkClients.map(async (pkg) => `export { ${await clientClassOf(pkg)} } from '${pkg}';`));
  if (bundle.sources.some((source) => source.includes(`node_modules${path.sep}@aws-sdk${path.sep}lib-dynamodb${path.sep}`))) lines.push(`export { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`);
  return bundled(lines.join('\n'), `baseline-${index}`);
}

/** What Lambda's environment has at import: the function's variables (references as placeholders) and the runtime's own. */
function importEnvironment(bundle: FunctionBundle): NodeJS.ProcessEnv {
  const variables = Object.fromEntries(Object.entries(bundle.environment).filter(([name]) => name !== 'NODE_OPTIONS').map(([name, value]) => [name, typeof value === 'string' ? value : 'placeholder']));
  return { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: path.basename(bundle.entry, '.ts'), AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', ...variables };
}

/** Milliseconds a fresh Node process takes to import `file`. */
function importMs(file: string, env: NodeJS.ProcessEnv, sourceMaps: boolean): number {
  const script = `const started = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - started));`;
  const flags = sourceMaps ? ['--enable-source-maps'] : [];
  return Number(execFileSync(process.execPath, [...flags, '--no-warnings', '--input-type=module', '-e', script], { env }).toString());
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(`Function bundles: size, and import time against the same SDK clients alone (median of ${samples}, fresh Node ${process.version} each)`);
console.log(`targets: bundle ≤ ${kb(BUNDLE_SIZE_TARGET)}, import ≤ ${IMPORT_RATIO_TARGET}× its baseline\n`);
console.log(['entry'.padEnd(36), 'bundle'.padStart(8), 'budget'.padStart(8), 'SDK only'.padStart(9), 'import'.padStart(8), 'baseline'.padStart(9), 'ratio'.padStart(6), 'no maps'.padStart(8), 'ratio'.padStart(6)].join(' '));
const rows: { entry: string; bytes: number; ratio: number; ratioWithoutMaps: number }[] = [];
for (const [index, bundle] of bundles.entries()) {
  const baseline = await baselineOf(bundle, index);
  const env = importEnvironment(bundle);
  const times = { bundle: [] as number[], baseline: [] as number[], bundleNoMaps: [] as number[], baselineNoMaps: [] as number[] };
  for (let i = 0; i < samples; i++) {
    times.bundle.push(importMs(path.join(bundle.dir, 'index.mjs'), env, true));
    times.baseline.push(importMs(baseline.file, env, true));
    times.bundleNoMaps.push(importMs(path.join(bundle.dir, 'index.mjs'), env, false));
    times.baselineNoMaps.push(importMs(baseline.file, env, false));
  }
  const ratio = median(times.bundle) / median(times.baseline);
  const ratioWithoutMaps = median(times.bundleNoMaps) / median(times.baselineNoMaps);
  rows.push({ entry: bundle.entry, bytes: bundle.bytes, ratio, ratioWithoutMaps });
  console.log(
    [
      bundle.entry.padEnd(36),
      kb(bundle.bytes).padStart(8),
      kb(bundleBudgetOf(bundle.entry)).padStart(8),
      kb(baseline.bytes).padStart(9),
      `${median(times.bundle).toFixed(1)} ms`.padStart(8),
      `${median(times.baseline).toFixed(1)} ms`.padStart(9),
      ratio.toFixed(2).padStart(6),
      `${median(times.bundleNoMaps).toFixed(1)} ms`.padStart(8),
      ratioWithoutMaps.toFixed(2).padStart(6),
    ].join(' '),
  );
}
const largest = rows.reduce((a, b) => (b.bytes > a.bytes ? b : a));
const slowest = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
console.log(`\nlargest bundle: ${largest.entry} ${kb(largest.bytes)} (target ${kb(BUNDLE_SIZE_TARGET)}: ${rows.filter((row) => row.bytes > BUNDLE_SIZE_TARGET).length} of ${rows.length} over)`);
console.log(`highest import ratio: ${slowest.entry} ${slowest.ratio.toFixed(2)}× (target ${IMPORT_RATIO_TARGET}×: ${rows.filter((row) => row.ratio > IMPORT_RATIO_TARGET).length} of ${rows.length} over)`);
console.log(`median ratio with source maps ${median(rows.map((row) => row.ratio)).toFixed(2)}×, without ${median(rows.map((row) => row.ratioWithoutMaps)).toFixed(2)}×`);

// What the libraries every function holds cost alone, against the DynamoDB client alone: the
// floor below which no function that uses them can go, whatever its own code does.
const libraries: Record<string, string> = {
  'DynamoDB client (the floor)': `export { DynamoDBClient } from '@aws-sdk/client-dynamodb'; export { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`,
  'Powertools Tracer (X-Ray SDK)': `export { Tracer } from '@aws-lambda-powertools/tracer';`,
  'Powertools Logger and Metrics': `export { Logger } from '@aws-lambda-powertools/logger'; export { Metrics } from '@aws-lambda-powertools/metrics';`,
  'zod': `export { object, string, number, boolean, array, union, strictObject, enum } from 'zod';`,
  'luxon': `export { DateTime, IANAZone } from 'luxon';`,
  '@middy/core': `export { default } from '@middy/core';`,
};
console.log(`\nLibraries alone (median of ${samples}, source maps on):`);
const floor: { ms: number; bytes: number } = { ms: 0, bytes: 0 };
for (const [index, [name, contents]] of Object.entries(libraries).entries()) {
  const library = await bundled(contents, `library-${index}`);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(importMs(library.file, { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'bench' }, true));
  if (index === 0) Object.assign(floor, { ms: median(times), bytes: library.bytes });
  console.log(`  ${name.padEnd(32)} ${kb(library.bytes).padStart(8)} ${`${median(times).toFixed(1)} ms`.padStart(9)} ${(median(times) / floor.ms).toFixed(2).padStart(6)}× the DynamoDB client's import`);
}
const together = await bundled(Object.values(libraries).join('\n'), 'libraries');
console.log(`  all of them in one bundle        ${kb(together.bytes).padStart(8)}`);
