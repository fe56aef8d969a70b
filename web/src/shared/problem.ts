// RFC 9457 problem details as the gateway answers them, and the failures of the network
// itself, as one error type the pages can show in words.

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number; // 0 when the request never got an answer
  readonly code: string;
  readonly problem: ProblemBody;
  readonly retryAfterSeconds: number | null;

  constructor(status: number, problem: ProblemBody, retryAfterSeconds: number | null = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || (status === 0 ? "network_error" : `http_${status}`);
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The message for one field of the request body, when the server named it. */
  fieldMessage(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === field)?.message;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}
