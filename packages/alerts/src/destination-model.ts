import { z } from 'zod';

/** Destinations and templates as O2's API carries them (O2-CONTRACT §10). */

const str = (max = 1024) => z.string({ error: 'must be a string' }).max(max);
const NAME = /^[^:#?&%/"'\s][^:#?&%/"']*$/;
const name = () =>
  str(256)
    .transform((v) => v.trim())
    .refine((v) => NAME.test(v), {
      error: "Name is required and cannot contain ':', '#', '?', '&', '%', '/', or quotes",
    });

export const destinationSchema = z.object({
  name: name(),
  type: z.enum(['http', 'email']).default('http'),
  url: str(4096)
    .nullish()
    .transform((v) => v ?? ''),
  method: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['get', 'post', 'put']))
    .default('post'),
  skip_tls_verify: z.boolean().default(false),
  headers: z
    .record(z.string(), str(8192))
    .nullish()
    .transform((v) => v ?? {}),
  template: str(256)
    .nullish()
    .transform((v) => v ?? ''),
  emails: z
    .array(str(320))
    .max(100)
    .nullish()
    .transform((v) => v ?? []),
  output_format: z
    .enum(['json', 'ndjson'])
    .nullish()
    .transform((v) => v ?? undefined),
  destination_type_name: str(64)
    .nullish()
    .transform((v) => v ?? undefined),
  metadata: z
    .record(z.string(), z.string())
    .nullish()
    .transform((v) => v ?? {}),
});

export type DestinationDefinition = z.output<typeof destinationSchema>;

/** `module=alert` destinations need a template; `module=pipeline` ones send records as they are. */
export const DESTINATION_MODULES = ['alert', 'pipeline'] as const;
export type DestinationModule = (typeof DESTINATION_MODULES)[number];

export const templateSchema = z.object({
  name: name(),
  body: str(1 << 20),
  type: z.enum(['http', 'email']).default('http'),
  title: str(1024)
    .nullish()
    .transform((v) => v ?? ''),
  isDefault: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
});

export type TemplateDefinition = z.output<typeof templateSchema>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Cross-field rules; returns the first problem as a message, or undefined. */
export function destinationProblem(
  d: DestinationDefinition,
  module: DestinationModule,
): string | undefined {
  if (d.type === 'http' && d.url.trim() === '') return 'Destination url is required';
  if (d.type === 'email') {
    if (d.emails.length === 0) return 'Email destination needs at least one address';
    const bad = d.emails.find((e) => !EMAIL.test(e));
    if (bad !== undefined) return `Invalid email: ${bad}`;
  }
  if (module === 'alert' && d.template.trim() === '') return 'Alert destination needs a template';
  return undefined;
}
