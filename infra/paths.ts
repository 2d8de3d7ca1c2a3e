/**
 * Paths resolved from this module's own folder, never from the working directory, so that the CLI,
 * the tests and an IDE all synthesise the same app.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder with package.json, package-lock.json and cdk.json). */
export const repoRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Absolute path of a file given relative to the repository root (as in shared/manifest.ts). */
export const fromRoot = (relative: string): string => fileURLToPath(new URL(`../${relative}`, import.meta.url));

export const lockFile = fromRoot('package-lock.json');
export const cdkJson = fromRoot('cdk.json');
