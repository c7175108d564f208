import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isMasked, maskIdentifier } from '@/shared/mask';

describe('maskIdentifier', () => {
  it('shows at most the first 6 and last 4 of an ID card number', () => {
    expect(maskIdentifier('510104199001011234')).toBe('510104********1234');
    expect(maskIdentifier('6222 0212 3456 7890')).toBe('622202******7890');
  });

  it('never shows more than half of a short number', () => {
    expect(maskIdentifier('1234')).toBe('****');
    expect(maskIdentifier('12345678')).toBe('12****78');
  });

  it('always produces something isMasked accepts, of the same length', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789X'.split('')), minLength: 1, maxLength: 40 }), (raw) => {
        const masked = maskIdentifier(raw);
        expect(masked).toHaveLength(raw.length);
        expect(isMasked(masked)).toBe(true);
      }),
    );
  });

  it('recognises unmasked values', () => {
    expect(isMasked('510104199001011234')).toBe(false);
    expect(isMasked('5101041*****011234')).toBe(false);
  });
});
