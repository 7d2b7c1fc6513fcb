// The frame around every chart: its data table (rendered by a client
// component so that the rows travel once as values, not as an element
// tree) and the Kaplan–Meier points handed to the chart.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChartFrame } from '@/components/charts/chart-frame';
import { chartPoints } from '@/components/charts/km-chart';

interface Row {
  name: string;
  hours: number;
  share: number | null;
}

const rows: Row[] = [
  { name: 'alpha', hours: 1.5, share: 0.5 },
  { name: 'beta <b>', hours: 24, share: null },
];

function frame(list: Row[]) {
  return renderToStaticMarkup(
    <ChartFrame
      id="t"
      title="Share still online"
      subtitle="n = 2"
      rows={list}
      fileName="t"
      columns={[
        { label: 'Provider', value: (r) => r.name },
        { label: 'Hours', value: (r) => r.hours, format: (r) => `${r.hours} h`, numeric: true },
        { label: 'Share', value: (r) => r.share, numeric: true },
      ]}
    >
      <svg />
    </ChartFrame>,
  );
}

describe('the data table of a chart', () => {
  it('has the caption, the columns, and per cell the text and (when formatted) the raw value', () => {
    const html = frame(rows);
    const table = /<table id="t-table">.*<\/table>/.exec(html)![0];
    expect(table).toBe(
      '<table id="t-table"><caption>Share still online</caption>' +
        '<thead><tr><th scope="col">Provider</th><th scope="col" class="num">Hours</th><th scope="col" class="num">Share</th></tr></thead>' +
        '<tbody>' +
        '<tr><td>alpha</td><td class="num" data-value="1.5">1.5 h</td><td class="num">0.5</td></tr>' +
        '<tr><td>beta &lt;b&gt;</td><td class="num" data-value="24">24 h</td><td class="num">–</td></tr>' +
        '</tbody></table>',
    );
    expect(html).toContain('<div id="t-chart"><svg></svg></div>');
  });

  it('says so when no rows match, and keeps an empty table', () => {
    const html = frame([]);
    expect(html).toContain('No referrals match these filters.');
    expect(html).not.toContain('t-chart');
    expect(html).toContain('<tbody></tbody>');
  });
});

describe('the points handed to the Kaplan–Meier chart', () => {
  it('keep time, share and interval only, at six significant digits', () => {
    const km = [
      { time: 0.015277777777777777, n_risk: 156304, n_event: 1, surv: 0.9999936022111987, lower: 0.9999810635427478, upper: 1, se: 0.1 },
      { time: 26.333333333333332, n_risk: 4, n_event: 1, surv: 0.123456789, lower: null, upper: null, se: null },
    ];
    expect(chartPoints(km)).toEqual([
      { time: 0.0152778, surv: 0.999994, lower: 0.999981, upper: 1 },
      { time: 26.3333, surv: 0.123457, lower: null, upper: null },
    ]);
  });
});
