// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { normalizeText, visibleText } from '@/shared/engine/dom';
import { loginRequired } from '@/shared/engine/structure';
import { runFlow, type FlowContext, type FlowTargets, type Step } from '@/shared/engine/flow';
import { freshDomEachTest, page } from './dom-page';

/**
 * Reading the page without making the browser lay it out (issue 13, speed), and not looking for
 * the same element twice in a row: what the engine reads and acts on must stay what a fresh,
 * full reading would give.
 */

freshDomEachTest();

/** Counts innerText readings (the layout-bound one) on every element. */
function innerTextReads(): { count: () => number } {
  const descriptor = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'innerText');
  const get = descriptor?.get;
  if (!get) throw new Error('no innerText getter to watch');
  const spy = vi.spyOn(HTMLElement.prototype, 'innerText', 'get').mockImplementation(function (this: HTMLElement) {
    return get.call(this) as string;
  });
  return { count: () => spy.mock.calls.length };
}

describe('visibleText reads a single text without innerText', () => {
  it('reads a header, a cell and a button holding one text from the text itself, as innerText would', () => {
    const doc = page(`
      <table><thead><tr><th id="h"><div class="cell"> 条码 </div></th></tr></thead>
        <tbody><tr><td id="c"><div class="cell">6901234567892</div></td></tr></tbody></table>
      <button id="b"><i class="icon"></i><span>下一步</span></button>
      <div id="w"><input value="12.50"><span> </span></div>`);
    const expected = ['h', 'c', 'b', 'w'].map((id) => normalizeText((doc.getElementById(id) as HTMLElement).innerText));
    const reads = innerTextReads();
    expect(['h', 'c', 'b', 'w'].map((id) => visibleText(doc.getElementById(id)!))).toEqual(expected);
    expect(expected).toEqual(['条码', '6901234567892', '下一步', '']);
    expect(reads.count()).toBe(0);
  });

  it('leaves it to innerText when the spacing or the showing is the layout’s to decide', () => {
    const doc = page(`
      <div id="two"><div>感冒颗粒</div><div>6901234567892</div></div>
      <div id="upper" style="text-transform: uppercase">abc</div>
      <div id="hidden"><span style="display:none">未查询到</span></div>
      <div id="unseen"><span style="visibility:hidden">未查询到</span></div>
      <div id="area"><textarea>备注</textarea></div>`);
    for (const id of ['two', 'upper', 'hidden', 'unseen', 'area']) {
      const element = doc.getElementById(id)!;
      const expected = normalizeText((element as HTMLElement).innerText);
      const reads = innerTextReads();
      expect(visibleText(element), id).toBe(expected);
      expect(reads.count(), id).toBeGreaterThan(0);
      vi.restoreAllMocks();
    }
  });

  it('never reads a hidden text as shown', () => {
    const doc = page(`<div id="d"><span style="display:none">未查询到相关商品</span><span> </span></div><div id="e"><b style="display:none"><span>未找到</span></b></div>`);
    expect(visibleText(doc.getElementById('d')!)).toBe('');
    expect(visibleText(doc.getElementById('e')!)).toBe('');
  });
});

describe('a login check lays the page out only when the page may say the session ended', () => {
  it('answers from textContent when no session word is anywhere, and still sees one that shows', () => {
    const doc = page(`<div class="el-input"><input placeholder="请输入商品条码"></div><button>查询</button>`);
    const reads = innerTextReads();
    expect(loginRequired(doc)).toBe(false);
    expect(reads.count()).toBe(0);
    doc.body.insertAdjacentHTML('beforeend', '<div class="el-message">登录已过期，请重新登录</div>');
    expect(loginRequired(doc)).toBe(true);
  });

  it('does not take a session word hidden on the page for one that shows', () => {
    const doc = page(`<div style="display:none">登录已过期</div><input placeholder="请输入商品条码">`);
    expect(loginRequired(doc)).toBe(false);
  });
});

describe('the element the step before found is taken again only while it still holds', () => {
  const targets: FlowTargets = {
    searchBox: [{ by: 'placeholder', value: '药品条码' }],
    other: [{ by: 'text', value: '清空' }],
  };
  const fillThenEnter: Step[] = [
    { do: 'waitFor', target: 'searchBox' },
    { do: 'fill', target: 'searchBox', value: '6901234567892' },
    { do: 'press', target: 'searchBox', key: 'Enter' },
  ];

  function context(doc: Document): FlowContext {
    return {
      doc,
      targets,
      vars: {},
      lines: [],
      forbidden: { fill: ['密码'], click: ['支付'] },
      signal: new AbortController().signal,
      defaultTimeoutMs: 200,
    };
  }

  /** Which element got the Enter, and how often the page was searched for placeholders. */
  function watch(doc: Document): { enterOn: () => string[]; placeholderSearches: () => number } {
    const entered: string[] = [];
    doc.addEventListener('keydown', (event) => entered.push((event.target as Element).id), true);
    const queries = vi.spyOn(doc, 'querySelectorAll');
    return {
      enterOn: () => entered,
      placeholderSearches: () => queries.mock.calls.filter(([selector]) => selector === '[placeholder]').length,
    };
  }

  it('presses Enter in the box it just filled without searching the page again', async () => {
    const doc = page(`<div class="search"><input id="box" placeholder="请输入药品条码/首拼字母"></div>`);
    const seen = watch(doc);
    await runFlow(fillThenEnter, context(doc));
    expect(seen.enterOn()).toEqual(['box']);
    expect((doc.getElementById('box') as HTMLInputElement).value).toBe('6901234567892');
    // one look for the waitFor step; the fill and the Enter take what it found
    expect(seen.placeholderSearches()).toBe(1);
  });

  it('looks again when the page replaced the box meanwhile (a framework re-render)', async () => {
    const doc = page(`<div class="search"><input id="box" placeholder="请输入药品条码"></div>`);
    doc.getElementById('box')!.addEventListener('input', () => {
      doc.querySelector('.search')!.innerHTML = '<input id="rendered" placeholder="请输入药品条码" value="6901234567892">';
    });
    const seen = watch(doc);
    await runFlow(fillThenEnter, context(doc));
    expect(seen.enterOn()).toEqual(['rendered']);
    expect(seen.placeholderSearches()).toBe(2);
  });

  it('looks inside a dialog that opened meanwhile, as a fresh look does', async () => {
    const doc = page(`<div class="search"><input id="box" placeholder="请输入药品条码"></div>`);
    doc.getElementById('box')!.addEventListener('input', () => {
      doc.body.insertAdjacentHTML('beforeend', '<div role="dialog"><input id="inDialog" placeholder="请输入药品条码"></div>');
    });
    const seen = watch(doc);
    await runFlow(fillThenEnter, context(doc));
    expect(seen.enterOn()).toEqual(['inDialog']);
  });

  it('looks again when its words no longer name the box, and when it was hidden', async () => {
    const doc = page(`<input id="box" placeholder="请输入药品条码"><input id="later" placeholder="请输入门店订单号">`);
    doc.getElementById('box')!.addEventListener('input', () => {
      doc.getElementById('box')!.setAttribute('placeholder', '请输入门店订单号');
      doc.getElementById('later')!.setAttribute('placeholder', '请输入药品条码');
    });
    const seen = watch(doc);
    await runFlow(fillThenEnter, context(doc));
    expect(seen.enterOn()).toEqual(['later']);

    const hidden = page(`<input id="box" placeholder="请输入药品条码"><input id="other" style="display:none" placeholder="请输入药品条码">`);
    hidden.getElementById('box')!.addEventListener('input', () => {
      hidden.getElementById('box')!.style.display = 'none';
      hidden.getElementById('other')!.style.display = '';
    });
    const again = watch(hidden);
    await runFlow(fillThenEnter, context(hidden));
    expect(again.enterOn()).toEqual(['other']);
  });

  it('never carries an element past a step that acted on something else', async () => {
    const doc = page(`<input id="box" placeholder="请输入药品条码"><button id="clear">清空</button>`);
    const seen = watch(doc);
    await runFlow(
      [
        { do: 'fill', target: 'searchBox', value: '6901234567892' },
        { do: 'click', target: 'other' },
        { do: 'press', target: 'searchBox', key: 'Enter' },
      ],
      context(doc),
    );
    expect(seen.enterOn()).toEqual(['box']);
    expect(seen.placeholderSearches()).toBe(2);
  });
});

describe('filling a field does not scroll the page on the way', () => {
  it('focuses without scrolling, and brings a field that refused the value into view', async () => {
    const { fillValue } = await import('@/shared/engine/act');
    const doc = page(`<input id="ok"><input id="refuses">`);
    const refuses = doc.getElementById('refuses') as HTMLInputElement;
    refuses.addEventListener('input', () => {
      refuses.value = '';
    });
    const focus = vi.spyOn(HTMLElement.prototype, 'focus');
    const scrolls = vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation(() => undefined);
    expect(await fillValue(doc.getElementById('ok')!, '12.50')).toEqual({ ok: true });
    expect(focus.mock.calls).toEqual([[{ preventScroll: true }]]);
    expect(scrolls).not.toHaveBeenCalled();
    expect(await fillValue(refuses, '3')).toMatchObject({ ok: false, reason: 'rejected' });
    expect(scrolls.mock.contexts).toEqual([refuses]);
  });
});
