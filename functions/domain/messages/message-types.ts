/**
 * Every kind of message the system sends, with the record it is about. Templates, rules and the
 * conversation all name messages by these keys.
 */
export const messageTypes = {
  booking_confirmation: { entity: 'booking', description: 'A booking was made and is confirmed' },
  booking_pending: { entity: 'booking', description: 'A booking request awaits the business’s confirmation' },
  booking_confirmed: { entity: 'booking', description: 'The business confirmed a pending booking' },
  booking_rejected: { entity: 'booking', description: 'The business rejected a booking request' },
  booking_cancelled: { entity: 'booking', description: 'A booking was cancelled' },
  booking_rescheduled: { entity: 'booking', description: 'A booking moved to a new date or time' },
  booking_completed: { entity: 'booking', description: 'An appointment took place' },
  invoice_issued: { entity: 'invoice', description: 'A new invoice for the client' },
  estimate_issued: { entity: 'estimate', description: 'A new estimate (quote) for the client' },
  order_created: { entity: 'order', description: 'A work order was opened' },
  order_status_changed: { entity: 'order', description: 'A work order changed status' },
  order_schedule_changed: { entity: 'order', description: 'A work order’s scheduled time changed' },
  lead_created: { entity: 'lead', description: 'A new lead' },
  lead_status_changed: { entity: 'lead', description: 'A lead changed status' },
} as const;

export type MessageType = keyof typeof messageTypes;
export const messageTypeNames = Object.keys(messageTypes) as [MessageType, ...MessageType[]];

export const channels = ['email', 'sms'] as const;
export type Channel = (typeof channels)[number];

/** The record kinds whose changes can trigger messages (the evaluator's stream filter). */
export const triggeringKinds = ['booking', 'invoice', 'estimate', 'order', 'lead'] as const;
export type TriggeringKind = (typeof triggeringKinds)[number];
