/**
 * The TypeScript types of the OpenAPI document, as a separately hosted SPA generates them
 * (openapi-typescript), written to test/contract/api.d.ts (not committed) before `npm test` and
 * `npm run typecheck` type-check the typed client flow against them, so a document that breaks
 * the SPA's client breaks the build. By hand: `node test/contract/generate-types.ts --write`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { recordAreas } from '#api/record-areas.ts';
import { openApiDocument } from '#http/openapi-document.ts';

export const typesFile = fileURLToPath(new URL('./api.d.ts', import.meta.url));

export async function generatedTypes(): Promise<string> {
  const document = openApiDocument(recordAreas.flatMap((area) => area.routes));
  const ast = await openapiTS(JSON.stringify(document), { silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

export const writtenTypes = (): Promise<string> => readFile(typesFile, 'utf8');

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  await writeFile(typesFile, await generatedTypes());
  process.stdout.write(`wrote ${typesFile}\n`);
}
