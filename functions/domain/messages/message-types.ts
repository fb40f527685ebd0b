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
  booking_reminder: { entity: 'booking', description: 'An appointment is coming up' },
  booking_follow_up: { entity: 'booking', description: 'After the appointment: thanks, and an invitation to book again' },
  booking_follow_up_due: { entity: 'booking', audience: 'business', description: 'Reminds the business to follow up with a client after an appointment' },
  invoice_issued: { entity: 'invoice', description: 'A new invoice for the client' },
  invoice_overdue: { entity: 'invoice', description: 'An invoice is past its due date' },
  invoice_overdue_business: { entity: 'invoice', audience: 'business', description: 'Tells the business an invoice is past its due date' },
  estimate_issued: { entity: 'estimate', description: 'A new estimate (quote) for the client' },
  estimate_expiring: { entity: 'estimate', description: 'An estimate expires soon' },
  estimate_expiring_business: { entity: 'estimate', audience: 'business', description: 'Tells the business an estimate expires soon' },
  order_created: { entity: 'order', description: 'A work order was opened' },
  order_status_changed: { entity: 'order', description: 'A work order changed status' },
  order_schedule_changed: { entity: 'order', description: 'A work order’s scheduled time changed' },
  order_reminder: { entity: 'order', description: 'A work order’s scheduled time is coming up' },
  lead_created: { entity: 'lead', description: 'A new lead' },
  lead_status_changed: { entity: 'lead', description: 'A lead changed status' },
  auto_reply_contact_form: { entity: 'message', description: 'Answers a contact form from the website at once' },
  auto_reply_message: { entity: 'message', description: 'Answers a message a client sent through the website at once' },
  auto_reply_document: { entity: 'message', description: 'Confirms a document a client uploaded through the website' },
  booking_invitation: { entity: 'client', description: 'Invites the client to book again (sent from the client card)' },
  free_form: { entity: 'client', description: 'A message the business writes to the client from the client card' },
} as const satisfies Record<string, { entity: string; description: string; audience?: 'business' }>;

export type MessageType = keyof typeof messageTypes;
export const messageTypeNames = Object.keys(messageTypes) as [MessageType, ...MessageType[]];
/** An outbound message type (not an inbound item's). */
export const isMessageType = (name: string): name is MessageType => Object.hasOwn(messageTypes, name);

export const channels = ['email', 'sms'] as const;
export type Channel = (typeof channels)[number];

/** How long a message's subject and text may be, per channel (an SMS of 1600 characters is about ten segments). */
export const templateLimits = {
  subject: 200,
  text: { email: 10_000, sms: 1600 },
} as const satisfies { subject: number; text: Record<Channel, number> };

/**
 * How long a message may be once rendered, per channel: an SMS in segments (as billed), an email's
 * text in bytes of UTF-8, a subject in characters. A template that could render longer is refused
 * when saved; a message that still does is recorded as failed (`too_long`) instead of being sent.
 */
export const renderedLimits = {
  smsSegments: 10,
  emailTextBytes: 100 * 1024,
  // RFC 5322's longest line: a subject is one header line.
  subjectCharacters: 998,
} as const;

/** The record kinds whose changes can trigger messages (the evaluator's stream filter). */
export const triggeringKinds = ['booking', 'invoice', 'estimate', 'order', 'lead'] as const;
export type TriggeringKind = (typeof triggeringKinds)[number];

/**
 * What a message can be about: a triggering record, an inbound conversation item (an auto-reply
 * answers it) or the client itself (a message sent from the client card).
 */
export const messageEntityKinds = [...triggeringKinds, 'message', 'client'] as const;
export type MessageEntityKind = (typeof messageEntityKinds)[number];

/**
 * Every record kind the evaluator reads from the table's stream: the triggering records, and the
 * rules and settings page whose edits re-arm timed messages (`rearm` items carry that work on).
 */
export const evaluatedKinds = [...triggeringKinds, 'rule', 'ruleSettings', 'rearm'] as const;
