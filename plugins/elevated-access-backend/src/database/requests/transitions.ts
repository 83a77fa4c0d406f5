import { ConflictError, NotFoundError } from '@backstage/errors';
import { findTransition } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { EventLog } from '../EventLog';
import { RequestPatch, Transition } from './types';

/**
 * Moves a request from one status to another inside `trx`, if it is still
 * in `from`, setting `columns` in the same guarded update
 * (`WHERE status = <from>`) and appending the event. Throws ConflictError
 * when someone else changed it first, and refuses transitions the lifecycle
 * table does not have.
 */
export async function transitionIn(
  trx: Knex.Transaction,
  input: Transition,
  columns: RequestPatch = {},
): Promise<void> {
  if (!findTransition(input.from, input.action, input.to)) {
    throw new Error(
      `Illegal transition ${input.from} -> ${input.to} (${input.action})`,
    );
  }
  const updated = await trx('requests')
    .where({ id: input.id, status: input.from })
    .update({
      ...columns,
      status: input.to,
      version: trx.raw('version + 1'),
      updated_at: input.now,
    });
  if (updated !== 1) {
    const current = await trx('requests')
      .where({ id: input.id })
      .first('status');
    if (!current) throw new NotFoundError('Request not found');
    throw new ConflictError(
      `The request is ${current.status}, not ${input.from}; it changed meanwhile`,
    );
  }
  await EventLog.append(trx, {
    entityType: 'request',
    entityId: input.id,
    action: input.action,
    actorRef: input.actorRef,
    fromStatus: input.from,
    toStatus: input.to,
    message: input.message,
    createdAt: input.now,
  });
}

/** A transition in its own transaction; ConflictError when it lost a race. */
export async function runTransition(
  knex: Knex,
  input: Transition,
  columns?: RequestPatch,
): Promise<void> {
  await knex.transaction(trx => transitionIn(trx, input, columns));
}

/** Like runTransition, but false instead of ConflictError when it lost a race. */
export async function tryTransition(
  knex: Knex,
  input: Transition,
  columns?: RequestPatch,
): Promise<boolean> {
  try {
    await runTransition(knex, input, columns);
    return true;
  } catch (e) {
    if (e instanceof ConflictError) return false;
    throw e;
  }
}
