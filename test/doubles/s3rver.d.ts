// s3rver ships no types: the part of its API the harness uses.
declare module 's3rver' {
  class S3rver {
    constructor(options: object);
    run(): Promise<{ port: number }>;
    close(): Promise<void>;
  }
  export = S3rver;
}
