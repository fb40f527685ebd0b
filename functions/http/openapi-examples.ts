import type { AnyRoute } from '#http/route.ts';
export const requestExampleOf = (_route: AnyRoute): unknown => undefined;
export const responseExampleOf = (_route: AnyRoute, _status: number): unknown => undefined;
