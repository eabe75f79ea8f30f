// Every limit the core enforces, named with its unit last (TigerBeetle's "put a limit on everything").

/** Largest quantity of credits one command may move or issue: 10^12 tCO2e. */
export const quantityMax = 1_000_000_000_000n;
/** Largest serial number a project may reach (2^62, well inside int8). */
export const serialMax = 4_611_686_018_427_387_904n;
/** Explicit serial ranges accepted in one transfer, retirement, cancellation, reservation or release. */
export const rangesPerRequestMax = 100;
/** Allocation lines in one issuance decision. */
export const allocationLinesPerDecisionMax = 100;
/** Vintages listed in one verification. */
export const vintagesPerVerificationMax = 50;
/** Earliest and latest vintage (calendar year of the reductions). */
export const vintageMin = 2013;
export const vintageMax = 2100;
/** Free-text fields: names, notes, reasons, beneficiaries (characters). */
export const textLengthMax = 500;
/** Identifier-like fields: decision ids, verification references, holder ids (characters). */
export const identifierLengthMax = 64;
/** Idempotency keys (characters). */
export const idempotencyKeyLengthMax = 128;
/** Blocks one account may hold before a command touching it is refused for safety. */
export const blocksPerAccountMax = 100_000;
/**
 * The highest JCM sectoral scope number: the 15 scopes of the 2019 report and the scope for CCS and
 * CCUS added in December 2024 (data/sectoral_scopes.csv).
 */
export const sectoralScopeMax = 16;
