/** The API contract: which answers each operation can give, derived from its route (README, "The contract"). */
export { PROBLEM_STATUSES, GENERIC, causesOf, declaredExample } from './causes.js';
export type { ProblemStatus, ProblemCause, DeclaredProblems, CauseRef, GenericCause } from './causes.js';
export { ContractRegistry, contractOf, openApiPath } from './registry.js';
export type { RouteContract } from './registry.js';
export { applyContract, operationIdFor, PROBLEM_HEADERS, SERVERS, TAG_DESCRIPTIONS } from './document.js';
export { contractGuard, declaredStatuses } from './guard.js';
