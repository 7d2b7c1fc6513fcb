// Taking turns on the one event loop (issue 14). A figure over a million
// rows takes up to a few hundred milliseconds of synchronous work; a page
// or report computes several. Before each figure a view lets the event loop
// run whatever else is waiting (another user's request, a cached page), so
// one request delays another by at most one figure, not by a whole page.
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `compute` in a turn of its own: after whatever else was waiting. */
export async function inTurn<T>(compute: () => T): Promise<T> {
  await nextTurn();
  return compute();
}
