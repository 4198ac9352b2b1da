export { bits, key, keyAt, normal, seed, split, uniform } from "./random.js";
