import { CLICKABLE_SELECTOR, CONTROL_SELECTOR, isVisible, normalizeText, visibleText } from './dom';
import { normalizeWord, SCORE, scoreText, wanted, wordsOf, type LexiconAdditions } from './lexicon';

/**
 * Finding things by the page's structure where words are not enough, the way a cashier knows a
 * search box without reading its label: a text input beside a 查询/搜索 button or a magnifier
 * icon; a wizard's highlighted step; a row's own action button; a login form.
 */

const TEXT_INPUT = 'input:not([type]), input[type=text], input[type=search], textarea';
/** Page chrome: a global search in the top bar is not the goods search of the work area. */
const CHROME = 'header, nav, aside, .el-header, .el-aside, .layui-header, .layui-side, .ant-layout-header, .ant-layout-sider, .navbar, .sidebar';
const SEARCH_ICON =
  '.el-icon-search, .anticon-search, .layui-icon-search, .fa-search, .icon-search, [class*="search-icon"], svg[data-icon=search], [aria-label="search"], [aria-label="搜索"]';

function queryVisible(root: Element | Document, selector: string): Element[] {
  const all = Array.from(root.querySelectorAll(selector));
  if (root instanceof Element && root.matches(selector)) all.unshift(root);
  return all.filter(isVisible);
}

/**
 * Search boxes by structure: input[type=search] / role=searchbox, or the only text input of a
 * small block that also holds a 查询/搜索 button or a search icon, outside the page chrome.
 * Scored as a fallback (below any match by words).
 */
export function findSearchBoxes(root: Element | Document, lexicon: LexiconAdditions = {}): Array<{ element: Element; score: number }> {
  const found = new Set<Element>();
  for (const el of queryVisible(root, 'input[type=search], [role=searchbox]')) if (!el.closest(CHROME)) found.add(el);
  const searchWords = wordsOf('search', lexicon).map((w) => wanted(w, lexicon));
  for (const input of queryVisible(root, TEXT_INPUT)) {
    if (input.closest(CHROME) || (input as HTMLInputElement).readOnly) continue;
    let block: Element | null = input.parentElement;
    for (let depth = 0; block && depth < 4; depth += 1, block = block.parentElement) {
      const inputs = queryVisible(block, TEXT_INPUT);
      if (inputs.length > 1) break;
      const hasIcon = queryVisible(block, SEARCH_ICON).length > 0;
      const hasButton = queryVisible(block, 'button, [role=button], input[type=button], input[type=submit], a').some((button) => {
        const text = visibleText(button);
        return text.length <= 6 && searchWords.some((w) => scoreText(text, w, { loose: false }) >= SCORE.normalized);
      });
      if (hasIcon || hasButton) {
        found.add(input);
        break;
      }
    }
  }
  return [...found].map((element) => ({ element, score: 0.75 }));
}

/** The wizard step the page shows as current: el-steps, ant-steps, aria-current=step, 「第N步」. */
export interface WizardStep {
  index: number;
  title: string;
}

export function currentWizardStep(doc: Document): WizardStep | null {
  const current = queryVisible(doc, '.el-step__head.is-process, .el-step__title.is-process, .ant-steps-item-process, .ant-steps-item-active, [aria-current=step], .layui-this.step, .step.active, .steps .active')[0];
  if (current) {
    const item = current.closest('.el-step, .ant-steps-item, li, [role=listitem], .step') ?? current;
    const list = item.parentElement;
    const siblings = list ? Array.from(list.children).filter((c) => c.tagName === item.tagName) : [item];
    const titleElement = item.querySelector('.el-step__title, .ant-steps-item-title, .title') ?? item;
    const title = visibleText(titleElement).replace(/^\d+\s*/, '');
    return { index: siblings.indexOf(item) + 1, title };
  }
  const walker = doc.createTreeWalker(doc.body ?? doc.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const match = /第\s*([一二三四五六七八九1-9])\s*步[:：\s]*([^\s，。]{0,12})/.exec(node.textContent ?? '');
    if (match && node.parentElement && isVisible(node.parentElement)) {
      const digits = '一二三四五六七八九';
      const n = match[1] ?? '1';
      return { index: digits.includes(n) ? digits.indexOf(n) + 1 : Number(n), title: match[2] ?? '' };
    }
  }
  return null;
}

/**
 * A row's own action button whose text means `word` (添加商品 / 选择 / 选中 / 加入 …). Several
 * equally good ones in one row: none (never a guess).
 */
export function rowActionButton(row: Element, word: string, lexicon: LexiconAdditions = {}): Element | null {
  const want = wanted(word, lexicon);
  const buttons = queryVisible(row, 'button, a, [role=button], input[type=button], input[type=submit], .el-button, .ant-btn, .layui-btn')
    .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)))
    .map((el) => ({ el, score: scoreText(visibleText(el), want, { loose: false }) }))
    .filter((b) => b.score > 0);
  const best = Math.max(0, ...buttons.map((b) => b.score));
  const top = buttons.filter((b) => b.score === best);
  return top.length === 1 && top[0] ? top[0].el : null;
}

/** Is this a login page or an expired session (「登录已过期」, a form with a password and 登录)? */
export function loginRequired(doc: Document, documents: Document[] = [doc]): boolean {
  const expired = wordsOf('sessionExpired').map((w) => normalizeWord(w));
  for (const d of documents) {
    // the page's text without layout first: words its textContent lacks are not shown either
    // (only then the whole page's innerText, which lays the page out)
    const raw = normalizeWord(d.body?.textContent);
    const mayShow = expired.some((w) => raw.includes(w));
    const text = mayShow ? normalizeWord(d.body ? visibleTextOf(d.body) : '') : '';
    if (expired.some((w) => text.includes(w))) return true;
    const passwords = queryVisible(d, 'input[type=password]');
    if (!passwords.length) continue;
    const loginButton = queryVisible(d, CLICKABLE_SELECTOR + ', input[type=submit]').some((el) => /^登\s*录$|^登录系统$|^立即登录$/.test(visibleText(el)));
    // a password, a 登录 button and somewhere to type the account: a login form
    if (loginButton && queryVisible(d, TEXT_INPUT).length > 0) return true;
  }
  return false;
}

function visibleTextOf(element: HTMLElement): string {
  return element.innerText ?? element.textContent ?? '';
}

/** The words around a control that name it: its <label>s, else the text of the row it alone sits in. */
function labelOf(control: Element): string {
  const labels = (control as HTMLInputElement).labels;
  const parts = labels ? Array.from(labels).map((l) => visibleText(l)).filter(Boolean) : [];
  if (parts.length) return parts.join(' ');
  let block = control.parentElement;
  for (let depth = 0; block && depth < 3 && !block.matches('body, form, table, tbody'); depth += 1, block = block.parentElement) {
    if (queryVisible(block, CONTROL_SELECTOR).length > 1) break;
    const text = visibleText(block);
    if (text) return text.slice(0, 24);
  }
  return '';
}

/**
 * What a cashier sees instead, for a stop message: the names of the visible inputs (label or
 * placeholder) or the texts of the visible buttons, at most `max`, in page order.
 */
export function seenOnPage(roots: Array<Element | Document>, kind: 'input' | 'button', max = 8): string[] {
  const names: string[] = [];
  for (const root of roots) {
    if (kind === 'input') {
      for (const control of queryVisible(root, 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea, select')) {
        const name = normalizeText(labelOf(control) || control.getAttribute('placeholder') || control.getAttribute('aria-label'));
        if (name) names.push(name.length > 16 ? `${name.slice(0, 16)}…` : name);
      }
    } else {
      for (const button of queryVisible(root, 'button, [role=button], input[type=button], input[type=submit], .el-button, .ant-btn, .layui-btn')) {
        const text = visibleText(button);
        if (text && text.length <= 12) names.push(text);
      }
    }
  }
  return [...new Set(names)].slice(0, max);
}
