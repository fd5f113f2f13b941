import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { build, type Metafile } from 'esbuild';

export interface BundleResult {
  code: Uint8Array;
  /** worker thread entries, built like the launcher; they go beside it (the launcher loads them by name) */
  workers: { name: string; code: Uint8Array }[];
  /** files our modules read beside themselves (`new URL('./x', import.meta.url)`): they go beside the bundle */
  assets: { name: string; path: string }[];
  /** the third-party packages inside the bundle, with their license texts */
  notices: string;
  packages: number;
}

/**
 * One ESM file with everything the launcher imports (and one per worker thread entry): our packages (TypeScript, types stripped) and their
 * production dependencies. Nothing from devDependencies is reachable from the entry. Not minified, so
 * stack traces in the logs stay readable.
 */
const WORKERS = [
  { name: 'connector-worker', source: 'packages/launcher/src/connector-worker.ts' },
  { name: 'client-reads-worker', source: 'packages/launcher/src/client-reads-worker.ts' },
];

export async function bundleLauncher(root: string, entry: string, version: string): Promise<BundleResult> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [{ in: entry, out: 'fscpush' }, ...WORKERS.map((w) => ({ in: w.source, out: w.name }))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    write: false,
    outdir: 'lib',
    outExtension: { '.js': '.mjs' },
    metafile: true,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { FSCPUSH_VERSION: JSON.stringify(version), FSCPUSH_CONNECTOR_WORKER: JSON.stringify('./connector-worker.mjs'), FSCPUSH_CLIENT_READS_WORKER: JSON.stringify('./client-reads-worker.mjs') },
    // CommonJS dependencies call require() for Node's own modules; an ESM bundle needs a real one.
    banner: { js: "import { createRequire as __fscpushCreateRequire } from 'node:module';\nconst require = __fscpushCreateRequire(import.meta.url);" },
  });
  const output = (name: string) => {
    const file = result.outputFiles.find((f) => f.path.endsWith(`/${name}.mjs`));
    if (!file) throw new Error(`esbuild produced no ${name}.mjs`);
    return file.contents;
  };
  const { text, count } = thirdPartyNotices(root, result.metafile);
  return { code: output('fscpush'), workers: WORKERS.map((w) => ({ name: `${w.name}.mjs`, code: output(w.name) })), assets: siblingAssets(root, result.metafile), notices: text, packages: count };
}

const SIBLING_URL = /new URL\(\s*['"]\.\/([^'"/]+)['"]\s*,\s*import\.meta\.url\s*\)/g;

function siblingAssets(root: string, metafile: Metafile): { name: string; path: string }[] {
  const assets = new Map<string, string>();
  for (const input of Object.keys(metafile.inputs).sort()) {
    if (input.includes('node_modules')) continue;
    for (const match of readFileSync(join(root, input), 'utf8').matchAll(SIBLING_URL)) {
      const name = match[1]!;
      const path = join(root, dirname(input), name);
      if (assets.has(name) && assets.get(name) !== path) throw new Error(`two modules read a file named ${name}: they cannot both sit beside the bundle`);
      if (!existsSync(path)) throw new Error(`${input} reads ${name}, which does not exist`);
      assets.set(name, path);
    }
  }
  return [...assets].map(([name, path]) => ({ name, path }));
}

/** Every node_modules package the bundle took code from: name, version, license and its license file. */
function thirdPartyNotices(root: string, metafile: Metafile): { text: string; count: number } {
  const packageDirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const nameParts = parts[at + 1]?.startsWith('@') ? 2 : 1;
    packageDirs.add(parts.slice(0, at + 1 + nameParts).join(sep));
  }
  const sections: string[] = [];
  for (const dir of [...packageDirs].sort()) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const licenseFile = readdirSync(join(root, dir)).filter((f) => /^(licen[cs]e|copying)/i.test(f)).sort()[0];
    const body = licenseFile ? readFileSync(join(root, dir, licenseFile), 'utf8').trim() : `(no license file in the package; declared license: ${pkg.license ?? 'none'})`;
    sections.push(`${pkg.name} ${pkg.version} — ${pkg.license ?? 'see below'}\n${'-'.repeat(72)}\n${body}\n`);
  }
  const header = 'Third-party packages inside fscpush.mjs, with their licenses.\n\n';
  return { text: header + sections.join('\n'), count: sections.length };
}

/** The license of the Node.js runtime shipped in node/, when the npm package left it on disk. */
export function nodeLicense(root: string): string | undefined {
  const base = join(root, 'node_modules', 'node', 'node_modules');
  if (!existsSync(base)) return undefined;
  for (const name of readdirSync(base).sort()) {
    const file = join(base, name, 'LICENSE');
    if (name.startsWith('node-') && existsSync(file)) return readFileSync(file, 'utf8');
  }
  return undefined;
}
