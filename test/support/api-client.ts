// A small client of the HTTP API for end-to-end tests: writes as an actor with roles (the development
// token), reads as anyone, and the Joint Committee decision steps (proposed, confirmed, adopted).
import { randomUUID } from 'node:crypto';
import type { createApp } from '../../src/http/app.ts';

export const devToken = 'test-token';

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export class ApiClient {
  constructor(private readonly app: ReturnType<typeof createApp>) {}

  /** A POST as an actor with roles (null: nobody logged in), with a fresh idempotency key. */
  async post(path: string, body: unknown, roles: string | null, actor = 'e2e'): Promise<Answer> {
    const response = await this.app.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
        ...(roles === null
          ? {}
          : { authorization: `Bearer ${devToken}`, 'x-jcm-actor': actor, 'x-jcm-roles': roles }),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** A cycle action; throws unless it is taken. */
  async act(action: string, body: unknown, roles: string): Promise<string> {
    const done = await this.post(`/api/v1/cycle/actions/${action}`, body, roles);
    if (done.status !== 201 && done.status !== 200)
      throw new Error(`${action}: ${done.status} ${JSON.stringify(done.body)}`);
    return (done.body as { item: string }).item;
  }

  /** A GET as an actor with roles, or as anyone. */
  async get(path: string, roles: string | null = null, actor = 'e2e'): Promise<Response> {
    return this.app.request(path, {
      headers:
        roles === null
          ? {}
          : { authorization: `Bearer ${devToken}`, 'x-jcm-actor': actor, 'x-jcm-roles': roles },
    });
  }

  async getJson(path: string, roles: string | null = null): Promise<Answer> {
    const response = await this.get(path, roles);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** A Joint Committee decision about an item's action: proposed, confirmed by both, adopted. */
  async decide(item: string, action: string, partnership = 'IN'): Promise<string> {
    const decision = await this.act(
      'propose_decision',
      {
        subject: { item, action, text: `The Joint Committee decides to ${action}.` },
        documents: [
          {
            type: 'decision_text',
            fileName: 'decision.txt',
            mediaType: 'text/plain',
            content: Buffer.from(`Decision: ${action} of ${item}`).toString('base64'),
          },
        ],
      },
      `secretariat:${partnership}`,
    );
    await this.act('confirm_decision', { item: decision }, 'government_japan');
    await this.act('confirm_decision', { item: decision }, `government_partner:${partnership}`);
    await this.act('adopt_decision', { item: decision }, `joint_committee:${partnership}`);
    return decision;
  }
}

/** A document of the envelope: text content under a name and media type. */
export function textDocument(type: string, text = `${type} (test document)`, name = `${type}.txt`) {
  return {
    type,
    fileName: name,
    mediaType: 'text/plain',
    content: Buffer.from(text).toString('base64'),
  };
}
