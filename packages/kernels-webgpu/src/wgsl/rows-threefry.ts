import { ROWS_WG } from "./rows-layout.js";

/** One Threefry-2x32 group of four rounds followed by key injection `s`. */
function group(rot: readonly number[], ka: string, kb: string, s: number): string {
  const rounds = rot.map((r) => `  x0 = x0 + x1; x1 = rows_rotl(x1, ${r}u) ^ x0;`).join("\n");
  return `${rounds}\n  x0 = x0 + ${ka}; x1 = x1 + ${kb} + ${s}u;`;
}

const A = [13, 15, 26, 6];
const B = [17, 29, 16, 24];

/**
 * MLX's random bits: word j of n (half = n / 2, odd = n % 2, shift = half + odd) is
 * threefry2x32_20(key, (j, j + shift)).x for j < half, threefry(key, (half, 0)).x for j = half
 * when n is odd, and threefry(key, (j − shift, j)).y for j ≥ shift. One thread per word (the
 * pair is hashed twice, once for each half), so any range of words can be written alone.
 * Uniforms: n, half, shift, odd, start (first word of this dispatch), count, and the indices of
 * the two key words in the bound key buffer.
 */
export const RANDOM_BITS_WGSL = /* wgsl */ `
struct RandU { n: u32, half: u32, shift: u32, odd: u32, start: u32, count: u32, k0: u32, k1: u32 }
@group(0) @binding(0) var<uniform> u: RandU;
@group(0) @binding(1) var<storage, read> key: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;
fn rows_rotl(x: u32, r: u32) -> u32 { return (x << r) | (x >> (32u - r)); }
fn rows_threefry(k0: u32, k1: u32, c0: u32, c1: u32) -> vec2<u32> {
  let k2 = k0 ^ k1 ^ 0x1bd11bdau;
  var x0 = c0 + k0;
  var x1 = c1 + k1;
${group(A, "k1", "k2", 1)}
${group(B, "k2", "k0", 2)}
${group(A, "k0", "k1", 3)}
${group(B, "k1", "k2", 4)}
${group(A, "k2", "k0", 5)}
  return vec2<u32>(x0, x1);
}
@compute @workgroup_size(${ROWS_WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let g = (wid.y * nwg.x + wid.x) * ${ROWS_WG}u + lid;
  if (g >= u.count) { return; }
  let j = u.start + g;
  let k0 = key[u.k0];
  let k1 = key[u.k1];
  var w: u32;
  if (j < u.shift) {
    var c1 = j + u.shift;
    if (u.odd != 0u && j == u.half) { c1 = 0u; }
    w = rows_threefry(k0, k1, j, c1).x;
  } else {
    w = rows_threefry(k0, k1, j - u.shift, j).y;
  }
  dst[g] = w;
}
`;
