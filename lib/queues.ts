import { Duration, Validations } from 'aws-cdk-lib';
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

/** A queue that keeps what failed for 14 days, for someone to look at (an alarm fires on its first message). */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  return secureQueue(scope, id, { retentionPeriod: DEAD_LETTER_RETENTION });
}

/**
 * A dead-letter queue that an AWS service writes to by reference at runtime rather than through a
 * queue redrive or a function DLQ, the only ones cdk-nag recognises: `usedBy` says which.
 */
export function serviceDeadLetterQueue(scope: Construct, id: string, usedBy: string): Queue {
  const queue = deadLetterQueue(scope, id);
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself a dead-letter destination: ${usedBy} (cdk-nag only recognises queue redrive and function DLQ references). It keeps failures for 14 days and an alarm fires on its first message.`,
  });
  return queue;
}
