import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import scaffolderModuleElevatedAccess from '.';

describe('scaffolderModuleElevatedAccess', () => {
  it('adds the elevated-access:request action to the scaffolder', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...added: TemplateAction<any, any, any>[]) =>
              actions.push(...added),
          },
        ],
      ],
      features: [
        scaffolderModuleElevatedAccess,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'https://backstage.example.com' } },
        }),
      ],
    });
    expect(actions.map(a => a.id)).toEqual(['elevated-access:request']);
    expect(actions[0]).toMatchObject({
      supportsDryRun: true,
      examples: expect.arrayContaining([
        expect.objectContaining({
          example: expect.stringContaining('action: elevated-access:request'),
        }),
      ]),
      schema: {
        input: expect.objectContaining({
          required: expect.arrayContaining([
            'account',
            'permissionSet',
            'durationMinutes',
            'justification',
          ]),
        }),
      },
    });
  });
});
