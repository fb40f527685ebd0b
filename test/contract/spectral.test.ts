import { describe, expect, it } from 'vitest';
import { recordAreas } from '#api/record-areas.ts';
import { openApiDocument } from '#http/openapi-document.ts';
import { lint, type Finding } from './spectral.ts';

const summary = (findings: readonly Finding[]) => findings.map((finding) => `${finding.severity} ${finding.code} at ${finding.path}: ${finding.message}`);

describe('the OpenAPI document passes the contract gate (.spectral.mjs)', async () => {
  const findings = await lint(openApiDocument(recordAreas.flatMap((area) => area.routes)));
  const owasp = findings.filter((finding) => finding.code.startsWith('owasp:'));
  const oas = findings.filter((finding) => !finding.code.startsWith('owasp:'));

  it('has no error and no warning from Spectral’s OpenAPI rules (all of them)', () => {
    expect(summary(oas.filter((finding) => finding.severity === 'error' || finding.severity === 'warn'))).toEqual([]);
  });

  it('has no error from the OWASP API Security Top 10 rules', () => {
    expect(summary(owasp.filter((finding) => finding.severity === 'error'))).toEqual([]);
  });
});
