import { z } from 'zod';
import {
  BARE_ORDER_NO,
  GOODS_ID,
  MAX_ITEMS,
  MAX_QTY,
  MAX_SCAN_LENGTH,
  MAX_TOTAL_FEN,
  MAX_UNIT_FEN,
  MIN_ITEMS,
  ORDER_NO,
  STORE,
  TICKET_ERROR_CODES,
  isRealIssuedAt,
  isValidGtin,
  itemsTotalFen,
  type FullTicket,
  type OrderTicket,
  type Ticket,
  type TicketItem,
} from './ticket';

// Schemas for the message boundary (shared/ticket.ts's parseTicket output): they accept exactly
// what parseTicket can produce. Apart from ticket.ts so the content script, which only parses,
// carries no zod.

/**
 * Length encodeTicket would produce. Unlike encodeTicket it never throws: zod still runs object
 * refinements when a field has only failed its own refinement (e.g. an impossible issuedAt).
 */
function encodedLength(t: Omit<FullTicket, 'kind'>): number {
  const items = t.items.map((item) => `${item.code},${item.qty},${item.unitFen}`).join(';');
  const timeDigits = 14;
  const crcWithSeparator = 5;
  return ['YK1', t.store, t.orderNo, '', String(t.totalFen), items].join('|').length + timeDigits + crcWithSeparator;
}

export const TicketErrorCodeSchema = z.enum(TICKET_ERROR_CODES);

export const TicketItemSchema = z.object({
  code: z.string().refine((code) => GOODS_ID.test(code) || isValidGtin(code), 'not a valid EAN/UPC or goods id'),
  qty: z.number().int().min(1).max(MAX_QTY),
  unitFen: z.number().int().min(0).max(MAX_UNIT_FEN),
}) satisfies z.ZodType<TicketItem>;

export const FullTicketSchema = z
  .object({
    kind: z.literal('full'),
    store: z.string().regex(STORE),
    orderNo: z.string().regex(ORDER_NO),
    issuedAt: z.string().refine(isRealIssuedAt, 'not a real yyyy-MM-ddTHH:mm:ss+08:00 time'),
    totalFen: z.number().int().min(1).max(MAX_TOTAL_FEN),
    items: z.array(TicketItemSchema).min(MIN_ITEMS).max(MAX_ITEMS),
  })
  .refine((t) => itemsTotalFen(t.items) === t.totalFen, { message: 'items do not add up to total', path: ['totalFen'] })
  .refine((t) => encodedLength(t) <= MAX_SCAN_LENGTH, 'would not fit in a 1,200-character scan') satisfies z.ZodType<FullTicket>;

export const OrderTicketSchema = z.object({
  kind: z.literal('order'),
  orderNo: z.string().regex(BARE_ORDER_NO),
}) satisfies z.ZodType<OrderTicket>;

export const TicketSchema = z.discriminatedUnion('kind', [FullTicketSchema, OrderTicketSchema]) satisfies z.ZodType<Ticket>;
