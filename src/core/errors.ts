/**
 * Errors with stable codes (style.md rule 4). At the API edge the code is AWS's
 * error code (ValidationError, TargetGroupNotFound, ...); the message says what
 * to do next.
 */
export class ShoalError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = 'ShoalError';
    this.code = code;
    this.status = status;
  }
}

export function validationError(message: string): ShoalError {
  return new ShoalError('ValidationError', message, 400);
}

export function notFound(code: string, message: string): ShoalError {
  return new ShoalError(code, message, 400);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
