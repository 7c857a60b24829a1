/**
 * Turns transport errors (pg, minio, sockets, TLS) into one sentence for the operator and a
 * verdict: transient errors (network down, server restarting) are retried forever with backoff;
 * the others count attempts and end as 'failed' until the operator fixes the cause and retries.
 */
export interface DescribedError {
  message: string;
  transient: boolean;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME_MISMATCH)/;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errno?: unknown;
  statusCode?: unknown;
  amzRequestid?: unknown;
  cause?: unknown;
}

const asErr = (e: unknown): ErrorLike => (e && typeof e === 'object' ? (e as ErrorLike) : { message: String(e) });
const codeOf = (e: ErrorLike): string => (typeof e.code === 'string' ? e.code : '');
const msgOf = (e: ErrorLike): string => (typeof e.message === 'string' ? e.message : String(e));

/** Node's AggregateError (happy eyeballs) hides the useful code in its errors. */
function networkCode(e: ErrorLike): string {
  const c = codeOf(e);
  if (c) return c;
  const inner = (e as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length) return codeOf(asErr(inner[0]));
  if (e.cause) return codeOf(asErr(e.cause));
  return '';
}

function describeNetwork(code: string, what: string, where: string, settings: string): DescribedError | null {
  if (code === 'ECONNREFUSED') return { message: `${what} at ${where} refused the connection: check that it is running and that the host and port are right in ${settings}.`, transient: true };
  if (code === 'ENOTFOUND') return { message: `The host of ${what} (${where}) was not found: check the host name in ${settings}, or the station's network/DNS.`, transient: true };
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENETDOWN' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT')
    return { message: `${what} at ${where} is unreachable (${code}): check the network connection; sync retries by itself.`, transient: true };
  if (NETWORK_CODES.has(code)) return { message: `The connection to ${what} at ${where} was lost (${code}); sync retries by itself.`, transient: true };
  if (TLS_CODES.test(code)) return { message: `TLS error talking to ${what} at ${where} (${code}): check the TLS switch and the server certificate in ${settings}.`, transient: false };
  return null;
}

export function describePgError(e: unknown, where: string, user: string): DescribedError {
  const err = asErr(e);
  const code = networkCode(err);
  const msg = msgOf(err);
  const settings = 'the central store settings (Sync page, or `heimdall-station sync configure`)';
  const net = describeNetwork(code, 'PostgreSQL', where, settings);
  if (net) return net;
  if (code === '28P01') return { message: `PostgreSQL at ${where} refused the password for user ${user}: fix the password in ${settings}.`, transient: false };
  if (code === '28000') return { message: `PostgreSQL at ${where} does not let user ${user} in (${msg}): check the user name in the URL, or ask the administrator for access (pg_hba.conf).`, transient: false };
  if (code === '3D000') return { message: `PostgreSQL at ${where} has no such database (${msg}): fix the database name in the URL in ${settings}.`, transient: false };
  if (code === '42501') return { message: `PostgreSQL user ${user} lacks a privilege the sync needs (${msg}): ask the administrator to grant it on the heimdall schema.`, transient: false };
  if (code.startsWith('08') || code.startsWith('57P') || code.startsWith('53') || code === '40001' || code === '40P01')
    return { message: `PostgreSQL at ${where} is unavailable for now (${code}: ${msg}); sync retries by itself.`, transient: true };
  if (/does not support SSL|SSL|certificate/i.test(msg)) return { message: `TLS error talking to PostgreSQL at ${where} (${msg}): check sslmode in the URL in ${settings}.`, transient: false };
  if (/timeout|terminated|Connection terminated|ended unexpectedly/i.test(msg)) return { message: `The connection to PostgreSQL at ${where} was lost (${msg}); sync retries by itself.`, transient: true };
  return { message: `PostgreSQL at ${where} rejected the sync (${code ? `${code}: ` : ''}${msg}). Check the server log; sync retries the item later.`, transient: false };
}

export function describeS3Error(e: unknown, where: string, bucket: string): DescribedError {
  const err = asErr(e);
  const code = networkCode(err);
  const msg = msgOf(err);
  const settings = 'the central store settings (Sync page, or `heimdall-station sync configure`)';
  const net = describeNetwork(code, 'the object store (S3/MinIO)', where, settings);
  if (net) return net;
  if (code === 'InvalidAccessKeyId') return { message: `The object store at ${where} does not know the access key: fix the access key in ${settings}.`, transient: false };
  if (code === 'SignatureDoesNotMatch') return { message: `The object store at ${where} refused the secret key (signature mismatch): fix the secret key in ${settings}.`, transient: false };
  if (code === 'AccessDenied') return { message: `The object store at ${where} denied access to bucket ${bucket}: give this access key write permission on it.`, transient: false };
  if (code === 'NoSuchBucket') return { message: `Bucket ${bucket} does not exist at ${where}: create it, or enable "create buckets" in ${settings}.`, transient: false };
  if (code === 'SlowDown' || code === 'ServiceUnavailable' || code === 'InternalError' || code === 'RequestTimeout' || (typeof err.statusCode === 'number' && err.statusCode >= 500))
    return { message: `The object store at ${where} is busy or unavailable (${code || err.statusCode}); sync retries by itself.`, transient: true };
  if (/wrong version number|ssl|tls|certificate/i.test(msg)) return { message: `TLS error talking to the object store at ${where} (${msg}): check the TLS switch and port in ${settings}.`, transient: false };
  if (/socket hang up|aborted|timeout/i.test(msg)) return { message: `The connection to the object store at ${where} was lost (${msg}); sync retries by itself.`, transient: true };
  return { message: `The object store at ${where} rejected the upload (${code ? `${code}: ` : ''}${msg}). Sync retries the item later.`, transient: false };
}

/** Local problems (file missing or changed) are never fixed by retrying soon. */
export class LocalSyncError extends Error {
  override readonly name = 'LocalSyncError';
}
