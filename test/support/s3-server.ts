/**
 * A real S3 protocol server on 127.0.0.1 (s3rver) for tests: the SDK clients talk HTTP to it,
 * nothing is mocked. `env` holds what a quantflow process needs to use it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';

export interface S3TestServer {
  url: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startS3Server(buckets: string[] = ['quantflow-test']): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'qf-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const addr = (await server.run()) as AddressInfo;
  const url = `http://127.0.0.1:${addr.port}`;
  return {
    url,
    env: {
      AWS_ENDPOINT_URL_S3: url,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
