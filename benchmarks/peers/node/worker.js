'use strict';
// The sync work of the fastify peer, run by piscina on a worker thread: it blocks that thread, not the loop.

const crypto = require('node:crypto');
const { workerData } = require('node:worker_threads');

const SLOW_MS = 100;
const CHUNK_BYTES = 16384;

const freeConnections = new Int32Array(workerData.freeConnections);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const chunk = Buffer.alloc(CHUNK_BYTES);
for (let i = 0; i < CHUNK_BYTES; i++) {
  chunk[i] = i % 256;
}

// Blocks the thread, like Thread.Sleep.
function sleep(ms) {
  Atomics.wait(sleeper, 0, 0, ms);
}

// A counting semaphore over the shared counter: waits for one of the pooled connections.
function acquire() {
  for (;;) {
    const free = Atomics.load(freeConnections, 0);
    if (free > 0) {
      if (Atomics.compareExchange(freeConnections, 0, free, free - 1) === free) {
        return;
      }
    } else {
      Atomics.wait(freeConnections, 0, free);
    }
  }
}

function release() {
  Atomics.add(freeConnections, 0, 1);
  Atomics.notify(freeConnections, 0, 1);
}

// SHA-256 over cpuIterations copies of the chunk (byte i = i mod 256), as lowercase hex: the same digest in every peer.
function hash() {
  const hasher = crypto.createHash('sha256');
  for (let i = 0; i < workerData.cpuIterations; i++) {
    hasher.update(chunk);
  }
  return hasher.digest('hex');
}

module.exports = (op) => {
  switch (op) {
    case 'sync':
      return 'sync';
    case 'warm':
      sleep(50);
      return 'warm';
    case 'slow':
      sleep(SLOW_MS);
      return 'slow';
    case 'cpu':
      return hash();
    case 'pool':
      acquire();
      try {
        sleep(SLOW_MS);
      } finally {
        release();
      }
      return 'pool';
    default:
      throw new Error(`unknown op ${op}`);
  }
};
