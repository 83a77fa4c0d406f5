import {
  ListAccountAssignmentsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { SandboxControl, SandboxSeed } from '@internal/aws-sandbox';

/*
 * What the walkthrough reads from and writes to the AWS sandbox directly:
 * alice's assignment (the grant's effect) and the CloudTrail events of her
 * work in the account (what the activity task collects).
 */

/** How many PowerUserAccess assignments alice holds on payments-prod. */
export async function aliceAssignments(
  sandbox: SandboxControl,
  seed: SandboxSeed,
): Promise<number> {
  const sso = new SSOAdminClient(sandbox.clientConfig());
  const res = await sso.send(
    new ListAccountAssignmentsCommand({
      InstanceArn: seed.instanceArn,
      AccountId: seed.accounts['payments-prod'],
      PermissionSetArn: seed.permissionSets.PowerUserAccess,
    }),
  );
  return (res.AccountAssignments ?? []).filter(
    a => a.PrincipalId === seed.users.alice,
  ).length;
}

/**
 * alice works in payments-prod during request `requestId`'s session, in two
 * regions: four CloudTrail events (two read-only, two not), from now on.
 */
export async function recordAliceWorking(
  sandbox: SandboxControl,
  seed: SandboxSeed,
  requestId: string,
) {
  const now = Date.now() / 1000;
  // alice's session credentials are issued now, after the grant
  const issuedAt = new Date(now * 1000).toISOString();
  const regions = ['us-east-1', 'eu-west-1'];
  const role = `arn:aws:iam::${seed.accounts['payments-prod']}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PowerUserAccess_0a1b2c3d4e5f`;
  const paymentsProd = seed.accounts['payments-prod'];
  for (const [r, region] of regions.entries()) {
    await sandbox.putCloudTrailEvents(
      paymentsProd,
      [
        'DescribePipelines',
        'GetObject',
        'PutBucketPolicy',
        'StartPipelineExecution',
      ]
        .map((name, i) => ({
          EventId: `e2e-${requestId}-${i}`,
          EventName: name,
          EventSource:
            i === 1 || i === 2
              ? 's3.amazonaws.com'
              : 'codepipeline.amazonaws.com',
          EventTime: now + i,
          Username: 'alice',
          ReadOnly: i < 2 ? ('true' as const) : ('false' as const),
          Resources: [
            {
              ResourceType: 'AWS::S3::Bucket',
              ResourceName: `payments-artifacts-${i}`,
            },
          ],
          Detail: {
            sourceIPAddress: '203.0.113.10',
            userAgent: 'aws-cli/2.17',
            userIdentity: {
              type: 'AssumedRole',
              arn: `arn:aws:sts::${paymentsProd}:assumed-role/AWSReservedSSO_PowerUserAccess_0a1b2c3d4e5f/alice`,
              sessionContext: {
                sessionIssuer: { arn: role },
                // issued during the grant: events after the revocation
                // still belong to this session
                attributes: { creationDate: issuedAt },
              },
            },
          },
        }))
        .filter((_, i) => i % regions.length === r),
      region,
    );
  }
}
