import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { en, es, fr, it } from '#domain/messages/types/phrases.ts';

/**
 * The messages about a work order; custom rules send them (the settings page has none).
 * What each field means: declaration.ts; the phrases the texts share: phrases.ts.
 */
export const orderMessages = {
  order_created: {
    entity: 'order',
    description: 'A work order was opened',
    audience: 'client',
    fires: 'custom rule',
    texts: {
      en: en.toClient({
        subject: "We've opened your order: {{ order.title }}",
        body: `We've opened your order "{{ order.title }}".{% if order.scheduledDate %} It is scheduled for {{ order.scheduledDate }} at {{ order.scheduledTime }}.{% endif %}

We'll keep you posted on its progress.`,
        closing: 'Best regards,',
        sms: "Hi {{ client.firstName }}, we've opened your order: {{ order.title }}.{% if order.scheduledDate %} Scheduled for {{ order.scheduledShortDate }} at {{ order.scheduledTime }}.{% endif %} We'll keep you posted.",
      }),
      es: es.toClient({
        subject: 'Hemos abierto tu pedido: {{ order.title }}',
        body: `Hemos abierto tu pedido «{{ order.title }}».{% if order.scheduledDate %} Está previsto para el {{ order.scheduledDate }} a las {{ order.scheduledTime }}.{% endif %}

Te iremos informando de cómo avanza.`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, hemos abierto tu pedido: {{ order.title }}.{% if order.scheduledDate %} Previsto para el {{ order.scheduledShortDate }} a las {{ order.scheduledTime }}.{% endif %} Te iremos informando.',
      }),
      fr: fr.toClient({
        subject: 'Votre commande est enregistrée : {{ order.title }}',
        body: `Nous avons bien enregistré votre commande « {{ order.title }} ».{% if order.scheduledDate %} Elle est prévue le {{ order.scheduledDate }} à {{ order.scheduledTime }}.{% endif %}

Nous vous informerons de son avancement.`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, votre commande {{ order.title }} est enregistrée.{% if order.scheduledDate %} Prévue le {{ order.scheduledShortDate }} à {{ order.scheduledTime }}.{% endif %} Merci !',
      }),
      it: it.toClient({
        subject: 'Abbiamo aperto il tuo ordine: {{ order.title }}',
        body: `abbiamo aperto il tuo ordine "{{ order.title }}".{% if order.scheduledDate %} È previsto per {{ order.scheduledDate }} alle {{ order.scheduledTime }}.{% endif %}

Ti aggiorneremo sui progressi.`,
        closing: 'Un saluto,',
        sms: 'Ciao {{ client.firstName }}, abbiamo aperto il tuo ordine: {{ order.title }}.{% if order.scheduledDate %} Previsto per {{ order.scheduledShortDate }} alle {{ order.scheduledTime }}.{% endif %} Ti aggiorneremo.',
      }),
    },
  },
  order_status_changed: {
    entity: 'order',
    description: 'A work order changed status',
    audience: 'client',
    fires: 'custom rule',
    variables: {
      'order.previousStatus': 'The status before the change',
    },
    texts: {
      en: en.toClient({
        subject: 'Update on your order: {{ order.title }}',
        body: `There's an update on your order "{{ order.title }}": its status is now "{{ order.status }}".

${en.questions}`,
        closing: 'Best regards,',
        sms: 'Hi {{ client.firstName }}, update on your order {{ order.title }}: its status is now {{ order.status }}.',
      }),
      es: es.toClient({
        subject: 'Novedades sobre tu pedido: {{ order.title }}',
        body: `Tu pedido «{{ order.title }}» ha pasado al estado «{{ order.status }}».

${es.questions}`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, tu pedido {{ order.title }} ha pasado al estado: {{ order.status }}.',
      }),
      fr: fr.toClient({
        subject: 'Du nouveau pour votre commande : {{ order.title }}',
        body: `Le statut de votre commande « {{ order.title }} » a changé : elle est désormais « {{ order.status }} ».

${fr.questions}`,
        closing: 'Bien cordialement,',
        sms: 'Bonjour {{ client.firstName }}, le statut de votre commande {{ order.title }} a changé : {{ order.status }}.',
      }),
      it: it.toClient({
        subject: 'Aggiornamento sul tuo ordine: {{ order.title }}',
        body: `il tuo ordine "{{ order.title }}" è passato allo stato "{{ order.status }}".

${it.questions}`,
        closing: 'Un saluto,',
        sms: 'Ciao {{ client.firstName }}, il tuo ordine {{ order.title }} è passato allo stato: {{ order.status }}.',
      }),
    },
  },
  order_schedule_changed: {
    entity: 'order',
    description: 'A work order’s scheduled time changed',
    audience: 'client',
    fires: 'custom rule',
    variables: {
      'order.previousScheduledDate': 'The scheduled date before the change (empty when it had none)',
      'order.previousScheduledTime': 'The scheduled time before the change',
    },
    texts: {
      en: en.toClient({
        subject: 'Schedule update for your order: {{ order.title }}',
        body: `{% if order.scheduledDate %}Your order "{{ order.title }}" is now scheduled for {{ order.scheduledDate }} at {{ order.scheduledTime }}.{% else %}Your order "{{ order.title }}" no longer has a scheduled date. We'll be in touch to arrange a new one.{% endif %}

${en.questions}`,
        closing: 'Best regards,',
        sms: "Hi {{ client.firstName }}, {% if order.scheduledDate %}your order {{ order.title }} is now scheduled for {{ order.scheduledShortDate }} at {{ order.scheduledTime }}.{% else %}your order {{ order.title }} no longer has a date. We'll be in touch to set a new one.{% endif %}",
      }),
      es: es.toClient({
        subject: 'Cambio de fecha de tu pedido: {{ order.title }}',
        body: `{% if order.scheduledDate %}Tu pedido «{{ order.title }}» está ahora previsto para el {{ order.scheduledDate }} a las {{ order.scheduledTime }}.{% else %}Tu pedido «{{ order.title }}» ya no tiene fecha prevista. Te avisaremos en cuanto tengamos una nueva.{% endif %}

${es.questions}`,
        closing: 'Un saludo,',
        sms: 'Hola {{ client.firstName }}, {% if order.scheduledDate %}tu pedido {{ order.title }} queda previsto para el {{ order.scheduledShortDate }} a las {{ order.scheduledTime }}.{% else %}tu pedido {{ order.title }} ya no tiene fecha prevista. Te avisaremos con la nueva.{% endif %}',
      }),
      fr: fr.toClient({
        subject: 'Nouvelle date pour votre commande : {{ order.title }}',
        body: `{% if order.scheduledDate %}Votre commande « {{ order.title }} » est désormais prévue le {{ order.scheduledDate }} à {{ order.scheduledTime }}.{% else %}Votre commande « {{ order.title }} » n'a plus de date prévue. Nous reviendrons vers vous pour en fixer une nouvelle.{% endif %}

${fr.questions}`,
        closing: 'Bien cordialement,',
        sms: "Bonjour {{ client.firstName }}, {% if order.scheduledDate %}votre commande {{ order.title }} est désormais prévue le {{ order.scheduledShortDate }} à {{ order.scheduledTime }}.{% else %}votre commande {{ order.title }} n'a plus de date prévue. Nous vous recontacterons pour en fixer une.{% endif %}",
      }),
      it: it.toClient({
        subject: 'Nuova data per il tuo ordine: {{ order.title }}',
        body: `{% if order.scheduledDate %}il tuo ordine "{{ order.title }}" è ora previsto per {{ order.scheduledDate }} alle {{ order.scheduledTime }}.{% else %}il tuo ordine "{{ order.title }}" non ha più una data prevista. Ti contatteremo per fissarne una nuova.{% endif %}

${it.questions}`,
        closing: 'Un saluto,',
        sms: 'Ciao {{ client.firstName }}, {% if order.scheduledDate %}il tuo ordine {{ order.title }} è ora previsto per {{ order.scheduledShortDate }} alle {{ order.scheduledTime }}.{% else %}il tuo ordine {{ order.title }} non ha più una data prevista. Ti contatteremo per fissarne una nuova.{% endif %}',
      }),
    },
  },
  order_reminder: {
    entity: 'order',
    description: 'A work order’s scheduled time is coming up',
    audience: 'client',
    fires: 'custom rule',
    texts: {
      en: en.toClient({
        subject: 'Reminder for your order: {{ order.title }}',
        body: `A reminder that your order "{{ order.title }}" is scheduled for {{ order.scheduledDate }} at {{ order.scheduledTime }}.

If you need to change the date, just let us know.`,
        closing: 'See you soon,',
        sms: 'Hi {{ client.firstName }}, a reminder that your order {{ order.title }} is scheduled for {{ order.scheduledShortDate }} at {{ order.scheduledTime }}. See you soon!',
      }),
      es: es.toClient({
        subject: 'Recordatorio de tu pedido: {{ order.title }}',
        body: `Te recordamos que tu pedido «{{ order.title }}» está previsto para el {{ order.scheduledDate }} a las {{ order.scheduledTime }}.

Si necesitas cambiar la fecha, avísanos.`,
        closing: '¡Hasta pronto!',
        sms: 'Hola {{ client.firstName }}, te recordamos tu pedido {{ order.title }}, previsto para el {{ order.scheduledShortDate }} a las {{ order.scheduledTime }}. ¡Hasta pronto!',
      }),
      fr: fr.toClient({
        subject: 'Rappel pour votre commande : {{ order.title }}',
        body: `Nous vous rappelons que votre commande « {{ order.title }} » est prévue le {{ order.scheduledDate }} à {{ order.scheduledTime }}.

Pour modifier la date, n'hésitez pas à nous contacter.`,
        closing: 'À bientôt,',
        sms: 'Bonjour {{ client.firstName }}, petit rappel : votre commande {{ order.title }} est prévue le {{ order.scheduledShortDate }} à {{ order.scheduledTime }}. Merci !',
      }),
      it: it.toClient({
        subject: 'Promemoria per il tuo ordine: {{ order.title }}',
        body: `ti ricordiamo che il tuo ordine "{{ order.title }}" è previsto per {{ order.scheduledDate }} alle {{ order.scheduledTime }}.

Se hai bisogno di cambiare la data, contattaci pure.`,
        closing: 'A presto,',
        sms: 'Ciao {{ client.firstName }}, ti ricordiamo che il tuo ordine {{ order.title }} è previsto per {{ order.scheduledShortDate }} alle {{ order.scheduledTime }}. A presto!',
      }),
    },
  },
} as const satisfies Record<string, MessageTypeDeclaration>;
