import Link from 'next/link';

/** 403: signed in, but the role may not see this page (the refusal is in the audit trail). */
export default function Forbidden() {
  return (
    <div role="alert" className="error-panel">
      <h1>Not for your role</h1>
      <p>Your account’s role may not see this page. If your work needs it, ask an administrator for another role.</p>
      <p>
        <Link href="/">Back to the overview</Link>
      </p>
    </div>
  );
}
