// One COPY … FROM STDIN that stays open while an import reads its file:
// each piece of COPY text goes to the server as soon as it is made, and the
// reader makes the next while the server loads the last, so the app's
// memory stays bounded (one piece) and both sides work at once.
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

type CopyStream = ReturnType<typeof copyFrom>;

export class StageCopy {
  private stream: CopyStream | null = null;
  private failure: Error | null = null;
  private ended = false;

  /** `createSql` runs once before the COPY starts: it creates the table the COPY fills. */
  constructor(
    private readonly client: pg.PoolClient,
    private readonly createSql: string,
    private readonly copySql: string,
  ) {}

  /**
   * Sends one piece of COPY text; resolves when the connection has taken it.
   * One piece at a time: pg-copy-streams, holding several, would write the
   * rest after the server has ended the COPY and fail outside any caller.
   */
  async write(piece: string): Promise<void> {
    const stream = this.stream ?? (await this.open());
    await this.settle((done) => stream.write(piece, done));
  }

  /** Ends the COPY and resolves when the server has every row (no-op when nothing was sent). */
  async end(): Promise<void> {
    const stream = this.stream;
    if (stream === null || this.ended) return;
    this.ended = true;
    await this.settle((done) => stream.end(done));
  }

  /**
   * Cancels an open COPY (the import was refused or failed before the end):
   * the server is told to fail it, so that the connection can roll back.
   */
  async abandon(): Promise<void> {
    const stream = this.stream;
    if (stream === null || this.ended || this.failure) return;
    this.ended = true;
    const closed = once(stream, 'close').catch(() => undefined);
    stream.destroy(new Error('the import was abandoned before the end of its rows'));
    await closed;
  }

  private async open(): Promise<CopyStream> {
    await this.client.query(this.createSql);
    const stream = copyFrom(this.copySql);
    // A lost connection or a refused row ends the COPY with an error: kept here and thrown to the reader.
    stream.on('error', (err: Error) => (this.failure ??= err));
    this.stream = this.client.query(stream);
    return stream;
  }

  /** Starts a write or the end and waits for its callback, or for the error that ends the COPY first. */
  private async settle(start: (done: (err?: Error | null) => void) => void): Promise<void> {
    this.check();
    const stream = this.stream!;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: Error | null) => {
        if (settled) return;
        settled = true;
        stream.off('error', finish);
        stream.off('close', closed);
        if (err) reject(err);
        else resolve();
      };
      // Closed without a callback (the connection went): the error, if any, came first.
      const closed = () => finish(this.failure ?? new Error('the COPY ended before its rows were sent'));
      stream.once('error', finish);
      stream.once('close', closed);
      start(finish);
    });
    this.check();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}
