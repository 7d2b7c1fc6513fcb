import { pdfRoute } from '@/lib/briefing/pdf-route';
import { exportFileName } from '@/lib/export-name';

export const dynamic = 'force-dynamic';

/** The briefing page for the same filters, as an A4 PDF rendered by Chromium. */
export const GET = pdfRoute('/briefing.pdf', '/briefing', {}, ({ filters }) => exportFileName('briefing', filters, 'pdf'));
