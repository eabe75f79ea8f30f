// The ordered list of migrations; applied at start and by `jcm migrate`.
import type { Migration } from 'kysely';
import * as ledger from './001-ledger.ts';
import * as referenceData from './002-reference-data.ts';
import * as writeBatch from './003-write-batch.ts';
import * as cycle from './004-cycle.ts';
import * as accounts from './005-accounts.ts';
import * as transferRequests from './006-transfer-requests.ts';
import * as writePipeline from './007-write-pipeline.ts';
import * as totpStep from './008-totp-step.ts';
import * as syntheticOrganisations from './009-synthetic-organisations.ts';
import * as cycleRejectedIssuance from './010-cycle-rejected-issuance.ts';
import * as adoptionComments from './011-adoption-comments.ts';
import * as partnerships from './012-partnerships.ts';
import * as issuanceReserve from './013-issuance-reserve.ts';
import * as ccsScope from './014-ccs-scope.ts';
import * as article6 from './015-article6.ts';
import * as externalRegistrations from './016-external-registrations.ts';
import * as article6Once from './017-article6-once.ts';
import * as registryAggregates from './018-registry-aggregates.ts';
import * as pageIndexes from './019-page-indexes.ts';
import * as registerSearch from './020-register-search.ts';
import * as writePlans from './021-write-plans.ts';
import * as syntheticFlags from './022-synthetic-flags.ts';
import * as morePageIndexes from './023-more-page-indexes.ts';
import * as federation from './024-federation.ts';
import * as writeOutbox from './025-write-outbox.ts';
import * as checkpoints from './026-checkpoints.ts';
import * as peerIssuance from './027-peer-issuance.ts';
import * as article6Records from './028-article6-records.ts';

export const migrations: Record<string, Migration> = {
  '001-ledger': ledger,
  '002-reference-data': referenceData,
  '003-write-batch': writeBatch,
  '004-cycle': cycle,
  '005-accounts': accounts,
  '006-transfer-requests': transferRequests,
  '007-write-pipeline': writePipeline,
  '008-totp-step': totpStep,
  '009-synthetic-organisations': syntheticOrganisations,
  '010-cycle-rejected-issuance': cycleRejectedIssuance,
  '011-adoption-comments': adoptionComments,
  '012-partnerships': partnerships,
  '013-issuance-reserve': issuanceReserve,
  '014-ccs-scope': ccsScope,
  '015-article6': article6,
  '016-external-registrations': externalRegistrations,
  '017-article6-once': article6Once,
  '018-registry-aggregates': registryAggregates,
  '019-page-indexes': pageIndexes,
  '020-register-search': registerSearch,
  '021-write-plans': writePlans,
  '022-synthetic-flags': syntheticFlags,
  '023-more-page-indexes': morePageIndexes,
  '024-federation': federation,
  '025-write-outbox': writeOutbox,
  '026-checkpoints': checkpoints,
  '027-peer-issuance': peerIssuance,
  '028-article6-records': article6Records,
};
