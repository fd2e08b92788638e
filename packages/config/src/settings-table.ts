import { SETTING_SECTIONS } from './settings-schema.js';
import { settingMeta } from './setting-types.js';
import type { z } from 'zod';

/** The README's settings table, generated from the schema so the two never disagree. */
export function renderSettingsTable(): string {
  const out: string[] = [];
  for (const section of SETTING_SECTIONS) {
    out.push(`#### ${section.title}`, '', '| Setting | Default | Meaning |', '|---|---|---|');
    for (const [name, schema] of Object.entries(section.shape) as [string, z.ZodType][]) {
      const meta = settingMeta(schema);
      if (meta === undefined) throw new Error(`setting ${name} has no description`);
      out.push(
        `| \`${name}\` | \`${meta.default}\` | ${meta.description.replaceAll('|', '\\|')} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
