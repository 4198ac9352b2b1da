/**
 * The vectorised math functions of the SIMD kernels: op name → emitter of an internal
 * WebAssembly function over both halves of a kernel iteration — (lo, hi) → (lo, hi) for unary
 * ops, (a.lo, a.hi, b.lo, b.hi) → (lo, hi) for binary ones, all v128 — whose lanes give
 * exactly the float64 bits of the op's JavaScript definition in `semantics.ts`. A kernel module
 * contains only the functions its expression uses (and what they call), after the kernel itself.
 */

import type { FunctionBody, FunctionDef } from "../encoder.js";
import { ValType } from "../opcodes.js";
import { EXP_TABLE } from "./dd.js";
import { emitErf, emitErfc } from "./erf.js";
import { emitExp, emitExpm1 } from "./exp.js";
import { emitLog, emitLog1p } from "./log.js";
import { emitLogaddexp, emitSigmoid } from "./logistic.js";
import { emitTanh } from "./tanh.js";
import { ConstantPool, type V, VecBuilder } from "./vec.js";

/** Function indices of other math functions and helpers, for emitters that call them. */
export interface MathCalls {
  index(name: MathFunction | HelperFunction): number;
}

interface MathDef {
  readonly arity: 1 | 2;
  readonly emit: (b: VecBuilder, calls: MathCalls) => V;
}

const DEFS = {
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

export type MathFunction = keyof typeof DEFS;

/** Functions with other signatures that the math functions call (no op of their own). */
const HELPERS = {
  expTable: EXP_TABLE,
} satisfies Record<string, { params: ValType[]; results: ValType[]; body: () => FunctionBody }>;

type HelperFunction = keyof typeof HELPERS;

/** Unary ops with a vector function. */
export const MATH_UNARY: ReadonlySet<string> = new Set(
  Object.entries(DEFS).flatMap(([name, d]) => (d.arity === 1 ? [name] : [])),
);
/** Binary ops with a vector function. */
export const MATH_BINARY: ReadonlySet<string> = new Set(
  Object.entries(DEFS).flatMap(([name, d]) => (d.arity === 2 ? [name] : [])),
);

/**
 * The math functions of one module, numbered from `firstIndex` in the order they are first
 * used (a function's index is fixed before its body is emitted, so it may call others).
 */
export class MathLibrary implements MathCalls {
  private readonly defs: (FunctionDef | undefined)[] = [];
  private readonly indices = new Map<string, number>();
  private readonly pool = new ConstantPool();

  constructor(private readonly firstIndex: number) {}

  /** The function index of `name`, emitting it (and what it calls) on first use. */
  index(name: MathFunction | HelperFunction | string): number {
    const known = this.indices.get(name);
    if (known !== undefined) return known;
    const slot = this.defs.length;
    this.defs.push(undefined);
    const index = this.firstIndex + slot;
    this.indices.set(name, index);
    const helper = (HELPERS as Record<string, (typeof HELPERS)[HelperFunction]>)[name];
    if (helper !== undefined) {
      this.defs[slot] = { params: helper.params, results: helper.results, body: helper.body() };
      return index;
    }
    const def = (DEFS as Record<string, MathDef>)[name];
    if (def === undefined) throw new Error(`internal: no vector function for ${name}`);
    const b = new VecBuilder(def.arity, this.pool);
    const body = b.finish(def.emit(b, this));
    const params = Array<ValType>(2 * def.arity).fill(ValType.v128);
    this.defs[slot] = { params, results: [ValType.v128, ValType.v128], body };
    return index;
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
