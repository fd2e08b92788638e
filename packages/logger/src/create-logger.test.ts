import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, toPinoLevel } from './index.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('never writes authorization headers, cookies, passwords or tokens', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ destination: stream });
    logger.info(
      {
        req: { headers: { authorization: 'Basic cm9vdDpwdw==', cookie: 'auth_tokens=abc' } },
        body: { password: 'Complexpass#123', token: 'tok-123' },
        config: { ZO_S3_SECRET_KEY: 'minio-secret', ZO_META_POSTGRES_DSN: 'postgres://u:pw@h/db' },
      },
      'request',
    );
    const line = lines.join('');
    for (const secret of [
      'cm9vdDpwdw==',
      'auth_tokens=abc',
      'Complexpass#123',
      'tok-123',
      'minio-secret',
      'u:pw@h',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(JSON.parse(line)).toMatchObject({ level: 'info', msg: 'request' });
  });

  it("reads O2's RUST_LOG words", () => {
    expect(toPinoLevel('debug')).toBe('debug');
    expect(toPinoLevel('info,h2=warn')).toBe('info');
    expect(toPinoLevel('WARNING')).toBe('warn');
    expect(toPinoLevel('off')).toBe('silent');
    expect(toPinoLevel('nonsense')).toBe('info');
    expect(toPinoLevel(undefined)).toBe('info');
  });
});
