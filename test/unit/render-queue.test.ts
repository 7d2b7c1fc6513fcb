// Issue 14: the PDF renderer's two tabs are shared fairly. Requests waiting
// for a tab queue per user and are served in turn, one user after another;
// beyond two waiting for one user (or eight in all) a request is refused at
// once. The queue is driven directly here: no browser is needed.
import { describe, expect, it } from 'vitest';
import { acquire, MAX_WAITING_PER_USER, RenderQueueFull, renderQueueSize } from '@/lib/briefing/pdf';

describe('the PDF render queue', () => {
  it('serves waiting users in turn and refuses a third waiting request of one user', async () => {
    const order: string[] = [];
    const take = (user: string, name: string) =>
      acquire(user).then((release) => {
        order.push(name);
        return release;
      });
    // A takes both tabs.
    const a1 = await take('A', 'A1');
    const a2 = await take('A', 'A2');
    expect(renderQueueSize()).toEqual({ running: 2, waiting: 0 });
    // A asks twice more, then B once: all wait.
    const a3 = take('A', 'A3');
    const a4 = take('A', 'A4');
    const b1 = take('B', 'B1');
    expect(renderQueueSize()).toEqual({ running: 2, waiting: 3 });
    // A third waiting request of A is refused at once.
    expect(MAX_WAITING_PER_USER).toBe(2);
    await expect(acquire('A')).rejects.toBeInstanceOf(RenderQueueFull);
    // Each freed tab goes to the next user in turn: A (waiting longest), then B, then A again.
    a1();
    const r3 = await a3;
    a2();
    const rb = await b1;
    r3();
    const r4 = await a4;
    expect(order).toEqual(['A1', 'A2', 'A3', 'B1', 'A4']);
    rb();
    r4();
    expect(renderQueueSize()).toEqual({ running: 0, waiting: 0 });
  });
});
