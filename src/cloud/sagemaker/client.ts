/**
 * The SageMaker client: the SDK's default credential chain and region; `AWS_ENDPOINT_URL_SAGEMAKER`
 * (or `AWS_ENDPOINT_URL`) points it elsewhere (tests, VPC endpoints). Throttling and 5xx answers are
 * retried by the SDK's standard retry strategy (adaptive back-off, up to `maxAttempts`).
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { QuantflowError, ExitCode } from '../../core/errors.js';

export function makeSageMakerClient(env: NodeJS.ProcessEnv = process.env): SageMakerClient {
  const endpoint = env.AWS_ENDPOINT_URL_SAGEMAKER || env.AWS_ENDPOINT_URL || undefined;
  return new SageMakerClient({
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 6,
  });
}

let shared: SageMakerClient | undefined;

export function sageMakerClient(): SageMakerClient {
  return (shared ??= makeSageMakerClient());
}

export function resetSageMakerClient(): void {
  shared?.destroy();
  shared = undefined;
}

/** One line naming the call and what SageMaker said; never a credential. */
export function sageMakerError(e: unknown, call: string): QuantflowError {
  if (e instanceof QuantflowError) return e;
  const name = (e as { name?: string })?.name ?? 'Error';
  let message = e instanceof Error ? e.message : String(e);
  if (name === 'CredentialsProviderError') message = 'no AWS credentials found (environment, ~/.aws/credentials, SSO or an instance role)';
  if ((e as { code?: string })?.code === 'ECONNREFUSED') message = `cannot connect to the SageMaker endpoint (${message})`;
  return new QuantflowError(`SAGEMAKER_${name}`, `SageMaker ${call}: ${name}: ${message}`.replace(/\s*\n\s*/g, ' '), {
    exitCode: ExitCode.failed,
    cause: e,
  });
}
