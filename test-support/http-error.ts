/**
 * Matches a Nest HttpException by its status and its exact body (the error envelope), e.g.
 * `await expect(p).rejects.toEqual(httpError(404, { errors: { article: ['not found'] } }))`.
 * Jest compares errors by message only, and Nest's message says nothing about the envelope.
 */
export function httpError(status: number, body: object): unknown {
  // HttpException keeps both as own properties (`response`, `status`): equality on each is exact.
  return expect.objectContaining({ status, response: body });
}
