import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMinioServer } from './minio-server.js';
import type { MinioServerHandle } from './minio-server.js';

describe('startMinioServer', () => {
  let minio: MinioServerHandle;

  beforeAll(async () => {
    minio = await startMinioServer();
  });

  afterAll(async () => {
    await minio.stop();
  });

  it('serves a live MinIO on a loopback port with random credentials', async () => {
    expect(minio.endpoint).toBe(`http://127.0.0.1:${minio.port}`);
    expect(minio.secretKey.length).toBeGreaterThanOrEqual(32);
    const live = await fetch(`${minio.endpoint}/minio/health/live`);
    expect(live.status).toBe(200);
    const anonymous = await fetch(`${minio.endpoint}/`);
    expect(anonymous.status).toBe(403);
  });

  it('halts and restarts on the same port over the same data dir', async () => {
    const outage = await startMinioServer();
    try {
      await outage.halt();
      await outage.halt();
      await expect(fetch(`${outage.endpoint}/minio/health/live`)).rejects.toThrow();
      expect(existsSync(outage.dataDir)).toBe(true);
      await outage.restart();
      expect((await fetch(`${outage.endpoint}/minio/health/live`)).status).toBe(200);
    } finally {
      await outage.stop();
    }
    expect(existsSync(outage.dataDir)).toBe(false);
    await expect(outage.restart()).rejects.toThrow(/stopped for good/);
  });

  it('runs two servers side by side and stop() removes the process and its data dir', async () => {
    const second = await startMinioServer();
    expect(second.port).not.toBe(minio.port);
    expect(existsSync(second.dataDir)).toBe(true);
    await second.stop();
    await second.stop();
    expect(existsSync(second.dataDir)).toBe(false);
    await expect(fetch(`${second.endpoint}/minio/health/live`)).rejects.toThrow();
  });
});
