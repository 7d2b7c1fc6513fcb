// A link with bad filters gets an explanation in words, not an error page.
import type { FilterError } from '@/lib/filters';

export function FilterErrors({ error }: { error: FilterError }) {
  return (
    <div role="alert" className="error-panel" data-render-error="parameters">
      <h2>These filters cannot be read</h2>
      <ul>
        {error.issues.map((i) => (
          <li key={`${i.param}:${i.message}`}>
            <code>{i.param}</code>: {i.message}
          </li>
        ))}
      </ul>
      <p>
        Change them in the filter bar, or <a href="?">start again without filters</a>.
      </p>
    </div>
  );
}
