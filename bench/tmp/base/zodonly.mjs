import * as z from 'zod';
export const s = z.object({ a: z.string(), b: z.number().int(), c: z.enum(['x','y']).optional() });
