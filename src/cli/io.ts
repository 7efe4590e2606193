import { readFile } from 'node:fs/promises';

/** A failure the user caused: printed as one line, no stack, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** An integer option's value; anything else (or below `min`) is a CliError naming the option (exit 2). */
export function integerOption(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`${name} must be an integer ≥ ${min}, got ${text}`, 2);
  return n;
}

/** The text of a file, or of standard input for `-`; an empty or unreadable input is a CliError (exit 2). */
export async function readInput(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = file === '-' ? await readStdin() : await readFile(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message;
    throw new CliError(`cannot read ${file}: ${why}`, 2);
  }
  let text: string;
  try {
    // JSON and YAML are UTF-8 text; the IRP (and the sandbox) refuse other bytes, so the CLI does too
    // rather than reading them as U+FFFD and calling the document valid.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${file === '-' ? 'standard input' : file} is not UTF-8 text`, 2);
  }
  if (text.trim() === '') throw new CliError(`${file === '-' ? 'standard input' : file} is empty`, 2);
  return text;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
