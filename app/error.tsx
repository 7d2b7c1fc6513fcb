'use client';
// Any unexpected failure while rendering: a generic page in words, never a
// stack trace or SQL (the details stay in the server log under the digest).
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="error-panel" data-render-error="server">
      <h1>This page could not be shown</h1>
      <p>Something went wrong on the server. The details are in the server log{error.digest ? ` under the reference ${error.digest}` : ''}.</p>
      <p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </p>
    </div>
  );
}
