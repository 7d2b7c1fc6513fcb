// The rendered-page cache on its own: one render however many ask at once,
// a stamp that no longer holds renders again, only plain HTML answers are
// kept, and the least recently used go first over the size limit.
import { describe, expect, it } from 'vitest';
import { cachedPage, pageCacheKey, pageCacheSize, pageStamp, RENDER_HEADER } from '@/lib/page-cache';
import { principalOf } from '../helpers/principals';

const html = (body: string, status = 200, type = 'text/html; charset=utf-8') =>
  new Response(body, { status, headers: { 'Content-Type': type, 'Content-Security-Policy': "script-src 'nonce-abc'" } });

describe('the rendered-page cache', () => {
  it('renders a page once for concurrent requests, then serves it until its stamp changes', async () => {
    let renders = 0;
    const render = async (headers: Record<string, string>) => {
      renders++;
      expect(Object.keys(headers)).toContain(RENDER_HEADER);
      await new Promise((r) => setTimeout(r, 20));
      return html(`page ${renders}`);
    };
    const key = pageCacheKey(principalOf('viewer'), '/providers', '?as_of=2026-03-01T00:00:00Z');
    const first = await Promise.all(Array.from({ length: 10 }, () => cachedPage(key, 'v1', 1 << 20, render)));
    expect(renders).toBe(1);
    expect(first.map((r) => new TextDecoder().decode(r!.page.body))).toEqual(Array(10).fill('page 1'));
    const again = await cachedPage(key, 'v1', 1 << 20, render);
    expect([again!.hit, again!.page.csp, renders]).toEqual([true, "script-src 'nonce-abc'", 1]);
    // A committed import moves the data version on: rendered again.
    const after = await cachedPage(key, 'v2', 1 << 20, render);
    expect([after!.hit, new TextDecoder().decode(after!.page.body), renders]).toEqual([false, 'page 2', 2]);
  });

  it('keeps only plain 200 HTML answers, one entry per user', async () => {
    const key = (role: 'viewer' | 'analyst') => pageCacheKey(principalOf(role), '/orders', '');
    expect(key('viewer')).not.toBe(key('analyst'));
    expect(await cachedPage(key('viewer'), 's', 1 << 20, () => Promise.resolve(html('redirect', 303)))).toBeNull();
    expect(await cachedPage(key('viewer'), 's', 1 << 20, () => Promise.resolve(html('{}', 200, 'application/json')))).toBeNull();
    expect(await cachedPage(key('viewer'), 's', 1 << 20, () => Promise.resolve(new Response('x', { headers: { 'Content-Type': 'text/html' } })))).toBeNull();
  });

  it('drops the least recently used entries when over its size, and keeps no page larger than an eighth of it', async () => {
    const { randomBytes } = await import('node:crypto');
    // Pages of one size.
    const page = (n: number) => () => Promise.resolve(html(randomBytes(1500).toString('base64') + n));
    // A budget of one byte empties the cache (and keeps nothing: every page is over an eighth of it).
    await cachedPage('lru-reset', 's', 1, page(0));
    expect(pageCacheSize()).toEqual({ entries: 0, bytes: 0 });
    // And so does none at all (PAGE_CACHE_MB=0): the page is still served.
    expect((await cachedPage('lru-none', 's', 0, page(0)))!.hit).toBe(false);
    expect(pageCacheSize()).toEqual({ entries: 0, bytes: 0 });
    await cachedPage('lru-0', 's', 1 << 20, page(0));
    const one = pageCacheSize().bytes;
    for (let n = 1; n < 9; n++) await cachedPage(`lru-${n}`, 's', 1 << 20, page(n));
    // Reading lru-0 makes it the most recent; a limit of eight pages then drops lru-1 and lru-2, the least recent.
    expect((await cachedPage('lru-0', 's', 1 << 20, page(99)))!.hit).toBe(true);
    const limit = 8 * one + 100;
    await cachedPage('lru-9', 's', limit, page(9));
    expect(pageCacheSize()).toEqual({ entries: 8, bytes: 8 * one });
    for (const kept of ['lru-0', 'lru-3', 'lru-8', 'lru-9']) expect((await cachedPage(kept, 's', limit, page(99)))!.hit, kept).toBe(true);
    expect((await cachedPage('lru-1', 's', limit, page(1)))!.hit).toBe(false);
    // A page over an eighth of the budget is answered but not kept (issue 14).
    const small = 4 * one;
    const big = await cachedPage('lru-big', 's', small, page(7));
    expect(big!.hit).toBe(false);
    expect((await cachedPage('lru-big', 's', small, page(7)))!.hit).toBe(false);
  });

  it('stamps a page with the data version, the settings and, without as_of, the minute', () => {
    const t = Date.UTC(2026, 10, 30, 9, 0, 30);
    expect(pageStamp(7, 'none', new URLSearchParams('as_of=2026-03-01T00:00:00Z'), t)).toBe('7|none|');
    expect(pageStamp(7, 'none', new URLSearchParams(''), t)).toBe(pageStamp(7, 'none', new URLSearchParams(''), t + 29_000));
    expect(pageStamp(7, 'none', new URLSearchParams(''), t)).not.toBe(pageStamp(7, 'none', new URLSearchParams(''), t + 30_000));
    expect(pageStamp(8, 'none', new URLSearchParams(''), t)).not.toBe(pageStamp(7, 'none', new URLSearchParams(''), t));
  });
});
