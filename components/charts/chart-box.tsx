'use client';
// The box a chart draws in: by default the chart follows its container's
// width; with a fixed width (briefings) it is drawn at exactly that size,
// which prints the same on every page and in the PDF.
import { cloneElement, type ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

export function ChartBox({ width, height, label, children }: { width?: number; height: number; label: string; children: ReactElement<{ width?: number; height?: number }> }) {
  return (
    <div style={{ width: width ?? '100%', height }} role="img" aria-label={label} data-chart-box="">
      {width ? cloneElement(children, { width, height }) : <ResponsiveContainer>{children}</ResponsiveContainer>}
    </div>
  );
}
