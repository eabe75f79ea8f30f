// Units of measure for methodology parameters and equations: a unit is a product of powers of base
// dimensions and an exact scale to the base unit of its dimension. Conversions are therefore exact
// decimal multiplications (1 MWh = 3.6 GJ, 1 kWh = 0.001 MWh).
import { Decimal } from './decimal.ts';

/**
 * Base dimensions. Carbon dioxide is its own dimension so that tonnes of fuel never silently add to
 * tonnes of CO2; gas at normal conditions (Nm3) is its own dimension because turning it into a
 * volume at other conditions needs a pressure and a temperature, not a constant.
 */
export const dimensions = ['energy', 'time', 'mass', 'co2', 'volume', 'normal_volume'] as const;
export type Dimension = (typeof dimensions)[number];

export interface Unit {
  /** Exponent of each base dimension; absent means zero. */
  readonly powers: Readonly<Partial<Record<Dimension, number>>>;
  /** Value of one of this unit in the base units (GJ, h, t, tCO2, kL, Nm3). */
  readonly scale: Decimal;
}

interface Atom {
  readonly dimension: Partial<Record<Dimension, number>>;
  readonly scale: string;
  readonly name: string;
}

/** The units a methodology may use, with their exact size in base units. */
export const unitAtoms: Readonly<Record<string, Atom>> = {
  GJ: { dimension: { energy: 1 }, scale: '1', name: 'gigajoule' },
  MJ: { dimension: { energy: 1 }, scale: '0.001', name: 'megajoule' },
  TJ: { dimension: { energy: 1 }, scale: '1000', name: 'terajoule' },
  Wh: { dimension: { energy: 1 }, scale: '0.0000036', name: 'watt hour' },
  kWh: { dimension: { energy: 1 }, scale: '0.0036', name: 'kilowatt hour' },
  MWh: { dimension: { energy: 1 }, scale: '3.6', name: 'megawatt hour' },
  GWh: { dimension: { energy: 1 }, scale: '3600', name: 'gigawatt hour' },
  W: { dimension: { energy: 1, time: -1 }, scale: '0.0000036', name: 'watt' },
  kW: { dimension: { energy: 1, time: -1 }, scale: '0.0036', name: 'kilowatt' },
  MW: { dimension: { energy: 1, time: -1 }, scale: '3.6', name: 'megawatt' },
  h: { dimension: { time: 1 }, scale: '1', name: 'hour' },
  d: { dimension: { time: 1 }, scale: '24', name: 'day' },
  t: { dimension: { mass: 1 }, scale: '1', name: 'tonne' },
  kg: { dimension: { mass: 1 }, scale: '0.001', name: 'kilogram' },
  tCO2: { dimension: { co2: 1 }, scale: '1', name: 'tonne of CO2 equivalent' },
  tCO2e: { dimension: { co2: 1 }, scale: '1', name: 'tonne of CO2 equivalent' },
  kgCO2: { dimension: { co2: 1 }, scale: '0.001', name: 'kilogram of CO2 equivalent' },
  kL: { dimension: { volume: 1 }, scale: '1', name: 'kilolitre' },
  m3: { dimension: { volume: 1 }, scale: '1', name: 'cubic metre' },
  L: { dimension: { volume: 1 }, scale: '0.001', name: 'litre' },
  Nm3: { dimension: { normal_volume: 1 }, scale: '1', name: 'normal cubic metre' },
};

export const dimensionless: Unit = { powers: {}, scale: new Decimal(1) };

/** Longest unit text accepted. */
export const unitTextLengthMax = 40;

/**
 * Parses unit text: atoms joined by `*` or `/`, each optionally raised to an integer power with `^`
 * (`tCO2/MWh`, `GJ/Nm3`, `kW*h`, `1` for a pure number). Everything after a `/` divides. Null when
 * the text names an unknown unit.
 */
export function parseUnit(text: string): Unit | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > unitTextLengthMax) return null;
  if (trimmed === '1' || trimmed === '-') return dimensionless;
  const tokens = trimmed.split(/\s*([*/])\s*/);
  let unit = dimensionless;
  let dividing = false;
  for (const [index, token] of tokens.entries()) {
    if (index % 2 === 1) {
      dividing = dividing || token === '/';
      continue;
    }
    const match = /^([A-Za-z][A-Za-z0-9]*)(?:\^(-?\d))?$/.exec(token);
    if (match === null) return null;
    const atom = unitAtoms[match[1] ?? ''];
    if (atom === undefined) return null;
    const power = Number(match[2] ?? '1') * (dividing ? -1 : 1);
    unit = multiplyUnits(unit, powerOf(atom, power));
  }
  return unit;
}

function powerOf(atom: Atom, power: number): Unit {
  const powers: Partial<Record<Dimension, number>> = {};
  for (const [dimension, exponent] of Object.entries(atom.dimension) as [Dimension, number][]) {
    powers[dimension] = exponent * power;
  }
  return { powers, scale: new Decimal(atom.scale).pow(power) };
}

export function multiplyUnits(a: Unit, b: Unit): Unit {
  const powers: Partial<Record<Dimension, number>> = {};
  for (const dimension of dimensions) {
    const exponent = (a.powers[dimension] ?? 0) + (b.powers[dimension] ?? 0);
    if (exponent !== 0) powers[dimension] = exponent;
  }
  return { powers, scale: a.scale.times(b.scale) };
}

export function divideUnits(a: Unit, b: Unit): Unit {
  const inverse: Partial<Record<Dimension, number>> = {};
  for (const dimension of dimensions) {
    const exponent = b.powers[dimension] ?? 0;
    if (exponent !== 0) inverse[dimension] = -exponent;
  }
  return multiplyUnits(a, { powers: inverse, scale: new Decimal(1).div(b.scale) });
}

export function sameDimension(a: Unit, b: Unit): boolean {
  return dimensions.every((d) => (a.powers[d] ?? 0) === (b.powers[d] ?? 0));
}

export function isDimensionless(unit: Unit): boolean {
  return sameDimension(unit, dimensionless);
}

/** The factor that turns a value in `from` into the same quantity in `to` (same dimension). */
export function conversionFactor(from: Unit, to: Unit): Decimal {
  return from.scale.div(to.scale);
}

/** The dimension of a unit written for people, e.g. `energy·time^-1`. */
export function describeDimension(unit: Unit): string {
  const parts = dimensions
    .filter((d) => (unit.powers[d] ?? 0) !== 0)
    .map((d) => ((unit.powers[d] ?? 0) === 1 ? d : `${d}^${unit.powers[d] ?? 0}`));
  return parts.length === 0 ? 'a pure number' : parts.join('·');
}
