/**
 * S3 for datasets, models and SageMaker outputs. Clients come from the SDK's default credential
 * chain and region; `AWS_ENDPOINT_URL_S3` (or `AWS_ENDPOINT_URL`) points them at another endpoint,
 * which then gets path-style addressing. Uploads stream and go multipart above `partSize`
 * (@aws-sdk/lib-storage); downloads stream to a temporary name and are renamed when complete.
 * Errors name the bucket and key on one line; no secret is ever part of a message.
 */
import { S3Client, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream, createWriteStream, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, basename } from 'node:path';
import { mkdirSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { QuantflowError, ExitCode } from '../core/errors.js';

export interface S3Location {
  bucket: string;
  key: string;
}

export function isS3Uri(s: string | undefined): s is string {
  return typeof s === 'string' && s.startsWith('s3://');
}

export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m || !m[1]) throw new QuantflowError('S3_URI', `not an S3 URI: ${uri} (expected s3://bucket/key)`);
  return { bucket: m[1], key: m[2] ?? '' };
}

export function s3Uri(loc: S3Location): string {
  return `s3://${loc.bucket}/${loc.key}`;
}

/** Joins a prefix URI and a name: ("s3://b/out/", "train.csv") -> "s3://b/out/train.csv". */
export function s3Join(prefix: string, name: string): string {
  return prefix.endsWith('/') ? prefix + name : `${prefix}/${name}`;
}

let shared: S3Client | undefined;

export function makeS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  return new S3Client({
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // Checksums only where S3 requires them: keeps streamed uploads plain (no aws-chunked framing)
    // for S3-compatible servers, and costs nothing against AWS.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 4,
  });
}

export function s3Client(): S3Client {
  return (shared ??= makeS3Client());
}

/** For tests that change AWS_ENDPOINT_URL_S3 between cases. */
export function resetS3Client(): void {
  shared?.destroy();
  shared = undefined;
}

const EXPLAIN: Record<string, string> = {
  NoSuchBucket: 'the bucket does not exist',
  NoSuchKey: 'the object does not exist',
  NotFound: 'the object does not exist',
  AccessDenied: 'access denied (check the credentials and the bucket policy)',
  InvalidAccessKeyId: 'the access key is not valid',
  SignatureDoesNotMatch: 'the secret key does not match the access key',
  ExpiredToken: 'the session token has expired',
  CredentialsProviderError: 'no AWS credentials found (environment, ~/.aws/credentials, SSO or an instance role)',
};

/** Maps an SDK error to one line naming the bucket and key. */
export function s3Error(e: unknown, loc: S3Location, action: string): QuantflowError {
  if (e instanceof QuantflowError) return e;
  let name = 'Error';
  let detail = e instanceof Error ? e.message : String(e);
  if (e instanceof S3ServiceException || (e && typeof e === 'object' && 'name' in e)) {
    name = String((e as { name: string }).name);
    const status = (e as S3ServiceException).$metadata?.httpStatusCode;
    if (name === 'NotFound' || (status === 404 && name === 'Unknown')) name = loc.key ? 'NoSuchKey' : 'NoSuchBucket';
    if (status === 403 && (name === 'Unknown' || name === 'Forbidden')) name = 'AccessDenied';
    detail = EXPLAIN[name] ?? detail;
  }
  if ((e as { code?: string })?.code === 'ECONNREFUSED') detail = `cannot connect to the S3 endpoint (${detail})`;
  return new QuantflowError(`S3_${name}`, `${action} ${s3Uri(loc)}: ${name}: ${detail}`.replace(/\s*\n\s*/g, ' '), {
    exitCode: ExitCode.failed,
    cause: e,
  });
}

export interface UploadOptions {
  client?: S3Client;
  /** Bytes per part; files larger than this go multipart. S3's minimum is 5 MiB. */
  partSize?: number;
  contentType?: string;
}

/** Streams a body (file path or readable) to S3, multipart when large. */
export async function uploadStream(body: Readable | Buffer | string, uri: string, opts: UploadOptions = {}): Promise<void> {
  const loc = parseS3Uri(uri);
  const upload = new Upload({
    client: opts.client ?? s3Client(),
    params: { Bucket: loc.bucket, Key: loc.key, Body: body, ContentType: opts.contentType },
    partSize: Math.max(5 * 1024 * 1024, opts.partSize ?? 8 * 1024 * 1024),
    queueSize: 4,
    leavePartsOnError: false,
  });
  try {
    await upload.done();
  } catch (e) {
    throw s3Error(e, loc, 'upload to');
  }
}

export async function uploadFile(localPath: string, uri: string, opts: UploadOptions = {}): Promise<{ bytes: number }> {
  const bytes = statSync(localPath).size;
  await uploadStream(createReadStream(localPath), uri, { contentType: guessType(localPath), ...opts });
  return { bytes };
}

export async function downloadFile(uri: string, localPath: string, client: S3Client = s3Client()): Promise<{ bytes: number }> {
  const loc = parseS3Uri(uri);
  mkdirSync(dirname(localPath), { recursive: true });
  const tmp = join(dirname(localPath), `.${basename(localPath)}.${process.pid}.part`);
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
    await pipeline(out.Body as Readable, createWriteStream(tmp));
    renameSync(tmp, localPath);
    return { bytes: statSync(localPath).size };
  } catch (e) {
    rmSync(tmp, { force: true });
    throw s3Error(e, loc, 'download');
  }
}

export async function readText(uri: string, client: S3Client = s3Client()): Promise<string> {
  const loc = parseS3Uri(uri);
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
    return await (out.Body as { transformToString(): Promise<string> }).transformToString();
  } catch (e) {
    throw s3Error(e, loc, 'read');
  }
}

export async function exists(uri: string, client: S3Client = s3Client()): Promise<boolean> {
  const loc = parseS3Uri(uri);
  try {
    await client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
    return true;
  } catch (e) {
    const status = (e as S3ServiceException).$metadata?.httpStatusCode;
    if (status === 404) return false;
    throw s3Error(e, loc, 'look up');
  }
}

export interface S3Object {
  key: string;
  size: number;
  lastModified?: Date;
}

/** Every object under a prefix (paginated). */
export async function listObjects(prefixUri: string, client: S3Client = s3Client()): Promise<S3Object[]> {
  const loc = parseS3Uri(prefixUri);
  const out: S3Object[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: loc.key, ContinuationToken: token }));
      for (const o of page.Contents ?? []) out.push({ key: o.Key!, size: o.Size ?? 0, lastModified: o.LastModified });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (e) {
    throw s3Error(e, loc, 'list');
  }
  return out;
}

/**
 * Runs `fn` on a local copy of `pathOrUri`: the path itself when local, a downloaded temporary
 * file for s3:// (removed afterwards).
 */
export async function withLocalCopy<T>(pathOrUri: string, fn: (localPath: string) => Promise<T> | T): Promise<T> {
  if (!isS3Uri(pathOrUri)) return fn(pathOrUri);
  const dir = mkdtempSync(join(tmpdir(), 'qf-s3-'));
  try {
    const local = join(dir, basename(parseS3Uri(pathOrUri).key) || 'object');
    await downloadFile(pathOrUri, local);
    return await fn(local);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Lets `fn` write to a local path and then puts the result at `pathOrUri`: for s3:// the file is
 * written to a temporary folder and uploaded; a local target is used as it is.
 */
export async function writeThroughLocal<T>(pathOrUri: string, fn: (localPath: string) => Promise<T> | T): Promise<T> {
  if (!isS3Uri(pathOrUri)) return fn(pathOrUri);
  const dir = mkdtempSync(join(tmpdir(), 'qf-s3-'));
  try {
    const local = join(dir, basename(parseS3Uri(pathOrUri).key) || 'object');
    const result = await fn(local);
    await uploadFile(local, pathOrUri);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function guessType(path: string): string | undefined {
  if (path.endsWith('.csv')) return 'text/csv';
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.tar.gz')) return 'application/gzip';
  return undefined;
}
