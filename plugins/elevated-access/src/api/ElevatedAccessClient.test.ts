/**
 * @jest-environment node
 */
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ElevatedAccessClient } from './ElevatedAccessClient';
import { fieldErrorsOf } from './fieldErrors';

type Seen = { method?: string; url?: string; body: string; type?: string };

/** A real HTTP server standing in for the backend, recording what it gets. */
describe('ElevatedAccessClient', () => {
  let server: Server;
  let seen: Seen[];
  let answer: (req: IncomingMessage) => {
    status: number;
    body?: unknown;
    chunks?: string[];
  };
  let client: ElevatedAccessClient;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          body,
          type: req.headers['content-type'],
        });
        const { status, body: out, chunks } = answer(req);
        if (chunks) {
          // a streamed export, written in pieces
          res.writeHead(status, { 'Content-Type': 'text/csv' });
          (async () => {
            for (const c of chunks) {
              res.write(c);
              await new Promise(r => setTimeout(r, 5));
            }
            res.end();
          })();
          return;
        }
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(out));
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    client = new ElevatedAccessClient({
      discoveryApi: {
        getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
      },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
  });
  afterAll(() => new Promise(r => server.close(r)));
  /** The path and the query parameters of the n-th call the client made. */
  const pathAndQuery = (n: number) => {
    const url = new URL(seen[n].url!, 'http://x');
    return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
  };

  beforeEach(() => {
    seen = [];
    answer = () => ({ status: 200, body: { items: [] } });
  });

  it('puts list filters in the query string, leaving out empty ones', async () => {
    await client.listRequests({
      view: 'all',
      status: ['pending', 'active'],
      requester: '',
      cursor: 'abc=',
      limit: 25,
    });
    expect(seen[0].method).toBe('GET');
    expect(pathAndQuery(0)).toEqual({
      path: '/api/elevated-access/requests',
      query: {
        view: 'all',
        status: 'pending,active',
        cursor: 'abc=',
        limit: '25',
      },
    });
  });

  it('sends the used filter and asks for insights by period and bucket', async () => {
    await client.listRequests({ view: 'all', used: false });
    expect(pathAndQuery(0).query.used).toBe('false');
    answer = () => ({ status: 200, body: { buckets: [] } });
    await client.getInsights({ from: '2026-11-23T00:00:00Z', bucket: 'day' });
    expect(pathAndQuery(1)).toEqual({
      path: '/api/elevated-access/audit/insights',
      query: {
        from: '2026-11-23T00:00:00Z',
        bucket: 'day',
      },
    });
  });

  it("searches eligible accounts and asks for one account's pairs", async () => {
    await client.searchEligibleAccounts({ q: 'data prod/1', limit: 20 });
    await client.searchEligibleAccounts({ q: '' });
    await client.getEligibility({ accountId: '111111111111' });
    await client.getEligibility();
    expect(seen.map(s => s.url)).toEqual([
      '/api/elevated-access/eligibility/accounts?q=data+prod%2F1&limit=20',
      '/api/elevated-access/eligibility/accounts',
      '/api/elevated-access/eligibility?accountId=111111111111',
      '/api/elevated-access/eligibility',
    ]);
  });

  it("asks for an entity's access with its ref encoded, and raises a 404", async () => {
    answer = () => ({
      status: 200,
      body: { entityRef: 'component:default/payments-service', grants: [] },
    });
    const result = await client.getEntityAccess(
      'component:default/payments-service',
    );
    expect(result).toMatchObject({
      entityRef: 'component:default/payments-service',
    });
    expect(seen[0]).toMatchObject({
      method: 'GET',
      url: '/api/elevated-access/entity-access?entityRef=component%3Adefault%2Fpayments-service',
    });
    answer = () => ({
      status: 404,
      body: {
        error: { name: 'NotFoundError', message: 'No such entity' },
        response: { statusCode: 404 },
      },
    });
    await expect(
      client.getEntityAccess('component:default/gone'),
    ).rejects.toMatchObject({ statusCode: 404 });
  });

  it('exposes the fields of a 400 answer, a message with "; " inside whole', async () => {
    const fields = {
      startTime: 'Start time is in the past; leave it empty to start now',
      ticketId: 'A ticket is required for this access',
    };
    answer = () => ({
      status: 400,
      body: {
        error: {
          name: 'InputError',
          message: 'Invalid input: startTime: Start time is in the past; …',
          fields,
        },
        request: { method: 'POST', url: '/requests' },
        response: { statusCode: 400 },
      },
    });
    const failure = await client
      .createRequest({
        accountId: '111111111111',
        permissionSetArn: 'arn',
        durationMinutes: 60,
        justification: 'Fix the pipeline',
        ticketId: undefined,
      })
      .catch(e => e);
    expect(failure).toMatchObject({ statusCode: 400 });
    expect(fieldErrorsOf(failure)).toEqual(fields);

    // a proxy's answer names no field
    answer = () => ({ status: 400, body: { message: 'Bad gateway' } });
    const proxied = await client.me().catch(e => e);
    expect(proxied).toMatchObject({ statusCode: 400 });
    expect(fieldErrorsOf(proxied)).toEqual({});
  });

  it('sends decisions as JSON to the request they concern', async () => {
    answer = () => ({ status: 200, body: { id: 'r/1', status: 'approved' } });
    const result = await client.approve('r/1', 'looks fine');
    expect(result).toEqual({ id: 'r/1', status: 'approved' });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/elevated-access/requests/r%2F1/approve',
      type: 'application/json',
    });
    expect(JSON.parse(seen[0].body)).toEqual({ comment: 'looks fine' });
  });

  it('sends a break-glass review and the break-glass filters', async () => {
    answer = () => ({ status: 200, body: { id: 'r1', breakGlass: true } });
    await client.review('r1', 'inappropriate', 'Changed IAM');
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/elevated-access/requests/r1/review',
    });
    expect(JSON.parse(seen[0].body)).toEqual({
      outcome: 'inappropriate',
      comment: 'Changed IAM',
    });
    answer = () => ({ status: 200, body: { items: [] } });
    await client.listRequests({ view: 'reviews' });
    await client.downloadRequestsCsv({ breakGlass: true, review: 'awaiting' });
    expect(seen[1].url).toBe('/api/elevated-access/requests?view=reviews');
    expect(pathAndQuery(2)).toEqual({
      path: '/api/elevated-access/audit/requests.csv',
      query: {
        breakGlass: 'true',
        review: 'awaiting',
      },
    });
  });

  it('deletes policies and replaces settings with the right verbs', async () => {
    answer = req =>
      req.method === 'DELETE'
        ? { status: 204, body: null }
        : { status: 200, body: { version: 2 } };
    await client.deleteApproverPolicy('p1');
    await client.updateSettings({ maxDurationMinutes: 60 } as any);
    expect(seen.map(s => `${s.method} ${s.url}`)).toEqual([
      'DELETE /api/elevated-access/policies/approval/p1',
      'PUT /api/elevated-access/settings',
    ]);
  });

  it('raises the backend message on an error answer', async () => {
    answer = () => ({
      status: 409,
      body: {
        error: {
          name: 'ConflictError',
          message: 'The request was already decided by bob',
        },
        response: { statusCode: 409 },
      },
    });
    await expect(client.reject('r1', 'no')).rejects.toMatchObject({
      name: 'ResponseError',
      body: { error: { message: 'The request was already decided by bob' } },
    });
  });

  it('downloads the audit CSV with its filters', async () => {
    const blob = await client.downloadRequestsCsv({
      from: '2026-11-01T00:00:00.000Z',
      status: ['revoked'],
    });
    expect(await blob.text()).toBe('{"items":[]}');
    expect(seen[0].url).toBe(
      '/api/elevated-access/audit/requests.csv?from=2026-11-01T00%3A00%3A00.000Z&status=revoked',
    );
  });

  it('asks for the approval and change history with their filters', async () => {
    await client.listDecisions({
      approver: 'bob',
      decision: 'reject',
      requester: '',
      cursor: 'c1',
    });
    await client.downloadDecisionsCsv({ accountId: '111111111111' });
    await client.listChanges({ type: 'settings', actor: 'dave', limit: 10 });
    const urls = seen.map(s => new URL(s.url!, 'http://x'));
    expect(
      urls.map(u => [u.pathname, Object.fromEntries(u.searchParams)]),
    ).toEqual([
      [
        '/api/elevated-access/audit/decisions',
        { approver: 'bob', decision: 'reject', cursor: 'c1' },
      ],
      [
        '/api/elevated-access/audit/decisions.csv',
        { accountId: '111111111111' },
      ],
      [
        '/api/elevated-access/audit/changes',
        { type: 'settings', actor: 'dave', limit: '10' },
      ],
    ]);
  });

  it('reports the bytes of a streamed export as they arrive', async () => {
    const chunks = [
      'request_id,event_name\n',
      'r1,GetObject\n'.repeat(2000),
      'r2,PutObject\n',
    ];
    answer = () => ({ status: 200, chunks });
    const progress: number[] = [];
    const blob = await client.downloadActivityCsv(
      { requestId: 'r1' },
      { onProgress: n => progress.push(n) },
    );
    const total = chunks.join('').length;
    expect(await blob.text()).toBe(chunks.join(''));
    expect(blob.type).toBe('text/csv');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress[progress.length - 1]).toBe(total);
  });
});
