'use client';
// Referrals over time, stacked by a dimension (each key keeps its colour).
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { colourFor } from './palette';

export interface SeriesKey {
  key: string;
  name: string;
  colourIndex: number;
}

export function StackedSeriesChart({ data, keys, height = 300 }: { data: Record<string, string | number>[]; keys: SeriesKey[]; height?: number }) {
  return (
    <div style={{ width: '100%', height }} role="img" aria-label={`Referrals over time, stacked by ${keys.map((k) => k.name).join(', ')}`}>
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#e5e5e5" vertical={false} />
          <XAxis dataKey="period" tick={{ fontSize: 11 }} minTickGap={16} />
          <YAxis tickFormatter={(v: number) => v.toLocaleString('en-GB')} width={56} />
          <Tooltip formatter={(v, name) => [Number(v).toLocaleString('en-GB'), name]} />
          <Legend />
          {keys.map((k) => (
            <Bar key={k.key} dataKey={k.key} name={k.name} stackId="all" fill={colourFor(k.colourIndex)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
