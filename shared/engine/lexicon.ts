/**
 * The words a cashier reads on a web-POS page, grouped by what they mean. A provider names a
 * target by a word ("门店订单号"); the engine also accepts that word's synonyms here, so a page
 * that says 「药品条码」 where our simulator said 「商品条码」 is still understood. Matching is
 * scored and the engine stops when two candidates score the same: a synonym widens what is
 * found, it never makes a guess.
 *
 * The seeds' own words (../shared/seeds, portals.md "The seeds' own words") are all here; the
 * rest are what common Chinese admin UIs print. Add words a cashier would read, never a word only
 * because one simulator uses it.
 */
export const LEXICON = {
  goods: ['商品', '药品', '货品', '商品名称', '药品名称', '货品名称', '品名', '通用名'],
  keyword: ['商品关键字', '关键字', '关键词'],
  barcode: ['条码', '条形码', '商品条码', '药品条码', '商品编码', '药品编码', '国际条码', '69码', '商品码'],
  pinyin: ['首拼字母', '拼音', '拼音码', '助记码', '首拼'],
  spec: ['规格', '规格型号', '包装规格'],
  unitPrice: ['单价', '价格', '售价', '零售价', '销售价', '单品价格', '实际单价', '成交价'],
  originalPrice: ['原价', '原单价'],
  discount: ['折扣'],
  discountPrice: ['折扣价', '折后价', '折扣价格'],
  qty: ['数量', '件数', '购买数量', '销售数量'],
  amount: ['金额', '小计', '合计', '总金额', '消费金额', '收款金额', '本次收款金额', '应收金额'],
  storeOrderNo: ['门店订单号', '门店pos的订单号', '门店POS订单号', '门店单号', '门店销售单号', '小票号', 'POS单号', '销售单号', '门店流水号', '外部单号', '外部订单号', '商户订单号'],
  vendorOrderNo: ['交易流水号', '流水号', '支付单号', '交易号', '交易单号', '支付流水号', '订单号', '订单编号'],
  store: ['门店', '店铺', '门店名称'],
  confirm: ['确认', '确定', '好的'],
  cancel: ['取消', '关闭', '返回'],
  add: ['添加商品', '添加', '选择', '选中', '加入', '加入订单', '添加到订单', '加入购物车'],
  search: ['查询', '搜索', '检索', '查找'],
  next: ['下一步'],
  prev: ['上一步'],
  settle: ['结算', '去结算', '收款', '去收款', '网页收银'],
  credential: ['交易凭证', '录入交易凭证', '身份证', '身份证号', '平安企业宝付款码', '付款码', '卡号/密码', '扫码支付', '卡号', '员工卡号', '会员卡号'],
  saleStart: ['交易申请', '首页', '网页收银', '收银台', '收银'],
  orderList: ['交易查询', '订单查询', '订单列表'],
  /** a goods search that found nothing */
  notFound: ['未找到相关商品', '未找到', '未查询到', '没有找到', '查无此商品', '无此商品', '查不到'],
  success: ['交易成功', '支付成功', '收款成功', '收银成功', '退货成功', '退款成功'],
  failure: ['交易失败', '支付失败', '收款失败'],
  action: ['操作'],
  login: ['登录', '登 录', '用户名', '密码', '门店账号'],
  sessionExpired: ['登录已过期', '登录过期', '登录超时', '会话已过期', '请重新登录', '登录失效', '登录状态已失效', 'token已过期'],
} as const satisfies Record<string, readonly string[]>;

export type Concept = keyof typeof LEXICON;

/** Extra words a provider adds to a concept for its own pages (data: PortalDefinition.lexicon). */
export type LexiconAdditions = Partial<Record<string, readonly string[]>>;

/** Prompts a placeholder or label starts with ("请输入药品条码" reads as "药品条码"). */
const PROMPT_PREFIX = /^(请(?:输入|选择|扫描|扫码|填写|录入|点击)?|输入|扫描|选择)(?=\S)/;
/** A unit in brackets: (元) （元） (盒) [元]. */
const UNIT_SUFFIX = /[(（[【][^()（）[\]【】]{1,4}[)）\]】]/g;
/** A bare 元 after a money word: 金额元, 单价元, 小计元, 售价元. */
const BARE_YUAN = /(额|价|计)元$/;

const normalizedWords = new Map<string, string>();

/**
 * What a word reads as, for comparison: full width folded (NFKC), lower case, no white space,
 * no required mark, no prompt prefix, no unit in brackets, no trailing colon or ellipsis.
 */
export function normalizeWord(text: string | null | undefined): string {
  const raw = text ?? '';
  // labels, headers and cells repeat on every check while a step waits: each is worked out once
  // (short texts only: a whole page's text is not kept)
  if (raw.length > 64) return normalizeUncached(raw);
  const known = normalizedWords.get(raw);
  if (known !== undefined) return known;
  const normalized = normalizeUncached(raw);
  if (normalizedWords.size > 5000) normalizedWords.clear();
  normalizedWords.set(raw, normalized);
  return normalized;
}

function normalizeUncached(text: string): string {
  let word = text.normalize('NFKC').toLowerCase();
  word = word.replace(/[\s\u00a0\u3000]+/g, '');
  word = word.replace(/^[*＊]+/, '').replace(/[*＊]+$/, '');
  word = word.replace(UNIT_SUFFIX, '');
  word = word.replace(/[:：.。…,，;；!！?？]+$/g, '');
  // a money label read together with its 「元」 addon ("应收金额 元", "单价元")
  word = word.replace(BARE_YUAN, '$1');
  const unprompted = word.replace(PROMPT_PREFIX, '');
  return unprompted || word;
}

/** A label that lists alternatives ("药品条码/首拼字母/药品名称") reads as each of them too. */
function parts(normalized: string): string[] {
  return normalized.split(/[/|、]/).filter(Boolean);
}

/** The shared groups, normalised once (matching runs on every DOM change while a step waits). */
let sharedGroups: string[][] | null = null;
const synonymCache = new Map<string, string[]>();

function groupsWith(additions: LexiconAdditions): string[][] {
  sharedGroups ??= Object.values(LEXICON).map((group) => group.map((w) => normalizeWord(w)));
  const added = Object.entries(additions)
    .filter(([, extra]) => extra?.length)
    .map(([concept, extra]) => [...wordsOf(concept), ...(extra ?? [])].map((w) => normalizeWord(w)));
  return [...sharedGroups, ...added];
}

/** The words that mean the same as `word`: every concept group it belongs to, plus additions. */
export function synonymsOf(word: string, additions: LexiconAdditions = {}): string[] {
  const wanted = normalizeWord(word);
  const key = `${wanted}\u0000${JSON.stringify(additions)}`;
  const cached = synonymCache.get(key);
  if (cached) return cached;
  const found = new Set<string>();
  for (const group of groupsWith(additions)) {
    if (!group.includes(wanted)) continue;
    for (const n of group) if (n && n !== wanted) found.add(n);
  }
  const result = [...found];
  if (synonymCache.size > 500) synonymCache.clear();
  synonymCache.set(key, result);
  return result;
}

/** The words of a concept, shared and added ("barcode" → 条码, 条形码 …). */
export function wordsOf(concept: string, additions: LexiconAdditions = {}): string[] {
  return [...((LEXICON as Record<string, readonly string[]>)[concept] ?? []), ...(additions[concept] ?? [])];
}

/**
 * How well a text on the page matches a wanted word. Higher is better; 0 is no match.
 *  5 exact · 4 equal after normalising (or one of its listed alternatives is) · 3 contains the word
 *  · 2 equals a synonym · 1 contains a synonym.
 * `loose: false` (button texts, menu items) drops the "contains" grades for texts that are much
 * longer than the word: 「订单查询」 is not a 「查询」 button, but 「添加商品」 is an 「添加」 button.
 */
export const SCORE = { exact: 5, normalized: 4, contains: 3, synonym: 2, synonymContains: 1 } as const;

export interface WantedWord {
  word: string;
  normalized: string;
  synonyms: string[];
}

/** Per provider's additions (one object per definition), the wanted words already worked out. */
const wantedCache = new WeakMap<LexiconAdditions, Map<string, WantedWord>>();
const NO_ADDITIONS: LexiconAdditions = {};

export function wanted(word: string, additions: LexiconAdditions = NO_ADDITIONS): WantedWord {
  // callers' `= {}` defaults are a new object each call: all of them share one cache
  const owner = Object.keys(additions).length ? additions : NO_ADDITIONS;
  let cache = wantedCache.get(owner);
  if (!cache) wantedCache.set(owner, (cache = new Map()));
  const known = cache.get(word);
  if (known) return known;
  const made: WantedWord = { word: word.trim(), normalized: normalizeWord(word), synonyms: synonymsOf(word, additions) };
  if (cache.size > 500) cache.clear();
  cache.set(word, made);
  return made;
}

export function scoreText(text: string | null | undefined, want: WantedWord, options: { loose?: boolean } = {}): number {
  const raw = (text ?? '').trim();
  if (!raw || !want.normalized) return 0;
  if (raw === want.word) return SCORE.exact;
  const seen = normalizeWord(raw);
  if (!seen) return 0;
  const alternatives = parts(seen);
  if (seen === want.normalized || alternatives.includes(want.normalized)) return SCORE.normalized;
  const loose = options.loose ?? true;
  const containsOk = (word: string): boolean => seen.includes(word) && (loose || startsWithIt(seen, word));
  if (containsOk(want.normalized)) return SCORE.contains;
  if (want.synonyms.some((s) => seen === s || alternatives.includes(s))) return SCORE.synonym;
  if (want.synonyms.some((s) => containsOk(s))) return SCORE.synonymContains;
  return 0;
}

/** A button whose text begins with the word and adds a little ("添加商品", "下一步：验证顾客"). */
function startsWithIt(seen: string, word: string): boolean {
  return seen.startsWith(word) && seen.length <= word.length + 8;
}

export type Choice<T> = { ok: true; item: T; score: number } | { ok: false; reason: 'missing' } | { ok: false; reason: 'ambiguous'; items: T[]; score: number };

/**
 * The single best-scoring candidate, or why there is none. Two different candidates with the
 * same best score are ambiguous: the engine stops rather than guess.
 */
export function pickBest<T>(candidates: ReadonlyArray<{ item: T; score: number }>): Choice<T> {
  let best = 0;
  for (const c of candidates) best = Math.max(best, c.score);
  if (best <= 0) return { ok: false, reason: 'missing' };
  const top = [...new Set(candidates.filter((c) => c.score === best).map((c) => c.item))];
  if (top.length === 1) return { ok: true, item: top[0] as T, score: best };
  return { ok: false, reason: 'ambiguous', items: top, score: best };
}

/** The column among `headers` that a wanted column word names (index), or why not. */
export function matchHeader(headers: readonly string[], column: string, additions: LexiconAdditions = {}): Choice<number> {
  const want = wanted(column, additions);
  return pickBest(headers.map((header, index) => ({ item: index, score: scoreText(header, want) })));
}
