// Shown while a page's figures are computed; the page streams in after it.
export function PageSkeleton() {
  return (
    <div role="status" aria-live="polite" className="skeleton">
      <span className="visually-hidden">Loading the figures…</span>
      <div className="skeleton-line skeleton-title" />
      <div className="skeleton-line" />
      <div className="skeleton-cards">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="skeleton-card" />
        ))}
      </div>
      <div className="skeleton-chart" />
    </div>
  );
}
