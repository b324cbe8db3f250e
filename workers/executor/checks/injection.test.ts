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

describe("injection: what the mutation run showed unpinned", () => {
  const body = (text: string) => ({ ...search("q=%27"), status: 500, body: text });
  const sqlEngine = (text: string) => sql_injection(ctx(body(text))).signature;
  it("SQL signatures: optional parts, spacing and counts of each engine's pattern", () => {
    const messages: [string, string][] = [
      ["mysql", "Warning:  mysql error 1064"],
      ["mysql", "com.mysql.jdbc.exceptions.jdbc4.CommunicationsException"],
      ["postgresql", 'ERROR:  syntax error at or near "x"'],
      ["postgresql", "error: invalid input syntax for integer: \"x\""],
      ["postgresql", "psycopg.errors.SyntaxError: at or near"],
      ["postgresql", "psycopg2.ProgrammingError: can't adapt"],
      ["oracle", "ORA-00942: table or view does not exist"],
      ["sqlite", 'unrecognized token: "abc"'],
      ["sqlite", 'unrecognized token:"abc"'],
      ["db2", "SQLCODE=-204, SQLSTATE=42704"],
      ["jdbc", "java.sql.SQLException: Column not found"],
      ["jdbc", "java.sql.SQLSyntaxErrorException: bad"],
      ["orm", "sqlalchemy.exc.ProgrammingError: (x)"],
      ["orm", "django.db.utils.ProgrammingError: relation"],
      ["generic", "Invalid SQL syntax, parse error"],
      ["generic", "syntax error near 'x' WHERE id"],
    ];
    for (const [engine, text] of messages) expect(sqlEngine(text), text).toBe(`error:${engine}`);
  });
  it("NoSQL, command, file and internal-content signatures: optional parts, spacing and names", () => {
    const nosql = (text: string) => nosql_injection(ctx(body(text))).signature;
    expect(nosql("MongoServerError: bad")).toBe("error:mongodb");
    for (const text of ["unknown operator $regexx", "unknown operator:$foo", '{"errmsg": "invalid operator $ne"}']) expect(nosql(text), text).toBe("error:mongodb");
    for (const text of ['{"error" : "query_parse_error"}', '{"error":"invalid_selector"}']) expect(nosql(text), text).toBe("error:couchdb");
    expect(nosql_injection(ctx(body("SyntaxError: Unexpected token '}' at position 12"))).status).toBe("passed");
    const output = (text: string) => command_injection(ctx({ ...search("h=x"), body: text })).signature;
    expect(output("uid=0(root)  gid=0(root)")).toBe("output:id-output");
    expect(output("Directory of C:\\Windows")).toBe("output:windows-dir");
    expect(output("Linux host 10.4.12 #1 SMP")).toBe("output:uname");
    expect(output("root::0:0:root:/root:/bin/sh")).toBe("output:etc-passwd");
    const file = (text: string) => path_traversal(ctx({ ...search("f=x"), body: text })).signature;
    expect(file("root::0:0:root:/root:/bin/sh")).toBe("file:etc-passwd");
    expect(file("; for 16-bit app support")).toBe("file:win-ini");
    expect(file("[fonts]\nArial=arial.ttf\n[extensions]")).toBe("file:win-ini");
    expect(file("<web-app>\n  <servlet>")).toBe("file:web-xml");
    const internal = (text: string) => ssrf(ctx({ ...search("u=x"), body: text })).signature;
    expect(internal("root::0:0:root")).toBe("internal:local-file");
    expect(internal('{"AccessKeyId" : "ASIAABCDEFGHIJKLMNOP"}')).toBe("internal:aws-credentials");
    for (const text of ['{"vmId":"13f56399-bd52-4150-9748-7190aae1ff21", "subscriptionId":"s"}', '{"vmId" : "13f56399-bd52-4150-9748-7190aae1ff21" , "subscriptionId" : "s"}']) expect(internal(text), text).toBe("internal:azure-metadata");
    for (const text of ['{"numericProjectId":1}', '{"numericProjectId" : 1}', '{"serviceAccounts":{\n "x": 1, "default": {}}}', '{"serviceAccounts" : {"default": {}}}']) expect(internal(text), text).toBe("internal:gcp-metadata");
    expect(internal('{"droplet_id" :12345}')).toBe("internal:digitalocean-metadata");
    expect(internal("redis_version:7.2.4")).toBe("internal:internal-service");
  });
  it("arithmetic payloads: spacing, multi-digit factors; names are not numbers", () => {
    expect(expectedProduct("<%=7*7191%>")).toBe("50337");
    expect(expectedProduct("{12 * 34}")).toBe("408");
    for (const text of ["{{n7*3}}", "{{7n*3}}", "{{7*3n}}", "${n7*3}", "${7n*3}", "${7*3n}", "#{n7*3}", "#{7n*3}", "#{7*3n}", "{n7*3}", "{7n*3}", "{7*3n}"]) expect(expectedProduct(text), text).toBeUndefined();
    for (const text of ["{{x*3}}", "{{3*x}}", "${x*3}", "${3*x}", "#{x*3}", "#{3*x}"]) expect(expectedProduct(text), text).toBeUndefined();
  });
  it("reflection covers a '+'-encoded query and the request body; the evidence is quoted on one line, cut at 80 characters", () => {
    expect(sql_injection(ctx({ ...search("q=Incorrect+syntax+near+x"), status: 400, body: "Incorrect syntax near x" })).status).toBe("passed");
    expect(sql_injection(ctx({ method: "POST", path: "/pets", requestBody: { q: "ORA-00933" }, status: 400, body: "no results for ORA-00933" })).status).toBe("passed");
    const webXml = (between: string) => path_traversal(ctx({ ...search("f=x"), body: `<web-app>${between}<servlet>` })).message;
    expect(webXml("\n\n  ")).toBe('the response contains server file content (web-xml): "<web-app> <servlet>"');
    expect(webXml("x".repeat(63))).toBe(`the response contains server file content (web-xml): "<web-app>${"x".repeat(63)}<servle…"`);
    expect(webXml("x".repeat(62))).toBe(`the response contains server file content (web-xml): "<web-app>${"x".repeat(62)}<servlet>"`);
    expect(sql_injection(ctx(body("Unclosed quotation mark after the character string"))).message).toBe('SQL error from mssql after an injection payload: "Unclosed quotation mark after the character string"');
  });
  it("each verdict's message and severity", () => {
    const baseline = record({ id: "base", ...search("q=a"), durationMs: 40 });
    expect(sql_injection(ctx({ id: "probe", ...search("q=sleep"), durationMs: 5100 }, { others: [baseline], params: { baselineStep: "base", delayMs: 5000, engine: "mysql", payload: "x", location: "query.q" } })).message).toContain('(mysql sleep "x" in query.q)');
    expect(sql_injection(ctx({ ...search("q=a"), body: "ok" })).message).toBe("no database error or delay caused by the payload");
    expect(nosql_injection(ctx(body("MongoError"))).message).toBe('NoSQL error from mongodb after an operator payload: "MongoError"');
    expect(nosql_injection(ctx({ ...search("q=a"), body: "ok" })).message).toBe("no NoSQL error caused by the payload");
    const login = (id: string, status: number, body?: unknown) => record({ id, method: "POST", path: "/login", status, body });
    const bypass = (others: ReturnType<typeof record>[]) => nosql_injection(ctx({ id: "probe", method: "POST", path: "/login", status: 200, body: { token: "t" } }, { others, params: { baselineStep: "base", controlStep: "control" } })).message;
    expect(bypass([login("base", 401)])).toBe("operator payload turned 401 into 200, but no control step tells a dropped value from an injected one");
    expect(bypass([login("base", 401), login("control", 200)])).toBe("a non-operator control value is accepted too");
    expect(bypass([login("base", 401), login("control", 403)])).toBe("operator payload turned 401 into 200 where a plain object got 403");
    const list = (id: string, items: unknown, status = 200) => record({ id, ...search("name=zz"), status, body: items });
    const more = (others: ReturnType<typeof record>[], probeBody: unknown = [{ id: 1 }, { id: 2 }]) => nosql_injection(ctx({ id: "probe", ...search("name[$ne]=zz"), body: probeBody }, { others, params: { baselineStep: "base", controlStep: "control" } }));
    expect(more([list("base", []), list("control", { message: "bad" }, 400)]).message).toBe("operator payload returned 2 items where the literal returned 0, and a plain object in its place was refused (400)");
    expect(more([list("base", [])]).message).toBe("payload returned 2 items vs 0, but no control step tells an ignored filter from an injected one");
    expect(more([list("base", []), list("control", [{ id: 1 }, { id: 2 }])]).message).toBe("the control value returns as many items: the filter is ignored, not injected");
    expect(more([list("base", []), list("control", [])])).toMatchObject({ message: "operator payload returned 2 items where the literal returned 0 and a control value 0", signature: "behaviour:more-results" });
    expect(more([list("base", { items: [] }), list("control", { items: [] })], null).message).toBe("the operator payload changed nothing");
    expect(command_injection(ctx({ ...search("h=x"), body: "PING 50337" }, { params: { expect: "50337" } })).message).toBe('the response contains "50337", produced only by executing the injected command');
    expect(command_injection(ctx({ ...search("h=x"), body: "uid=0(root) gid=0(root)" })).message).toBe('command output in the response (id-output): "uid=0(root) gid=0(root)"');
    expect(command_injection(ctx({ id: "probe", ...search("h=x"), durationMs: 5100 }, { others: [baseline], params: { baselineStep: "base", delayMs: 5000 } })).message).toMatch(/^time-based command injection: took 5100 ms/);
    expect(command_injection(ctx({ ...search("h=x"), body: "undefined is not a function" })).message).toBe("no sign the payload was executed");
    expect(path_traversal(ctx({ ...search("f=x"), body: "root:x:0:0:" })).message).toBe('the response contains server file content (etc-passwd): "root:x:0:0:"');
    expect(path_traversal(ctx({ ...search("f=x"), body: "ok" })).message).toBe("no file content in the response");
    expect(ssrf(ctx({ ...search("u=x"), body: "canary-7f3a" }, { params: { canaryMarker: "canary-7f3a" } }))).toMatchObject({ message: "the response contains the canary's content: the server fetched the URL it was given", severity: "high" });
    expect(ssrf(ctx({ ...search("u=x"), body: "SSH-2.0-OpenSSH_8.9" })).message).toBe('the response contains internal content (internal-service): "SSH-2.0-OpenSSH"');
    expect(ssrf(ctx({ ...search("u=x"), body: "ok" })).message).toBe("no fetched internal content in the response");
  });
  it("template_injection: an explicit expectation, and the reason of each skip", () => {
    expect(template_injection(ctx({ ...search("name=x"), body: "hello zz-9911" }, { params: { expect: "zz-9911" } }))).toMatchObject({ status: "failed", message: "the template payload was evaluated: the response contains zz-9911" });
    expect(template_injection(ctx({ ...search("name=a"), body: "ok" })).message).toBe("no arithmetic payload to look for");
    expect(template_injection(ctx({ ...search("name=50337"), body: "50337" }, { params: { expect: "50337" } })).message).toBe("the request itself contains 50337");
    const baseline = record({ id: "base", ...search("name=a"), body: "id 50337" });
    expect(template_injection(ctx({ id: "probe", ...search("name=%7B%7B7*7191%7D%7D"), body: "id 50337" }, { others: [baseline], params: { baselineStep: "base" } })).message).toBe("the baseline response already contains 50337");
    expect(template_injection(ctx({ ...search("name=%7B%7B7*7191%7D%7D"), body: "Hello" })).message).toBe("the payload was not evaluated");
  });
});
