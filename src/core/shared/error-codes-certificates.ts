// The error codes of certificates of issuance and retirement (issue 15), apart so that error-codes.ts
// stays within its length; spread into `errorCodes` there, and documented in docs/errors.md with all.
export const certificateErrorCodes = {
  certificate_reference_malformed:
    'A certificate is named by a journal chain (JP, IN, JC-IN) and an entry number from 1, as in /verify/JP/42.',
  certificate_hash_malformed:
    'The hash a certificate states is 64 hexadecimal digits (SHA-256; upper or lower case).',
  certificate_entry_not_certifiable:
    'Only an issuance or a retirement entry has a certificate; this entry is another kind.',
  certificate_entry_hash_mismatch:
    'The journal entry does not match its hash or its link to the entry before; no certificate is issued of it (run jcm audit).',
  certificate_too_large_for_pdf:
    'The entry moved more blocks than a PDF certificate lists (20,000); its certificate is answered as JSON and verified at /verify.',
} as const;
