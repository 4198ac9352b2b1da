import { decode } from "fast-png";

/** An RGB colour from "#rrggbb". */
export function hexColor(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export interface PixelStats {
  readonly width: number;
  readonly height: number;
  /** Share of pixels that differ from the most common colour (0 for a blank image). */
  readonly nonBackground: number;
  readonly distinctColors: number;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function pixels(png: Uint8Array) {
  const img = decode(png);
  if (img.depth !== 8) throw new Error(`expected an 8-bit PNG, got depth ${img.depth}`);
  const rgb = (i: number): [number, number, number] => {
    const o = i * img.channels;
    return [img.data[o] as number, img.data[o + 1] as number, img.data[o + 2] as number];
  };
  return { img, rgb };
}

/** How far an image is from blank: one colour everywhere gives nonBackground 0. */
export function pixelStats(png: Uint8Array): PixelStats {
  const { img, rgb } = pixels(png);
  const counts = new Map<number, number>();
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const [r, g, b] = rgb(i);
    const key = (r << 16) | (g << 8) | b;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const top = Math.max(...counts.values());
  return {
    width: img.width,
    height: img.height,
    nonBackground: (n - top) / n,
    distinctColors: counts.size,
  };
}

/** Pixels inside `box` within `tolerance` (summed over r, g, b) of `color`. */
export function countColor(
  png: Uint8Array,
  box: Box,
  color: readonly [number, number, number],
  tolerance = 60,
): number {
  const { img, rgb } = pixels(png);
  let count = 0;
  const x1 = Math.min(img.width, Math.floor(box.x + box.width));
  const y1 = Math.min(img.height, Math.floor(box.y + box.height));
  for (let y = Math.max(0, Math.floor(box.y)); y < y1; y++) {
    for (let x = Math.max(0, Math.floor(box.x)); x < x1; x++) {
      const [r, g, b] = rgb(y * img.width + x);
      const d = Math.abs(r - color[0]) + Math.abs(g - color[1]) + Math.abs(b - color[2]);
      if (d <= tolerance) count++;
    }
  }
  return count;
}
