import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cardNumberIn, isCardMasked, isMasked, maskCard, maskIdentifier, maskScanText, visibleSpan } from '@/shared/core/mask';
import { CaptureSchema } from '@/shared/engine/capture-schema';

describe('maskIdentifier', () => {
  it('shows at most the first 6 and last 4 of an ID card number', () => {
    expect(maskIdentifier('510104199001011234')).toBe('510104********1234');
    expect(maskIdentifier('6222 0212 3456 7890')).toBe('622202******7890');
  });

  it('masks short values mostly: nothing up to 5 characters, at most a third after', () => {
    expect(maskIdentifier('1234')).toBe('****');
    expect(maskIdentifier('123456')).toBe('1****6');
    expect(maskIdentifier('12345678')).toBe('1******8');
    expect(maskIdentifier('123456789012')).toBe('12********12');
  });

  it('normalises full-width digits and every kind of space', () => {
    expect(maskIdentifier('６２２２\u3000０２１２ 3456\u00a07890')).toBe('622202******7890');
  });

  it('always produces something isMasked and isCardMasked accept, of the same length', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789X'.split('')), minLength: 1, maxLength: 40 }), (raw) => {
        const masked = maskIdentifier(raw);
        expect(masked).toHaveLength(raw.length);
        expect(isMasked(masked)).toBe(true);
        expect(isCardMasked(masked)).toBe(true);
      }),
    );
  });

  it('recognises unmasked values', () => {
    expect(isMasked('510104199001011234')).toBe(false);
    expect(isMasked('5101041*****011234')).toBe(false);
  });
});

describe('maskCard (what a portal shows as the card or ID)', () => {
  it('drops a customer name and labels next to the number', () => {
    expect(maskCard('张三 6222021234567890')).toBe('622202******7890');
    expect(maskCard('卡号：6222021234567890（李四）')).toBe('622202******7890');
    expect(maskCard('Zhang San 6222021234567890')).toBe('622202******7890');
  });

  it('keeps a 19-digit card to first 6 / last 4', () => {
    expect(maskCard('6222 0212 3456 7890 123')).toBe('622202*********0123');
  });

  it('keeps the check letter X of an ID number, full-width or lower case', () => {
    expect(maskCard('51010419900101123X')).toBe('510104********123X');
    expect(maskCard('51010419900101123ｘ')).toBe('510104********123X');
    expect(maskCard('５１０１０４１９９００１０１１２３Ｘ')).toBe('510104********123X');
  });

  it('never unmasks a value the page masked, and masks further one masked too little', () => {
    expect(maskCard('6222********7890')).toBe('6222********7890');
    expect(maskCard('62220212345*7890')).toBe('622202******7890');
    // a short pre-masked value kept 5 of 6 before
    expect(maskCard('12345*')).toBe('1*****');
  });

  it('masks short member numbers mostly', () => {
    expect(maskCard('会员 88')).toBe('**');
    expect(maskCard('VIP 12345')).toBe('*****');
    expect(maskCard('12345678')).toBe('1******8');
  });

  it('is what the capture message accepts; unmasked or lettered values are refused there', () => {
    const base = { kind: 'sale', outcome: 'success', rule: 'r' } as const;
    expect(CaptureSchema.safeParse({ ...base, cardMasked: maskCard('张三 6222021234567890') }).success).toBe(true);
    expect(CaptureSchema.safeParse({ ...base, cardMasked: '张三 622202******7890' }).success).toBe(false);
    expect(CaptureSchema.safeParse({ ...base, cardMasked: '62220*' }).success).toBe(false);
    expect(CaptureSchema.safeParse({ ...base, cardMasked: '6222021234567890' }).success).toBe(false);
  });

  it('never leaves more visible than visibleSpan allows, whatever the page shows', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (shown) => {
        const masked = maskCard(shown);
        expect(isCardMasked(masked)).toBe(true);
        const { head, tail } = visibleSpan(masked.length);
        expect(masked.replace(/\*/g, '').length).toBeLessThanOrEqual(head + tail);
      }),
    );
  });
});

describe('maskScanText (a refused scan on the audit trail)', () => {
  it('masks a pay code or a bare-order-shaped credential', () => {
    expect(maskScanText('134567890123456789')).toBe('134567********6789');
    expect(maskScanText('AB12345678')).toBe('AB*******8');
    expect(maskScanText('ＡＢ１２３４５６７８')).toBe('AB*******8');
    expect(maskScanText('abc')).toBe('***');
  });
});

describe('cardNumberIn: the number a card cell shows, and whether a sentence follows it', () => {
  it('takes the first run of digits and stars, a trailing X, and tells a sentence from a short name', () => {
    expect(cardNumberIn('5101****1234X（李四）')).toEqual({ number: '5101****1234X', sentenceAfter: false });
    expect(cardNumberIn('张三 6222 0212 3456 7890 123')).toEqual({ number: '6222021234567890123', sentenceAfter: false });
    expect(cardNumberIn('510104******0012 请核对顾客身份证件与本人一致后再签字确认')).toEqual({ number: '510104******0012', sentenceAfter: true });
    expect(cardNumberIn('（未读取）')).toEqual({ number: '', sentenceAfter: false });
  });
});
