import type { StorageArray } from "../dtype/dtype.js";
import type { BinaryOp, ReduceOp, SoftmaxVariant, UnaryOp } from "../expr/ops.js";

/**
 * What an unevaluated array will compute from its inputs. The array itself carries the
 * output shape and dtype, so primitives hold only what those do not say.
 *
 * Elementwise primitives (`unary`, `binary`, `where`, `cast`, `scalar`, `broadcast`) fuse into
 * one kernel at evaluation; the others are kernels or views of their own.
 */
export type Primitive =
  /** Host data waiting to be uploaded; uploaded at first evaluation and then kept. */
  | { readonly kind: "constant"; readonly data: StorageArray }
  | { readonly kind: "scalar"; readonly value: number }
  | { readonly kind: "unary"; readonly op: UnaryOp }
  | { readonly kind: "binary"; readonly op: BinaryOp }
  | { readonly kind: "where" }
  | { readonly kind: "cast" }
  | { readonly kind: "broadcast" }
  | { readonly kind: "reshape" }
  | { readonly kind: "transpose"; readonly perm: readonly number[] }
  | { readonly kind: "slice"; readonly starts: readonly number[] }
  | { readonly kind: "reduce"; readonly op: ReduceOp; readonly axes: readonly number[] }
  /** softmax, log-softmax or softmin over `axes`, one backend kernel per row. */
  | { readonly kind: "softmax"; readonly axes: readonly number[]; readonly variant: SoftmaxVariant }
  | { readonly kind: "concatenate"; readonly axis: number }
  | { readonly kind: "randomBits" }
  | { readonly kind: "transfer" };

const FUSABLE = new Set<Primitive["kind"]>([
  "scalar",
  "unary",
  "binary",
  "where",
  "cast",
  "broadcast",
]);

/** Whether a primitive can be merged into a fused elementwise kernel. */
export function isFusable(p: Primitive): boolean {
  return FUSABLE.has(p.kind);
}
