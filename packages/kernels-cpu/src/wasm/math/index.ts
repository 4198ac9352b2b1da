/**
 * The vectorised math functions of the SIMD kernels: op name → emitter of an internal
 * WebAssembly function over both halves of a kernel iteration — (lo, hi) → (lo, hi) for unary
 * ops, (a.lo, a.hi, b.lo, b.hi) → (lo, hi) for binary ones, all v128 — whose lanes give
 * exactly the float64 bits of the op's JavaScript definition in `semantics.ts`. A kernel module
 * contains only the functions its expression uses (and what they call), after the kernel itself.
 */

import type { FunctionBody, FunctionDef } from "../encoder.js";
import { ValType } from "../opcodes.js";
import { relaxedSimdAvailable } from "../relaxed-simd.js";
import { EXP_TABLE } from "./dd.js";
import { emitErf, emitErfc } from "./erf.js";
import { emitExp, emitExpm1 } from "./exp.js";
import { emitFastErf, emitFastErfc } from "./fast/erf.js";
import { emitFastExp, emitFastExpm1, expNonPositive } from "./fast/exp.js";
import { emitFastLog, emitFastLog1p } from "./fast/log.js";
import { emitFastLogaddexp, emitFastSigmoid } from "./fast/logistic.js";
import { emitFastSoftplus, emitFastTanhSoftplus } from "./fast/softplus.js";
import { emitFastTanh } from "./fast/tanh.js";
import { emitLog, emitLog1p } from "./log.js";
import { emitLogaddexp, emitSigmoid } from "./logistic.js";
import { emitTanh } from "./tanh.js";
import { ConstantPool, type V, VecBuilder } from "./vec.js";

/** Function indices of other math functions and helpers, for emitters that call them. */
export interface MathCalls {
  /**
   * The index of `name` from the calling function's own table, or from `precision`'s: a fast
   * function may defer to the reproducible one on a narrow range where its bound is not enough.
   */
  index(name: MathFunction | HelperFunction, precision?: MathPrecision): number;
}

interface MathDef {
  readonly arity: 1 | 2;
  readonly emit: (b: VecBuilder, calls: MathCalls) => V;
}

/** Transcriptions of the JavaScript path's algorithms: the same float64 bits. */
const REPRODUCIBLE = {
  exp: { arity: 1, emit: emitExp },
  expm1: { arity: 1, emit: emitExpm1 },
  log: { arity: 1, emit: emitLog },
  log1p: { arity: 1, emit: emitLog1p },
  sigmoid: { arity: 1, emit: emitSigmoid },
  logaddexp: { arity: 2, emit: emitLogaddexp },
  tanh: { arity: 1, emit: emitTanh },
  erf: { arity: 1, emit: emitErf },
  erfc: { arity: 1, emit: emitErfc },
} satisfies Record<string, MathDef>;

export type MathFunction = keyof typeof REPRODUCIBLE;

/**
 * Fast-only functions: two stand for a composition of ops (`fused-math.ts` picks them),
 * softplus = logaddexp(x, +0) and tanhSoftplus = tanh(logaddexp(x, +0)); expNonPositive is exp
 * for arguments ≤ 0 (or NaN) without overflow handling, for softmax's exp(x − max).
 */
export type FastOnlyFunction = "softplus" | "tanhSoftplus" | "expNonPositive";

/**
 * nnkit's error-bounded versions (`fast/`): each within 2^-33 of the exact value, relative (see
 * each file for its bound; test/fast-math.test.ts holds them to 2^-30), so a float32 result computed from them in
 * float64 and rounded once stays within 1 ulp of the exact value; not the JavaScript path's bits.
 */
const FAST: Record<MathFunction | FastOnlyFunction, MathDef> = {
  exp: { arity: 1, emit: emitFastExp },
  expm1: { arity: 1, emit: emitFastExpm1 },
  log: { arity: 1, emit: emitFastLog },
  log1p: { arity: 1, emit: emitFastLog1p },
  sigmoid: { arity: 1, emit: emitFastSigmoid },
  logaddexp: { arity: 2, emit: emitFastLogaddexp },
  tanh: { arity: 1, emit: emitFastTanh },
  erf: { arity: 1, emit: emitFastErf },
  erfc: { arity: 1, emit: emitFastErfc },
  softplus: { arity: 1, emit: emitFastSoftplus },
  tanhSoftplus: { arity: 1, emit: emitFastTanhSoftplus },
  expNonPositive: { arity: 1, emit: (b) => expNonPositive(b, b.param(0)) },
};

/**
 * Which vectorised math a module uses: "fast" (error-bounded polynomials) or "reproducible"
 * (the JavaScript path's bits).
 */
export type MathPrecision = "fast" | "reproducible";
export const MATH_PRECISIONS: readonly MathPrecision[] = ["fast", "reproducible"];
const TABLES: Record<MathPrecision, Partial<Record<MathFunction | FastOnlyFunction, MathDef>>> = {
  fast: FAST,
  reproducible: REPRODUCIBLE,
};

/** Functions with other signatures that the math functions call (no op of their own). */
const HELPERS = {
  expTable: EXP_TABLE,
} satisfies Record<string, { params: ValType[]; results: ValType[]; body: () => FunctionBody }>;

type HelperFunction = keyof typeof HELPERS;

/** Unary ops with a vector function. */
export const MATH_UNARY: ReadonlySet<string> = new Set(
  Object.entries(REPRODUCIBLE).flatMap(([name, d]) => (d.arity === 1 ? [name] : [])),
);
/** Binary ops with a vector function. */
export const MATH_BINARY: ReadonlySet<string> = new Set(
  Object.entries(REPRODUCIBLE).flatMap(([name, d]) => (d.arity === 2 ? [name] : [])),
);

/**
 * Functions that kernels call instead of inlining: erf and erfc are long enough that the call
 * costs little next to them, and inlined into a kernel loop they ran slower (gelu: 12.0 ms
 * called, 13.7 ms inlined, `scripts/bench-math.mjs`), the loop's register pressure being higher.
 */
const NOT_INLINED: ReadonlySet<string> = new Set(["erf", "erfc"]);

/**
 * The math functions of one module, numbered from `firstIndex` in the order they are first
 * used (a function's index is fixed before its body is emitted, so it may call others).
 */
export class MathLibrary implements MathCalls {
  private readonly defs: (FunctionDef | undefined)[] = [];
  private readonly indices = new Map<string, number>();
  private readonly pool = new ConstantPool();

  /**
   * @param fusedMultiplyAdd whether the fast functions' polynomials use relaxed_madd (by
   * default where the engine has it); the reproducible functions never do.
   */
  constructor(
    private readonly firstIndex: number,
    private readonly precision: MathPrecision = "fast",
    private readonly fusedMultiplyAdd = relaxedSimdAvailable(),
  ) {}

  /** Whether this library's fast functions use relaxed_madd. */
  get usesFusedMultiplyAdd(): boolean {
    return this.fusedMultiplyAdd && this.precision === "fast";
  }

  /** Builder options for a function of `precision`'s table. */
  private builderOptions(precision: MathPrecision) {
    return { fusedMultiplyAdd: this.fusedMultiplyAdd && precision === "fast" };
  }

  /** The function index of `name`, emitting it (and what it calls) on first use. */
  index(name: MathFunction | HelperFunction | string, precision = this.precision): number {
    const helper = (HELPERS as Record<string, (typeof HELPERS)[HelperFunction]>)[name];
    // Helpers are the same in every table; a function is keyed by its table too.
    const key = helper !== undefined ? name : `${precision}:${name}`;
    const known = this.indices.get(key);
    if (known !== undefined) return known;
    const slot = this.defs.length;
    this.defs.push(undefined);
    const index = this.firstIndex + slot;
    this.indices.set(key, index);
    if (helper !== undefined) {
      this.defs[slot] = { params: helper.params, results: helper.results, body: helper.body() };
      return index;
    }
    const def = (TABLES[precision] as Record<string, MathDef>)[name];
    if (def === undefined) throw new Error(`internal: no vector function for ${name}`);
    // What the function calls resolves in its own table unless it names another.
    const calls: MathCalls = { index: (n, p = precision) => this.index(n, p) };
    const b = new VecBuilder(def.arity, this.pool, this.builderOptions(precision));
    const body = b.finish(def.emit(b, calls));
    const params = Array<ValType>(2 * def.arity).fill(ValType.v128);
    this.defs[slot] = { params, results: [ValType.v128, ValType.v128], body };
    return index;
  }

  /** Whether kernels should inline `name` rather than call it (see NOT_INLINED). */
  inlines(name: MathFunction | FastOnlyFunction): boolean {
    return !NOT_INLINED.has(name);
  }

  /**
   * Emits `name` inline into `body` on the argument locals `args` (each a [low, high] pair of
   * v128 locals of `body`) and returns the locals of its result. What it calls is still called.
   */
  inline(
    name: MathFunction | FastOnlyFunction,
    body: FunctionBody,
    args: readonly (readonly [number, number])[],
  ): [number, number] {
    const def = TABLES[this.precision][name];
    if (def === undefined) throw new Error(`internal: no vector function for ${name}`);
    const calls: MathCalls = { index: (n, p = this.precision) => this.index(n, p) };
    const b = new VecBuilder(def.arity, this.pool, {
      host: { body, args },
      ...this.builderOptions(this.precision),
    });
    return b.result(def.emit(b, calls));
  }

  /** The constants the functions read, for `encodeModule` (as globals 0, 1, …). */
  constants(): readonly Uint8Array[] {
    return this.pool.list();
  }

  /** The emitted functions, in index order. */
  functions(): FunctionDef[] {
    return this.defs.map((d) => {
      if (d === undefined) throw new Error("internal: math function still being emitted");
      return d;
    });
  }
}
