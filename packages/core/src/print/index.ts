export { formatFixed, formatGeneral } from "./decimal.js";
export { type FormatOptions, formatArray, formatElement, type PrintDType } from "./format.js";
export { roundToBfloat16, roundToFloat16, roundToFloat32 } from "./round.js";
