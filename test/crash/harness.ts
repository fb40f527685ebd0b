/**
 * The crash harness: `npm start` (bin/start.ts, the whole local stack) is driven with bookings whose
 * confirmations (email and SMS) go out at once and whose reminders (email and SMS) fire a minute or
 * so later, while the whole process group is SIGKILLed at random moments and started again on the
 * same data. At the end it counts, per booking that exists after the last restart, what the client
 * received (the SES emulator's store and the SMS outbox, both kept on disk) against what the
 * conversation says.
 *
 * Used by test/integration/crash.test.ts (short form) and bench/crash.ts (long form).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '#local/dynamodb-local.ts';
import { loadOrCreateSecret, repoRoot, signLocalToken } from '#local/token-key.ts';
import { localMessageIdHeader } from '#local/adapters/ses-store-evidence.ts';
import { parseMessageId } from '#domain/identities.ts';
import { finalStatuses, takenStatuses, type MessageStatus } from '#domain/messages/conversation.ts';

export interface CrashOptions {
  /** Bookings to create, each for a client of its own. */
  readonly bookings: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** SIGKILLs of the whole process group, at random moments while bookings are made and reminders fire. */
  readonly kills: number;
  /**
   * How far ahead a booking starts; its reminders go two minutes before, so a restart (the stack's
   * start and the queue's visibility timeout) fits between a reminder's time and its appointment.
   * Default 150–170 s.
   */
  readonly leadSeconds?: readonly [number, number];
  /** Seed of the kill moments and booking times, so a failing run can be repeated. */
  readonly seed?: number;
  /** Progress lines; silent by default. */
  readonly log?: (line: string) => void;
  /** Keep the data folder (for a look after a failure). */
  readonly keepDir?: boolean;
}

export interface CrashReport {
  readonly seed: number;
  readonly kills: number;
  /** Bookings the API answered 201 for. */
  readonly acknowledged: number;
  /** Bookings that exist after the last restart (acknowledged or not): the ones counted. */
  readonly bookings: number;
  /** Acknowledged writes (clients, bookings) missing after a restart: DynamoDB Local's own loss under SIGKILL. */
  readonly lostByDynamoDbLocal: number;
  /** Messages the bookings call for (confirmation and reminder, email and SMS). */
  readonly expected: number;
  /** Of those, received by the client exactly once and recorded `sent`. */
  readonly sent: number;
  /** Recorded `not_sent` with a reason and not received: a reminder whose booking was made after its time, `skipped: too_late` (the harness checks that it was). */
  readonly notSent: Readonly<Record<string, number>>;
  /** Received more than once. */
  readonly duplicated: number;
  /** Neither received nor recorded in a final status. */
  readonly missing: number;
  /** Still `sending` or `retrying` at the end. */
  readonly stuck: number;
  /** The conversation says otherwise than what was received (sent but not received, or received but not sent). */
  readonly disagreeing: number;
  /** Recorded `failed` or `unknown`. */
  readonly failedOrUnknown: number;
  readonly durationMs: number;
  /** Bookings made per second of the creation phase (downtime included). */
  readonly bookingsPerSecond: number;
  /** From the first request to the last confirmation received. */
  readonly lastConfirmationMs: number;
  /** Problems, one line each (empty when all is well). */
  readonly problems: readonly string[];
}

/** A small seeded generator (mulberry32): the same seed gives the same kills and bookings. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How long before its start a booking's reminders go. */
const reminderMinutes = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One `npm start` (of `root`, this repository by default) after another on the same folder and ports. */
export class LocalStack {
  private child: ChildProcess | undefined;
  private up: Promise<void> = Promise.resolve();
  private output = '';
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: (line: string) => void;
  private readonly root: string;

  constructor(env: NodeJS.ProcessEnv, log: (line: string) => void, root: string = repoRoot) {
    this.env = env;
    this.log = log;
    this.root = root;
  }

  /** Resolves once the stack serves requests (immediately when it does). */
  ready(): Promise<void> {
    return this.up;
  }

  /** Starts it; a start that fails (a port the killed run's java still held, a machine too busy) is tried again. */
  start(): Promise<void> {
    const up = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.startOnce();
        } catch (error) {
          if (attempt >= 3) throw error;
          this.log(`  start ${attempt} failed, again: ${(error as Error).message.split('\n').slice(-3).join(' ')}`);
          await this.portsFree();
        }
      }
    })();
    up.catch(() => undefined);
    this.up = up;
    return up;
  }

  private startOnce(): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, [join(this.root, 'bin', 'start.ts')], { cwd: this.root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: this.env });
    this.child = child;
    const up = new Promise<void>((resolve, reject) => {
      const started = Date.now();
      let ready = false;
      child.stdout!.on('data', (chunk: Buffer) => {
        // Keep only the start banner's tail: the JSON log lines are many.
        this.output = (this.output + chunk.toString()).slice(-20_000);
        if (!ready && this.output.includes('Ctrl-C to stop')) {
          ready = true;
          this.log(`  started in ${Date.now() - started} ms`);
          resolve();
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
      child.once('exit', (code, signal) => reject(new Error(`npm start exited (${code ?? signal}) before it was ready:\n${this.output}`)));
    });
    return up;
  }

  /** Resolves once nothing listens on the stack's ports any more (java dies a moment after node). */
  private async portsFree(): Promise<void> {
    const ports = ['PORT', 'DYNAMODB_PORT', 'SES_PORT', 'SQS_PORT'].map((name) => Number(this.env[name]));
    const listening = (port: number) =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      if (!(await Promise.all(ports.map(listening))).some(Boolean)) return;
      await sleep(100);
    }
  }

  /** SIGKILL of the whole process group (node, DynamoDB Local's java), as a power cut of the stack. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let released!: () => void;
    this.up = new Promise<void>((resolve) => (released = resolve));
    process.kill(-child.pid, 'SIGKILL');
    await exited;
    await this.portsFree();
    released();
  }

  /** Ctrl-C, as a developer stops it. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGINT');
    await exited;
  }
}

interface Made {
  readonly clientId: string;
  readonly bookingId: string;
}

interface Conversation {
  readonly id: string;
  readonly createdAt: string;
  readonly messageType: string;
  readonly channel: string;
  readonly status: MessageStatus;
  readonly reason?: string;
  readonly entity?: { readonly id: string };
}

/** Runs one trial and reports what the clients received. */
export async function runCrashTrial(options: CrashOptions): Promise<CrashReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const next = random(seed);
  const log = options.log ?? (() => undefined);
  const [leadMin, leadMax] = options.leadSeconds ?? [150, 170];
  const dir = mkdtempSync(join(tmpdir(), 'crash-'));
  const [port, dynamodbPort, sesPort, sqsPort] = [await findFreePort(), await findFreePort(), await findFreePort(), await findFreePort()];
  const secretFile = join(dir, 'jwt-secret');
  const stack = new LocalStack(
    {
      ...process.env,
      PORT: String(port),
      DYNAMODB_PORT: String(dynamodbPort),
      SES_PORT: String(sesPort),
      SQS_PORT: String(sqsPort),
      LOCAL_DIR: dir,
      LOCAL_JWT_SECRET_FILE: secretFile,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      // Short, so what a killed sender held comes back soon: its lease is this less a margin, the queue's visibility this plus 5 s.
      DELIVERY_TIMEOUT_SECONDS: '8',
    },
    log,
  );
  const base = `http://127.0.0.1:${port}`;
  const ses = `http://127.0.0.1:${sesPort}`;
  const started = Date.now();
  log(`crash trial: seed ${seed}, ${options.bookings} bookings, ${options.concurrency} in flight, ${options.kills} kills, data in ${dir}`);

  try {
    await stack.start();
    const authorization = `Bearer ${await signLocalToken(await loadOrCreateSecret(secretFile), 'crash')}`;

    /**
     * A request that waits out the stack's downtime and is repeated after a lost connection, as a
     * client would: creates carry an Idempotency-Key, so a repeat never makes a second record.
     */
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any } | undefined> => {
      // Two minutes of trying: a busy machine can keep a restart, and answers, slow for a while.
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(250)) {
        await stack.ready();
        try {
          const response = await fetch(`${base}${path}`, {
            method,
            headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            signal: AbortSignal.timeout(30_000),
          });
          const text = await response.text();
          // A repeat racing its own first try (idempotency_key_in_progress) or a 5xx of a dying stack: again.
          if (response.status === 409 && response.headers.get('retry-after') !== null) continue;
          if (response.status >= 500) continue;
          return { status: response.status, body: text ? JSON.parse(text) : undefined };
        } catch {
          // the connection went with a kill: again once the stack is back
        }
      }
      return undefined;
    };
    const must = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await call(method, path, body, headers);
      if (!response || response.status >= 300) throw new Error(`${method} ${path}: ${response?.status} ${JSON.stringify(response?.body)}`);
      return response.body;
    };

    await must('PUT', '/settings', { businessName: 'Crash', timeZone: 'Europe/Madrid', defaultLanguage: 'en', bookingApproval: 'automatic', defaultCountry: 'ES', orderStatuses: ['New'], leadStatuses: ['New'] }, { 'if-match': '"0"' });
    const { version: _version, ...page } = await must('GET', '/settings/automated-messages');
    await must('PUT', '/settings/automated-messages', { ...page, bookingConfirmation: { ...page.bookingConfirmation, sms: true }, bookingReminders: [{ before: { amount: reminderMinutes, unit: 'minutes' }, sms: true }] }, { 'if-match': '"0"' });
    const location = await must('POST', '/locations', { name: 'Centro', timeZone: 'Europe/Madrid' });

    // The kills: each a random 2–8 s after the stack came back, through the creation of the
    // bookings and on while their confirmations go out and their reminders fire.
    const leads = Array.from({ length: options.bookings }, () => leadMin + next() * (leadMax - leadMin));
    const gaps = Array.from({ length: options.kills }, () => 2_000 + next() * 6_000);
    let kills = 0;
    const t0 = Date.now();
    const killer = (async () => {
      for (const gap of gaps) {
        await stack.ready();
        await sleep(gap);
        log(`  kill ${++kills} at ${Math.round((Date.now() - t0) / 1000)} s`);
        await stack.kill();
        await stack.start();
      }
    })();

    const made: Made[] = [];
    let lostWrites = 0;
    let index = 0;
    const firstRequest = Date.now();
    const worker = async () => {
      while (index < options.bookings) {
        const i = index++;
        let booking: { status: number; body: any } | undefined;
        let client: { status: number; body: any } | undefined;
        for (let attempt = 0; ; attempt++) {
          const who = attempt === 0 ? `${i}` : `${i}-${attempt}`;
          client = await call('POST', '/clients', { firstName: `Client ${i}`, email: `client-${who}@crash.example`, phone: `+346${String(attempt)}${String(i).padStart(7, '0')}`, language: 'en', consent: { email: true, sms: true } }, { 'idempotency-key': `client-${who}` });
          if (client?.status !== 201) throw new Error(`POST /clients ${who}: ${client?.status} ${JSON.stringify(client?.body)}`);
          // Fixed at the first try: a repeat sends the same body under the same key.
          const start = new Date(Date.now() + leads[i]! * 1000);
          start.setMilliseconds(0);
          booking = await call('POST', '/bookings', { clientId: client.body.id, locationId: location.id, service: 'Cut', start: start.toISOString(), end: new Date(start.getTime() + 1_800_000).toISOString() }, { 'idempotency-key': `booking-${who}` });
          // The client's acknowledged write was lost by DynamoDB Local in a kill: a client of its own again.
          if (booking?.status === 400 && booking.body?.error?.details?.issues?.[0]?.path === 'clientId') {
            lostWrites++;
            continue;
          }
          break;
        }
        if (booking?.status !== 201) throw new Error(`POST /bookings ${i}: ${booking?.status} ${JSON.stringify(booking?.body)}`);
        made.push({ clientId: client.body.id, bookingId: booking.body.id });
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const creationMs = Date.now() - firstRequest;
    log(`  ${made.length} bookings acknowledged in ${creationMs} ms`);
    await killer;
    await stack.ready();

    // Every booking after the last restart, acknowledged or not.
    const bookings: { id: string; clientId: string; start: string; createdAt: string }[] = [];
    const from = new Date(firstRequest - 60_000).toISOString();
    const to = new Date(Date.now() + (leadMax + 60) * 1000).toISOString();
    for (let cursor: string | null = null; ; ) {
      const page: { items: { id: string; clientId: string; start: string; createdAt: string }[]; nextCursor: string | null } = await must('GET', `/bookings?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      bookings.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const existing = new Set(bookings.map((booking) => booking.id));
    const lost = lostWrites + made.filter((booking) => !existing.has(booking.bookingId)).length;

    /** The SMS outbox's lines: the SMS the clients received, with the message each was for. */
    const outbox = () =>
      readFileSync(join(dir, 'sms-outbox.jsonl'), 'utf8')
        .split('\n')
        .flatMap((line) => {
          try {
            return line.trim() ? [JSON.parse(line) as { messageId: string; at: string }] : [];
          } catch {
            return []; // cut short by a kill: never sent
          }
        });
    /** How many times each message reached its client, by message id. */
    const received = async () => {
      const emails = ((await (await fetch(`${ses}/store`)).json()) as { emails: { headers?: { name: string; value: string }[] }[] }).emails;
      const counts = new Map<string, number>();
      for (const id of [...emails.map((email) => email.headers?.find((header) => header.name === localMessageIdHeader)?.value.split('/').slice(1).join('/')), ...outbox().map((sms) => sms.messageId)]) {
        if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return counts;
    };
    const conversations = async () => {
      const all: Conversation[] = [];
      for (let i = 0; i < bookings.length; i += 20) {
        const pages = await Promise.all(bookings.slice(i, i + 20).map((booking) => must('GET', `/clients/${booking.clientId}/messages?limit=100`)));
        for (const page of pages) all.push(...(page.items as Conversation[]));
      }
      return all;
    };

    // Wait for the last reminder, then until every expected message has settled (or a deadline).
    const lastReminder = Math.max(0, ...bookings.map((booking) => Date.parse(booking.start) - reminderMinutes * 60_000));
    await sleep(Math.max(0, lastReminder - Date.now()) + 2_000);
    const deadline = Date.now() + 60_000;
    let messages: Conversation[] = [];
    for (;;) {
      messages = await conversations();
      const settled = messages.filter((message) => finalStatuses.includes(message.status)).length;
      if (settled >= bookings.length * 4 || Date.now() > deadline) break;
      await sleep(1_000);
    }
    const counts = await received();
    const confirmationTimes = outbox().flatMap((sms) => (sms.messageId.includes('.booking_confirmation.') ? [Date.parse(sms.at)] : []));
    const lastConfirmationMs = Math.max(0, ...confirmationTimes) - firstRequest;

    // The count, per booking: confirmation and reminder, by email and by SMS.
    const problems: string[] = [];
    const notSent: Record<string, number> = {};
    let sent = 0;
    let duplicated = 0;
    let missing = 0;
    let stuck = 0;
    let disagreeing = 0;
    let failedOrUnknown = 0;
    const byBooking = new Map<string, Conversation[]>();
    for (const message of messages) {
      if (message.entity?.id) byBooking.set(message.entity.id, [...(byBooking.get(message.entity.id) ?? []), message]);
    }
    const receivedFor = (bookingId: string, type: string, channel: string) =>
      [...counts.entries()]
        .filter(([id]) => {
          const parts = parseMessageId(id);
          return parts?.about.kind === 'booking' && parts.about.id === bookingId && parts.rule.includes(`.${type}.`) && parts.rule.endsWith(`.${channel}`);
        })
        .reduce((sum, [, count]) => sum + count, 0);
    for (const booking of bookings) {
      for (const type of ['booking_confirmation', 'booking_reminder']) {
        for (const channel of ['email', 'sms']) {
          const what = `${booking.id} ${type} ${channel}`;
          const entries = (byBooking.get(booking.id) ?? []).filter((message) => message.messageType === type && message.channel === channel);
          const times = receivedFor(booking.id, type, channel);
          if (times > 1) {
            duplicated++;
            problems.push(`${what}: received ${times} times`);
          }
          if (entries.length !== 1) {
            if (entries.length === 0 && times === 0) {
              missing++;
              problems.push(`${what}: neither received nor recorded`);
            } else {
              disagreeing++;
              problems.push(`${what}: ${entries.length} conversation entries, received ${times}`);
            }
            continue;
          }
          const [entry] = entries as [Conversation];
          if (entry.status === 'sending' || entry.status === 'retrying') {
            stuck++;
            problems.push(`${what}: still ${entry.status} (${entry.id})`);
          } else if (takenStatuses.includes(entry.status)) {
            if (times === 0) {
              disagreeing++;
              problems.push(`${what}: recorded sent, never received`);
            } else if (times === 1) sent++;
          } else if (times > 0) {
            disagreeing++;
            problems.push(`${what}: recorded ${entry.status} (${entry.reason}), received ${times}`);
          } else if (entry.status === 'not_sent') {
            // Too late is right for a reminder whose time had passed when its booking was made, or
            // when the message path reached the booking only after it (its confirmation went later).
            const dueAt = Date.parse(entry.id.split('@')[1] ?? '');
            const reached = Math.min(...(byBooking.get(booking.id) ?? []).filter((message) => message.messageType === 'booking_confirmation').map((message) => Date.parse(message.createdAt)));
            const reason =
              entry.reason !== 'skipped: too_late' ? entry.reason ?? '?'
              : Date.parse(booking.createdAt) >= dueAt ? 'skipped: too_late (booked after the reminder’s time)'
              : reached >= dueAt ? 'skipped: too_late (the message path reached the booking after the reminder’s time)'
              : undefined;
            if (reason === undefined) {
              missing++;
              problems.push(`${what}: skipped as too late, although its booking was made at ${booking.createdAt} and confirmed before the reminder’s time`);
            } else notSent[reason] = (notSent[reason] ?? 0) + 1;
          } else {
            failedOrUnknown++;
            problems.push(`${what}: ${entry.status} (${entry.reason})`);
          }
        }
      }
    }
    const report: CrashReport = {
      seed,
      kills,
      acknowledged: made.length,
      bookings: bookings.length,
      lostByDynamoDbLocal: lost,
      expected: bookings.length * 4,
      sent,
      notSent,
      duplicated,
      missing,
      stuck,
      disagreeing,
      failedOrUnknown,
      durationMs: Date.now() - started,
      bookingsPerSecond: Math.round((made.length / (creationMs / 1000)) * 10) / 10,
      lastConfirmationMs,
      problems,
    };
    log(`  ${JSON.stringify({ ...report, problems: problems.slice(0, 20) })}`);
    return report;
  } finally {
    await stack.kill();
    if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
  }
}
