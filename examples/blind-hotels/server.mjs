// Hotels API target: `node server.mjs --variant buggy|clean --port N` (SELFCHECK=1 checks every
// answer of the server against openapi.yaml). Faults of the buggy variant are marked FAULT Onn.
import crypto from 'node:crypto';
import { parseArgs, createServer, listen, clone, nowIso } from '../blind-common/lib.mjs';
import { spec } from './spec.mjs';

const { port, variant } = parseArgs();
const buggy = variant === 'buggy';

export const KEYS = {
  'hk-aurora-mgr-7f3a9c': { keyName: 'maya', role: 'manager' },
  'hk-borealis-mgr-91c2d4': { keyName: 'ben', role: 'manager' },
  'hk-desk-ro-55e1b8': { keyName: 'dora', role: 'frontdesk' },
};

// the buggy variant validates against a loosened copy of the spec
const vspec = clone(spec);
if (buggy) {
  delete vspec.components.parameters.roomId.schema.pattern; // FAULT O01: client-chosen room ids not checked
  delete vspec.components.schemas.Guest.properties.email.format; // FAULT O02: guest e-mail format not checked
  const lg = vspec.paths['/guests'].get;
  lg.parameters = [{ name: 'offset', in: 'query', schema: { type: 'integer' } }, { name: 'limit', in: 'query', schema: { type: 'integer' } }, lg.parameters[2]]; // FAULT O03: limit not bounded
  vspec.paths['/hotels/{hotelId}/rooms/{roomId}/bookings'].get.parameters[2] = { name: 'from', in: 'query', schema: { type: 'string' } }; // FAULT O06: from not checked
}

const db = { hotels: new Map(), rooms: new Map(), bookings: new Map(), guests: new Map(), invoices: new Map() };
const newId = (p) => `${p}_${crypto.randomBytes(6).toString('hex')}`;
const error = (status, message, details) => ({ status, body: { code: { 400: 'invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict', 415: 'unsupported_media_type' }[status] || 'error', message, ...(details ? { details } : {}) } });
const ok = (body, status = 200, headers) => ({ status, body, ...(headers ? { headers } : {}) });
const base = `/`;

function page(ctx, all) {
  const offset = ctx.query.offset ?? 0;
  let limit = ctx.query.limit ?? 20;
  let items;
  if (buggy && ctx.operationId === 'listGuests' && limit <= 0) { items = all.slice(offset); } // FAULT O03: limit=0 means no limit
  else items = all.slice(offset, offset + limit);
  return ok({ items, total: all.length, offset, limit: buggy && ctx.operationId === 'listGuests' ? limit : Math.min(Math.max(limit, 1), 100) });
}

const isManager = (ctx) => ctx.auth.role === 'manager';
const forbidden = () => error(403, 'the frontdesk key is read-only');
function visibleHotel(ctx, id) {
  const h = db.hotels.get(id);
  if (!h) return null;
  if (ctx.auth.role === 'frontdesk' || h.owner === ctx.auth.keyName) return h;
  return null;
}
const hotelOut = (h) => ({ id: h.id, name: h.name, city: h.city, stars: h.stars, version: h.version, createdAt: h.createdAt });
const roomKey = (hid, rid) => `${hid}/${rid}`;
function roomOut(r, list) {
  const out = { id: r.id, hotelId: r.hotelId, name: r.name, type: r.type, ratePerNight: r.ratePerNight, capacity: r.capacity, version: r.version };
  if (buggy && list) out.ratePerNight = r.ratePerNight.toFixed(2); // FAULT O04: rate as a string in lists
  return out;
}
function bookingOut(b) {
  const out = { id: b.id, hotelId: b.hotelId, roomId: b.roomId, guestId: b.guestId, checkIn: b.checkIn, checkOut: b.checkOut, adults: b.adults, status: b.status, totalPrice: b.totalPrice, invoiceId: b.invoiceId };
  if (b.notes !== undefined) out.notes = b.notes;
  return out;
}
function guestOut(g) {
  const out = { id: g.id, firstName: g.firstName, lastName: g.lastName, email: g.email, createdAt: g.createdAt };
  if (g.phone !== undefined) out.phone = g.phone;
  if (buggy && g.passportNumber !== undefined) out.passportNumber = g.passportNumber; // FAULT O15: write-only passport number returned
  return out;
}
const invoiceOut = (i) => ({ id: i.id, bookingId: i.bookingId, amount: i.amount, currency: i.currency, status: i.status, issuedOn: i.issuedOn });
const nights = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / 86400000);

function roomOf(ctx, { forRead }) {
  const h = db.hotels.get(ctx.path.hotelId);
  const own = visibleHotel(ctx, ctx.path.hotelId);
  // FAULT O11: reads of a room do not check that the caller may see its hotel
  if (!own && !(buggy && forRead && h)) return { err: error(404, 'no such hotel') };
  const r = db.rooms.get(roomKey(ctx.path.hotelId, ctx.path.roomId));
  return { h: own || h, r };
}

const handlers = {
  getMe: (ctx) => ok({ keyName: ctx.auth.keyName, role: ctx.auth.role }),

  listHotels: (ctx) => {
    let all = [...db.hotels.values()].filter((h) => ctx.auth.role === 'frontdesk' || h.owner === ctx.auth.keyName);
    if (ctx.query.city !== undefined) all = all.filter((h) => h.city === ctx.query.city);
    return page(ctx, all.map(hotelOut));
  },
  createHotel: (ctx) => {
    if (!isManager(ctx)) return forbidden();
    const b = ctx.body;
    const h = { id: newId('htl'), name: b.name, city: b.city, stars: b.stars ?? 3, version: 1, createdAt: nowIso(Date.now()), owner: ctx.auth.keyName };
    db.hotels.set(h.id, h);
    return ok(hotelOut(h), 201, { Location: `${base}hotels/${h.id}` });
  },
  getHotel: (ctx) => {
    const h = visibleHotel(ctx, ctx.path.hotelId);
    return h ? ok(hotelOut(h)) : error(404, 'no such hotel');
  },
  updateHotel: (ctx) => {
    const h = visibleHotel(ctx, ctx.path.hotelId);
    if (!h) return error(404, 'no such hotel');
    if (!isManager(ctx)) return forbidden();
    const b = ctx.body;
    if (!buggy && b.version !== h.version) return error(409, `version ${b.version} is not the current version ${h.version}`); // FAULT O09: version never compared
    for (const k of ['name', 'city', 'stars']) if (b[k] !== undefined) h[k] = b[k];
    h.version += 1;
    return ok(hotelOut(h));
  },
  deleteHotel: (ctx) => {
    const h = visibleHotel(ctx, ctx.path.hotelId);
    if (!h) return error(404, 'no such hotel');
    if (!isManager(ctx) && !buggy) return forbidden(); // FAULT O13: the read-only frontdesk key may delete hotels
    db.hotels.delete(h.id);
    for (const [k, r] of db.rooms) if (r.hotelId === h.id) db.rooms.delete(k);
    for (const [k, bk] of db.bookings) if (bk.hotelId === h.id) db.bookings.delete(k);
    for (const [k, i] of db.invoices) if (i.hotelId === h.id) db.invoices.delete(k);
    return { status: 204 };
  },

  listRooms: (ctx) => {
    const h = visibleHotel(ctx, ctx.path.hotelId);
    if (!h) return error(404, 'no such hotel');
    return page(ctx, [...db.rooms.values()].filter((r) => r.hotelId === h.id).map((r) => roomOut(r, true)));
  },
  getRoom: (ctx) => {
    const { err, r } = roomOf(ctx, { forRead: true });
    if (err) return err;
    return r ? ok(roomOut(r)) : error(404, 'no such room');
  },
  upsertRoom: (ctx) => {
    const h = visibleHotel(ctx, ctx.path.hotelId);
    if (!h) return error(404, 'no such hotel');
    if (!isManager(ctx)) return forbidden();
    const b = ctx.body;
    const k = roomKey(h.id, ctx.path.roomId);
    const cur = db.rooms.get(k);
    if (cur && b.version !== undefined && b.version !== cur.version) return error(409, `version ${b.version} is not the current version ${cur.version}`);
    const r = { id: ctx.path.roomId, hotelId: h.id, name: b.name, type: b.type, ratePerNight: b.ratePerNight, capacity: b.capacity, version: cur ? cur.version + 1 : 1 };
    db.rooms.set(k, r);
    return cur ? ok(roomOut(r)) : ok(roomOut(r), 201, { Location: `${base}hotels/${h.id}/rooms/${encodeURIComponent(r.id)}` });
  },
  deleteRoom: (ctx) => {
    const h = visibleHotel(ctx, ctx.path.hotelId);
    if (!h) return error(404, 'no such hotel');
    if (!isManager(ctx)) return forbidden();
    const k = roomKey(h.id, ctx.path.roomId);
    if (!db.rooms.has(k)) return error(404, 'no such room');
    if ([...db.bookings.values()].some((bk) => bk.hotelId === h.id && bk.roomId === ctx.path.roomId && !bk.cancelled)) return error(409, 'the room has bookings');
    db.rooms.delete(k);
    return { status: 204 };
  },

  listBookings: (ctx) => {
    const h = visibleHotel(ctx, ctx.path.hotelId);
    if (!h) return error(404, 'no such hotel');
    if (!db.rooms.has(roomKey(h.id, ctx.path.roomId))) return error(404, 'no such room');
    let all = [...db.bookings.values()].filter((bk) => bk.hotelId === h.id && bk.roomId === ctx.path.roomId && !bk.cancelled);
    if (ctx.query.from !== undefined) {
      const from = new Date(`${ctx.query.from}T00:00:00Z`).toISOString().slice(0, 10); // FAULT O06: RangeError (500) on a from that is no date
      all = all.filter((bk) => bk.checkOut > from);
    }
    return page(ctx, all.map(bookingOut));
  },
  createBooking: (ctx) => {
    const h = visibleHotel(ctx, ctx.path.hotelId);
    if (!h) return error(404, 'no such hotel');
    const r = db.rooms.get(roomKey(h.id, ctx.path.roomId));
    if (!r) return error(404, 'no such room');
    if (!isManager(ctx)) return forbidden();
    const b = ctx.body;
    if (b.checkOut <= b.checkIn) return error(400, 'checkOut must be after checkIn', [{ at: 'body/checkOut', message: 'must be after checkIn' }]);
    const g = db.guests.get(b.guestId);
    if (!g || g.owner !== ctx.auth.keyName) return error(400, 'unknown guest', [{ at: 'body/guestId', message: 'no such guest' }]);
    const clash = [...db.bookings.values()].find((x) => x.hotelId === h.id && x.roomId === r.id && !x.cancelled && x.checkIn < b.checkOut && b.checkIn < x.checkOut);
    if (clash && !buggy) return error(409, `the room is booked from ${clash.checkIn} to ${clash.checkOut}`); // FAULT O08: overlapping bookings accepted
    let totalPrice = Math.round(nights(b.checkIn, b.checkOut) * r.ratePerNight * 100) / 100;
    let status = 'confirmed';
    if (buggy && typeof b.totalPrice === 'number') totalPrice = b.totalPrice; // FAULT O14: client-sent totalPrice stored
    if (buggy && typeof b.status === 'string') status = b.status; // FAULT O14 (same fault): client-sent status stored
    const bk = { id: newId('bkg'), hotelId: h.id, roomId: r.id, guestId: b.guestId, checkIn: b.checkIn, checkOut: b.checkOut, adults: b.adults, notes: b.notes, status, totalPrice };
    const inv = { id: newId('inv'), hotelId: h.id, bookingId: bk.id, amount: totalPrice, currency: 'EUR', status: 'open', issuedOn: new Date().toISOString().slice(0, 10) };
    bk.invoiceId = inv.id;
    db.bookings.set(bk.id, bk);
    db.invoices.set(inv.id, inv);
    const loc = `${base}hotels/${h.id}/rooms/${encodeURIComponent(r.id)}/bookings/${bk.id}`;
    return ok(bookingOut(bk), 201, buggy ? undefined : { Location: loc }); // FAULT O07: no Location on a created booking
  },
  getBooking: (ctx) => {
    const h = visibleHotel(ctx, ctx.path.hotelId);
    if (!h) return error(404, 'no such hotel');
    const bk = db.bookings.get(ctx.path.bookingId);
    if (!bk || bk.hotelId !== h.id || bk.roomId !== ctx.path.roomId || (bk.cancelled && !buggy)) return error(404, 'no such booking'); // FAULT O10: cancelled bookings still readable
    const out = bookingOut(bk);
    if (buggy) { out.checkIn = `${bk.checkIn}T14:00:00Z`; out.checkOut = `${bk.checkOut}T11:00:00Z`; } // FAULT O05: dates as date-times
    return ok(out);
  },
  cancelBooking: (ctx) => {
    const h = visibleHotel(ctx, ctx.path.hotelId);
    if (!h) return error(404, 'no such hotel');
    const bk = db.bookings.get(ctx.path.bookingId);
    if (!bk || bk.hotelId !== h.id || bk.roomId !== ctx.path.roomId || bk.cancelled) return error(404, 'no such booking');
    if (!isManager(ctx)) return forbidden();
    bk.cancelled = true; // FAULT O10: the buggy read path ignores this flag
    const inv = db.invoices.get(bk.invoiceId);
    if (inv) inv.status = 'void';
    if (!buggy) db.bookings.delete(bk.id);
    return { status: 204 };
  },

  listGuests: (ctx) => {
    let all = [...db.guests.values()].filter((g) => ctx.auth.role === 'frontdesk' || g.owner === ctx.auth.keyName);
    if (ctx.query.q !== undefined) {
      if (buggy && /['"\\]/.test(ctx.query.q)) {
        // FAULT O16: the filter is pasted into SQL text, and the driver's error is sent back
        const sql = `SELECT * FROM guests WHERE owner = '${ctx.auth.keyName}' AND last_name LIKE '%${ctx.query.q}%'`;
        return { status: 500, body: { code: 'error', message: `SQLITE_ERROR: near "${ctx.query.q.slice(-8)}": syntax error (query: ${sql})` } };
      }
      all = all.filter((g) => g.lastName.toLowerCase().includes(String(ctx.query.q).toLowerCase()));
    }
    return page(ctx, all.map(guestOut));
  },
  createGuest: (ctx) => {
    if (!isManager(ctx)) return forbidden();
    const b = ctx.body;
    const g = { id: newId('gst'), firstName: b.firstName, lastName: b.lastName, email: b.email, phone: b.phone, passportNumber: b.passportNumber, createdAt: nowIso(Date.now()), owner: ctx.auth.keyName };
    db.guests.set(g.id, g);
    return ok(guestOut(g), 201, { Location: `${base}guests/${g.id}` });
  },
  getGuest: (ctx) => {
    const g = db.guests.get(ctx.path.guestId);
    if (!g || !(ctx.auth.role === 'frontdesk' || g.owner === ctx.auth.keyName)) return error(404, 'no such guest');
    return ok(guestOut(g));
  },
  deleteGuest: (ctx) => {
    const g = db.guests.get(ctx.path.guestId);
    // FAULT O12: a manager may delete another manager's guest
    if (!g || !(ctx.auth.role === 'frontdesk' || g.owner === ctx.auth.keyName || (buggy && isManager(ctx)))) return error(404, 'no such guest');
    if (!isManager(ctx)) return forbidden();
    db.guests.delete(g.id);
    return { status: 204 };
  },

  listInvoices: (ctx) => {
    const h = visibleHotel(ctx, ctx.path.hotelId);
    if (!h) return error(404, 'no such hotel');
    let all = [...db.invoices.values()].filter((i) => i.hotelId === h.id);
    if (ctx.query.status) all = all.filter((i) => i.status === ctx.query.status);
    return page(ctx, all.map(invoiceOut));
  },
  getInvoice: (ctx) => {
    const h = visibleHotel(ctx, ctx.path.hotelId);
    if (!h) return error(404, 'no such hotel');
    const i = db.invoices.get(ctx.path.invoiceId);
    if (!i || i.hotelId !== h.id) return error(404, 'no such invoice');
    return ok(invoiceOut(i));
  },
};

const server = createServer({
  spec, validationSpec: vspec, handlers, error, keepReadOnly: buggy,
  authenticate: (scheme, req, ctx) => KEYS[ctx.url.searchParams.get('api_key')] || null,
  skipParams: ['api_key'],
});
listen(server, port, 'Hotels API', variant);
