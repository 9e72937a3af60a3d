'use strict';
// The load harness's fastify + piscina peer: the same endpoints as benchmarks/SyncContext.Load/Server.
// Async routes run on Node's event loop; sync work runs on piscina's worker threads (at most 64).
//
// Usage: node server.js --port P --cpu-iterations N [--parent PID]

const path = require('node:path');
const Fastify = require('fastify');
const piscinaModule = require('piscina');

const Piscina = piscinaModule.Piscina ?? piscinaModule;
const MAX_THREADS = 64;
const POOL_SIZE = 32;

function arg(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : undefined;
}

const port = Number(arg('--port'));
const cpuIterations = Number(arg('--cpu-iterations'));
const parent = arg('--parent') === undefined ? undefined : Number(arg('--parent'));
if (!Number.isInteger(port) || !Number.isInteger(cpuIterations)) {
  console.error('usage: node server.js --port P --cpu-iterations N [--parent PID]');
  process.exit(2);
}

// The 32 pooled "connections" of /pool, shared by every worker thread.
const freeConnections = new SharedArrayBuffer(4);
new Int32Array(freeConnections)[0] = POOL_SIZE;

// A fixed pool of 64 threads, all started before the server listens. piscina's default (one thread on 2 cores,
// more started one at a time while tasks queue, each a new V8 isolate) served 64 blocking clients at ~17 req/s
// of 640 for seconds after a flood began here, which measures isolate start-up, not the pool.
const pool = new Piscina({
  filename: path.join(__dirname, 'worker.js'),
  minThreads: MAX_THREADS,
  maxThreads: MAX_THREADS,
  workerData: { freeConnections, cpuIterations },
});

const app = Fastify({ logger: false });
app.get('/fast', async () => 'fast');
app.get('/inline', (request, reply) => { reply.send('sync'); });
for (const op of ['sync', 'slow', 'cpu', 'pool']) {
  app.get(`/${op}`, () => pool.run(op));
}

// Bounded life: exit when the harness that started this process is gone.
if (parent !== undefined) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 1000).unref();
}

// Every worker has loaded worker.js once these have run: 64 tasks that each hold a thread for 50 ms.
Promise.all(Array.from({ length: MAX_THREADS }, () => pool.run('warm')))
  .then(() => app.listen({ host: '127.0.0.1', port })).then(
  () => console.log('READY'),
  (error) => {
    console.error(error);
    process.exit(1);
  });
