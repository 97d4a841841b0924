import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT } from './resolve-intrinsics';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface SimulatedRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Request context beyond TLS, which every request here uses. */
  readonly context?: Record<string, string>;
  readonly identityPolicy: unknown;
  readonly resourcePolicy?: unknown;
}

/** What a real IAM policy engine decides for one request over TLS 1.3. */
export async function simulate(request: SimulatedRequest): Promise<Decision> {
  const response = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3', ...request.context },
      },
      identityPolicies: [{ name: 'identity', policy: request.identityPolicy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
    },
    {},
  );
  if (response.resultType === 'error') {
    throw new Error(`${request.action} ${request.resource}: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult as Decision;
}
