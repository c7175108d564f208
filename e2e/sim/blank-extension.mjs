// Simulator self-tests drive a portal simulator by hand; TenderBridge must not act on the page
// meanwhile (its guards rightly stop, say, a cross-month refund click the test makes on purpose).
import { fileURLToPath } from 'node:url';

export const BLANK_EXTENSION_PATH = fileURLToPath(new URL('./blank-extension/', import.meta.url));
