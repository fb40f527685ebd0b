export { Tracer } from '@aws-lambda-powertools/tracer';
