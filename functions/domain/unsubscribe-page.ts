import { languages, type Language } from '#domain/values.ts';
import { escapeHtml } from '#domain/messages/html.ts';
import { allMarketing, allMessages, type UnsubscribeScope } from '#domain/unsubscribe.ts';

/**
 * The small pages an unsubscribe link opens, in the client's language: the choice (this kind,
 * all marketing, all email), what was turned off, and the one neutral page every bad, expired or
 * unknown link gets, the same whoever it names.
 */

interface PageTexts {
  readonly title: string;
  readonly intro: (business: string) => string;
  readonly choices: Readonly<Record<UnsubscribeScope, (business: string) => string>>;
  readonly submit: string;
  readonly done: Readonly<Record<UnsubscribeScope, (business: string) => string>>;
  readonly invalid: string;
}

const texts: Readonly<Record<Language, PageTexts>> = {
  en: {
    title: 'Email preferences',
    intro: (business) => `Choose which emails ${business} sends you.`,
    choices: {
      kind: () => 'Stop emails like the one I received',
      [allMarketing]: () => 'Stop all marketing email (follow-ups, invitations, offers)',
      [allMessages]: (business) => `Stop all email from ${business}, appointment confirmations and reminders included`,
    },
    submit: 'Save',
    done: {
      kind: (business) => `Done: ${business} will no longer send you emails like that one.`,
      [allMarketing]: (business) => `Done: ${business} will no longer send you marketing email.`,
      [allMessages]: (business) => `Done: ${business} will no longer send you email.`,
    },
    invalid: 'This link is not valid or has expired.',
  },
  es: {
    title: 'Preferencias de correo',
    intro: (business) => `Elige qué correos te envía ${business}.`,
    choices: {
      kind: () => 'No recibir más correos como el que he recibido',
      [allMarketing]: () => 'No recibir correos promocionales (seguimientos, invitaciones, ofertas)',
      [allMessages]: (business) => `No recibir ningún correo de ${business}, tampoco confirmaciones ni recordatorios de citas`,
    },
    submit: 'Guardar',
    done: {
      kind: (business) => `Listo: ${business} ya no te enviará correos como ese.`,
      [allMarketing]: (business) => `Listo: ${business} ya no te enviará correos promocionales.`,
      [allMessages]: (business) => `Listo: ${business} ya no te enviará correos.`,
    },
    invalid: 'Este enlace no es válido o ha caducado.',
  },
  fr: {
    title: 'Préférences e-mail',
    intro: (business) => `Choisissez les e-mails que ${business} vous envoie.`,
    choices: {
      kind: () => 'Ne plus recevoir d’e-mails comme celui que j’ai reçu',
      [allMarketing]: () => 'Ne plus recevoir d’e-mails promotionnels (suivis, invitations, offres)',
      [allMessages]: (business) => `Ne plus recevoir aucun e-mail de ${business}, confirmations et rappels de rendez-vous compris`,
    },
    submit: 'Enregistrer',
    done: {
      kind: (business) => `C’est fait : ${business} ne vous enverra plus d’e-mails comme celui-ci.`,
      [allMarketing]: (business) => `C’est fait : ${business} ne vous enverra plus d’e-mails promotionnels.`,
      [allMessages]: (business) => `C’est fait : ${business} ne vous enverra plus d’e-mails.`,
    },
    invalid: 'Ce lien n’est pas valide ou a expiré.',
  },
  it: {
    title: 'Preferenze email',
    intro: (business) => `Scegli quali email ti invia ${business}.`,
    choices: {
      kind: () => 'Non ricevere più email come quella che ho ricevuto',
      [allMarketing]: () => 'Non ricevere email promozionali (follow-up, inviti, offerte)',
      [allMessages]: (business) => `Non ricevere più nessuna email da ${business}, nemmeno conferme e promemoria degli appuntamenti`,
    },
    submit: 'Salva',
    done: {
      kind: (business) => `Fatto: ${business} non ti invierà più email come quella.`,
      [allMarketing]: (business) => `Fatto: ${business} non ti invierà più email promozionali.`,
      [allMessages]: (business) => `Fatto: ${business} non ti invierà più email.`,
    },
    invalid: 'Questo link non è valido o è scaduto.',
  },
};

function page(language: Language | undefined, title: string, body: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    `<html${language ? ` lang="${language}"` : ''}>`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    '<body style="margin:0;padding:24px 16px;background-color:#f4f4f5;font-family:-apple-system,BlinkMacSystemFont,\'Segoe UI\',Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2937;">',
    '<main style="max-width:560px;margin:0 auto;background-color:#ffffff;border-radius:8px;padding:24px;">',
    ...body,
    '</main>',
    '</body>',
    '</html>',
  ].join('\n');
}

/** The choice, posted back to the same link (`action` keeps its token, the `link` parameter). */
export function choicePage(language: Language, business: string, token: string, hasKind: boolean): string {
  const t = texts[language];
  const scopes: UnsubscribeScope[] = [...(hasKind ? (['kind'] as const) : []), allMarketing, allMessages];
  return page(language, `${t.title}: ${business}`, [
    `<h1 style="font-size:20px;margin:0 0 16px 0;">${escapeHtml(t.title)}</h1>`,
    `<p>${escapeHtml(t.intro(business))}</p>`,
    `<form method="post" action="?link=${encodeURIComponent(token)}">`,
    ...scopes.map((scope, i) => `<p><label><input type="radio" name="scope" value="${scope}"${i === 0 ? ' checked' : ''}> ${escapeHtml(t.choices[scope](business))}</label></p>`),
    `<p><button type="submit">${escapeHtml(t.submit)}</button></p>`,
    '</form>',
  ]);
}

export function donePage(language: Language, business: string, scope: UnsubscribeScope): string {
  const t = texts[language];
  return page(language, `${t.title}: ${business}`, [`<h1 style="font-size:20px;margin:0 0 16px 0;">${escapeHtml(t.title)}</h1>`, `<p>${escapeHtml(t.done[scope](business))}</p>`]);
}

/** Says nothing of whom the link named, in every language, as nothing tells whose it was. */
export const invalidLinkPage: string = page(
  undefined,
  texts.en.invalid,
  languages.map((language) => `<p lang="${language}">${escapeHtml(texts[language].invalid)}</p>`),
);
