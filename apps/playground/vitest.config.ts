import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// One Chromium for the whole browser test file (beforeAll); WebGPU runs on SwiftShader, which
// Chromium finds itself (--use-vulkan=swiftshader); VK_ICD_FILENAMES is passed on for the
// same setup as the other WebGPU tests, and a private XDG_RUNTIME_DIR silences a warning.
const swiftshader = "/usr/lib/chromium/vk_swiftshader_icd.json";

export default defineConfig({
  test: {
    name: "playground",
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: {
      VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? swiftshader,
      XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? mkdtempSync(join(tmpdir(), "xdg-")),
    },
  },
});
