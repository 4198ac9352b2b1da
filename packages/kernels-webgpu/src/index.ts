/**
 * @nnkit/kernels-webgpu — placeholder.
 *
 * The WebGPU backend is not implemented yet (it has its own issue). This package builds and
 * is publishable so the workspace layout is final, but importing it registers no backend.
 */
export const WEBGPU_BACKEND_AVAILABLE = false as const;
