import { createBackendModule } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotAllowedError, InputError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The request header (or `persona` query parameter) that names the persona. */
export const DEMO_PERSONA_HEADER = 'x-demo-persona';

/**
 * Whether the provider may run: only in development, unless the operator
 * explicitly opts in. A persona sign-in has no password, so it must never be
 * reachable in a real deployment by accident.
 */
function isDisabled(config: Config) {
  return (
    process.env.NODE_ENV !== 'development' &&
    config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') !== true
  );
}

/**
 * A sign-in provider for the demo: signs in as the catalog user named by the
 * `x-demo-persona` header, limited to the users listed in
 * `auth.providers.demo.users`. The token carries the user's catalog group
 * memberships as ownership refs, exactly like a real sign-in resolver.
 */
export const demoPersonaAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async (result: { persona: string }) => ({
    profile: { displayName: result.persona },
  }),
  initialize({ config }) {
    return {
      disabled: isDisabled(config),
      users: config.getOptionalStringArray('users') ?? [],
    };
  },
  async authenticate({ req }, { disabled, users }) {
    if (disabled) {
      throw new NotAllowedError(
        "The demo persona sign-in only runs in development unless 'auth.providers.demo.dangerouslyAllowOutsideDevelopment' is set",
      );
    }
    const persona = String(
      req.header(DEMO_PERSONA_HEADER) ?? req.query.persona ?? '',
    ).trim();
    if (!persona) {
      throw new InputError(
        `Name a demo persona in the '${DEMO_PERSONA_HEADER}' header`,
      );
    }
    if (!users.includes(persona)) {
      throw new NotAllowedError(
        `'${persona}' is not a demo persona; choose one of ${users.join(', ')}`,
      );
    }
    return { result: { persona } };
  },
});

/**
 * Registers the `demo` sign-in provider with the auth backend.
 */
export const authModuleDemoPersonas = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-personas',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: demoPersonaAuthenticator,
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({
                entityRef: { kind: 'user', name: result.persona },
              });
            },
          }),
        });
      },
    });
  },
});
