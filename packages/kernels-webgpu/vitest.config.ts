import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// Dawn finds SwiftShader (Debian's chromium package) through VK_ICD_FILENAMES; a private
// XDG_RUNTIME_DIR silences a harmless warning.
const swiftshader = "/usr/lib/chromium/vk_swiftshader_icd.json";

export default defineConfig({
  test: {
    name: "kernels-webgpu",
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: {
      VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? swiftshader,
      XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? mkdtempSync(join(tmpdir(), "xdg-")),
    },
  },
});
