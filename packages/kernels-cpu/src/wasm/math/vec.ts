import { FunctionBody } from "../encoder.js";
import { Op, Simd, ValType, VOID_BLOCK } from "../opcodes.js";

/**
 * A value inside a function being built: a handle to a pair of f64x2 locals, the kernel's low
 * and high halves (four float32 inputs promoted to two vectors). Every operation is emitted
 * twice, once per half, back to back: the two independent dependency chains interleave, which
 * matters because these functions are long serial chains (Horner, double-double) limited by
 * latency, not throughput. Every operation writes fresh locals (single assignment), so the
 * emitters read like the scalar code they transcribe and V8's optimiser sees plain data flow.
 */
export type V = number;

/** Byte lanes: the low 32 bits of each i64 lane moved to i32 lanes 0 and 1 (for convert_low). */
const I64_LOWS = [0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11];

/** The double whose high 32 bits are `high` and low 32 bits zero (fdlibm's word thresholds). */
export function highWord(high: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, high >>> 0);
  return view.getFloat64(0);
}

/**
 * The module's constant vectors, as immutable v128 globals shared by all its math functions.
 * (A `v128.const` in the code is rebuilt from immediates at every call — several instructions
 * each on x64 — while a global is one load.)
 */
export class ConstantPool {
  private readonly indices = new Map<string, number>();
  private readonly values: Uint8Array[] = [];

  /** The global index holding `bytes` (`key` identifies the value). */
  index(key: string, bytes: Uint8Array): number {
    let i = this.indices.get(key);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(bytes);
      this.indices.set(key, i);
    }
    return i;
  }

  /** The constants, in global index order. */
  list(): readonly Uint8Array[] {
    return this.values;
  }
}

/**
 * Builds a function over pairs of v128 values (see `V`): f64x2 arithmetic in IEEE order (no
 * fused or reassociated operations: `mul(a, b)` is exactly one rounding, as `a * b` in
 * JavaScript), lane masks from comparisons, `select` for what scalar code does with branches,
 * and i64x2 operations on the raw bits for exponent manipulation. The function takes
 * 2 × `arity` v128 parameters (argument i's halves are parameters 2i and 2i + 1) and returns
 * its result's two halves.
 */
export class VecBuilder {
  readonly body: FunctionBody;
  /** The locals behind each handle: [low half, high half] (the same local for constants). */
  private readonly pairs: [number, number][] = [];
  /** Constant handles by value, one map per open `when` block (innermost last). */
  private readonly constants: Map<string, V>[] = [new Map()];

  /**
   * A builder for a new function of `arity` arguments, or, given `host`, one that emits inline
   * into the host function's body, its arguments being the host's locals `host.args` (a math
   * function inlined into a kernel loop: no call, whose ABI spills every live vector register).
   */
  /** Whether `madd` (and so `estrin`) emits f64x2.relaxed_madd; else a multiply and an add. */
  readonly fusedMultiplyAdd: boolean;

  constructor(
    readonly arity: number,
    private readonly pool: ConstantPool,
    options: {
      readonly host?: {
        readonly body: FunctionBody;
        readonly args: readonly (readonly [number, number])[];
      };
      /** Only for error-bounded code: relaxed_madd's rounding differs by engine and machine. */
      readonly fusedMultiplyAdd?: boolean;
    } = {},
  ) {
    const host = options.host;
    this.fusedMultiplyAdd = options.fusedMultiplyAdd ?? false;
    this.body = host?.body ?? new FunctionBody(2 * arity);
    for (let i = 0; i < arity; i++) {
      const arg = host?.args[i];
      this.pairs.push(arg ? [arg[0], arg[1]] : [2 * i, 2 * i + 1]);
    }
  }

  /** The i-th argument. */
  param(i: number): V {
    return i;
  }

  private locals(v: V): [number, number] {
    const pair = this.pairs[v];
    if (pair === undefined) throw new Error(`internal: no value ${v}`);
    return pair;
  }

  private handle(lo: number, hi: number): V {
    this.pairs.push([lo, hi]);
    return this.pairs.length - 1;
  }

  /** Emits `push(side)` (leaving one v128) for each half into fresh locals. */
  private each(push: (side: 0 | 1) => void): V {
    const out = [0, 1].map((side) => {
      push(side as 0 | 1);
      const local = this.body.local(ValType.v128);
      this.body.set(local);
      return local;
    });
    return this.handle(out[0] as number, out[1] as number);
  }

  private binary(op: number, a: V, b: V): V {
    const [pa, pb] = [this.locals(a), this.locals(b)];
    return this.each((s) => this.body.get(pa[s]).get(pb[s]).simd(op));
  }

  private unary(op: number, a: V): V {
    const pa = this.locals(a);
    return this.each((s) => this.body.get(pa[s]).simd(op));
  }

  /**
   * A constant, read from its global once per block: a local set inside a `when` block is not
   * set where the block is skipped, so later code outside the block reads its own.
   */
  private constant(key: string, bytes: Uint8Array): V {
    for (const scope of this.constants) {
      const cached = scope.get(key);
      if (cached !== undefined) return cached;
    }
    this.body.op(Op.globalGet).code.u32(this.pool.index(key, bytes));
    const local = this.body.local(ValType.v128);
    this.body.set(local);
    const v = this.handle(local, local);
    this.constants[this.constants.length - 1]?.set(key, v);
    return v;
  }

  /**
   * Runs the code that `compute` emits only when some lane of `mask` is set, and returns its
   * results (undefined in lanes — or whole vectors — where the mask is clear: callers select
   * them by the same mask). For expensive branches of the scalar code that most vectors skip.
   */
  when<T extends V[]>(mask: V, compute: () => T): T {
    const [lo, hi] = this.locals(mask);
    this.body.get(lo).get(hi).simd(Simd.v128Or).simd(Simd.v128AnyTrue);
    this.body.op(Op.if).code.byte(VOID_BLOCK);
    this.constants.push(new Map());
    const inner = compute();
    this.constants.pop();
    const results = inner.map((v) => {
      const p = this.locals(v);
      return this.each((s) => this.body.get(p[s]));
    }) as T;
    this.body.op(Op.end);
    return results;
  }

  /** `value` in both f64 lanes. */
  f64(value: number): V {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setFloat64(0, value, true);
    view.setFloat64(8, value, true);
    return this.constant(`f${Object.is(value, -0) ? "-0" : value}`, bytes);
  }

  /** `value` in both i64 lanes. */
  i64(value: bigint): V {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setBigInt64(0, value, true);
    view.setBigInt64(8, value, true);
    return this.constant(`i${value}`, bytes);
  }

  // f64x2 arithmetic, each exactly rounded.
  add(a: V, b: V): V {
    return this.binary(Simd.f64x2Add, a, b);
  }
  sub(a: V, b: V): V {
    return this.binary(Simd.f64x2Sub, a, b);
  }
  mul(a: V, b: V): V {
    return this.binary(Simd.f64x2Mul, a, b);
  }
  div(a: V, b: V): V {
    return this.binary(Simd.f64x2Div, a, b);
  }
  /** Math.max / Math.min: NaN wins, max(+0, -0) = +0. */
  max(a: V, b: V): V {
    return this.binary(Simd.f64x2Max, a, b);
  }
  min(a: V, b: V): V {
    return this.binary(Simd.f64x2Min, a, b);
  }
  /**
   * `b < a ? b : a` (wasm's pmin): one instruction, where min is several on x86. With a
   * constant `b` that is not NaN it clamps and keeps a NaN `a`.
   */
  pmin(a: V, b: V): V {
    return this.binary(Simd.f64x2Pmin, a, b);
  }
  /** `a < b ? b : a` (wasm's pmax): the clamp from below, keeping a NaN `a`. */
  pmax(a: V, b: V): V {
    return this.binary(Simd.f64x2Pmax, a, b);
  }
  neg(a: V): V {
    return this.unary(Simd.f64x2Neg, a);
  }
  abs(a: V): V {
    return this.unary(Simd.f64x2Abs, a);
  }
  trunc(a: V): V {
    return this.unary(Simd.f64x2Trunc, a);
  }
  ceil(a: V): V {
    return this.unary(Simd.f64x2Ceil, a);
  }
  /** Math.round: ceil(a), less one where that is more than a half above a (ties go up). */
  round(a: V): V {
    const c = this.ceil(a);
    return this.select(this.gt(this.sub(c, this.f64(0.5)), a), this.sub(c, this.f64(1)), c);
  }

  /** Horner's rule c[0] + t*(c[1] + t*(c[2] + ...)), in the scalar code's association. */
  horner(t: V, coefficients: readonly number[]): V {
    return this.hornerOf(t, this.f64s(coefficients));
  }

  /**
   * a·b + c: one f64x2.relaxed_madd where the builder may use it (one rounding or two, by
   * engine), else a multiply and an add (two roundings).
   */
  madd(a: V, b: V, c: V): V {
    if (!this.fusedMultiplyAdd) return this.add(c, this.mul(a, b));
    const [pa, pb, pc] = [this.locals(a), this.locals(b), this.locals(c)];
    return this.each((s) => this.body.get(pa[s]).get(pb[s]).get(pc[s]).simd(Simd.f64x2RelaxedMadd));
  }

  /**
   * c[0] + c[1]·t + … by Estrin's scheme: pairs c[2i] + c[2i+1]·t combined with t², t⁴, …
   * The same operations as Horner's rule, plus the powers of t, but a dependency chain of
   * about log2(n) multiply-adds instead of n: the fast math is limited by latency, not
   * throughput (a different association than Horner, so not for the reproducible functions).
   * Its multiply-adds are `madd`s.
   */
  estrin(t: V, coefficients: readonly number[]): V {
    let terms = coefficients.map((c) => this.f64(c));
    let power = t;
    while (terms.length > 1) {
      const next: V[] = [];
      for (let i = 0; i < terms.length; i += 2) {
        const hi = terms[i + 1];
        next.push(hi === undefined ? (terms[i] as V) : this.madd(power, hi, terms[i] as V));
      }
      terms = next;
      if (terms.length > 1) power = this.mul(power, power);
    }
    return terms[0] as V;
  }

  /** The constants `values`, in order. */
  f64s(values: ArrayLike<number>): V[] {
    return Array.from(values, (v) => this.f64(v));
  }

  /** `horner` with coefficient vectors (which may differ per lane). */
  hornerOf(t: V, coefficients: readonly V[]): V {
    const n = coefficients.length;
    let acc = coefficients[n - 1] as V;
    for (let i = n - 2; i >= 0; i--) acc = this.add(coefficients[i] as V, this.mul(t, acc));
    return acc;
  }

  /**
   * Per-lane polynomial coefficients, highest degree first: `ifTrue`'s where `mask` is set,
   * else `ifFalse`'s. The shorter list gets leading zeros, which leave both Horner schemes'
   * results unchanged bit for bit at a positive argument (see ratioDD).
   */
  coefficients(mask: V, ifTrue: ArrayLike<number>, ifFalse: ArrayLike<number>): V[] {
    const n = Math.max(ifTrue.length, ifFalse.length);
    const at = (c: ArrayLike<number>, i: number) => {
      const j = i - (n - c.length);
      return j >= 0 ? (c[j] as number) : 0;
    };
    return Array.from({ length: n }, (_, i) => {
      const a = at(ifTrue, i);
      const b = at(ifFalse, i);
      return a === b ? this.f64(a) : this.select(mask, this.f64(a), this.f64(b));
    });
  }

  // f64x2 comparisons: all-ones lanes where true (false for NaN, but `ne`).
  eq(a: V, b: V): V {
    return this.binary(Simd.f64x2Eq, a, b);
  }
  ne(a: V, b: V): V {
    return this.binary(Simd.f64x2Ne, a, b);
  }
  lt(a: V, b: V): V {
    return this.binary(Simd.f64x2Lt, a, b);
  }
  le(a: V, b: V): V {
    return this.binary(Simd.f64x2Le, a, b);
  }
  gt(a: V, b: V): V {
    return this.binary(Simd.f64x2Gt, a, b);
  }
  ge(a: V, b: V): V {
    return this.binary(Simd.f64x2Ge, a, b);
  }

  // Bitwise.
  and(a: V, b: V): V {
    return this.binary(Simd.v128And, a, b);
  }
  or(a: V, b: V): V {
    return this.binary(Simd.v128Or, a, b);
  }
  xor(a: V, b: V): V {
    return this.binary(Simd.v128Xor, a, b);
  }
  /** a & ~b. */
  andNot(a: V, b: V): V {
    return this.binary(Simd.v128Andnot, a, b);
  }
  not(a: V): V {
    return this.unary(Simd.v128Not, a);
  }
  /** Lane-wise `mask ? ifTrue : ifFalse` (mask lanes all ones or all zeros). */
  select(mask: V, ifTrue: V, ifFalse: V): V {
    const [m, t, f] = [this.locals(mask), this.locals(ifTrue), this.locals(ifFalse)];
    return this.each((s) => this.body.get(t[s]).get(f[s]).get(m[s]).simd(Simd.v128Bitselect));
  }
  /** |magnitude| with the sign of `sign`. */
  copysign(magnitude: V, sign: V): V {
    const signBit = this.i64(-0x8000000000000000n);
    return this.or(this.andNot(magnitude, signBit), this.and(sign, signBit));
  }

  // i64x2 on the raw bits.
  iadd(a: V, b: V): V {
    return this.binary(Simd.i64x2Add, a, b);
  }
  isub(a: V, b: V): V {
    return this.binary(Simd.i64x2Sub, a, b);
  }
  ieq(a: V, b: V): V {
    return this.binary(Simd.i64x2Eq, a, b);
  }
  ilt(a: V, b: V): V {
    return this.binary(Simd.i64x2LtS, a, b);
  }
  igt(a: V, b: V): V {
    return this.binary(Simd.i64x2GtS, a, b);
  }
  private shift(op: number, a: V, count: number): V {
    const pa = this.locals(a);
    return this.each((s) => {
      this.body.get(pa[s]).op(Op.i32Const).code.i32(count);
      this.body.simd(op);
    });
  }
  shl(a: V, count: number): V {
    return this.shift(Simd.i64x2Shl, a, count);
  }
  shrU(a: V, count: number): V {
    return this.shift(Simd.i64x2ShrU, a, count);
  }
  shrS(a: V, count: number): V {
    return this.shift(Simd.i64x2ShrS, a, count);
  }

  /** i64 lanes from f64 lanes (truncated toward zero; magnitudes below 2^31). */
  toI64(a: V): V {
    const pa = this.locals(a);
    return this.each((s) =>
      this.body.get(pa[s]).simd(Simd.i32x4TruncSatF64x2SZero).simd(Simd.i64x2ExtendLowI32x4S),
    );
  }
  /** f64 lanes from i64 lanes whose values fit in int32 (exact). */
  toF64(a: V): V {
    const pa = this.locals(a);
    return this.each((s) => {
      this.body.get(pa[s]).get(pa[s]).simd(Simd.i8x16Shuffle).code.raw(I64_LOWS);
      this.body.simd(Simd.f64x2ConvertLowI32x4S);
    });
  }
  /** 2^k for i64 lanes k in [-1022, 1023] (builds the exponent field). */
  pow2(k: V): V {
    return this.shl(this.iadd(k, this.i64(1023n)), 52);
  }
  /** `bits` with its high 32 bits replaced by the (i64 lane) values `high`. */
  setHighWord(bits: V, high: V): V {
    return this.or(this.and(bits, this.i64(0xffffffffn)), this.shl(high, 32));
  }

  /**
   * Looks up every lane's i64 value `j` in the function `table` (i32 → v128 holding a pair of
   * doubles); returns the pairs' first and second doubles as values. SIMD has no gather, so
   * this is one call per lane.
   */
  lookup(table: number, j: V): [V, V] {
    const pj = this.locals(j);
    const rows = ([0, 1] as const).map((s) =>
      [0, 1].map((lane) => {
        this.body.get(pj[s]).simd(Simd.i64x2ExtractLane).code.byte(lane);
        this.body.op(Op.i32WrapI64).op(Op.call).code.u32(table);
        const local = this.body.local(ValType.v128);
        this.body.set(local);
        return local;
      }),
    ) as [number, number][];
    const pick = (first: number) =>
      Array.from({ length: 16 }, (_, i) => (i < 8 ? first + i : 16 + first + i - 8));
    const gather = (first: number) =>
      this.each((s) => {
        const [r0, r1] = rows[s] as [number, number];
        this.body.get(r0).get(r1).simd(Simd.i8x16Shuffle).code.raw(pick(first));
      });
    return [gather(0), gather(8)];
  }

  /** Calls the math function `index` (built by a VecBuilder) on the given values. */
  call(index: number, ...args: V[]): V {
    for (const a of args) {
      const [lo, hi] = this.locals(a);
      this.body.get(lo).get(hi);
    }
    this.body.op(Op.call).code.u32(index);
    const lo = this.body.local(ValType.v128);
    const hi = this.body.local(ValType.v128);
    this.body.set(hi).set(lo);
    return this.handle(lo, hi);
  }

  /** The locals holding `result`'s two halves (the end of an inlined function). */
  result(result: V): [number, number] {
    const [lo, hi] = this.locals(result);
    return [lo, hi];
  }

  /** Ends the function body with `result`'s two halves on the stack. */
  finish(result: V): FunctionBody {
    const [lo, hi] = this.locals(result);
    this.body.get(lo).get(hi);
    return this.body;
  }
}
