/**
 * Refusals of the forecast and pipeline services, free of HTTP: the routes turn them into
 * problem+json (404 for an unknown fund or institution, 403 for another institution's pipeline,
 * 422 naming the field).
 */
export class ForecastRefusal extends Error {
  constructor(
    readonly kind: 'not_found' | 'forbidden' | 'invalid',
    readonly field: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'ForecastRefusal';
  }
}
