import spectralCore from '@stoplight/spectral-core';
import ruleset from '../../.spectral.mjs';

/** Spectral's findings on a document, with the ruleset committed at the repository root. */
export interface Finding {
  readonly code: string;
  readonly severity: 'error' | 'warn' | 'info' | 'hint';
  readonly path: string;
  readonly message: string;
}

const severities = ['error', 'warn', 'info', 'hint'] as const;

export async function lint(document: unknown): Promise<Finding[]> {
  const spectral = new spectralCore.Spectral();
  spectral.setRuleset(ruleset);
  const results = await spectral.run(JSON.stringify(document));
  return results.map((result) => ({
    code: String(result.code),
    severity: severities[result.severity] ?? 'hint',
    path: result.path.join('.'),
    message: result.message,
  }));
}
