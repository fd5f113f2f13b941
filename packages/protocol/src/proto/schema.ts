import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

/** The parsed FSCMessage schema, loaded once at module load. */
export const FSC_PROTO_PATH = new URL('./fsc-message.proto', import.meta.url);

export const fscRoot: protobuf.Root = protobuf.parse(readFileSync(FSC_PROTO_PATH, 'utf8'), { keepCase: false }).root;
fscRoot.resolveAll();

export function lookupFscType(name: string): protobuf.Type {
  return fscRoot.lookupType(`im.${name}`);
}
