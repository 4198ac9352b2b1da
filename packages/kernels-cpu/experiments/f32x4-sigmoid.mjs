// Experiment, not part of the package: would float32x4 lanes make sigmoid faster while every
// result stays within 1 ulp? This builds a float32x4 sigmoid with relaxed SIMD's fused
// multiply-add doing the double-float32 steps that 1 ulp needs (a float32 result within 1 ulp
// needs its value before the last rounding within about 2^-25, below float32's own rounding),
// checks its accuracy on evenly spread float32 bit patterns against a float64 sigmoid, and
// times it against this package's float64x2 sigmoid on one thread, interleaved.
//
// Design (per 4 lanes): t = −|x| ≥ −104; k = round(t·log2 e); r = t − k·ln2 as a pair (ln2 in
// a 16-bit head, exact with Sterbenz, and a tail whose product error comes from an fma);
// e^r = 1 + r + r²/2 + r³·q(r) with r² exact (fma) and q Taylor to r^8 (2^-32 truncation),
// summed as a pair; 2^k applied in two halves (results down to the subnormals); then
// (x ≥ 0 ? 1 : E)/(1 + E) with the quotient corrected by its fma residual.
//
// Needs relaxed SIMD (Node 22+, Chrome 114+; Node 20: --experimental-wasm-relaxed-simd) and a
// build of this package (`pnpm build`); wabt (a devDependency) turns the text into a module.
//   node --experimental-wasm-relaxed-simd experiments/f32x4-sigmoid.mjs [unroll 1|2] [stride]
import { createRequire } from "node:module";
import * as mx from "@nnkit/core";
import { CpuBackend } from "../dist/index.js";
import { ulpAt } from "../scripts/float32-ulp.mjs";

const unroll = Number(process.argv[2] ?? 1);
const stride = Number(process.argv[3] ?? 61);
if (unroll !== 1 && unroll !== 2)
  throw new Error(`f32x4-sigmoid: unroll must be 1 or 2, got ${process.argv[2]}`);
if (!Number.isInteger(stride) || stride < 1)
  throw new Error(`f32x4-sigmoid: stride must be a positive integer`);

const wabt = await createRequire(import.meta.url)("wabt")();

/** The constants, as immutable v128 globals (a v128.const in a loop is rebuilt every pass). */
const CONSTANTS = {
  minT: "f32x4 -104 -104 -104 -104",
  log2e: "f32x4 1.44269504 1.44269504 1.44269504 1.44269504",
  shifter: "f32x4 12582912 12582912 12582912 12582912", // 1.5·2^23: k in the low bits
  negLn2Hi: "f32x4 -0.693145751953125 -0.693145751953125 -0.693145751953125 -0.693145751953125",
  ln2Lo:
    "f32x4 1.428606765330187e-06 1.428606765330187e-06 1.428606765330187e-06 1.428606765330187e-06",
  c8: "f32x4 2.48015873e-05 2.48015873e-05 2.48015873e-05 2.48015873e-05",
  c7: "f32x4 1.98412698e-04 1.98412698e-04 1.98412698e-04 1.98412698e-04",
  c6: "f32x4 1.38888889e-03 1.38888889e-03 1.38888889e-03 1.38888889e-03",
  c5: "f32x4 8.33333333e-03 8.33333333e-03 8.33333333e-03 8.33333333e-03",
  c4: "f32x4 4.16666667e-02 4.16666667e-02 4.16666667e-02 4.16666667e-02",
  c3: "f32x4 1.66666667e-01 1.66666667e-01 1.66666667e-01 1.66666667e-01",
  one: "f32x4 1 1 1 1",
  half: "f32x4 0.5 0.5 0.5 0.5",
  zero: "f32x4 0 0 0 0",
  shifterBits: "i32x4 0x4B400000 0x4B400000 0x4B400000 0x4B400000",
  bias: "i32x4 127 127 127 127",
};

/** The kernel body for one vector: [local, expression] in order; `$in`/`$out` are addresses. */
function steps() {
  const g = (n) => `(global.get $${n})`;
  const l = (n) => `(local.get $${n})`;
  const fma = (a, b, c) => `(f32x4.relaxed_madd ${a} ${b} ${c})`;
  const op = (o, ...a) => `(f32x4.${o} ${a.join(" ")})`;
  return [
    ["x", "(v128.load (local.get $addr_in))"],
    ["t", `(f32x4.pmax ${op("neg", op("abs", l("x")))} ${g("minT")})`],
    ["z", fma(l("t"), g("log2e"), g("shifter"))],
    ["kf", op("sub", l("z"), g("shifter"))],
    ["rh", fma(l("kf"), g("negLn2Hi"), l("t"))],
    ["p", op("mul", l("kf"), g("ln2Lo"))],
    ["plo", fma(l("kf"), g("ln2Lo"), op("neg", l("p")))],
    ["r", op("sub", l("rh"), l("p"))],
    ["rlo", op("sub", op("sub", op("sub", l("rh"), l("r")), l("p")), l("plo"))],
    ["sq", op("mul", l("r"), l("r"))],
    ["sqlo", fma(l("r"), l("r"), op("neg", l("sq")))],
    ["q", fma(g("c8"), l("r"), g("c7"))],
    ["q", fma(l("q"), l("r"), g("c6"))],
    ["q", fma(l("q"), l("r"), g("c5"))],
    ["q", fma(l("q"), l("r"), g("c4"))],
    ["q", fma(l("q"), l("r"), g("c3"))],
    ["h", op("mul", op("mul", l("sq"), l("r")), l("q"))],
    ["s", op("add", g("one"), l("r"))],
    ["slo", op("add", op("sub", g("one"), l("s")), l("r"))],
    ["u", op("mul", l("sq"), g("half"))],
    ["s2", op("add", l("s"), l("u"))],
    ["lo", op("add", l("slo"), op("add", op("sub", l("s"), l("s2")), l("u")))],
    ["lo", fma(l("sqlo"), g("half"), l("lo"))],
    ["lo", fma(l("rlo"), l("s"), l("lo"))],
    ["lo", op("add", l("lo"), l("h"))],
    ["eh", op("add", l("s2"), l("lo"))],
    ["el", op("add", op("sub", l("s2"), l("eh")), l("lo"))],
    ["k", `(i32x4.sub ${l("z")} ${g("shifterBits")})`],
    ["k1", `(i32x4.shr_s ${l("k")} (i32.const 1))`],
    ["sc1", `(i32x4.shl (i32x4.add ${l("k1")} ${g("bias")}) (i32.const 23))`],
    ["sc2", `(i32x4.shl (i32x4.add (i32x4.sub ${l("k")} ${l("k1")}) ${g("bias")}) (i32.const 23))`],
    ["eh", op("mul", op("mul", l("eh"), l("sc1")), l("sc2"))],
    ["el", op("mul", op("mul", l("el"), l("sc1")), l("sc2"))],
    ["dh", op("add", g("one"), l("eh"))],
    ["dl", op("add", op("add", op("sub", g("one"), l("dh")), l("eh")), l("el"))],
    ["m", op("ge", l("x"), g("zero"))],
    ["nh", `(v128.bitselect ${g("one")} ${l("eh")} ${l("m")})`],
    ["nl", `(v128.andnot ${l("el")} ${l("m")})`],
    ["rcp", op("div", g("one"), l("dh"))],
    ["qq", op("mul", l("nh"), l("rcp"))],
    ["rho", fma(op("neg", l("qq")), l("dh"), l("nh"))],
    ["rho", op("add", l("rho"), l("nl"))],
    ["rho", fma(op("neg", l("qq")), l("dl"), l("rho"))],
    ["y", fma(l("rho"), l("rcp"), l("qq"))],
  ];
}

/** WAT of `sig(in, out, n)` over n floats (a multiple of 4·unroll), `unroll` vectors a pass. */
function moduleText(unroll) {
  const body = steps();
  const names = [...new Set(body.map(([d]) => d))];
  const copies = Array.from({ length: unroll }, (_, c) => {
    const rename = (s) =>
      s.replace(/\$(\w+)/g, (m, n) => (names.includes(n) || n === "addr_in" ? `$${n}_${c}` : m));
    return body.map(([d, e]) => `(local.set $${d}_${c} ${rename(e)})`);
  });
  // Interleaved statement by statement, so the copies' dependency chains overlap.
  const interleaved = body.flatMap((_, i) => copies.map((c) => c[i]));
  const locals = Array.from({ length: unroll }, (_, c) =>
    [...names, "addr_in"]
      .map((n) => `(local $${n}_${c} ${n === "addr_in" ? "i32" : "v128"})`)
      .join(" "),
  ).join(" ");
  const addresses = Array.from(
    { length: unroll },
    (_, c) =>
      `(local.set $addr_in_${c} (i32.add (local.get $in) (i32.shl (i32.add (local.get $i) (i32.const ${4 * c})) (i32.const 2))))`,
  );
  const stores = Array.from(
    { length: unroll },
    (_, c) =>
      `(v128.store (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const ${4 * c})) (i32.const 2))) (local.get $y_${c}))`,
  );
  const globals = Object.entries(CONSTANTS).map(
    ([n, v]) => `(global $${n} v128 (v128.const ${v}))`,
  );
  return `(module (memory (export "mem") 256) ${globals.join(" ")}
  (func (export "sig") (param $in i32) (param $out i32) (param $n i32) (local $i i32) ${locals}
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      ${addresses.join("\n      ")}
      ${interleaved.join("\n      ")}
      ${stores.join("\n      ")}
      (local.set $i (i32.add (local.get $i) (i32.const ${4 * unroll})))
      (br $next)))))`;
}

const parsed = wabt.parseWat("f32x4-sigmoid.wat", moduleText(unroll), {
  simd: true,
  relaxed_simd: true,
});
const binary = parsed.toBinary({}).buffer;
if (!WebAssembly.validate(binary)) {
  console.error(
    "f32x4-sigmoid: this runtime has no relaxed SIMD (Node 20: --experimental-wasm-relaxed-simd)",
  );
  process.exit(1);
}
const { sig, mem } = new WebAssembly.Instance(new WebAssembly.Module(binary), {}).exports;

// Whether relaxed_madd is fused here: (1 + 2^-12)² − (1 + 2^-11) is 2^-24 with one rounding, 0
// with two. The design's residuals need it fused.
{
  const probe = wabt.parseWat(
    "probe.wat",
    `(module (func (export "f") (param f32 f32 f32) (result f32)
    (f32x4.extract_lane 0 (f32x4.relaxed_madd (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1)) (f32x4.splat (local.get 2))))))`,
    { simd: true, relaxed_simd: true },
  );
  const { f } = new WebAssembly.Instance(new WebAssembly.Module(probe.toBinary({}).buffer), {})
    .exports;
  const a = 1 + 2 ** -12;
  console.log(`f32x4.relaxed_madd fused here: ${f(a, a, -(1 + 2 ** -11)) === 2 ** -24}`);
}

const N = 1 << 20;
const IN = 0;
const OUT = 4 * N;
const xs = new Float32Array(mem.buffer, IN, N);
const bits = new Uint32Array(mem.buffer, IN, N);
const ys = new Float32Array(mem.buffer, OUT, N);

/** sigmoid in float64 (V8's exp is within 1 ulp of double): about 2^-52 relative. */
const reference = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

let count = 0;
let maxUlp = 0;
let worst = 0;
let overOne = 0;
let nanMismatches = 0;
const step = 4 * unroll;
for (let base = 0; base < 2 ** 32; base += N * stride) {
  let n = 0;
  for (; n < N && base + n * stride < 2 ** 32; n++) bits[n] = base + n * stride;
  const whole = n - (n % step);
  sig(IN, OUT, whole);
  for (let j = 0; j < whole; j++) {
    const r = reference(xs[j]);
    const y = ys[j];
    count++;
    if (Number.isNaN(r) || Number.isNaN(y)) {
      if (Number.isNaN(r) !== Number.isNaN(y)) nanMismatches++;
      continue;
    }
    const d = Math.abs(y - r) / ulpAt(r);
    if (d > 1) overOne++;
    if (d > maxUlp) {
      maxUlp = d;
      worst = xs[j];
    }
  }
}
console.log(
  `accuracy: ${count} patterns (stride ${stride}): max ${maxUlp.toFixed(4)} ulp at x = ${worst}, ${overOne} above 1 ulp, ${nanMismatches} NaN mismatches`,
);

const backend = new CpuBackend({ name: "one-thread", mode: "wasm", threads: 1, math: "fast" });
mx.registerBackend("one-thread", () => backend);
await mx.setDefaultDevice("one-thread");
const host = new Float32Array(N);
for (let i = 0; i < N; i++) host[i] = (Math.random() - 0.5) * 12;
xs.set(host);
const x = mx.array(host);
await mx.evaluate(x);
const times = { "f32x4 fma": [], "nnkit f64x2": [] };
for (let round = 0; round < 31; round++) {
  let t0 = performance.now();
  sig(IN, OUT, N);
  times["f32x4 fma"].push(performance.now() - t0);
  t0 = performance.now();
  const y = mx.sigmoid(x);
  await mx.evaluate(y);
  times["nnkit f64x2"].push(performance.now() - t0);
  y.dispose();
}
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
for (const [k, v] of Object.entries(times)) {
  console.log(
    `${k.padEnd(12)} ${((median(v) * 1e6) / N).toFixed(2)} ns/element (2^20, one thread, median of 31)`,
  );
}
console.log(
  `nnkit / f32x4: ${(median(times["nnkit f64x2"]) / median(times["f32x4 fma"])).toFixed(2)} (unroll ${unroll}); nnkit: ${backend.description}`,
);
x.dispose();
