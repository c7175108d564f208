import { describe, expect, it } from 'vitest';
import { ticketVariables } from '@/content-scripts/fill-feature';
import { FlowStop } from '@/shared/engine/flow';
import type { FullTicket } from '@/shared/ticket';

const base: FullTicket = {
  kind: 'full',
  store: 'S0012',
  orderNo: 'XS250328000123',
  issuedAt: '2025-03-28T10:15:00+08:00',
  totalFen: 12345,
  items: [
    { code: '6901234567892', qty: 2, unitFen: 3600 },
    { code: '6923456789012', qty: 1, unitFen: 5145 },
  ],
};

describe('ticketVariables', () => {
  it('turns fen into the yuan text portals take, without floats', () => {
    const { vars, lines } = ticketVariables(base);
    expect(vars['ticket.totalYuan']).toBe('123.45');
    expect(lines).toEqual([
      { code: '6901234567892', qty: '2', unitFen: '3600', unitYuan: '36.00' },
      { code: '6923456789012', qty: '1', unitFen: '5145', unitYuan: '51.45' },
    ]);
  });

  it('merges the same goods at the same price', () => {
    const { lines } = ticketVariables({ ...base, totalFen: 10800, items: [{ code: '6901234567892', qty: 2, unitFen: 3600 }, { code: '6901234567892', qty: 1, unitFen: 3600 }] });
    expect(lines).toEqual([{ code: '6901234567892', qty: '3', unitFen: '3600', unitYuan: '36.00' }]);
  });

  it('refuses the same goods at two prices', () => {
    expect(() => ticketVariables({ ...base, totalFen: 7100, items: [{ code: '6901234567892', qty: 1, unitFen: 3600 }, { code: '6901234567892', qty: 1, unitFen: 3500 }] })).toThrow(FlowStop);
  });
});
