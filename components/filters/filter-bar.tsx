'use client';
// The filter bar: every filter lives in the URL, so every view is a link.
// Changing a filter replaces the query (and resets pagination).
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import type { FilterOption, FilterOptions } from '@/lib/filter-options';
import styles from './filter-bar.module.css';

const DIMENSION_LABELS: [keyof FilterOptions, string][] = [
  ['platform', 'Platform'],
  ['platform_type', 'Platform type'],
  ['group', 'Group'],
  ['ideology', 'Ideology'],
  ['language', 'Language'],
  ['content_type', 'Content type'],
  ['unit', 'Referring unit'],
  ['campaign', 'Campaign'],
  ['kind', 'Kind'],
];

const DAY = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Date presets relative to as_of (or today). */
function presets(asOf: number): { label: string; from: string | null; to: string | null }[] {
  const today = isoDay(asOf);
  const d = new Date(asOf);
  const monthsBack = (m: number) => isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - m, d.getUTCDate()) + DAY);
  return [
    { label: 'Last 30 days', from: isoDay(asOf - 29 * DAY), to: today },
    { label: 'Last quarter', from: monthsBack(3), to: today },
    { label: 'Last 12 months', from: monthsBack(12), to: today },
    { label: 'Year to date', from: `${d.getUTCFullYear()}-01-01`, to: today },
    { label: 'All', from: null, to: null },
  ];
}

export function FilterBar({ options, asOf }: { options: FilterOptions; asOf: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();
  const [open, setOpen] = useState(false);
  const id = useId();

  const navigate = (change: (params: URLSearchParams) => void) => {
    const params = new URLSearchParams(searchParams.toString());
    change(params);
    params.delete('page');
    startTransition(() => router.push(params.size ? `${pathname}?${params}` : pathname, { scroll: false }));
  };
  const values = (key: string) => searchParams.getAll(key).flatMap((v) => v.split(',')).filter(Boolean);
  const setValues = (key: string, list: string[]) =>
    navigate((p) => {
      p.delete(key);
      if (list.length) p.set(key, list.join(','));
    });
  const setSingle = (key: string, value: string) =>
    navigate((p) => {
      if (value) p.set(key, value);
      else p.delete(key);
    });

  const active: { key: string; value: string; label: string }[] = [];
  for (const [key, name] of DIMENSION_LABELS)
    for (const v of values(key)) active.push({ key, value: v, label: `${name}: ${options[key].find((o) => o.value === v)?.label ?? v}` });
  const from = searchParams.get('from');
  const to = searchParams.get('to');
  const asOfParam = searchParams.get('as_of');

  return (
    <section className={`filter-bar ${styles.bar}`} aria-label="Filters" data-pending={pending || undefined}>
      <div className={styles.row}>
        <span className={styles.label}>Period</span>
        {presets(asOf).map((p) => (
          <button
            key={p.label}
            type="button"
            className={styles.preset}
            aria-pressed={(p.from ?? '') === (from ?? '') && (p.to ?? '') === (to ?? '')}
            onClick={() =>
              navigate((q) => {
                for (const [k, v] of [['from', p.from], ['to', p.to]] as const) {
                  if (v) q.set(k, v);
                  else q.delete(k);
                }
              })
            }
          >
            {p.label}
          </button>
        ))}
        <label className={styles.field}>
          From <input type="date" value={from ?? ''} onChange={(e) => setSingle('from', e.target.value)} />
        </label>
        <label className={styles.field}>
          To <input type="date" value={to ?? ''} onChange={(e) => setSingle('to', e.target.value)} />
        </label>
        <label className={styles.field}>
          As of (UTC){' '}
          <input
            type="datetime-local"
            value={asOfParam ? asOfParam.replace(/Z$/, '').slice(0, 16) : ''}
            onChange={(e) => setSingle('as_of', e.target.value ? `${e.target.value}:00Z` : '')}
          />
        </label>
        <button type="button" className={styles.toggle} aria-expanded={open} aria-controls={`${id}-more`} onClick={() => setOpen(!open)}>
          {open ? 'Fewer filters' : 'More filters'}
        </button>
      </div>
      <div id={`${id}-more`} className={styles.grid} hidden={!open}>
        {DIMENSION_LABELS.map(([key, name]) => (
          <MultiSelect key={key} name={name} options={options[key]} selected={values(key)} onChange={(list) => setValues(key, list)} />
        ))}
      </div>
      {active.length > 0 && (
        <ul className={styles.chips} aria-label="Active filters">
          {active.map((a) => (
            <li key={`${a.key}=${a.value}`}>
              <button
                type="button"
                className={styles.chip}
                aria-label={`Remove filter ${a.label}`}
                onClick={() => setValues(a.key, values(a.key).filter((v) => v !== a.value))}
              >
                {a.label} <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
          <li>
            <button type="button" className={styles.clear} onClick={() => navigate((p) => DIMENSION_LABELS.forEach(([k]) => p.delete(k)))}>
              Clear all
            </button>
          </li>
        </ul>
      )}
    </section>
  );
}

function MultiSelect({ name, options, selected, onChange }: { name: string; options: FilterOption[]; selected: string[]; onChange: (v: string[]) => void }) {
  const [search, setSearch] = useState('');
  const id = useId();
  const shown = options.filter((o) => o.label.toLowerCase().includes(search.toLowerCase()) || selected.includes(o.value));
  return (
    <div className={styles.multi}>
      <label htmlFor={`${id}-select`}>{name}</label>
      {options.length > 8 && (
        <input type="search" aria-label={`Search ${name.toLowerCase()}`} placeholder="Search…" value={search} onChange={(e) => setSearch(e.target.value)} />
      )}
      <select
        id={`${id}-select`}
        multiple
        size={Math.min(5, Math.max(2, shown.length))}
        value={selected}
        onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}
      >
        {shown.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
