'use client';
// A monthly figure per provider as lines (each provider keeps its colour and dash).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { colourFor } from './palette';

export interface MonthlySeries {
  key: string;
  name: string;
  colourIndex: number;
}

export function MonthlyLines({ data, series, unit }: { data: Record<string, string | number | null>[]; series: MonthlySeries[]; unit: 'hours' }) {
  const values = data.flatMap((d) => series.map((s) => d[s.key])).filter((v): v is number => typeof v === 'number' && v > 0);
  const domain: [number, number] = values.length ? [Math.min(...values) / 1.5, Math.max(...values) * 1.5] : [0.05, 1];
  const format = (v: number) => (v < 1 ? `${Math.round(v * 60)} min` : v < 48 ? `${Math.round(v * 10) / 10} h` : `${Math.round((v / 24) * 10) / 10} days`);
  return (
    <div style={{ width: '100%', height: 300 }} role="img" aria-label={`Monthly median time to removal for ${series.map((s) => s.name).join(', ')}`}>
      <ResponsiveContainer>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#e5e5e5" />
          <XAxis dataKey="month" tick={{ fontSize: 11 }} minTickGap={12} />
          <YAxis scale="log" domain={domain} allowDataOverflow tickFormatter={(v: number) => (unit === 'hours' ? format(v) : String(v))} width={64} />
          <Tooltip formatter={(v, name) => [v === null ? 'not reached' : format(Number(v)), name]} />
          <Legend />
          {series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stroke={colourFor(s.colourIndex)}
              strokeDasharray={s.colourIndex % 2 ? '6 3' : undefined}
              strokeWidth={2}
              dot={{ r: 2 }}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
