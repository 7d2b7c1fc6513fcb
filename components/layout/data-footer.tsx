// Which data every figure on the page is of (issue 17): the data version and
// the last import it includes, and, while a newer import is being read, that
// these are the figures of the version before it.
export function DataFooter({ version, importBatch, pending }: { version: number; importBatch: number | null; pending: boolean }) {
  return (
    <footer className="site-footer container" data-version={version}>
      <p>
        Figures of data version {version}
        {importBatch !== null ? `, including every import up to batch ${importBatch}` : ''}
        .{pending ? ' A newer import is being read: the figures follow it within moments (reload the page).' : ''}
      </p>
    </footer>
  );
}
