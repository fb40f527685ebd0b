import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { atBusiness, naming, en, es, fr, it } from '#domain/messages/types/phrases.ts';

/**
 * The messages about a lead; custom rules send them (the settings page has none).
 * What each field means: declaration.ts; the phrases the texts share: phrases.ts.
 */
export const leadMessages = {
  lead_created: {
    entity: 'lead',
    description: 'A new lead',
    audience: 'client',
    fires: 'custom rule',
    texts: {
      en: en.toClient({
        subject: `Thanks for getting in touch${atBusiness('with')}`,
        body: `Thank you for contacting us. We've received your message and will get back to you as soon as possible.`,
        closing: 'Best regards,',
        sms: "Hi {{ client.firstName }}, thanks for contacting us! We've received your message and will get back to you soon.",
      }),
      es: es.toClient({
        subject: naming(`Gracias por contactar${atBusiness('con')}`, 'Gracias por contactar con nosotros'),
        body: `Gracias por ponerte en contacto con nosotros. Hemos recibido tu mensaje y te responderemos lo antes posible.`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, gracias por contactar con nosotros. Hemos recibido tu mensaje y te responderemos pronto.',
      }),
      fr: fr.toClient({
        subject: naming("Merci d'avoir contacté {{ business.name }}", 'Merci de nous avoir contactés'),
        body: `Merci de nous avoir contactés. Nous avons bien reçu votre message et nous vous répondrons dans les meilleurs délais.`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, merci pour votre message ! Nous vous répondrons dans les meilleurs délais.',
      }),
      it: it.toClient({
        subject: naming(`Grazie per aver${atBusiness('contattato')}`, 'Grazie per averci contattato'),
        body: `grazie per averci contattato. Abbiamo ricevuto il tuo messaggio e ti risponderemo il prima possibile.`,
        closing: 'Un saluto,',
        sms: 'Ciao {{ client.firstName }}, grazie per averci contattato! Abbiamo ricevuto il tuo messaggio e ti risponderemo al più presto.',
      }),
    },
  },
  lead_status_changed: {
    entity: 'lead',
    description: 'A lead changed status',
    audience: 'client',
    fires: 'custom rule',
    variables: {
      'lead.previousStatus': 'The status before the change',
    },
    texts: {
      en: en.toClient({
        subject: 'An update on your request',
        body: `There's an update on your request: its status is now "{{ lead.status }}".

${en.questions}`,
        closing: 'Best regards,',
        sms: 'Hi {{ client.firstName }}, there is an update on your request: its status is now {{ lead.status }}.',
      }),
      es: es.toClient({
        subject: 'Novedades sobre tu solicitud',
        body: `Te escribimos para informarte de que tu solicitud ha pasado al estado «{{ lead.status }}».

${es.questions}`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, tu solicitud ha pasado al estado: {{ lead.status }}. Gracias por tu interés.',
      }),
      fr: fr.toClient({
        subject: 'Du nouveau concernant votre demande',
        body: `Votre demande a été mise à jour : son statut est désormais « {{ lead.status }} ».

${fr.questions}`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, votre demande a été mise à jour. Nouveau statut : {{ lead.status }}.',
      }),
      it: it.toClient({
        subject: 'Aggiornamento sulla tua richiesta',
        body: `la tua richiesta è stata aggiornata: ora il suo stato è "{{ lead.status }}".

${it.questions}`,
        closing: 'Un saluto,',
        sms: 'Ciao {{ client.firstName }}, la tua richiesta è stata aggiornata. Nuovo stato: {{ lead.status }}.',
      }),
    },
  },
} as const satisfies Record<string, MessageTypeDeclaration>;
