// Writes the synthetic demo set as a CSV file in the import format (for the
// import benchmark and for trying the importer on a realistic file).
import fs from 'node:fs';
import { csvLine } from '@/lib/csv';
import { FIELDS } from '@/lib/import/validate-row';
import { generateReferrals, type DemoOptions } from './generator';

export function writeDemoCsv(file: string, options: DemoOptions): void {
  const fd = fs.openSync(file, 'w');
  try {
    let pending = csvLine([...FIELDS]);
    generateReferrals(options, (record) => {
      pending += csvLine(FIELDS.map((f) => record[f]));
      if (pending.length > 1 << 20) {
        fs.writeSync(fd, pending);
        pending = '';
      }
    });
    fs.writeSync(fd, pending);
  } finally {
    fs.closeSync(fd);
  }
}
