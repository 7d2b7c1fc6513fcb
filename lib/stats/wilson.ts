// METRICS.md, "Deadline compliance": Wilson score 95% interval for a share.
import { Z95 } from './normal';

export interface Proportion {
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

/** successes of n; all null when n is 0. */
export function wilson(successes: number, n: number, z: number = Z95): Proportion {
  if (n <= 0) return { rate: null, lower: null, upper: null };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    rate: p,
    lower: Math.max(0, (centre - half) / denominator),
    upper: Math.min(1, (centre + half) / denominator),
  };
}
