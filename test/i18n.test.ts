import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localeLanguages, mergedMessages } from '../scripts/locales.mjs';
import { TICKET_ERROR_CODES } from '@/shared/ticket';
import { BusinessRefusalSchema, TenderViewSchema } from '@/shared/messages';
import { PORTAL_IDS } from '@/providers/registry';

/**
 * The extension speaks zh_CN (default) and English, from locales/<lang>/*.json. This fails when a
 * key is missing in either language, when a key the source asks for — t('key'), or a template
 * family t(`prefix_${…}`) with each of its expected suffixes — has no message, when the two
 * languages disagree on placeholders, or when Chinese text is written straight into UI code.
 */
type Message = { message: string; description?: string; placeholders?: Record<string, { content: string; example?: string }> };
type Messages = Record<string, Message>;

const ROOT = new URL('..', import.meta.url).pathname;
/** Where the extension's own code lives (tests, e2e and simulators are not the product). */
const SOURCE_DIRS = ['content-scripts', 'entrypoints', 'shared', 'providers'];
const LANGUAGES = ['zh_CN', 'en'] as const;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(name) && !/\.d\.ts$/.test(name)) out.push(path);
  }
  return out;
}

const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir))).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));
const messages: Record<(typeof LANGUAGES)[number], Messages> = {
  zh_CN: mergedMessages('zh_CN') as Messages,
  en: mergedMessages('en') as Messages,
};

/** Drops comments (keeps string contents; good enough for this codebase's style). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The first argument of every t(…) call: its text, balanced parentheses taken into account. */
function tFirstArguments(text: string): string[] {
  const args: string[] = [];
  const call = /(?<![\w$.])t\(/g;
  for (let match = call.exec(text); match; match = call.exec(text)) {
    let depth = 0;
    let end = match.index + match[0].length;
    let quote: string | null = null;
    for (; end < text.length; end++) {
      const c = text[end];
      if (quote) {
        if (c === '\\') end++;
        else if (c === quote) quote = null;
        continue;
      }
      if (c === "'" || c === '"' || c === '`') quote = c;
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    args.push(text.slice(match.index + match[0].length, end).trim());
  }
  return args;
}

/** Keys named literally in t(…) (also both arms of a ternary), and template families `prefix_${…}`. */
function usedKeys(): { keys: Map<string, string>; families: Map<string, string>; dynamic: string[] } {
  const keys = new Map<string, string>();
  const families = new Map<string, string>();
  const dynamic: string[] = [];
  for (const file of files) {
    for (const arg of tFirstArguments(withoutComments(file.text))) {
      // string literals of the argument, except the operands of a comparison (`kind === 'refund' ? 'a' : 'b'`)
      const literals = [...arg.matchAll(/(?<![=!]==?\s*)(?:'([^'\\]+)'|"([^"\\]+)")(?!\s*[=!]==?)/g)].map((m) => m[1] ?? m[2] ?? '');
      const templates = [...arg.matchAll(/`([A-Za-z0-9_]*)\$\{[^}]*\}`/g)].map((m) => m[1] ?? '');
      for (const key of literals.filter((l) => /^[A-Za-z][A-Za-z0-9_]*$/.test(l))) keys.set(key, file.path);
      for (const prefix of templates) families.set(prefix, file.path);
      if (!literals.length && !templates.length) dynamic.push(`${file.path}: t(${arg})`);
    }
  }
  return { keys, families, dynamic };
}

function matchAll(pattern: RegExp, texts: string[]): string[] {
  return [...new Set(texts.flatMap((text) => [...text.matchAll(pattern)].map((m) => m[1] ?? '')))].filter(Boolean);
}

/** Every suffix each template family can take. A new family must be listed here. */
function familySuffixes(): Record<string, string[]> {
  const flow = files.filter((f) => f.path.startsWith('shared/engine/') || f.path.startsWith('content-scripts/')).map((f) => f.text);
  const providers = files.filter((f) => f.path.startsWith('providers/')).map((f) => f.text);
  const popup = files.find((f) => f.path === 'entrypoints/popup/PopupApp.tsx')?.text ?? '';
  // stop codes the fill handles before the overlay (`error.code === 'NAVIGATED') return`): never shown
  const fill = files.find((f) => f.path === 'content-scripts/fill-feature.ts')?.text ?? '';
  const handledStops = new Set(matchAll(/\.code === '([A-Z_]+)'\)*\s*return\b/g, [fill]));
  // errorText() in the popup: /^(NO_PAYMENT_METHOD|NO_ORDER_NO)\b/
  const popupKnown = /\/\^\(([A-Z_|]+)\)/.exec(popup)?.[1]?.split('|') ?? [];
  return {
    // the scan verdict's code (ticket errors, business refusals) and the content script's own
    ov_err_: [...TICKET_ERROR_CODES, ...BusinessRefusalSchema.options, 'NO_BACKGROUND'],
    // FlowStop codes: the engine's own, and each provider's `fail` steps
    ov_stop_: [
      ...matchAll(/new FlowStop\(\s*'([A-Z_]+)'/g, flow),
      ...matchAll(/new FlowStop\([^;]*?\?\s*'([A-Z_]+)'/g, flow),
      ...matchAll(/new FlowStop\([^;]*?:\s*'([A-Z_]+)'/g, flow),
      ...matchAll(/rethrowAs\(\s*'([A-Z_]+)'/g, flow),
      ...matchAll(/do:\s*'fail',\s*code:\s*'([A-Z_]+)'/g, providers),
    ].filter((code) => !handledStops.has(code)),
    pp_err_: popupKnown,
    // every tender state the popup can show a line for ('new' shows none)
    // (message names cannot hold '-': 'manual-to-verify' is pp_state_manual_to_verify)
    pp_state_: TenderViewSchema.shape.state.options.filter((s) => s !== 'new').map((s) => s.replace(/-/g, '_')),
    // why the popup does not offer 已在英克下账 (TenderView.manual)
    pp_manual_why_: ['SUPERVISOR_ONLY', 'OUTCOME_UNKNOWN_NO_BRIDGE', 'IN_FLIGHT'],
    opt_portal_name_: [...PORTAL_IDS],
  };
}

/** Positional substitutions ($1…$9) a message uses, named placeholders resolved. Throws on an undefined name. */
function substitutions(message: Message): string[] {
  const text = message.message.replace(/\$\$/g, '');
  const used = new Set<string>();
  const named = text.replace(/\$([A-Za-z0-9_@]+)\$/g, (_, name: string) => {
    const placeholder = message.placeholders?.[name.toLowerCase()] ?? message.placeholders?.[name];
    if (!placeholder) throw new Error(`placeholder $${name}$ is not defined`);
    for (const m of placeholder.content.matchAll(/\$([1-9])/g)) used.add(`$${m[1]}`);
    return '';
  });
  for (const m of named.matchAll(/\$([1-9])/g)) used.add(`$${m[1]}`);
  return [...used].sort();
}

describe('locales', () => {
  it('has exactly the two languages, zh_CN being the default', () => {
    expect([...(localeLanguages() as string[])].sort()).toEqual([...LANGUAGES].sort());
  });

  it('has every key in both languages, each with a non-empty message', () => {
    const zhKeys = Object.keys(messages.zh_CN);
    const enKeys = Object.keys(messages.en);
    expect(enKeys.filter((k) => !(k in messages.zh_CN)), 'keys missing in zh_CN').toEqual([]);
    expect(zhKeys.filter((k) => !(k in messages.en)), 'keys missing in en').toEqual([]);
    for (const lang of LANGUAGES) {
      const empty = Object.entries(messages[lang]).filter(([, m]) => typeof m?.message !== 'string' || m.message.trim() === '');
      expect(empty.map(([k]) => k), `empty messages in ${lang}`).toEqual([]);
      // chrome.i18n: keys are [A-Za-z0-9_] only
      expect(Object.keys(messages[lang]).filter((k) => !/^[A-Za-z0-9_]+$/.test(k)), `bad key names in ${lang}`).toEqual([]);
    }
  });

  it('uses the same placeholders in both languages', () => {
    const differ: string[] = [];
    for (const key of Object.keys(messages.zh_CN)) {
      const en = messages.en[key];
      const zh = messages.zh_CN[key];
      if (!en || !zh) continue;
      let zhSubs: string[];
      let enSubs: string[];
      try {
        zhSubs = substitutions(zh);
        enSubs = substitutions(en);
      } catch (error) {
        differ.push(`${key}: ${(error as Error).message}`);
        continue;
      }
      if (zhSubs.join() !== enSubs.join()) differ.push(`${key}: zh_CN ${zhSubs.join(' ') || '(none)'} ≠ en ${enSubs.join(' ') || '(none)'}`);
    }
    expect(differ).toEqual([]);
  });

  it('has a message for every key the source asks for by name', () => {
    const { keys } = usedKeys();
    expect(keys.size).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const [key, file] of keys) {
      for (const lang of LANGUAGES) if (!messages[lang][key]) missing.push(`${lang}: ${key} (${file})`);
    }
    expect(missing).toEqual([]);
  });

  it('has a message for every member of every template family t(`prefix_${…}`)', () => {
    const { families } = usedKeys();
    const suffixes = familySuffixes();
    expect(families.size).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const [prefix, file] of families) {
      const expected = suffixes[prefix];
      if (!expected?.length) {
        problems.push(`${file}: t(\`${prefix}\${…}\`) is a new family: list its suffixes in familySuffixes()`);
        continue;
      }
      for (const suffix of expected) {
        for (const lang of LANGUAGES) if (!messages[lang][prefix + suffix]) problems.push(`${lang}: ${prefix}${suffix} (${file})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has a message for every key-shaped string in the source (key tables such as PORTAL_NAME_KEYS)', () => {
    const prefixes = new Set(Object.keys(messages.zh_CN).map((k) => /^([a-z]+_)/.exec(k)?.[1]).filter(Boolean));
    const missing: string[] = [];
    for (const file of files) {
      for (const m of withoutComments(file.text).matchAll(/'([a-z]+_[A-Za-z0-9_]+)'/g)) {
        const key = m[1] ?? '';
        const prefix = /^([a-z]+_)/.exec(key)?.[1];
        if (!prefix || !prefixes.has(prefix) || /_$/.test(key)) continue;
        for (const lang of LANGUAGES) if (!messages[lang][key]) missing.push(`${lang}: ${key} (${file.path})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('finds no Chinese text written straight into UI code', () => {
    // Provider data (the portals' own labels, which the engine matches) and settings' defaults are
    // data, not UI; these files are where the extension talks to the cashier.
    const ui = files.filter((f) => /\.tsx$/.test(f.path) || /^content-scripts\/(overlay|scan-feature|fill-feature|capture-feature|remote-scan)\.ts$/.test(f.path));
    const found: string[] = [];
    // regular-expression literals are code, not text (e.g. /[。.]$/ trimming a sentence's full stop)
    const regexLiteral = /(?<=[(,=:!&|?{};]\s*)\/(?![/*])(?:\\.|\[[^\]\n]*\]|[^/\\\n[])+\/[dgimsuy]*/g;
    for (const file of ui) {
      withoutComments(file.text)
        .replace(regexLiteral, '/…/')
        .split('\n')
        .forEach((line, i) => {
          if (/[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]/.test(line)) found.push(`${file.path}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });
});
