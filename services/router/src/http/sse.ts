import type { Response } from 'express';

/** One Server-Sent Events frame. */
export function sseFrame(event: string, data: unknown): string {
  // JSON.stringify escapes newlines inside strings, so one `data:` line holds the whole value.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Writes one piece of an event stream, waiting for the socket to drain (the caller's bounded
 * buffer absorbs the wait); false once the client has gone.
 */
export async function writeSse(res: Response, text: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (res.write(text)) return true;
  return new Promise<boolean>((resolve) => {
    const done = (open: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(open);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}
