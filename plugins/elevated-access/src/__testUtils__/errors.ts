import { ResponseError } from '@backstage/errors';
import {
  FieldErrors,
  describeFieldErrors,
} from '@elevated-access/backstage-plugin-elevated-access-common';

/**
 * What the client throws for the backend's 400 naming fields: Backstage's
 * error body with the backend's `fields`, read by the real `ResponseError`.
 */
export function fieldInputError(fields: FieldErrors): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: {
          name: 'InputError',
          message: describeFieldErrors(fields),
          fields,
        },
        request: { method: 'POST', url: '/requests' },
        response: { statusCode: 400 },
      }),
      {
        status: 400,
        statusText: 'Bad Request',
        headers: { 'content-type': 'application/json' },
      },
    ) as any,
  );
}
