/** Known transmitters (the ground truth of sessions), with CSV import and export. */
import { z } from 'zod';
import { knownSourceInputSchema, knownSourceSchema, sourcesCsvImportResultSchema } from '../domain/sessions';
import { empty, idInput, method } from './define';

export const methods = {
  listKnownSources: method(empty, z.array(knownSourceSchema), 'Known transmitters, by name.'),
  createKnownSource: method(knownSourceInputSchema, knownSourceSchema, 'Add a known transmitter (the operator at a surveyed point counts).'),
  updateKnownSource: method(z.object({ id: z.string().min(1), patch: knownSourceInputSchema.partial() }), knownSourceSchema, 'Change a known transmitter.'),
  deleteKnownSource: method(idInput, z.object({ deleted: z.boolean() }), 'Remove a known transmitter no session uses.'),
  importKnownSourcesCsv: method(
    z.object({ text: z.string().max(5_000_000), dryRun: z.boolean().default(false) }),
    sourcesCsvImportResultSchema,
    'Import known transmitters from CSV (same columns as the export); rows with a known name update it.',
  ),
  exportKnownSourcesCsv: method(empty, z.object({ text: z.string() }), 'All known transmitters as CSV.'),
} as const;

export const streams = {} as const;
