// The rows of the authorisation matrix for Article 6.2: the API's writes and the back office's forms.
// Governments act for their Party; the core then checks that the Party is the one concerned.
import type { MatrixRow } from './authorisation.ts';

export const article6ApiRows: readonly MatrixRow[] = [
  {
    method: 'POST',
    path: '/api/v1/article6/approaches',
    allowed: ['administrator', 'joint_committee'],
    relation: 'the Joint Committee of the partnership',
  },
  {
    method: 'POST',
    path: '/api/v1/article6/authorisations',
    allowed: ['government_japan', 'government_partner'],
    relation: 'the government of the authorising Party',
  },
  {
    method: 'POST',
    path: '/api/v1/article6/registries/{registry}/confirmations',
    allowed: ['government_japan', 'government_partner'],
    relation: 'the government of another Party of the approach',
  },
  {
    method: 'POST',
    path: '/api/v1/article6/assignments',
    allowed: ['government_japan', 'government_partner'],
    relation: 'the government of the authorising Party',
  },
  {
    method: 'POST',
    path: '/api/v1/article6/finalisations',
    allowed: ['government_japan', 'government_partner'],
    relation: 'the government of the Party',
  },
];

export const article6OfficeRows: readonly MatrixRow[] = [
  {
    method: 'POST',
    path: '/office/article6/authorise',
    allowed: ['government_japan', 'government_partner'],
    relation: 'the government of the authorising Party',
  },
  {
    method: 'POST',
    path: '/office/article6/confirm',
    allowed: ['government_japan', 'government_partner'],
    relation: 'the government of another Party of the approach',
  },
  {
    method: 'POST',
    path: '/office/article6/assign',
    allowed: ['government_japan', 'government_partner'],
    relation: 'the government of the authorising Party',
  },
  {
    method: 'POST',
    path: '/office/article6/finalise',
    allowed: ['government_japan', 'government_partner'],
    relation: 'the government of the Party',
  },
];
