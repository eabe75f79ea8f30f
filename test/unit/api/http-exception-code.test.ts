// A library's HTTPException keeps its 4xx status under a stable code (failed() in src/http/app.ts).
import { describe, expect, it } from 'vitest';
import { httpExceptionCode, statusOf } from '../../../src/api/problem.ts';

describe('the code of a library HTTPException', () => {
  it.each<[number, string, string, number]>([
    [400, 'Malformed JSON in request body', 'malformed_json', 400],
    [400, 'Invalid HTTP header: Content-Type=text/plain', 'invalid_request', 400],
    [401, 'Unauthorized', 'unauthenticated', 401],
    [403, 'Forbidden', 'actor_not_authorised', 403],
    [404, 'Not Found', 'not_found', 404],
    [413, 'Payload Too Large', 'payload_too_large', 413],
    [415, 'Unsupported Media Type', 'content_type_unsupported', 415],
    [418, "I'm a teapot", 'invalid_request', 400],
  ])('%i %s -> %s (%i)', (status, message, code, answered) => {
    expect(httpExceptionCode(status, message)).toBe(code);
    expect(statusOf(httpExceptionCode(status, message))).toBe(answered);
  });
});
