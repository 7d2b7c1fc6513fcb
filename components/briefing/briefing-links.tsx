// "Download briefing (PDF)" for the view's filters, and its printable page.
import Link from 'next/link';
import { filterQuery } from '@/lib/filters';

export function BriefingLinks({ query }: { query: string }) {
  // The view's own parameters (sort, page…) are not the briefing's.
  const filters = filterQuery(query);
  const q = filters ? `?${filters}` : '';
  return (
    <p className="briefing-links screen-only">
      <a href={`/briefing.pdf${q}`} download>
        Download briefing (PDF)
      </a>{' '}
      · <Link href={`/briefing${q}`}>Printable briefing</Link>
    </p>
  );
}
