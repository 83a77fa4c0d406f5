import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ApproverPolicy,
  ApproverPolicyInput,
  EligibilityPolicy,
  EligibilityPolicyInput,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { EventLog } from './EventLog';
import { DbTime, parseJson, toBool, toIso } from './util';

type PolicyKind = 'eligibility' | 'approver';
type PolicyOf<K extends PolicyKind> = K extends 'eligibility'
  ? EligibilityPolicy
  : ApproverPolicy;
type InputOf<K extends PolicyKind> = K extends 'eligibility'
  ? EligibilityPolicyInput
  : ApproverPolicyInput;

const TABLES: Record<PolicyKind, string> = {
  eligibility: 'eligibility_policies',
  approver: 'approver_policies',
};
const ENTITY_TYPES = {
  eligibility: 'eligibility-policy',
  approver: 'approver-policy',
} as const;

interface PolicyRow {
  id: string;
  name: string;
  body: string;
  version: number;
  created_at: DbTime;
  updated_at: DbTime;
  updated_by: string;
  break_glass?: boolean | number;
}

/**
 * Eligibility and approver policies. Every change records who, when, and the
 * policy before and after, in the same transaction; a change based on an old
 * version is refused, so two admins never silently overwrite each other.
 */
export class PolicyStore<K extends PolicyKind> {
  /**
   * The last list read and the ids and versions it was read at: every call
   * reads the policies (thousands in a large organisation), and most find
   * them unchanged. Every write bumps the version or adds or removes an id,
   * so comparing those, one narrow query, also sees other replicas' writes.
   */
  private cached?: { stamp: string; policies: PolicyOf<K>[] };

  constructor(private readonly knex: Knex, private readonly kind: K) {}

  private get table() {
    return TABLES[this.kind];
  }

  private toPolicy(row: PolicyRow): PolicyOf<K> {
    return {
      ...parseJson<object>(row.body, {}),
      // absent from policies stored before break-glass: false
      ...(this.kind === 'eligibility' && {
        breakGlass: toBool(row.break_glass ?? false),
      }),
      id: row.id,
      name: row.name,
      version: row.version,
      createdAt: toIso(row.created_at),
      updatedAt: toIso(row.updated_at),
      updatedBy: row.updated_by,
    } as PolicyOf<K>;
  }

  private static body(input: object) {
    const {
      version: _version,
      name: _name,
      breakGlass: _breakGlass,
      ...body
    } = input as {
      version?: number;
      name: string;
      breakGlass?: boolean;
    };
    return body;
  }

  /** Columns besides the body: eligibility's break-glass flag. */
  private columns(input: object) {
    return this.kind === 'eligibility'
      ? { break_glass: Boolean((input as { breakGlass?: boolean }).breakGlass) }
      : {};
  }

  /** Every policy, by name. Callers share the objects: never change them. */
  async list(): Promise<PolicyOf<K>[]> {
    const stamp = await this.stamp();
    if (this.cached?.stamp === stamp) return [...this.cached.policies];
    const rows: PolicyRow[] = await this.knex(this.table).orderBy([
      'name',
      'id',
    ]);
    const policies = rows.map(r => this.toPolicy(r));
    // what was read may be newer than the stamp (a write in between): kept
    // under the older stamp, the next call reads again
    this.cached = { stamp, policies };
    return [...policies];
  }

  /** The ids and versions of the policies, which every write changes. */
  private async stamp(): Promise<string> {
    const rows: Array<Pick<PolicyRow, 'id' | 'version'>> = await this.knex(
      this.table,
    )
      .select('id', 'version')
      .orderBy('id');
    return rows.map(r => `${r.id}:${r.version}`).join(',');
  }

  async get(id: string): Promise<PolicyOf<K> | undefined> {
    const row: PolicyRow | undefined = await this.knex(this.table)
      .where({ id })
      .first();
    return row ? this.toPolicy(row) : undefined;
  }

  async create(input: InputOf<K>, actorRef: string, now: Date) {
    const id = randomUUID();
    await this.knex.transaction(async trx => {
      await trx(this.table).insert({
        id,
        name: input.name,
        body: JSON.stringify(PolicyStore.body(input)),
        ...this.columns(input),
        version: 1,
        created_at: now,
        updated_at: now,
        updated_by: actorRef,
      });
      const created = this.toPolicy(
        await trx(this.table).where({ id }).first(),
      );
      await EventLog.append(trx, {
        entityType: ENTITY_TYPES[this.kind],
        entityId: id,
        action: 'create',
        actorRef,
        after: created,
        message: `Created ${this.kind} policy "${input.name}"`,
        createdAt: now,
      });
    });
    return (await this.get(id))!;
  }

  async update(id: string, input: InputOf<K>, actorRef: string, now: Date) {
    await this.knex.transaction(async trx => {
      const row: PolicyRow | undefined = await trx(this.table)
        .where({ id })
        .first();
      if (!row) throw new NotFoundError(`No ${this.kind} policy ${id}`);
      if (input.version !== undefined && input.version !== row.version) {
        throw new ConflictError(
          `The policy was changed by ${row.updated_by} since you loaded it (version ${row.version}, yours ${input.version}); reload and edit again`,
        );
      }
      const updated = await trx(this.table)
        .where({ id, version: row.version })
        .update({
          name: input.name,
          body: JSON.stringify(PolicyStore.body(input)),
          ...this.columns(input),
          version: row.version + 1,
          updated_at: now,
          updated_by: actorRef,
        });
      if (updated !== 1) {
        throw new ConflictError(
          'The policy changed meanwhile; reload and edit again',
        );
      }
      await EventLog.append(trx, {
        entityType: ENTITY_TYPES[this.kind],
        entityId: id,
        action: 'update',
        actorRef,
        before: this.toPolicy(row),
        after: this.toPolicy(await trx(this.table).where({ id }).first()),
        message: `Updated ${this.kind} policy "${input.name}"`,
        createdAt: now,
      });
    });
    return (await this.get(id))!;
  }

  async delete(id: string, actorRef: string, now: Date): Promise<void> {
    await this.knex.transaction(async trx => {
      const row: PolicyRow | undefined = await trx(this.table)
        .where({ id })
        .first();
      if (!row) throw new NotFoundError(`No ${this.kind} policy ${id}`);
      await trx(this.table).where({ id }).delete();
      await EventLog.append(trx, {
        entityType: ENTITY_TYPES[this.kind],
        entityId: id,
        action: 'delete',
        actorRef,
        before: this.toPolicy(row),
        message: `Deleted ${this.kind} policy "${row.name}"`,
        createdAt: now,
      });
    });
  }

  async events(id: string) {
    return EventLog.forEntity(this.knex, ENTITY_TYPES[this.kind], id);
  }
}
