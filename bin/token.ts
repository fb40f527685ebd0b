/**
 * Prints a locally signed id token for a tenant, nothing else on stdout:
 *   npm run --silent token -- acme
 *   curl -H "Authorization: Bearer $(npm run --silent token -- acme)" http://localhost:3000/...
 *   npm run --silent token -- ops --operator     (a platform operator's, for /operator/…)
 */
import { loadOrCreateSecret, secretFilePath, signLocalToken, TENANT_ID_PATTERN } from '#local/token-key.ts';

const usage = `Usage: npm run --silent token -- <tenantId> [--operator]

Prints a JWT for the local API (valid 12 hours), signed with the key in ${secretFilePath()}.
<tenantId>: 1-64 characters from A-Z, a-z, 0-9, _ and -.
--operator: the token of a platform operator (Cognito group operators), for /operator/… routes.
Example: curl -H "Authorization: Bearer $(npm run --silent token -- acme)" http://localhost:3000/...
`;

const given = process.argv.slice(2);
const operator = given.includes('--operator');
const args = given.filter((arg) => arg !== '--operator');
const tenantId = args[0];
if (args.length !== 1 || tenantId === undefined || !TENANT_ID_PATTERN.test(tenantId)) {
  if (tenantId !== undefined && args.length === 1 && tenantId !== '--help' && tenantId !== '-h') {
    process.stderr.write(`Invalid tenant id: ${JSON.stringify(tenantId)}\n\n`);
  }
  process.stderr.write(usage);
  process.exit(2);
}

const secret = await loadOrCreateSecret();
process.stdout.write(`${await signLocalToken(secret, tenantId, operator ? { claims: { 'cognito:groups': ['operators'] } } : {})}\n`);
