import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { conflict } from '#domain/errors.ts';
import type { DkimRecord, DomainState, SenderIdentities } from '#domain/sender.ts';

/** What the stand-in keeps: SES's tenants and domain identities, as far as this project uses them. */
interface State {
  tenants: Record<string, { tags: Record<string, string> }>;
  identities: Record<string, { tenant: string; tags: Record<string, string>; reads: number }>;
}

/** A domain under `.invalid` (RFC 2606: never a real domain) fails verification; any other is verified on the first status read after registration. */
const failsVerification = (domain: string): boolean => domain === 'invalid' || domain.endsWith('.invalid');

const dkimRecordsOf = (domain: string): DkimRecord[] =>
  [1, 2, 3].map((n) => {
    const token = createHash('sha256').update(`${domain}#${n}`).digest('hex').slice(0, 32);
    return { name: `${token}._domainkey.${domain}`, type: 'CNAME', value: `${token}.dkim.amazonses.com` };
  });

function stateOf(domain: string, reads: number): DomainState {
  const dkimRecords = dkimRecordsOf(domain);
  if (reads === 0) return { status: 'pending', dkimRecords };
  return failsVerification(domain) ? { status: 'failed', reason: 'SES could not verify the DKIM records (local rule: the domain is under .invalid)', dkimRecords } : { status: 'verified', dkimRecords };
}

/**
 * SES identity and tenant management in local mode, where aws-ses-v2-local only sends: tenants and
 * domain identities in a JSON file of the local data folder (in memory without one), with a
 * verification rule instead of DNS: a registered domain is `pending`, and verified on the first
 * status read after (a domain under `.invalid` fails instead). Calls are serialized, so the file is
 * read and written by one at a time.
 */
export function localSenderIdentities(file?: string): SenderIdentities {
  let memory: State = { tenants: {}, identities: {} };
  let queue: Promise<unknown> = Promise.resolve();

  const load = async (): Promise<State> => {
    if (!file) return memory;
    try {
      return JSON.parse(await readFile(file, 'utf8')) as State;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { tenants: {}, identities: {} };
      throw error;
    }
  };
  const store = async (state: State): Promise<void> => {
    if (!file) {
      memory = state;
      return;
    }
    await mkdir(dirname(file), { recursive: true });
    // Written whole, then renamed: a kill mid-write leaves the previous state.
    await writeFile(`${file}.tmp`, JSON.stringify(state));
    await rename(`${file}.tmp`, file);
  };
  const withState = <T>(change: (state: State) => T): Promise<T> => {
    const run = queue.then(async () => {
      const state = await load();
      const result = change(state);
      await store(state);
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  };
  const tagsOf = (tags: { stack: string; tenantId: string }) => ({ stack: tags.stack, tenantId: tags.tenantId });

  return {
    ensureTenant: (tenantName, tags) =>
      withState((state) => {
        state.tenants[tenantName] ??= { tags: tagsOf(tags) };
      }),
    registerDomain: (tenantName, domain, tags) =>
      withState((state) => {
        const existing = state.identities[domain];
        if (existing && (existing.tags.stack !== tags.stack || existing.tags.tenantId !== tags.tenantId)) {
          throw conflict(`domain ${domain} is already an SES identity of another owner; it cannot be registered here`);
        }
        const identity = (state.identities[domain] = existing ?? { tenant: tenantName, tags: tagsOf(tags), reads: 0 });
        return stateOf(domain, identity.reads);
      }),
    domainState: (domain) =>
      withState((state): DomainState => {
        const identity = state.identities[domain];
        if (!identity) return { status: 'failed', reason: 'the domain’s SES identity no longer exists; register the domain again', dkimRecords: [] };
        identity.reads += 1;
        return stateOf(domain, identity.reads);
      }),
    removeDomain: (_tenantName, domain) =>
      withState((state) => {
        delete state.identities[domain];
      }),
    tenantState: (tenantName) => withState((state) => ({ sendingStatus: state.tenants[tenantName] ? 'ENABLED' : 'DISABLED' })),
  };
}
