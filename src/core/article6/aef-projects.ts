// What the AEF says of a project's activity, from its JCM sectoral scopes: the AEF sector of each
// scope (the platform's mapping: the JCM's scopes and the AEF's sectors are two lists, and no
// document the platform holds maps one onto the other) and the mitigation type (removals only for
// afforestation and reforestation, scope 14).
import type { ProjectRef } from '../shared/ids.ts';
import type { AefProject } from './aef-input.ts';

const sectorOfScope: Readonly<Record<number, string>> = {
  1: 'energy_generation',
  2: 'energy_generation',
  3: 'building_and_construction',
  4: 'industrial_processes',
  5: 'industrial_processes',
  6: 'building_and_construction',
  7: 'transportation',
  8: 'industrial_processes',
  9: 'industrial_processes',
  10: 'energy_generation',
  11: 'industrial_processes',
  12: 'industrial_processes',
  13: 'waste_management',
  14: 'forestry_and_land_use',
  15: 'agriculture',
  16: 'industrial_processes',
};

export function aefProject(project: ProjectRef, scopes: readonly number[]): AefProject {
  const sectors = [...new Set(scopes.map((s) => sectorOfScope[s] ?? 'cross_sectoral_mechanisms'))];
  const removals = scopes.includes(14);
  const reductions = scopes.some((s) => s !== 14);
  return {
    project,
    sectors: sectors.length === 0 ? ['cross_sectoral_mechanisms'] : sectors,
    activityTypes: [],
    mitigationType:
      removals && reductions
        ? 'emission_reductions_and_removals'
        : removals
          ? 'removals'
          : 'emission_reductions',
  };
}
