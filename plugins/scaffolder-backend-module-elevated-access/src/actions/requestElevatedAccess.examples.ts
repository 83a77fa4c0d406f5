import { TemplateExample } from '@backstage/plugin-scaffolder-node';

/** Examples shown in the scaffolder's action reference. */
export const examples: TemplateExample[] = [
  {
    description:
      'Requests PowerUserAccess on an account by name for one hour, now',
    example: `steps:
  - id: request-access
    name: Request elevated access
    action: elevated-access:request
    input:
      account: payments-prod
      permissionSet: PowerUserAccess
      durationMinutes: 60
      justification: Restart the stuck payment reconciliation job
      ticketId: OPS-1234
`,
  },
  {
    description:
      'Requests access by account id and permission set ARN, from a given time, with values from the form',
    example: `steps:
  - id: request-access
    name: Request elevated access
    action: elevated-access:request
    input:
      account: '111111111111'
      permissionSet: arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-0000000000000002
      startTime: 2026-11-21T22:00:00Z
      durationMinutes: \${{ parameters.durationMinutes }}
      justification: \${{ parameters.justification }}
      ticketId: \${{ parameters.ticketId }}
`,
  },
  {
    description: "Links to the created request from the template's output",
    example: `steps:
  - id: request-access
    name: Request elevated access
    action: elevated-access:request
    input:
      account: \${{ parameters.account }}
      permissionSet: ReadOnlyAccess
      durationMinutes: 120
      justification: \${{ parameters.justification }}
output:
  links:
    - title: Open the request (\${{ steps['request-access'].output.status }})
      url: \${{ steps['request-access'].output.link }}
`,
  },
];
