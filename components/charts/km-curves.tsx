'use client';
// Kaplan–Meier curves: share still online against hours since clock start,
// on a log scale with deadline lines at 1 h, 24 h and 7 days (UI.md).
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartBox } from './chart-box';
import { colourFor } from './palette';

export interface KmPoint {
  time: number;
  surv: number;
  lower: number | null;
  upper: number | null;
}

export interface KmSeries {
  key: string;
  name: string;
  colourIndex: number;
  points: KmPoint[];
}

/** The log axis cannot show 0 h: the curve starts at three minutes. */
const FIRST_HOUR = 0.05;
const TICKS = [0.05, 1, 6, 24, 168, 720, 8760];
const TICK_LABELS: Record<number, string> = { 0.05: '3 min', 1: '1 h', 6: '6 h', 24: '24 h', 168: '7 days', 720: '30 days', 8760: '1 year' };

function stepData(points: KmPoint[], maxTime: number) {
  const data: { time: number; surv: number; band: [number, number] | null }[] = [{ time: FIRST_HOUR, surv: 1, band: [1, 1] }];
  for (const p of points) {
    const t = Math.max(FIRST_HOUR, p.time);
    data.push({ time: t, surv: p.surv, band: p.lower !== null && p.upper !== null ? [p.lower, p.upper] : null });
  }
  const last = data[data.length - 1];
  if (last.time < maxTime) data.push({ ...last, time: maxTime });
  return data;
}

export function KmCurves({
  series,
  maxTime,
  height = 320,
  width,
  showBands = true,
}: {
  series: KmSeries[];
  maxTime: number;
  height?: number;
  /** A fixed width in px (print); by default the container's. */
  width?: number;
  showBands?: boolean;
}) {
  const upper = Math.max(FIRST_HOUR * 10, maxTime);
  const ticks = TICKS.filter((t) => t <= upper);
  return (
    <ChartBox width={width} height={height} label={`Kaplan–Meier curves: share still online by hours since clock start, for ${series.map((s) => s.name).join(', ')}`}>
        <ComposedChart margin={{ top: 8, right: 16, bottom: 20, left: 0 }}>
          <CartesianGrid stroke="#e5e5e5" />
          <XAxis
            dataKey="time"
            type="number"
            scale="log"
            domain={[FIRST_HOUR, upper]}
            ticks={ticks}
            tickFormatter={(t: number) => TICK_LABELS[t] ?? `${t} h`}
            label={{ value: 'Hours since clock start (log scale)', position: 'insideBottom', offset: -14, fontSize: 12 }}
            allowDataOverflow
          />
          <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} width={48} />
          <Tooltip
            formatter={(value, name) => (Array.isArray(value) ? [`${Math.round(Number(value[0]) * 100)}–${Math.round(Number(value[1]) * 100)}%`, `${name} (95% interval)`] : [`${Math.round(Number(value) * 100)}%`, name])}
            labelFormatter={(t) => `${Number(t) < 1 ? `${Math.round(Number(t) * 60)} min` : `${Number(t).toFixed(1)} h`} after clock start`}
          />
          <Legend verticalAlign="top" height={30} />
          {[1, 24, 168].map((h) => (
            <ReferenceLine key={h} x={h} stroke="#555" strokeDasharray="4 3" label={{ value: TICK_LABELS[h], position: 'insideTopRight', fontSize: 11 }} />
          ))}
          {series.map((s) => {
            const data = stepData(s.points, upper);
            return [
              showBands ? (
                <Area
                  key={`${s.key}-band`}
                  data={data}
                  dataKey="band"
                  type="stepAfter"
                  stroke="none"
                  fill={colourFor(s.colourIndex)}
                  fillOpacity={0.15}
                  isAnimationActive={false}
                  legendType="none"
                  name={s.name}
                  connectNulls
                />
              ) : null,
              <Line
                key={s.key}
                data={data}
                dataKey="surv"
                type="stepAfter"
                stroke={colourFor(s.colourIndex)}
                strokeWidth={2}
                strokeDasharray={s.colourIndex % 2 ? '6 3' : undefined}
                dot={false}
                isAnimationActive={false}
                name={s.name}
              />,
            ];
          })}
        </ComposedChart>
    </ChartBox>
  );
}
