import { ACTIVATIONS, type ActivationInfo, type ActivationParam } from "@nnkit/nn-functions";

/**
 * The playground's view of nn-functions' ACTIVATIONS: which controls each parameter gets. The
 * list of functions itself is never repeated here; everything is derived from the catalog, so a
 * new activation appears in the playground without a change to this app.
 */

/** A parameter as the UI edits it: always a number (prelu's alpha as one broadcast value). */
export interface ParamControl {
  readonly name: string;
  /** An integer axis (a select) or a number (a slider with a number box beside it). */
  readonly kind: "number" | "axis";
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  /** Shown beside the control where the default needs explaining. */
  readonly note?: string;
}

/** Values of one function's parameters by name. */
export type ParamValues = Readonly<Record<string, number>>;

/** Slider ranges by parameter name: wide enough to see each parameter's effect on [-6, 6]. */
const SLIDER_RANGES: Readonly<Record<string, readonly [min: number, max: number, step: number]>> = {
  alpha: [-1, 3, 0.01],
  negativeSlope: [-0.5, 1, 0.01],
  lambd: [0, 3, 0.01],
  threshold: [-5, 5, 0.01],
  minVal: [-5, 5, 0.01],
  maxVal: [-5, 5, 0.01],
};
const FALLBACK_RANGE = [-5, 5, 0.01] as const;

/**
 * prelu's alpha has no default in MLX's function (it is the learned weight); the playground
 * starts it at 0.25, the initial value of MLX's `PReLU` Module.
 */
export const PRELU_ALPHA_START = 0.25;

/**
 * The axes the plot's 2-D input (shape 2 × N, see compute/plot-input.ts) has: -2 and 0 run down
 * each column, -1 and 1 along each row.
 */
export const PLOT_AXES = [-1, -2, 0, 1] as const;

function control(p: ActivationParam): ParamControl {
  if (p.kind === "axis") {
    return { name: p.name, kind: "axis", default: p.default ?? -1, min: -2, max: 1, step: 1 };
  }
  const [min, max, step] = SLIDER_RANGES[p.name] ?? FALLBACK_RANGE;
  if (p.default === undefined) {
    return {
      name: p.name,
      kind: "number",
      default: PRELU_ALPHA_START,
      min,
      max,
      step,
      note: `required by the function; starts at ${PRELU_ALPHA_START}, the PReLU Module's init (one value broadcast over x)`,
    };
  }
  return { name: p.name, kind: "number", default: p.default, min, max, step };
}

/** All activations, in the catalog's order. */
export const FUNCTIONS: readonly ActivationInfo[] = ACTIVATIONS;

/** Looks a function up by nnkit name. */
export function findFunction(name: string): ActivationInfo | undefined {
  return FUNCTIONS.find((f) => f.name === name);
}

/** The controls for a function's parameters, in MLX's positional order. */
export function paramControls(info: ActivationInfo): ParamControl[] {
  return info.params.map(control);
}

/**
 * Whether the function works along an axis (softmax, softmin, logSoftmax, glu) rather than
 * elementwise: the catalog marks those with an "axis" parameter.
 */
export function worksAlongAxis(info: ActivationInfo): boolean {
  return info.params.some((p) => p.kind === "axis");
}

/** Every parameter's value: the given ones where valid, the defaults elsewhere. */
export function completeParams(info: ActivationInfo, given: ParamValues = {}): ParamValues {
  const out: Record<string, number> = {};
  for (const c of paramControls(info)) {
    const v = given[c.name];
    const valid = typeof v === "number" && Number.isFinite(v);
    out[c.name] =
      valid && (c.kind !== "axis" || PLOT_AXES.includes(v as (typeof PLOT_AXES)[number]))
        ? v
        : c.default;
  }
  return out;
}

/**
 * The arguments after x, positionally as the function takes them: up to the last one that
 * differs from its default (prelu's alpha, having none, is always passed).
 */
export function positionalArgs(info: ActivationInfo, params: ParamValues): number[] {
  const full = completeParams(info, params);
  const args = info.params.map((p) => full[p.name] as number);
  let used = 0;
  info.params.forEach((p, i) => {
    if (p.default === undefined || args[i] !== p.default) used = i + 1;
  });
  return args.slice(0, used);
}
