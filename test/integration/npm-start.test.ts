import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '#local/dynamodb-local.ts';
import { loadOrCreateSecret, repoRoot, signLocalToken } from '#local/token-key.ts';

/**
 * `npm start` as a developer runs it (bin/start.ts, its own DynamoDB Local, SES server and
 * runners, the real clock), in a folder of its own: a reminder is delivered on time.
 */
let child: ChildProcess;
let dir: string;
let base: string;
let ses: string;
let authorization: string;
let secretFile: string;
/** Everything `npm start` printed so far. */
let output = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  const [port, dynamodbPort, sesPort, sqsPort] = [await findFreePort(), await findFreePort(), await findFreePort(), await findFreePort()];
  secretFile = join(dir, 'jwt-secret');
  child = spawn(process.execPath, [join(repoRoot, 'bin', 'start.ts')], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), DYNAMODB_PORT: String(dynamodbPort), SES_PORT: String(sesPort), SQS_PORT: String(sqsPort), LOCAL_DIR: dir, LOCAL_JWT_SECRET_FILE: secretFile, POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C to stop')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  base = `http://127.0.0.1:${port}`;
  ses = `http://127.0.0.1:${sesPort}`;
  authorization = `Bearer ${await signLocalToken(await loadOrCreateSecret(secretFile), 'punctual')}`;
}, 60_000);

afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGINT');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, { method, headers: { authorization, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, any>;
  expect(response.status, JSON.stringify(json)).toBeLessThan(300);
  return json;
}

const mailTo = async (to: string): Promise<{ subject: string }[]> =>
  ((await (await fetch(`${ses}/store`)).json()) as { emails: { subject: string; destination: { to: string[] } }[] }).emails.filter((email) => email.destination.to.includes(to));

describe('npm start, on the real clock', () => {
  it('delivers a reminder 2 minutes before a booking that starts in 3 minutes, within 5 seconds of its time', async () => {
    await call('PUT', '/settings', { businessName: 'Punctual', timeZone: 'Europe/Madrid', defaultLanguage: 'en', bookingApproval: 'automatic', orderStatuses: ['New'], leadStatuses: ['New'] }, { 'if-match': '"0"' });
    const page = await call('GET', '/settings/automated-messages');
    const { version: _version, ...fields } = page;
    await call('PUT', '/settings/automated-messages', { ...fields, bookingReminders: [{ before: { amount: 2, unit: 'minutes' } }] }, { 'if-match': '"0"' });
    const location = await call('POST', '/locations', { name: 'Centro', timeZone: 'Europe/Madrid' });
    const client = await call('POST', '/clients', { firstName: 'Ana', email: 'ana@punctual.example', language: 'en', consent: { email: true, sms: false } });
    const start = new Date(Math.ceil((Date.now() + 180_000) / 1000) * 1000);
    await call('POST', '/bookings', { clientId: client.id, locationId: location.id, service: 'Cut', start: start.toISOString(), end: new Date(start.getTime() + 1_800_000).toISOString() });
    const due = start.getTime() - 120_000;

    let reminderAt: number | undefined;
    while (reminderAt === undefined && Date.now() < due + 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if ((await mailTo('ana@punctual.example')).some((email) => email.subject.startsWith('Reminder'))) reminderAt = Date.now();
    }
    expect(reminderAt, 'the reminder never arrived').toBeDefined();
    console.log(`reminder delivered ${reminderAt! - due} ms after its time`);
    expect(reminderAt! - due).toBeGreaterThanOrEqual(0);
    expect(reminderAt! - due).toBeLessThanOrEqual(5_000);
  }, 150_000);
});

describe('npm start, documents', () => {
  it('takes a widget upload through its own signed URL into LOCAL_DIR/documents, and serves it back', async () => {
    const filer = { authorization: `Bearer ${await signLocalToken(await loadOrCreateSecret(secretFile), 'filer')}`, 'content-type': 'application/json' };
    const slug = `filer-${Date.now().toString(36)}`;
    const settings = { businessName: 'Filer', slug, timeZone: 'Europe/Madrid', defaultLanguage: 'en', bookingApproval: 'automatic', orderStatuses: ['New'], leadStatuses: ['New'] };
    expect((await fetch(`${base}/settings`, { method: 'PUT', headers: { ...filer, 'if-match': '"0"' }, body: JSON.stringify(settings) })).status).toBe(200);

    const bytes = Buffer.from('hello from the widget\n');
    const asked = await fetch(`${base}/public/${slug}/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Ana', email: 'ana@filer.example', fileName: 'hello.txt', contentType: 'text/plain', size: bytes.length }),
    });
    expect(asked.status).toBe(201);
    const ticket = (await asked.json()) as { documentId: string; upload: { url: string; headers: Record<string, string> } };
    expect(ticket.upload.url.startsWith(`${base}/local-documents/`)).toBe(true);
    expect((await fetch(ticket.upload.url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: bytes })).status).toBe(200);
    expect(readFileSync(join(dir, 'documents', 'uploads', 'filer', ticket.documentId))).toEqual(bytes);

    expect((await fetch(`${base}/public/${slug}/documents/${ticket.documentId}/complete`, { method: 'POST' })).status).toBe(200);
    expect(readFileSync(join(dir, 'documents', 'documents', 'filer', ticket.documentId))).toEqual(bytes);
    const link = (await (await fetch(`${base}/documents/${ticket.documentId}/download`, { headers: filer })).json()) as { url: string };
    expect(Buffer.from(await (await fetch(link.url)).arrayBuffer())).toEqual(bytes);
  }, 30_000);
});

describe('npm start, the clock command', () => {
  const clockCommand = (argument: string) => promisify(execFile)(process.execPath, [join(repoRoot, 'bin', 'clock.ts'), argument], { cwd: repoRoot, env: { ...process.env, LOCAL_DIR: dir } });
  const moved = (offset: string) => `"source":"clock","event":"moved","offset":"${offset}"`;

  // Last in this file: the clock it moves is the whole stack's.
  it('moves the running stack two days on: a reminder due in two days arrives within seconds, and the output shows the offset', async () => {
    const traveller = { authorization: `Bearer ${await signLocalToken(await loadOrCreateSecret(secretFile), 'traveller')}` };
    await call('PUT', '/settings', { businessName: 'Traveller', timeZone: 'Europe/Madrid', defaultLanguage: 'en', bookingApproval: 'automatic', orderStatuses: ['New'], leadStatuses: ['New'] }, { ...traveller, 'if-match': '"0"' });
    const { version: _version, ...page } = await call('GET', '/settings/automated-messages', undefined, traveller);
    await call('PUT', '/settings/automated-messages', { ...page, bookingReminders: [{ before: { amount: 1, unit: 'days' } }] }, { ...traveller, 'if-match': '"0"' });
    const location = await call('POST', '/locations', { name: 'Centro', timeZone: 'Europe/Madrid' }, traveller);
    const client = await call('POST', '/clients', { firstName: 'Tim', email: 'tim@traveller.example', language: 'en', consent: { email: true, sms: false } }, traveller);
    // Three days ahead: its "1 day before" reminder is due two days from now.
    const start = new Date(Date.now() + 3 * 86_400_000);
    await call('POST', '/bookings', { clientId: client.id, locationId: location.id, service: 'Cut', start: start.toISOString(), end: new Date(start.getTime() + 1_800_000).toISOString() }, traveller);
    const subjects = async () => (await mailTo('tim@traveller.example')).map((email) => email.subject);
    const waitFor = async (done: () => Promise<boolean>, what: string) => {
      for (const deadline = Date.now() + 15_000; !(await done()); ) {
        if (Date.now() > deadline) throw new Error(`${what} within 15 s; npm start said:\n${output.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    // The confirmation went: the evaluator has seen the booking, and armed its reminder.
    await waitFor(async () => (await subjects()).some((subject) => subject.includes('is confirmed')), 'no confirmation');
    expect((await subjects()).filter((subject) => subject.startsWith('Reminder'))).toEqual([]);

    try {
      expect((await clockCommand('+2d')).stdout).toMatch(/^Local clock: \+2d from real time, now /);
      await waitFor(async () => (await subjects()).some((subject) => subject.startsWith('Reminder')), 'no reminder');
      expect(output).toContain(moved('+2d'));
    } finally {
      await clockCommand('reset');
    }
    await waitFor(async () => output.includes(moved('0')), 'the reset never showed');
    expect((await subjects()).filter((subject) => subject.startsWith('Reminder'))).toHaveLength(1);
  }, 60_000);
});
