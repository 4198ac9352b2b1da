/**
 * Exact decimal formatting of IEEE-754 doubles, emulating C's printf `%.Ng`
 * (what a default-configured C++ `std::ostream` uses for floating-point
 * values, with `precision()` == 6) and `%.Nf` (what `std::fixed` +
 * `std::setprecision(N)` uses).
 *
 * JavaScript's `toPrecision` / `toFixed` round exact ties away from zero,
 * while printf rounds the exact binary value with ties-to-even, and `toFixed`
 * switches to exponent notation at 1e21. To match printf exactly we expand the
 * double to its exact decimal value with BigInt and round that ourselves.
 */

/** An exact non-negative decimal: value = digits * 10^scale (digits has no leading zeros). */
interface ExactDecimal {
  digits: string;
  scale: number;
}

const scratch = new DataView(new ArrayBuffer(8));

/** Exact decimal expansion of a finite, strictly positive double. */
function exactDecimal(x: number): ExactDecimal {
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const biasedExp = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (biasedExp === 0) {
    exp2 = -1074; // subnormal
  } else {
    mantissa |= 1n << 52n;
    exp2 = biasedExp - 1075;
  }
  if (exp2 >= 0) {
    return { digits: (mantissa << BigInt(exp2)).toString(), scale: 0 };
  }
  // m / 2^k == m * 5^k / 10^k
  const k = -exp2;
  return { digits: (mantissa * 5n ** BigInt(k)).toString(), scale: -k };
}

/**
 * Round a digit string to `keep` digits (keep >= 0) with ties-to-even.
 * Returns the kept digits (possibly one longer after a carry, e.g. "999" -> "1000").
 */
function roundDigits(digits: string, keep: number): string {
  if (digits.length <= keep) return digits;
  const head = keep > 0 ? digits.slice(0, keep) : "0";
  const first = digits.charCodeAt(keep) - 48;
  let up: boolean;
  if (first > 5) {
    up = true;
  } else if (first < 5) {
    up = false;
  } else if (/[1-9]/.test(digits.slice(keep + 1))) {
    up = true;
  } else {
    // exact tie: round half to even
    const last = head.charCodeAt(head.length - 1) - 48;
    up = last % 2 === 1;
  }
  return up ? (BigInt(head) + 1n).toString() : head;
}

function stripTrailingZeros(s: string): string {
  let end = s.length;
  while (end > 1 && s.charCodeAt(end - 1) === 48) end--;
  return s.slice(0, end);
}

function nonFinite(x: number): string {
  if (Number.isNaN(x)) return "nan";
  return x > 0 ? "inf" : "-inf";
}

/**
 * printf("%.{precision}g", x): `precision` significant digits (0 is treated
 * as 1), style `e` when the decimal exponent X (after rounding) satisfies
 * X < -4 or X >= precision, style `f` otherwise; trailing zeros and a trailing
 * decimal point are removed; the exponent has a sign and at least two digits.
 */
export function formatGeneral(x: number, precision = 6): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return `${sign}0`;
  const p = Math.max(1, Math.floor(precision));
  const { digits, scale } = exactDecimal(Math.abs(x));
  let exp10 = digits.length - 1 + scale;
  let sig = roundDigits(digits, p);
  if (sig.length > p) {
    // carry produced an extra digit (e.g. 9.999995 -> 10.0000)
    sig = sig.slice(0, p);
    exp10 += 1;
  }
  sig = stripTrailingZeros(sig);

  if (exp10 < -4 || exp10 >= p) {
    const mant = sig.length > 1 ? `${sig[0]}.${sig.slice(1)}` : sig;
    const absExp = Math.abs(exp10);
    const expStr = absExp < 10 ? `0${absExp}` : `${absExp}`;
    return `${sign}${mant}e${exp10 < 0 ? "-" : "+"}${expStr}`;
  }
  if (exp10 >= 0) {
    const intLen = exp10 + 1;
    const intPart = sig.slice(0, intLen).padEnd(intLen, "0");
    const fracPart = sig.slice(intLen);
    return fracPart.length > 0 ? `${sign}${intPart}.${fracPart}` : `${sign}${intPart}`;
  }
  return `${sign}0.${"0".repeat(-exp10 - 1)}${sig}`;
}

/**
 * printf("%.{precision}f", x): exactly `precision` digits after the decimal
 * point (no point at all when precision is 0), ties-to-even on the exact
 * binary value, never exponent notation, sign kept for values that round to
 * zero (e.g. "-0.00").
 */
export function formatFixed(x: number, precision: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const p = Math.max(0, Math.floor(precision));
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  let scaled: bigint;
  if (x === 0) {
    scaled = 0n;
  } else {
    const { digits, scale } = exactDecimal(Math.abs(x));
    const shift = scale + p;
    if (shift >= 0) {
      scaled = BigInt(digits) * 10n ** BigInt(shift);
    } else {
      // keep the digits that sit left of 10^-p
      const keep = digits.length + shift;
      scaled = keep >= 0 ? BigInt(roundDigits(digits, keep)) : 0n;
    }
  }
  const s = scaled.toString().padStart(p + 1, "0");
  if (p === 0) return `${sign}${s}`;
  return `${sign}${s.slice(0, s.length - p)}.${s.slice(s.length - p)}`;
}
