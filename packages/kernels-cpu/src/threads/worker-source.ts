import { DONE, partRange, Slot } from "./protocol.js";

/**
 * The kernel worker's code, as one self-contained script string: Node runs it with
 * `new Worker(source, { eval: true })`, browsers from a Blob URL, so the package needs no
 * separate worker file that every bundler would have to find.
 *
 * A worker instantiates each kernel module it is sent against the shared heap memory and runs
 * its part of each job announced on the control block's GENERATION slot. How it waits differs:
 * - Node: a blocking `Atomics.wait` (a futex: the fastest wake-up). Blocked, the worker cannot
 *   receive messages, so kernels come on a MessagePort it drains synchronously with
 *   `receiveMessageOnPort` whenever it wakes; the main thread rings GENERATION after posting.
 * - Browsers (no `receiveMessageOnPort`): `Atomics.waitAsync`, which leaves the event loop free
 *   to receive kernels as ordinary messages.
 */
export function workerSource(): string {
  return `"use strict";
const GENERATION = ${Slot.GENERATION}, PENDING = ${Slot.PENDING}, KERNEL = ${Slot.KERNEL},
  ARGC = ${Slot.ARGC}, ITEMS = ${Slot.ITEMS}, ITEM_BYTES = ${Slot.ITEM_BYTES}, PARTS = ${Slot.PARTS}, ACK = ${Slot.ACK}, DONE = ${DONE};
const partRange = ${partRange.toString()};
const node = typeof self === "undefined" && typeof require === "function";
const threads = node ? require("node:worker_threads") : undefined;
const port = node ? threads.parentPort : self;
let ctl, args, memory, index, mail;
const kernels = [];

function addKernel(m) {
  const instance = new WebAssembly.Instance(m.module, { env: { memory } });
  kernels[m.id] = { run: instance.exports.kernel, slicing: m };
  Atomics.store(ctl, ACK + index, m.id + 1);
}

function runPart(generation) {
  try {
    const k = kernels[Atomics.load(ctl, KERNEL)];
    const argc = Atomics.load(ctl, ARGC);
    const [start, end] = partRange(Atomics.load(ctl, ITEMS), index + 1, Atomics.load(ctl, PARTS));
    const call = Array.from(args.subarray(0, argc));
    const s = k.slicing;
    const step = Atomics.load(ctl, ITEM_BYTES);
    for (const q of s.pointers) call[q] += start * step;
    call[s.lengthArg] = (end - start) * s.lengthPerItem;
    if (end > start) k.run(...call);
    Atomics.store(ctl, DONE + index, generation);
  } finally {
    // A part that threw is not DONE: the main thread computes it itself.
    if (Atomics.sub(ctl, PENDING, 1) === 1) Atomics.notify(ctl, PENDING);
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
    runPart(generation);
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
    runPart(generation);
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
