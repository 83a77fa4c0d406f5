/*
 * The Elevated Access demo backend: catalog (the demo people and groups),
 * auth (a persona sign-in for development), permissions (the role policy),
 * notifications, signals, scaffolder and the Elevated Access plugins.
 */

import { createBackend } from '@backstage/backend-defaults';
import { authModuleDemoPersonas } from './modules/authModuleDemoPersonas';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: persona sign-in for the demo (development only)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(authModuleDemoPersonas);

// catalog: the demo organisation and the example template
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// the AWS organisation's accounts and OUs as Resource entities (elevatedAccess.catalog)
backend.add(
  import(
    '@elevated-access/backstage-plugin-catalog-backend-module-elevated-access'
  ),
);

// permissions: Elevated Access roles from elevatedAccess.roles
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import(
    '@elevated-access/backstage-plugin-permission-backend-module-elevated-access-policy'
  ),
);

// scaffolder, with the elevated-access:request action
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(
  import(
    '@elevated-access/backstage-plugin-scaffolder-backend-module-elevated-access'
  ),
);

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
// Slack delivery of notifications; idle without notifications.processors.slack
backend.add(import('@backstage/plugin-notifications-backend-module-slack'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(
  import('@elevated-access/backstage-plugin-elevated-access-backend'),
);

backend.start();
