// The expected results of the catalogue's worked examples, computed here independently of the engine:
// the arithmetic is written out with decimal.js and the vintage split by hand-counted days. Unit,
// API and CLI tests all compare the platform's answers with this table.
import { Decimal as DecimalJs } from 'decimal.js';

// Eighty significant digits: more than the engine keeps, so that the comparison below is decided by
// the engine's digits, not by this calculator's.
const Decimal = DecimalJs.clone({ precision: 80 });
type Decimal = InstanceType<typeof Decimal>;

const d = (v: string | number) => new Decimal(v);
/** Rounded down to whole tCO2e, as the rule says. */
const floor = (v: Decimal) => BigInt(v.toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed(0));

export interface ExpectedPeriod {
  readonly period: string;
  readonly re: Decimal;
  readonly pe: Decimal;
  readonly er: Decimal;
  /** vintage -> credits (after the discount factor), and reserve when there is one. */
  readonly credits: Readonly<Record<number, bigint>>;
  readonly reserve?: Readonly<Record<number, bigint>>;
}

export interface ExpectedExample {
  readonly periods: readonly ExpectedPeriod[];
  readonly total: bigint;
}

function single(period: string, year: number, re: Decimal, pe: Decimal): ExpectedPeriod {
  const er = re.minus(pe);
  return { period, re, pe, er, credits: { [year]: floor(er) } };
}

const kWh = d('0.001'); // MWh per kWh
const Wh = d('0.000001'); // MWh per Wh

// IN_AM001: RE = (EG_PV-1 + EG_PV-2) x EF_RE, PE = 0.
const inAm001 = single('MP1', 2026, d('1234.567').plus('2345.678').times('0.757'), d(0));

// IN_AM009: RE = (EG_BESS-1 + EG_BESS-2) x EF_RE, the stored electricity discharged only; PE = 0.
const inAm009 = single('MP1', 2026, d('3412.5').plus('3398.25').times('0.757'), d(0));

// CL_AM001: EG_i = export - import; RE = sum EG_i x 0.4; PE = 0. 1 Jul 2026 - 30 Jun 2027:
// 184 days in 2026 (Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31), 181 in 2027 (Jan 31 +
// Feb 28 + Mar 31 + Apr 30 + May 31 + Jun 30), 365 in all.
const clEg = d('16000.4')
  .minus('120.2')
  .plus(d('14500.25').minus('95.05'))
  .plus(d('12800.5').minus('88.3'));
const clRe = clEg.times('0.4');
const clAm001: ExpectedPeriod = {
  period: 'MP1',
  re: clRe,
  pe: d(0),
  er: clRe,
  credits: { 2026: floor(clRe.times(184).div(365)), 2027: floor(clRe.times(181).div(365)) },
};

// PH_AM001: RE = (gross - auxiliary) x 0.7, two half years.
const phAm001 = [
  single('MP1', 2026, d('18250.75').minus('1460.06').times('0.7'), d(0)),
  single('MP2', 2026, d('17980.5').minus('1438.44').times('0.7'), d(0)),
];

// ID_AM001: FC_RE = Q x 95 Nm3/kL; ER = (FC_RE - FC_PJ) x 0.00212.
const idFcRe = d('42000').plus('38500.5').times('95');
const idFcPj = d('2520000').plus('2310030');
const idAm001: ExpectedPeriod = {
  ...single('MP1', 2026, idFcRe.times('0.00212'), idFcPj.times('0.00212')),
  er: idFcRe.minus(idFcPj).times('0.00212'),
};

// IN_AM002: EC_RE_i = EC_PJ_i x COP_PJ_i / COP_RE_i (CH-1 6.2/5.0, CH-2 6.5/5.0); EF 0.757.
const inAm002 = single(
  'MP1',
  2026,
  d('512.4').times('6.2').div('5.0').plus(d('498.75').times('6.5').div('5.0')).times('0.757'),
  d('512.4').plus('498.75').times('0.757'),
);

// IN_AM003: RE = (EC_A x 5.4 + EC_B x 5.8) / 3.5 in kWh, x 0.001 MWh/kWh x 0.757.
const acRe = (a: string, b: string) =>
  d(a).times('5.4').plus(d(b).times('5.8')).div('3.5').times(kWh).times('0.757');
const acPe = (a: string, b: string) => d(a).plus(b).times(kWh).times('0.757');
const inAm003 = [
  single('H1', 2026, acRe('184500', '96250'), acPe('184500', '96250')),
  single('H2', 2026, acRe('201300', '104880'), acPe('201300', '104880')),
];

// IN_AM004: N x NLL (kW) x T (h) in kWh, x 0.001 x 0.757.
const inAm004 = single(
  'MP1',
  2026,
  d(400)
    .times('0.19')
    .times('8712')
    .plus(d(250).times('0.37').times('8690.5'))
    .times(kWh)
    .times('0.757'),
  d(400)
    .times('0.06')
    .times('8712')
    .plus(d(250).times('0.11').times('8690.5'))
    .times(kWh)
    .times('0.757'),
);

// IN_AM005: N x P (W) x H (h) in Wh, x 0.000001 x 0.757. 1 Oct 2026 - 31 Mar 2027: 92 days in
// 2026 (31 + 30 + 31), 90 in 2027 (31 + 28 + 31), 182 in all.
const ledRe = d(1200)
  .times(250)
  .times('2190.5')
  .plus(d(5400).times(150).times(2184))
  .times(Wh)
  .times('0.757');
const ledPe = d(1200)
  .times(110)
  .times('2190.5')
  .plus(d(5400).times(60).times(2184))
  .times(Wh)
  .times('0.757');
const ledEr = ledRe.minus(ledPe);
const inAm005: ExpectedPeriod = {
  period: 'MP1',
  re: ledRe,
  pe: ledPe,
  er: ledEr,
  credits: { 2026: floor(ledEr.times(92).div(182)), 2027: floor(ledEr.times(90).div(182)) },
};

// IN_AM006: business as usual = injected CO2; RE = BaU x (1 - 0.05), below business as usual;
// PE = (35000 MWh x 0.757 + 180.5 kL x 2.7 + 412.75 t) x (1 + 0.1), above the actual emissions;
// credits = floor(ER x 0.9); reserve = ceil(credits x 0.03).
const ccsRe = d('60250.5').plus('39750.25').times('0.95');
const ccsPe = d(35000).times('0.757').plus(d('180.5').times('2.7')).plus('412.75').times('1.1');
const ccsCredits = floor(ccsRe.minus(ccsPe).times('0.9'));
const inAm006: ExpectedPeriod = {
  period: 'MP1',
  re: ccsRe,
  pe: ccsPe,
  er: ccsRe.minus(ccsPe),
  credits: { 2027: ccsCredits },
  reserve: {
    2027: BigInt(
      d(ccsCredits.toString()).times('0.03').toDecimalPlaces(0, Decimal.ROUND_UP).toFixed(0),
    ),
  },
};

// IN_AM007: RE = Q x 0.0336 GJ/Nm3 x 0.0561 tCO2/GJ; PE = 1452.2 x 0.757 + Q x 0.92 x 0.02 x
// 0.000716 t/Nm3 x 28.
const cbgQ = d('2150000').plus('1480500');
const inAm007 = single(
  'MP1',
  2026,
  cbgQ.times('0.0336').times('0.0561'),
  d('1452.2').times('0.757').plus(cbgQ.times('0.92').times('0.02').times('0.000716').times(28)),
);

// IN_AM008: RE = (301.25 + 112.5) t x 9; PE = 640.8 MWh x 0.757.
const inAm008 = single('MP1', 2026, d('301.25').plus('112.5').times(9), d('640.8').times('0.757'));

function example(periods: readonly ExpectedPeriod[]): ExpectedExample {
  const total = periods.flatMap((p) => Object.values(p.credits)).reduce((a, b) => a + b, 0n);
  return { periods, total };
}

export const expectedExamples: Readonly<Record<string, ExpectedExample>> = {
  IN_AM001: example([inAm001]),
  CL_AM001: example([clAm001]),
  PH_AM001: example(phAm001),
  ID_AM001: example([idAm001]),
  IN_AM002: example([inAm002]),
  IN_AM003: example(inAm003),
  IN_AM004: example([inAm004]),
  IN_AM005: example([inAm005]),
  IN_AM006: example([inAm006]),
  IN_AM007: example([inAm007]),
  IN_AM008: example([inAm008]),
  IN_AM009: example([inAm009]),
};

/** Credits written out by hand for the record (and checked against the table above). */
export const expectedTotals: Readonly<Record<string, bigint>> = {
  IN_AM001: 2710n,
  CL_AM001: 17198n,
  PH_AM001: 23332n,
  ID_AM001: 5973n,
  IN_AM002: 206n,
  IN_AM003: 257n,
  IN_AM004: 770n,
  IN_AM005: 1081n,
  IN_AM006: 58379n,
  IN_AM007: 4404n,
  IN_AM008: 3238n,
  IN_AM009: 5155n,
};

/** Compares a calculation result (as JSON or as returned) with the expected example. */
export function compareWithExpected(
  expected: ExpectedExample,
  result: {
    periods: readonly {
      period: string;
      referenceEmissions: string;
      projectEmissions: string;
      emissionReductions: string;
      vintages: readonly { vintage: number; credits: bigint | string; reserve: bigint | string }[];
    }[];
    credits: bigint | string;
  },
): string[] {
  const problems: string[] = [];
  // Quotients (a COP ratio, a share of days) repeat forever; 30 decimal places is exact for any
  // credit and far below the last digit of a meter.
  const same = (a: Decimal, b: string) => a.toDecimalPlaces(30).eq(d(b).toDecimalPlaces(30));
  if (BigInt(result.credits) !== expected.total)
    problems.push(`total ${String(result.credits)} != ${expected.total}`);
  expected.periods.forEach((p, i) => {
    const got = result.periods[i];
    if (got === undefined || got.period !== p.period)
      return problems.push(`period ${p.period} missing`);
    if (!same(p.re, got.referenceEmissions))
      problems.push(`${p.period} RE ${got.referenceEmissions} != ${p.re.toFixed()}`);
    if (!same(p.pe, got.projectEmissions))
      problems.push(`${p.period} PE ${got.projectEmissions} != ${p.pe.toFixed()}`);
    if (!same(p.er, got.emissionReductions))
      problems.push(`${p.period} ER ${got.emissionReductions} != ${p.er.toFixed()}`);
    const credits = Object.fromEntries(got.vintages.map((v) => [v.vintage, BigInt(v.credits)]));
    for (const [year, c] of Object.entries(p.credits)) {
      if (credits[Number(year)] !== c)
        problems.push(
          `${p.period} vintage ${year} credits ${String(credits[Number(year)])} != ${c}`,
        );
    }
    if (Object.keys(credits).length !== Object.keys(p.credits).length)
      problems.push(`${p.period} vintages ${Object.keys(credits).join(',')}`);
    for (const [year, r] of Object.entries(p.reserve ?? {})) {
      const v = got.vintages.find((x) => x.vintage === Number(year));
      if (v === undefined || BigInt(v.reserve) !== r)
        problems.push(`${p.period} vintage ${year} reserve`);
    }
  });
  return problems;
}

/** The worked example of a methodology written as monitoring CSV (the format of monitoring-csv.ts). */
export function exampleCsv(
  example: {
    periods: readonly { id: string; start: string; end: string }[];
    fixed: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
    monitored: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;
  },
  unitOf: (symbol: string) => string,
): string {
  const lines = ['period,start,end,monitoring_point,parameter,value,unit'];
  for (const [symbol, value] of Object.entries(example.fixed)) {
    if (typeof value === 'string') lines.push(`,,,,${symbol},${value},${unitOf(symbol)}`);
    else
      for (const [point, v] of Object.entries(value))
        lines.push(`,,,${point},${symbol},${v},${unitOf(symbol)}`);
  }
  for (const period of example.periods) {
    for (const [point, values] of Object.entries(example.monitored[period.id] ?? {})) {
      for (const [symbol, v] of Object.entries(values)) {
        const where = point === 'project' ? '' : point;
        lines.push(
          `${period.id},${period.start},${period.end},${where},${symbol},${v},${unitOf(symbol)}`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
