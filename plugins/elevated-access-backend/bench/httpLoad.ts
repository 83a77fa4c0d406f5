/*
 * The load side of http.bench.ts, in a process of its own so the clients
 * never share the backend's event loop: autocannon with `connections`
 * keep-alive clients for `seconds`, cycling through `paths` with one bearer
 * token. Prints one JSON line: requests/s, the p50/p95/p99 latency of every
 * response (autocannon's own summary has no p95), non-2xx and errors.
 *
 *   node --require …/nodeTransform.cjs bench/httpLoad.ts '<json spec>'
 */
import autocannon from 'autocannon';
import { percentile, runBench } from './benchDatabase';

export interface LoadSpec {
  origin: string;
  token: string;
  paths: string[];
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

async function main() {
  const spec: LoadSpec = JSON.parse(process.argv[2]);
  let next = 0;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let done: (result: autocannon.Result) => void = () => {};
  let failed: (error: Error) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  const instance = autocannon(
    {
      url: spec.origin,
      connections: spec.connections,
      duration: spec.seconds,
      timeout: 10,
      headers: { authorization: `Bearer ${spec.token}` },
      requests: [
        {
          method: 'GET',
          setupRequest: req => {
            req.path = spec.paths[next++ % spec.paths.length];
            return req;
          },
        },
      ],
    },
    (error, result) => (error ? failed(error) : done(result)),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  const result = await finished;
  const out: LoadResult = {
    requests: latencies.length,
    rps: latencies.length / spec.seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

runBench(main);
