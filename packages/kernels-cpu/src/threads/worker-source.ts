import { claimChunk, Slot } from "./protocol.js";

/**
 * The kernel worker's code, as one self-contained script string: Node runs it with
 * `new Worker(source, { eval: true })`, browsers from a Blob URL, so the package needs no
 * separate worker file that every bundler would have to find.
 *
 * A worker instantiates each kernel module it is sent against the shared heap memory and, each
 * time GENERATION is rung, claims and runs chunks of the current job until none is left (see
 * protocol.ts). How it waits differs:
 * - Node: a blocking `Atomics.wait` (a futex: the fastest wake-up). Blocked, the worker cannot
 *   receive messages, so kernels come on a MessagePort it drains synchronously with
 *   `receiveMessageOnPort` whenever it wakes; the main thread rings GENERATION after posting.
 * - Browsers (no `receiveMessageOnPort`): `Atomics.waitAsync`, which leaves the event loop free
 *   to receive kernels as ordinary messages.
 */
export function workerSource(): string {
  return `"use strict";
const GENERATION = ${Slot.GENERATION}, CLAIM = ${Slot.CLAIM}, KERNEL = ${Slot.KERNEL},
  ARGC = ${Slot.ARGC}, ITEMS = ${Slot.ITEMS}, ITEM_BYTES = ${Slot.ITEM_BYTES},
  CHUNK_ITEMS = ${Slot.CHUNK_ITEMS}, CHUNKS = ${Slot.CHUNKS}, DONE_CHUNKS = ${Slot.DONE_CHUNKS},
  ACK = ${Slot.ACK};
const claimChunk = ${claimChunk.toString()};
const node = typeof self === "undefined" && typeof require === "function";
const threads = node ? require("node:worker_threads") : undefined;
const port = node ? threads.parentPort : self;
let ctl, args, memory, index, mail;
const kernels = [];

function addKernel(m) {
  const instance = new WebAssembly.Instance(m.module, { env: { memory } });
  kernels[m.id] = { run: instance.exports[m.entry ?? "kernel"], slicing: m };
  Atomics.store(ctl, ACK + index, m.id + 1);
}

/** Runs chunks of the published job until none is left. */
function work() {
  const generation = Atomics.load(ctl, CLAIM) >>> 20;
  const k = kernels[Atomics.load(ctl, KERNEL)];
  if (k === undefined) return;
  const call = Array.from(args.subarray(0, Atomics.load(ctl, ARGC)));
  const items = Atomics.load(ctl, ITEMS);
  const step = Atomics.load(ctl, ITEM_BYTES);
  const per = Atomics.load(ctl, CHUNK_ITEMS);
  const chunks = Atomics.load(ctl, CHUNKS);
  const s = k.slicing;
  for (let c = claimChunk(ctl, generation); c >= 0; c = claimChunk(ctl, generation)) {
    const start = c * per;
    const end = Math.min(items, start + per);
    const sliced = call.slice();
    for (const q of s.pointers) sliced[q] += start * step;
    sliced[s.lengthArg] = (end - start) * s.lengthPerItem;
    if (s.threadArg !== undefined) sliced[s.threadArg] = index + 1;
    k.run(...sliced);
    if (Atomics.add(ctl, DONE_CHUNKS, 1) + 1 === chunks) Atomics.notify(ctl, DONE_CHUNKS);
  }
}

function blockingLoop() {
  let seen = Atomics.load(ctl, GENERATION);
  for (;;) {
    Atomics.wait(ctl, GENERATION, seen, 1000);
    for (let r = threads.receiveMessageOnPort(mail); r; r = threads.receiveMessageOnPort(mail)) {
      addKernel(r.message);
    }
    const generation = Atomics.load(ctl, GENERATION);
    if (generation === seen) continue;
    seen = generation;
    work();
  }
}

async function asyncLoop() {
  let seen = Atomics.load(ctl, GENERATION);
  for (;;) {
    const wait = Atomics.waitAsync(ctl, GENERATION, seen);
    if (wait.async) await wait.value;
    const generation = Atomics.load(ctl, GENERATION);
    if (generation === seen) continue;
    seen = generation;
    work();
  }
}

function onMessage(m) {
  if (m.type === "init") {
    ctl = new Int32Array(m.control);
    args = new Float64Array(m.args);
    memory = m.memory;
    index = m.index;
    mail = m.mail;
    if (mail) blockingLoop();
    else asyncLoop();
  } else if (m.type === "kernel") {
    addKernel(m);
  }
}
if (node) port.on("message", onMessage);
else port.addEventListener("message", (e) => onMessage(e.data));
`;
}
