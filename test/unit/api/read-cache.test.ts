// The public-read micro-cache: which requests it may answer, how long an answer lives, and that a
// write (or an answer computed across one) never leaves a stale answer behind.
import { describe, expect, it } from 'vitest';
import { ReadCache, readCacheBodyMax, readCacheTtlMs } from '../../../src/http/read-cache.ts';

describe('the read cache', () => {
  it.each([
    ['GET', '/api/v1/registries', false, true],
    ['GET', '/api/v1/registries/JP/accounts', false, true],
    ['GET', '/api/v1/cycle/items?machine=project', false, true],
    ['GET', '/', false, true],
    ['GET', '/projects', false, true],
    ['GET', '/projects?country=IN&status=registered', false, true],
    ['GET', '/projects/IN-PRJ001', false, true],
    ['GET', '/serial?serial=IN001-1', false, true],
    ['GET', '/static/site.css', false, true],
    ['GET', '/api/v1/registries', true, false],
    ['GET', '/projects', true, false],
    ['POST', '/api/v1/transfers', false, false],
    ['HEAD', '/api/v1/registries', false, false],
    ['GET', '/api/v1/session', false, false],
    ['GET', '/api/v1/cycle/inbox?role=secretariat', false, false],
    ['GET', '/api/v1/transfer-requests', false, false],
    ['GET', '/api/v1/documents/abc', false, false],
    ['GET', '/office', false, false],
    ['GET', '/office/items/IN-PRJ001', false, false],
    ['GET', '/login', false, false],
    ['GET', '/metrics', false, false],
    ['GET', '/health', false, false],
    ['GET', '/ready', false, false],
    ['GET', '/api/openapi.json', false, false],
  ])('%s %s (credentials: %s) cacheable: %s', (method, url, credentials, expected) => {
    expect(ReadCache.cacheable(method, url, credentials)).toBe(expected);
  });

  it('serves an answer for at most the time to live', () => {
    let now = 0;
    const cache = new ReadCache(() => now);
    cache.store('/a', cache.version, { 'content-type': 'text/plain' }, Buffer.from('one'));
    now = readCacheTtlMs;
    expect(cache.lookup('/a')?.body.toString()).toBe('one');
    now = readCacheTtlMs + 1;
    expect(cache.lookup('/a')).toBeUndefined();
  });

  it('drops every answer when a write finishes, and refuses one computed across a write', () => {
    const cache = new ReadCache(() => 0);
    cache.store('/a', cache.version, {}, Buffer.from('before'));
    const started = cache.version;
    cache.invalidate();
    expect(cache.lookup('/a')).toBeUndefined();
    cache.store('/a', started, {}, Buffer.from('read across the write'));
    expect(cache.lookup('/a')).toBeUndefined();
    cache.store('/a', cache.version, {}, Buffer.from('after'));
    expect(cache.lookup('/a')?.body.toString()).toBe('after');
  });

  it('does not keep large answers', () => {
    const cache = new ReadCache(() => 0);
    cache.store('/big', cache.version, {}, Buffer.alloc(readCacheBodyMax + 1));
    expect(cache.lookup('/big')).toBeUndefined();
  });
});
