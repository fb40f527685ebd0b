import { describe, it, expect } from 'vitest';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { apiAreas } from '#api/catalog.ts';
import { disabledGuardRules, guardValidator } from '#infra/guard-rules.ts';
import { defineStage } from '#infra/stage.ts';
import { appLikeCli, SKIP_BUNDLING } from './support.ts';

// cfn-guard beside cdk-nag: the AWS Control Tower proactive controls bundled with
// @cdklabs/cdk-validator-cfnguard, run by the cfn-guard binary that package ships (no download, no
// network). It runs here rather than in bin/app.ts because one run over the template takes a
// minute or more of CPU. The template is a deployment synth's (bundling skipped: no rule reads the
// bundles). One run with every rule on: the rules that fail must be exactly those
// lib/guard-rules.ts disables, each with its reason, so the validator with that list passes and no
// disabled rule has become unnecessary.
const rulesDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard')), '..', 'rules', 'control-tower', 'cfn-guard');
const bundledRules = readdirSync(rulesDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.guard'))
  .map((file) => path.basename(file, '.guard'));

const app = appLikeCli({ ...SKIP_BUNDLING, stage: 'prod', senderEmail: 'no-reply@salon.example', spaOrigin: 'https://app.salon.example' });
const { stack } = defineStage(app, { areas: apiAreas });
const templatePath = path.join(app.synth({ force: true }).directory, stack.templateFile);

/** `[CT.SQS.PR.1]: ...` names the rule file `ct-sqs-pr-1`. */
const ruleFileOf = (description: string): string => {
  const id = /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(description)?.[1];
  if (id === undefined) throw new Error(`no Control Tower id in "${description}"`);
  return id.toLowerCase().replace(/\./g, '-');
};

describe('cfn-guard (Control Tower proactive controls)', () => {
  it('ships its rules and a cfn-guard binary for this platform in the npm package', () => {
    expect(bundledRules.length).toBeGreaterThan(50);
    const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
    const platform = process.platform === 'darwin' ? 'macos' : 'ubuntu';
    expect(existsSync(path.join(rulesDir, '..', '..', '..', 'bin', platform, arch, 'cfn-guard'))).toBe(true);
  });

  it('disables only rules it ships, each with a reason', () => {
    for (const [rule, reason] of Object.entries(disabledGuardRules)) {
      expect(bundledRules, rule).toContain(rule);
      expect(reason.length, rule).toBeGreaterThan(60);
    }
    const ruleIds = guardValidator().ruleIds ?? [];
    for (const rule of Object.keys(disabledGuardRules)) expect(ruleIds, rule).not.toContain(rule.replace('ct-', '').replace(/-/g, ''));
  });

  it('fails the template on exactly the rules lib/guard-rules.ts disables', { timeout: 900_000 }, () => {
    const report = new CfnGuardValidator().validate({ templatePaths: [templatePath], appConstruct: app });
    const failing = [...new Set(report.violations.map((violation) => ruleFileOf(violation.description ?? violation.ruleName)))].sort();
    expect(failing).toEqual(Object.keys(disabledGuardRules).sort());
  });
});
