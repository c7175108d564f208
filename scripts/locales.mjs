// Merges locales/<lang>/*.json into one chrome.i18n messages.json per language.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCALES_DIR = new URL('../locales/', import.meta.url).pathname;

export function mergedMessages(lang) {
  const dir = join(LOCALES_DIR, lang);
  const merged = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const part = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const [key, value] of Object.entries(part)) {
      if (key in merged) throw new Error(`locale ${lang}: key ${key} defined twice (${file})`);
      merged[key] = value;
    }
  }
  return merged;
}

export function localeLanguages() {
  return readdirSync(LOCALES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
}
