// The sale page: lists the products from /secinfo, counts down to each start on the server's
// clock, buys with one click and tells the buyer what happened in plain words.
//
// No framework and no build step: the proxy serves this file as it is, and the page works
// offline. Credentials travel in the user_id and token cookies (README, HTTP API), so requests
// carry only the product id.
'use strict';

const REFRESH_MS = 1000;  // stock left and sale state, live
const TICK_MS = 200;      // countdowns and the moment the button unlocks
const RESULT_DELAYS_MS = [500, 1000, 2000, 4000, 8000];  // /result polling after a 5004
const RESULT_GIVE_UP_MS = 60000;
// A 5004 means the deadline passed: from then on the request can no longer become an order
// (a request past its deadline never becomes a purchase). "No order" is trusted only a little after
// it, so that a decision taken right at the deadline has certainly been recorded.
const NO_ORDER_FINAL_AFTER_MS = 3000;

const page = {
  offsetMs: 0,  // server clock minus this device's clock
  bestRoundTripMs: Infinity,
  offsetTakenAt: 0,
  products: new Map(),  // id -> product from /secinfo
  cards: new Map(),     // id -> card elements
  inFlight: new Set(),  // product ids with a purchase or a lookup under way
  demoLogin: false,
  demoPay: false,     // the shop takes demo payments (POST /demo/pay)
  orders: new Map(),  // product id -> the user's first order {order_id, state, pay_by_ms}
  held: new Map(),    // product id -> the user's orders there, [{order_id, state, pay_by_ms}]
  reachable: true,    // the last /secinfo answered: while not, nothing can be bought
  paying: new Set(),  // product ids with a payment under way
  user: null,         // the signed-in user id, as text
  // product id -> promise of the user's solved challenge {nonce, proof}, or {answer} when the
  // shop would not hand one out (README, HTTP API: Challenges)
  challenges: new Map(),
  challengeRetryAt: new Map(),  // product id -> when a failed prefetch may be tried again
  // product id -> where the user stands on its reservation list, from /reserve:
  // {reserved, listed, drawn} with drawn true or false once the draw is made, else undefined
  reservations: new Map(),
  reservationLookedUp: new Map(),  // product id -> "<user>:<phase>" last looked up
  reserving: new Set(),            // product ids with a reservation under way
  reservationNotes: new Map(),     // product id -> {kind, text} of the last failed reservation
};

const $ = (id) => document.getElementById(id);

function serverNow() { return Date.now() + page.offsetMs; }

function readCookie(name) {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

function writeCookie(name, value, maxAgeSeconds) {
  document.cookie =
      `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${maxAgeSeconds}; SameSite=Strict`;
}

async function api(path, options = {}) {
  const response = await fetch(path, {credentials: 'same-origin', cache: 'no-store', ...options});
  const body = await response.json();
  if (typeof body.code !== 'number') throw new Error(`unexpected answer from ${path}`);
  return body;
}

function postForm(path, fields) {
  return api(path, {
    method: 'POST',
    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams(fields).toString(),
  });
}

function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

// ---- what each answer means to a buyer ----

const ANSWERS = {
  0: {kind: 'success', text: (d) => `You got it! Order ${d.order_id}.`},
  1001: {
    kind: 'soldout',
    text: (d) => d && d.left > 0 ? `Only ${d.left} left: choose fewer units and try again.` :
                                   'Sold out: every unit has gone.',
  },
  1002: {kind: 'info', text: (d) => `You already bought this (order ${d.order_id}).`},
  1003: {kind: 'info', text: () => 'Not started yet: the button unlocks at the start.'},
  1004: {kind: 'info', text: () => 'This sale has ended.'},
  1005: {
    kind: 'warn',
    text: (d) => d.draw === 'lost' ?
        'Not drawn this time: this sale lets only a share of tries through. Try again.' :
        'So many buyers right now: try again in a moment.',
  },
  1006: {kind: 'info', text: () => 'No order: this one did not go through. Try again.'},
  1007: {kind: 'warn', text: () => 'The sale is paused by the shop. Hold on and try again.'},
  1008: {
    kind: 'info',
    text: () => 'This sale sells only to the buyers on its reservation list (and, with a ' +
        'draw, only to those drawn).',
  },
  4000: {kind: 'error', text: (d, m) => `The request was not understood: ${m}.`},
  4001: {
    kind: 'error',
    text: (d, m) => m === 'token expired' ? 'Your sign-in has expired. Please sign in again.' :
                                            'Your sign-in is not valid. Please sign in again.',
  },
  4003: {kind: 'error', text: () => 'This account or network may not take part in the sale.'},
  4004: {kind: 'error', text: () => 'This product is not on sale.'},
  4005: {kind: 'warn', text: () => 'The shop could not check this try: please try again.'},
  4029: {kind: 'warn', text: () => 'Too many tries: wait a second, then try again.'},
  5003: {kind: 'warn', text: () => 'The shop is very busy: try again.'},
  5004: {kind: 'pending', text: () => 'Still deciding: checking your order…'},
  // Not the shop's: /result never said in time whether the order went through.
  '-1': {
    kind: 'warn',
    text: () => 'We could not confirm your order yet. Reload the page in a minute to check.',
  },
};

function describe(body) {
  const answer = ANSWERS[body.code];
  if (!answer) return {kind: 'error', text: `Unexpected answer (${body.code}): ${body.message}`};
  return {kind: answer.kind, text: answer.text(body.data || {}, body.message)};
}

function showOutcome(productId, code, kind, text) {
  const card = page.cards.get(productId);
  if (!card) return;
  card.outcome.textContent = text;
  card.outcome.dataset.kind = kind;
  card.outcome.dataset.code = String(code);
}

function showBanner(text) {
  $('banner').hidden = !text;
  $('banner').textContent = text || '';
}

// ---- products, state and countdowns ----

function saleState(product, now) {
  if (product.state === 'paused') return 'paused';
  if (now >= product.end_ms) return 'ended';
  if (product.left <= 0 || product.state === 'sold_out') return 'sold_out';
  if (now < product.start_ms) return 'upcoming';
  return 'active';
}

const STATE_LABELS = {
  upcoming: 'Starts soon',
  active: 'On sale',
  sold_out: 'Sold out',
  ended: 'Ended',
  paused: 'Paused',
};

function formatDuration(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86400);
  const clock = [Math.floor(total / 3600) % 24, Math.floor(total / 60) % 60, total % 60]
                    .map((n) => String(n).padStart(2, '0'))
                    .join(':');
  return days > 0 ? `${days}d ${clock}` : clock;
}

// The time left to pay: mm:ss, or h:mm:ss past an hour.
function formatTimeLeft(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = String(Math.floor(total / 60) % 60).padStart(2, '0');
  const seconds = String(total % 60).padStart(2, '0');
  return total >= 3600 ? `${Math.floor(total / 3600)}:${minutes}:${seconds}` :
                         `${minutes}:${seconds}`;
}

// A price in minor units as the shopper's locale writes it ("¥3,999.00", "3.999,00 €").
// `units` of it: the total of an order of several.
function formatPrice(product, units = 1) {
  if (!product.currency || !product.price) return '';
  try {
    const format =
        new Intl.NumberFormat(undefined, {style: 'currency', currency: product.currency});
    const digits = format.resolvedOptions().maximumFractionDigits;
    return format.format((product.price * units) / 10 ** digits);
  } catch (error) {
    return `${product.price * units} ${product.currency}`;  // a code the browser does not know
  }
}

// What the user's order of a product says now: awaiting payment (with the time left), paid,
// expired or cancelled.
function renderOrder(product, card, now) {
  const order = page.orders.get(product.id);
  const pending = order && order.state === 'pending_payment';
  const ended = order && (order.state === 'expired' || order.state === 'cancelled');
  card.payment.hidden = !order || !(pending || order.state === 'paid' || ended);
  if (card.payment.hidden) return;
  card.pay.hidden = !(pending && page.demoPay);
  card.pay.disabled = page.paying.has(product.id);
  const total = formatPrice(product, order.quantity);
  card.pay.textContent = page.paying.has(product.id) ? 'Paying…' : `Pay ${total}`;
  if (pending && order.pay_by_ms > now) {
    card.payBy.dataset.kind = 'pending';
    card.payBy.textContent = `Order ${order.order_id}: pay ${total} within ` +
        `${formatTimeLeft(order.pay_by_ms - now)}, or it expires and goes back on sale.`;
  } else if (pending) {
    card.payBy.dataset.kind = 'warn';
    card.payBy.textContent = `Order ${order.order_id}: the time to pay is up.`;
    if (!page.inFlight.has(product.id)) refreshOrder(product.id);  // the shop says expired
  } else if (order.state === 'paid') {
    card.payBy.dataset.kind = 'success';
    card.payBy.textContent = `Order ${order.order_id} is paid. Thank you!`;
  } else {
    // "You got it!" is no longer true: the order ended unpaid.
    if (card.outcome.dataset.code === '0') showOutcome(product.id, '', '', '');
    card.payBy.dataset.kind = 'info';
    card.payBy.textContent = `Order ${order.order_id} ${
        order.state === 'expired' ?
            'expired unpaid' :
            'was cancelled'}: ${order.quantity > 1 ? 'its units' : 'its unit'} went back on sale.`;
  }
}

// The units of the user's orders of a product that hold them (awaiting payment, paid or
// confirmed).
function unitsHeld(productId) {
  const orders = page.held.get(productId) || [];
  return orders.filter((o) => ['pending_payment', 'paid', 'confirmed'].includes(o.state))
      .reduce((units, o) => units + (o.quantity || 1), 0);
}

const ORDER_STATE_WORDS = {
  pending_payment: 'awaiting payment',
  paid: 'paid',
  confirmed: 'confirmed',
  expired: 'expired',
  cancelled: 'cancelled',
};

function cardFor(product) {
  let card = page.cards.get(product.id);
  if (card) return card;
  const root = $('product-card').content.firstElementChild.cloneNode(true);
  root.dataset.product = String(product.id);
  card = {
    root,
    name: root.querySelector('.name'),
    state: root.querySelector('.state'),
    fill: root.querySelector('.fill'),
    left: root.querySelector('.left'),
    countdown: root.querySelector('.countdown'),
    buy: root.querySelector('.buy'),
    quantityField: root.querySelector('.quantity-field'),
    quantity: root.querySelector('.quantity'),
    outcome: root.querySelector('.outcome'),
    price: root.querySelector('.price'),
    payment: root.querySelector('.payment'),
    payBy: root.querySelector('.pay-by'),
    pay: root.querySelector('.pay'),
    orderList: root.querySelector('.orders'),
    picture: root.querySelector('.picture'),
    description: root.querySelector('.description'),
    reservation: root.querySelector('.reservation'),
    reservationState: root.querySelector('.reservation-state'),
    reserve: root.querySelector('.reserve'),
    reservationOutcome: root.querySelector('.reservation-outcome'),
  };
  card.buy.addEventListener('click', () => buy(product.id));
  card.reserve.addEventListener('click', () => reserve(product.id));
  card.pay.addEventListener('click', () => pay(product.id));
  page.cards.set(product.id, card);
  $('products').append(root);
  return card;
}

function render() {
  const now = serverNow();
  prefetchChallenges(now);
  for (const product of page.products.values()) {
    const card = cardFor(product);
    const state = saleState(product, now);
    card.root.dataset.state = state;
    card.name.textContent = product.name;
    card.price.textContent = formatPrice(product);
    card.description.hidden = !product.description;
    card.description.textContent = product.description || '';
    // Set only when it changes: a new src makes the browser fetch the picture again.
    const picture = product.image_url || '';
    if (card.picture.dataset.src !== picture) {
      card.picture.dataset.src = picture;
      card.picture.hidden = !picture;
      if (picture) card.picture.src = picture;
      card.picture.alt = product.name;
    }
    card.state.textContent = STATE_LABELS[state];
    card.left.textContent = `${product.left} of ${product.total} left`;
    card.fill.style.width = `${product.total > 0 ? (100 * product.left) / product.total : 0}%`;
    if (state === 'upcoming') {
      // The start in the shopper's own time zone, beside the countdown on the shop's clock.
      const at = new Date(product.start_ms).toLocaleString(undefined, {
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        month: 'short',
        day: 'numeric',
      });
      card.countdown.textContent = `Starts in ${formatDuration(product.start_ms - now)} (${at})`;
    } else if (state === 'active' && product.end_ms - now < 2 * 86400 * 1000) {
      card.countdown.textContent = `Ends in ${formatDuration(product.end_ms - now)}`;
    } else if (state === 'active') {
      card.countdown.textContent = `On sale until ${new Date(product.end_ms).toLocaleDateString()}`;
    } else {
      card.countdown.textContent = '';
    }
    const busy = page.inFlight.has(product.id);
    const limit = product.per_user_limit || 1;
    const bought = page.user !== null && unitsHeld(product.id) >= limit;
    const unlisted = renderReservation(product, card, now);
    card.buy.disabled = state !== 'active' || busy || page.user === null || bought ||
        !page.reachable || unlisted !== '';
    // Several units at once where a user may hold more than one: at most what is still allowed.
    const allowed = Math.max(1, limit - (page.user === null ? 0 : unitsHeld(product.id)));
    card.quantityField.hidden = limit <= 1 || bought;
    card.quantity.max = String(allowed);
    card.quantity.disabled = card.buy.disabled;
    if (Number(card.quantity.value) > allowed) card.quantity.value = String(allowed);
    card.buy.textContent = busy ? 'Buying…' :
        bought                  ? 'Bought' :
        unlisted !== ''         ? unlisted :
        state === 'sold_out'    ? 'Sold out' :
        state === 'ended'       ? 'Ended' :
        page.user === null      ? 'Sign in to buy' :
                                  'Buy now';
    // With more than one unit per user, every order is listed.
    const orders = page.held.get(product.id) || [];
    card.orderList.hidden = limit <= 1 || orders.length === 0;
    card.orderList.textContent = 'Your orders: ' +
        orders
            .map(
                (o) => `${o.order_id}${o.quantity > 1 ? ` ×${o.quantity}` : ''} (${
                    ORDER_STATE_WORDS[o.state] || o.state})`)
            .join(', ');
    renderOrder(product, card, now);
  }
  $('no-products').hidden = page.products.size > 0;
}

async function refreshProducts() {
  const sent = Date.now();
  try {
    const body = await api('/secinfo');
    const received = Date.now();
    if (body.code !== 0) throw new Error(body.message);
    // The server's clock, read at about the middle of the round trip. The fastest round trip
    // seen gives the best estimate; a fresh one is taken every minute in case a clock moved.
    const roundTrip = received - sent;
    if (roundTrip <= page.bestRoundTripMs || received - page.offsetTakenAt > 60000) {
      page.bestRoundTripMs = roundTrip;
      page.offsetTakenAt = received;
      page.offsetMs = body.data.now_ms - (sent + roundTrip / 2);
    }
    for (const product of body.data.products) page.products.set(product.id, product);
    page.reachable = true;
    showBanner('');
  } catch (error) {
    page.reachable = false;
    showBanner('Cannot reach the shop right now: retrying…');
  }
  render();
}

// ---- reservations ----

// The reservation's phase now, on the shop's clock: upcoming, open, closed (the draw, if any,
// still to come) or drawn; null for a sale that takes none.
function reservationPhase(reservation, now) {
  if (!reservation) return null;
  if (reservation.state === 'drawn') return 'drawn';
  if (now < reservation.opens_ms) return 'upcoming';
  if (now < reservation.closes_ms) return 'open';
  return 'closed';
}

function describeReservationRules(reservation) {
  return reservation.draw > 0 ? `At the close ${reservation.draw} ${
                                    reservation.draw === 1 ?
                                        'buyer is' :
                                        'buyers are'} drawn from the list; only they may buy.` :
                                'Only buyers on the list may buy.';
}

// Shows the product's reservation and the user's place on it. Returns why the user may not buy
// (the Buy button's words), or '' when nothing on the list stands in the way.
function renderReservation(product, card, now) {
  const reservation = product.reservation;
  const phase = reservationPhase(reservation, now);
  card.reservation.hidden = phase === null;
  if (phase === null) return '';
  lookUpReservationOnce(product.id, phase);
  const status = page.user === null ? undefined : page.reservations.get(product.id);
  if (phase === 'upcoming') {
    card.reservationState.textContent = `Reservations open in ${
        formatDuration(reservation.opens_ms - now)}. ${describeReservationRules(reservation)}`;
  } else if (phase === 'open') {
    card.reservationState.textContent =
        `Reservations close in ${formatDuration(reservation.closes_ms - now)}: ${
            reservation.reserved} reserved so far. ${describeReservationRules(reservation)}`;
  } else if (phase === 'closed') {
    card.reservationState.textContent = reservation.draw > 0 ?
        `Reservations closed: drawing ${reservation.draw} of ${reservation.reserved}…` :
        `Reservations closed: ${reservation.reserved} on the list.`;
  } else {
    card.reservationState.textContent =
        `Drawn: ${reservation.drawn} of ${reservation.reserved} reserved may buy. `;
    // The seed is published so that anyone holding the list can redo the draw.
    const seed = document.createElement('span');
    seed.className = 'seed';
    card.reservationState.append(seed);
    seed.textContent = `Draw seed ${reservation.seed}`;
  }
  const reserving = page.reserving.has(product.id);
  const reserved = status !== undefined && status.reserved;
  card.reserve.hidden = phase !== 'upcoming' && phase !== 'open';
  card.reserve.disabled = phase !== 'open' || page.user === null || reserved || reserving ||
      !page.reachable || status === undefined;
  card.reserve.textContent = reserving ? 'Reserving…' :
      reserved                         ? 'Reserved' :
      page.user === null               ? 'Sign in to reserve' :
                                         'Reserve';
  const note = page.reservationNotes.get(product.id);
  let outcome = {kind: '', text: ''};
  if (note) {
    outcome = note;
  } else if (status !== undefined && !reserved && (phase === 'closed' || phase === 'drawn')) {
    outcome = {kind: 'info', text: 'You did not reserve: this sale sells only to those who did.'};
  } else if (status !== undefined && status.drawn === true) {
    outcome = {kind: 'success', text: 'You were drawn: you may buy.'};
  } else if (status !== undefined && status.drawn === false) {
    outcome = {kind: 'warn', text: 'Not drawn this time: this sale sells only to those drawn.'};
  } else if (reserved) {
    outcome = {
      kind: 'success',
      text: reservation.draw > 0 ? 'You are on the list: the draw is at the close.' :
                                   'You are on the list: you may buy at the start.',
    };
  }
  card.reservationOutcome.textContent = outcome.text;
  card.reservationOutcome.dataset.kind = outcome.kind;
  if (status === undefined) return '';  // not known yet: the shop decides (1008)
  if (!status.reserved && phase !== 'upcoming' && phase !== 'open') return 'Reserved buyers only';
  if (status.drawn === false) return 'Not drawn';
  return '';
}

function reservationStatus(data) {
  return {reserved: data.reserved === true, listed: data.listed, drawn: data.drawn};
}

// Asks /reserve where the user stands once per user and phase: after sign-in, and again when
// the list closes and when the draw is made.
function lookUpReservationOnce(productId, phase) {
  if (page.user === null) return;
  const key = `${page.user}:${phase}`;
  if (page.reservationLookedUp.get(productId) === key) return;
  page.reservationLookedUp.set(productId, key);
  (async () => {
    try {
      const body = await api(`/reserve?product_id=${encodeURIComponent(productId)}`);
      if (body.code !== 0) throw new Error(body.message);
      if (`${page.user}:${phase}` === key) {
        page.reservations.set(productId, reservationStatus(body.data));
      }
    } catch (error) {
      // Asked again a little later.
      setTimeout(() => {
        if (page.reservationLookedUp.get(productId) === key) {
          page.reservationLookedUp.delete(productId);
        }
      }, 2000);
    }
    render();
  })();
}

const RESERVATION_REFUSALS = {
  1003: {kind: 'info', text: 'Reservations are not open yet.'},
  1004: {kind: 'info', text: 'Reservations have closed.'},
  5003: {kind: 'warn', text: 'The shop is very busy: try again.'},
};

/// Puts the user on the product's reservation list (POST /reserve).
async function reserve(productId) {
  if (page.reserving.has(productId) || page.user === null) return;
  page.reserving.add(productId);
  page.reservationNotes.delete(productId);
  render();
  try {
    let body;
    try {
      body = await postForm('/reserve', {product_id: productId});
    } catch (error) {
      // Reserving again is harmless: the user can simply try again.
      body = {code: 5003, message: 'connection lost', data: {}};
    }
    if (body.code === 0) {
      page.reservations.set(productId, reservationStatus(body.data));
    } else {
      page.reservationNotes.set(productId, RESERVATION_REFUSALS[body.code] || describe(body));
    }
    if (body.code === 4001) signOut();
  } finally {
    page.reserving.delete(productId);
    render();
  }
}

// ---- challenges ----

// Solves a proof of work in a Web Worker, so the page stays responsive meanwhile.
function solveInWorker(nonce, bits) {
  return new Promise((resolve, reject) => {
    const worker = new Worker('pow-worker.js');
    worker.onmessage = (event) => {
      worker.terminate();
      resolve(event.data.proof);
    };
    worker.onerror = (error) => {
      worker.terminate();
      reject(error);
    };
    worker.postMessage({nonce, bits});
  });
}

// The user's challenge of a product that asks for one, fetched (and its puzzle solved) once;
// null for a product that asks for none.
function challengeFor(productId) {
  const product = page.products.get(productId);
  if (!product || !product.challenge || page.user === null) return null;
  let pending = page.challenges.get(productId);
  if (pending) return pending;
  pending = (async () => {
    const body = await api(`/challenge?product_id=${encodeURIComponent(productId)}`);
    if (body.code !== 0 || !body.data.nonce) return {answer: body};
    const proof =
        body.data.pow_bits > 0 ? await solveInWorker(body.data.nonce, body.data.pow_bits) : '';
    return {nonce: body.data.nonce, proof};
  })();
  // Not kept when it failed: the next try asks again (a prefetch only after a pause).
  const forget = () => {
    page.challenges.delete(productId);
    page.challengeRetryAt.set(productId, Date.now() + 2000);
  };
  pending.then((c) => {
    if (c.answer) forget();
  }, forget);
  page.challenges.set(productId, pending);
  return pending;
}

// From the moment the shop hands challenges out, the page gets the user's and solves it ahead
// of the click.
function prefetchChallenges(now) {
  if (page.user === null) return;
  for (const product of page.products.values()) {
    if (!product.challenge || page.challenges.has(product.id)) continue;
    if ((page.challengeRetryAt.get(product.id) || 0) > Date.now()) continue;
    if (now >= product.start_ms - (product.challenge_lead_ms || 0) && now < product.end_ms) {
      challengeFor(product.id);
    }
  }
}

// ---- buying ----

async function buy(productId) {
  if (page.inFlight.has(productId) || page.user === null) return;  // no double submits
  page.inFlight.add(productId);
  render();
  showOutcome(productId, '', 'pending', 'Sending your order…');
  try {
    let body;
    try {
      const fields = {product_id: productId};
      const pending = challengeFor(productId);
      if (pending) {
        showOutcome(productId, '', 'pending', 'Getting ready…');
        const challenge = await pending;
        if (challenge.answer) throw {answer: challenge.answer};
        fields.nonce = challenge.nonce;
        if (challenge.proof) fields.proof = challenge.proof;
        showOutcome(productId, '', 'pending', 'Sending your order…');
      }
      const units = Math.floor(Number(page.cards.get(productId).quantity.value));
      if (units > 1) fields.quantity = units;
      body = await postForm('/seckill', fields);
    } catch (error) {
      // The request may or may not have reached the shop: find out rather than guess. (A
      // challenge the shop would not hand out is its answer: nothing was sent.)
      body =
          error && error.answer ? error.answer : {code: 5004, message: 'connection lost', data: {}};
    }
    if (body.code === 4005) page.challenges.delete(productId);  // the window moved: ask again
    const undecided = body.code === 5004;
    if (undecided) {
      showOutcome(productId, 5004, 'pending', describe(body).text);
      body = await awaitResult(productId);
    }
    const {kind, text} = describe(body);
    const held = page.held.get(productId) || [];
    if (body.code !== 0 && body.code !== 1002 && unitsHeld(productId) > 0) {
      // A later attempt that failed never hides the order the user won.
      const ids = held.map((o) => o.order_id).join(', ');
      showOutcome(productId, 0, 'success', `You hold order ${ids}. This try: ${text}`);
    } else if (undecided && body.code === 1006) {
      showOutcome(
          productId, 1006, 'warn',
          'The shop could not decide in time, so no order was made. Try again.');
    } else {
      showOutcome(productId, body.code, kind, text);
    }
    if (body.code === 4001) {
      signOut();
      $('sign-in-message').textContent = body.message === 'token expired' ?
          'Your sign-in has expired: sign in again.' :
          'The shop did not accept your sign-in: sign in again.';
    }
    if (body.code === 0 || body.code === 1002) await refreshOrder(productId);
  } finally {
    page.inFlight.delete(productId);
    render();
    refreshProducts();
  }
}

/// Reads the user's order of a product (its state and pay-by time) from /result.
async function refreshOrder(productId) {
  if (page.user === null) return;
  try {
    const body = await api(`/result?product_id=${encodeURIComponent(productId)}`);
    if (body.code === 0) {
      page.orders.set(productId, {
        order_id: body.data.order_id,
        state: body.data.state || '',
        pay_by_ms: body.data.pay_by_ms || 0,
        quantity: body.data.quantity || 1,
      });
      page.held.set(productId, body.data.orders || []);
    } else if (body.code === 1006) {
      page.orders.delete(productId);
      page.held.delete(productId);
    }
  } catch (error) {
    // The refresh loop reports an unreachable shop.
  }
  render();
}

/// Demo mode: pays the user's pending order as a payment provider would (POST /demo/pay).
async function pay(productId) {
  const order = page.orders.get(productId);
  if (!order || page.paying.has(productId)) return;
  page.paying.add(productId);
  render();
  try {
    const body = await postForm(
        '/demo/pay',
        {product_id: productId, order_id: order.order_id, quantity: order.quantity || 1});
    if (body.code !== 0) showOutcome(productId, body.code, 'error', describe(body).text);
  } catch (error) {
    showOutcome(productId, '', 'warn', 'The payment may not have reached the shop: checking…');
  } finally {
    page.paying.delete(productId);
    await refreshOrder(productId);
  }
}

/// Polls /result with growing pauses until it says whether the user holds an order.
async function awaitResult(productId) {
  const since = Date.now();
  for (let attempt = 0; Date.now() - since < RESULT_GIVE_UP_MS; ++attempt) {
    await sleep(RESULT_DELAYS_MS[Math.min(attempt, RESULT_DELAYS_MS.length - 1)]);
    let body;
    try {
      body = await api(`/result?product_id=${encodeURIComponent(productId)}`);
    } catch (error) {
      continue;  // the shop is unreachable for now: ask again later
    }
    if (body.code === 0) return body;
    if (body.code === 1006 && Date.now() - since >= NO_ORDER_FINAL_AFTER_MS) return body;
    if (body.code === 4001 || body.code === 4003 || body.code === 4004) return body;
  }
  return {code: -1, message: 'unknown', data: {}};
}

/// After sign-in or a reload: shows the orders the user already holds.
async function showExistingOrders() {
  for (const productId of page.products.keys()) {
    try {
      const body = await api(`/result?product_id=${encodeURIComponent(productId)}`);
      if (body.code === 0) {
        showOutcome(productId, 1002, 'success', `You hold order ${body.data.order_id}.`);
        await refreshOrder(productId);
      }
    } catch (error) {
      return;  // the refresh loop reports an unreachable shop
    }
  }
}

// ---- sign-in ----

function showSignedIn() {
  page.user = readCookie('user_id');
  const signedIn = page.user !== null && /^[0-9]+$/.test(page.user);
  if (!signedIn) page.user = null;
  $('signed-in').hidden = !signedIn;
  $('sign-in').hidden = signedIn;
  $('token-field').hidden = page.demoLogin;
  $('user-name').textContent = page.user || '';
  render();
}

function signOut() {
  page.challenges.clear();
  page.reservations.clear();
  page.reservationLookedUp.clear();
  page.reservationNotes.clear();
  writeCookie('user_id', '', 0);
  if (!page.demoLogin) writeCookie('token', '', 0);
  for (const productId of page.cards.keys()) showOutcome(productId, '', '', '');
  page.orders.clear();
  page.held.clear();
  showSignedIn();
}

async function signIn(event) {
  event.preventDefault();
  const message = $('sign-in-message');
  const userId = $('user-id').value.trim();
  if (!/^[1-9][0-9]{0,18}$/.test(userId)) {
    message.textContent = 'A user id is a positive whole number.';
    return;
  }
  $('sign-in-button').disabled = true;
  try {
    if (page.demoLogin) {
      const body = await postForm('/demo/login', {user_id: userId});
      if (body.code !== 0) {
        message.textContent = describe(body).text;
        return;
      }
    } else {
      const token = $('token').value.trim();
      // v2: v2.<user>.<expires>.<key id>.<hex>; v1 (while the shop still takes it): the hex.
      const v2 = /^v2\.([0-9]+)\.([0-9]+)\.[A-Za-z0-9_-]{1,32}\.[0-9a-f]{64}$/.exec(token);
      if (!v2 && !/^[0-9a-f]{64}$/.test(token)) {
        message.textContent = 'Paste the token your account page gave you, as it is.';
        return;
      }
      if (v2 && v2[1] !== userId) {
        message.textContent = 'This token does not belong to that user id: check both.';
        return;
      }
      // The cookies last as long as the token does (a v1 token, a day).
      const lifetime = v2 ? Math.max(0, Number(v2[2]) - Math.floor(Date.now() / 1000)) : 86400;
      if (lifetime === 0) {
        message.textContent = 'This token has expired: get a new one.';
        return;
      }
      writeCookie('user_id', userId, lifetime);
      writeCookie('token', token, lifetime);
      // Checked now, not at the first Buy: any product's /result answers 4001 to a wrong token.
      const first = page.products.keys().next();
      if (!first.done) {
        const check = await api(`/result?product_id=${encodeURIComponent(first.value)}`);
        if (check.code === 4001) {
          writeCookie('user_id', '', 0);
          writeCookie('token', '', 0);
          message.textContent = 'This token does not belong to that user id: check both.';
          return;
        }
      }
    }
    message.textContent = '';
    showSignedIn();
    await showExistingOrders();
  } catch (error) {
    message.textContent = 'Cannot reach the shop right now: try again.';
  } finally {
    $('sign-in-button').disabled = false;
  }
}

async function detectDemoLogin() {
  try {
    const body = await api('/demo/login');
    page.demoLogin = body.code === 0;
  } catch (error) {
    page.demoLogin = false;
  }
  $('sign-in-message').textContent =
      page.demoLogin ? 'Demo shop: type any user id to sign in as that user.' : '';
  try {
    page.demoPay = (await api('/demo/pay')).code === 0;
  } catch (error) {
    page.demoPay = false;
  }
}

async function start() {
  $('sign-in').addEventListener('submit', signIn);
  $('switch-user').addEventListener('click', signOut);
  await detectDemoLogin();
  await refreshProducts();
  showSignedIn();
  if (page.user !== null) showExistingOrders();
  setInterval(render, TICK_MS);
  setInterval(refreshProducts, REFRESH_MS);
}

start();
