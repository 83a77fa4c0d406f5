import {
  ConfigChange,
  DecisionRecord,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { BUILT_IN_SETTINGS } from '../config';
import { ACCOUNT, DEMO_ELIGIBILITY, PS } from '../__testUtils__/fixtures';
import { describeEachDatabase } from '../__testUtils__/databases';
import { fakeDateOnly } from '../__testUtils__/fakeDate';
import { powerUserRequest, seedDemoPolicies } from '../__testUtils__/scenarios';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

/** RFC 4180 rows as objects keyed by the header (quotes, commas, quotes doubled). */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  const [header, ...body] = rows;
  return body.map(r => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** A setup step that must succeed (outside a test, so no expect). */
function must(status: number, wanted: number, what: string) {
  if (status !== wanted) throw new Error(`${what}: ${status}, not ${wanted}`);
}

const T0 = new Date('2026-12-10T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describeEachDatabase('the approval and change history', init => {
  let api: ElevatedAccessTestBackend;
  let knex: Knex;
  let pending: string;
  let shortened: string;
  let rejected: string;

  beforeAll(async () => {
    fakeDateOnly(T0);
    knex = await init();
    api = await startElevatedAccess({ knex });
    await seedDemoPolicies(api);
    const create = async (minutes: number, body: object) => {
      jest.setSystemTime(at(minutes));
      const res = await api.post('alice', '/requests', body);
      must(res.status, 201, 'create');
      return res.body.id as string;
    };
    shortened = await create(1, powerUserRequest);
    rejected = await create(2, {
      ...powerUserRequest,
      accountId: ACCOUNT['data-prod'],
    });
    pending = await create(3, {
      ...powerUserRequest,
      accountId: ACCOUNT['payments-dev'],
    });
    // no approval needed: approved without a decision
    await create(4, {
      ...powerUserRequest,
      accountId: ACCOUNT['data-dev'],
      permissionSetArn: PS.ReadOnlyAccess,
      ticketId: undefined,
    });
    jest.setSystemTime(at(10));
    must(
      (
        await api.post('bob', `/requests/${shortened}/approve`, {
          comment: 'half an hour is enough',
          durationMinutes: 30,
        })
      ).status,
      200,
      'approve',
    );
    jest.setSystemTime(at(20));
    must(
      (
        await api.post('bob', `/requests/${rejected}/reject`, {
          comment: '=HYPERLINK("x") no',
        })
      ).status,
      200,
      'reject',
    );

    // settings and policy changes
    jest.setSystemTime(at(30));
    await api.put('dave', '/settings', {
      ...BUILT_IN_SETTINGS,
      maxDurationMinutes: 120,
      ticketRequired: true,
    });
    jest.setSystemTime(at(40));
    const policy = (await api.get('carol', '/policies/eligibility')).body
      .items[0];
    const { id, version, createdAt, updatedAt, updatedBy, ...input } = policy;
    must(
      (
        await api.put('dave', `/policies/eligibility/${id}`, {
          ...input,
          version,
          maxDurationMinutes: 90,
          principals: [...input.principals, 'user:default/erin'],
        })
      ).status,
      200,
      'policy update',
    );
  });
  afterAll(async () => {
    await api.stop();
    jest.useRealTimers();
  });

  describe('GET /audit/decisions', () => {
    it('lists every decision newest first, with the request it was on', async () => {
      const res = await api.get('carol', '/audit/decisions');
      expect(res.status).toBe(200);
      const items: DecisionRecord[] = res.body.items;
      expect(items).toEqual([
        {
          id: expect.any(String),
          requestId: rejected,
          requesterRef: 'user:default/alice',
          accountId: ACCOUNT['data-prod'],
          accountName: 'data-prod',
          permissionSetArn: PS.PowerUserAccess,
          permissionSetName: 'PowerUserAccess',
          requestedDurationMinutes: 60,
          requestStatus: 'rejected',
          approverRef: 'user:default/bob',
          decision: 'reject',
          comment: '=HYPERLINK("x") no',
          createdAt: at(20).toISOString(),
        },
        {
          id: expect.any(String),
          requestId: shortened,
          requesterRef: 'user:default/alice',
          accountId: ACCOUNT['payments-prod'],
          accountName: 'payments-prod',
          permissionSetArn: PS.PowerUserAccess,
          permissionSetName: 'PowerUserAccess',
          requestedDurationMinutes: 60,
          requestStatus: 'approved',
          approverRef: 'user:default/bob',
          decision: 'approve',
          comment: 'half an hour is enough',
          durationMinutes: 30,
          createdAt: at(10).toISOString(),
        },
      ]);
      expect(res.body.nextCursor).toBeUndefined();
      // admins read it too
      expect((await api.get('dave', '/audit/decisions')).status).toBe(200);
    });

    it('filters by approver, requester, account, decision and dates', async () => {
      const ids = async (query: string) => {
        const res = await api.get('carol', `/audit/decisions?${query}`);
        expect(res.status).toBe(200);
        return res.body.items.map((d: DecisionRecord) => d.requestId);
      };
      expect(await ids('approver=bob')).toEqual([rejected, shortened]);
      expect(await ids('approver=User:Default/BOB')).toEqual([
        rejected,
        shortened,
      ]);
      expect(await ids('approver=frank')).toEqual([]);
      expect(await ids('requester=alice')).toEqual([rejected, shortened]);
      expect(await ids('requester=erin')).toEqual([]);
      expect(await ids(`accountId=${ACCOUNT['payments-prod']}`)).toEqual([
        shortened,
      ]);
      expect(await ids('decision=reject')).toEqual([rejected]);
      expect(
        await ids(`from=${at(15).toISOString()}&to=${at(25).toISOString()}`),
      ).toEqual([rejected]);
      expect(await ids(`to=${at(20).toISOString()}`)).toEqual([shortened]);
      expect(await ids(`from=${at(21).toISOString()}`)).toEqual([]);
      expect(await ids(`accountId=${ACCOUNT['payments-dev']}`)).toEqual([]);
      expect(pending).toBeDefined();
    });

    it('pages with a cursor', async () => {
      const first = await api.get('carol', '/audit/decisions?limit=1');
      expect(first.body.items.map((d: DecisionRecord) => d.requestId)).toEqual([
        rejected,
      ]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await api.get(
        'carol',
        `/audit/decisions?limit=1&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.items.map((d: DecisionRecord) => d.requestId)).toEqual(
        [shortened],
      );
      expect(second.body.nextCursor).toBeUndefined();
    });

    it('refuses bad filters and forged cursors with a 400', async () => {
      for (const query of [
        'decision=maybe',
        'accountId=123',
        'approver=bob%20smith',
        'from=yesterday',
        'limit=0',
        'cursor=bm90LWEtY3Vyc29y',
        'sort=asc',
      ]) {
        const res = await api.get('carol', `/audit/decisions?${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
      }
    });
  });

  describe('GET /audit/decisions.csv', () => {
    it('exports the decisions, filtered, formula-safe', async () => {
      const res = await api.get('carol', '/audit/decisions.csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="elevated-access-decisions.csv"',
      );
      const rows = parseCsv(res.text);
      expect(rows).toEqual([
        expect.objectContaining({
          decided_at: at(20).toISOString(),
          request_id: rejected,
          account_name: 'data-prod',
          requester: 'user:default/alice',
          decision: 'reject',
          approver: 'user:default/bob',
          comment: `'=HYPERLINK("x") no`,
          requested_duration_minutes: '60',
          approved_duration_minutes: '',
          request_status: 'rejected',
        }),
        expect.objectContaining({
          request_id: shortened,
          decision: 'approve',
          comment: 'half an hour is enough',
          approved_duration_minutes: '30',
        }),
      ]);
      const approvals = await api.get(
        'carol',
        '/audit/decisions.csv?decision=approve',
      );
      expect(parseCsv(approvals.text).map((r: any) => r.request_id)).toEqual([
        shortened,
      ]);
      expect(
        (await api.get('carol', '/audit/decisions.csv?cursor=abc')).status,
      ).toBe(400);
    });
  });

  describe('the requests list', () => {
    it('says who decided each request', async () => {
      const res = await api.get('carol', '/requests?view=all');
      const byId = new Map(
        res.body.items.map((r: any) => [r.id, r.decidedBy] as const),
      );
      expect(byId.get(shortened)).toEqual([
        {
          approverRef: 'user:default/bob',
          decision: 'approve',
          createdAt: at(10).toISOString(),
        },
      ]);
      expect(byId.get(rejected)).toEqual([
        expect.objectContaining({ decision: 'reject' }),
      ]);
      expect(byId.get(pending)).toEqual([]);
    });
  });

  describe('GET /audit/changes', () => {
    it('lists policy and settings changes newest first with before and after', async () => {
      const res = await api.get('carol', '/audit/changes');
      expect(res.status).toBe(200);
      const items: ConfigChange[] = res.body.items;
      expect(
        items.map(c => [c.entityType, c.action, c.actorRef, c.entityName]),
      ).toEqual([
        [
          'eligibility-policy',
          'update',
          'user:default/dave',
          DEMO_ELIGIBILITY[1].name,
        ],
        ['settings', 'update', 'user:default/dave', undefined],
        ['approver-policy', 'create', 'user:default/dave', expect.any(String)],
        ['approver-policy', 'create', 'user:default/dave', expect.any(String)],
        [
          'eligibility-policy',
          'create',
          'user:default/dave',
          DEMO_ELIGIBILITY[1].name,
        ],
        [
          'eligibility-policy',
          'create',
          'user:default/dave',
          DEMO_ELIGIBILITY[0].name,
        ],
      ]);
      const [policyUpdate, settingsUpdate] = items;
      expect(policyUpdate.createdAt).toBe(at(40).toISOString());
      expect(policyUpdate.before).toMatchObject({
        maxDurationMinutes: 240,
        principals: ['group:default/developers'],
        version: 1,
      });
      expect(policyUpdate.after).toMatchObject({
        maxDurationMinutes: 90,
        principals: ['group:default/developers', 'user:default/erin'],
        version: 2,
      });
      expect(settingsUpdate.before).toMatchObject({
        maxDurationMinutes: BUILT_IN_SETTINGS.maxDurationMinutes,
      });
      expect(settingsUpdate.after).toMatchObject({
        maxDurationMinutes: 120,
        ticketRequired: true,
      });
      // request events are not configuration changes
      expect(items.some(c => (c.entityType as string) === 'request')).toBe(
        false,
      );
      expect((await api.get('dave', '/audit/changes')).status).toBe(200);
    });

    it('filters by type, actor and dates, and pages', async () => {
      const types = async (query: string) => {
        const res = await api.get('carol', `/audit/changes?${query}`);
        expect(res.status).toBe(200);
        return res.body.items.map((c: ConfigChange) => c.entityType);
      };
      expect(await types('type=settings')).toEqual(['settings']);
      expect(await types('type=approver-policy')).toEqual([
        'approver-policy',
        'approver-policy',
      ]);
      expect(await types('actor=carol')).toEqual([]);
      expect(await types(`from=${at(30).toISOString()}`)).toEqual([
        'eligibility-policy',
        'settings',
      ]);
      expect(
        (await api.get('carol', '/audit/changes?type=request')).status,
      ).toBe(400);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await api.get(
          'carol',
          `/audit/changes?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...res.body.items.map((c: ConfigChange) => c.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(
        (await api.get('carol', '/audit/changes')).body.items.map(
          (c: ConfigChange) => c.id,
        ),
      );
      expect(seen).toHaveLength(6);
    });

    it('shows what older entries stored', async () => {
      // an entry as an older release might have written it: no values
      await knex('events').insert({
        entity_type: 'approver-policy',
        entity_id: '3f0f3c55-0d0e-4b1f-9a5e-4c1c0c3b7a11',
        action: 'delete',
        actor_ref: 'user:default/dave',
        message: 'Deleted approver policy "Old"',
        created_at: at(50),
      });
      const res = await api.get('carol', '/audit/changes?limit=1');
      expect(res.body.items).toEqual([
        {
          id: expect.any(String),
          entityType: 'approver-policy',
          entityId: '3f0f3c55-0d0e-4b1f-9a5e-4c1c0c3b7a11',
          action: 'delete',
          actorRef: 'user:default/dave',
          message: 'Deleted approver policy "Old"',
          createdAt: at(50).toISOString(),
        },
      ]);
    });
  });
});
