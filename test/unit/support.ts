/** Small helpers shared by unit tests. */

/** The error `fn` throws; fails the test if it throws none. */
export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
