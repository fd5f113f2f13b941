import { createCipheriv, createDecipheriv } from 'node:crypto';

// FShareChat always uses the AES key as the CBC IV too; that is the wire contract, not a choice.

export function encryptKeyAsIv(key: Buffer, plaintext: Buffer): Buffer {
  const cipher = createCipheriv('aes-128-cbc', key, key);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

/** Returns undefined on any failure so callers choose their own error code and node's text never leaks. */
export function decryptKeyAsIv(key: Buffer, ciphertext: Buffer): Buffer | undefined {
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) return undefined;
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, key);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}
