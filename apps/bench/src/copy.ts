import type { Contestant, LoadedInput, Workload } from "./contestant.js";

function copyContestant(id: string, label: string, what: string, fresh: boolean): Contestant {
  return {
    id,
    kind: "baseline",
    label,
    packages: "Float32Array.prototype.set (V8)",
    async init() {
      return { what };
    },
    async load(data): Promise<LoadedInput> {
      return {
        async setup(): Promise<Workload> {
          let out: Float32Array | undefined = new Float32Array(data.length);
          return {
            run: fresh
              ? () => {
                  out = new Float32Array(data.length);
                  out.set(data);
                }
              : () => {
                  out?.set(data);
                },
            async output() {
              return (out as Float32Array).slice();
            },
            dispose() {
              out = undefined;
            },
          };
        },
        dispose() {},
      };
    },
    async close() {},
  };
}

/**
 * The machine's own speed for moving the same bytes: `Float32Array.prototype.set` of the
 * input into a preallocated output of the same length (a memcpy inside V8). An elementwise
 * function reads and writes at least these bytes, so nnkit / copy says how far nnkit is from
 * the memory-bound floor. The same in both regimes.
 */
export const copyBaseline = copyContestant(
  "copy",
  "copy",
  "Float32Array.prototype.set of the input into a preallocated output",
  false,
);

/**
 * The same copy into a newly allocated Float32Array each call: what producing a new JS array
 * of that size costs here, first-touch page faults included. A library that allocates its
 * output per call cannot beat this; one that reuses memory (a pool, a wasm heap) can.
 */
export const freshCopyBaseline = copyContestant(
  "fresh-copy",
  "fresh copy",
  "new Float32Array(n) then .set(input), every call",
  true,
);
