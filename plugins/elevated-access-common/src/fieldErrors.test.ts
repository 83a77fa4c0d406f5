import { z } from 'zod';
import { describeFieldErrors, fieldErrors } from './fieldErrors';
import { createRequestSchema } from './schemas';

const valid = {
  accountId: '111111111111',
  permissionSetArn:
    'arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-0000000000000002',
  durationMinutes: 60,
  justification: 'Fix the broken deployment pipeline',
};

describe('fieldErrors', () => {
  it('names the first problem of each field, and unknown fields under _', () => {
    const result = createRequestSchema.safeParse({
      ...valid,
      durationMinutes: 0,
      justification: 'short',
      status: 'approved',
      approvers: [],
    });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!)).toEqual({
      durationMinutes: 'Duration must be at least 1 minute',
      justification: 'Justification must be at least 10 characters',
      _: 'Unknown fields: status, approvers',
    });
  });

  it('files a nested problem under its top-level field', () => {
    const schema = z.object({
      window: z.object({ from: z.string('From must be text') }),
      tags: z.array(z.string('A tag must be text')),
    });
    const result = schema.safeParse({ window: { from: 1 }, tags: ['a', 2] });
    expect(fieldErrors(result.error!)).toEqual({
      window: 'From must be text',
      tags: 'A tag must be text',
    });
  });

  it('keeps a message with "; " inside whole', () => {
    const schema = z.object({
      startTime: z.string().refine(() => false, {
        message: 'Start time is in the past; leave it empty to start now',
      }),
    });
    expect(fieldErrors(schema.safeParse({ startTime: 'x' }).error!)).toEqual({
      startTime: 'Start time is in the past; leave it empty to start now',
    });
  });
});

describe('describeFieldErrors', () => {
  it('reads as one sentence, a problem without a field without a name', () => {
    expect(
      describeFieldErrors({
        durationMinutes: 'Duration must be at least 1 minute',
        _: 'Unknown field: status',
      }),
    ).toBe(
      'Invalid input: durationMinutes: Duration must be at least 1 minute; Unknown field: status',
    );
  });
});
