/** Paths resolved from this folder, not from the working directory. */
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** Output folder (git-ignored): bundles, the empty baseline module, results.json. */
export const BENCH_DIR = `${REPO_ROOT}/.bench`;
