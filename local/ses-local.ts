/**
 * aws-ses-v2-local in this process: the SES v2 endpoint local mode sends email to (the real SESv2
 * client, with AWS_ENDPOINT_URL_SESV2 pointing here). It keeps sent mail in memory and shows it on
 * a web page (`/`) and as JSON (`GET /store`).
 *
 * Its store belongs to the module, not to a server: every server started in one process shows the
 * same mail, and mail survives a server restart within the process. With `storeFile` it also
 * survives the process: each email is appended to the file before the server answers the send, and
 * the file is read back at start, so the store is the evidence of what "SES" took even after a
 * SIGKILL.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import sesLocalModule from 'aws-ses-v2-local';
import sesLocalStore from 'aws-ses-v2-local/dist/store.js';

/** One stored email, as `GET /store` returns it. */
export interface SentEmail {
  readonly messageId: string;
  readonly from: string;
  readonly replyTo: readonly string[];
  readonly destination: { readonly to: readonly string[]; readonly cc: readonly string[]; readonly bcc: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly attachments: readonly unknown[];
  readonly headers?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** Epoch seconds. */
  readonly at: number;
}

export interface SesLocal {
  /** e.g. `http://127.0.0.1:8005`: what AWS_ENDPOINT_URL_SESV2 should be set to. */
  readonly endpoint: string;
  readonly port: number;
  readonly server: Server;
  /** All mail in the store, oldest first. */
  sentEmails(): Promise<SentEmail[]>;
  close(): Promise<void>;
}

export class SesLocalError extends Error {
  override readonly name = 'SesLocalError';
}

type StartServer = (config?: Partial<{ host: string; port: number }>) => Promise<Server>;

// A CommonJS module with `exports.default`: Node hands ESM importers the whole `module.exports`,
// bundlers and vitest may hand them `exports.default`.
const startServer: StartServer =
  typeof sesLocalModule === 'function' ? sesLocalModule : (sesLocalModule as unknown as { default: StartServer }).default;

interface SesLocalStore {
  saveEmail(email: SentEmail): void;
  getStoreReadonly(): { emails: SentEmail[] };
}

let persistedTo: string | undefined;

/**
 * Keeps the module's store in `file`: what is there is loaded, and every email saved from now on is
 * appended (synchronously, so before the send is answered). Once per process.
 */
function persistStore(file: string): void {
  if (persistedTo === file) return;
  if (persistedTo !== undefined) throw new SesLocalError(`the local SES store is already kept in ${persistedTo}`);
  const store = sesLocalStore as unknown as SesLocalStore;
  if (typeof store.saveEmail !== 'function' || typeof store.getStoreReadonly !== 'function') {
    throw new SesLocalError('aws-ses-v2-local changed its store module: its mail cannot be kept across restarts');
  }
  let kept = '';
  try {
    kept = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const emails = store.getStoreReadonly().emails;
  for (const line of kept.split('\n')) {
    try {
      if (line.trim() !== '') emails.push(JSON.parse(line) as SentEmail);
    } catch {
      // a line cut short by a kill mid-write: that send was never answered
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  const save = store.saveEmail.bind(store);
  store.saveEmail = (email) => {
    // The leading newline ends a line a kill may have cut short.
    appendFileSync(file, `\n${JSON.stringify(email)}\n`);
    save(email);
  };
  persistedTo = file;
}

/**
 * Starts aws-ses-v2-local on `port` (0 picks a free one) and `host` (default 127.0.0.1); with
 * `storeFile`, its mail is kept there across restarts.
 */
export async function startSesLocal(options: { readonly port: number; readonly host?: string; readonly storeFile?: string }): Promise<SesLocal> {
  const host = options.host ?? '127.0.0.1';
  if (options.storeFile) persistStore(options.storeFile);
  const server = await startServer({ port: options.port, host });
  // Express reports a failed listen (port taken) through the callback the package ignores, so the
  // promise resolves with a server that is not listening.
  if (!server.listening) {
    server.close();
    throw new SesLocalError(
      `Port ${options.port} is already in use, so the local SES server cannot listen on it. ` +
        'Stop whatever uses it (maybe an earlier run) or choose another port (SES_PORT=8006 npm start).',
    );
  }
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const endpoint = `http://${urlHost}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    port,
    server,
    sentEmails: async () => {
      const response = await fetch(`${endpoint}/store`);
      if (!response.ok) throw new SesLocalError(`GET ${endpoint}/store answered ${response.status}`);
      return ((await response.json()) as { emails: SentEmail[] }).emails;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
