import { FIELDS } from '@/lib/import/validate-row';

/** A valid referral row (as CSV fields) that a test overrides field by field. */
export function validRow(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    referral_id: 'T-1',
    kind: 'referral',
    unit: 'eu-iru',
    campaign: '',
    platform: 'alpha',
    group: 'daesh',
    language: 'ar',
    content_type: 'video',
    url: 'https://alpha.example/item/T-1',
    content_hash: '',
    referred_at: '2026-02-01T00:00:00Z',
    received_at: '',
    outcome: 'removed',
    outcome_at: '2026-02-01T05:00:00Z',
    outcome_reason: '',
    clock_paused_hours: '',
    views_at_referral: '',
    views_at_outcome: '',
    notes: '',
    ...overrides,
  };
}

/** CSV text with the full header and the given rows (values without commas or quotes). */
export function csvOf(rows: Record<string, string>[], columns: readonly string[] = FIELDS): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => r[c] ?? '').join(','))].join('\n') + '\n';
}
