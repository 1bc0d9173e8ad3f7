// Lists whose order concurrency decides (the engine runs independent steps at once and the snapshot lists them as
// they complete; the console stores and numbers what it is sent in arrival order), sorted by a key before a test
// compares them: the test asserts what was made, not which parallel step came first.

/** A copy of `items` sorted by `key` (code-unit order, stable). */
export function sortedBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
