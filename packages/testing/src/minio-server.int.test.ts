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

describe('MinioServerHandle.restart', () => {
  it('halts and starts the same server again on the same port over the same data', async () => {
    const minio = await startMinioServer();
    try {
      const bucketDir = `${minio.dataDir}/restart-probe`;
      const { mkdirSync } = await import('node:fs');
      // MinIO's single-drive mode serves top-level directories of its data dir as buckets.
      mkdirSync(bucketDir);
      await minio.halt();
      await expect(fetch(`${minio.endpoint}/minio/health/live`)).rejects.toThrow();
      expect(existsSync(bucketDir)).toBe(true);
      await minio.start();
      const live = await fetch(`${minio.endpoint}/minio/health/live`);
      expect(live.status).toBe(200);
      expect(existsSync(bucketDir)).toBe(true);
    } finally {
      await minio.stop();
    }
    await expect(minio.start()).rejects.toThrow(/stopped for good/);
  }, 60_000);
});
