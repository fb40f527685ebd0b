/**
 * Benchmark: the stream evaluator on 10,000 records of mixed entities for 100 tenants with 50 custom
 * rules each (plus their settings page), in Lambda-sized batches of 100. Delivery is replaced at its
 * port by a counter and rules come from memory, with every read counted; the floor is unmarshalling
 * the same records alone, measured in the same run.
 *
 *   npm run bench
 */
import { performance } from 'node:perf_hooks';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { evaluateStream } from '#services/evaluate-stream.ts';
import type { RecordStore } from '#domain/record-store.ts';
import type { TenantRules } from '#domain/messages/evaluate.ts';
import { CustomRuleInput, defaultAutomatedMessages, type CustomRule } from '#domain/messages/rules.ts';

const recordCount = 10_000;
const tenantCount = 100;
const rulesPerTenant = 50;
const batchSize = 100;
const rounds = 11;

// A fixed pseudo-random sequence, so every run measures the same records.
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const at = '2026-01-01T00:00:00.000Z';
const ruleTemplates = [
  { trigger: { entity: 'order', on: 'status_changed', toStatus: 'Ready' }, template: 'order_status_changed' },
  { trigger: { entity: 'order', on: 'status_changed' }, template: 'order_status_changed' },
  { trigger: { entity: 'order', on: 'created' }, template: 'order_created' },
  { trigger: { entity: 'order', on: 'schedule_changed' }, template: 'order_schedule_changed' },
  { trigger: { entity: 'lead', on: 'created' }, template: 'lead_created' },
  { trigger: { entity: 'lead', on: 'status_changed', toStatus: 'Won' }, template: 'lead_status_changed' },
  { trigger: { entity: 'booking', on: 'status_changed', toStatus: 'completed' }, template: 'booking_completed' },
  { trigger: { entity: 'booking', on: 'schedule_changed' }, template: 'booking_rescheduled' },
] as const;

const tenants = new Map<string, TenantRules>();
for (let t = 0; t < tenantCount; t++) {
  const custom = Array.from({ length: rulesPerTenant }, (_, r) => {
    const shape = pick(ruleTemplates);
    const input = CustomRuleInput.parse({
      name: `rule ${r}`,
      ...shape,
      audience: pick(['client', 'business']),
      channel: pick(['email', 'sms']),
      locations: random() < 0.5 ? 'all' : [`L${Math.floor(random() * 3)}`],
    });
    return { ...input, id: `R${t}-${r}`, version: 1, createdAt: at, updatedAt: at } as CustomRule;
  });
  tenants.set(`tenant-${t}`, { custom, automated: defaultAutomatedMessages });
}

let sequence = 0;
function change(kind: string, tenantId: string, previous: object | undefined, current: object): DynamoDBRecord {
  const image = (value: object) => marshall({ kind, tenantId, pk: `T#${tenantId}`, sk: `${kind}#x`, ...value }, { removeUndefinedValues: true }) as Record<string, never>;
  return {
    eventID: `e${sequence}`,
    eventName: previous ? 'MODIFY' : 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: { SequenceNumber: String(++sequence), StreamViewType: 'NEW_AND_OLD_IMAGES', NewImage: image(current), ...(previous ? { OldImage: image(previous) } : {}) },
  };
}

function someChange(): DynamoDBRecord {
  const tenantId = `tenant-${Math.floor(random() * tenantCount)}`;
  const id = `X${sequence}`;
  const base = { id, clientId: 'C1', locationId: `L${Math.floor(random() * 3)}`, createdAt: at, updatedAt: at };
  const booking = { ...base, service: 'Haircut', status: 'confirmed', start: '2026-03-29T10:00:00+02:00', end: '2026-03-29T10:30:00+02:00', version: 1 };
  switch (Math.floor(random() * 8)) {
    case 0:
      return change('booking', tenantId, undefined, booking);
    case 1:
      return change('booking', tenantId, booking, { ...booking, version: 2, status: pick(['cancelled', 'completed', 'no_show']) });
    case 2:
      return change('booking', tenantId, booking, { ...booking, version: 2, start: '2026-03-30T10:00:00+02:00', end: '2026-03-30T10:30:00+02:00' });
    case 3: {
      const invoice = { ...base, number: 'F-1', amountMinor: 4500, currency: 'EUR', issueDate: '2026-03-01', dueDate: '2026-03-31', status: 'draft', version: 1 };
      return change('invoice', tenantId, invoice, { ...invoice, status: 'issued', version: 2 });
    }
    case 4: {
      const order = { ...base, title: 'Repair', status: 'New', scheduledAt: '2026-03-30T09:00:00+02:00', version: 1 };
      return random() < 0.3 ? change('order', tenantId, undefined, order) : change('order', tenantId, order, { ...order, version: 2, status: pick(['In progress', 'Ready']) });
    }
    case 5: {
      const lead = { ...base, source: 'website', status: 'New', version: 1 };
      return random() < 0.5 ? change('lead', tenantId, undefined, lead) : change('lead', tenantId, lead, { ...lead, version: 2, status: pick(['Won', 'Lost']) });
    }
    case 6:
      return change('booking', tenantId, booking, { ...booking, version: 2, notes: 'edited' });
    default:
      return change('estimate', tenantId, undefined, { ...base, number: 'P-1', amountMinor: 1000, currency: 'EUR', expiresOn: '2026-04-30', status: 'draft', version: 1 });
  }
}

const records = Array.from({ length: recordCount }, someChange);
const batches = Array.from({ length: recordCount / batchSize }, (_, i) => records.slice(i * batchSize, (i + 1) * batchSize));

let reads = 0;
let bodies: string[] = [];
const deps = {
  loadRules: async (tenantId: string) => {
    reads += 1;
    return tenants.get(tenantId)!;
  },
  queue: {
    async enqueue(messages: readonly { body: string }[]) {
      for (const message of messages) bodies.push(message.body);
    },
  },
  // The benched tenants have no timed rules, delays or business hours, so nothing reads places or arms schedules.
  store: new Proxy({} as RecordStore, { get: () => () => Promise.reject(new Error('the bench reads no places')) }),
  scheduler: { arm: async () => undefined, disarm: async () => undefined },
  messages: { schedule: async () => undefined, cancel: async () => undefined, upcomingForClient: async () => [] },
  now: () => new Date(at),
};

async function evaluateAll(): Promise<number> {
  const started = performance.now();
  for (const batch of batches) {
    const result = await evaluateStream(batch, deps);
    if (result.batchItemFailures.length) throw new Error('unexpected failures');
  }
  return performance.now() - started;
}

function unmarshallAll(): number {
  const started = performance.now();
  let sink = 0;
  for (const record of records) {
    const current = unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>);
    const previous = record.dynamodb!.OldImage ? unmarshall(record.dynamodb!.OldImage as Record<string, AttributeValue>) : undefined;
    sink += Object.keys(current).length + (previous ? 1 : 0);
  }
  if (sink === 0) throw new Error('nothing unmarshalled');
  return performance.now() - started;
}

// Warm up both, then measure them in pairs, one right after the other, so a pair sees the same
// machine load; the ratio reported is the median pair's, and the times the best of each.
await evaluateAll();
unmarshallAll();
let evaluateMs = Infinity;
let floorMs = Infinity;
const ratios: number[] = [];
for (let round = 0; round < rounds; round++) {
  reads = 0;
  bodies = [];
  const evaluated = await evaluateAll();
  const floor = unmarshallAll();
  evaluateMs = Math.min(evaluateMs, evaluated);
  floorMs = Math.min(floorMs, floor);
  ratios.push(evaluated / floor);
}
ratios.sort((a, b) => a - b);
const medianRatio = ratios[Math.floor(ratios.length / 2)]!;

console.log(`stream records:              ${recordCount} in ${batches.length} batches of ${batchSize}; ${tenantCount} tenants x ${rulesPerTenant} custom rules + settings page`);
console.log(`evaluator:                   ${Math.round((recordCount / evaluateMs) * 1000).toLocaleString('en')} records/s (best of ${rounds}: ${evaluateMs.toFixed(1)} ms)`);
console.log(`floor, unmarshalling alone:  ${Math.round((recordCount / floorMs) * 1000).toLocaleString('en')} records/s (${floorMs.toFixed(1)} ms)`);
console.log(`ratio evaluator / floor:     ${medianRatio.toFixed(2)}x, median of ${rounds} pairs (${ratios[0]!.toFixed(2)}x to ${ratios.at(-1)!.toFixed(2)}x; target: at most 1.3x)`);
console.log(`DynamoDB reads per batch:    ${(reads / batches.length).toFixed(1)} (one rules query per distinct tenant in the batch)`);
const messages = bodies.reduce((sum, body) => sum + (JSON.parse(body) as { messages: unknown[] }).messages.length, 0);
console.log(`queued:                      ${bodies.length} delivery requests carrying ${messages} messages (${(messages / recordCount).toFixed(2)} per record)`);
