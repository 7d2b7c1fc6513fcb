import { describe, expect, it } from 'vitest';
import { formatChange, formatHours, formatMedian, formatRate, formatUtcMinute } from '@/lib/format';

describe('formatting for people (UI.md)', () => {
  it.each([
    [0.75, '45 min'],
    [6.5, '6.5 h'],
    [24, '24 h'],
    [76.8, '3.2 days'],
    [24 * 400, '400 days'],
  ])('%f hours is %s', (h, text) => expect(formatHours(h)).toBe(text));

  it('rates carry their interval', () => {
    expect(formatRate(0.634, 0.58, 0.681)).toBe('63% (58–68%)');
    expect(formatRate(null)).toBe('–');
  });

  it('a median not reached is never a number', () => {
    expect(formatMedian(null, 576)).toBe('not reached (> 24 days)');
    expect(formatMedian(1.5, 576)).toBe('1.5 h');
  });

  it('changes', () => {
    expect(formatChange(2, 2 / 11, 'count')).toBe('+18%');
    expect(formatChange(-0.05, -0.1, 'share')).toBe('−5 points');
  });

  it('instants shortened to the minute for tables', () => {
    expect(formatUtcMinute('2026-02-28T23:30:00Z')).toBe('2026-02-28 23:30');
    expect(formatUtcMinute('2026-02-28T23:30:15.250Z')).toBe('2026-02-28 23:30');
    expect(formatUtcMinute(null)).toBe('–');
  });
});
