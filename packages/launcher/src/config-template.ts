import { CONFIG_KEYS } from '@fscpush/core';

/** The commented application.properties listing every key with its default (config/application.properties). */
export function renderConfigTemplate(): string {
  const lines = [
    '# fscpush configuration. Every key is listed with its default, commented out.',
    '# Environment variables override this file: FSCPUSH_ + the key upper-cased, dots and dashes as underscores',
    '# (e.g. FSCPUSH_PUSH_TCP_PORT=6789). Unknown keys stop the server at start, naming the key.',
    '',
  ];
  for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
    lines.push(`# ${spec.description}`);
    lines.push(`#${key}=${spec.default}`);
    lines.push('');
  }
  return lines.join('\n');
}
