import type { LanguageDefaults } from '#domain/messages/default-templates/shape.ts';

// SMS texts keep to the GSM-7 alphabet (straight apostrophes, a plain hyphen) so that one
// segment holds 160 characters.

const greeting = 'Hi {{ client.firstName }},';
const bookingDetails = `Service: {{ booking.service }}
Date: {{ booking.date }}
Time: {{ booking.time }}{% if location.name %}
Location: {{ location.name }}{% endif %}`;
const changeOrCancel = 'If you need to change or cancel it, just let us know.';
const questions = 'If you have any questions, just let us know.';
const signed = (closing: string) => `${closing}\n{{ business.name }}`;
const sms = (text: string) => `${text} - {{ business.name }}`;
// Business-audience messages go to the owner: no greeting or signature, the business named up front
// or below so an owner of several businesses can tell them apart.
const forBusiness = (text: string) => `${text}\n\nAutomatic reminder for {{ business.name }}`;
const businessSms = (text: string) => `{{ business.name }}: ${text}`;

export const en: LanguageDefaults = {
  booking_confirmation: {
    email: {
      subject: 'Your appointment at {{ business.name }} is confirmed',
      text: `${greeting}

Your appointment is confirmed. Here are the details:

${bookingDetails}

${changeOrCancel}

${signed('See you soon,')}`,
    },
    sms: { text: sms("Hi {{ client.firstName }}, your {{ booking.service }} appointment on {{ booking.shortDate }} at {{ booking.time }} is confirmed. See you soon!") },
  },
  booking_pending: {
    email: {
      subject: "We've received your booking request",
      text: `${greeting}

Thank you for your booking request. We'll check our availability and confirm your appointment as soon as possible.

${bookingDetails}

${signed('Best regards,')}`,
    },
    sms: { text: sms("Hi {{ client.firstName }}, we've received your request for {{ booking.shortDate }} at {{ booking.time }}. We'll confirm it shortly.") },
  },
  booking_confirmed: {
    email: {
      subject: 'Your appointment at {{ business.name }} is confirmed',
      text: `${greeting}

Good news: we've confirmed your appointment.

${bookingDetails}

${changeOrCancel}

${signed('See you soon,')}`,
    },
    sms: { text: sms('Hi {{ client.firstName }}, good news: your appointment on {{ booking.shortDate }} at {{ booking.time }} is confirmed. See you soon!') },
  },
  booking_rejected: {
    email: {
      subject: 'About your booking request',
      text: `${greeting}

We're sorry, but we can't accept your request for {{ booking.service }} on {{ booking.date }} at {{ booking.time }}.

Please get in touch and we'll be happy to find another time that works for you.

${signed('Best regards,')}`,
    },
    sms: { text: sms("Hi {{ client.firstName }}, we're sorry, we can't accept your booking for {{ booking.shortDate }} at {{ booking.time }}. Please get in touch to find another time.") },
  },
  booking_cancelled: {
    email: {
      subject: 'Your appointment has been cancelled',
      text: `${greeting}

Your {{ booking.service }} appointment on {{ booking.date }} at {{ booking.time }} has been cancelled.

Whenever you'd like to book again, we'll be happy to see you.

${signed('Best regards,')}`,
    },
    sms: { text: sms('Hi {{ client.firstName }}, your appointment on {{ booking.shortDate }} at {{ booking.time }} has been cancelled. We hope to see you again soon.') },
  },
  booking_rescheduled: {
    email: {
      subject: 'Your appointment has been rescheduled',
      text: `${greeting}

Your appointment has been moved to a new date and time:

${bookingDetails}{% if booking.previousDate %}

It was previously booked for {{ booking.previousDate }} at {{ booking.previousTime }}.{% endif %}

If the new time doesn't suit you, just let us know.

${signed('See you soon,')}`,
    },
    sms: { text: sms('Hi {{ client.firstName }}, your {{ booking.service }} appointment has been moved to {{ booking.shortDate }} at {{ booking.time }}. See you then!') },
  },
  booking_completed: {
    email: {
      subject: 'Thank you for your visit',
      text: `${greeting}

Thank you for visiting us for your {{ booking.service }}. We hope you were happy with everything.

Whenever you're ready for your next appointment, we'll be glad to see you again.

${signed('Best regards,')}`,
    },
    sms: { text: sms('Hi {{ client.firstName }}, thank you for your visit! We hope you were happy with everything and look forward to seeing you again.') },
  },
  booking_reminder: {
    email: {
      subject: 'Reminder: your appointment at {{ business.name }}',
      text: `${greeting}

This is a friendly reminder of your upcoming appointment:

${bookingDetails}

${changeOrCancel}

${signed('See you soon,')}`,
    },
    sms: { text: sms('Hi {{ client.firstName }}, a reminder of your {{ booking.service }} appointment on {{ booking.shortDate }} at {{ booking.time }}. See you soon!') },
  },
  booking_follow_up: {
    email: {
      subject: 'Thank you for choosing {{ business.name }}',
      text: `${greeting}

Thank you again for your {{ booking.service }} appointment on {{ booking.date }}. We hope you're enjoying the results.

Whenever you'd like to book your next visit, just let us know. We'd love to see you again.

${signed('Best regards,')}`,
    },
    sms: { text: sms("Hi {{ client.firstName }}, thanks again for your visit on {{ booking.shortDate }}! Whenever you'd like to book your next appointment, just let us know.") },
  },
  booking_follow_up_due: {
    email: {
      subject: 'Time to follow up with {{ client.fullName }}',
      text: forBusiness(`It's a good time to follow up with {{ client.fullName }} after their appointment:

${bookingDetails}

Get in touch to ask how it went and invite them to book their next visit.`),
    },
    sms: { text: businessSms('follow up with {{ client.fullName }} after their {{ booking.service }} on {{ booking.shortDate }}. Ask how it went and offer a new booking.') },
  },
  invoice_issued: {
    email: {
      subject: 'Invoice {{ invoice.number }} from {{ business.name }}',
      text: `${greeting}

We've issued invoice {{ invoice.number }} for {{ invoice.amount }}, due on {{ invoice.dueDate }}.

If you have any questions about it, just let us know.

${signed('Thank you,')}`,
    },
    sms: { text: sms("Hi {{ client.firstName }}, we've issued invoice {{ invoice.number }} for {{ invoice.amount }}, due on {{ invoice.dueDate }}. Thank you!") },
  },
  invoice_overdue: {
    email: {
      subject: 'Reminder: invoice {{ invoice.number }} is overdue',
      text: `${greeting}

Our records show that invoice {{ invoice.number }} for {{ invoice.amount }}, due on {{ invoice.dueDate }}, is still unpaid.

We'd be grateful if you could settle it as soon as possible. If you've already paid, please disregard this message.

${questions}

${signed('Thank you,')}`,
    },
    sms: { text: sms('Hi {{ client.firstName }}, invoice {{ invoice.number }} for {{ invoice.amount }} was due on {{ invoice.dueDate }} and is still unpaid. Already paid? Please ignore this.') },
  },
  invoice_overdue_business: {
    email: {
      subject: 'Invoice {{ invoice.number }} for {{ client.fullName }} is overdue',
      text: forBusiness(`Invoice {{ invoice.number }} for {{ client.fullName }} ({{ invoice.amount }}) was due on {{ invoice.dueDate }} and is still unpaid.

Check whether the payment has come in, and if not, get in touch with the client to arrange it.`),
    },
    sms: { text: businessSms('invoice {{ invoice.number }} for {{ client.fullName }} ({{ invoice.amount }}) was due on {{ invoice.dueDate }} and is unpaid. Please follow up.') },
  },
  estimate_issued: {
    email: {
      subject: 'Your estimate {{ estimate.number }} from {{ business.name }}',
      text: `${greeting}

We've prepared estimate {{ estimate.number }} for you, for a total of {{ estimate.amount }}. It is valid until {{ estimate.expiresOn }}.

If you have any questions, or would like to go ahead, just let us know.

${signed('Best regards,')}`,
    },
    sms: { text: sms("Hi {{ client.firstName }}, we've prepared estimate {{ estimate.number }} for {{ estimate.amount }}, valid until {{ estimate.expiresOn }}. Any questions? Just ask.") },
  },
  estimate_expiring: {
    email: {
      subject: 'Your estimate {{ estimate.number }} expires soon',
      text: `${greeting}

Just a reminder that estimate {{ estimate.number }}, for a total of {{ estimate.amount }}, is valid until {{ estimate.expiresOn }}.

If you'd like to go ahead, or have any questions, just let us know before then.

${signed('Best regards,')}`,
    },
    sms: { text: sms('Hi {{ client.firstName }}, a reminder that estimate {{ estimate.number }} for {{ estimate.amount }} expires on {{ estimate.expiresOn }}. Want to go ahead? Let us know.') },
  },
  estimate_expiring_business: {
    email: {
      subject: 'Estimate {{ estimate.number }} for {{ client.fullName }} expires soon',
      text: forBusiness(`Estimate {{ estimate.number }} for {{ client.fullName }} ({{ estimate.amount }}) expires on {{ estimate.expiresOn }} and hasn't been answered yet.

Get in touch before then to see whether they'd like to go ahead.`),
    },
    sms: { text: businessSms('estimate {{ estimate.number }} for {{ client.fullName }} ({{ estimate.amount }}) expires on {{ estimate.expiresOn }} with no answer yet. Worth a call.') },
  },
  order_created: {
    email: {
      subject: "We've opened your order: {{ order.title }}",
      text: `${greeting}

We've opened your order "{{ order.title }}".{% if order.scheduledDate %} It is scheduled for {{ order.scheduledDate }} at {{ order.scheduledTime }}.{% endif %}

We'll keep you posted on its progress.

${signed('Best regards,')}`,
    },
    sms: {
      text: sms(
        "Hi {{ client.firstName }}, we've opened your order: {{ order.title }}.{% if order.scheduledDate %} Scheduled for {{ order.scheduledShortDate }} at {{ order.scheduledTime }}.{% endif %} We'll keep you posted.",
      ),
    },
  },
  order_status_changed: {
    email: {
      subject: 'Update on your order: {{ order.title }}',
      text: `${greeting}

There's an update on your order "{{ order.title }}": its status is now "{{ order.status }}".

${questions}

${signed('Best regards,')}`,
    },
    sms: { text: sms('Hi {{ client.firstName }}, update on your order {{ order.title }}: its status is now {{ order.status }}.') },
  },
  order_schedule_changed: {
    email: {
      subject: 'Schedule update for your order: {{ order.title }}',
      text: `${greeting}

{% if order.scheduledDate %}Your order "{{ order.title }}" is now scheduled for {{ order.scheduledDate }} at {{ order.scheduledTime }}.{% else %}Your order "{{ order.title }}" no longer has a scheduled date. We'll be in touch to arrange a new one.{% endif %}

${questions}

${signed('Best regards,')}`,
    },
    sms: {
      text: sms(
        "Hi {{ client.firstName }}, {% if order.scheduledDate %}your order {{ order.title }} is now scheduled for {{ order.scheduledShortDate }} at {{ order.scheduledTime }}.{% else %}your order {{ order.title }} no longer has a date. We'll be in touch to set a new one.{% endif %}",
      ),
    },
  },
  order_reminder: {
    email: {
      subject: 'Reminder for your order: {{ order.title }}',
      text: `${greeting}

A reminder that your order "{{ order.title }}" is scheduled for {{ order.scheduledDate }} at {{ order.scheduledTime }}.

If you need to change the date, just let us know.

${signed('See you soon,')}`,
    },
    sms: { text: sms('Hi {{ client.firstName }}, a reminder that your order {{ order.title }} is scheduled for {{ order.scheduledShortDate }} at {{ order.scheduledTime }}. See you soon!') },
  },
  lead_created: {
    email: {
      subject: 'Thanks for getting in touch with {{ business.name }}',
      text: `${greeting}

Thank you for contacting us. We've received your message and will get back to you as soon as possible.

${signed('Best regards,')}`,
    },
    sms: { text: sms("Hi {{ client.firstName }}, thanks for contacting us! We've received your message and will get back to you soon.") },
  },
  lead_status_changed: {
    email: {
      subject: 'An update on your request',
      text: `${greeting}

There's an update on your request: its status is now "{{ lead.status }}".

${questions}

${signed('Best regards,')}`,
    },
    sms: { text: sms('Hi {{ client.firstName }}, there is an update on your request: its status is now {{ lead.status }}.') },
  },
  auto_reply_contact_form: {
    email: {
      subject: 'Thanks for getting in touch with {{ business.name }}',
      text: `${greeting}

Thank you for your enquiry. We've received it and will get back to you as soon as possible.

${signed('Best regards,')}`,
    },
    sms: { text: sms("Hi {{ client.firstName }}, thanks for your enquiry! We've received it and will get back to you soon.") },
  },
  auto_reply_message: {
    email: {
      subject: "We've received your message",
      text: `${greeting}

Thank you for your message. We've received it and will reply as soon as we can.

${signed('Best regards,')}`,
    },
    sms: { text: sms("Hi {{ client.firstName }}, thanks for your message! We've received it and will reply as soon as we can.") },
  },
  auto_reply_document: {
    email: {
      subject: "We've received your document",
      text: `${greeting}

Thank you for sending us your document. It has reached us safely and we'll take a look shortly.

${questions}

${signed('Best regards,')}`,
    },
    sms: { text: sms("Hi {{ client.firstName }}, we've received your document, thank you! We'll take a look shortly.") },
  },
  booking_invitation: {
    email: {
      subject: "We'd love to see you again at {{ business.name }}",
      text: `${greeting}

It's been a while since your last visit, and we'd love to see you again. Just reply to this email or get in touch to book your next appointment.

${signed('See you soon,')}`,
    },
    sms: { text: sms("Hi {{ client.firstName }}, we'd love to see you again! Get in touch to book your next appointment.") },
  },
  free_form: {
    email: {
      subject: '{% if message.subject %}{{ message.subject }}{% else %}A message from {{ business.name }}{% endif %}',
      text: '{{ message.text }}\n\n{{ business.name }}',
    },
    sms: { text: sms('{{ message.text }}') },
  },
};
