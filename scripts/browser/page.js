// Loaded by index.html in a browser: computes a handful of activations on the CPU and on WebGPU
// (registered by importing @nnkit/kernels-webgpu, which uses navigator.gpu) and publishes the
// inputs and both results as window.nnkitResult for the test to judge
// (packages/kernels-webgpu/test/browser.test.ts); also shows a summary on the page.
import * as mx from "@nnkit/core";
import "@nnkit/kernels-cpu";
import "@nnkit/kernels-webgpu";
import * as nn from "@nnkit/nn-functions";

/** float32 inputs: a dense grid on [-12, 12], the tails, tiny values and signed zeros. */
function inputs() {
  const xs = [];
  for (let i = 0; i <= 2400; i++) xs.push(-12 + i / 100);
  xs.push(0, -0, 1e-30, -1e-30, 1e-7, -1e-7, 30, -30, 88, -88, 100, -100, 1e4, -1e4, 3e38, -3e38);
  return Float32Array.from(xs);
}

const FUNCTIONS = {
  relu: (x) => nn.relu(x),
  gelu: (x) => nn.gelu(x),
  silu: (x) => nn.silu(x),
  logSigmoid: (x) => nn.logSigmoid(x),
  // rows of 64 along the last axis
  softmax: (x) => nn.softmax(x.reshape([-1, 64]), -1),
};

async function compute(device, name, xs) {
  await mx.setDefaultDevice(device);
  const x = mx.array(xs);
  const y = FUNCTIONS[name](x);
  try {
    if (y.device !== device) throw new Error(`${name} ran on ${y.device}, not ${device}`);
    return Array.from(await y.data());
  } finally {
    x.dispose();
    y.dispose();
  }
}

/** What the page found, filled in as it goes (kept when a step fails, with `error`). */
const result = { hasNavigatorGpu: "gpu" in navigator, adapter: null, backends: null };

async function main() {
  if (navigator.gpu) {
    const adapter = await navigator.gpu.requestAdapter();
    if (adapter) {
      const i = adapter.info ?? {};
      result.adapter =
        [i.vendor, i.architecture, i.device, i.description].filter((s) => s).join(" ") ||
        "unnamed adapter";
      result.shaderF16 = adapter.features.has("shader-f16");
    }
  }
  result.defaultDevice = await mx.initBackends();
  result.backends = mx.listBackends();
  const xs = inputs();
  // softmax needs whole rows of 64
  const rows = xs.slice(0, Math.floor(xs.length / 64) * 64);
  result.functions = {};
  for (const name of Object.keys(FUNCTIONS)) {
    const x = name === "softmax" ? rows : xs;
    const cpu = await compute("cpu", name, x);
    const webgpu = await compute("webgpu", name, x);
    let maxAbsDiff = 0;
    for (let i = 0; i < cpu.length; i++) {
      const d = Math.abs(cpu[i] - webgpu[i]);
      if (d > maxAbsDiff || Number.isNaN(d)) maxAbsDiff = d;
    }
    result.functions[name] = { x: Array.from(x), cpu, webgpu, maxAbsDiff };
  }
  return result;
}

const out = document.getElementById("out");
main().then(
  (result) => {
    window.nnkitResult = result;
    const lines = [`adapter: ${result.adapter}`, `default device: ${result.defaultDevice}`];
    for (const [name, r] of Object.entries(result.functions)) {
      lines.push(`${name}: max |webgpu - cpu| = ${r.maxAbsDiff}`);
    }
    out.textContent = lines.join("\n");
  },
  (e) => {
    result.error = `${e?.name ?? "Error"}: ${e?.message ?? e}`;
    window.nnkitResult = result;
    out.textContent = result.error;
  },
);
