import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { atBusiness, naming, en, es, fr, it } from '#domain/messages/types/phrases.ts';

/**
 * The messages about a booking: the settings page's confirmation and status messages, its reminders
 * before the appointment and its follow-up after it, and the completion message custom rules send.
 * What each field means: declaration.ts; the phrases the texts share: phrases.ts.
 */
export const bookingMessages = {
  booking_confirmation: {
    entity: 'booking',
    description: 'A booking was made and is confirmed',
    audience: 'client',
    page: 'bookingConfirmation',
    fires: { on: 'created', toStatus: 'confirmed' },
    skipsPast: true,
    screen: {
      en: 'Thank you, {{ client.firstName }}! Your {{ booking.service }} appointment on {{ booking.date }} at {{ booking.time }} is confirmed. We have sent you the details.',
      es: '¡Gracias, {{ client.firstName }}! Tu cita de {{ booking.service }} del {{ booking.date }} a las {{ booking.time }} está confirmada. Te hemos enviado los detalles.',
      fr: 'Merci, {{ client.firstName }} ! Votre rendez-vous pour {{ booking.service }} le {{ booking.date }} à {{ booking.time }} est confirmé. Nous vous en avons envoyé le détail.',
      it: 'Grazie, {{ client.firstName }}! Il tuo appuntamento per {{ booking.service }} di {{ booking.date }} alle {{ booking.time }} è confermato. Ti abbiamo inviato i dettagli.',
    },
    texts: {
      en: en.toClient({
        subject: `Your appointment${atBusiness('at')} is confirmed`,
        body: `Your appointment is confirmed. Here are the details:

${en.bookingDetails}

${en.changeOrCancel}`,
        closing: 'See you soon,',
        sms: "Hi {{ client.firstName }}, your {{ booking.service }} appointment on {{ booking.shortDate }} at {{ booking.time }} is confirmed. See you soon!",
      }),
      es: es.toClient({
        subject: `Tu cita${atBusiness('en')} está confirmada`,
        body: `Tu cita está confirmada. Estos son los detalles:

${es.bookingDetails}

${es.changeOrCancel}`,
        closing: '¡Hasta pronto!',
        sms: 'Hola {{ client.firstName }}, tu cita de {{ booking.service }} queda confirmada para el {{ booking.shortDate }} a las {{ booking.time }}. ¡Te esperamos!',
      }),
      fr: fr.toClient({
        subject: `Votre rendez-vous${atBusiness('chez')} est confirmé`,
        body: `Votre rendez-vous est confirmé. En voici le détail :

${fr.bookingDetails}

${fr.changeOrCancel}`,
        closing: 'À bientôt,',
        sms: 'Bonjour {{ client.firstName }}, votre rendez-vous pour {{ booking.service }} le {{ booking.shortDate }} à {{ booking.time }} est confirmé. Au plaisir de vous accueillir !',
      }),
      it: it.toClient({
        subject: `Il tuo appuntamento${atBusiness('da')} è confermato`,
        body: `il tuo appuntamento è confermato. Ecco i dettagli:

${it.bookingDetails}

${it.changeOrCancel}`,
        closing: 'A presto,',
        sms: 'Ciao {{ client.firstName }}, il tuo appuntamento per {{ booking.service }} di {{ booking.shortDate }} alle {{ booking.time }} è confermato. Ti aspettiamo!',
      }),
    },
  },
  booking_pending: {
    entity: 'booking',
    description: 'A booking request awaits the business’s confirmation',
    audience: 'client',
    page: 'bookingStatus.pending',
    fires: { on: 'created', toStatus: 'pending' },
    screen: {
      en: 'Thank you, {{ client.firstName }}! We have received your request for {{ booking.service }} on {{ booking.date }} at {{ booking.time }} and will confirm it as soon as possible.',
      es: '¡Gracias, {{ client.firstName }}! Hemos recibido tu solicitud de {{ booking.service }} para el {{ booking.date }} a las {{ booking.time }} y te la confirmaremos lo antes posible.',
      fr: 'Merci, {{ client.firstName }} ! Nous avons bien reçu votre demande pour {{ booking.service }} le {{ booking.date }} à {{ booking.time }} et vous la confirmerons dans les meilleurs délais.',
      it: 'Grazie, {{ client.firstName }}! Abbiamo ricevuto la tua richiesta per {{ booking.service }} di {{ booking.date }} alle {{ booking.time }} e te la confermeremo il prima possibile.',
    },
    texts: {
      en: en.toClient({
        subject: "We've received your booking request",
        body: `Thank you for your booking request. We'll check our availability and confirm your appointment as soon as possible.

${en.bookingDetails}`,
        closing: 'Best regards,',
        sms: "Hi {{ client.firstName }}, we've received your request for {{ booking.shortDate }} at {{ booking.time }}. We'll confirm it shortly.",
      }),
      es: es.toClient({
        subject: 'Hemos recibido tu solicitud de cita',
        body: `Gracias por tu solicitud. La revisaremos y te confirmaremos la cita lo antes posible.

${es.bookingDetails}`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, hemos recibido tu solicitud de cita para el {{ booking.shortDate }} a las {{ booking.time }}. Te la confirmaremos pronto.',
      }),
      fr: fr.toClient({
        subject: 'Nous avons bien reçu votre demande de rendez-vous',
        body: `Merci pour votre demande de rendez-vous. Nous l'étudions et vous confirmerons votre rendez-vous dans les meilleurs délais.

${fr.bookingDetails}`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, votre demande de rendez-vous pour le {{ booking.shortDate }} à {{ booking.time }} est bien enregistrée. Nous vous la confirmerons très vite.',
      }),
      it: it.toClient({
        subject: 'Abbiamo ricevuto la tua richiesta di appuntamento',
        body: `grazie per la tua richiesta di appuntamento. La verificheremo e ti daremo conferma il prima possibile.

${it.bookingDetails}`,
        closing: 'Un saluto,',
        sms: "Ciao {{ client.firstName }}, abbiamo ricevuto la tua richiesta per {{ booking.shortDate }} alle {{ booking.time }}. Ti confermeremo l'appuntamento al più presto.",
      }),
    },
  },
  booking_confirmed: {
    entity: 'booking',
    description: 'The business confirmed a pending booking',
    audience: 'client',
    page: 'bookingStatus.confirmed',
    fires: { on: 'status_changed', toStatus: 'confirmed' },
    texts: {
      en: en.toClient({
        subject: `Your appointment${atBusiness('at')} is confirmed`,
        body: `Good news: we've confirmed your appointment.

${en.bookingDetails}

${en.changeOrCancel}`,
        closing: 'See you soon,',
        sms: 'Hi {{ client.firstName }}, good news: your appointment on {{ booking.shortDate }} at {{ booking.time }} is confirmed. See you soon!',
      }),
      es: es.toClient({
        subject: `Tu cita${atBusiness('en')} está confirmada`,
        body: `¡Buenas noticias! Hemos confirmado tu cita.

${es.bookingDetails}

${es.changeOrCancel}`,
        closing: '¡Hasta pronto!',
        sms: 'Hola {{ client.firstName }}, ¡buenas noticias! Tu cita del {{ booking.shortDate }} a las {{ booking.time }} queda confirmada. ¡Te esperamos!',
      }),
      fr: fr.toClient({
        subject: `Votre rendez-vous${atBusiness('chez')} est confirmé`,
        body: `Bonne nouvelle : nous avons confirmé votre rendez-vous.

${fr.bookingDetails}

${fr.changeOrCancel}`,
        closing: 'À bientôt,',
        sms: 'Bonjour {{ client.firstName }}, bonne nouvelle : votre rendez-vous du {{ booking.shortDate }} à {{ booking.time }} est confirmé. Au plaisir de vous accueillir !',
      }),
      it: it.toClient({
        subject: `Il tuo appuntamento${atBusiness('da')} è confermato`,
        body: `buone notizie: abbiamo confermato il tuo appuntamento.

${it.bookingDetails}

${it.changeOrCancel}`,
        closing: 'A presto,',
        sms: 'Ciao {{ client.firstName }}, buone notizie: il tuo appuntamento di {{ booking.shortDate }} alle {{ booking.time }} è confermato. Ti aspettiamo!',
      }),
    },
  },
  booking_rejected: {
    entity: 'booking',
    description: 'The business rejected a booking request',
    audience: 'client',
    page: 'bookingStatus.rejected',
    fires: { on: 'status_changed', toStatus: 'rejected' },
    texts: {
      en: en.toClient({
        subject: 'About your booking request',
        body: `We're sorry, but we can't accept your request for {{ booking.service }} on {{ booking.date }} at {{ booking.time }}.

Please get in touch and we'll be happy to find another time that works for you.`,
        closing: 'Best regards,',
        sms: "Hi {{ client.firstName }}, we're sorry, we can't accept your booking for {{ booking.shortDate }} at {{ booking.time }}. Please get in touch to find another time.",
      }),
      es: es.toClient({
        subject: 'Sobre tu solicitud de cita',
        body: `Lo sentimos, pero no podemos atender tu solicitud de {{ booking.service }} para el {{ booking.date }} a las {{ booking.time }}.

Ponte en contacto con nosotros y buscaremos juntos otro horario que te venga bien.`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, lo sentimos, no podemos confirmar tu cita del {{ booking.shortDate }} a las {{ booking.time }}. Contacta con nosotros para buscar otro horario.',
      }),
      fr: fr.toClient({
        subject: 'Votre demande de rendez-vous',
        body: `Nous sommes désolés, mais nous ne pouvons pas accepter votre demande de rendez-vous pour {{ booking.service }} le {{ booking.date }} à {{ booking.time }}.

Contactez-nous et nous trouverons ensemble un autre créneau qui vous convienne.`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, nous ne pouvons hélas pas confirmer votre rendez-vous du {{ booking.shortDate }} à {{ booking.time }}. Contactez-nous pour un autre créneau.',
      }),
      it: it.toClient({
        subject: 'La tua richiesta di appuntamento',
        body: `ci dispiace, ma non possiamo accettare la tua richiesta per {{ booking.service }} di {{ booking.date }} alle {{ booking.time }}.

Contattaci e troveremo insieme un altro orario adatto a te.`,
        closing: 'Un saluto,',
        sms: 'Ciao {{ client.firstName }}, ci dispiace, non possiamo confermare il tuo appuntamento di {{ booking.shortDate }} alle {{ booking.time }}. Contattaci per trovare un altro orario.',
      }),
    },
  },
  booking_cancelled: {
    entity: 'booking',
    description: 'A booking was cancelled',
    audience: 'client',
    page: 'bookingStatus.cancelled',
    fires: { on: 'status_changed', toStatus: 'cancelled' },
    texts: {
      en: en.toClient({
        subject: 'Your appointment has been cancelled',
        body: `Your {{ booking.service }} appointment on {{ booking.date }} at {{ booking.time }} has been cancelled.

Whenever you'd like to book again, we'll be happy to see you.`,
        closing: 'Best regards,',
        sms: 'Hi {{ client.firstName }}, your appointment on {{ booking.shortDate }} at {{ booking.time }} has been cancelled. We hope to see you again soon.',
      }),
      es: es.toClient({
        subject: 'Tu cita ha sido cancelada',
        body: `Tu cita de {{ booking.service }} del {{ booking.date }} a las {{ booking.time }} ha sido cancelada.

Cuando quieras volver a reservar, estaremos encantados de atenderte.`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, tu cita del {{ booking.shortDate }} a las {{ booking.time }} ha sido cancelada. Esperamos verte pronto.',
      }),
      fr: fr.toClient({
        subject: 'Votre rendez-vous a été annulé',
        body: `Votre rendez-vous pour {{ booking.service }} du {{ booking.date }} à {{ booking.time }} a été annulé.

N'hésitez pas à reprendre rendez-vous quand vous le souhaitez : ce sera avec plaisir.`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, votre rendez-vous du {{ booking.shortDate }} à {{ booking.time }} a été annulé. Au plaisir de vous revoir !',
      }),
      it: it.toClient({
        subject: 'Il tuo appuntamento è stato annullato',
        body: `il tuo appuntamento per {{ booking.service }} di {{ booking.date }} alle {{ booking.time }} è stato annullato.

Quando vorrai prenotare di nuovo, saremo felici di accoglierti.`,
        closing: 'Un saluto,',
        sms: 'Ciao {{ client.firstName }}, il tuo appuntamento di {{ booking.shortDate }} alle {{ booking.time }} è stato annullato. Speriamo di rivederti presto!',
      }),
    },
  },
  booking_rescheduled: {
    entity: 'booking',
    description: 'A booking moved to a new date or time',
    audience: 'client',
    page: 'bookingStatus.rescheduled',
    fires: { on: 'schedule_changed' },
    variables: {
      'booking.previousDate': 'The date it had before it was moved',
      'booking.previousShortDate': 'The previous date without the year',
      'booking.previousTime': 'The start time it had before it was moved',
    },
    texts: {
      en: en.toClient({
        subject: 'Your appointment has been rescheduled',
        body: `Your appointment has been moved to a new date and time:

${en.bookingDetails}{% if booking.previousDate %}

It was previously booked for {{ booking.previousDate }} at {{ booking.previousTime }}.{% endif %}

If the new time doesn't suit you, just let us know.`,
        closing: 'See you soon,',
        sms: 'Hi {{ client.firstName }}, your {{ booking.service }} appointment has been moved to {{ booking.shortDate }} at {{ booking.time }}. See you then!',
      }),
      es: es.toClient({
        subject: 'Tu cita ha cambiado de fecha',
        body: `Tu cita tiene una nueva fecha y hora:

${es.bookingDetails}{% if booking.previousDate %}

Antes estaba prevista para el {{ booking.previousDate }} a las {{ booking.previousTime }}.{% endif %}

Si el nuevo horario no te viene bien, avísanos.`,
        closing: '¡Hasta pronto!',
        sms: 'Hola {{ client.firstName }}, tu cita de {{ booking.service }} ahora es el {{ booking.shortDate }} a las {{ booking.time }}. ¡Te esperamos!',
      }),
      fr: fr.toClient({
        subject: 'Votre rendez-vous a été déplacé',
        body: `Votre rendez-vous a été déplacé. Voici le nouvel horaire :

${fr.bookingDetails}{% if booking.previousDate %}

Il était initialement prévu le {{ booking.previousDate }} à {{ booking.previousTime }}.{% endif %}

Si ce nouvel horaire ne vous convient pas, contactez-nous.`,
        closing: 'À bientôt,',
        sms: 'Bonjour {{ client.firstName }}, votre rendez-vous pour {{ booking.service }} a été déplacé au {{ booking.shortDate }} à {{ booking.time }}. Au plaisir de vous accueillir !',
      }),
      it: it.toClient({
        subject: 'Il tuo appuntamento è stato spostato',
        body: `il tuo appuntamento è stato spostato. Ecco il nuovo orario:

${it.bookingDetails}{% if booking.previousDate %}

In precedenza era fissato per {{ booking.previousDate }} alle {{ booking.previousTime }}.{% endif %}

Se il nuovo orario non ti va bene, contattaci.`,
        closing: 'A presto,',
        sms: 'Ciao {{ client.firstName }}, il tuo appuntamento per {{ booking.service }} è stato spostato a {{ booking.shortDate }} alle {{ booking.time }}. Ti aspettiamo!',
      }),
    },
  },
  booking_completed: {
    entity: 'booking',
    description: 'An appointment took place',
    audience: 'client',
    fires: 'custom rule',
    texts: {
      en: en.toClient({
        subject: 'Thank you for your visit',
        body: `Thank you for visiting us for your {{ booking.service }}. We hope you were happy with everything.

Whenever you're ready for your next appointment, we'll be glad to see you again.`,
        closing: 'Best regards,',
        sms: 'Hi {{ client.firstName }}, thank you for your visit! We hope you were happy with everything and look forward to seeing you again.',
      }),
      es: es.toClient({
        subject: 'Gracias por tu visita',
        body: `Gracias por tu visita. Esperamos que todo haya sido de tu agrado.

Cuando quieras reservar tu próxima cita, aquí estaremos.`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, ¡gracias por tu visita! Esperamos que todo haya sido de tu agrado. ¡Hasta pronto!',
      }),
      fr: fr.toClient({
        subject: 'Merci pour votre visite',
        body: `Merci pour votre visite ! Nous espérons que tout s'est bien passé.

Nous serons ravis de vous accueillir à nouveau pour votre prochain rendez-vous.`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, merci pour votre visite ! Nous espérons que tout vous a plu. Au plaisir de vous revoir !',
      }),
      it: it.toClient({
        subject: 'Grazie per la tua visita',
        body: `grazie per la tua visita! Speriamo che tutto sia stato di tuo gradimento.

Quando vorrai prenotare il prossimo appuntamento, saremo felici di rivederti.`,
        closing: 'Un saluto,',
        sms: 'Ciao {{ client.firstName }}, grazie per la tua visita! Speriamo che tutto sia stato di tuo gradimento. A presto!',
      }),
    },
  },
  booking_reminder: {
    entity: 'booking',
    description: 'An appointment is coming up',
    audience: 'client',
    page: 'bookingReminders',
    each: true,
    fires: { anchor: 'start', direction: 'before', holdsWhile: ['confirmed'] },
    texts: {
      en: en.toClient({
        subject: `Reminder: your appointment${atBusiness('at')}`,
        body: `This is a friendly reminder of your upcoming appointment:

${en.bookingDetails}

${en.changeOrCancel}`,
        closing: 'See you soon,',
        sms: 'Hi {{ client.firstName }}, a reminder of your {{ booking.service }} appointment on {{ booking.shortDate }} at {{ booking.time }}. See you soon!',
      }),
      es: es.toClient({
        subject: `Recordatorio de tu cita${atBusiness('en')}`,
        body: `Te recordamos que tienes una cita con nosotros:

${es.bookingDetails}

${es.changeOrCancel}`,
        closing: '¡Hasta pronto!',
        sms: 'Hola {{ client.firstName }}, te recordamos tu cita de {{ booking.service }} el {{ booking.shortDate }} a las {{ booking.time }}. ¡Te esperamos!',
      }),
      fr: fr.toClient({
        subject: `Rappel : votre rendez-vous${atBusiness('chez')}`,
        body: `Nous vous rappelons votre prochain rendez-vous :

${fr.bookingDetails}

${fr.changeOrCancel}`,
        closing: 'À bientôt,',
        sms: 'Bonjour {{ client.firstName }}, petit rappel : votre rendez-vous pour {{ booking.service }} est le {{ booking.shortDate }} à {{ booking.time }}. Au plaisir de vous voir !',
      }),
      it: it.toClient({
        subject: `Promemoria: il tuo appuntamento${atBusiness('da')}`,
        body: `ti ricordiamo il tuo prossimo appuntamento:

${it.bookingDetails}

${it.changeOrCancel}`,
        closing: 'A presto,',
        sms: 'Ciao {{ client.firstName }}, ti ricordiamo il tuo appuntamento per {{ booking.service }} di {{ booking.shortDate }} alle {{ booking.time }}. Ti aspettiamo!',
      }),
    },
  },
  booking_follow_up: {
    entity: 'booking',
    description: 'After the appointment: thanks, and an invitation to book again',
    audience: 'client',
    marketing: true,
    page: 'followUp',
    mode: 'automatic',
    fires: { anchor: 'end', direction: 'after', holdsWhile: ['confirmed', 'completed'] },
    texts: {
      en: en.toClient({
        subject: naming(`Thank you for${atBusiness('choosing')}`, 'Thank you for choosing us'),
        body: `Thank you again for your {{ booking.service }} appointment on {{ booking.date }}. We hope you're enjoying the results.

Whenever you'd like to book your next visit, just let us know. We'd love to see you again.`,
        closing: 'Best regards,',
        sms: "Hi {{ client.firstName }}, thanks again for your visit on {{ booking.shortDate }}! Whenever you'd like to book your next appointment, just let us know.",
      }),
      es: es.toClient({
        subject: naming(`Gracias por confiar${atBusiness('en')}`, 'Gracias por confiar en nosotros'),
        body: `Queremos darte las gracias de nuevo por tu cita de {{ booking.service }} del {{ booking.date }}. Esperamos que estés disfrutando del resultado.

Cuando quieras reservar tu próxima cita, solo tienes que decírnoslo. ¡Nos encantará volver a verte!`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, ¡gracias de nuevo por tu visita del {{ booking.shortDate }}! Cuando quieras repetir, estaremos encantados de atenderte.',
      }),
      fr: fr.toClient({
        subject: naming("Merci d'avoir choisi {{ business.name }}", 'Merci de nous avoir choisis'),
        body: `Merci encore pour votre rendez-vous du {{ booking.date }} ({{ booking.service }}). Nous espérons que le résultat vous plaît.

Pour votre prochain rendez-vous, il vous suffit de nous contacter : nous serons ravis de vous accueillir à nouveau.`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, merci encore pour votre visite du {{ booking.shortDate }} ! Pour votre prochain rendez-vous, il suffit de nous contacter.',
      }),
      it: it.toClient({
        subject: naming(`Grazie per aver${atBusiness('scelto')}`, 'Grazie per averci scelto'),
        body: `grazie ancora per il tuo appuntamento per {{ booking.service }} di {{ booking.date }}. Speriamo che il risultato ti piaccia.

Quando vorrai prenotare il prossimo appuntamento, basta contattarci: saremo felici di rivederti.`,
        closing: 'Un saluto,',
        sms: 'Ciao {{ client.firstName }}, grazie ancora per la tua visita di {{ booking.shortDate }}! Quando vuoi prenotare di nuovo, basta contattarci.',
      }),
    },
  },
  booking_follow_up_due: {
    entity: 'booking',
    description: 'Reminds the business to follow up with a client after an appointment',
    audience: 'business',
    page: 'followUp',
    mode: 'manual',
    fires: { anchor: 'end', direction: 'after', holdsWhile: ['confirmed', 'completed'] },
    texts: {
      en: en.toBusiness({
        subject: 'Time to follow up with {{ client.fullName }}',
        body: `It's a good time to follow up with {{ client.fullName }} after their appointment:

${en.bookingDetails}

Get in touch to ask how it went and invite them to book their next visit.`,
        sms: 'follow up with {{ client.fullName }} after their {{ booking.service }} on {{ booking.shortDate }}. Ask how it went and offer a new booking.',
      }),
      es: es.toBusiness({
        subject: 'Haz seguimiento a {{ client.fullName }}',
        body: `Es un buen momento para contactar con {{ client.fullName }} después de su cita:

${es.bookingDetails}

Pregúntale qué tal le fue y ofrécele reservar su próxima cita.`,
        sms: 'haz seguimiento a {{ client.fullName }} tras su cita de {{ booking.service }} del {{ booking.shortDate }}. Pregunta qué tal le fue y ofrécele otra cita.',
      }),
      fr: fr.toBusiness({
        subject: 'Prenez des nouvelles de {{ client.fullName }}',
        body: `C'est le bon moment pour prendre des nouvelles de {{ client.fullName }} après son rendez-vous :

${fr.bookingDetails}

Demandez-lui si tout s'est bien passé et proposez-lui de reprendre rendez-vous.`,
        sms: 'prenez des nouvelles de {{ client.fullName }} après son rendez-vous du {{ booking.shortDate }} ({{ booking.service }}) et proposez-lui un nouveau créneau.',
      }),
      it: it.toBusiness({
        subject: 'Ricontatta {{ client.fullName }}',
        body: `È il momento giusto per ricontattare {{ client.fullName }} dopo il suo appuntamento:

${it.bookingDetails}

Chiedi com'è andata e proponi di prenotare il prossimo appuntamento.`,
        sms: "ricontatta {{ client.fullName }} dopo l'appuntamento per {{ booking.service }} di {{ booking.shortDate }}. Chiedi com'è andata e proponi una nuova data.",
      }),
    },
  },
} as const satisfies Record<string, MessageTypeDeclaration>;
