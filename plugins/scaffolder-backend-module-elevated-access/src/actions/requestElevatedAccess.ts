import {
  AuthService,
  DiscoveryService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AccessRequest,
  accessWindow,
  createRequestSchema,
  describeFieldErrors,
  fieldErrors,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createHash } from 'node:crypto';
import { ElevatedAccessCaller } from './ElevatedAccessCaller';
import { examples } from './requestElevatedAccess.examples';
import {
  checkEligible,
  isAccountId,
  isPermissionSetArn,
  resolveTarget,
  ResolvedTarget,
} from './resolveTarget';

/** The id templates use. @public */
export const ELEVATED_ACCESS_REQUEST_ACTION_ID = 'elevated-access:request';

/** The fields of the create body other than the target, as the plugin checks them. */
const fieldsSchema = createRequestSchema.omit({
  accountId: true,
  permissionSetArn: true,
});

/** What a created request leaves in the checkpoint store and the outputs. */
type CreatedRequest = {
  requestId: string;
  status: string;
  accountId: string;
  accountName: string;
  permissionSetArn: string;
  permissionSetName: string;
  startTime: string;
  endTime: string;
};

function summarize(request: AccessRequest): CreatedRequest {
  return {
    requestId: request.id,
    status: request.status,
    accountId: request.accountId,
    accountName: request.accountName,
    permissionSetArn: request.permissionSetArn,
    permissionSetName: request.permissionSetName,
    startTime: request.startTime,
    endTime: request.endTime,
  };
}

/** The step's outputs: the request (none in a dry run), its page, target and window. */
type StepOutputs = Omit<ResolvedTarget, 'pair'> & {
  requestId?: string;
  status: string;
  link: string;
  startTime: string;
  endTime: string;
};

/**
 * The checkpoint key of one request: the same inputs give the same key, so a
 * retried step (the scaffolder scopes keys to the step) finds the request it
 * created the first time; each iteration of an `each` loop has its own.
 */
export function checkpointKey(input: {
  account: string;
  permissionSet: string;
  startTime?: string;
  durationMinutes: number;
  justification: string;
  ticketId?: string;
}): string {
  const canonical = JSON.stringify([
    input.account.trim(),
    input.permissionSet.trim(),
    input.startTime?.trim() || null,
    input.durationMinutes,
    input.justification.trim(),
    input.ticketId?.trim() || null,
  ]);
  const hash = createHash('sha256').update(canonical).digest('hex');
  return `elevated-access-request-${hash.slice(0, 32)}`;
}

/**
 * Creates the `elevated-access:request` action: requests elevated access to an
 * AWS account through the Elevated Access API, as the user who runs the
 * template.
 *
 * @public
 */
export function createElevatedAccessRequestAction(options: {
  auth: AuthService;
  discovery: DiscoveryService;
  config: RootConfigService;
}) {
  const { auth, discovery, config } = options;
  const appBaseUrl = (config.getOptionalString('app.baseUrl') ?? '').replace(
    /\/+$/,
    '',
  );
  const pageUrl = `${appBaseUrl}/elevated-access`;
  const requestUrl = (id: string) =>
    `${pageUrl}/requests/${encodeURIComponent(id)}`;

  return createTemplateAction({
    id: ELEVATED_ACCESS_REQUEST_ACTION_ID,
    description:
      'Requests just-in-time elevated access to an AWS account through Elevated Access, as the user who runs the template. Every eligibility, approval and ticket rule applies.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        account: z =>
          z
            .string({
              description:
                'The AWS account: its 12-digit id or its name, e.g. payments-prod',
            })
            .min(1),
        permissionSet: z =>
          z
            .string({
              description:
                'The permission set: its ARN or its name, e.g. PowerUserAccess',
            })
            .min(1),
        startTime: z =>
          z
            .string({
              description:
                'When access should start: ISO 8601 with a time zone, e.g. 2026-11-21T09:00:00Z. Omitted: now',
            })
            .optional(),
        durationMinutes: z =>
          z.number({ description: 'How long access lasts, in minutes' }).int(),
        justification: z =>
          z.string({
            description: 'Why the access is needed (10 to 2000 characters)',
          }),
        ticketId: z =>
          z
            .string({
              description:
                'The ticket the work is tracked in, e.g. OPS-123; required by some policies',
            })
            .optional(),
      },
      output: {
        requestId: z =>
          z
            .string({
              description:
                'The id of the created request (not set in a dry run)',
            })
            .optional(),
        status: z =>
          z.string({
            description:
              "The request's status when it was created: pending (awaits approval) or approved; dry-run in a dry run",
          }),
        link: z =>
          z.string({
            description:
              "The request's page in Backstage (in a dry run, the Elevated Access page)",
          }),
        accountId: z => z.string({ description: 'The account id' }),
        accountName: z =>
          z.string({ description: 'The account name' }).optional(),
        permissionSetArn: z =>
          z.string({ description: 'The permission set ARN' }),
        permissionSetName: z =>
          z.string({ description: 'The permission set name' }).optional(),
        startTime: z =>
          z.string({ description: 'When access starts (ISO 8601)' }),
        endTime: z => z.string({ description: 'When access ends (ISO 8601)' }),
      },
    },

    async handler(ctx) {
      const { input } = ctx;
      // every output at once; a resolved target's pair is not one
      const output = ({
        pair,
        ...values
      }: StepOutputs & Pick<ResolvedTarget, 'pair'>) => {
        for (const [name, value] of Object.entries(values)) {
          ctx.output(name as keyof StepOutputs, value);
        }
      };
      const credentials = await ctx.getInitiatorCredentials();
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          `${ELEVATED_ACCESS_REQUEST_ACTION_ID} requests access for the user who runs the template, but this task was not started by a signed-in user`,
        );
      }
      const userRef = credentials.principal.userEntityRef;

      const account = input.account?.trim() ?? '';
      const permissionSet = input.permissionSet?.trim() ?? '';
      if (!account || !permissionSet) {
        throw new InputError(
          describeFieldErrors(
            account
              ? { permissionSet: 'Permission set is required' }
              : { account: 'Account is required' },
          ),
        );
      }
      // The plugin's own schema and messages, before anything is called.
      const parsed = fieldsSchema.safeParse({
        startTime: input.startTime?.trim() || undefined,
        durationMinutes: input.durationMinutes,
        justification: input.justification,
        ticketId: input.ticketId,
      });
      if (!parsed.success) {
        throw new InputError(describeFieldErrors(fieldErrors(parsed.error)));
      }
      const fields = parsed.data;

      const api = new ElevatedAccessCaller({
        auth,
        discovery,
        credentials,
        signal: ctx.signal,
      });
      const describe = (t: {
        accountId: string;
        accountName?: string;
        permissionSetArn: string;
        permissionSetName?: string;
      }) =>
        `${t.permissionSetName ?? t.permissionSetArn} on ${
          t.accountName ? `${t.accountName} (${t.accountId})` : t.accountId
        } for ${formatMinutes(fields.durationMinutes)}`;

      if (ctx.isDryRun) {
        const eligibility = await api.eligibility();
        const target = resolveTarget(eligibility, { account, permissionSet });
        const { pair, option } = checkEligible(target, eligibility, fields);
        const window = accessWindow(
          fields.startTime ?? new Date().toISOString(),
          fields.durationMinutes,
        );
        ctx.logger.info(
          `Dry run: would request ${describe(target)} as ${userRef}, from ${
            window.start
          } to ${window.end}; it would ${
            option.approvalRequired
              ? `need ${pair.minApprovals} approval${
                  pair.minApprovals === 1 ? '' : 's'
                } (${pair.approvers.join(', ')})`
              : 'be approved at once'
          }. Nothing was created.`,
        );
        output({
          status: 'dry-run',
          link: pageUrl,
          ...target,
          startTime: window.start,
          endTime: window.end,
        });
        return;
      }

      let createdNow = false;
      const created = await ctx.checkpoint({
        key: checkpointKey({ ...input, account, permissionSet }),
        fn: async (): Promise<CreatedRequest> => {
          // Names need the eligibility answer; ids and ARNs go as they are,
          // so the plugin itself says why a request is refused.
          let target: Pick<ResolvedTarget, 'accountId' | 'permissionSetArn'> = {
            accountId: account,
            permissionSetArn: permissionSet,
          };
          if (!isAccountId(account) || !isPermissionSetArn(permissionSet)) {
            target = resolveTarget(await api.eligibility(), {
              account,
              permissionSet,
            });
          }
          ctx.logger.info(`Requesting ${describe(target)} as ${userRef}`);
          const request = await api.createRequest({
            ...fields,
            accountId: target.accountId,
            permissionSetArn: target.permissionSetArn,
          });
          createdNow = true;
          return summarize(request);
        },
      });

      ctx.logger.info(
        createdNow
          ? `Request ${created.requestId} for ${describe(created)} is ${
              created.status === 'pending'
                ? 'waiting for approval'
                : created.status
            }: ${requestUrl(created.requestId)}`
          : `An earlier attempt of this step already created request ${
              created.requestId
            } (${created.status} then); not requesting again: ${requestUrl(
              created.requestId,
            )}`,
      );
      output({ ...created, link: requestUrl(created.requestId) });
    },
  });
}
