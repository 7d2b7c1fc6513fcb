'use client';
// Compliance per provider as bars with their Wilson 95% interval as whiskers.
import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartBox } from './chart-box';
import { colourFor } from './palette';

export interface ComplianceBar {
  key: string;
  label: string;
  rate: number;
  /** Distances below and above the rate, for the whiskers. */
  error: [number, number];
  eligible: number;
  lowN: boolean;
  colourIndex: number;
}

export function ComplianceBars({ rows, target, width, axisLabel = 'Share within the deadline' }: { rows: ComplianceBar[]; target?: number; width?: number; axisLabel?: string }) {
  const height = Math.max(160, rows.length * 28 + 70);
  return (
    <ChartBox width={width} height={height} label={`Compliance by provider: ${rows.map((r) => `${r.label} ${Math.round(r.rate * 100)}%`).join(', ')}`}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 20, left: 8 }}>
          <CartesianGrid stroke="#e5e5e5" horizontal={false} />
          <XAxis
            type="number"
            domain={[0, 1]}
            tickFormatter={(v: number) => `${Math.round(v * 100)}%`}
            label={{ value: axisLabel, position: 'insideBottom', offset: -14, fontSize: 12 }}
          />
          <YAxis type="category" dataKey="label" width={150} tick={{ fontSize: 12 }} interval={0} />
          <Tooltip
            formatter={(_v, _n, item) => {
              const r = (item as unknown as { payload: ComplianceBar }).payload;
              return [`${Math.round(r.rate * 100)}% (${Math.round((r.rate - r.error[0]) * 100)}–${Math.round((r.rate + r.error[1]) * 100)}%), n = ${r.eligible}${r.lowN ? ', low n' : ''}`, 'Compliance'];
            }}
          />
          {target !== undefined && <ReferenceLine x={target} stroke="#555" strokeDasharray="4 3" label={{ value: `target ${Math.round(target * 100)}%`, fontSize: 11, position: 'top' }} />}
          <Bar dataKey="rate" isAnimationActive={false}>
            {rows.map((r) => (
              <Cell key={r.key} fill={colourFor(r.colourIndex)} fillOpacity={r.lowN ? 0.35 : 1} stroke={r.lowN ? '#000' : undefined} strokeDasharray={r.lowN ? '3 2' : undefined} />
            ))}
            <ErrorBar dataKey="error" width={6} strokeWidth={1.5} stroke="#222" direction="x" />
          </Bar>
        </BarChart>
    </ChartBox>
  );
}
