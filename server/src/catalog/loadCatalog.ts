// Reads a catalog from a preset name or a file path (YAML or JSON) and validates it; every error
// names the path inside the catalog that is wrong.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type Catalog, catalogSchema } from '../domain/catalog/Catalog';
import { formatPath } from '../domain/fieldIssue';
import { logoDataUrl } from '../domain/catalog/logo';
import { rememberPublished } from './publishedCatalog';

export const PRESETS = ['credits', 'minutes', 'plans', 'conversations'] as const;
export const PRESET_DIRECTORY = join(__dirname, '..', '..', 'catalogs');

export class CatalogError extends Error {
  override name = 'CatalogError';
}

export function loadCatalog(presetOrPath: string): Catalog {
  const isPreset = (PRESETS as readonly string[]).includes(presetOrPath);
  const file = isPreset ? join(PRESET_DIRECTORY, `${presetOrPath}.yaml`) : presetOrPath;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CatalogError(`catalog ${file}: cannot be read (${(error as Error).message}); presets are ${PRESETS.join(', ')}`);
  }
  return parseCatalog(text, file);
}

export function parseCatalog(text: string, source: string): Catalog {
  let raw: unknown;
  try {
    raw = source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new CatalogError(`catalog ${source}: not valid ${source.endsWith('.json') ? 'JSON' : 'YAML'} (${(error as Error).message})`);
  }
  const published = withLogoRead(raw, source);
  const result = catalogSchema.safeParse(published);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${formatPath(issue.path) || '(root)'}: ${issue.message}`);
    throw new CatalogError(`catalog ${source} is invalid:\n${lines.join('\n')}`);
  }
  rememberPublished(result.data, published, source);
  return result.data;
}

/**
 * The catalog with its logo file (invoicing.seller.logo, a path beside the catalog file) read into a
 * data URL, which the schema then checks; a data URL, or no logo, is left as it is.
 */
function withLogoRead(raw: unknown, source: string): unknown {
  const seller = (raw as { invoicing?: { seller?: { logo?: unknown } } } | null)?.invoicing?.seller;
  const logo = seller?.logo;
  if (typeof logo !== 'string' || logo.startsWith('data:')) return raw;
  const file = isAbsolute(logo) ? logo : join(dirname(source), logo);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new CatalogError(`catalog ${source} is invalid:\n  invoicing.seller.logo: cannot read ${file} (${(error as Error).message})`);
  }
  const read = logoDataUrl(bytes);
  if ('error' in read) throw new CatalogError(`catalog ${source} is invalid:\n  invoicing.seller.logo: ${file} ${read.error}`);
  seller!.logo = read.url;
  return raw;
}
