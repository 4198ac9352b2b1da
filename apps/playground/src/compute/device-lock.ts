import { setDefaultDevice } from "@nnkit/core";

/**
 * nnkit creates new arrays (linspace, zeros, random) on the default device, which is global.
 * The plot, the comparison, the benchmark and the MLX example all pick a device and then await
 * GPU reads, so they could interleave; this lock runs one such job at a time, each with its own
 * default device.
 */
let tail: Promise<unknown> = Promise.resolve();

export function withDevice<T>(device: string, job: () => Promise<T> | T): Promise<T> {
  const run = tail.then(async () => {
    await setDefaultDevice(device);
    return job();
  });
  // The next job waits for this one whether it succeeds or fails.
  tail = run.catch(() => undefined);
  return run;
}
