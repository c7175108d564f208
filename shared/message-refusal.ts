/**
 * The background's outright refusal of a message ({ refused: true, reason }), shared by both
 * senders (shared/messages.ts for extension pages, shared/message-send.ts for content scripts)
 * without pulling either one's imports into the other.
 */
export class MessageRefusedError extends Error {}

/** The refusal's reason, or null when the answer is not a refusal. */
export function refusalReason(answer: unknown): string | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const { refused, reason } = answer as { refused?: unknown; reason?: unknown };
  return refused === true && typeof reason === 'string' ? reason : null;
}
