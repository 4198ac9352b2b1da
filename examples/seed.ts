/**
 * MLX's seed example in nnkit: a seeded normal sample through a few activations, printed as
 * MLX prints arrays. In MLX (Python):
 *
 *   x = mx.random.normal((2, 4), key=mx.random.key(0))
 *   print(x); print(nn.relu(x)); print(nn.glu(x)); print(nn.ReLU()(x))
 *
 * Run: pnpm --filter @nnkit/examples seed
 */
import * as mx from "@nnkit/core";
import "@nnkit/kernels-cpu";
import * as nn from "@nnkit/nn-functions";
import { ReLU } from "@nnkit/nn-modules";

const show = (label: string, value: unknown) => console.log(`${label}\n${String(value)}\n`);

const x = mx.random.normal([2, 4], "float32", 0, 1, mx.random.key(0));
show('x = mx.random.normal([2, 4], "float32", 0, 1, mx.random.key(0))', x);
show("nn.relu(x)", nn.relu(x));
show("nn.glu(x)   # first half · sigmoid(second half), along the last axis", nn.glu(x));
show("new ReLU().forward(x)", new ReLU().forward(x));
