import { InputError } from '@backstage/errors';
import {
  FieldErrors,
  describeFieldErrors,
  fieldErrors,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { z } from 'zod';

/**
 * A 400 naming the fields at fault. Its message is the readable sentence
 * (`Invalid input: field: message`); `fields` is an own enumerable property,
 * so Backstage's error handler (`serializeError`) sends it in the body as
 * `error.fields` for forms to mark their inputs.
 */
export class FieldInputError extends InputError {
  readonly fields: FieldErrors;

  constructor(fields: FieldErrors) {
    super(describeFieldErrors(fields));
    this.fields = fields;
  }

  /** One field's problem. */
  static of(field: string, message: string): FieldInputError {
    return new FieldInputError({ [field]: message });
  }

  /** A schema failure, the first problem of each field. */
  static fromZod(error: z.ZodError): FieldInputError {
    return new FieldInputError(fieldErrors(error));
  }
}
