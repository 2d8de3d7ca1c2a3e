/**
 * Gap-free numbers (case numbers, document numbers): read the sequence, build and commit the record with
 * the next number in the transaction that advances the sequence; when another request took that number
 * first, read again and retry. Jittered exponential back-off (20 ms × 2^attempt, capped at 640 ms)
 * spreads a burst (field teams filing at once) until every one gets through (npm run bench -- --only filings).
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withNextNumber<T>(
  read: () => Promise<number>,
  use: (current: number) => Promise<T>,
  isTaken: (error: unknown) => boolean,
  maxAttempts: number,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const current = await read();
    try {
      return await use(current);
    } catch (e) {
      if (!isTaken(e) || attempt >= maxAttempts) throw e;
      await sleep(Math.random() * 20 * 2 ** Math.min(attempt, 5));
    }
  }
}
