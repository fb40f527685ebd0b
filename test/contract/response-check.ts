import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { recordAreas } from '#api/record-areas.ts';
import { openApiDocument } from '#http/openapi-document.ts';

/**
 * Checks an answer the server gave against the OpenAPI document: its (method, path, status) must
 * be documented, its JSON body must validate against the documented schema (ajv, JSON Schema
 * 2020-12 as OpenAPI 3.1 uses it, $refs resolved to the document's components), every required
 * header must be there, and an ETag, Location or Retry-After the server sent must be documented.
 */

interface Operation {
  readonly responses: Record<string, { headers?: Record<string, { required?: boolean }>; content?: Record<string, { schema: object }> }>;
}

const document = openApiDocument(recordAreas.flatMap((area) => area.routes)) as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, unknown>;
};

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats.default(ajv);
ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isSafeInteger(value) });
ajv.addSchema({ $id: 'openapi.json', components: document.components });

/** Paths as patterns, literal segments first (as API Gateway matches: `/rules/bulk` before `/rules/{id}`). */
const templates = Object.keys(document.paths)
  .map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    params: (template.match(/\{/g) ?? []).length,
  }))
  .sort((a, b) => a.params - b.params);

const validators = new Map<string, ValidateFunction>();
function validatorOf(key: string, schema: object): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    // The schema's $refs (`#/components/schemas/X`) resolve against the document's components.
    const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')) as object;
    validate = ajv.compile(rewritten);
    validators.set(key, validate);
  }
  return validate;
}

export interface Answer {
  readonly method: string;
  /** The request path, with its query. */
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

const checkedHeaders = ['etag', 'location', 'retry-after'];

export function violationsOf(answer: Answer): string[] {
  const path = answer.path.split('?')[0]!;
  const method = answer.method.toLowerCase();
  const found = templates.find(({ pattern, template }) => pattern.test(path) && document.paths[template]![method]);
  const where = `${answer.method.toUpperCase()} ${found?.template ?? path} ${answer.status}`;
  // No such route: API Gateway's own 404 (405 from the local server), which no operation can document.
  if (!found) return answer.status === 404 || answer.status === 405 ? [] : [`${where}: no documented operation`];
  const response = document.paths[found.template]![method]!.responses[String(answer.status)];
  if (!response) return [`${where}: status not documented`];
  const violations: string[] = [];
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    if (header.required && !answer.headers.has(name)) violations.push(`${where}: required header ${name} missing`);
  }
  const documented = new Set(Object.keys(response.headers ?? {}).map((name) => name.toLowerCase()));
  for (const name of checkedHeaders) if (answer.headers.has(name) && !documented.has(name)) violations.push(`${where}: header ${name} sent but not documented`);
  if (answer.headers.get('content-type')?.startsWith('text/html')) {
    const page = response.content?.['text/html'];
    if (!page) return [...violations, `${where}: an HTML page, but none documented`];
    return typeof answer.body === 'string' ? violations : [...violations, `${where}: an empty HTML page`];
  }
  const schema = response.content?.['application/json']?.schema;
  if (!schema) {
    if (answer.body !== undefined) violations.push(`${where}: a body, but none documented`);
    return violations;
  }
  if (answer.body === undefined) return [...violations, `${where}: no body, but one documented`];
  const validate = validatorOf(`${method} ${found.template} ${answer.status}`, schema);
  if (!validate(answer.body)) {
    const errors = ajv.errorsText(validate.errors?.slice(0, 3), { separator: '; ' });
    violations.push(`${where}: body does not match (${errors}): ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  return violations;
}

const found: string[] = [];

/** Notes the violations of an answer a test received; `failOnViolations` reports them all at the end of the file. */
export function checkAnswer(answer: Answer): void {
  found.push(...violationsOf(answer));
}

/**
 * The file's violations, each once with how often it happened. With CONTRACT_VIOLATIONS_FILE set
 * they are appended to that file instead (to measure across all tests at once).
 */
export async function failOnViolations(): Promise<void> {
  if (found.length === 0) return;
  const counts = new Map<string, number>();
  for (const violation of found) counts.set(violation, (counts.get(violation) ?? 0) + 1);
  const lines = [...counts].map(([violation, count]) => `${count}× ${violation}`);
  found.length = 0;
  const file = process.env['CONTRACT_VIOLATIONS_FILE'];
  if (file) {
    const { appendFile } = await import('node:fs/promises');
    await appendFile(file, lines.map((line) => `${line}\n`).join(''));
    return;
  }
  throw new Error(`Answers the OpenAPI document does not describe:\n${lines.join('\n')}`);
}
