// s3rver ships no types: the part of its API the harness uses.
declare module 's3rver' {
  class S3rver {
    constructor(options: object);
    readonly store: S3rver.FilesystemStore;
    run(): Promise<{ port: number }>;
    close(): Promise<void>;
  }
  namespace S3rver {
    /** An object on its way into the store: the request body as a stream, or bytes. */
    interface StoreObject {
      readonly bucket: string;
      readonly key: string;
      readonly content: NodeJS.ReadableStream | Buffer;
      readonly metadata: Record<string, string>;
    }
    /** s3rver's `lib/stores/filesystem.js`: the methods the harness replaces, and those they call. */
    interface FilesystemStore {
      getResourcePath(bucket: string, key: string, resource: string): string;
      getMetadata(bucket: string, key: string): Promise<Record<string, string>>;
      putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
      putObject(object: StoreObject): Promise<{ size: number; md5: string }>;
      copyObject(
        sourceBucket: string,
        sourceKey: string,
        bucket: string,
        key: string,
        replacementMetadata: Record<string, string> | null,
      ): Promise<Record<string, string>>;
    }
  }
  export = S3rver;
}
