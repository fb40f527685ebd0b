/**
 * The document storage port: where files clients upload through the public widget, and the files
 * businesses import, are kept (S3 in AWS, a local folder in local mode). Uploads go straight from the browser to storage through a
 * short-lived signed URL, so file bytes never pass through the API.
 */

/** A signed upload: PUT the file's bytes to `url` with exactly these headers before `expiresAt`. */
export interface SignedUpload {
  readonly url: string;
  readonly method: 'PUT';
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}

export interface StoredObject {
  readonly size: number;
  readonly contentType: string | undefined;
}

export interface DocumentStorage {
  /** A URL that accepts one PUT of `size` bytes of `contentType` at `key`. */
  uploadUrl(key: string, file: { readonly contentType: string; readonly size: number }, expiresInSeconds: number): Promise<SignedUpload>;
  /** What is stored at `key`, or undefined when nothing was uploaded there. */
  describe(key: string): Promise<StoredObject | undefined>;
  /** Copies the file at `fromKey`, with its content type, to `toKey`, replacing what is there. */
  copy(fromKey: string, toKey: string): Promise<void>;
  /** A short-lived URL to download the file at `key`. */
  downloadUrl(key: string, fileName: string, expiresInSeconds: number): Promise<string>;
  /** The bytes at `key`, or undefined when nothing is there (an import reads its file, at most 10 MiB). */
  read(key: string): Promise<Uint8Array | undefined>;
  /** Keeps `body` at `key`, replacing what is there (an import's report). */
  write(key: string, body: string, contentType: string): Promise<void>;
}
