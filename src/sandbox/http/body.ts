/**
 * Reads a request body with a size limit. An oversize body is drained, not buffered, and reported once
 * it has ended, so the client always gets an answer instead of a reset while it is still sending; a
 * body far beyond the limit is cut off to protect the server.
 */
import type { IncomingMessage } from 'node:http';

export type BodyResult = { kind: 'ok'; bytes: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

const HARD_CAP_FACTOR = 8;

export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
      else if (size > limitBytes * HARD_CAP_FACTOR) {
        settle({ kind: 'too-large' });
        req.destroy();
      }
    });
    req.on('end', () =>
      settle(size > limitBytes ? { kind: 'too-large' } : { kind: 'ok', bytes: Buffer.concat(chunks) }),
    );
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => settle(size > limitBytes ? { kind: 'too-large' } : { kind: 'aborted' }));
  });
}
