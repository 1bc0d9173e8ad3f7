// grpc-gateway error conventions: gRPC codes, their HTTP statuses and the `{code, message, details}` body.
import type { Reply } from "./http";

export const Code = {
  Unknown: 2,
  InvalidArgument: 3,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

/** grpc-gateway's HTTPStatusFromCode. */
const HTTP_BY_CODE: Readonly<Record<number, number>> = {
  0: 200,
  1: 499,
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  10: 409,
  11: 400,
  12: 501,
  13: 500,
  14: 503,
  15: 500,
  16: 401,
};

/** The gRPC code a fault with this HTTP status pretends to come from. */
export function codeForHttpStatus(status: number): number {
  const preferred: Record<number, number> = {
    400: 3,
    401: 16,
    403: 7,
    404: 5,
    409: 6,
    429: 8,
    500: 13,
    501: 12,
    503: 14,
    504: 4,
  };
  return preferred[status] ?? Code.Unknown;
}

/** An error a route raises; the dispatcher turns it into the grpc-gateway answer. */
export class GrpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function grpcReply(code: number, message: string, status = HTTP_BY_CODE[code] ?? 500): Reply {
  return { status, body: { code, message, details: [] } };
}
