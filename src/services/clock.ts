// Time as the services see it: an ISO 8601 UTC instant from a clock the composition root (or a test)
// hands in; the system clock is the one place that reads the host's time.

export type Clock = () => string;

export const systemClock: Clock = () => new Date().toISOString();
