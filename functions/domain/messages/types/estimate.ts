import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { atBusiness, en, es, fr, it } from '#domain/messages/types/phrases.ts';

/**
 * The messages about an estimate: issued, and expiring soon (to the client or to the business).
 * What each field means: declaration.ts; the phrases the texts share: phrases.ts.
 */
export const estimateMessages = {
  estimate_issued: {
    entity: 'estimate',
    description: 'A new estimate (quote) for the client',
    audience: 'client',
    page: 'newEstimate',
    fires: { on: 'status_changed', toStatus: 'issued' },
    texts: {
      en: en.toClient({
        subject: `Your estimate {{ estimate.number }}${atBusiness('from')}`,
        body: `We've prepared estimate {{ estimate.number }} for you, for a total of {{ estimate.amount }}. It is valid until {{ estimate.expiresOn }}.

If you have any questions, or would like to go ahead, just let us know.`,
        closing: 'Best regards,',
        sms: "Hi {{ client.firstName }}, we've prepared estimate {{ estimate.number }} for {{ estimate.amount }}, valid until {{ estimate.expiresOn }}. Any questions? Just ask.",
      }),
      es: es.toClient({
        subject: `Tu presupuesto {{ estimate.number }}${atBusiness('de')}`,
        body: `Te hemos preparado el presupuesto {{ estimate.number }} por un importe de {{ estimate.amount }}. Es válido hasta el {{ estimate.expiresOn }}.

Si tienes alguna pregunta o quieres seguir adelante, dínoslo.`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, te hemos preparado el presupuesto {{ estimate.number }} por {{ estimate.amount }}, vigente hasta el {{ estimate.expiresOn }}. Cualquier duda, dinos.',
      }),
      fr: fr.toClient({
        subject: `Votre devis {{ estimate.number }}${atBusiness('de')}`,
        body: `Nous avons préparé votre devis {{ estimate.number }} d'un montant de {{ estimate.amount }}. Il est valable jusqu'au {{ estimate.expiresOn }}.

Pour toute question, ou pour nous donner votre accord, n'hésitez pas à nous contacter.`,
        closing: 'Bien cordialement,',
        sms: "Bonjour {{ client.firstName }}, votre devis {{ estimate.number }} d'un montant de {{ estimate.amount }} est valable jusqu'au {{ estimate.expiresOn }}. Des questions ? Contactez-nous.",
      }),
      it: it.toClient({
        subject: `Il tuo preventivo {{ estimate.number }}${atBusiness('da')}`,
        body: `abbiamo preparato il tuo preventivo {{ estimate.number }} per un importo di {{ estimate.amount }}, valido fino al {{ estimate.expiresOn }}.

Per qualsiasi domanda, o per confermarlo, contattaci pure.`,
        closing: 'Un saluto,',
        sms: 'Ciao {{ client.firstName }}, abbiamo preparato il tuo preventivo {{ estimate.number }} di {{ estimate.amount }}, valido fino al {{ estimate.expiresOn }}. Per domande, contattaci!',
      }),
    },
  },
  estimate_expiring: {
    entity: 'estimate',
    description: 'An estimate expires soon',
    audience: 'client',
    page: 'estimateExpiry',
    mode: 'client',
    fires: { anchor: 'expiresOn', direction: 'before', holdsWhile: ['issued'] },
    texts: {
      en: en.toClient({
        subject: 'Your estimate {{ estimate.number }} expires soon',
        body: `Just a reminder that estimate {{ estimate.number }}, for a total of {{ estimate.amount }}, is valid until {{ estimate.expiresOn }}.

If you'd like to go ahead, or have any questions, just let us know before then.`,
        closing: 'Best regards,',
        sms: 'Hi {{ client.firstName }}, a reminder that estimate {{ estimate.number }} for {{ estimate.amount }} expires on {{ estimate.expiresOn }}. Want to go ahead? Let us know.',
      }),
      es: es.toClient({
        subject: 'Tu presupuesto {{ estimate.number }} caduca pronto',
        body: `Te recordamos que el presupuesto {{ estimate.number }}, por un importe de {{ estimate.amount }}, es válido hasta el {{ estimate.expiresOn }}.

Si quieres seguir adelante o tienes alguna pregunta, dínoslo antes de esa fecha.`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, tu presupuesto {{ estimate.number }} de {{ estimate.amount }} caduca el {{ estimate.expiresOn }}. Si quieres seguir adelante, dinos algo.',
      }),
      fr: fr.toClient({
        subject: 'Votre devis {{ estimate.number }} expire bientôt',
        body: `Nous vous rappelons que votre devis {{ estimate.number }} d'un montant de {{ estimate.amount }} est valable jusqu'au {{ estimate.expiresOn }}.

Pour nous donner votre accord ou pour toute question, n'hésitez pas à nous contacter d'ici là.`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, votre devis {{ estimate.number }} de {{ estimate.amount }} expire le {{ estimate.expiresOn }}. Pour donner votre accord, contactez-nous.',
      }),
      it: it.toClient({
        subject: 'Il tuo preventivo {{ estimate.number }} sta per scadere',
        body: `ti ricordiamo che il preventivo {{ estimate.number }}, per un importo di {{ estimate.amount }}, è valido fino al {{ estimate.expiresOn }}.

Se vuoi confermarlo o hai qualche domanda, contattaci entro quella data.`,
        closing: 'Un saluto,',
        sms: 'Ciao {{ client.firstName }}, il tuo preventivo {{ estimate.number }} di {{ estimate.amount }} scade il {{ estimate.expiresOn }}. Per confermarlo, contattaci!',
      }),
    },
  },
  estimate_expiring_business: {
    entity: 'estimate',
    description: 'Tells the business an estimate expires soon',
    audience: 'business',
    page: 'estimateExpiry',
    mode: 'business',
    fires: { anchor: 'expiresOn', direction: 'before', holdsWhile: ['issued'] },
    texts: {
      en: en.toBusiness({
        subject: 'Estimate {{ estimate.number }} for {{ client.fullName }} expires soon',
        body: `Estimate {{ estimate.number }} for {{ client.fullName }} ({{ estimate.amount }}) expires on {{ estimate.expiresOn }} and hasn't been answered yet.

Get in touch before then to see whether they'd like to go ahead.`,
        sms: 'estimate {{ estimate.number }} for {{ client.fullName }} ({{ estimate.amount }}) expires on {{ estimate.expiresOn }} with no answer yet. Worth a call.',
      }),
      es: es.toBusiness({
        subject: 'El presupuesto {{ estimate.number }} de {{ client.fullName }} caduca pronto',
        body: `El presupuesto {{ estimate.number }} de {{ client.fullName }}, por {{ estimate.amount }}, caduca el {{ estimate.expiresOn }} y aún no tiene respuesta.

Ponte en contacto antes de esa fecha para saber si quiere seguir adelante.`,
        sms: 'el presupuesto {{ estimate.number }} de {{ client.fullName }} ({{ estimate.amount }}) caduca el {{ estimate.expiresOn }} sin respuesta. Ponte en contacto.',
      }),
      fr: fr.toBusiness({
        subject: 'Le devis {{ estimate.number }} de {{ client.fullName }} expire bientôt',
        body: `Le devis {{ estimate.number }} de {{ client.fullName }}, d'un montant de {{ estimate.amount }}, expire le {{ estimate.expiresOn }} et n'a pas encore reçu de réponse.

Prenez contact d'ici là pour savoir où en est sa décision.`,
        sms: 'le devis {{ estimate.number }} de {{ client.fullName }} ({{ estimate.amount }}) expire le {{ estimate.expiresOn }}, toujours sans réponse. Pensez à relancer.',
      }),
      it: it.toBusiness({
        subject: 'Il preventivo {{ estimate.number }} di {{ client.fullName }} sta per scadere',
        body: `Il preventivo {{ estimate.number }} per {{ client.fullName }}, per un importo di {{ estimate.amount }}, scade il {{ estimate.expiresOn }} e non ha ancora ricevuto risposta.

Fatti sentire prima di quella data per sapere se intende procedere.`,
        sms: 'il preventivo {{ estimate.number }} per {{ client.fullName }} ({{ estimate.amount }}) scade il {{ estimate.expiresOn }}, ancora senza risposta. Fatti sentire!',
      }),
    },
  },
} as const satisfies Record<string, MessageTypeDeclaration>;
