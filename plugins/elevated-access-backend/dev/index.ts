// Standalone development backend for the plugin: `yarn start` in this package.
// Authentication is mocked, so requests need no token:
//   curl http://localhost:7007/api/elevated-access/health
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('../src'));
backend.start();
