import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DEFAULT_STATSIG_API_BASE_URL } from '../lambda/wire/environment';

/** How the product tells Statsig that a day is loaded (spec §7: one or the other, never both). */
export enum ReadinessMode {
  /** Write `signals/<day>.parquet` when every configured dataset is complete for the day. */
  SIGNALS = 'signals',
  /** Call Statsig's `mark_data_ready` API per dataset. */
  API = 'api',
}

/** Options for {@link Readiness.api}. */
export interface ApiReadinessOptions {
  /** The secret holding Statsig's server secret key (the whole secret string is the key). */
  readonly secret: secretsmanager.ISecret;
  /**
   * Base URL of Statsig's API; the handler appends `/v1/mark_data_ready`.
   * @default 'https://api.statsig.com'
   */
  readonly baseUrl?: string;
}

/** The readiness publisher the validator uses. */
export class Readiness {
  /** Publish readiness by writing signal files that Statsig reads (the default). */
  public static signals(): Readiness {
    return new Readiness(ReadinessMode.SIGNALS);
  }

  /** Publish readiness by calling `mark_data_ready` with the server secret from Secrets Manager. */
  public static api(options: ApiReadinessOptions): Readiness {
    return new Readiness(ReadinessMode.API, options.secret, options.baseUrl ?? DEFAULT_STATSIG_API_BASE_URL);
  }

  private constructor(
    public readonly mode: ReadinessMode,
    /** Statsig's server secret; undefined in `signals` mode. */
    public readonly apiSecret?: secretsmanager.ISecret,
    /** Statsig's API base URL; undefined in `signals` mode. */
    public readonly apiBaseUrl?: string,
  ) {}
}
