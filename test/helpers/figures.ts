import { expect } from 'vitest';

const TIME_KEYS = new Set(['time', 'km_median', 'km_p90', 'max_follow_up', 'median', 'mean', 'p90', 'hours']);

/**
 * Every key of `expected` (recursively) is in `actual` with the same value:
 * rates and intervals to 1e-9, times (hours) to 1e-6, counts and text exactly.
 */
export function expectFigures(actual: unknown, expected: unknown, where: string, key = ''): void {
  if (expected === null) {
    expect(actual, `${where}${key}`).toBeNull();
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${where}${key} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${where}${key} length`).toBe(expected.length);
    expected.forEach((e, i) => expectFigures((actual as unknown[])[i], e, where, `${key}[${i}]`));
    return;
  }
  if (typeof expected === 'object') {
    for (const [k, v] of Object.entries(expected as Record<string, unknown>))
      expectFigures((actual as Record<string, unknown>)?.[k], v, where, `${key}.${k}`);
    return;
  }
  if (typeof expected === 'number' && !Number.isInteger(expected)) {
    const last = key.split('.').pop()!;
    const tolerance = TIME_KEYS.has(last) ? 1e-6 : 1e-9;
    expect(typeof actual, `${where}${key}`).toBe('number');
    expect(Math.abs((actual as number) - expected), `${where}${key}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
    return;
  }
  if (typeof expected === 'number') {
    expect(typeof actual, `${where}${key}`).toBe('number');
    const last = key.split('.').pop()!;
    const tolerance = TIME_KEYS.has(last) ? 1e-6 : ['surv', 'lower', 'upper', 'rate', 'removal_rate'].includes(last) ? 1e-9 : 0;
    expect(Math.abs((actual as number) - expected), `${where}${key}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
    return;
  }
  expect(actual, `${where}${key}`).toEqual(expected);
}
