import type { Array as MxArray } from "@nnkit/core";

/**
 * Collects the arrays a computation creates and disposes them together, so GPU buffers are
 * freed as soon as the values have been read, not when the garbage collector gets to them.
 */
export class ArrayScope {
  private readonly arrays: MxArray[] = [];

  track<T extends MxArray | readonly MxArray[]>(a: T): T {
    if (Array.isArray(a)) this.arrays.push(...a);
    else this.arrays.push(a as MxArray);
    return a;
  }

  dispose(): void {
    for (const a of this.arrays) a.dispose();
    this.arrays.length = 0;
  }
}

/** Runs `body` with a fresh scope and disposes everything it tracked, even on error. */
export async function withScope<T>(body: (scope: ArrayScope) => Promise<T>): Promise<T> {
  const scope = new ArrayScope();
  try {
    return await body(scope);
  } finally {
    scope.dispose();
  }
}
