const PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict padded standard Base64; whitespace is ignored because Android's Base64.DEFAULT wraps lines. */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  return PADDED_BASE64.test(compact) ? Buffer.from(compact, 'base64') : undefined;
}

export function isBase64(text: string): boolean {
  return PADDED_BASE64.test(text);
}
