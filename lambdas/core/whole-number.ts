/**
 * A whole number within [min, max] from a setting as it arrives (a number, or a string from an
 * environment variable or `cdk -c key=value`); undefined when it is not one. Callers word
 * their own error, naming their setting.
 */
export function wholeNumberWithin(value: unknown, min: number, max: number): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= min && number <= max
    ? number
    : undefined;
}
