import { Tracer } from '@aws-lambda-powertools/tracer';
export const t = new Tracer();
