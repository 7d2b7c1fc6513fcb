// Kaplan–Meier curves (server side): hands the chart only what it draws.
// The estimates carry counts at risk and events too, and doubles to 17
// digits; the page's React payload carries whatever reaches the client
// component, so a curve is passed as time, share and interval at six
// significant digits (far finer than a pixel; the data table beside the
// chart keeps the exact values).
import type { ComponentProps } from 'react';
import { KmCurves, type KmPoint } from './km-curves';

const drawn = (v: number) => Number(v.toPrecision(6));

/** The points of a curve as the chart needs them. */
export function chartPoints(points: readonly KmPoint[]): KmPoint[] {
  return points.map((p) => ({ time: drawn(p.time), surv: drawn(p.surv), lower: p.lower === null ? null : drawn(p.lower), upper: p.upper === null ? null : drawn(p.upper) }));
}

export function KmChart({ series, ...rest }: ComponentProps<typeof KmCurves>) {
  return <KmCurves series={series.map((s) => ({ ...s, points: chartPoints(s.points) }))} {...rest} />;
}
