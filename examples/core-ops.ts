/**
 * nnkit's core ops on the CPU backend, printed as MLX prints them.
 * Run: pnpm --filter @nnkit/examples core-ops   (or `npm start` from the repository root)
 */
import * as mx from "@nnkit/core";
import "@nnkit/kernels-cpu";

const show = (label: string, value: unknown) => console.log(`${label}\n${String(value)}\n`);

const x = mx.array([
  [-0.1, 0.2],
  [0.3, 0.4],
]);
show("x = mx.array([[-0.1, 0.2], [0.3, 0.4]])", x);
show("mx.sigmoid(x).multiply(x)   # one fused kernel", mx.sigmoid(x).multiply(x));
show("mx.logsumexp(x, -1, true)", mx.logsumexp(x, -1, true));
show("x.sum(0)", x.sum(0));
show("mx.erf(mx.linspace(-2, 2, 5))", mx.erf(mx.linspace(-2, 2, 5)));
show("mx.arange(12).reshape([3, 4]).transpose()", mx.arange(12).reshape([3, 4]).transpose());
show("mx.maximum(x, 0.25)   # broadcasting a weak scalar", mx.maximum(x, 0.25));
show("mx.array([1.5, 2.5], 'float16').multiply(3)", mx.array([1.5, 2.5], "float16").multiply(3));
show("mx.arange(1000)   # summarised like MLX", mx.arange(1000));

const key = mx.random.key(0);
show("mx.random.split(mx.random.key(0))", mx.random.split(key));
show(
  "mx.random.normal([2, 3], 'float32', 0, 1, mx.random.key(0))",
  mx.random.normal([2, 3], "float32", 0, 1, key),
);

const before = mx.getStats();
const big = mx.random.uniform(-4, 4, [1_000_000], "float32", key);
await mx.evaluate(big);
const launched = mx.getStats().kernelLaunches;
const silu = mx.sigmoid(big).multiply(big);
await mx.evaluate(silu);
console.log(
  `silu over 1,000,000 values ran ${mx.getStats().kernelLaunches - launched} kernel(s); ` +
    `${mx.getStats().liveBuffers - before.liveBuffers} buffers are live (big and silu)`,
);
big.dispose();
silu.dispose();
console.log(
  `after dispose: ${mx.getStats().liveBuffers - before.liveBuffers} live buffers added by this block`,
);
