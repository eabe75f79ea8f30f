// Turns a fuzz request (fuzz-requests.ts) into what app.request() takes, with the credential the
// test holds now, and describes a request and its answer in one line for a failure report.
import type { FuzzRequest, Payload } from './fuzz-requests.ts';

export interface Credentials {
  readonly sessionCookie: string;
  readonly csrfToken: string;
  readonly adminToken: string;
  readonly narrowToken: string;
  readonly devToken: string;
  /** The login form's double-submit pair (cookie and field). */
  readonly loginCsrf: string;
}

const boundary = 'fuzzboundary';

function multipart(fields: readonly (readonly [string, string])[], fileField: string | null) {
  const parts = fields.map(([name, value]) =>
    name === fileField
      ? `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="data.csv"\r\n` +
        `Content-Type: text/csv\r\n\r\n${value}\r\n`
      : `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return `${parts.join('')}--${boundary}--\r\n`;
}

function fieldsOf(payload: Payload): (readonly [string, string])[] {
  switch (payload.kind) {
    case 'form':
      return [...payload.fields];
    case 'json':
      return payload.value !== null && typeof payload.value === 'object'
        ? Object.entries(payload.value).map(([k, v]) => [
            k,
            typeof v === 'string' ? v : JSON.stringify(v),
          ])
        : [['value', JSON.stringify(payload.value) ?? '']];
    case 'text':
      return [['text', payload.text]];
    default:
      return [];
  }
}

/** The body as the content type says it is sent (form types get form encodings). */
function bodyOf(
  request: FuzzRequest,
  fields: (readonly [string, string])[],
): string | Uint8Array | null {
  const { payload, contentType } = request;
  if (payload.kind === 'none') return null;
  if (payload.kind === 'bytes') return payload.bytes;
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data') || (payload.kind === 'form' && type === '')) {
    const file = request.route.fields.find((f) => f.file)?.name ?? null;
    return multipart(fields, file);
  }
  if (type.startsWith('application/x-www-form-urlencoded') || payload.kind === 'form')
    return new URLSearchParams(fields.map(([k, v]): [string, string] => [k, v])).toString();
  if (payload.kind === 'text') return payload.text;
  return JSON.stringify(payload.value) ?? '';
}

/** The back-office form's CSRF field as the request chose it: right, wrong or left out. */
function withCsrf(request: FuzzRequest, fields: (readonly [string, string])[], right: string) {
  const others = fields.filter(([name]) => name !== 'csrf');
  if (request.csrf === 'missing') return others;
  return [...others, ['csrf', request.csrf === 'right' ? right : 'wrong-csrf'] as const];
}

export function requestInit(request: FuzzRequest, credentials: Credentials): RequestInit {
  const headers: Record<string, string> = { ...request.headers };
  const cookies: string[] = [];
  const login = request.route.template === '/login';
  if (request.contentType !== null) headers['content-type'] = request.contentType;
  if (request.idempotencyKey !== null) headers['idempotency-key'] = request.idempotencyKey;
  switch (request.credential) {
    case 'admin-session':
      cookies.push(`jcm_session=${credentials.sessionCookie}`);
      if (request.csrf !== 'missing')
        headers['x-csrf-token'] = request.csrf === 'right' ? credentials.csrfToken : 'wrong';
      break;
    case 'admin-token':
      headers['authorization'] = `Bearer ${credentials.adminToken}`;
      break;
    case 'narrow-token':
      headers['authorization'] = `Bearer ${credentials.narrowToken}`;
      break;
    case 'dev-token':
      headers['authorization'] = `Bearer ${credentials.devToken}`;
      break;
    default:
      break;
  }
  if (login) cookies.push(`jcm_login_csrf=${credentials.loginCsrf}`);
  if (cookies.length > 0)
    headers['cookie'] = [headers['cookie'], ...cookies].filter(Boolean).join('; ');
  let fields = fieldsOf(request.payload);
  if (request.route.surface === 'office')
    fields = withCsrf(request, fields, login ? credentials.loginCsrf : credentials.csrfToken);
  return { method: request.route.method, headers, body: bodyOf(request, fields) };
}

/** At most `max` characters of a text, control characters escaped, the length said. */
export function excerpt(text: string, max = 160): string {
  const shown = JSON.stringify(text.slice(0, max));
  return text.length > max ? `${shown}... (${text.length} chars)` : shown;
}

export function describePayload(payload: Payload): string {
  switch (payload.kind) {
    case 'none':
      return '(no body)';
    case 'bytes':
      return `(${payload.bytes.length} bytes: ${Buffer.from(payload.bytes.slice(0, 24)).toString('hex')})`;
    case 'text':
      return excerpt(payload.text);
    case 'form':
      return `form ${excerpt(JSON.stringify(payload.fields))}`;
    case 'json':
      return excerpt(JSON.stringify(payload.value) ?? 'undefined');
  }
}
