/**
 * Frees a buffer's memory now rather than at its thread's next full garbage collection,
 * by detaching its ArrayBuffer (`transfer(0)`): every view of it is empty afterwards.
 * Only for a buffer nothing reads again. A view into a larger or pooled ArrayBuffer is
 * left to the collector. Answers whether it was freed.
 */
export function releaseBuffer(bytes: Uint8Array): boolean {
  const { buffer } = bytes;
  if (!(buffer instanceof ArrayBuffer) || bytes.byteOffset !== 0) return false;
  if (bytes.byteLength !== buffer.byteLength || buffer.byteLength === 0) return false;
  buffer.transfer(0);
  return true;
}
