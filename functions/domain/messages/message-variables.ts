import { DateTime } from 'luxon';
import { DocumentNumber } from '#domain/invoices.ts';
import { Name, type Language } from '#domain/values.ts';
import { messageTypeDeclarations, messageTypes, type MessageType } from '#domain/messages/message-types.ts';
import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import type { MessageContent } from '#domain/messages/message-intent.ts';

/**
 * The variables a message template may use, and how they are computed from the records. Dates and
 * times are rendered in the location's time zone (else the business's) and in the client's
 * language; amounts in the currency's own format. Pure: delivery passes the records it loaded.
 */

export type MessageEntity = (typeof messageTypes)[MessageType]['entity'];

export interface MessageContextInput {
  readonly messageType: MessageType;
  readonly language: Language;
  readonly business: { readonly name: string; readonly timeZone: string };
  readonly location?: { readonly name: string; readonly timeZone: string };
  readonly client: { readonly firstName: string; readonly lastName?: string };
  /** The booking, invoice, estimate, order or lead as stored now. */
  readonly record: Record<string, unknown>;
  /** The record before the change: the old start for reschedules, the old status for status changes. */
  readonly previous?: Record<string, unknown>;
  /** What the business wrote, for a free-form message. */
  readonly content?: MessageContent;
}

export interface VariableDefinition {
  /** Dotted path as written in a template, e.g. `booking.date`. */
  readonly path: string;
  readonly description: string;
}

/** Variables by their dotted path, with what each holds. */
type Variables = Readonly<Record<string, string>>;

const common: Variables = {
  'business.name': 'The business name from the settings',
  'client.firstName': 'The client’s first name',
  'client.lastName': 'The client’s last name (may be empty)',
  'client.fullName': 'First and last name',
};

const located: Variables = { 'location.name': 'The location’s name' };

/** Each entity's variables; a message type may add its own (its declaration's `variables`, e.g. a reschedule's previous date). */
const byEntity: Readonly<Record<MessageEntity, Variables>> = {
  booking: {
    ...located,
    'booking.service': 'The booked service',
    'booking.date': 'The appointment’s date, e.g. Sunday, March 29, 2026',
    'booking.shortDate': 'The appointment’s date without the year, e.g. Sunday, March 29',
    'booking.time': 'The start time, e.g. 10:00 AM (in the location’s time zone)',
    'booking.endTime': 'The end time',
  },
  invoice: {
    'invoice.number': 'The invoice number',
    'invoice.amount': 'The amount with its currency, e.g. 120,50 €',
    'invoice.issueDate': 'The issue date',
    'invoice.dueDate': 'The due date',
  },
  estimate: {
    'estimate.number': 'The estimate number',
    'estimate.amount': 'The amount with its currency',
    'estimate.expiresOn': 'The date the estimate expires',
  },
  order: {
    ...located,
    'order.title': 'The work order’s title',
    'order.status': 'Its status',
    'order.scheduledDate': 'The scheduled date (empty when not scheduled)',
    'order.scheduledShortDate': 'The scheduled date without the year',
    'order.scheduledTime': 'The scheduled time (empty when not scheduled)',
  },
  lead: {
    'lead.source': 'Where the lead came from',
    'lead.status': 'Its status',
  },
  // An auto-reply never repeats what came in: a form anyone can fill in must not relay their words.
  message: {},
  client: {},
};

export const entityOf = (messageType: MessageType): MessageEntity => messageTypes[messageType].entity;

export function variableDefinitions(messageType: MessageType): readonly VariableDefinition[] {
  const declared: MessageTypeDeclaration = messageTypeDeclarations[messageType];
  const variables = { ...common, ...byEntity[entityOf(messageType)], ...declared.variables };
  return Object.entries(variables).map(([path, description]) => ({ path, description }));
}

const allowedCache = new Map<MessageType, readonly string[]>();

/** The dotted paths a template of this message type may use. */
export function allowedVariables(messageType: MessageType): readonly string[] {
  let allowed = allowedCache.get(messageType);
  if (!allowed) {
    allowed = Object.freeze(variableDefinitions(messageType).map((definition) => definition.path));
    allowedCache.set(messageType, allowed);
  }
  return allowed;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/**
 * Intl puts no-break and narrow no-break spaces in times ("10:00 AM") and amounts ("120,50 €").
 * They are not in the GSM-7 alphabet, so one of them would turn a whole SMS into UCS-2 and halve
 * its length; plain spaces read the same.
 */
const plainSpaces = (text: string): string => text.replace(/[\u00A0\u2007\u2009\u202F]/g, ' ');

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

function instant(value: unknown, zone: string, language: Language): DateTime | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) return undefined;
  const local = parsed.setZone(zone).setLocale(language);
  return local.isValid ? local : undefined;
}

const longDate = (at: DateTime | undefined) => (at ? plainSpaces(at.toLocaleString(DateTime.DATE_HUGE)) : undefined);
const shortDate = (at: DateTime | undefined) => (at ? plainSpaces(at.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' })) : undefined);
const time = (at: DateTime | undefined) => (at ? plainSpaces(at.toLocaleString(DateTime.TIME_SIMPLE)) : undefined);

/** A calendar date (YYYY-MM-DD) as a date in the language, without any time-zone shift. */
export function formatCalendarDate(value: unknown, language: Language): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = DateTime.fromISO(value, { zone: 'UTC' }).setLocale(language);
  return date.isValid ? plainSpaces(date.toLocaleString(DateTime.DATE_FULL)) : undefined;
}

/** An amount in the currency's minor unit (12050 EUR) formatted in the language (120,50 € in es). */
export function formatAmount(amountMinor: unknown, currency: unknown, language: Language): string | undefined {
  if (typeof amountMinor !== 'number' || !Number.isFinite(amountMinor) || typeof currency !== 'string') return undefined;
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(language, { style: 'currency', currency });
  } catch {
    return undefined;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return plainSpaces(format.format(amountMinor / 10 ** digits));
}

/** The names an inbound item's sender typed (empty when it has none). */
function senderOf(record: Record<string, unknown>): { firstName: string; lastName?: string } {
  const sender = (record.sender ?? {}) as { firstName?: unknown; lastName?: unknown };
  return { firstName: typeof sender.firstName === 'string' ? sender.firstName : '', ...(typeof sender.lastName === 'string' ? { lastName: sender.lastName } : {}) };
}

/** Drops undefined members so a missing value renders empty and never as a stray key. */
const defined = (values: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));

// ---------------------------------------------------------------------------------------------

/**
 * The nested variables for one message: `{ business, client, location?, <entity> }`, with only the
 * entity of the message type and only the variables allowed for it.
 */
export function messageVariables(input: MessageContextInput): Record<string, unknown> {
  const { messageType, language, record } = input;
  const previous = input.previous ?? {};
  const zone = input.location?.timeZone ?? input.business.timeZone;
  const entity = entityOf(messageType);
  const allowed = new Set(allowedVariables(messageType));

  // An auto-reply greets whoever wrote by the name they typed, never by the card's: a form can carry
  // a client's address without coming from them, and must not learn the client's name.
  const person = entity === 'message' ? senderOf(record) : input.client;
  const firstName = person.firstName;
  const lastName = text(person.lastName);
  const variables: Record<string, Record<string, string>> = {
    // A business that never saved its settings has no name: left out, so the texts leave it out (atBusiness).
    business: defined({ name: text(input.business.name) }),
    client: defined({ firstName, lastName, fullName: [firstName, lastName].filter(Boolean).join(' ') }),
  };
  if (allowed.has('location.name') && input.location) variables.location = { name: input.location.name };

  let values: Record<string, string | undefined>;
  switch (entity) {
    case 'booking': {
      const start = instant(record.start, zone, language);
      const before = instant(previous.start, zone, language);
      values = {
        service: text(record.service),
        date: longDate(start),
        shortDate: shortDate(start),
        time: time(start),
        endTime: time(instant(record.end, zone, language)),
        previousDate: longDate(before),
        previousShortDate: shortDate(before),
        previousTime: time(before),
      };
      break;
    }
    case 'invoice':
    case 'estimate':
      // Numbered documents with an amount: an invoice falls due, an estimate expires (each keeps only its own).
      values = {
        number: text(record.number),
        amount: formatAmount(record.amountMinor, record.currency, language),
        issueDate: formatCalendarDate(record.issueDate, language),
        dueDate: formatCalendarDate(record.dueDate, language),
        expiresOn: formatCalendarDate(record.expiresOn, language),
      };
      break;
    case 'order': {
      const scheduled = instant(record.scheduledAt, zone, language);
      const before = instant(previous.scheduledAt, zone, language);
      values = {
        title: text(record.title),
        status: text(record.status),
        previousStatus: text(previous.status),
        scheduledDate: longDate(scheduled),
        scheduledShortDate: shortDate(scheduled),
        scheduledTime: time(scheduled),
        previousScheduledDate: longDate(before),
        previousScheduledTime: time(before),
      };
      break;
    }
    case 'lead':
      values = { source: text(record.source), status: text(record.status), previousStatus: text(previous.status) };
      break;
    case 'message':
    case 'client':
      // No values of their own; a free-form message carries the business's words instead.
      if (input.content && allowed.has('message.text')) variables.message = defined({ text: input.content.text, subject: input.content.subject });
      return variables;
  }
  variables[entity] = defined(Object.fromEntries(Object.entries(values).filter(([name]) => allowed.has(`${entity}.${name}`))));
  return variables;
}

// ---------------------------------------------------------------------------------------------
// Sample data for previews

interface Sample {
  readonly timeZone: string;
  readonly business: string;
  readonly location: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly currency: string;
  readonly service: string;
  readonly orderTitle: string;
  readonly orderStatus: string;
  readonly orderPreviousStatus: string;
  readonly leadSource: string;
  readonly leadStatus: string;
  readonly leadPreviousStatus: string;
  readonly content: MessageContent;
}

// Names chosen to be plausible for a salon in each language's country.
const samples: Readonly<Record<Language, Sample>> = {
  en: {
    timeZone: 'America/New_York',
    business: 'Bloom Hair Studio',
    location: 'Downtown',
    firstName: 'Emma',
    lastName: 'Wilson',
    currency: 'USD',
    service: 'Haircut and blow-dry',
    orderTitle: 'Bridal hair and makeup',
    orderStatus: 'In progress',
    orderPreviousStatus: 'New',
    leadSource: 'Website contact form',
    leadStatus: 'Contacted',
    leadPreviousStatus: 'New',
    content: { subject: 'Your products are here', text: 'The hair products you ordered have arrived. You can pick them up any day this week.' },
  },
  es: {
    timeZone: 'Europe/Madrid',
    business: 'Estética Luna',
    location: 'Calle Mayor',
    firstName: 'Ana',
    lastName: 'Moreno',
    currency: 'EUR',
    service: 'Corte y peinado',
    orderTitle: 'Peinado y maquillaje de novia',
    orderStatus: 'En curso',
    orderPreviousStatus: 'Nuevo',
    leadSource: 'Formulario de contacto',
    leadStatus: 'Contactado',
    leadPreviousStatus: 'Nuevo',
    content: { subject: 'Ya tienes tus productos', text: 'Ya han llegado los productos que encargaste. Puedes pasar a recogerlos esta semana.' },
  },
  fr: {
    timeZone: 'Europe/Paris',
    business: 'Institut Camille',
    location: 'Paris 11e',
    firstName: 'Claire',
    lastName: 'Martin',
    currency: 'EUR',
    service: 'Coupe et brushing',
    orderTitle: 'Coiffure et maquillage de mariage',
    orderStatus: 'En cours',
    orderPreviousStatus: 'Nouveau',
    leadSource: 'Formulaire de contact',
    leadStatus: 'Contacté',
    leadPreviousStatus: 'Nouveau',
    content: { subject: 'Vos produits sont arrivés', text: 'Les produits que vous avez commandés sont arrivés. Vous pouvez passer les chercher cette semaine.' },
  },
  it: {
    timeZone: 'Europe/Rome',
    business: 'Salone Aurora',
    location: 'Milano Centro',
    firstName: 'Chiara',
    lastName: 'Bianchi',
    currency: 'EUR',
    service: 'Taglio e piega',
    orderTitle: 'Acconciatura e trucco sposa',
    orderStatus: 'In corso',
    orderPreviousStatus: 'Nuovo',
    leadSource: 'Modulo di contatto',
    leadStatus: 'Contattato',
    leadPreviousStatus: 'Nuovo',
    content: { subject: 'I tuoi prodotti sono arrivati', text: 'I prodotti che hai ordinato sono arrivati. Puoi passare a ritirarli questa settimana.' },
  },
};

/** A local wall-clock time in a zone, as an ISO instant with its offset. */
const at = (zone: string, month: number, day: number, hour: number, minute = 0): string =>
  DateTime.fromObject({ year: 2026, month, day, hour, minute }, { zone }).toISO()!;

/** Realistic records for a preview (weekdays whose names fit GSM-7 in every language): a Thursday appointment, an invoice, an estimate, an order, a lead, a free-form text. */
export function sampleInput(messageType: MessageType, language: Language): MessageContextInput {
  const sample = samples[language];
  const zone = sample.timeZone;
  const records: Record<MessageEntity, { record: Record<string, unknown>; previous: Record<string, unknown> }> = {
    booking: {
      record: { service: sample.service, start: at(zone, 4, 16, 10), end: at(zone, 4, 16, 10, 45), status: 'confirmed' },
      previous: { start: at(zone, 4, 14, 17, 30), end: at(zone, 4, 14, 18, 15) },
    },
    invoice: { record: { number: 'F-2026-0042', amountMinor: 12050, currency: sample.currency, issueDate: '2026-04-16', dueDate: '2026-04-30', status: 'issued' }, previous: {} },
    estimate: { record: { number: 'P-2026-0017', amountMinor: 45000, currency: sample.currency, expiresOn: '2026-05-15', status: 'issued' }, previous: {} },
    order: {
      record: { title: sample.orderTitle, status: sample.orderStatus, scheduledAt: at(zone, 5, 22, 9, 30) },
      previous: { status: sample.orderPreviousStatus, scheduledAt: at(zone, 5, 21, 16) },
    },
    lead: { record: { source: sample.leadSource, status: sample.leadStatus }, previous: { status: sample.leadPreviousStatus } },
    message: { record: { status: 'received', sender: { firstName: sample.firstName, lastName: sample.lastName } }, previous: {} },
    client: { record: { status: 'active' }, previous: {} },
  };
  const { record, previous } = records[entityOf(messageType)];
  return {
    messageType,
    language,
    business: { name: sample.business, timeZone: zone },
    location: { name: sample.location, timeZone: zone },
    client: { firstName: sample.firstName, lastName: sample.lastName },
    record,
    previous,
    ...(allowedVariables(messageType).includes('message.text') ? { content: sample.content } : {}),
  };
}

/** The variables of a realistic sample message, for previews. */
export function sampleContext(messageType: MessageType, language: Language): Record<string, unknown> {
  return messageVariables(sampleInput(messageType, language));
}

// ---------------------------------------------------------------------------------------------
// The longest values, for the check of a template's length

const name = Name.maxLength!;
/** The longest a formatted date, time or amount is in any of our languages, with room to spare. */
const formatted = { date: 40, time: 12, amount: 30 };
/** The statuses' and the lead source's schemas (settings' status lists, `LeadFields.source`). */
const status = 40;
const source = 100;

const longestByPath: Readonly<Record<string, number>> = {
  'business.name': name,
  'client.firstName': name,
  'client.lastName': name,
  'client.fullName': 2 * name + 1,
  'location.name': name,
  'booking.service': name,
  'booking.date': formatted.date,
  'booking.shortDate': formatted.date,
  'booking.time': formatted.time,
  'booking.endTime': formatted.time,
  'booking.previousDate': formatted.date,
  'booking.previousShortDate': formatted.date,
  'booking.previousTime': formatted.time,
  'invoice.number': DocumentNumber.maxLength!,
  'invoice.amount': formatted.amount,
  'invoice.issueDate': formatted.date,
  'invoice.dueDate': formatted.date,
  'estimate.number': DocumentNumber.maxLength!,
  'estimate.amount': formatted.amount,
  'estimate.expiresOn': formatted.date,
  'order.title': name,
  'order.status': status,
  'order.previousStatus': status,
  'order.scheduledDate': formatted.date,
  'order.scheduledShortDate': formatted.date,
  'order.scheduledTime': formatted.time,
  'order.previousScheduledDate': formatted.date,
  'order.previousScheduledTime': formatted.time,
  'lead.source': source,
  'lead.status': status,
  'lead.previousStatus': status,
};

/**
 * The variables with every value as long as real records can make it (plain letters, so the
 * template's own encoding decides an SMS's). A template within its limits on these cannot be
 * pushed over them by a long name, whatever loop it wraps the name in. A free-form message's text
 * keeps its sample: it is the business's own words for that one message, bounded when written.
 */
export function longestContext(messageType: MessageType): Record<string, unknown> {
  const sample = sampleContext(messageType, 'en') as Record<string, Record<string, string>>;
  const longest: Record<string, Record<string, string>> = {};
  for (const path of allowedVariables(messageType)) {
    const [group, variable] = path.split('.') as [string, string];
    const length = longestByPath[path];
    const value = length === undefined ? sample[group]?.[variable] : 'x'.repeat(length);
    if (value !== undefined) (longest[group] ??= {})[variable] = value;
  }
  return longest;
}
