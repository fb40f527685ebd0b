/**
 * Local mode's stand-ins for the AWS services the Lambdas use, installed in the composition root
 * (`overrideDeps` of functions/wiring/core.ts): schedules in a DynamoDB Local table the schedule runner
 * fires from, SMS to the outbox file, the SES emulator's store as the evidence of what it took, SES
 * identities and tenants by a local rule (local-sender-identities.ts), the unsubscribe links' key in a file, the shared table client in place of the tenant-scoped one,
 * and documents in the folder the local server signs URLs for. `applyLocalEnv` installs them, so every
 * local run (npm start, the integration tests, the benchmarks) has them, and no Lambda bundle does.
 */
import { overrideDeps } from '#wiring';
import { localScheduler } from '#local/adapters/dynamodb-scheduler.ts';
import { folderDocumentStorage } from '#local/adapters/folder-storage.ts';
import { localMessageIdHeader, sesStoreEvidence } from '#local/adapters/ses-store-evidence.ts';
import { smsOutbox } from '#local/adapters/sms-outbox.ts';
import { localSenderIdentities } from '#local/adapters/local-sender-identities.ts';
import { fileUnsubscribeKey } from '#local/adapters/file-unsubscribe-key.ts';

/** Reads the local environment (see local-env.ts): what it names now decides which stand-ins apply. */
export function useLocalWiring(env: NodeJS.ProcessEnv = process.env): void {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const smsOutboxFile = env['SMS_OUTBOX_FILE'];
  const sesEndpoint = env['SES_STORE_EVIDENCE'];
  overrideDeps({
    scheduler: (documents) => localScheduler(documents, required('SCHEDULES_TABLE')),
    // Set once the local server listens (applyLocalDocumentsEnv), so read on each use.
    documentStorage: () => folderDocumentStorage({ dir: required('DOCUMENTS_DIR'), baseUrl: required('DOCUMENTS_BASE_URL'), secret: required('DOCUMENTS_SIGNING_SECRET') }),
    ...(smsOutboxFile ? { sms: () => smsOutbox(smsOutboxFile) } : {}),
    // In the local data folder when one is named (npm start), else in memory.
    senderIdentities: () => localSenderIdentities(env['SES_IDENTITIES_FILE']),
    unsubscribeKey: () => fileUnsubscribeKey(required('UNSUBSCRIBE_KEY_FILE')),
    // DynamoDB Local ignores IAM: tenant sessions would change nothing but need STS.
    tenantDocuments: (documents) => documents,
    ...(sesEndpoint ? { emailEvidence: () => ({ messageIdHeader: localMessageIdHeader, evidence: sesStoreEvidence(sesEndpoint) }) } : {}),
  });
}
