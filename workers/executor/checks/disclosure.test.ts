import { describe, expect, it } from "vitest";
import { error_disclosure } from "./disclosure";
import { ctx, record } from "./test-support";

const problem = (detail: string) => ({ type: "about:blank", title: "Bad Request", detail });
const answer = (status: number, body: unknown, extra: Parameters<typeof ctx>[0] = {}) => error_disclosure(ctx({ method: "POST", path: "/pets", status, body, requestBody: { name: "Rex", tag: "zq-81" }, ...extra }));

describe("error_disclosure", () => {
  it("fails on a database's own words in an error answer to ordinary input, naming the engine", () => {
    expect(answer(400, { errors: [{ message: 'DBD::Pg::st execute failed: ERROR:  syntax error at or near ")"\nLINE 1: INSERT INTO events() VALUES()' }] })).toMatchObject({ status: "failed", signature: "database:postgresql" });
    expect(answer(500, { message: 'insert into "tags" ("type", "value") values ($1, $2) - value too long for type character varying(100)' })).toMatchObject({ status: "failed", signature: "database:postgresql" });
    expect(answer(500, { message: 'select "id" from "users" where "id" = $1 - invalid byte sequence for encoding "UTF8": 0x00' })).toMatchObject({ status: "failed", signature: "database:postgresql" });
    expect(answer(409, problem("SQLITE_CONSTRAINT: UNIQUE constraint failed: pets.name"))).toMatchObject({ status: "failed", signature: "database:sqlite" });
    expect(answer(500, problem("ER_DUP_ENTRY: Duplicate entry 'Rex' for key 'pets.name'"))).toMatchObject({ status: "failed", signature: "database:mysql" });
    expect(answer(500, "ORA-00001: unique constraint (APP.PETS_UK) violated")).toMatchObject({ status: "failed", signature: "database:oracle" });
    expect(answer(500, { error: "SQLSTATE[23000]: Integrity constraint violation: 1062" })).toMatchObject({ status: "failed", signature: "database:sqlstate" });
    expect(answer(400, { message: "Undefined binding(s) detected when compiling FIRST. Undefined column(s): [id] query: select * from users" })).toMatchObject({ status: "failed", signature: "database:knex" });
    expect(answer(400, problem("could not run INSERT INTO events() VALUES()"))).toMatchObject({ status: "failed", signature: "database:sql-statement" });
    expect(answer(500, { detail: 'psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "pets_name_key"' })).toMatchObject({ status: "failed", signature: "database:postgresql" });
    const message = answer(400, problem('PG::NotNullViolation: ERROR:  null value in column "name" of relation "pets" violates not-null constraint')).message;
    expect(message).toMatch(/^POST \/pets answered 400 with database error text \(postgresql\): "PG::NotNullViolation/);
  });

  it("fails on stack traces (low): JavaScript and Java need two frames, a Python traceback one", () => {
    const node = "TypeError: Cannot read properties of undefined (reading 'id')\n    at Object.<anonymous> (/app/src/routes/pets.js:42:17)\n    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)";
    expect(answer(500, { error: "boom", stack: node })).toMatchObject({ status: "failed", signature: "stack:javascript", severity: "low" });
    expect(answer(500, 'Traceback (most recent call last):\n  File "/srv/app/views.py", line 12, in create\n    pet = Pet(**data)\nKeyError: \'name\'')).toMatchObject({ status: "failed", signature: "stack:python" });
    expect(answer(500, "java.lang.NullPointerException\n\tat com.example.pets.PetService.create(PetService.java:57)\n\tat com.example.pets.PetController.post(PetController.java:31)")).toMatchObject({ status: "failed", signature: "stack:java" });
    expect(answer(500, "System.NullReferenceException: Object reference not set\n   at Pets.Api.PetsController.Create(PetDto dto) in /src/Pets.Api/PetsController.cs:line 44")).toMatchObject({ status: "failed", signature: "stack:dotnet" });
    expect(answer(500, "Talk does not exist. at /usr/share/perl5/SReview/Web/Controller/Speaker.pm line 42.")).toMatchObject({ status: "failed", signature: "stack:perl" });
    // a JSON:API error document (any JSON media type): the trace in an error's meta, inside the errors array
    const jsonApi = { errors: [{ status: "500", title: "Internal Server Error", detail: "Invalid regular expression: /(/i: Unterminated group", meta: { stack: "SyntaxError: Invalid regular expression: /(/i: Unterminated group\n    at new RegExp (<anonymous>)\n    at listCourses (file:///srv/app/server.mjs:289:31)\n    at handle (file:///srv/app/lib.mjs:228:12)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)" } }] };
    expect(error_disclosure(ctx({ method: "GET", path: "/courses", status: 500, body: jsonApi, headers: { "content-type": "application/vnd.api+json" } }))).toMatchObject({ status: "failed", signature: "stack:javascript" });
    // one JavaScript frame alone may be a quoted line
    expect(answer(500, { error: "failed at handler (/app/x.js:1:2)" }).status).toBe("passed");
  });

  it("after an injection payload (databaseErrors: false) judges stack traces only: a database's words are the injection check's", () => {
    const payloadStep = (body: unknown) => error_disclosure(ctx({ method: "GET", path: "/pets", status: 500, body }, { params: { databaseErrors: false } }));
    expect(payloadStep(problem("ERROR: syntax error at or near \"SELECT\"")).status).toBe("passed");
    const node = "Error: boom\n    at find (/app/src/pets.js:42:17)\n    at route (/app/src/router.js:9:3)";
    expect(payloadStep({ errors: [{ detail: "boom", meta: { stack: node } }] })).toMatchObject({ status: "failed", signature: "stack:javascript" });
  });

  it("no false alarm: generic words, data in 2xx answers, echoes, documented text and query consoles", () => {
    // everyday error prose that merely names SQL, a database or an error
    for (const text of ["Invalid SQL filter", "database error", "Syntax error in field name", "Name already exists", "unique constraint violated: name is taken", "Error: invalid input", "Please select one from the list where it fits", "column name does not exist"]) {
      expect(answer(400, problem(text)).status, text).toBe("passed");
    }
    // a 2xx body is data: a stored note that quotes an engine's message
    expect(answer(201, { id: 1, name: "Rex", note: 'ERROR: duplicate key value violates unique constraint "x"' }).status).toBe("skipped");
    // an echo of what the request sent
    const sent = 'ORA-00942 in my note';
    expect(error_disclosure(ctx({ method: "POST", path: "/pets", status: 400, body: problem(`name invalid: ${sent}`), requestBody: { name: sent } })).status).toBe("passed");
    // an earlier step of the case sent it (a stored value read back in an error)
    const earlier = record({ id: "create", method: "POST", path: "/pets", status: 201, requestBody: { name: "SQLSTATE[42000] quoted" }, body: {} });
    expect(error_disclosure(ctx({ id: "read", method: "GET", path: "/pets/{petId}", urlPath: "/pets/1", status: 409, body: problem("conflict with SQLSTATE[42000] quoted") }, { others: [earlier] })).status).toBe("passed");
    // documented in the operation's responses (an example of its error answer)
    const c = ctx({ method: "GET", path: "/pets/{petId}", urlPath: "/pets/1", status: 404, body: problem('relation "pets" does not exist') });
    const documented = { ...c, operation: { ...c.operation!, responses: [{ status: "404", description: "not found", content: [{ contentType: "application/json", schema: { type: "object" }, example: problem('relation "pets" does not exist') }], headers: [], links: [] }] as never } };
    expect(error_disclosure(documented).status).toBe("passed");
    // or in an example of the schema its error answer names
    const withSchema = { ...c, model: { ...c.model, schemas: { ...c.model.schemas, Error: { type: "object", example: problem('relation "pets" does not exist') } } } };
    expect(error_disclosure(withSchema).status).toBe("passed");
    expect(error_disclosure(c).status).toBe("failed");
    // a console that runs the client's SQL answers with the database's errors by design
    const console = { ...c, operation: { ...c.operation!, summary: "Run a SQL query against your dataset" } };
    expect(error_disclosure(console).status).toBe("skipped");
    expect(answer(400, "").status).toBe("passed");
  });
});
