// The stable error codes of backup and restore (`jcm backup`, `jcm restore`, POST /api/v1/backups),
// spread into error-codes.ts; docs/OPERATIONS.md ("Backup and restore") says when each is given.

export const backupErrorCodes = {
  backup_target_not_empty: 'A backup is written only into a new or empty folder.',
  backup_data_folder_in_use:
    'The PGlite data folder is held by a running server: take the backup through it (`jcm backup --server`).',
  backup_document_unreadable:
    'A document the database refers to is missing from the document store, or its bytes do not match its hash; the backup was not made.',
  backup_tool_failed:
    'pg_dump, pg_restore or the PGlite dump failed; the message gives its output.',
  backup_manifest_invalid: 'The backup has no manifest.json, or it is not a jcm backup manifest.',
  backup_database_file_corrupt:
    'The database file of the backup is missing or its SHA-256 differs from the manifest.',
  backup_document_missing: 'A document listed in the manifest is not in the backup.',
  backup_document_corrupt: 'A document of the backup does not match its SHA-256 (a changed byte).',
  backup_kind_mismatch:
    'The backup is of the other database (PGlite or PostgreSQL) than the restore target.',
  restore_target_not_empty:
    'A restore goes only into an empty database and new or empty data and document folders.',
  restore_heads_mismatch:
    "The restored journal's heads differ from the manifest's (chain, head_seq, head_hash).",
  restore_documents_incomplete:
    'The restored database refers to a document that the manifest does not list.',
  restore_audit_failed:
    'The restored database does not pass the audit (`jcm audit` names the violations).',
  backup_not_configured:
    'This server takes no backups: it was started without a backups folder (JCM_BACKUP_DIR) or, on PostgreSQL, without the database URL pg_dump needs.',
} as const;
