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
const forBusiness = (text: string) => `${text}\n\nRappel automatique pour {{ business.name }}`;
const businessSms = (text: string) => `{{ business.name }} : ${text}`;

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
  booking_reminder: {
    email: {
      subject: 'Rappel : votre rendez-vous chez {{ business.name }}',
      text: `${greeting}

Nous vous rappelons votre prochain rendez-vous :

${bookingDetails}

${changeOrCancel}

${signed('À bientôt,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, petit rappel : votre rendez-vous pour {{ booking.service }} est le {{ booking.shortDate }} à {{ booking.time }}. Au plaisir de vous voir !') },
  },
  booking_follow_up: {
    email: {
      subject: "Merci d'avoir choisi {{ business.name }}",
      text: `${greeting}

Merci encore pour votre rendez-vous du {{ booking.date }} ({{ booking.service }}). Nous espérons que le résultat vous plaît.

Pour votre prochain rendez-vous, il vous suffit de nous contacter : nous serons ravis de vous accueillir à nouveau.

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, merci encore pour votre visite du {{ booking.shortDate }} ! Pour votre prochain rendez-vous, il suffit de nous contacter.') },
  },
  booking_follow_up_due: {
    email: {
      subject: 'Prenez des nouvelles de {{ client.fullName }}',
      text: forBusiness(`C'est le bon moment pour prendre des nouvelles de {{ client.fullName }} après son rendez-vous :

${bookingDetails}

Demandez-lui si tout s'est bien passé et proposez-lui de reprendre rendez-vous.`),
    },
    sms: { text: businessSms('prenez des nouvelles de {{ client.fullName }} après son rendez-vous du {{ booking.shortDate }} ({{ booking.service }}) et proposez-lui un nouveau créneau.') },
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
  invoice_overdue: {
    email: {
      subject: 'Rappel : facture {{ invoice.number }} en attente de règlement',
      text: `${greeting}

Sauf erreur de notre part, la facture {{ invoice.number }} d'un montant de {{ invoice.amount }}, arrivée à échéance le {{ invoice.dueDate }}, n'a pas encore été réglée.

Nous vous remercions de bien vouloir procéder à son règlement dans les meilleurs délais. Si vous l'avez déjà réglée, merci de ne pas tenir compte de ce message.

${questions}

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, votre facture {{ invoice.number }} de {{ invoice.amount }}, échue le {{ invoice.dueDate }}, reste à régler. Déjà réglée ? Ignorez ce SMS.') },
  },
  invoice_overdue_business: {
    email: {
      subject: 'Facture {{ invoice.number }} de {{ client.fullName }} en retard de paiement',
      text: forBusiness(`La facture {{ invoice.number }} de {{ client.fullName }}, d'un montant de {{ invoice.amount }}, était à régler au plus tard le {{ invoice.dueDate }} et n'a toujours pas été payée.

Vérifiez si le paiement est arrivé et, sinon, pensez à relancer ce règlement.`),
    },
    sms: { text: businessSms('la facture {{ invoice.number }} de {{ client.fullName }} ({{ invoice.amount }}), échue le {{ invoice.dueDate }}, est impayée. Pensez à relancer.') },
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
  estimate_expiring: {
    email: {
      subject: 'Votre devis {{ estimate.number }} expire bientôt',
      text: `${greeting}

Nous vous rappelons que votre devis {{ estimate.number }} d'un montant de {{ estimate.amount }} est valable jusqu'au {{ estimate.expiresOn }}.

Pour nous donner votre accord ou pour toute question, n'hésitez pas à nous contacter d'ici là.

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, votre devis {{ estimate.number }} de {{ estimate.amount }} expire le {{ estimate.expiresOn }}. Pour donner votre accord, contactez-nous.') },
  },
  estimate_expiring_business: {
    email: {
      subject: 'Le devis {{ estimate.number }} de {{ client.fullName }} expire bientôt',
      text: forBusiness(`Le devis {{ estimate.number }} de {{ client.fullName }}, d'un montant de {{ estimate.amount }}, expire le {{ estimate.expiresOn }} et n'a pas encore reçu de réponse.

Prenez contact d'ici là pour savoir où en est sa décision.`),
    },
    sms: { text: businessSms('le devis {{ estimate.number }} de {{ client.fullName }} ({{ estimate.amount }}) expire le {{ estimate.expiresOn }}, toujours sans réponse. Pensez à relancer.') },
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
  order_reminder: {
    email: {
      subject: 'Rappel pour votre commande : {{ order.title }}',
      text: `${greeting}

Nous vous rappelons que votre commande « {{ order.title }} » est prévue le {{ order.scheduledDate }} à {{ order.scheduledTime }}.

Pour modifier la date, n'hésitez pas à nous contacter.

${signed('À bientôt,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, petit rappel : votre commande {{ order.title }} est prévue le {{ order.scheduledShortDate }} à {{ order.scheduledTime }}. Merci !') },
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
  auto_reply_contact_form: {
    email: {
      subject: "Merci d'avoir écrit à {{ business.name }}",
      text: `${greeting}

Merci pour votre demande. Nous l'avons bien reçue et nous vous répondrons dans les meilleurs délais.

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, merci pour votre demande ! Nous vous répondrons dans les meilleurs délais.') },
  },
  auto_reply_message: {
    email: {
      subject: 'Nous avons bien reçu votre message',
      text: `${greeting}

Merci pour votre message. Nous l'avons bien reçu et nous vous répondrons dès que possible.

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, merci pour votre message ! Nous vous répondrons au plus vite.') },
  },
  auto_reply_document: {
    email: {
      subject: 'Nous avons bien reçu votre document',
      text: `${greeting}

Merci de nous avoir transmis votre document. Nous l'avons bien reçu et nous allons l'examiner rapidement.

${questions}

${signed('Bien cordialement,')}`,
    },
    sms: { text: sms("Bonjour {{ client.firstName }}, votre document nous est bien parvenu, merci ! Nous allons l'examiner rapidement.") },
  },
  booking_invitation: {
    email: {
      subject: 'Au plaisir de vous revoir chez {{ business.name }}',
      text: `${greeting}

Cela fait un moment depuis votre dernière visite et nous serions ravis de vous revoir. Répondez simplement à cet e-mail ou contactez-nous pour prendre votre prochain rendez-vous.

${signed('À très bientôt,')}`,
    },
    sms: { text: sms('Bonjour {{ client.firstName }}, nous serions ravis de vous revoir ! Contactez-nous pour prendre votre prochain rendez-vous.') },
  },
  free_form: {
    email: {
      subject: '{% if message.subject %}{{ message.subject }}{% else %}Un message de {{ business.name }}{% endif %}',
      text: '{{ message.text }}\n\n{{ business.name }}',
    },
    sms: { text: sms('{{ message.text }}') },
  },
};
