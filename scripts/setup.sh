#!/usr/bin/env bash
# Installs everything nnkit needs on a fresh Debian machine that has only Node 20 and npm:
# the pinned pnpm, then the workspace's dependencies from the lockfile. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION="$(node -p 'require("./package.json").packageManager.split("@")[1]')"

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm@$PNPM_VERSION"
  # corepack cannot verify pnpm's signatures here, so install from npm directly.
  npm install --global --allow-scripts=pnpm "pnpm@$PNPM_VERSION" >/dev/null
fi
if [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "setup: pnpm $PNPM_VERSION is installed but $(command -v pnpm) reports $(pnpm --version); fix PATH" >&2
  exit 1
fi

export TURBO_TELEMETRY_DISABLED=1
pnpm install --frozen-lockfile --reporter=silent
echo "setup: dependencies installed (pnpm $PNPM_VERSION, node $(node --version))"

# The WebGPU tests run on SwiftShader, the software Vulkan driver in Debian's chromium package
# (Dawn in Node, and Chromium itself for the browser test). Without it they are skipped, which
# is fine locally; CI (.ci/run) installs it and fails on such skips.
ICD="${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}"
if [ ! -f "$ICD" ] || [ ! -x /usr/bin/chromium ]; then
  echo "setup: note: no SwiftShader/Chromium ($ICD, /usr/bin/chromium): WebGPU tests will be skipped (apt-get install -y chromium libvulkan1)"
fi
