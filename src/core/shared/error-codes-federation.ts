// The stable error codes of messages between deployments (issue 16, SPEC section 8), spread into
// error-codes.ts. A receiving deployment answers a refused message with one of these, logs it and
// applies nothing.

export const federationErrorCodes = {
  message_malformed:
    'The message is not a signed deployment message (envelope, key id and signature), or a field is out of range.',
  message_wrong_receiver:
    'The message is addressed to another deployment than the one receiving it.',
  message_sender_unknown: 'The sending deployment is not one of the receiver’s registered peers.',
  message_key_unknown:
    'The message is signed with a key id the receiver has not registered for its sender.',
  message_key_expired:
    'The message is signed with a key of its sender that is not valid at the time of receipt (rotated out, or not yet valid).',
  message_signature_invalid:
    'The Ed25519 signature does not verify over the canonical JSON of the envelope with the sender’s registered key.',
  message_sequence_reused:
    'A message with this sequence number was already applied on this link with another idempotency key or body (a replay or a forged message).',
  message_idempotency_conflict:
    'A message with this idempotency key was already applied with another sequence number or body.',
  message_sequence_gap:
    'The message comes after a sequence number not yet received on this link; it is held until the gap is filled if it is within 1,000 of the awaited number (`details.expected` names it), and forgotten otherwise.',
  message_kind_unsupported:
    'The receiving deployment does not apply messages of this kind (yet): nothing was applied, and the sender’s link stops until an operator looks.',
  federation_link_unknown: 'There is no link to this peer: no message was ever written to it.',
  federation_not_configured:
    'This deployment exchanges no messages with other deployments (it runs without JCM_FEDERATION).',
  checkpoint_nothing_to_sign:
    'The registry has written no journal entries yet, so it has no head to sign in a checkpoint.',
  checkpoint_time_not_after_last:
    'The registry’s last checkpoint is not earlier than this one’s time (a clock that went back): nothing was signed.',
  checkpoint_head_not_in_journal:
    'The registry’s chain head names an entry its journal does not have (no entry at that number, or one with another hash): the chain’s row was changed behind the journal, nothing was signed. Treat it as an incident (docs/OPERATIONS.md).',
  checkpoint_does_not_extend:
    'The registry’s journal does not extend its last signed checkpoint (its head went back, or the entry that checkpoint signed has another hash now): nothing was signed; `details.discrepancies` lists the kinds found. Treat it as an incident (docs/OPERATIONS.md).',
  checkpoint_malformed:
    'The checkpoint is not one: not JSON, a field out of range, or not in the canonical form its signature covers.',
  export_not_ready:
    'The server has not finished its first public export since it started (it makes one at start, then every JCM_EXPORT_MINUTES): try again after `Retry-After` seconds.',
  export_malformed:
    'A line of a public export is not one of its records (not JSON, a field out of range, or longer than 4,194,304 characters): `jcm verify-export` reports it as a discrepancy of the file.',
  peer_export_unreadable:
    'The peer’s public export could not be downloaded (no answer, an error status, or not an export): nothing was compared.',
  message_body_invalid:
    'The message’s body is not what its kind says (a field missing or out of range): nothing was applied.',
  message_sender_not_in_partnership:
    'The sending deployment hosts no registry of the partnership the decision belongs to, so it cannot notify its Joint Committee’s decisions: nothing was applied.',
  notification_line_registry_unknown:
    'A line of the notified decision is for a registry hosted neither by this deployment nor by the sender: nothing was applied.',
  notification_no_line_here:
    'The notified decision has no line for a registry this deployment hosts: it is not this deployment’s to record (its decision ids and verification references stay free): nothing was applied.',
  account_not_from_host:
    'The peer reported an account of a registry it does not host (or an id not of that registry): nothing was applied.',
  account_record_conflict:
    'The peer reported an account it reported before otherwise (an account’s registry, type and holder never change): nothing was applied.',
  record_registry_not_hosted_here:
    'The peer sent an Article 6.2 record (an authorisation or a confirmation) for a registry this deployment does not host: nothing was applied.',
  first_transfer_not_from_host:
    'The peer reported a first transfer of credits in a registry it does not host: nothing was applied.',
  first_transfer_party_not_here:
    'The peer reported a first transfer by a Party whose registry this deployment does not host: nothing was applied.',
  first_transfer_conflict:
    'The peer reported, in another message, an action of its journal it had reported before as another first transfer: nothing was applied; reconcile the two deployments.',
  record_refusal_unknown:
    'The peer says it refused an Article 6.2 record this deployment did not forward to it under that number (or told of its refusal before): nothing was applied.',
  article6_party_hosted_elsewhere:
    'The Party’s own registry is hosted by a peer deployment: its government records its authorisations on that deployment, which forwards them.',
  notification_decision_mismatch:
    'Recorded here, the notified decision would number its lines or serials otherwise than the sender did: nothing was applied; reconcile the two deployments.',
  confirmation_line_unknown:
    'The confirmation names a decision line this deployment has not recorded: nothing was applied.',
  confirmation_not_from_host:
    'The confirmation is for a line whose registry the sender does not host: nothing was applied.',
  confirmation_exceeds_line:
    'The confirmation says more credits were issued than the decision’s line allocates: nothing was applied; reconcile the two deployments.',
  confirmation_range_differs:
    'The confirmation says serials were issued other than the decision’s line: nothing was applied; reconcile the two deployments.',
  confirmation_conflict:
    'The line was confirmed before with another journal entry: nothing was applied; reconcile the two deployments.',
  peer_not_configured:
    'The deployment named is not a peer in this deployment’s JCM_FEDERATION file: nothing was compared.',
  registry_hosted_elsewhere:
    'The registry runs on a peer deployment (JCM_FEDERATION `peers`): its accounts, issuances and movements are written there, not here.',
  registry_not_hosted:
    'The registry is not one this deployment hosts (JCM_FEDERATION `registries`): its checkpoints are signed where it runs.',
} as const;
