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
};
