// An Article 6.2 record forwarded to a peer deployment, in people's words: one sentence for the
// command line and the back office, which both answer a record a peer will make, not one made here.
import type { Forwarded } from './article6-records.ts';

/** What became of a forwarded record: the peer and the message that carries it. */
export function forwardedText(f: Forwarded['forwarded']): string {
  return `${f.kind} of ${f.authorisation} forwarded to deployment ${f.to} as its message ${f.sequence}; it is recorded there when the message is applied`;
}
