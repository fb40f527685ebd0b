import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { atBusiness, naming, en, es, fr, it } from '#domain/messages/types/phrases.ts';

/**
 * The settings page's auto-replies: each answers an inbound item from a public widget, once, on the
 * channel it came by. An auto-reply never repeats what came in: a form anyone can fill in must not
 * relay their words. A booking request gets none: the booking's own pending or confirmation message
 * answers it.
 * What each field means: declaration.ts; the phrases the texts share: phrases.ts.
 */
export const autoReplyMessages = {
  auto_reply_contact_form: {
    entity: 'message',
    description: 'Answers a contact form from the website at once',
    audience: 'client',
    page: 'autoReplies.contactForm',
    fires: { inbound: 'contact_form' },
    texts: {
      en: en.toClient({
        subject: `Thanks for getting in touch${atBusiness('with')}`,
        body: `Thank you for your enquiry. We've received it and will get back to you as soon as possible.`,
        closing: 'Best regards,',
        sms: "Hi {{ client.firstName }}, thanks for your enquiry! We've received it and will get back to you soon.",
      }),
      es: es.toClient({
        subject: naming(`Gracias por escribir${atBusiness('a')}`, 'Gracias por escribirnos'),
        body: `Gracias por tu consulta. La hemos recibido y te responderemos lo antes posible.`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, gracias por tu consulta. La hemos recibido y te responderemos pronto.',
      }),
      fr: fr.toClient({
        subject: naming("Merci d'avoir écrit à {{ business.name }}", 'Merci de nous avoir écrit'),
        body: `Merci pour votre demande. Nous l'avons bien reçue et nous vous répondrons dans les meilleurs délais.`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, merci pour votre demande ! Nous vous répondrons dans les meilleurs délais.',
      }),
      it: it.toClient({
        subject: naming(`Grazie per aver scritto${atBusiness('a')}`, 'Grazie per averci scritto'),
        body: `grazie per la tua richiesta. L'abbiamo ricevuta e ti risponderemo il prima possibile.`,
        closing: 'Un saluto,',
        sms: "Ciao {{ client.firstName }}, grazie per la tua richiesta! L'abbiamo ricevuta e ti risponderemo al più presto.",
      }),
    },
  },
  auto_reply_message: {
    entity: 'message',
    description: 'Answers a message a client sent through the website at once',
    audience: 'client',
    page: 'autoReplies.message',
    fires: { inbound: 'client_message' },
    texts: {
      en: en.toClient({
        subject: "We've received your message",
        body: `Thank you for your message. We've received it and will reply as soon as we can.`,
        closing: 'Best regards,',
        sms: "Hi {{ client.firstName }}, thanks for your message! We've received it and will reply as soon as we can.",
      }),
      es: es.toClient({
        subject: 'Hemos recibido tu mensaje',
        body: `Gracias por tu mensaje. Lo hemos recibido y te contestaremos en cuanto podamos.`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, gracias por tu mensaje. Lo hemos recibido y te contestaremos en cuanto podamos.',
      }),
      fr: fr.toClient({
        subject: 'Nous avons bien reçu votre message',
        body: `Merci pour votre message. Nous l'avons bien reçu et nous vous répondrons dès que possible.`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, merci pour votre message ! Nous vous répondrons au plus vite.',
      }),
      it: it.toClient({
        subject: 'Abbiamo ricevuto il tuo messaggio',
        body: `grazie per il tuo messaggio. L'abbiamo ricevuto e ti risponderemo appena possibile.`,
        closing: 'Un saluto,',
        sms: "Ciao {{ client.firstName }}, grazie per il tuo messaggio! L'abbiamo ricevuto e ti risponderemo appena possibile.",
      }),
    },
  },
  auto_reply_document: {
    entity: 'message',
    description: 'Confirms a document a client uploaded through the website',
    audience: 'client',
    page: 'autoReplies.document',
    fires: { inbound: 'document_upload' },
    texts: {
      en: en.toClient({
        subject: "We've received your document",
        body: `Thank you for sending us your document. It has reached us safely and we'll take a look shortly.

${en.questions}`,
        closing: 'Best regards,',
        sms: "Hi {{ client.firstName }}, we've received your document, thank you! We'll take a look shortly.",
      }),
      es: es.toClient({
        subject: 'Hemos recibido tu documento',
        body: `Gracias por enviarnos tu documento. Lo hemos recibido correctamente y lo revisaremos en breve.

${es.questions}`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, hemos recibido tu documento. ¡Gracias! Lo revisaremos en breve.',
      }),
      fr: fr.toClient({
        subject: 'Nous avons bien reçu votre document',
        body: `Merci de nous avoir transmis votre document. Nous l'avons bien reçu et nous allons l'examiner rapidement.

${fr.questions}`,
        closing: 'Bien cordialement,',
        sms: "Bonjour {{ client.firstName }}, votre document nous est bien parvenu, merci ! Nous allons l'examiner rapidement.",
      }),
      it: it.toClient({
        subject: 'Abbiamo ricevuto il tuo documento',
        body: `grazie per averci inviato il tuo documento. L'abbiamo ricevuto correttamente e lo esamineremo a breve.

${it.questions}`,
        closing: 'Un saluto,',
        sms: 'Ciao {{ client.firstName }}, abbiamo ricevuto il tuo documento, grazie! Lo esamineremo a breve.',
      }),
    },
  },
} as const satisfies Record<string, MessageTypeDeclaration>;
