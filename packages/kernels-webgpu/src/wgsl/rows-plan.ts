import { NnkitError, type SoftmaxVariant } from "@nnkit/core";
import type { GpuContext } from "../gpu/context.js";
import {
  boxSpan,
  byteRange,
  decode,
  packRowUniform,
  ROWS_WG,
  type RowDim,
  type RowLayout,
  rowLayout,
} from "./rows-layout.js";
import type { RowsScalar, RowsStrategy } from "./rows-reduce.js";
import {
  accOf,
  type SegAlgebra,
  type SegApplySpec,
  type SegFinish,
  type SegKernelSpec,
  segApplyKey,
  segApplyWgsl,
  segKey,
  segReduceWgsl,
} from "./rows-segment.js";

/**
 * Plans for rows split into segments (see rows-segment.ts): stages of dispatches over the
 * input, temporary buffers of partial results and the output, each binding within
 * maxStorageBufferBindingSize. Planned synchronously (errors surface at the call); the
 * temporaries are created, and every stage encoded, in one step of the context's stream.
 */

/** A buffer of a plan: an existing GPU buffer, or a temporary created when the plan runs. */
export type Slot = { readonly gpu: GPUBuffer } | { readonly temp: number };

/** A slot with its size in bytes and the bytes of one element as the kernel sees it. */
export interface SlotInfo {
  readonly slot: Slot;
  readonly size: number;
  readonly bytes: number;
}

interface PlannedBinding {
  readonly slot: Slot;
  readonly offset: number;
  readonly size: number;
}

interface PlannedDispatch {
  readonly uniform: Uint32Array;
  readonly bindings: readonly PlannedBinding[];
  readonly groups: number;
}

interface Stage {
  readonly key: string;
  readonly code: () => string;
  readonly dispatches: PlannedDispatch[];
}

/** Chooses how rows map to threads (see rowsStrategy in kernels/reduce.ts). */
export type StrategyFor = (rows: number, len: number, innerStride: number) => RowsStrategy;

export class RowPlan {
  private readonly temps: number[] = [];
  private readonly stages: Stage[] = [];

  constructor(
    readonly ctx: GpuContext,
    readonly fn: string,
    readonly strategyFor: StrategyFor,
    readonly groupSize: 64 | 256,
  ) {}

  /** A temporary buffer of at least `bytes` bytes. */
  temp(bytes: number, elementBytes: number): SlotInfo {
    const size = Math.max(16, Math.ceil(bytes / 4) * 4);
    this.temps.push(size);
    return { slot: { temp: this.temps.length - 1 }, size, bytes: elementBytes };
  }

  addStage(stage: Stage): void {
    this.stages.push(stage);
  }

  /** Enqueues the whole plan as one step of the context's stream. */
  run(): void {
    const { ctx, temps, stages } = this;
    ctx.enqueue(async () => {
      const buffers = temps.map((size) =>
        ctx.device.createBuffer({ size, usage: GPUBufferUsage.STORAGE }),
      );
      const resolve = (s: Slot) => ("gpu" in s ? s.gpu : (buffers[s.temp] as GPUBuffer));
      try {
        for (const stage of stages) {
          const pipeline = await ctx.pipeline(stage.key, stage.code);
          for (const d of stage.dispatches) {
            ctx.dispatch(
              pipeline,
              [
                { buffer: ctx.uniform(d.uniform) },
                ...d.bindings.map((b) => ({
                  buffer: resolve(b.slot),
                  offset: b.offset,
                  size: b.size,
                })),
              ],
              d.groups,
            );
          }
        }
      } finally {
        ctx.device.queue.onSubmittedWorkDone().then(() => {
          for (const b of buffers) b.destroy();
        });
      }
    });
  }
}

/** Input and output element spans (relative, inclusive) of every segment of a row. */
interface Spans {
  readonly inLo: Float64Array;
  readonly inHi: Float64Array;
  readonly outLo: Float64Array;
  readonly outHi: Float64Array;
}

/** The box over the reduced axes containing flat elements [a, b] of a row, per segment. */
function segmentSpans(red: readonly RowDim[], len: number, S: number): Spans {
  const P = Math.max(1, Math.ceil(len / S));
  const spans: Spans = {
    inLo: new Float64Array(P),
    inHi: new Float64Array(P),
    outLo: new Float64Array(P),
    outHi: new Float64Array(P),
  };
  for (let p = 0; p < P && len > 0; p++) {
    const a = decode(red, p * S);
    const b = decode(red, Math.min(len, (p + 1) * S) - 1);
    const lo = a.slice();
    const hi = a.slice();
    let differ = false;
    red.forEach((d, i) => {
      if (differ) {
        lo[i] = 0;
        hi[i] = d.size - 1;
      } else if (a[i] !== b[i]) {
        differ = true;
        hi[i] = b[i] as number;
      }
    });
    const [i0, i1] = boxSpan(red, lo, hi, (d) => d.inStride);
    const [o0, o1] = boxSpan(red, lo, hi, (d) => d.outStride);
    spans.inLo[p] = i0;
    spans.inHi[p] = i1;
    spans.outLo[p] = o0;
    spans.outHi[p] = o1;
  }
  return spans;
}

/** Input and output offsets (relative) of element 0 of row r. */
function rowBase(kept: readonly RowDim[], r: number): { in: number; out: number } {
  const idx = decode(kept, r);
  let i = 0;
  let o = 0;
  kept.forEach((d, k) => {
    i += (idx[k] as number) * d.inStride;
    o += (idx[k] as number) * d.outStride;
  });
  return { in: i, out: o };
}

/**
 * The longest segment length ≤ maxS (halving from it) whose every segment fits one binding
 * even at the worst alignment: on the input, and on the output when `outBytes` is given.
 */
function chooseSegment(
  ctx: GpuContext,
  fn: string,
  layout: RowLayout,
  inBytes: number,
  outBytes: number | undefined,
  maxS: number,
): number {
  const align = ctx.limits.minStorageBufferOffsetAlignment;
  const max = Math.floor(ctx.limits.maxStorageBufferBindingSize / 4) * 4;
  const fits = (lo: number, hi: number, bytes: number) =>
    Math.ceil(((hi - lo + 1) * bytes) / 4) * 4 + align <= max;
  let S = Math.max(1, Math.min(layout.len, maxS));
  for (;;) {
    const spans = segmentSpans(layout.red, layout.len, S);
    let ok = true;
    for (let p = 0; ok && p < spans.inLo.length; p++) {
      ok =
        fits(spans.inLo[p] as number, spans.inHi[p] as number, inBytes) &&
        (outBytes === undefined ||
          fits(spans.outLo[p] as number, spans.outHi[p] as number, outBytes));
    }
    if (ok) return S;
    if (S === 1) {
      throw new NnkitError(
        fn,
        `a single element does not fit this device's maxStorageBufferBindingSize (${ctx.limits.maxStorageBufferBindingSize} bytes)`,
      );
    }
    S = Math.ceil(S / 2);
  }
}

/** How a stage's output is indexed: partials by segment, one value per row, or every element. */
type OutMode = "acc" | "row" | "apply";

interface StageArgs {
  readonly layout: RowLayout;
  readonly S: number;
  readonly P: number;
  readonly src: SlotInfo;
  readonly dst: SlotInfo;
  readonly outMode: OutMode;
  readonly statsM?: SlotInfo | undefined;
  readonly statsS?: SlotInfo | undefined;
  /** The element count for "mean" (uniform x3). */
  readonly count: number;
  /** Bytes of one partial (or output element), for the row blocks of the walk. */
  readonly blockBytes: number;
  readonly spec: (strategy: RowsStrategy) => { key: string; code: () => string };
}

/** Element range [lo, hi] (inclusive) collected over a chunk. */
class Range {
  lo = Number.POSITIVE_INFINITY;
  hi = Number.NEGATIVE_INFINITY;
  with(lo: number, hi: number): [number, number] {
    return [Math.min(this.lo, lo), Math.max(this.hi, hi)];
  }
}

/**
 * Rows per block of the walk (see rows-segment.ts): segments are walked block of rows by
 * block, segment by segment, row by row within a block, and partials are stored in that
 * order. Blocks help when neighbouring rows are closer in memory than neighbouring elements of
 * a row (a reduction over a leading axis): a chunk then covers the same segment of many rows.
 * B divides the row count, and B partials (twice over) fit one binding, so that reducing the
 * partials in turn always makes progress. 1 (row by row) otherwise.
 */
function blockRows(ctx: GpuContext, layout: RowLayout, P: number, accBytes: number): number {
  const k = layout.kept[layout.kept.length - 1];
  const e = layout.red[layout.red.length - 1];
  if (P <= 1 || !k || !e || Math.abs(k.inStride) >= Math.abs(e.inStride)) return 1;
  const usable =
    Math.floor(ctx.limits.maxStorageBufferBindingSize / 4) * 4 -
    ctx.limits.minStorageBufferOffsetAlignment;
  const cap = Math.floor(usable / (2 * accBytes));
  const n = layout.rows;
  let best = 1;
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    for (const b of [d, n / d]) if (b <= cap && b > best) best = b;
  }
  return best;
}

/** Splits a stage's segments into dispatches whose bindings each fit, and adds the stage. */
function planStage(plan: RowPlan, a: StageArgs): void {
  const { ctx } = plan;
  const { layout, S, P } = a;
  const inner = layout.red[layout.red.length - 1];
  const strategy = plan.strategyFor(layout.rows * P, S, inner ? inner.inStride : 1);
  const perGroup = strategy === "group" ? 1 : ROWS_WG;
  const cap = Math.min(ctx.limits.maxComputeWorkgroupsPerDimension ** 2 * perGroup, 2 ** 31);
  const spans = segmentSpans(layout.red, layout.len, S);
  const total = layout.rows * P;
  const B = blockRows(ctx, layout, P, a.blockBytes);
  const dispatches: PlannedDispatch[] = [];
  const bind = (info: SlotInfo, lo: number, hi: number) =>
    byteRange(ctx, info.size, info.bytes, lo, hi);
  let q0 = 0;
  let lastRow = -1;
  let base = { in: 0, out: 0 };
  while (q0 < total) {
    const ranges = { in: new Range(), out: new Range(), m: new Range(), s: new Range() };
    let q = q0;
    while (q < total && q - q0 < cap) {
      const rb = Math.floor(q / (P * B));
      const rem = q - rb * P * B;
      const p = Math.floor(rem / B);
      const r = rb * B + (rem - p * B);
      if (r !== lastRow) {
        base = rowBase(layout.kept, r);
        lastRow = r;
      }
      const inR =
        layout.len === 0
          ? ranges.in.with(0, 0)
          : ranges.in.with(
              layout.inOffset + base.in + (spans.inLo[p] as number),
              layout.inOffset + base.in + (spans.inHi[p] as number),
            );
      const o = layout.outOffset + base.out;
      const outR =
        a.outMode === "acc"
          ? ranges.out.with(q, q)
          : a.outMode === "row"
            ? ranges.out.with(o, o)
            : ranges.out.with(o + (spans.outLo[p] as number), o + (spans.outHi[p] as number));
      const mR = ranges.m.with(r, r);
      const sR = ranges.s.with(r, r);
      const fits =
        bind(a.src, inR[0], inR[1]) &&
        bind(a.dst, outR[0], outR[1]) &&
        (!a.statsM || bind(a.statsM, mR[0], mR[1])) &&
        (!a.statsS || bind(a.statsS, sR[0], sR[1]));
      if (!fits) {
        if (q === q0) {
          throw new NnkitError(plan.fn, "internal: a planned segment does not fit one binding");
        }
        break;
      }
      [ranges.in.lo, ranges.in.hi] = inR;
      [ranges.out.lo, ranges.out.hi] = outR;
      [ranges.m.lo, ranges.m.hi] = mR;
      [ranges.s.lo, ranges.s.hi] = sR;
      q++;
    }
    const inB = bind(a.src, ranges.in.lo, ranges.in.hi) as NonNullable<ReturnType<typeof bind>>;
    const outB = bind(a.dst, ranges.out.lo, ranges.out.hi) as NonNullable<ReturnType<typeof bind>>;
    const bindings: PlannedBinding[] = [
      { slot: a.src.slot, offset: inB.offset, size: inB.size },
      { slot: a.dst.slot, offset: outB.offset, size: outB.size },
    ];
    let mFirst = 0;
    let sFirst = 0;
    if (a.statsM) {
      const m = bind(a.statsM, ranges.m.lo, ranges.m.hi) as NonNullable<ReturnType<typeof bind>>;
      bindings.push({ slot: a.statsM.slot, offset: m.offset, size: m.size });
      mFirst = m.firstElement;
    }
    if (a.statsS) {
      const s = bind(a.statsS, ranges.s.lo, ranges.s.hi) as NonNullable<ReturnType<typeof bind>>;
      bindings.push({ slot: a.statsS.slot, offset: s.offset, size: s.size });
      sFirst = s.firstElement;
    }
    const count = q - q0;
    const outBase =
      a.outMode === "acc" ? q0 - outB.firstElement : layout.outOffset - outB.firstElement;
    dispatches.push({
      uniform: packRowUniform(layout, count, q0, layout.inOffset - inB.firstElement, outBase, [
        S,
        P,
        mFirst,
        a.count,
        sFirst,
        B,
      ]),
      bindings,
      groups: Math.ceil(count / perGroup),
    });
    q0 = q;
  }
  const kernel = a.spec(strategy);
  plan.addStage({ key: kernel.key, code: kernel.code, dispatches });
}

/** Where a reduction's result goes and how it is finished. */
export interface ReductionTarget {
  readonly dst: SlotInfo;
  readonly finish: SegFinish;
  readonly outType: RowsScalar;
}

/**
 * Plans reducing each row of `layout` (over `src`, elements or accumulators) with `algebra`
 * into `target` (one value per row; its layout's output strides). Rows longer than one binding
 * (or than `maxS`) are reduced per segment into a temporary of partials, which is reduced in
 * turn (recursively, should a row of partials not fit either).
 */
export function planReduction(
  plan: RowPlan,
  layout: RowLayout,
  src: SlotInfo,
  input: "elements" | "accs",
  algebra: SegAlgebra,
  elemType: RowsScalar,
  target: ReductionTarget,
  opts: {
    readonly statsM?: SlotInfo;
    readonly count: number;
    readonly maxS?: number;
    /** Read the elements negated (softmin's statistics); never the partials. */
    readonly negateInput?: boolean;
  },
): void {
  const acc = accOf(algebra, elemType);
  const S = chooseSegment(plan.ctx, plan.fn, layout, src.bytes, undefined, opts.maxS ?? layout.len);
  const kernel =
    (finish: SegFinish) =>
    (strategy: RowsStrategy): { key: string; code: () => string } => {
      const spec: SegKernelSpec = {
        algebra,
        input,
        finish,
        elemType,
        outType: target.outType,
        strategy,
        groupSize: plan.groupSize,
        keptRank: layout.kept.length,
        redRank: layout.red.length,
        negateInput: input === "elements" && opts.negateInput === true,
      };
      return { key: segKey(spec), code: () => segReduceWgsl(spec) };
    };
  if (S >= layout.len) {
    planStage(plan, {
      layout,
      S: Math.max(1, layout.len),
      P: 1,
      src,
      dst: target.dst,
      outMode: target.finish === "acc" ? "acc" : "row",
      statsM: opts.statsM,
      count: opts.count,
      blockBytes: acc.bytes,
      spec: kernel(target.finish),
    });
    return;
  }
  const P = Math.ceil(layout.len / S);
  const partials = plan.temp(layout.rows * P * acc.bytes, acc.bytes);
  planStage(plan, {
    layout,
    S,
    P,
    src,
    dst: partials,
    outMode: "acc",
    statsM: opts.statsM,
    count: opts.count,
    blockBytes: acc.bytes,
    spec: kernel("acc"),
  });
  // Partials are stored in walking order: (row block, segment, row in block).
  const B = blockRows(plan.ctx, layout, P, acc.bytes);
  const next = rowLayout(
    plan.fn,
    [
      { size: layout.rows / B, inStride: P * B, outStride: B },
      { size: B, inStride: 1, outStride: 1 },
    ],
    [{ size: P, inStride: B, outStride: 0 }],
    0,
    0,
  );
  planReduction(plan, next, partials, "accs", algebra, elemType, target, {
    count: opts.count,
    ...(opts.statsM ? { statsM: opts.statsM } : {}),
  });
}

/**
 * Plans softmax, log-softmax or softmin by segments: the row max and the sum of exp(x − max)
 * into temporaries (`statLayout`: one value per row, contiguous), then every element of
 * `layout`. softmin reads every element negated, in all three stages.
 */
export function planSoftmax(
  plan: RowPlan,
  statLayout: RowLayout,
  layout: RowLayout,
  src: SlotInfo,
  elemType: RowsScalar,
  out: SlotInfo,
  outType: RowsScalar,
  variant: SoftmaxVariant,
  maxS?: number,
): void {
  const rows = statLayout.rows;
  const m = plan.temp(rows * 4, 4);
  const s = plan.temp(rows * 8, 8);
  const opts = {
    count: statLayout.len,
    negateInput: variant === "softmin",
    ...(maxS !== undefined ? { maxS } : {}),
  };
  planReduction(
    plan,
    statLayout,
    src,
    "elements",
    "fmax",
    elemType,
    {
      dst: m,
      finish: "value",
      outType: "f32",
    },
    opts,
  );
  planReduction(
    plan,
    statLayout,
    src,
    "elements",
    "expsum",
    elemType,
    {
      dst: s,
      finish: "acc",
      outType: "f32",
    },
    { ...opts, statsM: m },
  );
  const S = chooseSegment(plan.ctx, plan.fn, layout, src.bytes, out.bytes, maxS ?? layout.len);
  planStage(plan, {
    layout,
    S,
    P: Math.ceil(layout.len / S),
    src,
    dst: out,
    outMode: "apply",
    statsM: m,
    statsS: s,
    count: layout.len,
    blockBytes: out.bytes,
    spec: (strategy) => {
      const spec: SegApplySpec = {
        variant,
        elemType,
        outType,
        strategy,
        groupSize: plan.groupSize,
        keptRank: layout.kept.length,
        redRank: layout.red.length,
      };
      return { key: segApplyKey(spec), code: () => segApplyWgsl(spec) };
    },
  });
}
