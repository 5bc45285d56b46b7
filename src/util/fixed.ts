/** Numbers for people: `fixed` never prints "-0.0". */

/**
 * `x` with `digits` decimals, never a negative zero ("-0.0" for a mean of -0.04 is printed as
 * "0.0"); `-` when `x` is not finite.
 */
export function fixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return '-';
  const text = x.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}
