/**
 * Files local mode creates once in the data dir (token secret, signing key): written only if absent
 * (mode 0600, `wx`), so two processes starting together end up using the same one.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The file's text; created with `create()` first when it does not exist yet. */
export async function readOrCreate(file: string, create: () => string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true });
  const content = create();
  try {
    await writeFile(file, content, { mode: 0o600, flag: 'wx' });
    return content;
  } catch (error) {
    // Lost a race with another process creating it: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFile(file, 'utf8');
    throw error;
  }
}
