/*
 * Real Backstage user tokens for a benchmark backend, without the auth
 * backend's sign-in flow: an `auth` plugin that publishes an ES256 key at
 * /api/auth/.well-known/jwks.json (where the default auth service looks for
 * user-token keys) and signs user tokens with it the way the auth backend
 * does: typ vnd.backstage.user, sub, ent (ownership refs, which the default
 * user-info service reads), and the user identity proof (uip) that lets the
 * default auth service turn the token into a limited one when the plugin
 * calls the permission backend on the user's behalf.
 *
 * So every benchmark request goes through the production path: signature
 * check against the published key, plugin-to-plugin tokens signed and
 * checked for each permission call, and user info from the token.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import Router from 'express-promise-router';
import {
  generateKeyPairSync,
  KeyObject,
  randomUUID,
  sign as cryptoSign,
} from 'node:crypto';

const b64url = (data: string | Buffer) =>
  Buffer.from(data).toString('base64url');

export class BenchTokenIssuer {
  private readonly privateKey: KeyObject;
  private readonly kid = randomUUID();
  readonly jwks: { keys: object[] };
  /** What /v1/userinfo answers: the ownership refs of each issued user. */
  readonly ownership = new Map<string, string[]>();

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
    });
    this.privateKey = privateKey;
    this.jwks = {
      keys: [
        {
          ...publicKey.export({ format: 'jwk' }),
          kid: this.kid,
          alg: 'ES256',
          use: 'sig',
        },
      ],
    };
  }

  private signature(header: object, payload: object): [string, string] {
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(
      JSON.stringify(payload),
    )}`;
    const signature = cryptoSign('sha256', Buffer.from(signingInput), {
      key: this.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return [signingInput, b64url(signature)];
  }

  /** A user token for `userEntityRef` owning `ownershipEntityRefs`, valid for `hours`. */
  userToken(
    issuer: string,
    userEntityRef: string,
    ownershipEntityRefs: string[],
    hours = 4,
  ): string {
    this.ownership.set(userEntityRef, ownershipEntityRefs);
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + hours * 3600;
    // the proof: the signature of the limited token the auth service derives
    const [, uip] = this.signature(
      { typ: 'vnd.backstage.limited-user', alg: 'ES256', kid: this.kid },
      { sub: userEntityRef, iat, exp },
    );
    const [signingInput, signature] = this.signature(
      { typ: 'vnd.backstage.user', alg: 'ES256', kid: this.kid },
      {
        iss: issuer,
        sub: userEntityRef,
        ent: ownershipEntityRefs,
        aud: 'backstage',
        iat,
        exp,
        uip,
      },
    );
    return `${signingInput}.${signature}`;
  }
}

/**
 * The `auth` plugin of the benchmark backend: the key endpoint, and
 * /v1/userinfo, which the default user-info service calls for tokens without
 * ownership refs: the limited tokens the permission backend receives with
 * each authorize call on a user's behalf. Like the auth backend it checks the
 * token; unlike it, it answers from memory instead of its user_info table.
 */
export function benchAuthPlugin(issuer: BenchTokenIssuer) {
  return createBackendPlugin({
    pluginId: 'auth',
    register(reg) {
      reg.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = Router();
          router.get('/.well-known/jwks.json', (_req, res) => {
            res.json(issuer.jwks);
          });
          router.get('/v1/userinfo', async (req, res) => {
            const credentials = await httpAuth.credentials(req, {
              allow: ['user'],
              allowLimitedAccess: true,
            });
            const sub = credentials.principal.userEntityRef;
            res.json({ claims: { sub, ent: issuer.ownership.get(sub) ?? [] } });
          });
          httpRouter.use(router);
          // as the auth backend: its routes check tokens themselves
          httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        },
      });
    },
  });
}
