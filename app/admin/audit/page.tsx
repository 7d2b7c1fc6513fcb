import type { Metadata } from 'next';
import Link from 'next/link';
import { getStore } from '@/db/open';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, readAudit, type AuditAction, type AuditOutcome } from '@/lib/auth/audit';
import { requirePage } from '@/lib/auth/dal';
import { formatCount } from '@/lib/format';
import { formatInstant, parseInstant } from '@/lib/instant';
import type { SearchParams } from '@/lib/page-filters';

export const metadata: Metadata = { title: 'Audit trail' };

const PAGE_SIZE = 100;

const one = (v: string | string[] | undefined) => ((Array.isArray(v) ? v[0] : v) ?? '').trim();

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage('/admin/audit');
  const params = await searchParams;
  const problems: string[] = [];
  const actor = one(params.actor);
  const action = one(params.action);
  const outcome = one(params.outcome);
  if (action && !(AUDIT_ACTIONS as readonly string[]).includes(action)) problems.push(`action: '${action}' is not one of ${AUDIT_ACTIONS.join(', ')}`);
  if (outcome && !(AUDIT_OUTCOMES as readonly string[]).includes(outcome)) problems.push(`outcome: '${outcome}' is not one of ${AUDIT_OUTCOMES.join(', ')}`);
  const instant = (name: 'from' | 'to') => {
    const text = one(params[name]);
    if (!text) return undefined;
    const parsed = parseInstant(text);
    if (!parsed.ok) {
      problems.push(`${name}: ${parsed.message}`);
      return undefined;
    }
    return parsed.ms;
  };
  const from = instant('from');
  const to = instant('to');
  const pageText = one(params.page) || '1';
  const page = /^[1-9]\d{0,6}$/.test(pageText) ? Number(pageText) : 1;
  const result = problems.length
    ? { total: 0, rows: [] }
    : await readAudit(getStore(), { actor: actor || undefined, action: (action || undefined) as AuditAction | undefined, outcome: (outcome || undefined) as AuditOutcome | undefined, from, to, page, pageSize: PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const link = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ actor, action, outcome, from: one(params.from), to: one(params.to) })) if (v) q.set(k, v);
    q.set('page', String(p));
    return `/admin/audit?${q}`;
  };
  return (
    <>
      <h1>Audit trail</h1>
      <p>
        Every sign-in and failed sign-in, refusal, record view, export, briefing download, import and change to users, newest first. Times are UTC. Entries cannot
        be changed or deleted (the database refuses it).
      </p>
      <form method="get" className="audit-filters">
        <label htmlFor="actor">User (e-mail, or - for nobody)</label> <input id="actor" name="actor" defaultValue={actor} />{' '}
        <label htmlFor="action">Action</label>{' '}
        <select id="action" name="action" defaultValue={action}>
          <option value="">any</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a.replaceAll('_', ' ')}
            </option>
          ))}
        </select>{' '}
        <label htmlFor="outcome">Outcome</label>{' '}
        <select id="outcome" name="outcome" defaultValue={outcome}>
          <option value="">any</option>
          {AUDIT_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>{' '}
        <label htmlFor="from">From</label> <input id="from" name="from" placeholder="2026-01-01" defaultValue={one(params.from)} size={12} />{' '}
        <label htmlFor="to">To (before)</label> <input id="to" name="to" placeholder="2026-12-31" defaultValue={one(params.to)} size={12} />{' '}
        <button type="submit">Show</button>
      </form>
      {problems.length > 0 && (
        <div role="alert" className="error-panel">
          These filters cannot be read: {problems.join('; ')}.
        </div>
      )}
      <p className="subtitle" id="audit-count">
        {formatCount(result.total)} entries{result.total > PAGE_SIZE ? `; page ${page} of ${pages}` : ''}.
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
        <table aria-labelledby="audit-count" id="audit-table">
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Action</th>
              <th scope="col">Outcome</th>
              <th scope="col">Target</th>
              <th scope="col">Filters</th>
              <th scope="col">Detail</th>
              <th scope="col">Client address</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((r) => (
              <tr key={r.id}>
                <td>{formatInstant(r.at)}</td>
                <td className="inert">{r.actor}</td>
                <td>{r.role ?? '–'}</td>
                <td>{r.action.replaceAll('_', ' ')}</td>
                <td>{r.outcome}</td>
                <td className="inert">{r.target}</td>
                <td className="inert">{r.filters ?? ''}</td>
                <td className="inert">{r.detail ?? ''}</td>
                <td className="inert">{r.client ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <p>
          {page > 1 && <Link href={link(page - 1)}>Newer</Link>} {page < pages && <Link href={link(page + 1)}>Older</Link>}
        </p>
      )}
    </>
  );
}
