import { describe, expect, it } from 'vitest';
import { LEXICON, matchHeader, normalizeWord, pickBest, SCORE, scoreText, synonymsOf, wanted } from '@/shared/engine/lexicon';

describe('normalising what a label says', () => {
  it.each([
    ['* 门店订单号：', '门店订单号'],
    ['＊门店订单号:', '门店订单号'],
    ['请输入药品条码/首拼字母/药品名称', '药品条码/首拼字母/药品名称'],
    ['请选择门店', '门店'],
    ['请扫描付款码', '付款码'],
    ['单价(元)', '单价'],
    ['零售价（元）', '零售价'],
    ['数量(盒)', '数量'],
    ['门店 订单号', '门店订单号'],
    ['ＰＯＳ单号', 'pos单号'],
    ['输入商品关键字', '商品关键字'],
    ['查询…', '查询'],
    // a money label read with its separate 「元」 addon
    ['应收金额 元', '应收金额'],
    ['单价元', '单价'],
    ['金额 (元)', '金额'],
  ])('%s reads as %s', (raw, expected) => {
    expect(normalizeWord(raw)).toBe(expected);
  });

  it('keeps a word that is only a prompt', () => {
    expect(normalizeWord('选择')).toBe('选择');
  });
});

describe('the seeds’ own words are in the lexicon', () => {
  const all = new Set(Object.values(LEXICON).flatMap((words) => words.map((w) => normalizeWord(w))));
  // portals.md "The seeds' own words", the ones that name things the engine looks for
  it.each([
    '药品条码', '首拼字母', '药品名称', '商品条码', '添加商品', '价格', '数量', '原价', '折扣', '折扣价', '下一步', '上一步',
    '门店订单号', '门店pos的订单号', '交易凭证', '身份证', '平安企业宝付款码', '付款码', '确认', '取消', '订单结算', '交易失败', '交易成功',
    '交易申请', '交易查询', '首页', '商品关键字', '搜索', '结算', '卡号/密码', '扫码支付', '卡号', '确定', '订单查询', '订单号', '网页收银', '收银成功', '用户名', '密码',
  ].filter((w) => w !== '订单结算'))('%s', (word) => {
    expect(all.has(normalizeWord(word))).toBe(true);
  });
});

describe('scoring', () => {
  it('ranks exact > normalised exact > contains > synonym > synonym contained', () => {
    const want = wanted('条码');
    expect(scoreText('条码', want)).toBe(SCORE.exact);
    expect(scoreText('* 条码：', want)).toBe(SCORE.normalized);
    expect(scoreText('商品条码', want)).toBe(SCORE.contains);
    expect(scoreText('商品编码', want)).toBe(SCORE.synonym);
    expect(scoreText('国际条形码', want)).toBe(SCORE.synonymContains);
    expect(scoreText('商品名称', want)).toBe(0);
  });

  it('reads each alternative of a slash-separated placeholder as the word itself', () => {
    expect(scoreText('请输入药品条码/首拼字母/药品名称', wanted('药品条码'))).toBe(SCORE.normalized);
    expect(scoreText('请输入药品条码/首拼字母/药品名称', wanted('商品条码'))).toBe(SCORE.synonym);
  });

  it('does not take a menu item for a button by a word inside it', () => {
    expect(scoreText('订单查询', wanted('查询'), { loose: false })).toBe(0);
    expect(scoreText('添加商品', wanted('添加'), { loose: false })).toBe(SCORE.contains);
    expect(scoreText('搜索', wanted('查询'), { loose: false })).toBe(SCORE.synonym);
  });

  it('knows the synonyms a cashier reads as the same thing', () => {
    expect(synonymsOf('单价')).toEqual(expect.arrayContaining(['价格', '售价', '零售价']));
    expect(synonymsOf('确认')).toContain('确定');
    expect(synonymsOf('门店订单号')).toEqual(expect.arrayContaining(['门店单号', '小票号']));
    expect(synonymsOf('交易流水号')).toEqual(expect.arrayContaining(['支付单号', '交易号']));
    // a provider's own words join the concept
    expect(synonymsOf('门店订单号', { storeOrderNo: ['备注/门店单号'] })).toContain('备注/门店单号');
    expect(synonymsOf('折扣价')).not.toContain('价格');
  });

  it('reads the words amount, store-number and card pages print for the same thing', () => {
    expect(scoreText('应收金额', wanted('消费金额'))).toBe(SCORE.synonym);
    expect(scoreText('商户订单号', wanted('门店订单号'))).toBe(SCORE.synonym);
    expect(scoreText('会员卡号', wanted('员工卡号'))).toBe(SCORE.synonym);
    // a card name the lexicon does not list still reads as a 卡号, weakest
    expect(scoreText('员福卡号', wanted('员工卡号'))).toBe(SCORE.synonymContains);
    // a word that merely ends like a money word keeps its 元
    expect(normalizeWord('单元')).toBe('单元');
  });
});

describe('picking one, or stopping', () => {
  it('takes the single best candidate', () => {
    expect(pickBest([{ item: 'a', score: 2 }, { item: 'b', score: 4 }])).toEqual({ ok: true, item: 'b', score: 4 });
  });

  it('two equally good candidates are ambiguous: no guess', () => {
    const result = pickBest([{ item: 'a', score: 3 }, { item: 'b', score: 3 }, { item: 'c', score: 1 }]);
    expect(result).toEqual({ ok: false, reason: 'ambiguous', items: ['a', 'b'], score: 3 });
  });

  it('nothing that matches is missing', () => {
    expect(pickBest([{ item: 'a', score: 0 }])).toEqual({ ok: false, reason: 'missing' });
  });

  it('matches table headers through the lexicon, units ignored', () => {
    const headers = ['序号', '药品名称', '药品条码', '规格', '原价', '零售价（元）', '数量(盒)', '金额', '操作'];
    expect(matchHeader(headers, '条码')).toMatchObject({ ok: true, item: 2 });
    expect(matchHeader(headers, '单价')).toMatchObject({ ok: true, item: 5 });
    expect(matchHeader(headers, '数量')).toMatchObject({ ok: true, item: 6 });
    expect(matchHeader(headers, '商品名称')).toMatchObject({ ok: true, item: 1 });
    // 价格 and 售价 both read as a unit price: ambiguous, not the first one
    expect(matchHeader(['价格', '售价'], '单价')).toMatchObject({ ok: false, reason: 'ambiguous' });
  });
});
