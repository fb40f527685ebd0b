import { Aws, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** The id aws-cdk-lib gives the singleton provider function of every AwsCustomResource in a stack. */
export const PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/** Every successful SMS is logged too, not a sample: delivery status is shown per message. */
export const SMS_SUCCESS_SAMPLING_PERCENT = 100;

/**
 * SNS's SMS delivery status logging, which is an account-and-region setting (`SetSMSAttributes`):
 * SNS assumes `role` to write each SMS's outcome to the CloudWatch log groups
 * `sns/<region>/<account>/DirectPublishToPhoneNumber` (delivered) and `…/Failure` (failed, with
 * SNS's reason, e.g. "Phone is currently opted out"). Those entries name SNS's message id, which
 * delivery records as the message's `providerMessageId`.
 *
 * Deleting the stack leaves the setting as it is (the role then goes, and SNS stops logging):
 * other stacks of the account may rely on it, so it is not reset.
 */
export class SmsDeliveryStatus extends Construct {
  readonly role: Role;
  readonly setting: AwsCustomResource;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    // From pseudo parameters, not stack.region/account: the acknowledgements below name them, and
    // must match whether or not the stack has a concrete environment.
    const logGroups = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:sns/${Aws.REGION}/${Aws.ACCOUNT_ID}/DirectPublishToPhoneNumber*`;
    this.role = new Role(this, 'LoggingRole', {
      assumedBy: new ServicePrincipal('sns.amazonaws.com'),
      description: 'SNS writes SMS delivery status (delivered, failed) to its DirectPublishToPhoneNumber log groups',
      inlinePolicies: {
        DeliveryStatusLogs: new PolicyDocument({
          statements: [
            new PolicyStatement({
              effect: Effect.ALLOW,
              actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutRetentionPolicy'],
              resources: [logGroups, `${logGroups}:log-stream:*`],
            }),
          ],
        }),
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber*]',
      reason: 'SNS names its SMS delivery status log groups itself: DirectPublishToPhoneNumber and DirectPublishToPhoneNumber/Failure, both under this prefix and nothing else',
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber*:log-stream:*]',
      reason: 'SNS creates one log stream per delivery status batch, named at runtime, in its two DirectPublishToPhoneNumber log groups',
    });

    const call = {
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes: { DeliveryStatusIAMRole: this.role.roleArn, DeliveryStatusSuccessSamplingRate: String(SMS_SUCCESS_SAMPLING_PERCENT) } },
      physicalResourceId: PhysicalResourceId.of(`${stack.stackName}-sms-delivery-status`),
    };
    this.setting = new AwsCustomResource(this, 'Setting', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      policy: AwsCustomResourcePolicy.fromStatements([
        // SetSMSAttributes is an account setting with no resource ARN.
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['sns:SetSMSAttributes'], resources: ['*'] }),
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['iam:PassRole'], resources: [this.role.roleArn] }),
      ]),
    });
    Validations.of(this.setting).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'sns:SetSMSAttributes changes an account-and-region setting, which has no resource ARN; iam:PassRole names the logging role only',
    });
    // The provider function CDK shares between every AwsCustomResource of the stack.
    const provider = stack.node.tryFindChild(PROVIDER_ID)?.node.tryFindChild('ServiceRole');
    if (!provider) throw new Error(`SmsDeliveryStatus: the AwsCustomResource provider ${PROVIDER_ID} has no ServiceRole (did aws-cdk-lib change it?)`);
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'The role of the provider function aws-cdk-lib creates for AwsCustomResource: the managed policy grants it only CloudWatch Logs writing for its own log output',
    });
  }
}
