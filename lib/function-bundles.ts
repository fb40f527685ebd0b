import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { MessagesFunction, projectRoot } from '#infra/messages-function.ts';

/**
 * The esbuild bundles of a synthesized stack's functions, as `cdk deploy` would upload them: what
 * the bundle budgets (bundle-budgets.ts) hold and what bench/function-bundles.ts times.
 */
export interface FunctionBundle {
  /** The bundled module, relative to the project root. */
  readonly entry: string;
  /** The staged asset folder: index.mjs and its source map index.mjs.map. */
  readonly dir: string;
  /** Bytes of index.mjs, minified. */
  readonly bytes: number;
  /** Every module bundled, relative to the project root (from the source map; sourcesContent is off). */
  readonly sources: readonly string[];
  /** The AWS SDK clients bundled (`@aws-sdk/client-dynamodb`, …). */
  readonly sdkClients: readonly string[];
  /** The function's environment variables, as the template has them (references unresolved). */
  readonly environment: Readonly<Record<string, unknown>>;
}

/** The bundles of every MessagesFunction under `scope`, after `app.synth()` staged the assets in `outdir`. */
export function functionBundles(scope: Construct, outdir: string): FunctionBundle[] {
  return scope.node
    .findAll()
    .filter((construct): construct is MessagesFunction => construct instanceof MessagesFunction)
    .map((fn) => {
      const cfn = fn.function.node.defaultChild as CfnFunction;
      const { s3Key } = Stack.of(fn).resolve(cfn.code) as { s3Key: string };
      const dir = path.join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
      const { sources } = JSON.parse(readFileSync(path.join(dir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
      const relative = sources.map((source) => path.relative(projectRoot, path.resolve(dir, source)));
      const sdkClients = [...new Set(relative.map((source) => /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\//.exec(source)?.[1]).filter((name): name is string => name !== undefined))].sort();
      const environment = Stack.of(fn).resolve((cfn.environment as CfnFunction.EnvironmentProperty | undefined)?.variables ?? {}) as Record<string, unknown>;
      return { entry: fn.entry, dir, bytes: statSync(path.join(dir, 'index.mjs')).size, sources: relative, sdkClients, environment };
    });
}
