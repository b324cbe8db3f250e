import { describe, expect, it } from "vitest";
import { command_injection, expectedProduct, nosql_injection, path_traversal, sql_injection, ssrf, template_injection } from "./injection";
import { ctx, record } from "./test-support";

const search = (query: string) => ({ method: "GET", path: "/pets", query, headers: { "content-type": "text/plain" } });

describe("sql_injection", () => {
  const errors = [
    "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version",
    'ERROR: unterminated quoted string at or near "\'"',
    "Unclosed quotation mark after the character string ''.",
    "ORA-01756: quoted string not properly terminated",
    'sqlite3.OperationalError: near "\'": syntax error',
    "SequelizeDatabaseError: syntax error",
  ];
  it("fails on database error messages of many engines", () => {
    for (const body of errors) expect(sql_injection(ctx({ ...search("q=%27"), status: 500, body })).status).toBe("failed");
    expect(sql_injection(ctx({ ...search("q=%27"), status: 500, body: errors[0] })).signature).toBe("error:mysql");
  });
  it("passes on clean answers; ignores errors also present in the baseline", () => {
    expect(sql_injection(ctx({ ...search("q=%27"), status: 400, body: "invalid query" })).status).toBe("passed");
    const baseline = record({ id: "base", ...search("q=a"), status: 500, body: errors[1] });
    expect(sql_injection(ctx({ id: "probe", ...search("q=%27"), status: 500, body: errors[1] }, { others: [baseline], params: { baselineStep: "base" } })).status).toBe("passed");
  });
  it("judges time-based payloads against a baseline", () => {
    const baseline = record({ id: "base", ...search("q=a"), durationMs: 40 });
    expect(sql_injection(ctx({ id: "probe", ...search("q=sleep"), durationMs: 5100 }, { others: [baseline], params: { baselineStep: "base", delayMs: 5000 } }))).toMatchObject({ status: "failed", signature: "time-based" });
    expect(sql_injection(ctx({ id: "probe", ...search("q=sleep"), durationMs: 60 }, { others: [baseline], params: { baselineStep: "base", delayMs: 5000 } })).status).toBe("passed");
    expect(sql_injection(ctx({ id: "probe", ...search("q=sleep"), durationMs: 5100 }, { params: { delayMs: 5000 } })).status).toBe("passed");
    // the boundaries: at least 90% of the delay for the payload, under half of it for the baseline
    expect(sql_injection(ctx({ id: "probe", ...search("q=sleep"), durationMs: 4500 }, { others: [baseline], params: { baselineStep: "base", delayMs: 5000 } })).status).toBe("failed");
    expect(sql_injection(ctx({ id: "probe", ...search("q=sleep"), durationMs: 4499 }, { others: [baseline], params: { baselineStep: "base", delayMs: 5000 } })).status).toBe("passed");
    const slowBaseline = (durationMs: number) => record({ id: "base", ...search("q=a"), durationMs });
    expect(sql_injection(ctx({ id: "probe", ...search("q=sleep"), durationMs: 5100 }, { others: [slowBaseline(2500)], params: { baselineStep: "base", delayMs: 5000 } })).status).toBe("passed");
    expect(sql_injection(ctx({ id: "probe", ...search("q=sleep"), durationMs: 5100 }, { others: [slowBaseline(2499)], params: { baselineStep: "base", delayMs: 5000 } })).status).toBe("failed");
    expect(command_injection(ctx({ id: "probe", ...search("q=sleep"), durationMs: 5100 }, { others: [slowBaseline(4000)], params: { baselineStep: "base", delayMs: 5000 } })).status).not.toBe("failed");
    expect(command_injection(ctx({ id: "probe", ...search("q=sleep"), durationMs: 5100 }, { others: [baseline], params: { baselineStep: "base", delayMs: 5000 } }))).toMatchObject({ status: "failed", signature: "time-based" });
  });
});

describe("nosql_injection", () => {
  it("fails on Mongo errors and on an operator login bypass", () => {
    expect(nosql_injection(ctx({ method: "POST", path: "/login", status: 500, body: "MongoServerError: unknown operator: $foo" })).status).toBe("failed");
    const baseline = record({ id: "base", method: "POST", path: "/login", status: 401 });
    const control = record({ id: "control", method: "POST", path: "/login", status: 401 });
    expect(nosql_injection(ctx({ id: "probe", method: "POST", path: "/login", status: 200, body: { token: "t" } }, { others: [baseline, control], params: { baselineStep: "base", controlStep: "control" } }))).toMatchObject({ status: "failed", signature: "behaviour:bypass" });
  });
  it("needs a control before calling a refusal turned into 2xx a bypass (a dropped value looks the same)", () => {
    const baseline = record({ id: "base", method: "POST", path: "/orders", status: 422 });
    expect(nosql_injection(ctx({ id: "probe", method: "POST", path: "/orders", status: 201, body: { id: 1 } }, { others: [baseline], params: { baselineStep: "base" } })).status).toBe("skipped");
    const dropped = record({ id: "control", method: "POST", path: "/orders", status: 201 });
    expect(nosql_injection(ctx({ id: "probe", method: "POST", path: "/orders", status: 201, body: { id: 1 } }, { others: [baseline, dropped], params: { baselineStep: "base", controlStep: "control" } })).status).toBe("skipped");
  });
  it("does not take a JSON.parse error for JavaScript injection", () => {
    expect(nosql_injection(ctx({ ...search("filter=x"), status: 400, body: { error: "SyntaxError: Unexpected token ' in JSON at position 0" } })).status).toBe("passed");
    expect(nosql_injection(ctx({ ...search("filter=x"), status: 400, body: { error: "SyntaxError: Unexpected token 'return'" } })).status).toBe("failed");
  });
  it("fails on more results only when a control proves the filter is not just ignored", () => {
    const baseline = record({ id: "base", ...search("name=zz"), body: [] });
    const control = record({ id: "control", ...search("name[x]=zz"), body: [] });
    expect(nosql_injection(ctx({ id: "probe", ...search("name[$ne]=zz"), body: [{ id: 1 }, { id: 2 }] }, { others: [baseline, control], params: { baselineStep: "base", controlStep: "control" } })).status).toBe("failed");
    const ignored = record({ id: "control", ...search("name[x]=zz"), body: [{ id: 1 }, { id: 2 }] });
    expect(nosql_injection(ctx({ id: "probe", ...search("name[$ne]=zz"), body: [{ id: 1 }, { id: 2 }] }, { others: [baseline, ignored], params: { baselineStep: "base", controlStep: "control" } })).status).toBe("skipped");
  });
  it("counts the results of a wrapper ({ items, total }); a refused plain-object control proves the operator was read", () => {
    const post = (id: string, status: number, body: unknown) => record({ id, method: "POST", path: "/pets", status, body });
    const baseline = post("base", 200, { items: [], total: 0 });
    const widened = { id: "probe", method: "POST", path: "/pets", status: 200, body: { items: [{ id: 1 }, { id: 2 }], total: 2 } };
    const params = { baselineStep: "base", controlStep: "control" };
    expect(nosql_injection(ctx(widened, { others: [baseline, post("control", 400, { message: "title must be a string" })], params }))).toMatchObject({ status: "failed", signature: "behaviour:more-results" });
    expect(nosql_injection(ctx(widened, { others: [baseline, post("control", 200, { items: [], total: 0 })], params })).status).toBe("failed");
    // the server ignores a value of the wrong type: the control widens the results as much
    expect(nosql_injection(ctx(widened, { others: [baseline, post("control", 200, { items: [{ id: 1 }, { id: 2 }], total: 2 })], params })).status).toBe("skipped");
    expect(nosql_injection(ctx(widened, { others: [baseline], params: { baselineStep: "base" } })).status).toBe("skipped");
  });
  it("passes when the payload changes nothing", () => {
    const baseline = record({ id: "base", method: "POST", path: "/login", status: 401 });
    expect(nosql_injection(ctx({ id: "probe", method: "POST", path: "/login", status: 401 }, { others: [baseline], params: { baselineStep: "base" } })).status).toBe("passed");
  });
});

describe("command_injection", () => {
  it("fails on id output or a computed marker", () => {
    expect(command_injection(ctx({ ...search("host=x;id"), body: "uid=33(www-data) gid=33(www-data) groups=33(www-data)" }))).toMatchObject({ status: "failed", signature: "output:id-output" });
    expect(command_injection(ctx({ ...search("host=x;echo%20$((7191*7))"), body: "PING 50337" }, { params: { expect: "50337" } }))).toMatchObject({ status: "failed", signature: "marker" });
  });
  it("passes when the marker is only reflected from the request", () => {
    expect(command_injection(ctx({ ...search("host=50337"), body: "unknown host 50337" }, { params: { expect: "50337" } })).status).toBe("passed");
    expect(command_injection(ctx({ ...search("host=x"), body: "ok" })).status).toBe("passed");
  });
});

describe("path_traversal", () => {
  it("fails on /etc/passwd and win.ini content", () => {
    expect(path_traversal(ctx({ ...search("file=..%2F..%2Fetc%2Fpasswd"), body: "root:x:0:0:root:/root:/bin/bash\n" }))).toMatchObject({ status: "failed", signature: "file:etc-passwd" });
    expect(path_traversal(ctx({ ...search("file=win.ini"), body: "; for 16-bit app support\n[fonts]\n[extensions]" })).status).toBe("failed");
  });
  it("passes on ordinary answers and on a reflected payload", () => {
    expect(path_traversal(ctx({ ...search("file=a"), status: 404, body: "not found" })).status).toBe("passed");
    expect(path_traversal(ctx({ ...search("q=root:x:0:0:"), body: "no results for root:x:0:0:" })).status).toBe("passed");
  });
});

describe("ssrf", () => {
  it("fails on canary content and cloud metadata", () => {
    expect(ssrf(ctx({ ...search("url=http://canary.test/c1"), body: "sentinel-canary-7f3a" }, { params: { canaryMarker: "sentinel-canary-7f3a" } }))).toMatchObject({ status: "failed", signature: "canary" });
    expect(ssrf(ctx({ ...search("url=http://169.254.169.254/latest/meta-data/"), body: "ami-id\nami-launch-index\nhostname\ninstance-id\n" }))).toMatchObject({ status: "failed", signature: "internal:aws-metadata", severity: "critical" });
  });
  it("passes when nothing was fetched", () => {
    expect(ssrf(ctx({ ...search("url=http://169.254.169.254/"), status: 400, body: "url not allowed" }, { params: { canaryMarker: "sentinel-canary-7f3a" } })).status).toBe("passed");
  });
});

describe("template_injection", () => {
  it("fails when the arithmetic payload is evaluated", () => {
    expect(template_injection(ctx({ ...search("name=%7B%7B7*7191%7D%7D"), body: "Hello 50337" }))).toMatchObject({ status: "failed", signature: "evaluated" });
  });
  it("passes on reflection of the raw payload; skips when the baseline has the number", () => {
    expect(template_injection(ctx({ ...search("name=%7B%7B7*7191%7D%7D"), body: "Hello {{7*7191}}" })).status).toBe("passed");
    const baseline = record({ id: "base", ...search("name=a"), body: "id 50337" });
    expect(template_injection(ctx({ id: "probe", ...search("name=%7B%7B7*7191%7D%7D"), body: "id 50337" }, { others: [baseline], params: { baselineStep: "base" } })).status).toBe("skipped");
    expect(template_injection(ctx({ ...search("name=%7B%7B7*7191%7D%7D"), body: "order 503370" })).status).toBe("passed");
  });
  it("computes the expected product", () => {
    expect(expectedProduct("${7*7191}")).toBe("50337");
    expect(expectedProduct("<%= 13 * 37 %>")).toBe("481");
  });
});

describe("error and content signatures, one real message per engine or file", () => {
  const body = (text: string) => ({ ...search("q=%27"), status: 500, body: text });
  it("SQL errors name their engine", () => {
    const messages: [string, string][] = [
      ["mysql", "check the manual that fits to your MariaDB server version for the right syntax"],
      ["mysql", "Warning: mysqli_query() expects parameter 1"],
      ["mysql", "Warning mysql_fetch_array(): supplied argument"],
      ["mysql", "com.mysql.cj.jdbc.exceptions.SQLError"],
      ["mysql", "Error: ER_PARSE_ERROR near line 1"],
      ["mysql", "Unknown column 'zz' in 'where clause'"],
      ["postgresql", "org.postgresql.util.PSQLException: ERROR"],
      ["postgresql", "error: invalid input syntax for type integer: \"x\""],
      ["postgresql", "psycopg2.errors.SyntaxError: at or near"],
      ["postgresql", "SQLSTATE[22P02]: Invalid text representation"],
      ["mssql", "Incorrect syntax near 'x'."],
      ["mssql", "System.Data.SqlClient.SqlException (0x80131904)"],
      ["oracle", "java.sql.SQLException: ORA-00933: SQL command not properly ended"],
      ["sqlite", "SQLITE_ERROR: unrecognized token: \"'\""],
      ["sqlite", 'near "zz": syntax error'],
      ["db2", "DB2 SQL error: SQLCODE=-104, SQLSTATE=42601"],
      ["sybase", "Sybase message: Unclosed"],
      ["informix", "com.informix.jdbc.IfxSqliConnect"],
      ["h2", "org.h2.jdbc.JdbcSQLSyntaxErrorException: Syntax error"],
      ["hsqldb", "Unexpected end of command in statement [SELECT"],
      ["jdbc", "org.hibernate.exception.SQLGrammarException: could not extract"],
      ["orm", "Illuminate\\Database\\QueryException: SQLSTATE"],
      ["orm", "ActiveRecord::StatementInvalid: PG::"],
      ["generic", "unterminated string literal in query"],
    ];
    for (const [engine, text] of messages) expect(sql_injection(ctx(body(text))).signature, text).toBe(`error:${engine}`);
    expect(sql_injection(ctx(body("Your order was rejected: syntax checked"))).status).toBe("passed");
  });
  it("an error the request itself carried is reflection, not evidence; the message quotes the error", () => {
    expect(sql_injection(ctx({ ...search("q=ORA-00933"), status: 400, body: "no results for ORA-00933" })).status).toBe("passed");
    const result = sql_injection(ctx(body("You have an error in your SQL syntax")));
    expect(result.message).toBe('SQL error from mysql after an injection payload: "You have an error in your SQL syntax"');
    expect(sql_injection(ctx({ ...search("q=a%2B%27"), status: 500, body: "Incorrect syntax near 'a +'" })).status).toBe("failed");
    expect(sql_injection(ctx({ ...search("q=%E0%A4%A"), status: 500, body: "Incorrect syntax near '%E0'" })).status).toBe("failed");
  });
  it("NoSQL errors", () => {
    const messages: [string, string][] = [
      ["mongodb", "unknown top level operator: $nin"],
      ["mongodb", "cannot apply $size to a string"],
      ["mongodb", "$where is not allowed in this context"],
      ["mongoose", "CastError: Cast to ObjectId failed for value"],
      ["couchdb", '{"error": "invalid_selector", "reason": "x"}'],
      ["javascript", "SyntaxError: missing ) after argument list"],
    ];
    for (const [engine, text] of messages) expect(nosql_injection(ctx(body(text))).signature, text).toBe(`error:${engine}`);
  });
  it("command output, server files and internal content", () => {
    expect(command_injection(ctx({ ...search("h=x"), body: " Volume Serial Number is 1A2B-3C4D" })).signature).toBe("output:windows-dir");
    expect(command_injection(ctx({ ...search("h=x"), body: "Windows IP Configuration" })).signature).toBe("output:windows-ipconfig");
    expect(command_injection(ctx({ ...search("h=x"), body: "Linux web1 5.15.0-91-generic #101 SMP Tue" })).signature).toBe("output:uname");
    expect(command_injection(ctx({ ...search("h=x"), body: "root:x:0:0:root:/root:/bin/bash" })).signature).toBe("output:etc-passwd");
    expect(path_traversal(ctx({ ...search("f=x"), body: "daemon:x:1:1:daemon:/usr/sbin" })).signature).toBe("file:etc-passwd");
    expect(path_traversal(ctx({ ...search("f=x"), body: "root:$6$abcdefgh$xyz:19000:0" })).signature).toBe("file:etc-shadow");
    expect(path_traversal(ctx({ ...search("f=x"), body: "[boot loader]\ntimeout=30\n[operating systems]" })).signature).toBe("file:boot-ini");
    expect(path_traversal(ctx({ ...search("f=x"), body: "<web-app version=\"3.0\"><servlet><servlet-name>a</servlet-name></servlet>" })).signature).toBe("file:web-xml");
    expect(path_traversal(ctx({ ...search("f=x"), body: "PATH=/usr/bin\0HOME=/root\0" })).signature).toBe("file:proc-environ");
    expect(ssrf(ctx({ ...search("u=x"), body: '{"Code":"Success","AccessKeyId":"ASIAABCDEFGHIJKLMNOP"}' })).signature).toBe("internal:aws-credentials");
    expect(ssrf(ctx({ ...search("u=x"), body: '{"compute":{"azEnvironment":"AzurePublicCloud"}}' })).signature).toBe("internal:azure-metadata");
    expect(ssrf(ctx({ ...search("u=x"), body: "numeric-project-id" })).signature).toBe("internal:gcp-metadata");
    expect(ssrf(ctx({ ...search("u=x"), body: '{"droplet_id": 12345}' })).signature).toBe("internal:digitalocean-metadata");
    expect(ssrf(ctx({ ...search("u=x"), body: "root:x:0:0:root" })).signature).toBe("internal:local-file");
    expect(ssrf(ctx({ ...search("u=x"), body: "SSH-2.0-OpenSSH_8.9" })).signature).toBe("internal:internal-service");
    expect(ssrf(ctx({ ...search("u=x"), body: "instance-id: i-1\nami-id: ami-2" })).signature).toBe("internal:aws-metadata");
  });
  it("a canary marker the request carried proves nothing", () => {
    expect(ssrf(ctx({ ...search("url=sentinel-canary-7f3a"), body: "bad url sentinel-canary-7f3a" }, { params: { canaryMarker: "sentinel-canary-7f3a" } })).status).toBe("passed");
  });
});

describe("injection: the guards of each verdict", () => {
  it("sql_injection: the engine, payload and location of a time-based finding", () => {
    const baseline = record({ id: "base", ...search("q=a"), durationMs: 40 });
    const result = sql_injection(ctx({ id: "probe", ...search("q=sleep"), durationMs: 5100 }, { others: [baseline], params: { baselineStep: "base", delayMs: 5000, engine: "mysql", payload: "x' AND SLEEP(5) -- " } }));
    expect(result.message).toContain('(mysql sleep "x\' AND SLEEP(5) -- " in the input)');
    expect(sql_injection(ctx({ id: "probe", ...search("q=sleep"), durationMs: 5100 }, { others: [baseline], params: { baselineStep: "base", delayMs: 5000 } })).message).toMatch(/^time-based SQL injection: /);
  });
  it("nosql_injection: a control that also turns the refusal into 2xx, fewer results, a refused probe", () => {
    const base = record({ id: "base", ...search("name=zz"), body: [{ id: 1 }] });
    const probe = (status: number, body: unknown, others = [base]) => nosql_injection(ctx({ id: "probe", ...search("name[$ne]=zz"), status, body }, { others, params: { baselineStep: "base", controlStep: "control" } })).status;
    expect(probe(200, [])).toBe("passed");
    expect(probe(200, [{ id: 1 }])).toBe("passed");
    expect(probe(400, [{ id: 1 }, { id: 2 }])).toBe("passed");
    const wrapped = record({ id: "base", ...search("name=zz"), body: { data: { x: 1 } } });
    expect(probe(200, { data: [{ id: 1 }] }, [wrapped])).toBe("passed");
    const redirect = record({ id: "base", method: "POST", path: "/login", status: 302 });
    expect(nosql_injection(ctx({ id: "probe", method: "POST", path: "/login", status: 200 }, { others: [redirect], params: { baselineStep: "base" } })).status).toBe("skipped");
    expect(nosql_injection(ctx({ id: "probe", method: "POST", path: "/login", status: 302 }, { others: [record({ id: "base", method: "POST", path: "/login", status: 401 })], params: { baselineStep: "base" } })).status).toBe("passed");
    const moreControl = record({ id: "control", ...search("name[x]=zz"), body: [{ id: 1 }, { id: 2 }, { id: 3 }] });
    expect(probe(200, [{ id: 1 }, { id: 2 }], [base, moreControl])).toBe("skipped");
    const fewer = record({ id: "control", ...search("name[x]=zz"), body: [{ id: 1 }] });
    expect(probe(200, [{ id: 1 }, { id: 2 }], [base, fewer])).toBe("failed");
    const serverError = record({ id: "control", ...search("name[x]=zz"), status: 500, body: "boom" });
    expect(probe(200, [{ id: 1 }, { id: 2 }], [base, serverError])).toBe("skipped");
  });
  it("command_injection: a marker in the baseline or in the request is no evidence", () => {
    const baseline = record({ id: "base", ...search("host=x"), body: "PING 50337" });
    expect(command_injection(ctx({ id: "probe", ...search("host=y"), body: "PING 50337" }, { others: [baseline], params: { expect: "50337", baselineStep: "base" } })).status).toBe("passed");
    expect(command_injection(ctx({ ...search("host=y"), body: "PING 50337" }, { params: { expect: "50337", payload: "x; echo 50337" } })).status).toBe("passed");
    expect(command_injection(ctx({ ...search("host=y"), body: "PING" }, { params: { expect: "50337" } })).status).toBe("passed");
  });
  it("template_injection: the request containing the product, explicit expectations, a product at the edges", () => {
    expect(template_injection(ctx({ ...search("name=a"), body: "50337" })).status).toBe("skipped");
    expect(template_injection(ctx({ ...search("name=50337"), body: "50337" }, { params: { expect: "50337" } })).status).toBe("skipped");
    expect(template_injection(ctx({ ...search("name=x"), body: "50337" }, { params: { payload: "#{7*7191}" } })).status).toBe("failed");
    expect(template_injection(ctx({ ...search("name=x"), body: "a50337b" }, { params: { payload: "{7*7191}" } })).status).toBe("failed");
    expect(template_injection(ctx({ ...search("name=x"), body: "150337" }, { params: { payload: "{{7*7191}}" } })).status).toBe("passed");
    expect(expectedProduct("{{ 12345678901 * 98765432109 }}")).toBe("1219326311336229232209");
    expect(expectedProduct("7*7191")).toBeUndefined();
  });
});
