import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Statsig's server secret, read from Secrets Manager at most once per `ttlMs` per warm Lambda: a publication burst
 * costs one read, and a rotated key is picked up within the TTL without a redeploy.
 */
export class ServerSecret {
  private cached?: { readonly value: string; readonly readAtMs: number };

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretArn: string,
    private readonly now: () => number,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async value(): Promise<string> {
    if (this.cached && this.now() - this.cached.readAtMs < this.ttlMs) return this.cached.value;
    const response = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretArn }));
    // The whole secret string is the key (see the construct's Readiness.api); stray whitespace from a paste is not.
    const value = response.SecretString?.trim();
    if (!value)
      throw new Error(`secret ${this.secretArn} holds no string; store Statsig's server secret key as its value`);
    this.cached = { value, readAtMs: this.now() };
    return value;
  }
}
