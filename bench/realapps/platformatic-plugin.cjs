'use strict'
// The app's one route of its own: POST /books/{id}/restock calls the restock() SQL function,
// as a PostgREST /rpc/restock would. Writers only (the same role that may save books).
module.exports = async function (app) {
  app.post('/books/:id/restock', {
    schema: {
      operationId: 'restockBook',
      summary: 'Add copies to a book\'s stock',
      params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] },
      body: {
        type: 'object',
        properties: { copies: { type: 'integer', minimum: 1, maximum: 1000 } },
        required: ['copies'],
        additionalProperties: false
      },
      response: {
        200: { type: 'object', properties: { id: { type: 'integer' }, stock: { type: 'integer' } }, required: ['id', 'stock'] },
        403: { type: 'object', properties: { message: { type: 'string' } } },
        404: { type: 'object', properties: { message: { type: 'string' } } }
      }
    }
  }, async (request, reply) => {
    await request.setupDBAuthorizationUser()
    const roles = String(request.user?.['X-PLATFORMATIC-ROLE'] ?? '').split(',')
    if (!roles.includes('writer')) return reply.code(403).send({ message: 'writers only' })
    const { sql, db } = app.platformatic
    const rows = await db.query(sql`SELECT restock(${request.params.id}, ${request.body.copies}) AS stock`)
    if (rows[0].stock === null) return reply.code(404).send({ message: 'no such book' })
    return { id: request.params.id, stock: rows[0].stock }
  })
}
