// `jcm methodology ...`: the catalogue, the monitoring spreadsheet, calculation, finder and
// estimator. These commands read the catalogue files only and never open the database.
import type { Command } from 'commander';
import type { MethodologyCatalogue } from '../services/methodology-catalogue.ts';
import { catalogueAction } from './catalogue-action.ts';
import {
  registerCatalogueCommands,
  registerValidateCommand,
} from './methodology-catalogue-commands.ts';
import { registerFinderCommands } from './methodology-finder-commands.ts';
import { registerMonitoringCommands } from './methodology-monitoring-commands.ts';

export function registerMethodologyCommands(
  program: Command,
  openCatalogue: () => Promise<MethodologyCatalogue>,
): void {
  const methodology = program
    .command('methodology')
    .description('methodologies: catalogue, monitoring spreadsheets, calculation, finder');
  const run = catalogueAction(openCatalogue);
  // Registered in the order `jcm methodology --help` lists them.
  registerCatalogueCommands(methodology, run);
  registerMonitoringCommands(methodology, run);
  registerFinderCommands(methodology, run);
  registerValidateCommand(methodology, run);
}
