import type protobuf from 'protobufjs';
import { ProtocolError } from '../protocol-error.ts';
import { lookupFscType } from './schema.ts';

export interface ProtoCodec<T, TInput> {
  readonly typeName: string;
  /** Validates (required fields, int32/int64 ranges, value types) and encodes; bad input → PROTO_INVALID. */
  encode(value: TInput): Buffer;
  /** Missing required fields, truncation or wrong wire types → PROTO_INVALID. */
  decode(bytes: Uint8Array): T;
}

type Kind = 'int32' | 'int64' | 'string' | 'bool' | 'bytes' | 'message';

interface FieldPlan {
  name: string;
  rule: 'required' | 'optional' | 'repeated';
  kind: Kind;
  nested: TypePlan | undefined;
}

interface TypePlan {
  type: protobuf.Type;
  fields: FieldPlan[];
  hasBytes: boolean;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TO_OBJECT = { longs: String, arrays: true } as const;
const plans = new Map<string, TypePlan>();

export function protoCodec<T, TInput>(typeName: string): ProtoCodec<T, TInput> {
  const plan = planFor(lookupFscType(typeName));
  return {
    typeName,
    encode(value) {
      const normalized = normalize(plan, value, typeName);
      return plan.type.encode(normalized).finish() as Buffer;
    },
    decode(bytes) {
      let decoded: Record<string, unknown>;
      try {
        decoded = plan.type.toObject(plan.type.decode(bytes), TO_OBJECT);
      } catch (err) {
        throw new ProtocolError('PROTO_INVALID', `${typeName}: ${(err as Error).message}`, { cause: err });
      }
      if (plan.hasBytes) ownBytes(plan, decoded);
      return decoded as T;
    },
  };
}

function planFor(type: protobuf.Type): TypePlan {
  const existing = plans.get(type.fullName);
  if (existing) return existing;
  const plan: TypePlan = { type, fields: [], hasBytes: false };
  plans.set(type.fullName, plan);
  for (const field of type.fieldsArray) {
    field.resolve();
    const nestedType = field.resolvedType;
    if (nestedType !== null && !('fieldsArray' in nestedType)) throw new Error(`${field.fullName}: enums are not supported`);
    const nested = nestedType === null ? undefined : planFor(nestedType);
    const kind = nested ? 'message' : scalarKind(field);
    plan.fields.push({ name: field.name, rule: field.repeated ? 'repeated' : field.required ? 'required' : 'optional', kind, nested });
    if (kind === 'bytes' || nested?.hasBytes) plan.hasBytes = true;
  }
  return plan;
}

function scalarKind(field: protobuf.Field): Kind {
  switch (field.type) {
    case 'int32':
    case 'int64':
    case 'string':
    case 'bool':
    case 'bytes':
      return field.type;
    default:
      throw new Error(`${field.fullName}: type ${field.type} is not supported`);
  }
}

function normalize(plan: TypePlan, input: unknown, path: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) invalid(path, 'must be an object');
  const source = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of plan.fields) {
    const value = source[field.name];
    const fieldPath = `${path}.${field.name}`;
    if (value === undefined || value === null) {
      if (field.rule === 'required') invalid(fieldPath, 'is required');
      continue;
    }
    if (field.rule === 'repeated') {
      if (!Array.isArray(value)) invalid(fieldPath, 'must be an array');
      out[field.name] = value.map((item, i) => normalizeValue(field, item, `${fieldPath}[${i}]`));
    } else {
      out[field.name] = normalizeValue(field, value, fieldPath);
    }
  }
  return out;
}

function normalizeValue(field: FieldPlan, value: unknown, path: string): unknown {
  switch (field.kind) {
    case 'message':
      return normalize(field.nested!, value, path);
    case 'int64':
      return toInt64String(value, path);
    case 'int32':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
        invalid(path, `must be an int32, got ${String(value)}`);
      }
      return value;
    case 'string':
      if (typeof value !== 'string') invalid(path, 'must be a string');
      return value;
    case 'bool':
      if (typeof value !== 'boolean') invalid(path, 'must be a boolean');
      return value;
    case 'bytes':
      if (!(value instanceof Uint8Array)) invalid(path, 'must be a Uint8Array');
      return value;
  }
}

/** int64 inputs become decimal strings, which protobufjs writes exactly through its Long support. */
function toInt64String(value: unknown, path: string): string {
  let big: bigint;
  if (typeof value === 'bigint') {
    big = value;
  } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return String(value);
  } else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) {
    big = BigInt(value);
  } else {
    invalid(path, `must be an int64 (safe integer, bigint or decimal string), got ${String(value)}`);
  }
  if (big < INT64_MIN || big > INT64_MAX) invalid(path, `int64 out of range: ${big}`);
  return big.toString();
}

function ownBytes(plan: TypePlan, obj: Record<string, unknown>): void {
  for (const field of plan.fields) {
    const value = obj[field.name];
    if (value === undefined) continue;
    if (field.kind === 'bytes') {
      obj[field.name] = Array.isArray(value) ? value.map(copyBytes) : copyBytes(value);
    } else if (field.nested?.hasBytes) {
      for (const item of Array.isArray(value) ? value : [value]) ownBytes(field.nested, item as Record<string, unknown>);
    }
  }
}

function copyBytes(value: unknown): Buffer {
  return Buffer.from(value as Uint8Array);
}

function invalid(path: string, problem: string): never {
  throw new ProtocolError('PROTO_INVALID', `${path} ${problem}`);
}
