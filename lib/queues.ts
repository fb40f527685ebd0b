import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** The longest SQS keeps a message: dead letters wait this long for someone to look at them. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * Every queue of this stack: encrypted at rest with SQS-managed keys and reachable over TLS only
 * (a queue policy denies `aws:SecureTransport` false). SQS-managed SSE rather than a KMS key:
 * producers, consumers and Lambda event sources need no KMS grants, and there is no key to pay for
 * or rotate.
 */
export function secureQueue(scope: Construct, id: string, props: Omit<QueueProps, 'encryption' | 'encryptionMasterKey' | 'enforceSSL'> = {}): Queue {
  return new Queue(scope, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
}
