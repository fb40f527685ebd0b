import type { LanguageDefaults } from '#domain/messages/default-templates/shape.ts';

// Vouvoiement. Les SMS évitent ç, ê, â, ô, î, û, l'apostrophe typographique et les guillemets
// (hors alphabet GSM-7, qui admet é, è, à et ù) pour qu'un segment contienne 160 caractères.

const greeting = 'Bonjour {{ client.firstName }},';
const bookingDetails = `Prestation : {{ booking.service }}
Date : {{ booking.date }}
Heure : {{ booking.time }}{% if location.name %}
Lieu : {{ location.name }}{% endif %}`;
const changeOrCancel = "Pour le modifier ou l'annuler, n'hésitez pas à nous contacter.";
const questions = "Pour toute question, n'hésitez pas à nous contacter.";
const signed = (closing: string) => `${closing}\n{{ business.name }}`;
const sms = (text: string) => `${text} - {{ business.name }}`;

export const fr: LanguageDefaults = {
  booking_confirmation: {
    email: {
      subject: 'Votre rendez-vous chez {{ business.name }} est confirmé',
      text: `${greeting}

Votre rendez-vous est confirmé. En voici le détail :

${bookingDetails}

${changeOrCancel}

${signed('À bientôt,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, votre rendez-vous pour {{ booking.service }} le {{ booking.shortDate }} à {{ booking.time }} est confirmé. Au plaisir de vous accueillir !') },
  },
  booking_pending: {
    email: {
      subject: 'Nous avons bien reçu votre demande de rendez-vous',
      text: `${greeting}

Merci pour votre demande de rendez-vous. Nous l'étudions et vous confirmerons votre rendez-vous dans les meilleurs délais.

${bookingDetails}

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, votre demande de rendez-vous pour le {{ booking.shortDate }} à {{ booking.time }} est bien enregistrée. Nous vous la confirmerons très vite.') },
  },
  booking_confirmed: {
    email: {
      subject: 'Votre rendez-vous chez {{ business.name }} est confirmé',
      text: `${greeting}

Bonne nouvelle : nous avons confirmé votre rendez-vous.

${bookingDetails}

${changeOrCancel}

${signed('À bientôt,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, bonne nouvelle : votre rendez-vous du {{ booking.shortDate }} à {{ booking.time }} est confirmé. Au plaisir de vous accueillir !') },
  },
  booking_rejected: {
    email: {
      subject: 'Votre demande de rendez-vous',
      text: `${greeting}

Nous sommes désolés, mais nous ne pouvons pas accepter votre demande de rendez-vous pour {{ booking.service }} le {{ booking.date }} à {{ booking.time }}.

Contactez-nous et nous trouverons ensemble un autre créneau qui vous convienne.

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, nous ne pouvons hélas pas confirmer votre rendez-vous du {{ booking.shortDate }} à {{ booking.time }}. Contactez-nous pour un autre créneau.') },
  },
  booking_cancelled: {
    email: {
      subject: 'Votre rendez-vous a été annulé',
      text: `${greeting}

Votre rendez-vous pour {{ booking.service }} du {{ booking.date }} à {{ booking.time }} a été annulé.

N'hésitez pas à reprendre rendez-vous quand vous le souhaitez : ce sera avec plaisir.

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, votre rendez-vous du {{ booking.shortDate }} à {{ booking.time }} a été annulé. Au plaisir de vous revoir !') },
  },
  booking_rescheduled: {
    email: {
      subject: 'Votre rendez-vous a été déplacé',
      text: `${greeting}

Votre rendez-vous a été déplacé. Voici le nouvel horaire :

${bookingDetails}{% if booking.previousDate %}

Il était initialement prévu le {{ booking.previousDate }} à {{ booking.previousTime }}.{% endif %}

Si ce nouvel horaire ne vous convient pas, contactez-nous.

${signed('À bientôt,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, votre rendez-vous pour {{ booking.service }} a été déplacé au {{ booking.shortDate }} à {{ booking.time }}. Au plaisir de vous accueillir !') },
  },
  booking_completed: {
    email: {
      subject: 'Merci pour votre visite',
      text: `${greeting}

Merci pour votre visite ! Nous espérons que tout s'est bien passé.

Nous serons ravis de vous accueillir à nouveau pour votre prochain rendez-vous.

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, merci pour votre visite ! Nous espérons que tout vous a plu. Au plaisir de vous revoir !') },
  },
  invoice_issued: {
    email: {
      subject: 'Facture {{ invoice.number }} de {{ business.name }}',
      text: `${greeting}

Nous avons émis la facture {{ invoice.number }} d'un montant de {{ invoice.amount }}, à régler au plus tard le {{ invoice.dueDate }}.

${questions}

${signed('Merci pour votre confiance,')}`,
    },
    sms: { text: sms("Bonjour {{ client.firstName }}, votre facture {{ invoice.number }} d'un montant de {{ invoice.amount }} est à régler au plus tard le {{ invoice.dueDate }}. Merci !") },
  },
  estimate_issued: {
    email: {
      subject: 'Votre devis {{ estimate.number }} de {{ business.name }}',
      text: `${greeting}

Nous avons préparé votre devis {{ estimate.number }} d'un montant de {{ estimate.amount }}. Il est valable jusqu'au {{ estimate.expiresOn }}.

Pour toute question, ou pour nous donner votre accord, n'hésitez pas à nous contacter.

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms("Bonjour {{ client.firstName }}, votre devis {{ estimate.number }} d'un montant de {{ estimate.amount }} est valable jusqu'au {{ estimate.expiresOn }}. Des questions ? Contactez-nous.") },
  },
  order_created: {
    email: {
      subject: 'Votre commande est enregistrée : {{ order.title }}',
      text: `${greeting}

Nous avons bien enregistré votre commande « {{ order.title }} ».{% if order.scheduledDate %} Elle est prévue le {{ order.scheduledDate }} à {{ order.scheduledTime }}.{% endif %}

Nous vous informerons de son avancement.

${signed('Bien cordialement,')}`,
    },
    sms: {
      text: sms(
        'Bonjour {{ client.firstName }}, votre commande {{ order.title }} est enregistrée.{% if order.scheduledDate %} Prévue le {{ order.scheduledShortDate }} à {{ order.scheduledTime }}.{% endif %} Merci !',
      ),
    },
  },
  order_status_changed: {
    email: {
      subject: 'Du nouveau pour votre commande : {{ order.title }}',
      text: `${greeting}

Le statut de votre commande « {{ order.title }} » a changé : elle est désormais « {{ order.status }} ».

${questions}

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, le statut de votre commande {{ order.title }} a changé : {{ order.status }}.') },
  },
  order_schedule_changed: {
    email: {
      subject: 'Nouvelle date pour votre commande : {{ order.title }}',
      text: `${greeting}

{% if order.scheduledDate %}Votre commande « {{ order.title }} » est désormais prévue le {{ order.scheduledDate }} à {{ order.scheduledTime }}.{% else %}Votre commande « {{ order.title }} » n'a plus de date prévue. Nous reviendrons vers vous pour en fixer une nouvelle.{% endif %}

${questions}

${signed('Bien cordialement,')}`,
    },
    sms: {
      text: sms(
        "Bonjour {{ client.firstName }}, {% if order.scheduledDate %}votre commande {{ order.title }} est désormais prévue le {{ order.scheduledShortDate }} à {{ order.scheduledTime }}.{% else %}votre commande {{ order.title }} n'a plus de date prévue. Nous vous recontacterons pour en fixer une.{% endif %}",
      ),
    },
  },
  lead_created: {
    email: {
      subject: "Merci d'avoir contacté {{ business.name }}",
      text: `${greeting}

Merci de nous avoir contactés. Nous avons bien reçu votre message et nous vous répondrons dans les meilleurs délais.

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, merci pour votre message ! Nous vous répondrons dans les meilleurs délais.') },
  },
  lead_status_changed: {
    email: {
      subject: 'Du nouveau concernant votre demande',
      text: `${greeting}

Votre demande a été mise à jour : son statut est désormais « {{ lead.status }} ».

${questions}

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, votre demande a été mise à jour. Nouveau statut : {{ lead.status }}.') },
  },
};
