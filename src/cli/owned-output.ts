/**
 * Outputs a command may write without ever deleting or overwriting a file it did not create.
 *
 * A directory is *claimed* by a command: a new or empty one is taken and marked with a manifest file;
 * a non-empty one is taken only when its manifest says this command made it, and then only the files
 * the manifest lists (those the command wrote last time) are removed before the new run. A user's own
 * files beside them are never touched, and a path an output would take that the command did not write
 * is refused.
 */
import {
  existsSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { CliError } from './io.js';

const MANIFEST = '.irp-bridge-output.json';

interface Manifest {
  command: string;
  files: string[];
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

function readManifest(dir: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
    return typeof m.command === 'string' && Array.isArray(m.files) ? m : undefined;
  } catch {
    return undefined;
  }
}

export interface ClaimedDir {
  readonly dir: string;
  /** Records every file the command added since the claim, so the next run may remove them (and only them). */
  finish(): void;
}

/**
 * Takes `dir` for `command`'s outputs; `outputs` are the paths (relative to `dir`) the command is about
 * to write. Throws a CliError (exit 2) for a non-empty directory the command did not make, or when a
 * file the command would write is one it did not create.
 */
export function claimOutputDir(dir: string, command: string, outputs: string[] = []): ClaimedDir {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new CliError(`${dir} exists and is not a directory`, 2);
  mkdirSync(dir, { recursive: true });
  const present = listFiles(dir);
  if (present.length > 0) {
    const manifest = readManifest(dir);
    if (!manifest || manifest.command !== command)
      throw new CliError(
        `refusing to write into ${dir}: it is not empty and was not made by irp-bridge ${command} (give a new or empty directory)`,
        2,
      );
    const ours = new Set(manifest.files.filter((f) => !f.startsWith('..') && !f.includes(`..${sep}`)));
    for (const f of ours) {
      const p = join(dir, f);
      if (existsSync(p) && statSync(p).isFile()) unlinkSync(p);
    }
    removeEmptyDirs(
      dir,
      [...ours].map((f) => dirname(f)),
    );
  }
  const clash = outputs.filter((f) => existsSync(join(dir, f)));
  if (clash.length > 0)
    throw new CliError(
      `refusing to overwrite ${join(dir, clash[0]!)}: irp-bridge ${command} did not write it`,
      2,
    );
  const before = new Set(listFiles(dir));
  writeManifest(dir, { command, files: [] });
  return {
    dir,
    finish() {
      const added = listFiles(dir).filter((f) => !before.has(f) && f !== MANIFEST);
      writeManifest(dir, { command, files: added });
    },
  };
}

function writeManifest(dir: string, m: Manifest): void {
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(m, null, 2)}\n`);
}

function removeEmptyDirs(root: string, dirs: string[]): void {
  const deepestFirst = [...new Set(dirs)].filter((d) => d !== '.').sort((a, b) => b.length - a.length);
  for (const d of deepestFirst) {
    const p = join(root, d);
    try {
      if (readdirSync(p).length === 0) rmdirSync(p);
    } catch {
      // gone already, or not ours to judge
    }
  }
}

/**
 * Refuses to replace an existing file unless `isOurs` recognises its content as something this command
 * wrote (e.g. a sandbox credentials file). A missing file is always fine.
 */
export function assertReplaceable(path: string, what: string, isOurs: (content: string) => boolean): void {
  if (!existsSync(path)) return;
  let content = '';
  try {
    content = readFileSync(path, 'utf8');
  } catch {
    // unreadable: not ours
  }
  if (!isOurs(content)) throw new CliError(`refusing to overwrite ${path}: it exists and is not ${what}`, 2);
}

const STATE_MARKER = '.irp-bridge-state.json';

/**
 * A state directory a command keeps between runs (a backfill's offsets): a new or empty one is taken and
 * marked; a non-empty one only when its marker says `command` made it for `owner` (a source id), and then
 * nothing in it is removed — the command resumes from what it wrote there. Throws a CliError (exit 2)
 * otherwise.
 */
export function claimStateDir(dir: string, command: string, owner: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new CliError(`${dir} exists and is not a directory`, 2);
  mkdirSync(dir, { recursive: true });
  const marker = join(dir, STATE_MARKER);
  if (listFiles(dir).length === 0) {
    writeFileSync(
      marker,
      `${JSON.stringify({ command, owner, created: new Date().toISOString() }, null, 2)}\n`,
    );
    return;
  }
  let m: { command?: unknown; owner?: unknown } | undefined;
  try {
    m = JSON.parse(readFileSync(marker, 'utf8')) as { command?: unknown; owner?: unknown };
  } catch {
    m = undefined;
  }
  if (!m || m.command !== command)
    throw new CliError(
      `refusing to use ${dir} as state: it is not empty and was not made by irp-bridge ${command} (give a new or empty directory)`,
      2,
    );
  if (m.owner !== owner)
    throw new CliError(
      `refusing to use ${dir} as state: it holds the ${command} state of source ${String(m.owner)}, not ${owner}`,
      2,
    );
}
