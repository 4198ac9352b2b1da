import {
  add,
  arange,
  array,
  astype,
  broadcastTo,
  concatenate,
  type DType,
  expandDims,
  full,
  max,
  type Array as NdArray,
  ones,
  reshape,
  setDefaultDevice,
  split,
  squeeze,
  sum,
  transpose,
  where,
  zeros,
} from "@nnkit/core";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { SuiteOptions } from "../../context.js";
import { expectNnkitError, expectNnkitRejection } from "./expect.js";

// A dtype name nnkit does not have, smuggled past the type checker as a user without types would.
const FLOAT64 = "float64" as unknown as DType;

/**
 * Each bad call throws an NnkitError that names the function and the problem, and allocates
 * nothing (expectNnkitError compares live buffers before and after).
 */
export function defineBadInputSuite(_options: SuiteOptions): void {
  describe("bad input", () => {
    let m23: NdArray;
    let v4: NdArray;
    let v3: NdArray;
    let v5: NdArray;
    let m22: NdArray;
    let s0: NdArray;
    // Made up front: an upload inside a rejected call would count as a live buffer.
    beforeAll(() => {
      m23 = arange(6).reshape([2, 3]);
      m22 = arange(4).reshape([2, 2]);
      v3 = arange(3);
      v4 = arange(4);
      v5 = arange(5);
      s0 = array(1);
    });
    afterAll(() => {
      for (const a of [m23, m22, v3, v4, v5, s0]) a.dispose();
    });

    it("shapes that do not broadcast", () => {
      expectNnkitError(() => add(m23, v4), "add", "cannot be broadcast", "(2, 3)", "(4,)");
      expectNnkitError(() => m23.multiply(v4), "multiply", "cannot be broadcast");
      expectNnkitError(() => where(v3, m23, v4), "where", "cannot be broadcast");
      expectNnkitError(() => where(v4, 1, 0).add(m23), "add", "cannot be broadcast");
      expectNnkitError(() => broadcastTo(m23, [3, 3]), "broadcastTo", "(2, 3)");
      expectNnkitError(() => broadcastTo(m23, [3]), "broadcastTo", "(2, 3)", "(3,)");
    });

    it("shapes that do not broadcast, given as nested arrays", () => {
      // The inputs must not be left on the device when the op rejects them.
      expectNnkitError(() => add([1, 2, 3], [1, 2]), "add", "cannot be broadcast");
      expectNnkitError(() => where([true, false], [1, 2, 3], 0), "where", "cannot be broadcast");
    });

    it("axis out of range", () => {
      expectNnkitError(() => sum(m23, 2), "sum", "axis 2", "out of range");
      expectNnkitError(() => sum(m23, -3), "sum", "axis -3", "out of range");
      expectNnkitError(() => m23.max([0, 5]), "max", "axis 5", "out of range");
      expectNnkitError(() => max(m23, [0, -2]), "max", "same axis");
      expectNnkitError(() => split(m23, 2, 2), "split", "axis 2", "out of range");
      expectNnkitError(() => concatenate([m23, m23], 2), "concatenate", "axis 2", "out of range");
      expectNnkitError(() => concatenate([m23, m23], -3), "concatenate", "axis -3", "out of range");
      expectNnkitError(() => expandDims(v3, 2), "expandDims", "axis 2", "out of range");
      expectNnkitError(() => expandDims(v3, -3), "expandDims", "axis -3", "out of range");
      expectNnkitError(() => squeeze(m23, 2), "squeeze", "axis 2", "out of range");
      expectNnkitError(() => transpose(m23, [0, 2]), "transpose", "2", "out of range");
      expectNnkitError(() => sum(s0, 0), "sum", "0-d");
    });

    it("transpose needs a permutation of every axis", () => {
      expectNnkitError(() => transpose(m23, [0]), "transpose", "each of the 2 axes");
      expectNnkitError(() => transpose(m23, [1, 1]), "transpose", "same axis");
      expectNnkitError(() => transpose(m23, [0, 1, 2]), "transpose");
    });

    it("squeeze of an axis whose size is not 1", () => {
      expectNnkitError(() => squeeze(m23, 0), "squeeze", "axis 0", "size is 2");
      expectNnkitError(() => m23.squeeze(-1), "squeeze", "size is 3");
    });

    it("split into unequal parts", () => {
      expectNnkitError(() => split(v5, 2), "split", "size 5", "2 equal parts");
      expectNnkitError(() => split(m23, 2, 1), "split", "size 3", "2 equal parts");
      expectNnkitError(() => split(v4, 0), "split", "positive integer");
    });

    it("concatenate of shapes that differ outside the axis", () => {
      expectNnkitError(() => concatenate([m23, v3]), "concatenate", "arrays[1]", "(3,)", "(2, 3)");
      expectNnkitError(() => concatenate([m23, m22], 0), "concatenate", "does not match");
      expectNnkitError(() => concatenate([]), "concatenate", "non-empty");
    });

    it("unknown dtype", () => {
      expectNnkitError(() => array([1, 2], FLOAT64), "array", "dtype", '"float64"');
      expectNnkitError(() => astype(m23, FLOAT64), "astype", "dtype", '"float64"');
      expectNnkitError(() => m23.astype(FLOAT64), "astype", "dtype", '"float64"');
      expectNnkitError(() => zeros([2], FLOAT64), "zeros", "dtype", '"float64"');
      expectNnkitError(() => ones([2], FLOAT64), "ones", "dtype", '"float64"');
      expectNnkitError(() => full([2], 1, FLOAT64), "full", "dtype", '"float64"');
    });

    it("ragged nested arrays", () => {
      expectNnkitError(() => array([[1, 2], [3]]), "array", "ragged");
      expectNnkitError(() => array([[[1], [2]], [[3]]]), "array", "ragged");
      expectNnkitError(() => array([[1, 2], 3] as unknown as number[][]), "array", "rectangular");
      expectNnkitError(() => array([1, "2"] as unknown as number[]), "array", '"2"');
    });

    it("reshape to a different size", () => {
      expectNnkitError(() => reshape(m23, [4]), "reshape", "(2, 3)", "(4,)");
      expectNnkitError(() => m23.reshape([5, -1]), "reshape", "-1");
      expectNnkitError(() => reshape(m23, [-1, -1]), "reshape", "only one");
      expectNnkitError(() => reshape(m23, [2, 1.5]), "reshape", "shape");
    });

    it("bad shapes for creation", () => {
      expectNnkitError(() => zeros([2, -1]), "zeros", "shape");
      expectNnkitError(() => ones([2.5]), "ones", "shape");
      expectNnkitError(() => full([1.5], 0), "full", "shape");
    });

    it("setDefaultDevice of an unregistered backend", async () => {
      await expectNnkitRejection(
        () => setDefaultDevice("no-such-backend"),
        "setDefaultDevice",
        '"no-such-backend"',
      );
    });
  });
}
