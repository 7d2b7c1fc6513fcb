'use client';
// Horizontal bars of counts; clicking a bar adds its value to the filters
// (clicking again removes it).
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { colourFor } from './palette';

export interface BarRow {
  key: string;
  label: string;
  value: number;
}

export function HorizontalBars({ rows, filterKey, valueLabel = 'Referrals' }: { rows: BarRow[]; filterKey?: string; valueLabel?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const selected = filterKey ? searchParams.getAll(filterKey).flatMap((v) => v.split(',')) : [];
  const toggle = (key: string) => {
    if (!filterKey) return;
    const params = new URLSearchParams(searchParams.toString());
    const next = selected.includes(key) ? selected.filter((v) => v !== key) : [...selected, key];
    params.delete(filterKey);
    params.delete('page');
    if (next.length) params.set(filterKey, next.join(','));
    router.push(params.size ? `${pathname}?${params}` : pathname, { scroll: false });
  };
  const height = Math.max(120, rows.length * 26 + 40);
  return (
    <div style={{ width: '100%', height }} role="img" aria-label={`${valueLabel} by ${filterKey ?? 'key'}: ${rows.map((r) => `${r.label} ${r.value}`).join(', ')}`}>
      <ResponsiveContainer>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 48, bottom: 4, left: 8 }}>
          <CartesianGrid stroke="#e5e5e5" horizontal={false} />
          <XAxis type="number" tickFormatter={(v: number) => v.toLocaleString('en-GB')} />
          <YAxis type="category" dataKey="label" width={170} tick={{ fontSize: 12 }} interval={0} />
          <Tooltip formatter={(v) => [Number(v).toLocaleString('en-GB'), valueLabel]} />
          <Bar dataKey="value" name={valueLabel} isAnimationActive={false} onClick={(d) => toggle((d as unknown as { payload: BarRow }).payload.key)} cursor={filterKey ? 'pointer' : undefined}>
            {rows.map((r) => (
              <Cell key={r.key} fill={selected.length === 0 || selected.includes(r.key) ? colourFor(0) : '#b5c9dc'} />
            ))}
            <LabelList dataKey="value" position="right" formatter={(v: unknown) => Number(v).toLocaleString('en-GB')} fontSize={11} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
