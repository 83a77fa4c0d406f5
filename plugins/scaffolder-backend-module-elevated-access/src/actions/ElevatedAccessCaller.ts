import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AccessRequest,
  CreateRequestInput,
  EligibilityResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';

/** The plugin the action calls. */
export const ELEVATED_ACCESS_PLUGIN_ID = 'elevated-access';

/** Error classes by the `error.name` the plugin answers with. */
const ERRORS: Record<string, new (message: string) => Error> = {
  InputError,
  NotAllowedError,
  ConflictError,
  NotFoundError,
  AuthenticationError,
  ServiceUnavailableError,
};

/**
 * Calls the Elevated Access HTTP API as one user: every call carries a token
 * issued on that user's behalf, so the plugin applies its permissions and
 * eligibility rules exactly as it would for the user in the browser.
 */
export class ElevatedAccessCaller {
  private token?: Promise<string>;

  constructor(
    private readonly options: {
      auth: AuthService;
      discovery: DiscoveryService;
      /** The user the calls are made for (the template's initiator). */
      credentials: BackstageCredentials;
      signal?: AbortSignal;
    },
  ) {}

  /** `GET /eligibility`: what the user may request. */
  eligibility(): Promise<EligibilityResponse> {
    return this.call('GET', '/eligibility');
  }

  /** `POST /requests`: creates a request (201). */
  createRequest(body: CreateRequestInput): Promise<AccessRequest> {
    return this.call('POST', '/requests', body);
  }

  private getToken(): Promise<string> {
    if (!this.token) {
      this.token = this.options.auth
        .getPluginRequestToken({
          onBehalfOf: this.options.credentials,
          targetPluginId: ELEVATED_ACCESS_PLUGIN_ID,
        })
        .then(({ token }) => token);
    }
    return this.token;
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.options.discovery.getBaseUrl(
      ELEVATED_ACCESS_PLUGIN_ID,
    );
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await this.getToken()}`,
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: this.options.signal,
      });
    } catch (error) {
      if (this.options.signal?.aborted) throw error;
      throw new ServiceUnavailableError(
        `Could not reach Elevated Access (${method} ${path}): ${
          (error as Error).message
        }`,
      );
    }
    if (!response.ok) {
      throw await ElevatedAccessCaller.toError(response);
    }
    return (await response.json()) as T;
  }

  /**
   * The plugin's own error, with its own message: what the scaffolder shows
   * as the reason the step failed.
   */
  private static async toError(response: Response): Promise<Error> {
    const text = await response.text().catch(() => '');
    let name: string | undefined;
    let message: string | undefined;
    try {
      const parsed = JSON.parse(text);
      name = parsed?.error?.name;
      message = parsed?.error?.message;
    } catch {
      // not JSON: a proxy or a crash, described below
    }
    if (typeof message !== 'string' || !message) {
      return new Error(
        `Elevated Access answered ${response.status} ${response.statusText}${
          text ? `: ${text.slice(0, 200)}` : ''
        }`,
      );
    }
    const ErrorClass = (name && ERRORS[name]) || Error;
    return new ErrorClass(message);
  }
}
