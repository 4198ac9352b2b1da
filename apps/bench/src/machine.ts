import { execFileSync } from "node:child_process";
import { cpus, freemem, release, totalmem } from "node:os";

/** The machine and runtime the numbers come from. */
export interface MachineInfo {
  readonly cpu: string;
  readonly logicalCores: number;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly v8: string;
  /** nnkit's commit, and whether the working tree had changes. */
  readonly nnkitCommit: string;
}

function git(args: string[]): string | undefined {
  try {
    return execFileSync("git", args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  const gib = (b: number) => Math.round((b / 2 ** 30) * 10) / 10;
  const sha = git(["rev-parse", "--short", "HEAD"]);
  const dirty = git(["status", "--porcelain", "--", "packages"]);
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    logicalCores: list.length,
    memoryGiB: gib(totalmem()),
    freeMemoryGiB: gib(freemem()),
    os: `${process.platform} ${release()} ${process.arch}`,
    node: process.version,
    v8: process.versions.v8,
    nnkitCommit: sha ? `${sha}${dirty ? " (packages/ modified)" : ""}` : "unknown",
  };
}
