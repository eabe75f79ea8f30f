// Lazy helpers over iterables, for streams too large to copy into arrays (a million replayed blocks).

/** The values of an iterable mapped one by one, lazily. */
export function* mapped<T, U>(values: Iterable<T>, f: (value: T) => U): Generator<U> {
  for (const value of values) yield f(value);
}

/** An iterable's values in arrays of `size` (the last one shorter), lazily. */
export function* chunks<T>(values: Iterable<T>, size: number): Generator<T[]> {
  let slice: T[] = [];
  for (const value of values) {
    slice.push(value);
    if (slice.length === size) {
      yield slice;
      slice = [];
    }
  }
  if (slice.length > 0) yield slice;
}
