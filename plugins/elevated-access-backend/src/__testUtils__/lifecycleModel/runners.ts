/*
 * How each command runs: the HTTP call (with AWS pictured around it where a
 * step check needs it), what the model learns from a success, and the labels
 * the step counts for.
 */
import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';
import { DEMO_APPROVERS, Persona, userRef } from '../fixtures';
import { Command, Decider, Target } from './commands';
import {
  accessIsOver,
  AwsPicture,
  BREAK_GLASS_POLICY,
  bool,
  ok,
  Outcome,
  World,
} from './world';

async function awsPicture(w: World): Promise<AwsPicture> {
  const provider = w.api.provider as InMemoryAccessProvider;
  const count = async (table: string) =>
    Number((await w.knex(table).count({ n: '*' }))[0].n);
  return {
    calls: provider.calls.length,
    live: provider.assignments.size,
    ledger: await count('assignments'),
    blocks: await count('session_blocks'),
  };
}

async function requestRow(w: World, id: string) {
  return w
    .knex('requests')
    .where({ id })
    .first(
      'requester_ref',
      'pending_extension_id',
      'status',
      'break_glass',
      'granted_at',
      'ended_at',
      'activity_complete',
      'review_outcome',
    );
}

/** A request the command can matter for (mostly), else any. */
async function pick(
  w: World,
  t: Target,
  where?: { status: string[] } | 'pending_extension_id',
): Promise<string> {
  const none = '00000000-0000-4000-8000-000000000000';
  if (t === 'latest') return w.ids[w.ids.length - 1] ?? none;
  const any = w.ids[t % Math.max(w.ids.length, 1)] ?? none;
  if (!where || t % 4 === 3) return any;
  const candidates: string[] =
    where === 'pending_extension_id'
      ? await w.knex('requests').whereNotNull(where).orderBy('id').pluck('id')
      : await w
          .knex('requests')
          .whereIn('status', where.status)
          .orderBy('id')
          .pluck('id');
  return candidates.length ? candidates[t % candidates.length] : any;
}

/** The persona calling: a persona, or the request's requester. */
async function caller(w: World, who: Decider, id: string) {
  const row = await requestRow(w, id);
  const name =
    who === 'requester'
      ? (row?.requester_ref?.split('/').pop() as Persona | undefined) ?? 'alice'
      : who;
  return {
    name,
    row,
    byRequester: Boolean(row) && userRef(name) === row.requester_ref,
    hadPendingExtension: Boolean(row?.pending_extension_id),
  };
}

/** An HTTP call with AWS pictured around it. */
async function call(
  w: World,
  send: () => Promise<{ status: number; body: any }>,
) {
  const before = await awsPicture(w);
  const res = await send();
  return { res, aws: { before, after: await awsPicture(w) } };
}
/** The command (or commands) of these kinds. */
type CommandOf<K extends Command['kind']> = Command extends infer C
  ? C extends { kind: infer CK }
    ? K extends CK
      ? C
      : never
    : never
  : never;
type Runner<K extends Command['kind']> = (
  w: World,
  c: CommandOf<K>,
) => Promise<Outcome>;

const decideRequest: Runner<'approve' | 'reject'> = async (w, c) => {
  const id = await pick(w, c.target, { status: ['pending'] });
  const who = await caller(w, c.who, id);
  const res = await w.api.post(who.name, `/requests/${id}/${c.kind}`, {
    ...(c.comment ? { comment: 'because' } : {}),
    ...(c.kind === 'approve' && c.minutes !== null
      ? { durationMinutes: c.minutes }
      : {}),
  });
  const labels: string[] = [];
  const m = w.model.get(id);
  if (res.status === 200) {
    labels.push(c.kind);
    if (c.kind === 'approve' && m) {
      m.approvals.push(c.minutes ?? m.duration);
      if (c.minutes !== null && c.minutes < m.duration) {
        labels.push('approve shortened');
      }
      if (res.body.status === 'pending') labels.push('approve vote (N-of-M)');
      else if (m.approvals.length > 1) {
        labels.push('approve final of N-of-M');
        if (res.body.approvedDurationMinutes) {
          labels.push('N-of-M shortened: the shortest wins');
        }
      }
    }
  }
  if (who.byRequester && res.status === 403) {
    labels.push('own request decision refused');
  }
  return { status: res.status, labels, byRequester: who.byRequester };
};

const decideExtension: Runner<
  'extension-approve' | 'extension-reject'
> = async (w, c) => {
  // what the due timer started is done (the lifecycle joins its pass), so
  // the AWS picture around the call is the call's alone
  await w.api.runLifecycle();
  const id = await pick(w, c.target, 'pending_extension_id');
  const who = await caller(w, c.who, id);
  const decision = c.kind === 'extension-approve' ? 'approve' : 'reject';
  const { res, aws } = await call(w, () =>
    w.api.post(
      who.name,
      `/requests/${id}/extension/${decision}`,
      c.comment ? { comment: 'because' } : {},
    ),
  );
  const labels: string[] = [];
  if (res.status === 200) {
    if (res.body.status === 'approved') {
      labels.push('extension approved');
      const m = w.model.get(id);
      if (m) m.extendedMinutes += res.body.addedMinutes;
    } else if (res.body.status === 'pending') {
      labels.push('extension approve vote (N-of-M)');
    } else labels.push(`extension ${res.body.status}`);
  }
  if (who.byRequester && who.hadPendingExtension && res.status === 403) {
    labels.push('own extension decision refused');
  }
  return {
    status: res.status,
    labels,
    aws,
    byRequester: who.byRequester,
    hadPendingExtension: who.hadPendingExtension,
  };
};

/** How each command runs; the type makes every kind have one. */
const RUNNERS: { [K in Command['kind']]: Runner<K> } = {
  async create(w, c) {
    const res = await w.api.post(c.who, '/requests', {
      accountId: c.account,
      permissionSetArn: c.ps,
      durationMinutes: c.duration,
      justification: 'Random walk through the lifecycle',
      ticketId: c.ticket ? 'OPS-1' : undefined,
      startTime:
        c.startIn === undefined
          ? undefined
          : new Date(w.now + c.startIn * 60_000).toISOString(),
      breakGlass: c.breakGlass,
    });
    const labels: string[] = [];
    if (res.status === 201) {
      w.ids.push(res.body.id);
      w.model.set(res.body.id, {
        requesterRef: userRef(c.who),
        duration: c.duration,
        approvals: [],
        extendedMinutes: 0,
        breakGlass: Boolean(c.breakGlass),
      });
      labels.push('create');
      if (c.breakGlass) labels.push('break-glass created');
    }
    return { status: res.status, labels };
  },
  approve: decideRequest,
  reject: decideRequest,
  async cancel(w, c) {
    const id = await pick(w, c.target, { status: ['pending', 'approved'] });
    const who = await caller(w, c.who, id);
    const res = await w.api.post(who.name, `/requests/${id}/cancel`, {});
    return { status: res.status, labels: ok(res.status) ? ['cancel'] : [] };
  },
  async revoke(w, c) {
    const id = await pick(w, c.target, { status: ['active', 'approved'] });
    const who = await caller(w, c.who, id);
    const res = await w.api.post(
      who.name,
      `/requests/${id}/revoke`,
      c.comment ? { comment: 'done' } : {},
    );
    return { status: res.status, labels: ok(res.status) ? ['revoke'] : [] };
  },
  async extend(w, c) {
    // the scheduler runs every few seconds: what is due is granted
    await w.api.runLifecycle();
    const id = await pick(w, c.target, { status: ['active'] });
    const who = await caller(w, c.who, id);
    const { res, aws } = await call(w, () =>
      w.api.post(who.name, `/requests/${id}/extend`, {
        durationMinutes: c.minutes,
        justification: 'Random walk needs more time',
      }),
    );
    const labels: string[] = [];
    if (res.status === 200) {
      labels.push('extend applied at once');
      const m = w.model.get(id);
      if (m) m.extendedMinutes += res.body.addedMinutes;
    }
    if (res.status === 202) labels.push('extend awaiting approval');
    if (who.hadPendingExtension && res.status === 409) {
      labels.push('second extension refused');
    }
    return {
      status: res.status,
      labels,
      aws,
      hadPendingExtension: who.hadPendingExtension,
      byOther: !who.byRequester,
    };
  },
  async tick(w, c) {
    w.now += c.minutes * 60_000;
    jest.setSystemTime(w.now);
    await w.api.runLifecycle();
    return { status: 0 };
  },
  async 'approver-policy'(w, c) {
    const res = await w.api.put(c.who, `/policies/approval/${w.policy.id}`, {
      ...DEMO_APPROVERS[0],
      approvers: c.approvers,
      minApprovals: c.minApprovals,
      version: w.policy.version,
    });
    if (res.status === 200) w.policy.version = res.body.version;
    return {
      status: res.status,
      labels: res.status === 200 ? ['approver policy changed'] : [],
    };
  },
  'extension-approve': decideExtension,
  'extension-reject': decideExtension,
  async 'break-glass-policy'(w, c) {
    const res = w.breakGlassPolicy
      ? await w.api.put(
          c.who,
          `/policies/eligibility/${w.breakGlassPolicy.id}`,
          { ...BREAK_GLASS_POLICY, version: w.breakGlassPolicy.version },
        )
      : await w.api.post(c.who, '/policies/eligibility', BREAK_GLASS_POLICY);
    if (ok(res.status)) {
      w.breakGlassPolicy = { id: res.body.id, version: res.body.version };
    }
    return {
      status: res.status,
      labels: ok(res.status) ? ['break-glass policy saved'] : [],
    };
  },
  async activity(w) {
    await w.api.runTask('activity');
    return { status: 0 };
  },
  async review(w, c) {
    const id = await pick(w, c.target);
    const who = await caller(w, c.who, id);
    const row = who.row;
    // what the caller is shown just before: may they review it, does it await review
    const seen = await w.api.get(who.name, `/requests/${id}`);
    const res = await w.api.post(who.name, `/requests/${id}/review`, {
      outcome: c.outcome,
      ...(c.comment ? { comment: 'Checked its activity' } : {}),
    });
    const facts = {
      breakGlass: bool(row?.break_glass),
      granted: Boolean(row?.granted_at),
      reviewed: Boolean(row?.review_outcome),
      accessOver: Boolean(row) && accessIsOver(row),
      activityComplete: bool(row?.activity_complete),
      awaitingReview:
        seen.status === 200 ? seen.body.awaitingReview : undefined,
      canReview:
        seen.status === 200 && seen.body.capabilities?.canReview === true,
    };
    const labels: string[] = [];
    if (res.status === 200) labels.push('review accepted');
    if (who.byRequester && res.status === 403)
      labels.push('own review refused');
    if (row && res.status === 409) {
      if (!facts.breakGlass) {
        labels.push('review of a request not break-glass refused');
      } else if (facts.reviewed) labels.push('second review refused');
      else if (!facts.accessOver) labels.push('review before the end refused');
      else if (!facts.activityComplete) {
        labels.push('review before its activity is complete refused');
      }
    }
    return {
      status: res.status,
      labels,
      byRequester: who.byRequester,
      review: facts,
    };
  },
};

export function run(w: World, c: Command): Promise<Outcome> {
  return (RUNNERS[c.kind] as Runner<typeof c.kind>)(w, c as never);
}
