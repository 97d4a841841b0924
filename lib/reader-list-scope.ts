/** What the reader may list (spec §8). Either way it reads only `events/`, `metrics/` and `signals/`. */
export enum ReaderListScope {
  /** `s3:ListBucket` only with an `s3:prefix` under the three Statsig prefixes. */
  PREFIXES = 'prefixes',
  /**
   * `s3:ListBucket` on the whole bucket, as Statsig's docs grant it, for a Statsig connection check that lists the
   * bucket root. The reader then sees the names of the product's own objects, never their contents.
   */
  BUCKET = 'bucket',
}
