/** The byte that opens every PUB_ACK body (FShareChat `ErrorCode`). */
export const ErrorCode = {
  SUCCESS: 0,
  INVALID_DATA: 2,
  SERVER_ERROR: 4,
  NOT_IN_GROUP: 9,
  BLACKLISTED: 246,
  FORBIDDEN_SEND: 247,
  NO_RIGHT: 248,
  OVER_FREQUENCY: 250,
  NOT_EXIST: 253,
  NOT_IMPLEMENTED: 254,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;
export type ErrorCode = (typeof ErrorCode)[ErrorCodeName];

const BY_VALUE = new Map<number, ErrorCodeName>(
  (Object.entries(ErrorCode) as [ErrorCodeName, number][]).map(([name, value]) => [value, name]),
);

export function errorCodeName(value: number): ErrorCodeName | undefined {
  return BY_VALUE.get(value);
}
