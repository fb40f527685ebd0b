import type { LanguageDefaults } from '#domain/messages/default-templates/shape.ts';

// Del tu, con il tono cordiale di un salone o di uno studio. Gli SMS usano l'apostrofo dritto e
// nessuna È maiuscola (fuori dall'alfabeto GSM-7, che ammette à, è, é, ì, ò e ù), così un
// segmento contiene 160 caratteri.

const greeting = 'Ciao {{ client.firstName }},';
const bookingDetails = `Servizio: {{ booking.service }}
Data: {{ booking.date }}
Ora: {{ booking.time }}{% if location.name %}
Sede: {{ location.name }}{% endif %}`;
const changeOrCancel = 'Se hai bisogno di spostarlo o annullarlo, contattaci pure.';
const questions = 'Per qualsiasi domanda, siamo a tua disposizione.';
const signed = (closing: string) => `${closing}\n{{ business.name }}`;
const sms = (text: string) => `${text} - {{ business.name }}`;
const forBusiness = (text: string) => `${text}\n\nPromemoria automatico per {{ business.name }}`;
const businessSms = (text: string) => `{{ business.name }}: ${text}`;

export const it: LanguageDefaults = {
  booking_confirmation: {
    email: {
      subject: 'Il tuo appuntamento da {{ business.name }} è confermato',
      text: `${greeting}

il tuo appuntamento è confermato. Ecco i dettagli:

${bookingDetails}

${changeOrCancel}

${signed('A presto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, il tuo appuntamento per {{ booking.service }} di {{ booking.shortDate }} alle {{ booking.time }} è confermato. Ti aspettiamo!') },
  },
  booking_pending: {
    email: {
      subject: 'Abbiamo ricevuto la tua richiesta di appuntamento',
      text: `${greeting}

grazie per la tua richiesta di appuntamento. La verificheremo e ti daremo conferma il prima possibile.

${bookingDetails}

${signed('Un saluto,')}`,
    },
    sms: { text: sms("Ciao {{ client.firstName }}, abbiamo ricevuto la tua richiesta per {{ booking.shortDate }} alle {{ booking.time }}. Ti confermeremo l'appuntamento al più presto.") },
  },
  booking_confirmed: {
    email: {
      subject: 'Il tuo appuntamento da {{ business.name }} è confermato',
      text: `${greeting}

buone notizie: abbiamo confermato il tuo appuntamento.

${bookingDetails}

${changeOrCancel}

${signed('A presto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, buone notizie: il tuo appuntamento di {{ booking.shortDate }} alle {{ booking.time }} è confermato. Ti aspettiamo!') },
  },
  booking_rejected: {
    email: {
      subject: 'La tua richiesta di appuntamento',
      text: `${greeting}

ci dispiace, ma non possiamo accettare la tua richiesta per {{ booking.service }} di {{ booking.date }} alle {{ booking.time }}.

Contattaci e troveremo insieme un altro orario adatto a te.

${signed('Un saluto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, ci dispiace, non possiamo confermare il tuo appuntamento di {{ booking.shortDate }} alle {{ booking.time }}. Contattaci per trovare un altro orario.') },
  },
  booking_cancelled: {
    email: {
      subject: 'Il tuo appuntamento è stato annullato',
      text: `${greeting}

il tuo appuntamento per {{ booking.service }} di {{ booking.date }} alle {{ booking.time }} è stato annullato.

Quando vorrai prenotare di nuovo, saremo felici di accoglierti.

${signed('Un saluto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, il tuo appuntamento di {{ booking.shortDate }} alle {{ booking.time }} è stato annullato. Speriamo di rivederti presto!') },
  },
  booking_rescheduled: {
    email: {
      subject: 'Il tuo appuntamento è stato spostato',
      text: `${greeting}

il tuo appuntamento è stato spostato. Ecco il nuovo orario:

${bookingDetails}{% if booking.previousDate %}

In precedenza era fissato per {{ booking.previousDate }} alle {{ booking.previousTime }}.{% endif %}

Se il nuovo orario non ti va bene, contattaci.

${signed('A presto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, il tuo appuntamento per {{ booking.service }} è stato spostato a {{ booking.shortDate }} alle {{ booking.time }}. Ti aspettiamo!') },
  },
  booking_completed: {
    email: {
      subject: 'Grazie per la tua visita',
      text: `${greeting}

grazie per la tua visita! Speriamo che tutto sia stato di tuo gradimento.

Quando vorrai prenotare il prossimo appuntamento, saremo felici di rivederti.

${signed('Un saluto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, grazie per la tua visita! Speriamo che tutto sia stato di tuo gradimento. A presto!') },
  },
  booking_reminder: {
    email: {
      subject: 'Promemoria: il tuo appuntamento da {{ business.name }}',
      text: `${greeting}

ti ricordiamo il tuo prossimo appuntamento:

${bookingDetails}

${changeOrCancel}

${signed('A presto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, ti ricordiamo il tuo appuntamento per {{ booking.service }} di {{ booking.shortDate }} alle {{ booking.time }}. Ti aspettiamo!') },
  },
  booking_follow_up: {
    email: {
      subject: 'Grazie per aver scelto {{ business.name }}',
      text: `${greeting}

grazie ancora per il tuo appuntamento per {{ booking.service }} di {{ booking.date }}. Speriamo che il risultato ti piaccia.

Quando vorrai prenotare il prossimo appuntamento, basta contattarci: saremo felici di rivederti.

${signed('Un saluto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, grazie ancora per la tua visita di {{ booking.shortDate }}! Quando vuoi prenotare di nuovo, basta contattarci.') },
  },
  booking_follow_up_due: {
    email: {
      subject: 'Ricontatta {{ client.fullName }}',
      text: forBusiness(`È il momento giusto per ricontattare {{ client.fullName }} dopo il suo appuntamento:

${bookingDetails}

Chiedi com'è andata e proponi di prenotare il prossimo appuntamento.`),
    },
    sms: { text: businessSms("ricontatta {{ client.fullName }} dopo l'appuntamento per {{ booking.service }} di {{ booking.shortDate }}. Chiedi com'è andata e proponi una nuova data.") },
  },
  invoice_issued: {
    email: {
      subject: 'Fattura {{ invoice.number }} di {{ business.name }}',
      text: `${greeting}

abbiamo emesso la fattura {{ invoice.number }} per un importo di {{ invoice.amount }}, da saldare entro il {{ invoice.dueDate }}.

${questions}

${signed('Grazie,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, abbiamo emesso la fattura {{ invoice.number }} di {{ invoice.amount }}, da saldare entro il {{ invoice.dueDate }}. Grazie!') },
  },
  invoice_overdue: {
    email: {
      subject: 'Promemoria: fattura {{ invoice.number }} scaduta',
      text: `${greeting}

ti ricordiamo che la fattura {{ invoice.number }} di {{ invoice.amount }}, scaduta il {{ invoice.dueDate }}, risulta ancora da saldare.

Ti chiediamo di provvedere al pagamento appena possibile. Se hai già pagato, non tenere conto di questo messaggio.

${questions}

${signed('Grazie,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, la fattura {{ invoice.number }} di {{ invoice.amount }}, scaduta il {{ invoice.dueDate }}, è ancora da saldare. Se hai già pagato, ignora questo SMS.') },
  },
  invoice_overdue_business: {
    email: {
      subject: 'Fattura {{ invoice.number }} di {{ client.fullName }} scaduta',
      text: forBusiness(`La fattura {{ invoice.number }} intestata a {{ client.fullName }}, per un importo di {{ invoice.amount }}, è scaduta il {{ invoice.dueDate }} e risulta ancora da saldare.

Verifica se il pagamento è arrivato e, in caso contrario, sollecitalo.`),
    },
    sms: { text: businessSms('la fattura {{ invoice.number }} di {{ client.fullName }} ({{ invoice.amount }}) è scaduta il {{ invoice.dueDate }} ed è ancora da saldare. Sollecita il pagamento.') },
  },
  estimate_issued: {
    email: {
      subject: 'Il tuo preventivo {{ estimate.number }} da {{ business.name }}',
      text: `${greeting}

abbiamo preparato il tuo preventivo {{ estimate.number }} per un importo di {{ estimate.amount }}, valido fino al {{ estimate.expiresOn }}.

Per qualsiasi domanda, o per confermarlo, contattaci pure.

${signed('Un saluto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, abbiamo preparato il tuo preventivo {{ estimate.number }} di {{ estimate.amount }}, valido fino al {{ estimate.expiresOn }}. Per domande, contattaci!') },
  },
  estimate_expiring: {
    email: {
      subject: 'Il tuo preventivo {{ estimate.number }} sta per scadere',
      text: `${greeting}

ti ricordiamo che il preventivo {{ estimate.number }}, per un importo di {{ estimate.amount }}, è valido fino al {{ estimate.expiresOn }}.

Se vuoi confermarlo o hai qualche domanda, contattaci entro quella data.

${signed('Un saluto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, il tuo preventivo {{ estimate.number }} di {{ estimate.amount }} scade il {{ estimate.expiresOn }}. Per confermarlo, contattaci!') },
  },
  estimate_expiring_business: {
    email: {
      subject: 'Il preventivo {{ estimate.number }} di {{ client.fullName }} sta per scadere',
      text: forBusiness(`Il preventivo {{ estimate.number }} per {{ client.fullName }}, per un importo di {{ estimate.amount }}, scade il {{ estimate.expiresOn }} e non ha ancora ricevuto risposta.

Fatti sentire prima di quella data per sapere se intende procedere.`),
    },
    sms: { text: businessSms('il preventivo {{ estimate.number }} per {{ client.fullName }} ({{ estimate.amount }}) scade il {{ estimate.expiresOn }}, ancora senza risposta. Fatti sentire!') },
  },
  order_created: {
    email: {
      subject: 'Abbiamo aperto il tuo ordine: {{ order.title }}',
      text: `${greeting}

abbiamo aperto il tuo ordine "{{ order.title }}".{% if order.scheduledDate %} È previsto per {{ order.scheduledDate }} alle {{ order.scheduledTime }}.{% endif %}

Ti aggiorneremo sui progressi.

${signed('Un saluto,')}`,
    },
    sms: {
      text: sms(
        'Ciao {{ client.firstName }}, abbiamo aperto il tuo ordine: {{ order.title }}.{% if order.scheduledDate %} Previsto per {{ order.scheduledShortDate }} alle {{ order.scheduledTime }}.{% endif %} Ti aggiorneremo.',
      ),
    },
  },
  order_status_changed: {
    email: {
      subject: 'Aggiornamento sul tuo ordine: {{ order.title }}',
      text: `${greeting}

il tuo ordine "{{ order.title }}" è passato allo stato "{{ order.status }}".

${questions}

${signed('Un saluto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, il tuo ordine {{ order.title }} è passato allo stato: {{ order.status }}.') },
  },
  order_schedule_changed: {
    email: {
      subject: 'Nuova data per il tuo ordine: {{ order.title }}',
      text: `${greeting}

{% if order.scheduledDate %}il tuo ordine "{{ order.title }}" è ora previsto per {{ order.scheduledDate }} alle {{ order.scheduledTime }}.{% else %}il tuo ordine "{{ order.title }}" non ha più una data prevista. Ti contatteremo per fissarne una nuova.{% endif %}

${questions}

${signed('Un saluto,')}`,
    },
    sms: {
      text: sms(
        'Ciao {{ client.firstName }}, {% if order.scheduledDate %}il tuo ordine {{ order.title }} è ora previsto per {{ order.scheduledShortDate }} alle {{ order.scheduledTime }}.{% else %}il tuo ordine {{ order.title }} non ha più una data prevista. Ti contatteremo per fissarne una nuova.{% endif %}',
      ),
    },
  },
  order_reminder: {
    email: {
      subject: 'Promemoria per il tuo ordine: {{ order.title }}',
      text: `${greeting}

ti ricordiamo che il tuo ordine "{{ order.title }}" è previsto per {{ order.scheduledDate }} alle {{ order.scheduledTime }}.

Se hai bisogno di cambiare la data, contattaci pure.

${signed('A presto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, ti ricordiamo che il tuo ordine {{ order.title }} è previsto per {{ order.scheduledShortDate }} alle {{ order.scheduledTime }}. A presto!') },
  },
  lead_created: {
    email: {
      subject: 'Grazie per aver contattato {{ business.name }}',
      text: `${greeting}

grazie per averci contattato. Abbiamo ricevuto il tuo messaggio e ti risponderemo il prima possibile.

${signed('Un saluto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, grazie per averci contattato! Abbiamo ricevuto il tuo messaggio e ti risponderemo al più presto.') },
  },
  lead_status_changed: {
    email: {
      subject: 'Aggiornamento sulla tua richiesta',
      text: `${greeting}

la tua richiesta è stata aggiornata: ora il suo stato è "{{ lead.status }}".

${questions}

${signed('Un saluto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, la tua richiesta è stata aggiornata. Nuovo stato: {{ lead.status }}.') },
  },
  auto_reply_contact_form: {
    email: {
      subject: 'Grazie per aver scritto a {{ business.name }}',
      text: `${greeting}

grazie per la tua richiesta. L'abbiamo ricevuta e ti risponderemo il prima possibile.

${signed('Un saluto,')}`,
    },
    sms: { text: sms("Ciao {{ client.firstName }}, grazie per la tua richiesta! L'abbiamo ricevuta e ti risponderemo al più presto.") },
  },
  auto_reply_message: {
    email: {
      subject: 'Abbiamo ricevuto il tuo messaggio',
      text: `${greeting}

grazie per il tuo messaggio. L'abbiamo ricevuto e ti risponderemo appena possibile.

${signed('Un saluto,')}`,
    },
    sms: { text: sms("Ciao {{ client.firstName }}, grazie per il tuo messaggio! L'abbiamo ricevuto e ti risponderemo appena possibile.") },
  },
  auto_reply_document: {
    email: {
      subject: 'Abbiamo ricevuto il tuo documento',
      text: `${greeting}

grazie per averci inviato il tuo documento. L'abbiamo ricevuto correttamente e lo esamineremo a breve.

${questions}

${signed('Un saluto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, abbiamo ricevuto il tuo documento, grazie! Lo esamineremo a breve.') },
  },
  booking_invitation: {
    email: {
      subject: 'Ci farebbe piacere rivederti da {{ business.name }}',
      text: `${greeting}

è passato un po' di tempo dalla tua ultima visita e ci farebbe piacere rivederti. Rispondi a questa email o contattaci per prenotare il tuo prossimo appuntamento.

${signed('A presto,')}`,
    },
    sms: { text: sms('Ciao {{ client.firstName }}, ci farebbe piacere rivederti! Contattaci per prenotare il tuo prossimo appuntamento.') },
  },
  free_form: {
    email: {
      subject: '{% if message.subject %}{{ message.subject }}{% else %}Un messaggio da {{ business.name }}{% endif %}',
      text: '{{ message.text }}\n\n{{ business.name }}',
    },
    sms: { text: sms('{{ message.text }}') },
  },
};
