import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { ConfigurationSetEventDestination, EmailSendingEvent, EventDestination, type ConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { configurationSetTag, sesDetailTypes } from '#adapters/ses/email-events.ts';
import { emailEventTypes, type EmailEventType } from '#domain/messages/provider-events.ts';
import { MessagesFunction } from './messages-function.ts';
import { deadLetterQueue } from './queues.ts';
import type { RecordsTable } from './records-table.ts';

/** The configuration set's event type for each email event the handler reads. */
const publishedAs: Record<EmailEventType, EmailSendingEvent> = {
  Send: EmailSendingEvent.SEND,
  Reject: EmailSendingEvent.REJECT,
  Delivery: EmailSendingEvent.DELIVERY,
  Bounce: EmailSendingEvent.BOUNCE,
  Complaint: EmailSendingEvent.COMPLAINT,
  DeliveryDelay: EmailSendingEvent.DELIVERY_DELAY,
};
export const EMAIL_EVENTS_PUBLISHED = emailEventTypes.map((type) => publishedAs[type]);
export const EMAIL_EVENT_DETAIL_TYPES = emailEventTypes.map((type) => sesDetailTypes[type]);

/**
 * Retries before an email event is set aside in the dead-letter queue. Evidence stays worth having
 * however late it comes, so EventBridge keeps trying to hand it to Lambda for a day; a handler that
 * throws (DynamoDB failing) is retried by Lambda twice, its most, about one and three minutes later.
 */
export const EMAIL_EVENTS_RETRY = {
  target: { retryAttempts: 20, maxEventAge: Duration.hours(24) },
  function: { retryAttempts: 2 },
} as const;

export interface EmailEventsProps {
  /** Absolute path of the module exporting the EventBridge `handler`. */
  readonly entry: string;
  readonly records: RecordsTable;
  /** The configuration set every email is sent with. */
  readonly configurationSet: ConfigurationSet;
}

/**
 * SES's own record of each email: the configuration set publishes its sending events to the
 * default EventBridge bus, and a rule hands this configuration set's events to a function that
 * writes what they say on the message record (a Send settles a message whose sender died after SES
 * took it). Events that cannot be delivered, or whose handling still fails after retries, wait in
 * the email-events dead-letter queue.
 */
export class EmailEvents extends Construct {
  readonly destination: ConfigurationSetEventDestination;
  readonly rule: Rule;
  readonly fn: MessagesFunction;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: EmailEventsProps) {
    super(scope, id);
    const { configurationSet } = props;

    // SES publishes to the default bus only.
    const bus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.destination = new ConfigurationSetEventDestination(this, 'Destination', {
      configurationSet,
      destination: EventDestination.eventBus(bus),
      events: EMAIL_EVENTS_PUBLISHED,
    });

    this.deadLetters = deadLetterQueue(this, 'DeadLetters');
    this.fn = new MessagesFunction(this, 'Handler', {
      entry: props.entry,
      description: 'Email events: SES sending events (EventBridge) -> the message record settled from them',
      tableName: props.records.table.tableName,
      asyncFailures: { deadLetterQueue: this.deadLetters, ...EMAIL_EVENTS_RETRY.function },
    });
    // Conditional updates of message items are all it does: no read, put or delete.
    props.records.grantItemUpdate(this.fn);

    this.rule = new Rule(this, 'Rule', {
      description: `SES email events of configuration set ${configurationSet.configurationSetName} -> email events function`,
      eventBus: bus,
      eventPattern: {
        source: ['aws.ses'],
        detailType: EMAIL_EVENT_DETAIL_TYPES,
        // The default bus carries every SES event of the account; only this stack's emails are ours.
        detail: { mail: { tags: { [configurationSetTag]: [configurationSet.configurationSetName] } } },
      },
      targets: [new LambdaFunction(this.fn.function, { deadLetterQueue: this.deadLetters, ...EMAIL_EVENTS_RETRY.target })],
    });
  }
}
