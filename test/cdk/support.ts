import { App } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';

/** An App with the same context (feature flags, spaOrigin) that `cdk synth` reads from cdk.json. */
export function appLikeCli(extraContext: Record<string, unknown> = {}): App {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return new App({ context: { ...cdkJson.context, ...extraContext } });
}
