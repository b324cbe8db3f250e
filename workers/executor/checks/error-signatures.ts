/**
 * Text only a database driver, an ORM or a language runtime writes: the one home of the error
 * signatures. sql_injection looks for SQL_ERRORS after an injection payload; error_disclosure
 * (exposure.ts) looks for DATABASE_ERRORS and STACK_TRACES in any error answer, where they tell a
 * client how the server is built. Each pattern is an engine's own wording, never a generic word
 * ("error", "sql", "exception").
 */

export interface Signature {
  name: string;
  pattern: RegExp;
}

export const SQL_ERRORS: Signature[] = [
  { name: "mysql", pattern: /You have an error in your SQL syntax/i },
  { name: "mysql", pattern: /check the manual that (?:corresponds|fits) to your (?:MySQL|MariaDB) server version/i },
  { name: "mysql", pattern: /Warning:?\s+(?:mysqli?|mysql_\w+)/i },
  { name: "mysql", pattern: /MySQLSyntaxErrorException|com\.mysql\.(?:cj\.)?jdbc|SQLSTATE\[42000\]|ER_PARSE_ERROR|ER_BAD_FIELD_ERROR/ },
  { name: "mysql", pattern: /Unknown column '[^']+' in '(?:where|field|order) clause'/i },
  { name: "postgresql", pattern: /PostgreSQL query failed|pg_query\(\)|PSQLException|org\.postgresql\.util|Npgsql\.|PG::SyntaxError/ },
  { name: "postgresql", pattern: /(?:ERROR|error):\s+(?:syntax error at or near|unterminated quoted string at or near|invalid input syntax for (?:type )?\w+)/ },
  { name: "postgresql", pattern: /psycopg2?\.(?:errors\.)?\w*(?:Error|Exception)|SQLSTATE\[(?:42601|22P02)\]/ },
  { name: "mssql", pattern: /Unclosed quotation mark after the character string|Incorrect syntax near\b/i },
  { name: "mssql", pattern: /Microsoft OLE DB Provider for (?:SQL Server|ODBC)|\[SQL Server\]|\[ODBC SQL Server Driver\]|System\.Data\.SqlClient\.SqlException|Microsoft\.Data\.SqlClient/ },
  { name: "oracle", pattern: /\bORA-\d{5}\b|quoted string not properly terminated|oracle\.jdbc\.driver|SQL command not properly ended/ },
  { name: "sqlite", pattern: /SQLITE_ERROR|sqlite3\.OperationalError|SQLiteException|System\.Data\.SQLite|unrecognized token:\s*"/ },
  { name: "sqlite", pattern: /near "[^"]{0,40}": syntax error/ },
  { name: "db2", pattern: /DB2 SQL error|SQLCODE=-\d+|\[IBM\]\[CLI Driver\]/ },
  { name: "sybase", pattern: /Sybase message|com\.sybase\.jdbc/i },
  { name: "informix", pattern: /Informix ODBC Driver|com\.informix\.jdbc/ },
  { name: "h2", pattern: /org\.h2\.jdbc\.JdbcSQL\w*Exception/ },
  { name: "hsqldb", pattern: /org\.hsqldb\.jdbc|Unexpected end of command in statement \[/ },
  { name: "jdbc", pattern: /java\.sql\.SQL(?:Syntax\w*)?Exception|org\.hibernate\.exception\.SQLGrammarException/ },
  { name: "orm", pattern: /SequelizeDatabaseError|QueryFailedError:|sqlalchemy\.exc\.\w+Error|django\.db\.utils\.\w+Error|ActiveRecord::StatementInvalid|Doctrine\\DBAL\\Exception|Illuminate\\Database\\QueryException|PDOException/ },
  { name: "generic", pattern: /SQL syntax.*?error|syntax error (?:at|near) .{0,40}(?:SELECT|WHERE|FROM)\b|unterminated (?:quoted )?string literal/i },
];

/**
 * What a database says about ordinary input (constraints, types, encodings, sizes), by engine,
 * beside the syntax errors above; and SQL statements as drivers and query builders print them.
 */
const ENGINE_MESSAGES: Signature[] = [
  { name: "postgresql", pattern: /duplicate key value violates unique constraint "|violates (?:foreign key|not-null|check|exclusion) constraint "|null value in column "[^"]+"(?: of relation "[^"]+")? violates/ },
  { name: "postgresql", pattern: /value too long for type character(?: varying)?\(\d+\)|invalid byte sequence for encoding "|value "[^"]*" is out of range for type \w+|invalid input syntax for (?:type )?\w+: "|(?:relation|column) "[^"]+"(?: of relation "[^"]+")? does not exist/ },
  { name: "postgresql", pattern: /\bPG::[A-Z][a-z]\w*(?:Error|Violation|Invalid\w*)\b/ },
  { name: "perl-dbi", pattern: /\bDBD::\w+::(?:st|db) \w+ failed:/ },
  { name: "mysql", pattern: /\bER_(?:DUP_ENTRY|NO_REFERENCED_ROW(?:_2)?|ROW_IS_REFERENCED(?:_2)?|BAD_NULL_ERROR|DATA_TOO_LONG|TRUNCATED_WRONG_VALUE\w*|NO_SUCH_TABLE|WRONG_VALUE\w*)\b|Duplicate entry '[^']*' for key '|a foreign key constraint fails \(|Data too long for column '[^']+' at row \d+|Incorrect \w+ value: '[^']*' for column '/ },
  { name: "sqlite", pattern: /\bSQLITE_(?:CONSTRAINT\w*|MISMATCH|RANGE|TOOBIG)\b|\b(?:UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed: \w+\.\w+|no such (?:table|column): \w+|\bD1_(?:ERROR|TYPE_ERROR|COLUMN_NOTFOUND)\b/ },
  { name: "sqlstate", pattern: /\bSQLSTATE\[[0-9A-Z]{5}\]|\bSQLSTATE[:=]\s*[0-9A-Z]{5}\b/ },
  { name: "knex", pattern: /Undefined binding\(s\) detected when compiling \w+|Empty \.update\(\) call detected/ },
  { name: "sql-statement", pattern: /\bINSERT INTO\s+[`"[]?[\w.]+[`"\]]?\s*\(|\bUPDATE\s+[`"[]?[\w.]+[`"\]]?\s+SET\s+[`"[]?\w+[`"\]]?\s*=|\bDELETE FROM\s+[`"[]?[\w.]+[`"\]]?\s+WHERE\b|\bSELECT\s+[^\n]{1,200}?\s+FROM\s+[`"[]?[\w.]+[`"\]]?(?:\s+\w+)?\s+(?:WHERE|ORDER BY|LIMIT|GROUP BY|(?:INNER |LEFT |RIGHT )?JOIN)\b/ },
  { name: "sql-statement", pattern: /\b(?:insert into|delete from|update) "[\w.]+"|\bselect [^\n]{1,200}? from "[\w.]+"/ },
];

/** Injection-only entries: loose enough for a payload's answer, not for any error answer. */
const PAYLOAD_ONLY = new Set(["generic"]);

/** Database errors in an answer to any input (error_disclosure): the engines' syntax errors and their messages about ordinary input. */
export const DATABASE_ERRORS: Signature[] = [...SQL_ERRORS.filter((s) => !PAYLOAD_ONLY.has(s.name) && !/Warning/.test(s.pattern.source)), ...ENGINE_MESSAGES];

/**
 * Stack traces and source locations, by runtime. `min`: frames needed (one JavaScript or Java
 * frame could be a quoted line; two in a row are a trace).
 */
export const STACK_TRACES: (Signature & { min: number })[] = [
  { name: "javascript", min: 2, pattern: /\bat (?:async )?(?:[\w$.<>[\]]+(?: \[as \w+\])? \()?(?:file:\/\/)?(?:\/|[A-Za-z]:\\|node:)[^\s()]*:\d+:\d+\)?/g },
  { name: "python", min: 1, pattern: /Traceback \(most recent call last\):[\s\S]{0,400}?File "[^"]+", line \d+/g },
  { name: "java", min: 2, pattern: /\bat (?:[A-Za-z_$][\w$]*\.){2,}[\w$<>]+\((?:[\w$]+\.(?:java|kt|scala|groovy):\d+|Native Method|Unknown Source)\)/g },
  { name: "dotnet", min: 1, pattern: /\bat [\w.`<>]+\([^)\n]*\) in [^\n]+:line \d+/g },
  { name: "php", min: 1, pattern: /#\d+ (?:\/|[A-Za-z]:\\)[^\n(]+\.php\(\d+\): |\bin (?:\/|[A-Za-z]:\\)[^\s<]+\.php(?:<\/b>)? on line (?:<b>)?\d+/g },
  { name: "ruby", min: 2, pattern: /[\w\/.-]+\.rb:\d+:in [`'][^'`\n]+'/g },
  { name: "perl", min: 1, pattern: /\bat (?:\/|[A-Za-z]:\\)[^\s]+\.p[lm] line \d+\b/g },
  { name: "go", min: 1, pattern: /goroutine \d+ \[running\]:/g },
];
