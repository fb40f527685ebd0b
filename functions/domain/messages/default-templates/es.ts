import type { LanguageDefaults } from '#domain/messages/default-templates/shape.ts';

// Tuteo, como escribe un salón o una clínica a sus clientes. Los SMS evitan á, í, ó, ú (no están
// en el alfabeto GSM-7, que admite ñ, é, ¡ y ¿) para que un segmento admita 160 caracteres.

const greeting = 'Hola, {{ client.firstName }}:';
const bookingDetails = `Servicio: {{ booking.service }}
Fecha: {{ booking.date }}
Hora: {{ booking.time }}{% if location.name %}
Lugar: {{ location.name }}{% endif %}`;
const changeOrCancel = 'Si necesitas cambiarla o cancelarla, no dudes en avisarnos.';
const questions = 'Si tienes cualquier duda, estamos a tu disposición.';
const signed = (closing: string) => `${closing}\n{{ business.name }}`;
const sms = (text: string) => `${text} - {{ business.name }}`;
const forBusiness = (text: string) => `${text}\n\nAviso automático para {{ business.name }}`;
const businessSms = (text: string) => `{{ business.name }}: ${text}`;

export const es: LanguageDefaults = {
  booking_confirmation: {
    email: {
      subject: 'Tu cita en {{ business.name }} está confirmada',
      text: `${greeting}

Tu cita está confirmada. Estos son los detalles:

${bookingDetails}

${changeOrCancel}

${signed('¡Hasta pronto!')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, tu cita de {{ booking.service }} queda confirmada para el {{ booking.shortDate }} a las {{ booking.time }}. ¡Te esperamos!') },
  },
  booking_pending: {
    email: {
      subject: 'Hemos recibido tu solicitud de cita',
      text: `${greeting}

Gracias por tu solicitud. La revisaremos y te confirmaremos la cita lo antes posible.

${bookingDetails}

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, hemos recibido tu solicitud de cita para el {{ booking.shortDate }} a las {{ booking.time }}. Te la confirmaremos pronto.') },
  },
  booking_confirmed: {
    email: {
      subject: 'Tu cita en {{ business.name }} está confirmada',
      text: `${greeting}

¡Buenas noticias! Hemos confirmado tu cita.

${bookingDetails}

${changeOrCancel}

${signed('¡Hasta pronto!')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, ¡buenas noticias! Tu cita del {{ booking.shortDate }} a las {{ booking.time }} queda confirmada. ¡Te esperamos!') },
  },
  booking_rejected: {
    email: {
      subject: 'Sobre tu solicitud de cita',
      text: `${greeting}

Lo sentimos, pero no podemos atender tu solicitud de {{ booking.service }} para el {{ booking.date }} a las {{ booking.time }}.

Ponte en contacto con nosotros y buscaremos juntos otro horario que te venga bien.

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, lo sentimos, no podemos confirmar tu cita del {{ booking.shortDate }} a las {{ booking.time }}. Contacta con nosotros para buscar otro horario.') },
  },
  booking_cancelled: {
    email: {
      subject: 'Tu cita ha sido cancelada',
      text: `${greeting}

Tu cita de {{ booking.service }} del {{ booking.date }} a las {{ booking.time }} ha sido cancelada.

Cuando quieras volver a reservar, estaremos encantados de atenderte.

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, tu cita del {{ booking.shortDate }} a las {{ booking.time }} ha sido cancelada. Esperamos verte pronto.') },
  },
  booking_rescheduled: {
    email: {
      subject: 'Tu cita ha cambiado de fecha',
      text: `${greeting}

Tu cita tiene una nueva fecha y hora:

${bookingDetails}{% if booking.previousDate %}

Antes estaba prevista para el {{ booking.previousDate }} a las {{ booking.previousTime }}.{% endif %}

Si el nuevo horario no te viene bien, avísanos.

${signed('¡Hasta pronto!')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, tu cita de {{ booking.service }} ahora es el {{ booking.shortDate }} a las {{ booking.time }}. ¡Te esperamos!') },
  },
  booking_completed: {
    email: {
      subject: 'Gracias por tu visita',
      text: `${greeting}

Gracias por tu visita. Esperamos que todo haya sido de tu agrado.

Cuando quieras reservar tu próxima cita, aquí estaremos.

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, ¡gracias por tu visita! Esperamos que todo haya sido de tu agrado. ¡Hasta pronto!') },
  },
  booking_reminder: {
    email: {
      subject: 'Recordatorio de tu cita en {{ business.name }}',
      text: `${greeting}

Te recordamos que tienes una cita con nosotros:

${bookingDetails}

${changeOrCancel}

${signed('¡Hasta pronto!')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, te recordamos tu cita de {{ booking.service }} el {{ booking.shortDate }} a las {{ booking.time }}. ¡Te esperamos!') },
  },
  booking_follow_up: {
    email: {
      subject: 'Gracias por confiar en {{ business.name }}',
      text: `${greeting}

Queremos darte las gracias de nuevo por tu cita de {{ booking.service }} del {{ booking.date }}. Esperamos que estés disfrutando del resultado.

Cuando quieras reservar tu próxima cita, solo tienes que decírnoslo. ¡Nos encantará volver a verte!

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, ¡gracias de nuevo por tu visita del {{ booking.shortDate }}! Cuando quieras repetir, estaremos encantados de atenderte.') },
  },
  booking_follow_up_due: {
    email: {
      subject: 'Haz seguimiento a {{ client.fullName }}',
      text: forBusiness(`Es un buen momento para contactar con {{ client.fullName }} después de su cita:

${bookingDetails}

Pregúntale qué tal le fue y ofrécele reservar su próxima cita.`),
    },
    sms: { text: businessSms('haz seguimiento a {{ client.fullName }} tras su cita de {{ booking.service }} del {{ booking.shortDate }}. Pregunta qué tal le fue y ofrécele otra cita.') },
  },
  invoice_issued: {
    email: {
      subject: 'Factura {{ invoice.number }} de {{ business.name }}',
      text: `${greeting}

Te hemos emitido la factura {{ invoice.number }} por un importe de {{ invoice.amount }}, con vencimiento el {{ invoice.dueDate }}.

${questions}

${signed('Gracias,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, te hemos emitido la factura {{ invoice.number }} por {{ invoice.amount }}, con vencimiento el {{ invoice.dueDate }}. Gracias.') },
  },
  invoice_overdue: {
    email: {
      subject: 'Recordatorio: factura {{ invoice.number }} pendiente de pago',
      text: `${greeting}

Te recordamos que la factura {{ invoice.number }}, por un importe de {{ invoice.amount }}, venció el {{ invoice.dueDate }} y todavía figura como pendiente de pago.

Te agradeceríamos que la abonaras lo antes posible. Si ya la has pagado, no tengas en cuenta este mensaje.

${questions}

${signed('Gracias,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, la factura {{ invoice.number }} de {{ invoice.amount }}, con vencimiento el {{ invoice.dueDate }}, sigue pendiente. Si ya la pagaste, ignora este SMS.') },
  },
  invoice_overdue_business: {
    email: {
      subject: 'Factura vencida: {{ invoice.number }} de {{ client.fullName }}',
      text: forBusiness(`La factura {{ invoice.number }} de {{ client.fullName }}, por {{ invoice.amount }}, venció el {{ invoice.dueDate }} y sigue pendiente de pago.

Comprueba si ya has recibido el pago y, si no es así, ponte en contacto para gestionar el cobro.`),
    },
    sms: { text: businessSms('la factura {{ invoice.number }} de {{ client.fullName }} ({{ invoice.amount }}), con vencimiento el {{ invoice.dueDate }}, sigue sin pagar. Gestiona el cobro.') },
  },
  estimate_issued: {
    email: {
      subject: 'Tu presupuesto {{ estimate.number }} de {{ business.name }}',
      text: `${greeting}

Te hemos preparado el presupuesto {{ estimate.number }} por un importe de {{ estimate.amount }}. Es válido hasta el {{ estimate.expiresOn }}.

Si tienes alguna pregunta o quieres seguir adelante, dínoslo.

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, te hemos preparado el presupuesto {{ estimate.number }} por {{ estimate.amount }}, vigente hasta el {{ estimate.expiresOn }}. Cualquier duda, dinos.') },
  },
  estimate_expiring: {
    email: {
      subject: 'Tu presupuesto {{ estimate.number }} caduca pronto',
      text: `${greeting}

Te recordamos que el presupuesto {{ estimate.number }}, por un importe de {{ estimate.amount }}, es válido hasta el {{ estimate.expiresOn }}.

Si quieres seguir adelante o tienes alguna pregunta, dínoslo antes de esa fecha.

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, tu presupuesto {{ estimate.number }} de {{ estimate.amount }} caduca el {{ estimate.expiresOn }}. Si quieres seguir adelante, dinos algo.') },
  },
  estimate_expiring_business: {
    email: {
      subject: 'El presupuesto {{ estimate.number }} de {{ client.fullName }} caduca pronto',
      text: forBusiness(`El presupuesto {{ estimate.number }} de {{ client.fullName }}, por {{ estimate.amount }}, caduca el {{ estimate.expiresOn }} y aún no tiene respuesta.

Ponte en contacto antes de esa fecha para saber si quiere seguir adelante.`),
    },
    sms: { text: businessSms('el presupuesto {{ estimate.number }} de {{ client.fullName }} ({{ estimate.amount }}) caduca el {{ estimate.expiresOn }} sin respuesta. Ponte en contacto.') },
  },
  order_created: {
    email: {
      subject: 'Hemos abierto tu pedido: {{ order.title }}',
      text: `${greeting}

Hemos abierto tu pedido «{{ order.title }}».{% if order.scheduledDate %} Está previsto para el {{ order.scheduledDate }} a las {{ order.scheduledTime }}.{% endif %}

Te iremos informando de cómo avanza.

${signed('Un saludo,')}`,
    },
    sms: {
      text: sms(
        'Hola {{ client.firstName }}, hemos abierto tu pedido: {{ order.title }}.{% if order.scheduledDate %} Previsto para el {{ order.scheduledShortDate }} a las {{ order.scheduledTime }}.{% endif %} Te iremos informando.',
      ),
    },
  },
  order_status_changed: {
    email: {
      subject: 'Novedades sobre tu pedido: {{ order.title }}',
      text: `${greeting}

Tu pedido «{{ order.title }}» ha pasado al estado «{{ order.status }}».

${questions}

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, tu pedido {{ order.title }} ha pasado al estado: {{ order.status }}.') },
  },
  order_schedule_changed: {
    email: {
      subject: 'Cambio de fecha de tu pedido: {{ order.title }}',
      text: `${greeting}

{% if order.scheduledDate %}Tu pedido «{{ order.title }}» está ahora previsto para el {{ order.scheduledDate }} a las {{ order.scheduledTime }}.{% else %}Tu pedido «{{ order.title }}» ya no tiene fecha prevista. Te avisaremos en cuanto tengamos una nueva.{% endif %}

${questions}

${signed('Un saludo,')}`,
    },
    sms: {
      text: sms(
        'Hola {{ client.firstName }}, {% if order.scheduledDate %}tu pedido {{ order.title }} queda previsto para el {{ order.scheduledShortDate }} a las {{ order.scheduledTime }}.{% else %}tu pedido {{ order.title }} ya no tiene fecha prevista. Te avisaremos con la nueva.{% endif %}',
      ),
    },
  },
  order_reminder: {
    email: {
      subject: 'Recordatorio de tu pedido: {{ order.title }}',
      text: `${greeting}

Te recordamos que tu pedido «{{ order.title }}» está previsto para el {{ order.scheduledDate }} a las {{ order.scheduledTime }}.

Si necesitas cambiar la fecha, avísanos.

${signed('¡Hasta pronto!')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, te recordamos tu pedido {{ order.title }}, previsto para el {{ order.scheduledShortDate }} a las {{ order.scheduledTime }}. ¡Hasta pronto!') },
  },
  lead_created: {
    email: {
      subject: 'Gracias por contactar con {{ business.name }}',
      text: `${greeting}

Gracias por ponerte en contacto con nosotros. Hemos recibido tu mensaje y te responderemos lo antes posible.

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, gracias por contactar con nosotros. Hemos recibido tu mensaje y te responderemos pronto.') },
  },
  lead_status_changed: {
    email: {
      subject: 'Novedades sobre tu solicitud',
      text: `${greeting}

Te escribimos para informarte de que tu solicitud ha pasado al estado «{{ lead.status }}».

${questions}

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, tu solicitud ha pasado al estado: {{ lead.status }}. Gracias por tu interés.') },
  },
  auto_reply_contact_form: {
    email: {
      subject: 'Gracias por escribir a {{ business.name }}',
      text: `${greeting}

Gracias por tu consulta. La hemos recibido y te responderemos lo antes posible.

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, gracias por tu consulta. La hemos recibido y te responderemos pronto.') },
  },
  auto_reply_message: {
    email: {
      subject: 'Hemos recibido tu mensaje',
      text: `${greeting}

Gracias por tu mensaje. Lo hemos recibido y te contestaremos en cuanto podamos.

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, gracias por tu mensaje. Lo hemos recibido y te contestaremos en cuanto podamos.') },
  },
  auto_reply_document: {
    email: {
      subject: 'Hemos recibido tu documento',
      text: `${greeting}

Gracias por enviarnos tu documento. Lo hemos recibido correctamente y lo revisaremos en breve.

${questions}

${signed('Un saludo,')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, hemos recibido tu documento. ¡Gracias! Lo revisaremos en breve.') },
  },
  booking_invitation: {
    email: {
      subject: 'Nos encantaría volver a verte en {{ business.name }}',
      text: `${greeting}

Ha pasado un tiempo desde tu última visita y nos encantaría volver a verte. Responde a este correo o ponte en contacto con nosotros para reservar tu próxima cita.

${signed('¡Hasta pronto!')}`,
    },
    sms: { text: sms('Hola {{ client.firstName }}, ¡queremos volver a verte! Contacta con nosotros para reservar tu siguiente cita.') },
  },
  free_form: {
    email: {
      subject: '{% if message.subject %}{{ message.subject }}{% else %}Un mensaje de {{ business.name }}{% endif %}',
      text: '{{ message.text }}\n\n{{ business.name }}',
    },
    sms: { text: sms('{{ message.text }}') },
  },
};
