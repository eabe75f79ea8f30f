// The hash port: the core computes hashes (journal entries, calculation inputs) without importing
// any crypto; the adapter passes SHA-256 as a function returning lower-case hex.

export type Sha256 = (text: string) => string;
