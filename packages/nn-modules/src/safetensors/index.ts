export { SAFETENSORS_DTYPE } from "./dtypes.js";
export { loadSafetensors, saveSafetensors } from "./files.js";
export { decodeSafetensors, MAX_HEADER_BYTES, type SafetensorsContents } from "./read.js";
export { encodeSafetensors, type NamedArrays } from "./write.js";
