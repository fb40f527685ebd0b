import { describe, expect, it } from 'vitest';
import { deriveEvents, type RecordImage } from '#domain/messages/events.ts';
import { messagesFor, rulesOf, type TenantRules } from '#domain/messages/evaluate.ts';
import { deliveryRequest, intentsOf, staleness, scheduleOf, type DeliveryRequest } from '#domain/messages/message-intent.ts';
import { CustomRuleInput, customTextFor, defaultAutomatedMessages, matchingRules, systemRules, type CustomRule, type Rule } from '#domain/messages/rules.ts';

const at = '2026-01-01T00:00:00.000Z';
const booking = (changes: Record<string, unknown> = {}): RecordImage => ({
  id: 'B1',
  version: 1,
  clientId: 'C1',
  locationId: 'L1',
  status: 'confirmed',
  start: '2026-03-29T10:00:00+02:00',
  end: '2026-03-29T10:30:00+02:00',
  ...changes,
});
const types = (kind: Parameters<typeof deriveEvents>[0], previous: RecordImage | undefined, record: RecordImage | undefined) =>
  deriveEvents(kind, 'acme', previous, record).map((event) => event.type);

describe('event derivation', () => {
  it('derives booking creation in either initial status', () => {
    expect(deriveEvents('booking', 'acme', undefined, booking())).toMatchObject([{ type: 'booking.created', trigger: 'created', status: 'confirmed' }]);
    expect(deriveEvents('booking', 'acme', undefined, booking({ status: 'pending' }))).toMatchObject([{ type: 'booking.created', status: 'pending' }]);
  });

  it.each([
    ['pending', 'confirmed', 'booking.confirmed'],
    ['pending', 'rejected', 'booking.rejected'],
    ['confirmed', 'cancelled', 'booking.cancelled'],
    ['confirmed', 'completed', 'booking.completed'],
    ['confirmed', 'no_show', 'booking.no_show'],
  ])('derives a booking going from %s to %s', (from, to, type) => {
    const events = deriveEvents('booking', 'acme', booking({ status: from }), booking({ status: to, version: 2 }));
    expect(events).toMatchObject([{ type, trigger: 'status_changed', status: to, previousStatus: from }]);
  });

  it('carries who cancelled in the record', () => {
    const [event] = deriveEvents('booking', 'acme', booking(), booking({ status: 'cancelled', cancelledBy: 'client', version: 2 }));
    expect(event!.record.cancelledBy).toBe('client');
  });

  it('derives a reschedule with the old and new times, and not for an offset-only rewrite', () => {
    const [event] = deriveEvents('booking', 'acme', booking(), booking({ start: '2026-03-30T10:00:00+02:00', version: 2 }));
    expect(event).toMatchObject({ type: 'booking.rescheduled', trigger: 'schedule_changed' });
    expect(event!.previous!.start).toBe('2026-03-29T10:00:00+02:00');
    expect(types('booking', booking(), booking({ start: '2026-03-29T08:00:00Z', version: 2 }))).toEqual([]);
  });

  it.each([
    ['invoice', 'draft', 'issued', 'invoice.issued'],
    ['invoice', 'issued', 'paid', 'invoice.paid'],
    ['invoice', 'issued', 'void', 'invoice.voided'],
    ['estimate', 'draft', 'issued', 'estimate.issued'],
    ['estimate', 'issued', 'accepted', 'estimate.accepted'],
    ['estimate', 'issued', 'declined', 'estimate.declined'],
  ] as const)('derives an %s going from %s to %s', (kind, from, to, type) => {
    expect(types(kind, { id: 'X1', version: 1, status: from }, { id: 'X1', version: 2, status: to })).toEqual([type]);
  });

  it('derives nothing for draft invoices and estimates being written', () => {
    expect(types('invoice', undefined, { id: 'I1', version: 1, status: 'draft' })).toEqual([]);
    expect(types('estimate', undefined, { id: 'E1', version: 1, status: 'draft' })).toEqual([]);
    expect(types('invoice', { id: 'I1', version: 1, status: 'draft', amountMinor: 1 }, { id: 'I1', version: 2, status: 'draft', amountMinor: 2 })).toEqual([]);
  });

  it('derives order creation, status changes (from, to) and schedule changes, together when both change', () => {
    const order = { id: 'O1', version: 1, status: 'New', scheduledAt: '2026-03-30T09:00:00+02:00' };
    expect(types('order', undefined, order)).toEqual(['order.created']);
    const both = deriveEvents('order', 'acme', order, { ...order, version: 2, status: 'Ready', scheduledAt: null });
    expect(both).toMatchObject([
      { type: 'order.status_changed', previousStatus: 'New', status: 'Ready' },
      { type: 'order.schedule_changed', trigger: 'schedule_changed' },
    ]);
  });

  it('derives lead creation and status changes', () => {
    expect(types('lead', undefined, { id: 'L1', version: 1, status: 'New' })).toEqual(['lead.created']);
    expect(types('lead', { id: 'L1', version: 1, status: 'New' }, { id: 'L1', version: 2, status: 'Won' })).toEqual(['lead.status_changed']);
  });

  it('derives nothing from a write that changes nothing relevant, a replayed older image, or a delete', () => {
    expect(types('booking', booking(), booking({ service: 'Tinte', version: 2 }))).toEqual([]);
    expect(types('booking', booking({ version: 3 }), booking({ status: 'cancelled', version: 3 }))).toEqual([]);
    expect(types('booking', booking(), undefined)).toEqual([]);
  });

  it('does not call a time change of a closed booking a reschedule', () => {
    expect(types('booking', booking({ status: 'cancelled' }), booking({ status: 'cancelled', start: '2026-04-01T10:00:00+02:00', version: 2 }))).toEqual([]);
  });
});

describe('settings page as system rules', () => {
  it('by default emails every booking status message and the invoice and estimate notifications, and sends no SMS', () => {
    const rules = systemRules(defaultAutomatedMessages);
    expect(rules.every((rule) => rule.channel === 'email')).toBe(true);
    expect(rules.map((rule) => rule.template)).toEqual([
      'booking_confirmation',
      'booking_pending',
      'booking_confirmed',
      'booking_rejected',
      'booking_cancelled',
      'booking_rescheduled',
      'invoice_issued',
      'estimate_issued',
    ]);
  });

  it('adds SMS where switched on and drops email where switched off', () => {
    const settings = {
      ...defaultAutomatedMessages,
      bookingConfirmation: { sms: true },
      bookingStatus: { ...defaultAutomatedMessages.bookingStatus, cancelled: { email: false, sms: true, customText: { sms: 'Cancelled, {{ client.firstName }}' } } },
    };
    const ids = systemRules(settings).map((rule) => rule.id);
    expect(ids).toContain('system.booking_confirmation.sms');
    expect(ids).toContain('system.booking_cancelled.sms');
    expect(ids).not.toContain('system.booking_cancelled.email');
    expect(customTextFor(settings, 'system.booking_cancelled.sms')).toBe('Cancelled, {{ client.firstName }}');
    expect(customTextFor(settings, 'system.booking_cancelled.email')).toBeUndefined();
  });
});

describe('rule matching', () => {
  const rule = (changes: Partial<Rule>): Rule => ({
    id: 'R1',
    trigger: { entity: 'order', on: 'status_changed', toStatus: 'Ready' },
    audience: 'client',
    channel: 'sms',
    template: 'order_status_changed',
    locations: 'all',
    businessHoursOnly: false,
    enabled: true,
    ...changes,
  });
  const orderReady = deriveEvents('order', 'acme', { id: 'O1', version: 1, status: 'New', locationId: 'L1' }, { id: 'O1', version: 2, status: 'Ready', locationId: 'L1' })[0]!;

  it('matches "status changed to Ready" only for Ready', () => {
    expect(matchingRules([rule({})], orderReady)).toHaveLength(1);
    const inProgress = { ...orderReady, status: 'In progress' };
    expect(matchingRules([rule({})], inProgress)).toHaveLength(0);
    expect(matchingRules([rule({ trigger: { entity: 'order', on: 'status_changed' } })], inProgress)).toHaveLength(1);
  });

  it('honours locations and the enabled switch', () => {
    expect(matchingRules([rule({ locations: ['L2'] })], orderReady)).toHaveLength(0);
    expect(matchingRules([rule({ locations: ['L2', 'L1'] })], orderReady)).toHaveLength(1);
    expect(matchingRules([rule({ enabled: false })], orderReady)).toHaveLength(0);
  });

  it('validates custom rules: template of the same entity, booking statuses, no schedule for leads', () => {
    const base = { name: 'Ready SMS', trigger: { entity: 'order', on: 'status_changed', toStatus: 'Ready' }, audience: 'client', channel: 'sms', template: 'order_status_changed' };
    expect(CustomRuleInput.parse(base)).toMatchObject({ locations: 'all', enabled: true, businessHoursOnly: false });
    expect(CustomRuleInput.safeParse({ ...base, template: 'booking_confirmed' }).error?.issues[0]?.path).toEqual(['template']);
    expect(CustomRuleInput.safeParse({ ...base, trigger: { entity: 'booking', on: 'status_changed', toStatus: 'Ready' }, template: 'booking_confirmed' }).success).toBe(false);
    expect(CustomRuleInput.safeParse({ ...base, trigger: { entity: 'lead', on: 'schedule_changed' }, template: 'lead_status_changed' }).success).toBe(false);
    expect(CustomRuleInput.safeParse({ ...base, trigger: { entity: 'invoice', on: 'created' } }).success).toBe(false);
  });
});

describe('intents', () => {
  const tenant: TenantRules = { custom: [], automated: defaultAutomatedMessages };
  const created = { kind: 'booking' as const, tenantId: 'acme', previous: undefined, record: booking() };
  const utc = () => ({ timeZone: 'UTC' });
  const evaluated = (rules: TenantRules, now: string) => messagesFor(created, rulesOf(rules), utc, new Date(now));
  const intents = (result: { dispatch: readonly { request: DeliveryRequest }[] }) => result.dispatch.flatMap(({ request }) => intentsOf(request));

  it('gives one confirmation email for a new confirmed booking, with a deterministic id', () => {
    const [intent, ...rest] = intents(evaluated(tenant, at));
    expect(rest).toEqual([]);
    expect(intent).toMatchObject({
      id: 'booking.B1.v1.system.booking_confirmation.email',
      messageType: 'booking_confirmation',
      channel: 'email',
      clientId: 'C1',
      locationId: 'L1',
      expected: { status: 'confirmed', schedule: '2026-03-29T10:00:00+02:00' },
    });
    expect(intents(evaluated(tenant, '2027-01-01T00:00:00.000Z'))[0]!.id).toBe(intent!.id);
  });

  it('adds custom rules to the system ones', () => {
    const custom = { ...CustomRuleInput.parse({ name: 'Tell me', trigger: { entity: 'booking', on: 'created' }, audience: 'business', channel: 'email', template: 'booking_confirmation' }), id: 'R9', version: 1, createdAt: at, updatedAt: at } as CustomRule;
    const both = intents(evaluated({ ...tenant, custom: [custom] }, at));
    expect(both.map((intent) => [intent.ruleId, intent.audience])).toEqual([
      ['system.booking_confirmation.email', 'client'],
      ['R9', 'business'],
    ]);
  });

  it('is stale once the record is deleted, changes status or moves, but not for the same instant in another offset', () => {
    const [event] = deriveEvents('booking', 'acme', undefined, booking());
    const [intent] = intentsOf(deliveryRequest(event!, [{ rule: systemRules(defaultAutomatedMessages)[0]!, eventType: event!.type }], at));
    expect(intent!.id).toBe('booking.B1.v1.system.booking_confirmation.email');
    expect(staleness(intent!, booking({ version: 2, service: 'Tinte' }))).toBeUndefined();
    expect(staleness(intent!, booking({ start: '2026-03-29T08:00:00Z' }))).toBeUndefined();
    expect(staleness(intent!, undefined)).toBe('booking was deleted');
    expect(staleness(intent!, booking({ status: 'cancelled' }))).toBe('booking is now cancelled');
    expect(staleness(intent!, booking({ start: '2026-03-30T10:00:00+02:00' }))).toContain('booking moved to');
    expect(scheduleOf('invoice', { dueDate: '2026-01-01' })).toBeNull();
  });
});
