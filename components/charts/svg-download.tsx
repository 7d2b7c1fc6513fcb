'use client';
// Downloads the drawn chart as an SVG file (vector, prints at any size).
import { downloadFile } from './download-file';

export function SvgDownload({ chartId, fileName }: { chartId: string; fileName: string }) {
  const download = () => {
    const svg = document.getElementById(chartId)?.querySelector('svg.recharts-surface');
    if (!svg) return;
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    copy.setAttribute('font-family', 'system-ui, sans-serif');
    downloadFile(`<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`, 'image/svg+xml', `${fileName}.svg`);
  };
  return (
    <button type="button" className="link-button" onClick={download}>
      Download chart (SVG)
    </button>
  );
}
