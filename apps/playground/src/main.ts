import { array, getDefaultDevice, sigmoid } from "@nnkit/core";
import "@nnkit/kernels-cpu";

const x = array([
  [-0.1, 0.2],
  [0.3, 0.4],
]);
const y = sigmoid(x).multiply(x);
const output = document.getElementById("output");
if (output) output.textContent = `device: ${getDefaultDevice()}\nx = ${x}\nsilu(x) = ${y}`;
