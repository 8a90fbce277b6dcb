import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { downloadFile, exists, listObjects, makeS3Client, parseS3Uri, readText, uploadFile, uploadStream } from '../../src/cloud/s3.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { tempDir } from '../support/fs.js';
import type { S3Client } from '@aws-sdk/client-s3';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('S3 through the real SDK against s3rver on 127.0.0.1', () => {
  let server: S3TestServer;
  let client: S3Client;
  const tmp = tempDir('qf-s3-');

  beforeAll(async () => {
    server = await startS3Server(['datasets']);
    Object.assign(process.env, server.env);
    client = makeS3Client();
  });
  afterAll(async () => {
    client?.destroy();
    await server?.close();
    tmp.cleanup();
  });

  it('parses s3 URIs and rejects others', () => {
    expect(parseS3Uri('s3://b/a/c.csv')).toEqual({ bucket: 'b', key: 'a/c.csv' });
    expect(() => parseS3Uri('http://x')).toThrow(/not an S3 URI/);
  });

  it('uploads a small file and reads it back byte for byte', async () => {
    const local = join(tmp.dir, 'train.csv');
    writeFileSync(local, '1,0.5,,nan\n0,0.25,1,2\n');
    await uploadFile(local, 's3://datasets/run1/train.csv', { client });
    expect(await exists('s3://datasets/run1/train.csv', client)).toBe(true);
    expect(await readText('s3://datasets/run1/train.csv', client)).toBe(readFileSync(local, 'utf8'));
  });

  it('uploads a file above the multipart threshold and downloads it identical', async () => {
    const big = randomBytes(12 * 1024 * 1024 + 12345);
    const local = join(tmp.dir, 'big.bin');
    writeFileSync(local, big);
    await uploadFile(local, 's3://datasets/big/big.bin', { client, partSize: 5 * 1024 * 1024 });
    const back = join(tmp.dir, 'back', 'big.bin');
    const { bytes } = await downloadFile('s3://datasets/big/big.bin', back, client);
    expect(bytes).toBe(big.length);
    expect(sha(readFileSync(back))).toBe(sha(big));
  });

  it('streams a generated body', async () => {
    await uploadStream(Buffer.from('a,b\n'), 's3://datasets/stream/x.csv', { client });
    const keys = (await listObjects('s3://datasets/stream/', client)).map((o) => o.key);
    expect(keys).toEqual(['stream/x.csv']);
  });

  it('names bucket and key in one-line errors', async () => {
    await expect(readText('s3://datasets/missing.csv', client)).rejects.toThrow(/s3:\/\/datasets\/missing\.csv: NoSuchKey/);
    await expect(readText('s3://no-such-bucket/a.csv', client)).rejects.toThrow(/s3:\/\/no-such-bucket\/a\.csv: NoSuchBucket/);
    expect(await exists('s3://datasets/missing.csv', client)).toBe(false);
  });
});
