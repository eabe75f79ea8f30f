// What the public portal reads, as the web sees it: the portal's queries (src/db/portal-queries.ts)
// with Japan's goals and their source, through the services layer.
export {
  japanGoals,
  japanGoalsSource,
  type PortalQueries,
  type ProjectFilter,
} from '../db/portal-queries.ts';
