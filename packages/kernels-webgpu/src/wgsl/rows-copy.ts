import { ROWS_WG, rowIndexWgsl } from "./rows-layout.js";

/**
 * A strided copy: element g of the (collapsed) layout goes from src[rows_row(g).x] to
 * dst[rows_row(g).y], one thread per element. The stored bits are copied unchanged, so one
 * "u32" kernel serves every 4-byte dtype; "f16" serves float16.
 */
export function copyWgsl(type: "u32" | "f16", rank: number): string {
  return `${type === "f16" ? "enable f16;\n" : ""}${rowIndexWgsl(rank, 0)}
@group(0) @binding(1) var<storage, read> src: array<${type}>;
@group(0) @binding(2) var<storage, read_write> dst: array<${type}>;
@compute @workgroup_size(${ROWS_WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let g = rows_group(wid, nwg) * ${ROWS_WG}u + lid;
  if (g >= u.rows) { return; }
  let b = rows_row(u.row_start + g);
  dst[b.y] = src[b.x];
}
`;
}
