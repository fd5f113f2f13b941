/** Replaced with the package version by the dist build (esbuild define); "dev" when run from the sources. */
declare const FSCPUSH_VERSION: string | undefined;

export const FSCPUSH_BUILD = { version: typeof FSCPUSH_VERSION === 'string' ? FSCPUSH_VERSION : 'dev' } as const;
