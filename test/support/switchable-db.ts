// A database handle whose target the test can switch under a running platform: to a database that
// was closed, or to a port where nothing listens, to see how the platform answers while its
// database is unavailable, and back.
import type { Db } from '../../src/db/connect.ts';

export interface SwitchableDb extends Db {
  switchTo(target: Db): void;
}

export function switchableDb(initial: Db): SwitchableDb {
  let target = initial;
  return {
    kind: initial.kind,
    exclusive: (fn) => target.exclusive(fn),
    read: (fn) => target.read(fn),
    transaction: (fn) => target.transaction(fn),
    // The test closes the databases it opened; a platform's close (the CLI's) leaves them open.
    close: async () => undefined,
    switchTo: (next) => {
      target = next;
    },
  };
}
