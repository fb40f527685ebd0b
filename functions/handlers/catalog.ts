import type { AnyRoute } from '#http/route.ts';
import type { HttpLambda } from '#http/http-handler.ts';
import * as openapi from '#handlers/openapi.ts';
import { recordAreas } from '#handlers/record-areas.ts';

export interface ApiArea {
  /** Also the handler module's name under functions/handlers/. */
  readonly area: string;
  readonly routes: readonly AnyRoute[];
  readonly handler: HttpLambda;
  /** Areas that never touch the records table get no access to it. */
  readonly tableAccess?: 'read-write' | 'none';
}

/** Every HTTP area: what the CDK stack deploys and the local server serves. */
export const apiAreas: readonly ApiArea[] = [...recordAreas, { area: 'openapi', tableAccess: 'none', ...openapi }];
