/**
 * Money and other decimals sent as text (`"25.00"` under a pattern of decimals): a pattern without
 * a minus sign, or with a fixed number of decimals, refuses values that still read as numbers. A
 * non-numeric text tells little about such a field: the server's number parser refuses it anyway.
 * The telling wrong values are numbers the pattern forbids: the value negated, zero in the same
 * shape, one decimal too many.
 */

/** A decimal with a fraction: digit strings without one are more often codes (a PIN, a postcode) than amounts */
const DECIMAL_TEXT = /^\d+\.\d+$/;

/** Numeric texts derived from `valid` that `accepts` refuses, with why each is wrong. */
export function numericTextViolations(valid: unknown, accepts: (text: string) => boolean): { text: string; reason: string }[] {
  if (typeof valid !== "string" || !DECIMAL_TEXT.test(valid)) return [];
  const zero = valid.replace(/\d/g, "0").replace(/^0+(?=\d)/, "");
  const candidates = [
    { text: `-${valid}`, reason: "negative number text" },
    { text: zero, reason: "zero as number text" },
    { text: `${valid}1`, reason: "number text with one more decimal" },
  ];
  return candidates.filter((c) => c.text !== valid && !accepts(c.text));
}
