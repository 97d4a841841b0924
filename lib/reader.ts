/** Who reads the bucket on Statsig's behalf (spec §8). */
export enum ReaderKind {
  /** An IAM user in this account whose access key is handed to Statsig. */
  IAM_USER = 'iamUser',
  /** A principal in Statsig's own account, granted through the bucket policy only. */
  STATSIG_PRINCIPAL = 'statsigPrincipal',
}

/**
 * The principal that reads the Statsig prefixes. Both kinds get the same rights: `s3:GetObject` on `events/*`,
 * `metrics/*`, `signals/*`, `s3:ListBucket` limited to those prefixes, `s3:GetBucketLocation`, and `kms:Decrypt` when
 * the bucket uses a customer-managed key.
 */
export class Reader {
  /** An IAM user with an access key stored in Secrets Manager (Statsig's original S3 flow). */
  public static iamUser(): Reader {
    return new Reader(ReaderKind.IAM_USER);
  }

  /**
   * A principal that Statsig gives you (its account is 999689269917); no user and no key are created.
   * @param principalArn as Statsig gives it: an IAM user, `arn:aws:iam::999689269917:user/<name>`
   */
  public static statsigPrincipal(principalArn: string): Reader {
    return new Reader(ReaderKind.STATSIG_PRINCIPAL, principalArn);
  }

  private constructor(
    public readonly kind: ReaderKind,
    /** The Statsig principal's ARN; undefined for `iamUser`. */
    public readonly principalArn?: string,
  ) {}
}
