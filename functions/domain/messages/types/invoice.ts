import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { atBusiness, en, es, fr, it } from '#domain/messages/types/phrases.ts';

/**
 * The messages about an invoice: issued, and overdue (to the client or to the business). The client
 * card's payment reminder sends invoice_overdue too, at once.
 * What each field means: declaration.ts; the phrases the texts share: phrases.ts.
 */
export const invoiceMessages = {
  invoice_issued: {
    entity: 'invoice',
    description: 'A new invoice for the client',
    audience: 'client',
    page: 'newInvoice',
    fires: { on: 'status_changed', toStatus: 'issued' },
    texts: {
      en: en.toClient({
        subject: `Invoice {{ invoice.number }}${atBusiness('from')}`,
        body: `We've issued invoice {{ invoice.number }} for {{ invoice.amount }}, due on {{ invoice.dueDate }}.

If you have any questions about it, just let us know.`,
        closing: 'Thank you,',
        sms: "Hi {{ client.firstName }}, we've issued invoice {{ invoice.number }} for {{ invoice.amount }}, due on {{ invoice.dueDate }}. Thank you!",
      }),
      es: es.toClient({
        subject: `Factura {{ invoice.number }}${atBusiness('de')}`,
        body: `Te hemos emitido la factura {{ invoice.number }} por un importe de {{ invoice.amount }}, con vencimiento el {{ invoice.dueDate }}.

${es.questions}`,
        closing: 'Gracias,',
        sms: 'Hola {{ client.firstName }}, te hemos emitido la factura {{ invoice.number }} por {{ invoice.amount }}, con vencimiento el {{ invoice.dueDate }}. Gracias.',
      }),
      fr: fr.toClient({
        subject: `Facture {{ invoice.number }}${atBusiness('de')}`,
        body: `Nous avons émis la facture {{ invoice.number }} d'un montant de {{ invoice.amount }}, à régler au plus tard le {{ invoice.dueDate }}.

${fr.questions}`,
        closing: 'Merci pour votre confiance,',
        sms: "Bonjour {{ client.firstName }}, votre facture {{ invoice.number }} d'un montant de {{ invoice.amount }} est à régler au plus tard le {{ invoice.dueDate }}. Merci !",
      }),
      it: it.toClient({
        subject: `Fattura {{ invoice.number }}${atBusiness('di')}`,
        body: `abbiamo emesso la fattura {{ invoice.number }} per un importo di {{ invoice.amount }}, da saldare entro il {{ invoice.dueDate }}.

${it.questions}`,
        closing: 'Grazie,',
        sms: 'Ciao {{ client.firstName }}, abbiamo emesso la fattura {{ invoice.number }} di {{ invoice.amount }}, da saldare entro il {{ invoice.dueDate }}. Grazie!',
      }),
    },
  },
  invoice_overdue: {
    entity: 'invoice',
    description: 'An invoice is past its due date',
    audience: 'client',
    page: 'overdueInvoice',
    mode: 'client',
    fires: { anchor: 'dueDate', direction: 'after', holdsWhile: ['issued'] },
    texts: {
      en: en.toClient({
        subject: 'Reminder: invoice {{ invoice.number }} is overdue',
        body: `Our records show that invoice {{ invoice.number }} for {{ invoice.amount }}, due on {{ invoice.dueDate }}, is still unpaid.

We'd be grateful if you could settle it as soon as possible. If you've already paid, please disregard this message.

${en.questions}`,
        closing: 'Thank you,',
        sms: 'Hi {{ client.firstName }}, invoice {{ invoice.number }} for {{ invoice.amount }} was due on {{ invoice.dueDate }} and is still unpaid. Already paid? Please ignore this.',
      }),
      es: es.toClient({
        subject: 'Recordatorio: factura {{ invoice.number }} pendiente de pago',
        body: `Te recordamos que la factura {{ invoice.number }}, por un importe de {{ invoice.amount }}, venció el {{ invoice.dueDate }} y todavía figura como pendiente de pago.

Te agradeceríamos que la abonaras lo antes posible. Si ya la has pagado, no tengas en cuenta este mensaje.

${es.questions}`,
        closing: 'Gracias,',
        sms: 'Hola {{ client.firstName }}, la factura {{ invoice.number }} de {{ invoice.amount }}, con vencimiento el {{ invoice.dueDate }}, sigue pendiente. Si ya la pagaste, ignora este SMS.',
      }),
      fr: fr.toClient({
        subject: 'Rappel : facture {{ invoice.number }} en attente de règlement',
        body: `Sauf erreur de notre part, la facture {{ invoice.number }} d'un montant de {{ invoice.amount }}, arrivée à échéance le {{ invoice.dueDate }}, n'a pas encore été réglée.

Nous vous remercions de bien vouloir procéder à son règlement dans les meilleurs délais. Si vous l'avez déjà réglée, merci de ne pas tenir compte de ce message.

${fr.questions}`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, votre facture {{ invoice.number }} de {{ invoice.amount }}, échue le {{ invoice.dueDate }}, reste à régler. Déjà réglée ? Ignorez ce SMS.',
      }),
      it: it.toClient({
        subject: 'Promemoria: fattura {{ invoice.number }} scaduta',
        body: `ti ricordiamo che la fattura {{ invoice.number }} di {{ invoice.amount }}, scaduta il {{ invoice.dueDate }}, risulta ancora da saldare.

Ti chiediamo di provvedere al pagamento appena possibile. Se hai già pagato, non tenere conto di questo messaggio.

${it.questions}`,
        closing: 'Grazie,',
        sms: 'Ciao {{ client.firstName }}, la fattura {{ invoice.number }} di {{ invoice.amount }}, scaduta il {{ invoice.dueDate }}, è ancora da saldare. Se hai già pagato, ignora questo SMS.',
      }),
    },
  },
  invoice_overdue_business: {
    entity: 'invoice',
    description: 'Tells the business an invoice is past its due date',
    audience: 'business',
    page: 'overdueInvoice',
    mode: 'business',
    fires: { anchor: 'dueDate', direction: 'after', holdsWhile: ['issued'] },
    texts: {
      en: en.toBusiness({
        subject: 'Invoice {{ invoice.number }} for {{ client.fullName }} is overdue',
        body: `Invoice {{ invoice.number }} for {{ client.fullName }} ({{ invoice.amount }}) was due on {{ invoice.dueDate }} and is still unpaid.

Check whether the payment has come in, and if not, get in touch with the client to arrange it.`,
        sms: 'invoice {{ invoice.number }} for {{ client.fullName }} ({{ invoice.amount }}) was due on {{ invoice.dueDate }} and is unpaid. Please follow up.',
      }),
      es: es.toBusiness({
        subject: 'Factura vencida: {{ invoice.number }} de {{ client.fullName }}',
        body: `La factura {{ invoice.number }} de {{ client.fullName }}, por {{ invoice.amount }}, venció el {{ invoice.dueDate }} y sigue pendiente de pago.

Comprueba si ya has recibido el pago y, si no es así, ponte en contacto para gestionar el cobro.`,
        sms: 'la factura {{ invoice.number }} de {{ client.fullName }} ({{ invoice.amount }}), con vencimiento el {{ invoice.dueDate }}, sigue sin pagar. Gestiona el cobro.',
      }),
      fr: fr.toBusiness({
        subject: 'Facture {{ invoice.number }} de {{ client.fullName }} en retard de paiement',
        body: `La facture {{ invoice.number }} de {{ client.fullName }}, d'un montant de {{ invoice.amount }}, était à régler au plus tard le {{ invoice.dueDate }} et n'a toujours pas été payée.

Vérifiez si le paiement est arrivé et, sinon, pensez à relancer ce règlement.`,
        sms: 'la facture {{ invoice.number }} de {{ client.fullName }} ({{ invoice.amount }}), échue le {{ invoice.dueDate }}, est impayée. Pensez à relancer.',
      }),
      it: it.toBusiness({
        subject: 'Fattura {{ invoice.number }} di {{ client.fullName }} scaduta',
        body: `La fattura {{ invoice.number }} intestata a {{ client.fullName }}, per un importo di {{ invoice.amount }}, è scaduta il {{ invoice.dueDate }} e risulta ancora da saldare.

Verifica se il pagamento è arrivato e, in caso contrario, sollecitalo.`,
        sms: 'la fattura {{ invoice.number }} di {{ client.fullName }} ({{ invoice.amount }}) è scaduta il {{ invoice.dueDate }} ed è ancora da saldare. Sollecita il pagamento.',
      }),
    },
  },
} as const satisfies Record<string, MessageTypeDeclaration>;
