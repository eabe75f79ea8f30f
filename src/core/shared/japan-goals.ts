// Japan's goals for JCM reductions and removals, the yardstick the public portal measures issued
// credits against, with the source a reader can find.

/** Japan's goals for JCM reductions and removals (seed 000_e37b9f27d3f86ff5.txt, line 316). */
export const japanGoals = [
  { fiscalYear: 2030, tonnes: 100_000_000n },
  { fiscalYear: 2040, tonnes: 200_000_000n },
] as const;
export const japanGoalsSource =
  'Japan aims at cumulative reductions and removals of about 100 million t-CO2 by FY2030 and 200 million t-CO2 by FY2040 through the JCM (Implementation Status and Potential of JCM, MOEJ, September 2025)';
