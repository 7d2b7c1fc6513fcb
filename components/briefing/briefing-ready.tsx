'use client';
// The briefing's ready marker: once every chart box holds a drawn chart and
// the fonts are loaded, <html data-briefing-ready="true"> tells the PDF
// renderer (lib/briefing/pdf.ts) that the page is complete. No sleeps.
import { useEffect } from 'react';

function chartsDrawn(): boolean {
  return [...document.querySelectorAll('[data-chart-box]')].every((box) => box.querySelector('svg .recharts-layer') !== null);
}

export function BriefingReady() {
  useEffect(() => {
    let cancelled = false;
    const check = () => {
      if (cancelled) return;
      if (chartsDrawn()) {
        void document.fonts.ready.then(() => {
          if (!cancelled) document.documentElement.dataset.briefingReady = 'true';
        });
      } else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
    return () => {
      cancelled = true;
    };
  }, []);
  return null;
}
