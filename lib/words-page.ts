// A short page in words for answers made outside the app's layout (the
// proxy's refusals, PDF routes that cannot render): a title, paragraphs and
// optional links, every value escaped. Never a stack trace.
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function wordsPage(title: string, paragraphs: string[], links: { href: string; text: string; after?: string }[] = [{ href: '/', text: 'Back to the overview' }]): string {
  const body = paragraphs.map((p) => `<p>${escape(p)}</p>`).join('') + links.map((l) => `<p><a href="${escape(l.href)}">${escape(l.text)}</a>${l.after ? escape(l.after) : ''}</p>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · Takedown Monitor</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;line-height:1.45"><h1>${escape(title)}</h1>${body}</body></html>`;
}
