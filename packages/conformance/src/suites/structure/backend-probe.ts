import { array, listBackends, NnkitError, setDefaultDevice } from "@nnkit/core";

/**
 * Whether the default backend reads synchronously, probed at run time (the backend may only be
 * initialised once the suite's beforeAll has run). A backend that cannot must say so with the
 * documented error; any other failure is rethrown so that it fails the calling test.
 */
export function probeSyncRead(): boolean {
  const x = array([1]);
  try {
    x.dataSync();
    return true;
  } catch (e) {
    if (e instanceof NnkitError && e.fn === "dataSync" && e.message.includes("await x.data()")) {
      return false;
    }
    throw e;
  } finally {
    x.dispose();
  }
}

export const SYNC_SKIP_NOTE =
  "this backend cannot read synchronously (checked by the data-access suite)";

/**
 * A registered backend other than `current` that has not failed, for cross-backend tests;
 * decided when the tests are collected, so the skip is visible in the report.
 */
export function otherBackend(current: string): string | undefined {
  const others = listBackends().filter((b) => b.name !== current && b.error === undefined);
  return (others.find((b) => b.initialized) ?? others[0])?.name;
}

/** Initialises backend `name` (which may be asynchronous) and makes `current` the default again. */
export async function ensureInitialised(name: string, current: string): Promise<void> {
  await setDefaultDevice(name);
  await setDefaultDevice(current);
}
