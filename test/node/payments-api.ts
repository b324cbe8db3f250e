/**
 * A small API whose payment body is a `oneOf` with a discriminator (card | bank transfer), each
 * branch closed and with its own required property. The buggy variant has two faults:
 *  - bank-refused: the valid `bank_transfer` branch is refused with 400 ("unsupported method");
 *  - card-crash: a card payment without its required `last4` is not refused but crashes (500).
 * The clean variant validates every branch as the spec says (400 naming the field).
 */
import http from "node:http";

export type Variant = "clean" | "buggy";

const json = (schema: unknown) => ({ "application/json": { schema } });
const problem = { description: "problem", content: json({ $ref: "#/components/schemas/Problem" }) };
const amount = { type: "integer", minimum: 1, maximum: 1_000_000 };

export const paymentsSpec = {
  openapi: "3.0.3",
  info: { title: "Payments API", version: "1.0.0" },
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    schemas: {
      Problem: { type: "object", properties: { title: { type: "string" } } },
      Invoice: { type: "object", required: ["id", "total", "paid"], properties: { id: { type: "integer", readOnly: true }, total: amount, paid: { type: "integer", minimum: 0, readOnly: true } } },
      NewInvoice: { type: "object", required: ["total"], additionalProperties: false, properties: { total: amount } },
      CardPayment: {
        type: "object",
        required: ["method", "amount", "last4"],
        additionalProperties: false,
        properties: { method: { type: "string", enum: ["card"] }, amount, last4: { type: "string", pattern: "^[0-9]{4}$", example: "4242" } },
      },
      BankTransferPayment: {
        type: "object",
        required: ["method", "amount", "iban"],
        additionalProperties: false,
        properties: { method: { type: "string", enum: ["bank_transfer"] }, amount, iban: { type: "string", pattern: "^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$", example: "DE89370400440532013000" }, reference: { type: "string", maxLength: 140 } },
      },
      PaymentInput: {
        oneOf: [{ $ref: "#/components/schemas/CardPayment" }, { $ref: "#/components/schemas/BankTransferPayment" }],
        discriminator: { propertyName: "method", mapping: { card: "#/components/schemas/CardPayment", bank_transfer: "#/components/schemas/BankTransferPayment" } },
      },
      Payment: { type: "object", required: ["id", "method", "amount"], properties: { id: { type: "integer" }, method: { type: "string", enum: ["card", "bank_transfer"] }, amount } },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    "/invoices": {
      post: {
        operationId: "createInvoice",
        requestBody: { required: true, content: json({ $ref: "#/components/schemas/NewInvoice" }) },
        responses: { "201": { description: "created", headers: { Location: { schema: { type: "string" } } }, content: json({ $ref: "#/components/schemas/Invoice" }) }, "400": problem, "401": problem },
      },
    },
    "/invoices/{id}": {
      get: {
        operationId: "getInvoice",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
        responses: { "200": { description: "the invoice", content: json({ $ref: "#/components/schemas/Invoice" }) }, "400": problem, "401": problem, "404": problem },
      },
    },
    "/invoices/{id}/payments": {
      post: {
        operationId: "payInvoice",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
        requestBody: { required: true, content: json({ $ref: "#/components/schemas/PaymentInput" }) },
        responses: { "201": { description: "recorded", content: json({ $ref: "#/components/schemas/Payment" }) }, "400": problem, "401": problem, "404": problem },
      },
    },
  },
};

export const PAYMENT_TOKENS = { alice: "alice-payments-token", bob: "bob-payments-token" };

const isInt = (v: unknown, min: number, max: number) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** Why a payment body is invalid, or undefined (the clean variant's reading of the spec). */
function paymentProblem(b: Record<string, unknown>, buggy: boolean): string | undefined {
  const branch = b.method === "card" ? { own: "last4", allowed: ["method", "amount", "last4"] } : b.method === "bank_transfer" ? { own: "iban", allowed: ["method", "amount", "iban", "reference"] } : undefined;
  if (!branch) return "method must be card or bank_transfer";
  if (Object.keys(b).some((k) => !branch.allowed.includes(k))) return `only ${branch.allowed.join(", ")} may be sent`;
  if (!isInt(b.amount, 1, 1_000_000)) return "amount must be an integer from 1 to 1000000";
  // FAULT card-crash: the buggy variant does not require last4 (and reads it below regardless)
  if (b.method === "card" && (buggy ? b.last4 !== undefined : true) && !(typeof b.last4 === "string" && /^[0-9]{4}$/.test(b.last4))) return "last4 must be four digits";
  if (b.method === "bank_transfer") {
    if (!(typeof b.iban === "string" && /^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/.test(b.iban))) return "iban is not an IBAN";
    if (b.reference !== undefined && !(typeof b.reference === "string" && b.reference.length <= 140)) return "reference must be text of at most 140 characters";
  }
  return undefined;
}

export async function startPaymentsApi(variant: Variant): Promise<{ url: string; close(): Promise<void> }> {
  const buggy = variant === "buggy";
  const invoices: { id: number; owner: string; total: number; paid: number }[] = [];
  let payments = 0;
  const users = new Map(Object.entries(PAYMENT_TOKENS).map(([user, token]) => [`Bearer ${token}`, user]));
  const view = (i: (typeof invoices)[number]) => ({ id: i.id, total: i.total, paid: i.paid });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      if (body === undefined) return void res.writeHead(status, headers).end();
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    };
    // an exception in the handler answers 500, as frameworks do
    req.on("end", () => {
      try {
        handle();
      } catch {
        send(500, { title: "Internal Server Error" });
      }
    });
    const handle = () => {
      const bad = (title: string) => send(400, { title });
      const parts = new URL(req.url ?? "/", "http://localhost").pathname.split("/").filter(Boolean);
      const allow = parts[0] !== "invoices" ? undefined : parts.length === 1 ? "POST" : parts.length === 2 ? "GET" : parts.length === 3 && parts[2] === "payments" ? "POST" : undefined;
      if (!allow) return send(404, { title: "Not Found" });
      if (req.method !== allow) return send(405, { title: "Method Not Allowed" }, { allow });
      const user = users.get(req.headers.authorization ?? "");
      if (!user) return send(401, { title: "Unauthorized" });
      let body: unknown;
      if (req.method === "POST") {
        if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) return bad("the body must be application/json");
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          return bad("the body must be JSON");
        }
        if (typeof body !== "object" || body === null || Array.isArray(body)) return bad("the body must be an object");
      }
      const b = body as Record<string, unknown>;
      if (parts.length === 1) {
        if (Object.keys(b).some((k) => k !== "total")) return bad("only total may be sent");
        if (!isInt(b.total, 1, 1_000_000)) return bad("total must be an integer from 1 to 1000000");
        const invoice = { id: invoices.length + 1, owner: user, total: b.total as number, paid: 0 };
        invoices.push(invoice);
        return send(201, view(invoice), { location: `/invoices/${invoice.id}` });
      }
      if (!/^[1-9]\d{0,8}$/.test(parts[1])) return bad("id must be a positive integer");
      const invoice = invoices.find((i) => i.id === Number(parts[1]) && i.owner === user);
      if (!invoice) return send(404, { title: "Not Found" });
      if (parts.length === 2) return send(200, view(invoice));
      const why = paymentProblem(b, buggy);
      if (why) return bad(why);
      // FAULT bank-refused
      if (buggy && b.method === "bank_transfer") return bad("unsupported payment method");
      if (b.method === "card") (b.last4 as string).slice(-4); // crashes on a card without last4 (buggy only gets here)
      invoice.paid += b.amount as number;
      return send(201, { id: ++payments, method: b.method, amount: b.amount });
    };
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
