// The shapes of the Article 6.2 reads as the service gives them to the web (which reaches the store
// only through the services).
import type { Platform } from '../services/platform.ts';

type Queries = Platform['article6']['queries'];

export type ApproachVersion = Awaited<ReturnType<Queries['latestApproaches']>>[number];
export type AuthorisationWithVersions = NonNullable<Awaited<ReturnType<Queries['authorisation']>>>;
export type AuthorisationVersion = AuthorisationWithVersions['versions'][number];
type ActionsPage = Awaited<ReturnType<Queries['partyActions']>>;
export type StoredAction = ActionsPage['actions'][number];
export type ActionCursor = NonNullable<ActionsPage['next']>;
export type ItmoStatus = NonNullable<Awaited<ReturnType<Platform['article6']['itmoStatus']>>>;
