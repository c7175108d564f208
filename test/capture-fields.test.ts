import { describe, expect, it } from 'vitest';
import { checkCaptureFields } from '@/shared/capture-fields';
import { requestSchemas } from '@/shared/messages';
import { CaptureSchema, LooseCaptureSchema } from '@/shared/engine/capture-schema';
import { isMasked } from '@/shared/core/mask';

/** Issue 10: one odd optional field never refuses the whole capture; it is cut or dropped and flagged. */
const base = { kind: 'sale' as const, outcome: 'success' as const, rule: 'ruyitong.sale', vendorOrderNo: 'RYT20250328000001', totalFen: 2600 };

describe('checkCaptureFields', () => {
  it('keeps a clean capture as it is, with no flags', () => {
    const clean = { ...base, storeOrderNo: 'XS250328000123', cardFen: 2600, cashFen: 0, cardMasked: '110101********1234', settledAt: '2025-03-28 10:15:00' };
    expect(checkCaptureFields(clean)).toEqual({ capture: clean, flags: [] });
  });

  it('cuts a card number followed by a sentence to a masked number, and flags it', () => {
    const { capture, flags } = checkCaptureFields({ ...base, cardMasked: '110101********1234 请核对顾客身份证件与本人一致后再签字确认' });
    expect(capture.cardMasked).toBe('110101********1234');
    expect(flags).toEqual(['FIELD_CUT:cardMasked']);
    expect(CaptureSchema.safeParse(capture).success).toBe(true);
  });

  it('cuts a run the page masking swallowed text into to a plausible length, still masked', () => {
    const glued = '110101' + '*'.repeat(44) + '医通客服';
    const { capture, flags } = checkCaptureFields({ ...base, cardMasked: glued });
    expect(capture.cardMasked?.length).toBeLessThanOrEqual(24);
    expect(isMasked(capture.cardMasked ?? '')).toBe(true);
    expect(flags).toEqual(['FIELD_CUT:cardMasked']);
  });

  it('never lets an unmasked number through', () => {
    const { capture, flags } = checkCaptureFields({ ...base, cardMasked: '6222021234567890123' });
    expect(capture.cardMasked).toBe('622202*********0123');
    expect(isMasked(capture.cardMasked ?? '')).toBe(true);
    expect(flags).toEqual(['FIELD_CUT:cardMasked']);
  });

  it('cuts a long settledAt to the time it starts with, and drops one that is no time at all', () => {
    const long = checkCaptureFields({ ...base, settledAt: '2025-03-28 10:15:00（北京时间，以保险公司核赔时间为准，如有疑问请联系客服）' });
    expect(long.capture.settledAt).toBe('2025-03-28 10:15:00');
    expect(long.flags).toEqual(['FIELD_CUT:settledAt']);
    const junk = checkCaptureFields({ ...base, settledAt: '以保险公司核赔时间为准，如有疑问请联系客服，客服电话四零零八八八八八八八，工作时间九点至十八点' });
    expect(junk.capture.settledAt).toBeUndefined();
    expect(junk.flags).toEqual(['FIELD_DROPPED:settledAt']);
  });

  it('drops an impossible amount and an over-long number, keeping the rest', () => {
    const { capture, flags } = checkCaptureFields({ ...base, cashFen: -5, cardFen: 1.5, storeOrderNo: 'X'.repeat(80) });
    expect(capture).toEqual(base);
    expect(flags.sort()).toEqual(['FIELD_DROPPED:cardFen', 'FIELD_DROPPED:cashFen', 'FIELD_DROPPED:storeOrderNo']);
  });

  it('keeps the first word of a number followed by the next label, flagged', () => {
    const { capture, flags } = checkCaptureFields({ ...base, vendorOrderNo: 'RYT20250328000001 交易金额' });
    expect(capture.vendorOrderNo).toBe('RYT20250328000001');
    expect(flags).toEqual(['FIELD_CUT:vendorOrderNo']);
  });

  it('is idempotent and carries earlier flags', () => {
    const first = checkCaptureFields({ ...base, cardMasked: '110101********1234 请核对' });
    const second = checkCaptureFields(first.capture, first.flags);
    expect(second).toEqual(first);
  });

  it('the message schema takes what the strict one refuses (the background checks it field by field)', () => {
    const odd = { ...base, cardMasked: '110101' + '*'.repeat(60) + '请核对', settledAt: 'x'.repeat(300) };
    expect(CaptureSchema.safeParse(odd).success).toBe(false);
    expect(LooseCaptureSchema.safeParse(odd).success).toBe(true);
    const message = requestSchemas['settlement.capture'].request.safeParse({ type: 'settlement.capture', captureId: crypto.randomUUID(), capture: odd });
    expect(message.success).toBe(true);
  });
});
